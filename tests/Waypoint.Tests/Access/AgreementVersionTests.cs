using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// Changing the sharing agreement changes what flows at once, and some limits hold whatever the
/// agreement says. Each test publishes the version it needs first (the agreement is global to the
/// app, so this class has an app of its own and its tests run one at a time).
/// </summary>
public abstract class AgreementVersionTests(WaypointApp app)
{
    [Fact]
    public async Task NewVersion_EducationNoLongerToPolice_PoliceStopSeeingUpnAndEnrolmentAtOnce()
    {
        await PublishAsync(ReferenceData.DefaultRules());
        var p = await TestPartnership.CreateAsync(app);
        var upn = Upn.Create(928, 4003, 11, 401);
        var pupil = await p.YoungPersonAsync("Vera", "Wilde", new DateOnly(2011, 6, 6), enrolledAt: p.School, upn: upn);
        await p.InvolveAsync(pupil, p.Police);
        var police = await app.ApiClientAsync(await p.UserAsync(p.Police));
        var before = await police.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");

        await PublishAsync(ReferenceData.DefaultRules().Where(r => r != (OrganisationType.School, OrganisationType.Police, RecordCategories.Education)));
        var after = await police.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");

        Values(before, "identifiers").ShouldBe([upn]);
        before.GetProperty("enrolments").GetArrayLength().ShouldBe(1);
        Values(after, "identifiers").ShouldBeEmpty();
        after.GetProperty("enrolments").GetArrayLength().ShouldBe(0);
        (await SearchAsync(police, $"identifier={upn}")).ShouldBeEmpty();
    }

    [Fact]
    public async Task NewVersions_FlowRemovedThenRestoredThenRemoved_EachTakesEffectOnTheVeryNextOpen()
    {
        // The open keeps each version's pairs by its id (AgreementPairs): every read below has just read the version before it.
        var withoutEducation = ReferenceData.DefaultRules().Where(r => r != (OrganisationType.School, OrganisationType.Police, RecordCategories.Education)).ToList();
        await PublishAsync(ReferenceData.DefaultRules());
        var p = await TestPartnership.CreateAsync(app);
        var upn = Upn.Create(928, 4003, 11, 402);
        var pupil = await p.YoungPersonAsync("Ursula", "Vane", new DateOnly(2011, 5, 5), enrolledAt: p.School, upn: upn);
        await p.InvolveAsync(pupil, p.Police);
        var police = await app.ApiClientAsync(await p.UserAsync(p.Police));
        var page = await app.SignInAsync(await p.UserAsync(p.Police));

        var seen = new List<(int Identifiers, int Enrolments, bool OnThePage)>();
        foreach (var rules in new[] { ReferenceData.DefaultRules().ToList(), withoutEducation, ReferenceData.DefaultRules().ToList(), withoutEducation })
        {
            await PublishAsync(rules);
            var view = await police.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
            var html = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(page, pupil.Id);
            seen.Add((Values(view, "identifiers").Count(v => v == upn), view.GetProperty("enrolments").GetArrayLength(), html.Contains(upn)));
        }

        seen.ShouldBe([(1, 1, true), (0, 0, false), (1, 1, true), (0, 0, false)]);
    }

    [Fact]
    public async Task Version_ListingPoliceIntelligenceForEveryone_StillShowsItToPoliceOnly()
    {
        // "Police only, whatever the agreement says" (the category's restriction), even if a version is edited wrongly.
        var everyone = Enum.GetValues<OrganisationType>();
        await PublishAsync(ReferenceData.DefaultRules().Concat(everyone.Select(reader => (OrganisationType.Police, reader, RecordCategories.PoliceIntelligence))));
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Wendy", "Yates", new DateOnly(2011, 7, 7), enrolledAt: p.School);
        var intelligence = $"INT-{p.Suffix}".ToUpperInvariant();
        await app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.Add(new PersonIdentifier { PersonId = pupil.Id, Scheme = IdentifierScheme.LocalId, Value = intelligence, OwnerOrganisationId = p.Police.Id, CategoryCode = RecordCategories.PoliceIntelligence });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = pupil.Id, Kind = RelationshipKind.Other, OwnerOrganisationId = p.Police.Id, CategoryCode = RecordCategories.PoliceIntelligence });
            await db.SaveChangesAsync();
        });
        var readers = p.Organisations.Where(o => o != p.OtherSchool).ToList();
        foreach (var org in readers.Where(o => o != p.School))
            await p.InvolveAsync(pupil, org);

        var failures = new List<string>();
        foreach (var org in readers)
        {
            var client = await app.ApiClientAsync(await p.UserAsync(org));
            var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
            var sees = Values(view, "identifiers").Contains(intelligence);
            var seesRelationship = view.GetProperty("relatives").GetArrayLength() > 0;
            var found = (await SearchAsync(client, $"identifier={intelligence}")).Count > 0;
            var expected = org.Type == OrganisationType.Police;
            if (sees != expected || seesRelationship != expected || found != expected)
                failures.Add($"{org.Type}: identifier {sees}, relationship {seesRelationship}, found by search {found}; expected {expected}");
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task HouseholdAddress_FollowsTheAgreementForTheHouseholdsOwner()
    {
        await PublishAsync(ReferenceData.DefaultRules().Where(r => r != (OrganisationType.Housing, OrganisationType.School, RecordCategories.Family)));
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Xena", "Young", new DateOnly(2011, 8, 8), enrolledAt: p.School);
        var postcode = "NN9 9ZZ";
        await app.AsSystemAsync(async db =>
        {
            // Recorded by housing: the address is housing's family record, whoever first recorded the person.
            var household = new Household { AddressLine1 = "1 Tenancy Row", Town = "Brackton", Postcode = postcode, AreaId = p.Ward.Id, OwnerOrganisationId = p.Housing.Id };
            db.Households.Add(household);
            await db.SaveChangesAsync();
            await db.People.Where(x => x.Id == pupil.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.HouseholdId, household.Id));
        });
        await p.InvolveAsync(pupil, p.Housing);
        await p.InvolveAsync(pupil, p.Hub);

        var asSchool = await (await app.ApiClientAsync(await p.UserAsync(p.School))).GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        var asHousing = await (await app.ApiClientAsync(await p.UserAsync(p.Housing))).GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        var asHub = await (await app.ApiClientAsync(await p.UserAsync(p.Hub))).GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        var schoolPage = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(await app.SignInAsync(await p.UserAsync(p.School)), pupil.Id);

        asSchool.GetProperty("household").ValueKind.ShouldBe(JsonValueKind.Null);
        schoolPage.ShouldNotContain(postcode);
        schoolPage.ShouldContain("Not shared with your organisation");
        asHousing.GetProperty("household").GetProperty("postcode").GetString().ShouldBe(postcode);
        asHub.GetProperty("household").GetProperty("postcode").GetString().ShouldBe(postcode);
    }

    private Task PublishAsync(IEnumerable<(OrganisationType Owner, OrganisationType Reader, string Category)> rules) =>
        TestAgreement.PublishAsync(app, rules);

    private static List<string> Values(JsonElement view, string property) =>
        view.GetProperty(property).EnumerateArray().Select(i => i.GetProperty("value").GetString()!).ToList();

    private static async Task<List<Guid>> SearchAsync(HttpClient client, string query) =>
        (await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/people?{query}"))!.Select(h => h.GetProperty("id").GetGuid()).ToList();
}

public sealed class AgreementVersionTestsOnSqlite(SqliteApp app) : AgreementVersionTests(app), IClassFixture<SqliteApp>;

public sealed class AgreementVersionTestsOnPostgres(PostgresApp app) : AgreementVersionTests(app), IClassFixture<PostgresApp>;
