using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>The people API on each provider: search and reads see only what the policy allows, and every read is audited.</summary>
public abstract class PeopleApiTests(WaypointApp app)
{
    [Fact]
    public async Task Search_SchoolUser_FindsOwnPupilDespiteTypoAndNotOtherSchoolsPupil()
    {
        var p = await TestPartnership.CreateAsync(app);
        var own = await p.YoungPersonAsync("Catherine", $"Smith{p.Suffix}", new DateOnly(2011, 3, 27), enrolledAt: p.School);
        var other = await p.YoungPersonAsync("Kathryn", $"Smith{p.Suffix}", new DateOnly(2011, 3, 27), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.School);
        var client = await app.ApiClientAsync(user);

        var hits = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/people?name=Kathryn%20Smiht{p.Suffix}");

        hits!.Select(h => h.GetProperty("id").GetGuid()).ShouldBe([own.Id]);
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id).ToListAsync());
        audited.ShouldContain(a => a.PersonId == own.Id && a.Action == AuditAction.ListedInSearch && a.Basis == "enrolment");
        audited.ShouldNotContain(a => a.PersonId == other.Id);
    }

    [Fact]
    public async Task Get_NoRelationship_Returns404AndAuditsTheAttempt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ben", "Jones", new DateOnly(2010, 1, 5), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.School);
        var client = await app.ApiClientAsync(user);

        var response = await client.GetAsync($"/api/v1/people/{pupil.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.PersonId == pupil.Id).ToListAsync());
        audited.ShouldHaveSingleItem().Action.ShouldBe(AuditAction.Denied);
    }

    [Fact]
    public async Task Get_PartnershipRoleForDistrict_SeesPersonInItsWardButNotInOtherDistrict()
    {
        var p = await TestPartnership.CreateAsync(app);
        var inside = await p.YoungPersonAsync("Amy", "Hart", new DateOnly(2012, 6, 1), ward: p.Ward);
        var outside = await p.YoungPersonAsync("Zoe", "Hart", new DateOnly(2012, 6, 1), ward: p.OtherWard);
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        var client = await app.ApiClientAsync(hub);

        (await client.GetAsync($"/api/v1/people/{inside.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync($"/api/v1/people/{outside.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Get_PoliceInvolvement_HidesEducationIdentifierOnlyWhereAgreementSaysSo()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Waypoint.Features.People.Upn.Create(928, 4001, 11, 123);
        var pupil = await p.YoungPersonAsync("Cara", "Doyle", new DateOnly(2011, 2, 2), enrolledAt: p.School, upn: upn);
        await p.InvolveAsync(pupil, p.Police);
        await p.InvolveAsync(pupil, p.Housing);
        var police = await app.ApiClientAsync(await p.UserAsync(p.Police));
        var housing = await app.ApiClientAsync(await p.UserAsync(p.Housing));

        var asPolice = await police.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        var asHousing = await housing.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");

        // The first agreement lets education records flow to police but not to housing.
        asPolice.GetProperty("identifiers").EnumerateArray().Select(i => i.GetProperty("value").GetString()).ShouldBe([upn]);
        asHousing.GetProperty("identifiers").GetArrayLength().ShouldBe(0);
        asHousing.GetProperty("whyVisible").EnumerateArray().ShouldHaveSingleItem().GetProperty("kind").GetString().ShouldBe("Involvement");
    }

    [Fact]
    public async Task Create_InvalidUpnAndMissingReason_ReturnsProblemNamingFieldsAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));
        var before = await app.AsSystemAsync((db, _) => db.People.IgnoreQueryFilters().CountAsync());

        var response = await client.PostAsJsonAsync("/api/v1/people", new
        {
            kind = "YoungPerson",
            givenName = "Dan",
            familyName = new string('x', 101),
            dateOfBirth = "2011-01-01",
            wardId = p.Ward.Id,
            upn = WrongCheckLetter(Waypoint.Features.People.Upn.Create(928, 4001, 11, 124)),
        });

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        errors.GetProperty("familyName")[0].GetString()!.ShouldContain("100 characters");
        errors.GetProperty("upn")[0].GetString()!.ShouldContain("check letter");
        errors.GetProperty("reason")[0].GetString()!.ShouldNotBeNullOrEmpty();
        (await app.AsSystemAsync((db, _) => db.People.IgnoreQueryFilters().CountAsync())).ShouldBe(before);
    }

    [Fact]
    public async Task Create_LikelyDuplicate_ReturnsConflictUntilConfirmed()
    {
        var p = await TestPartnership.CreateAsync(app);
        var existing = await p.YoungPersonAsync("Mohammed", $"Khan{p.Suffix}", new DateOnly(2010, 9, 9), enrolledAt: p.School);
        var client = await app.ApiClientAsync(await p.UserAsync(p.School));
        var body = new { kind = "YoungPerson", givenName = "Muhammad", familyName = $"Khan{p.Suffix}", dateOfBirth = "2010-09-09", wardId = p.Ward.Id, reason = "New pupil" };

        var first = await client.PostAsJsonAsync("/api/v1/people", body);
        var confirmed = await client.PostAsJsonAsync("/api/v1/people?confirmNotDuplicate=true", body);

        first.StatusCode.ShouldBe(HttpStatusCode.Conflict, await first.Content.ReadAsStringAsync());
        (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("likelyDuplicates")[0].GetProperty("id").GetGuid().ShouldBe(existing.Id);
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Created);
        var created = (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // The creator's organisation can see whom it added, through the involvement it gave a reason for.
        (await client.GetAsync($"/api/v1/people/{created}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static string WrongCheckLetter(string upn) => (upn[0] == 'A' ? 'B' : 'A') + upn[1..];
}

public sealed class PeopleApiTestsOnSqlite(SqliteApp app) : PeopleApiTests(app), IClassFixture<SqliteApp>;

public sealed class PeopleApiTestsOnPostgres(PostgresApp app) : PeopleApiTests(app), IClassFixture<PostgresApp>;
