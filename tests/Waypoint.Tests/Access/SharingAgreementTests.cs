using System.Net;
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
/// Within a person the reader may see, each categorised record (identifier, relationship,
/// enrolment) reaches the reader only where the current sharing agreement lets its category flow
/// from the owner's organisation type to the reader's. These tests run on the first agreement.
/// </summary>
public abstract class SharingAgreementTests(WaypointApp app)
{
    private sealed record Identifier(IdentifierScheme Scheme, string Value, Organisation Owner, string Category);

    [Fact]
    public async Task Identifiers_EveryReaderType_SeeExactlyTheCategoriesTheAgreementLetsFlow()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Nell", "Quarry", new DateOnly(2011, 5, 6), enrolledAt: p.School);
        Identifier[] identifiers =
        [
            new(IdentifierScheme.Upn, Upn.Create(928, 4002, 11, 321), p.School, RecordCategories.Education),
            new(IdentifierScheme.PoliceReference, $"NP-{p.Suffix}", p.Police, RecordCategories.PoliceGeneral),
            new(IdentifierScheme.LocalId, $"INT-{p.Suffix}".ToUpperInvariant(), p.Police, RecordCategories.PoliceIntelligence),
            new(IdentifierScheme.LocalId, $"SC-{p.Suffix}", p.SocialCare, RecordCategories.SocialCare),
            new(IdentifierScheme.LocalId, $"NHS-{p.Suffix}", p.Health, RecordCategories.Health),
            new(IdentifierScheme.LocalId, $"EH-{p.Suffix}", p.Hub, RecordCategories.CaseWork),
        ];
        await AddIdentifiersAsync(pupil, identifiers);
        var readers = p.Organisations.Where(o => o != p.OtherSchool).ToList();
        foreach (var org in readers.Where(o => o != p.School))
            await p.InvolveAsync(pupil, org);

        var failures = new List<string>();
        foreach (var org in readers)
        {
            var client = await app.ApiClientAsync(await p.UserAsync(org));
            var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
            var seen = view.GetProperty("identifiers").EnumerateArray().Select(i => i.GetProperty("value").GetString()!).Order().ToList();
            var expected = identifiers.Where(i => Flows(i.Owner, org, i.Category)).Select(i => i.Value).Order().ToList();
            if (!seen.SequenceEqual(expected))
                failures.Add($"{org.Type}: saw [{string.Join(", ", seen)}], expected [{string.Join(", ", expected)}]");
            var enrolments = view.GetProperty("enrolments").GetArrayLength();
            if (enrolments != (Flows(p.School, org, RecordCategories.Education) ? 1 : 0))
                failures.Add($"{org.Type}: saw {enrolments} enrolments");
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task PersonPage_HousingAndSchool_DoNotShowWhatTheAgreementWithholds()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Upn.Create(928, 4002, 11, 322);
        var pupil = await p.YoungPersonAsync("Olive", "Reed", new DateOnly(2011, 5, 7), enrolledAt: p.School, upn: upn);
        var intelligence = $"INT-{p.Suffix}".ToUpperInvariant();
        await AddIdentifiersAsync(pupil, [new(IdentifierScheme.LocalId, intelligence, p.Police, RecordCategories.PoliceIntelligence)]);
        await p.InvolveAsync(pupil, p.Housing);
        await p.InvolveAsync(pupil, p.Police);

        var asHousing = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(await app.SignInAsync(await p.UserAsync(p.Housing)), pupil.Id);
        var asSchool = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(await app.SignInAsync(await p.UserAsync(p.School)), pupil.Id);
        var asPolice = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(await app.SignInAsync(await p.UserAsync(p.Police)), pupil.Id);

        // Housing does not see a school-owned UPN; police intelligence never reaches a school.
        asHousing.ShouldContain("Olive");
        asHousing.ShouldNotContain(upn);
        asHousing.ShouldNotContain(intelligence);
        asHousing.ShouldNotContain(p.School.Name);
        asSchool.ShouldContain(upn);
        asSchool.ShouldNotContain(intelligence);
        asPolice.ShouldContain(upn);
        asPolice.ShouldContain(intelligence);
    }

    [Fact]
    public async Task SearchByIdentifier_CategoryWithheldFromReader_FindsNobody()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Upn.Create(928, 4002, 11, 323);
        var pupil = await p.YoungPersonAsync("Pearl", "Stone", new DateOnly(2011, 5, 8), enrolledAt: p.School, upn: upn);
        var intelligence = $"INT-{p.Suffix}".ToUpperInvariant();
        await AddIdentifiersAsync(pupil, [new(IdentifierScheme.LocalId, intelligence, p.Police, RecordCategories.PoliceIntelligence)]);
        await p.InvolveAsync(pupil, p.Housing);
        await p.InvolveAsync(pupil, p.Police);
        var housing = await app.ApiClientAsync(await p.UserAsync(p.Housing));
        var school = await app.ApiClientAsync(await p.UserAsync(p.School));
        var police = await app.ApiClientAsync(await p.UserAsync(p.Police));

        // An identifier the reader may not see cannot be used to find, or confirm, a person either.
        (await SearchAsync(housing, $"identifier={upn}")).ShouldBeEmpty();
        (await SearchAsync(school, $"identifier={intelligence}")).ShouldBeEmpty();
        (await SearchAsync(school, $"identifier={upn}")).ShouldBe([pupil.Id]);
        (await SearchAsync(police, $"identifier={upn.ToLowerInvariant()}")).ShouldBe([pupil.Id]);
        (await SearchAsync(police, $"identifier={intelligence}")).ShouldBe([pupil.Id]);
    }

    [Fact]
    public async Task Relationships_EveryReaderType_SeeOnlyCategoriesTheAgreementLetsFlow()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Quinn", "Tate", new DateOnly(2012, 1, 2), enrolledAt: p.School);
        var parent = await p.YoungPersonAsync("Rhea", "Tate", new DateOnly(1985, 1, 2));
        var carer = await p.YoungPersonAsync("Saul", "Unwin", new DateOnly(1960, 1, 2));
        await app.AsSystemAsync(async db =>
        {
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = parent.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.School.Id, CategoryCode = RecordCategories.Family });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = carer.Id, Kind = RelationshipKind.Carer, OwnerOrganisationId = p.SocialCare.Id, CategoryCode = RecordCategories.SocialCare });
            await db.SaveChangesAsync();
        });
        var readers = p.Organisations.Where(o => o != p.OtherSchool).ToList();
        foreach (var org in readers)
        {
            if (org != p.School)
                await p.InvolveAsync(pupil, org);
            await p.InvolveAsync(parent, org);
            await p.InvolveAsync(carer, org);
        }

        var failures = new List<string>();
        foreach (var org in readers)
        {
            var client = await app.ApiClientAsync(await p.UserAsync(org));
            var view = await client.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
            var seen = view.GetProperty("relatives").EnumerateArray().Select(r => r.GetProperty("relationship").GetString()!).Order().ToList();
            (string Kind, Organisation Owner, string Category)[] recorded = [("Parent", p.School, RecordCategories.Family), ("Carer", p.SocialCare, RecordCategories.SocialCare)];
            var expected = recorded.Where(r => Flows(r.Owner, org, r.Category)).Select(r => r.Kind).Order().ToList();
            if (!seen.SequenceEqual(expected))
                failures.Add($"{org.Type}: saw [{string.Join(", ", seen)}], expected [{string.Join(", ", expected)}]");
            if (view.GetProperty("hiddenRelatives").GetInt32() != 0)
                failures.Add($"{org.Type}: relatives it may see were counted as hidden");
        }

        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task Relationships_RelativeTheReaderCannotSee_IsCountedButNeverNamed()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Tess", $"Vale{p.Suffix}", new DateOnly(2012, 3, 4), enrolledAt: p.School);
        var parent = await p.YoungPersonAsync("Ursula", $"Vale{p.Suffix}", new DateOnly(1984, 3, 4));
        await app.AsSystemAsync(async db =>
        {
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = parent.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.School.Id, CategoryCode = RecordCategories.Family });
            await db.SaveChangesAsync();
        });
        await p.InvolveAsync(pupil, p.Housing);
        var user = await p.UserAsync(p.Housing);

        var view = await (await app.ApiClientAsync(user)).GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        var pages = await app.SignInAsync(user);
        var page = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(pages, pupil.Id);

        view.GetProperty("relatives").GetArrayLength().ShouldBe(0);
        view.GetProperty("hiddenRelatives").GetInt32().ShouldBe(1);
        page.ShouldNotName("Ursula");
        page.ShouldNotContain(parent.Id.ToString());
        page.ShouldContain("1 more relationship is recorded");
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.PersonId == parent.Id).CountAsync());
        audited.ShouldBe(0);
    }

    private static bool Flows(Organisation owner, Organisation reader, string category) =>
        owner.Id == reader.Id || ReferenceData.DefaultRules().Contains((owner.Type, reader.Type, category));

    private Task AddIdentifiersAsync(Person person, IEnumerable<Identifier> identifiers) =>
        app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.AddRange(identifiers.Select(i => new PersonIdentifier
            {
                PersonId = person.Id,
                Scheme = i.Scheme,
                Value = i.Value,
                OwnerOrganisationId = i.Owner.Id,
                CategoryCode = i.Category,
            }));
            await db.SaveChangesAsync();
        });

    private static async Task<List<Guid>> SearchAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync($"/api/v1/people?{query}");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<JsonElement[]>())!.Select(h => h.GetProperty("id").GetGuid()).ToList();
    }
}

public sealed class SharingAgreementTestsOnSqlite(SqliteApp app) : SharingAgreementTests(app), IClassFixture<SqliteApp>;

public sealed class SharingAgreementTestsOnPostgres(PostgresApp app) : SharingAgreementTests(app), IClassFixture<PostgresApp>;
