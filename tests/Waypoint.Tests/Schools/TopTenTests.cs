using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>Each school's top 10 at risk of exclusion: nominations with reasons, history kept, read by partnership roles.</summary>
public abstract class TopTenTests(WaypointApp app)
{
    [Fact]
    public async Task Nominate_ThenWithdraw_ListShowsItThenHistoryKeepsIt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Lena", $"Marsh{p.Suffix}", new DateOnly(2011, 5, 5), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var nominated = await school.PostFormAsync("/schools/top-ten?handler=Nominate",
            new() { ["PersonId"] = pupil.Id.ToString(), ["Rank"] = "1", ["Reason"] = "Three suspensions since September" }, formPage: "/schools/top-ten");
        var listed = await school.GetDocumentAsync("/schools/top-ten");
        var nominationId = await app.AsSystemAsync((db, _) => db.TopTenNominations.Where(n => n.PersonId == pupil.Id).Select(n => n.Id).SingleAsync());
        var withdrawn = await school.PostFormAsync("/schools/top-ten?handler=Withdraw",
            new() { ["NominationId"] = nominationId.ToString(), ["WithdrawalReason"] = "Managed move agreed" }, formPage: "/schools/top-ten");
        var after = await school.GetDocumentAsync("/schools/top-ten");

        nominated.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        listed.QuerySelectorAll("caption").First().TextContent.ShouldContain("Current list");
        listed.Body!.TextContent.ShouldContain("Three suspensions since September");
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Body!.TextContent.ShouldContain("Past nominations");
        after.Body.TextContent.ShouldContain("Managed move agreed");
        after.Body.TextContent.ShouldContain("No pupils are on this list");
        (await app.AsSystemAsync((db, _) => db.TopTenNominations.CountAsync(n => n.PersonId == pupil.Id))).ShouldBe(1);
    }

    [Fact]
    public async Task Rerank_ThenWithdraw_EveryRankKeptInTheHistory()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Rory", $"Vale{p.Suffix}", new DateOnly(2011, 6, 6), enrolledAt: p.School);
        var other = await p.YoungPersonAsync("Sia", $"Vale{p.Suffix}", new DateOnly(2011, 7, 7), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        await school.PostFormAsync("/schools/top-ten?handler=Nominate",
            new() { ["PersonId"] = pupil.Id.ToString(), ["Rank"] = "4", ["Reason"] = "Defiance escalating since half term" }, formPage: "/schools/top-ten");
        await school.PostFormAsync("/schools/top-ten?handler=Nominate",
            new() { ["PersonId"] = other.Id.ToString(), ["Rank"] = "2", ["Reason"] = "Two suspensions" }, formPage: "/schools/top-ten");
        Task<Guid> CurrentAsync() => app.AsSystemAsync((db, _) => db.TopTenNominations.Where(n => n.PersonId == pupil.Id && n.WithdrawnAt == null).Select(n => n.Id).SingleAsync());

        var clash = await school.PostFormAsync("/schools/top-ten?handler=Rerank",
            new() { ["NominationId"] = (await CurrentAsync()).ToString(), ["Rank"] = "2" }, formPage: "/schools/top-ten");
        var outOfRange = await school.PostFormAsync("/schools/top-ten?handler=Rerank",
            new() { ["NominationId"] = (await CurrentAsync()).ToString(), ["Rank"] = "11" }, formPage: "/schools/top-ten");
        var moved = await school.PostFormAsync("/schools/top-ten?handler=Rerank",
            new() { ["NominationId"] = (await CurrentAsync()).ToString(), ["Rank"] = "1" }, formPage: "/schools/top-ten");
        var withdrawn = await school.PostFormAsync("/schools/top-ten?handler=Withdraw",
            new() { ["NominationId"] = (await CurrentAsync()).ToString(), ["WithdrawalReason"] = "Behaviour plan working" }, formPage: "/schools/top-ten");
        var page = await school.GetDocumentAsync("/schools/top-ten");

        Clients.Parse(await clash.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Rank 2 is already taken");
        Clients.Parse(await outOfRange.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("from 1 to 10");
        moved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var history = page.QuerySelectorAll("table").Single(t => t.QuerySelector("caption")!.TextContent.Contains("Past nominations"))
            .QuerySelectorAll("tbody tr").Select(r => r.Children[0].TextContent + "|" + r.Children[1].TextContent + "|" + r.Children[4].TextContent).ToList();
        history.Count(h => h.StartsWith($"Rory Vale{p.Suffix}|")).ShouldBe(2);
        history.ShouldContain(h => h.StartsWith($"Rory Vale{p.Suffix}|4|") && h.Contains("Moved from rank 4 to rank 1"));
        history.ShouldContain(h => h.StartsWith($"Rory Vale{p.Suffix}|1|") && h.Contains("Behaviour plan working"));
        var stored = await app.AsSystemAsync((db, _) => db.TopTenNominations.Where(n => n.PersonId == pupil.Id).OrderBy(n => n.NominatedAt).Select(n => new { n.Rank, n.Reason, Open = n.WithdrawnAt == null }).ToListAsync());
        stored.Select(n => n.Rank).ShouldBe([4, 1]);
        stored.ShouldAllBe(n => n.Reason == "Defiance escalating since half term" && !n.Open);
    }

    [Fact]
    public async Task Nominate_EleventhPupilOrAnotherSchoolsPupil_RefusedAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.School);
        await app.AsSystemAsync(async db =>
        {
            for (var rank = 1; rank <= 10; rank++)
            {
                var person = new Person { GivenName = $"Pupil{rank}", FamilyName = p.Suffix, Kind = PersonKind.YoungPerson, AreaId = p.Ward.Id, OwnerOrganisationId = p.School.Id, DateOfBirth = new DateOnly(2011, 1, rank) };
                db.People.Add(person);
                db.Enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2024, 9, 1) });
                db.TopTenNominations.Add(new TopTenNomination { PersonId = person.Id, SchoolId = p.School.Id, Rank = rank, Reason = "Seeded", NominatedAt = DateTimeOffset.UtcNow });
            }
            await db.SaveChangesAsync();
        });
        var eleventh = await p.YoungPersonAsync("Mo", "Extra", new DateOnly(2011, 2, 2), enrolledAt: p.School);
        var elsewhere = await p.YoungPersonAsync("Nel", "Other", new DateOnly(2011, 2, 2), enrolledAt: p.OtherSchool);
        var school = await app.SignInAsync(user);

        var full = await school.PostFormAsync("/schools/top-ten?handler=Nominate",
            new() { ["PersonId"] = eleventh.Id.ToString(), ["Rank"] = "3", ["Reason"] = "Escalating behaviour" }, formPage: "/schools/top-ten");
        await app.AsSystemAsync(async db =>
        {
            await db.TopTenNominations.Where(n => n.SchoolId == p.School.Id && n.Rank == 10).ExecuteUpdateAsync(u => u.SetProperty(n => n.WithdrawnAt, DateTimeOffset.UtcNow));
        });
        var otherSchool = await school.PostFormAsync("/schools/top-ten?handler=Nominate",
            new() { ["PersonId"] = elsewhere.Id.ToString(), ["Rank"] = "10", ["Reason"] = "Escalating behaviour" }, formPage: "/schools/top-ten");

        Clients.Parse(await full.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("already has 10 pupils");
        Clients.Parse(await otherSchool.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("currently enrolled at your school");
        (await app.AsSystemAsync((db, _) => db.TopTenNominations.CountAsync(n => n.PersonId == eleventh.Id || n.PersonId == elsewhere.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task List_InclusionOfficerOverTheArea_SeesTheSchoolsListAndHousingIsRefused()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ola", $"Price{p.Suffix}", new DateOnly(2011, 5, 5), enrolledAt: p.School, ward: p.Ward);
        await app.AsSystemAsync(async db =>
        {
            db.TopTenNominations.Add(new TopTenNomination { PersonId = pupil.Id, SchoolId = p.School.Id, Rank = 2, Reason = "Fixed-term exclusions twice this term", NominatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));
        var housing = await app.SignInAsync(await p.UserAsync(p.Housing));

        var page = await inclusion.GetDocumentAsync($"/schools/top-ten?School={p.School.Id}");
        var refused = await housing.GetAsync($"/schools/top-ten?School={p.School.Id}");

        page.Body!.TextContent.ShouldContain($"Ola Price{p.Suffix}");
        page.QuerySelector("main form[method=post]").ShouldBeNull();
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class TopTenTestsOnSqlite(SqliteApp app) : TopTenTests(app), IClassFixture<SqliteApp>;

public sealed class TopTenTestsOnPostgres(PostgresApp app) : TopTenTests(app), IClassFixture<PostgresApp>;
