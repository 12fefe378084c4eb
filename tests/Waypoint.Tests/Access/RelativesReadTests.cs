using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The person page's relatives are read with the relationship rows past their own filter, the agreement's flow applied from
/// the request's pairs and each relative through the Person filter (PersonAccess.RelativesAsync, issue 18). Whatever the read,
/// a relative the reader may not see is never named nor audited; one the person's own relationship names is counted as
/// hidden; a relationship the agreement withholds names no one and counts nothing, from the very next read after a new
/// version removes its flow. The reader is the police: social care's records reach them under the first agreement, health's do not.
/// </summary>
public abstract class RelativesReadTests(WaypointApp app)
{
    [Fact]
    public async Task Relatives_RecordedOnEitherSide_NamedOnlyWhenVisibleAndTheRelationshipFlows()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Wren", $"Abbot{p.Suffix}", new DateOnly(2012, 4, 5), enrolledAt: p.School);
        var shown = await p.YoungPersonAsync("Xavia", $"Abbot{p.Suffix}", new DateOnly(1980, 4, 5));
        var hidden = await p.YoungPersonAsync("Yusuf", $"Abbot{p.Suffix}", new DateOnly(1979, 4, 5));
        var withheld = await p.YoungPersonAsync("Zora", $"Abbot{p.Suffix}", new DateOnly(1978, 4, 5));
        await app.AsSystemAsync(async db =>
        {
            // On the relatives' side, naming the pupil: social care's (flows to the police), health's (does not).
            db.PersonRelationships.Add(new PersonRelationship { PersonId = shown.Id, RelatedPersonId = pupil.Id, Kind = RelationshipKind.Carer, OwnerOrganisationId = p.SocialCare.Id, CategoryCode = RecordCategories.SocialCare });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = hidden.Id, RelatedPersonId = pupil.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.SocialCare.Id, CategoryCode = RecordCategories.SocialCare });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = withheld.Id, RelatedPersonId = pupil.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.Health.Id, CategoryCode = RecordCategories.Health });
            // On the pupil's side, naming the one the police may not see (a family record: flows to everyone).
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = hidden.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.School.Id, CategoryCode = RecordCategories.Family });
            await db.SaveChangesAsync();
        });
        await p.InvolveAsync(pupil, p.Police);
        await p.InvolveAsync(shown, p.Police);
        await p.InvolveAsync(withheld, p.Police);
        var user = await p.UserAsync(p.Police);

        var view = await (await app.ApiClientAsync(user)).GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        var page = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(await app.SignInAsync(user), pupil.Id);

        Named(view).ShouldBe([(shown.Id, "Cared-for child")]);
        view.GetProperty("hiddenRelatives").GetInt32().ShouldBe(1);
        page.ShouldContain("Xavia");
        page.ShouldNotName("Yusuf");
        page.ShouldNotContain(hidden.Id.ToString());
        page.ShouldNotName("Zora");
        page.ShouldNotContain(withheld.Id.ToString());
        page.ShouldContain("1 more relationship is recorded");
        (await AuditedAsync(user, shown)).ShouldBeGreaterThan(0);
        (await AuditedAsync(user, hidden)).ShouldBe(0);
        (await AuditedAsync(user, withheld)).ShouldBe(0);
    }

    [Fact]
    public async Task Relatives_AVersionRemovesTheFlowThatShowedThem_HiddenFromTheNextRead_AndBackWhenRestored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ada", $"Birch{p.Suffix}", new DateOnly(2012, 6, 7), enrolledAt: p.School);
        var onTheirSide = await p.YoungPersonAsync("Bram", $"Birch{p.Suffix}", new DateOnly(1981, 6, 7));
        var onThePupils = await p.YoungPersonAsync("Cleo", $"Birch{p.Suffix}", new DateOnly(1982, 6, 7));
        var unseen = await p.YoungPersonAsync("Dov", $"Birch{p.Suffix}", new DateOnly(1983, 6, 7));
        await app.AsSystemAsync(async db =>
        {
            db.PersonRelationships.Add(new PersonRelationship { PersonId = onTheirSide.Id, RelatedPersonId = pupil.Id, Kind = RelationshipKind.Carer, OwnerOrganisationId = p.SocialCare.Id, CategoryCode = RecordCategories.SocialCare });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = onThePupils.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.SocialCare.Id, CategoryCode = RecordCategories.SocialCare });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = pupil.Id, RelatedPersonId = unseen.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.SocialCare.Id, CategoryCode = RecordCategories.SocialCare });
            await db.SaveChangesAsync();
        });
        await p.InvolveAsync(pupil, p.Police);
        await p.InvolveAsync(onTheirSide, p.Police);
        await p.InvolveAsync(onThePupils, p.Police);
        var user = await p.UserAsync(p.Police);
        var api = await app.ApiClientAsync(user);
        var pages = await app.SignInAsync(user);

        try
        {
            var before = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
            Named(before).ShouldBe([(onTheirSide.Id, "Cared-for child"), (onThePupils.Id, "Parent")]);
            before.GetProperty("hiddenRelatives").GetInt32().ShouldBe(1);

            await TestAgreement.PublishWithoutAsync(app, r => r.OwnerType == OrganisationType.SocialCare && r.ReaderType == OrganisationType.Police
                && r.CategoryCode == RecordCategories.SocialCare);
            var audited = (await AuditedAsync(user, onTheirSide), await AuditedAsync(user, onThePupils));
            var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
            var page = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(pages, pupil.Id);

            // Neither relationship reaches the police now: no one named, nothing counted, no one audited as listed.
            Named(after).ShouldBeEmpty();
            after.GetProperty("hiddenRelatives").GetInt32().ShouldBe(0);
            page.ShouldNotName("Bram");
            page.ShouldNotName("Cleo");
            page.ShouldNotName("Dov");
            (await AuditedAsync(user, onTheirSide), await AuditedAsync(user, onThePupils)).ShouldBe(audited);
            (await AuditedAsync(user, unseen)).ShouldBe(0);
        }
        finally
        {
            await TestAgreement.PublishWithAsync(app, (OrganisationType.SocialCare, OrganisationType.Police, RecordCategories.SocialCare));
        }

        var restored = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}");
        Named(restored).ShouldBe([(onTheirSide.Id, "Cared-for child"), (onThePupils.Id, "Parent")]);
        restored.GetProperty("hiddenRelatives").GetInt32().ShouldBe(1);
        (await AuditedAsync(user, unseen)).ShouldBe(0);
    }

    [Fact]
    public async Task WithoutItsFilter_LiftsOnlyANamedFilter_AnyOtherTypeStaysFiltered()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ezra", $"Cedar{p.Suffix}", new DateOnly(2012, 8, 9), enrolledAt: p.School);
        var unseen = await p.YoungPersonAsync("Faye", $"Cedar{p.Suffix}", new DateOnly(1984, 8, 9));
        await app.AsSystemAsync(async db =>
        {
            db.PersonRelationships.Add(new PersonRelationship { PersonId = unseen.Id, RelatedPersonId = pupil.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.Health.Id, CategoryCode = RecordCategories.Health });
            await db.SaveChangesAsync();
        });
        var user = await p.UserAsync(p.Police);

        var (filtered, lifted, person) = await app.AsUserAsync(user, async (db, _) => (
            await db.PersonRelationships.CountAsync(r => r.PersonId == unseen.Id),
            await db.WithoutItsFilter<PersonRelationship>("test: the named filter lifted").CountAsync(r => r.PersonId == unseen.Id),
            await db.WithoutItsFilter<Person>("test: a type whose filter has no name").CountAsync(x => x.Id == unseen.Id)));

        filtered.ShouldBe(0, "the PersonRelationship filter hides a row of a person the police may not see");
        lifted.ShouldBe(1, "the relationship's own named filter is lifted");
        person.ShouldBe(0, "the Person filter has no name: WithoutItsFilter lifts nothing and the person stays hidden");
    }

    private static List<(Guid, string)> Named(JsonElement view) =>
        view.GetProperty("relatives").EnumerateArray()
            .Select(r => (r.GetProperty("personId").GetGuid(), r.GetProperty("relationship").GetString()!))
            .OrderBy(r => r.Item2, StringComparer.Ordinal).ToList();

    private Task<int> AuditedAsync(TestUser user, Person person) =>
        app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.PersonId == person.Id).CountAsync());
}

public sealed class RelativesReadTestsOnSqlite(SqliteApp app) : RelativesReadTests(app), IClassFixture<SqliteApp>;

public sealed class RelativesReadTestsOnPostgres(PostgresApp app) : RelativesReadTests(app), IClassFixture<PostgresApp>;
