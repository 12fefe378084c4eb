using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>
/// Pupil characteristics entered by hand by the pupil's school: checked field by field, saved with
/// a banner, audited, each change kept with who made it; and who sees them (the school, the
/// equality report's aggregates, and partners only where the agreement shares the category).
/// Each test that publishes an agreement version runs in this class's own app, one at a time.
/// </summary>
public abstract class PupilCharacteristicsTests(WaypointApp app)
{
    private static Dictionary<string, string> Form(string sex = "Female", string ethnicity = "BAFR", string sen = "E", string fsm = "Eligible") => new()
    {
        ["Sex"] = sex,
        ["Ethnicity"] = ethnicity,
        ["SenProvision"] = sen,
        ["FreeSchoolMeals"] = fsm,
    };

    private static string Page(Guid id) => $"/people/{id}/school/characteristics";

    [Fact]
    public async Task Record_BySchool_SavedWithBannerAuditAndHistoryOfWhoChangedWhat()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ama", "Mensah", new DateOnly(2011, 4, 4), enrolledAt: p.School);
        var teacher = await p.UserAsync(p.School);
        var school = await app.SignInAsync(teacher);

        var personPage = await school.GetDocumentAsync($"/people/{pupil.Id}/school");
        personPage.QuerySelector($"a[href='{Page(pupil.Id)}']")!.TextContent.ShouldBe("Record pupil characteristics");

        var saved = await school.PostFormAsync(Page(pupil.Id), Form());
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await school.GetDocumentAsync(saved.LocationPath());
        after.QuerySelector(".govuk-notification-banner")!.TextContent.ShouldContain("The pupil's characteristics were saved");
        var section = after.QuerySelector("#pupil-characteristics")!.ParentElement!.TextContent;
        section.ShouldContain("Black - African (BAFR)");
        section.ShouldContain("Education, health and care plan");

        (await school.PostFormAsync(Page(pupil.Id), Form(fsm: "NotEligible"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var held = await app.AsSystemAsync((db, _) => db.PupilCharacteristics.SingleAsync(c => c.PersonId == pupil.Id));
        (held.SchoolId, held.Sex, held.Ethnicity, held.SenProvision, held.FsmEligible, held.UpdatedByUserId)
            .ShouldBe((p.School.Id, Sex.Female, "BAFR", "E", (bool?)false, (Guid?)teacher.Id));
        var changes = await app.AsSystemAsync((db, _) => db.PupilCharacteristicsChanges.Where(c => c.PersonId == pupil.Id).OrderBy(c => c.ChangedAt).ThenBy(c => c.Id).ToListAsync());
        // The first save's four lines share one moment; the second save's single line comes after them.
        changes.Take(4).Select(c => c.Field).ShouldBe(["Sex", "Ethnicity", "SEN provision", "Free school meals"], ignoreOrder: true);
        changes[^1].Field.ShouldBe("Free school meals");
        (changes[^1].From, changes[^1].To, changes[^1].ChangedByUserId, changes[^1].Source).ShouldBe(("True", "False", (Guid?)teacher.Id, "Entered by hand"));

        var audit = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == pupil.Id && a.Subject.StartsWith("person.school.characteristics:"))
            .OrderBy(a => a.Id).Select(a => new { a.Action, a.Subject, a.UserId }).ToListAsync());
        audit.Select(a => a.Action).ShouldBe([AuditAction.Create, AuditAction.Update]);
        audit[1].Subject.ShouldBe("person.school.characteristics: free school meals");
        audit.ShouldAllBe(a => a.UserId == teacher.Id);
        // The log names which characteristic changed, never its value.
        audit.ShouldAllBe(a => !a.Subject.Contains("BAFR"));

        var history = await school.GetDocumentAsync(Page(pupil.Id));
        var lines = history.QuerySelectorAll("#characteristics-history tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        lines.Count.ShouldBe(5);
        (lines[0][1], lines[0][2], lines[0][3]).ShouldBe(("Free school meals", "Eligible", "Not eligible"));
        var name = await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == teacher.Id).Select(u => u.DisplayName).SingleAsync());
        lines[0][4].ShouldContain(name);

        var unchanged = await school.PostFormAsync(Page(pupil.Id), Form(fsm: "NotEligible"));
        (await school.GetDocumentAsync(unchanged.LocationPath())).QuerySelector(".govuk-notification-banner")!.TextContent.ShouldContain("nothing changed");
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristicsChanges.CountAsync(c => c.PersonId == pupil.Id))).ShouldBe(5);
    }

    [Fact]
    public async Task Record_MissingOrUnknownValues_RefusedNamingEachFieldAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ben", "Okoro", new DateOnly(2011, 4, 5), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var empty = await school.PostFormAsync(Page(pupil.Id), new Dictionary<string, string>());
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await empty.Content.ReadAsStringAsync());
        var summary = page.QuerySelectorAll(".govuk-error-summary__list a").ToDictionary(a => a.GetAttribute("href")!, a => a.TextContent);
        summary["#Sex"].ShouldBe("Select the pupil's sex, or Not known");
        summary["#Ethnicity"].ShouldBe("Select the pupil's ethnicity, or Information not yet obtained");
        summary["#SenProvision"].ShouldBe("Select the pupil's SEN provision");
        summary["#FreeSchoolMeals"].ShouldBe("Select whether the pupil is eligible for free school meals");

        var wrong = Clients.Parse(await (await school.PostFormAsync(Page(pupil.Id), Form(sex: "2", ethnicity: "XXXX", sen: "S", fsm: "Maybe"))).Content.ReadAsStringAsync());
        var messages = wrong.QuerySelectorAll(".govuk-error-summary__list a").ToDictionary(a => a.GetAttribute("href")!, a => a.TextContent);
        messages["#Sex"].ShouldBe("Select the pupil's sex from the list");
        messages["#Ethnicity"].ShouldBe("Select the pupil's ethnicity from the list of DfE codes");
        messages["#SenProvision"].ShouldBe("Select the pupil's SEN provision from the list");
        messages["#FreeSchoolMeals"].ShouldBe("Select free-school-meal eligibility from the list");

        (await app.AsSystemAsync((db, _) => db.PupilCharacteristics.CountAsync(c => c.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Record_ByOthers_PoliceRefusedAndASchoolWithoutTheEnrolmentFindsNoOne()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Cai", "Lloyd", new DateOnly(2011, 4, 6), enrolledAt: p.School);
        await p.InvolveAsync(pupil, p.Police);
        var police = await app.SignInAsync(await p.UserAsync(p.Police));
        var otherSchool = await app.SignInAsync(await p.UserAsync(p.OtherSchool));

        (await police.GetAsync(Page(pupil.Id))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await otherSchool.GetAsync(Page(pupil.Id))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristics.CountAsync(c => c.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Visibility_PoliceYouthAndCharity_SeeNoneUnlessANewAgreementVersionSharesThem()
    {
        await PublishAsync(ReferenceData.DefaultRules());
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Dara", $"Quist{p.Suffix}", new DateOnly(2011, 4, 7), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        (await school.PostFormAsync(Page(pupil.Id), Form())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var partners = new[] { p.Police, p.Youth, p.Charity };
        foreach (var org in partners)
            await p.InvolveAsync(pupil, org);

        async Task<List<string>> SeenByAsync(Organisation org)
        {
            var user = await p.UserAsync(org);
            var web = await app.SignInAsync(user);
            var api = await app.ApiClientAsync(user);
            var surfaces = new Dictionary<string, string>
            {
                ["person page"] = await Waypoint.Tests.People.PersonSections.AllHtmlAsync(web, pupil.Id),
                ["search"] = await web.GetStringAsync($"/people?name=Quist{p.Suffix}"),
                ["search export"] = await web.GetStringAsync($"/people?name=Quist{p.Suffix}&handler=Export&format=csv"),
                ["API person"] = await api.GetStringAsync($"/api/v1/people/{pupil.Id}"),
                ["API search"] = await api.GetStringAsync($"/api/v1/people?name=Quist{p.Suffix}"),
                ["API risk"] = await api.GetStringAsync($"/api/v1/people/{pupil.Id}/risk"),
            };
            surfaces["search"].ShouldContain($"Quist{p.Suffix}");
            return surfaces.Where(s => s.Value.Contains("BAFR") || s.Value.Contains("Black - African") || s.Value.Contains("Education, health and care plan")
                    || s.Value.Contains("pupil-characteristics") || s.Value.Contains("ethnicity", StringComparison.OrdinalIgnoreCase))
                .Select(s => $"{org.Type}: {s.Key}").ToList();
        }

        var seen = new List<string>();
        foreach (var org in partners)
            seen.AddRange(await SeenByAsync(org));
        seen.ShouldBeEmpty();
        (await school.GetStringAsync($"/people/{pupil.Id}/school")).ShouldContain("Black - African (BAFR)");

        // A version that shares pupil characteristics from schools with the police: the police see them at once, the others still do not.
        await PublishAsync(ReferenceData.DefaultRules().Append((OrganisationType.School, OrganisationType.Police, RecordCategories.PupilCharacteristics)));
        var police = await app.SignInAsync(await p.UserAsync(p.Police));
        var shared = Clients.Parse(await police.GetStringAsync($"/people/{pupil.Id}/school"));
        shared.QuerySelector("#pupil-characteristics")!.ParentElement!.TextContent.ShouldContain("Black - African (BAFR)");
        shared.QuerySelector($"a[href='{Page(pupil.Id)}']").ShouldBeNull();
        (await SeenByAsync(p.Youth)).ShouldBeEmpty();
        (await SeenByAsync(p.Charity)).ShouldBeEmpty();

        await PublishAsync(ReferenceData.DefaultRules());
        (await SeenByAsync(p.Police)).ShouldBeEmpty();
    }

    [Fact]
    public async Task EqualityReport_CountsTheSchoolsCharacteristics_AsAggregatesOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        for (var i = 0; i < 6; i++)
        {
            var pupil = await p.YoungPersonAsync("Eq", $"Char{i}{p.Suffix}", new DateOnly(2011, 1, 1), enrolledAt: p.School);
            (await school.PostFormAsync(Page(pupil.Id), Form(ethnicity: "CHNE"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            await app.AsSystemAsync(async db =>
            {
                db.PersonFlags.Add(new PersonFlag { PersonId = pupil.Id, Kind = FlagKind.GoingMissing, Evidence = "Test", OwnerOrganisationId = p.Police.Id, CategoryCode = RecordCategories.PoliceGeneral, SetByUserId = officer.Id, SetAt = DateTimeOffset.UtcNow, ReviewOn = today.AddMonths(1) });
                await db.SaveChangesAsync();
            });
        }

        var (cohorts, _) = await app.AsSystemAsync(async (_, sp) => await sp.GetRequiredService<EqualityMonitoring>().ReportAsync(TestContext.Current.CancellationToken));
        var flagged = cohorts.Single(c => c.Cohort == "A current flag");
        flagged.Rows.Single(r => r.Characteristic == "Ethnicity" && r.Group == "Chinese").Cohort.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(6);
        flagged.Rows.Single(r => r.Characteristic == "SEN provision" && r.Group == "EHC plan").Cohort.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(6);
        flagged.Rows.Single(r => r.Characteristic == "Free school meals" && r.Group == "Eligible").Cohort.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(6);
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        var page = await analyst.GetStringAsync("/risk/equality");
        page.ShouldContain("Chinese");
        page.ShouldNotContain($"Char0{p.Suffix}");
    }

    [Fact]
    public void RiskMatrix_HasNoSourceOrFieldThatReadsCharacteristics()
    {
        // Word by word (PascalCase or snake_case), so that "SessionsPresent" is not read as SEN, nor "SexualExploitation" as sex.
        string[] stems = ["ethnic", "sex", "gender", "sen", "fsm", "free", "meal", "characteristic", "disab"];
        bool Names(string name) => System.Text.RegularExpressions.Regex.Matches(name, "[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
            .Select(m => m.Value)
            .Any(word => stems.Any(stem => word.Equals(stem, StringComparison.OrdinalIgnoreCase)
                || stem is not ("sen" or "sex" or "free") && word.StartsWith(stem, StringComparison.OrdinalIgnoreCase)));
        new[] { "SenProvision", "SENProvision", "Ethnicity", "FreeSchoolMeals", "Sex", "is_fsm", "Disability" }.Where(n => !Names(n)).ShouldBeEmpty("the check must catch these");
        new[] { "SessionsPresent", "SexualExploitation", "Sessions", "Sentence" }.Where(Names).ShouldBeEmpty("the check must not catch these");
        Enum.GetNames<RiskSource>().Where(Names).ShouldBeEmpty();
        typeof(RiskFactor).GetProperties().Select(pr => pr.Name).Where(Names).ShouldBeEmpty();
        // The compiled scorer's facts about a person carry no characteristic either.
        typeof(RiskFactor).Assembly.GetTypes().Where(t => t.Namespace == "Waypoint.Features.Risk" && t.Name.Contains("Fact", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties().Select(pr => $"{t.Name}.{pr.Name}")).Where(n => Names(n.Split('.')[1])).ShouldBeEmpty();
    }

    [Fact]
    public async Task Scoring_PupilsAlikeButForTheirCharacteristics_ScoreTheSame()
    {
        var p = await TestPartnership.CreateAsync(app);
        var teacher = await p.UserAsync(p.School);
        var school = await app.SignInAsync(teacher);
        var api = await app.ApiClientAsync(teacher);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var scores = new List<string>();
        string[][] variants = [["Female", "WBRI", "N", "NotEligible"], ["Male", "BCRB", "E", "Eligible"], ["Unknown", "REFU", "K", "NotKnown"]];
        foreach (var (v, i) in variants.Select((v, i) => (v, i)))
        {
            var pupil = await p.YoungPersonAsync("Same", $"Record{i}{p.Suffix}", new DateOnly(2011, 2, 2), enrolledAt: p.School);
            await app.AsSystemAsync(async db =>
            {
                foreach (var days in new[] { 20, 40, 60 })
                    db.Suspensions.Add(new Suspension { PersonId = pupil.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = today.AddDays(-days), Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
                await db.SaveChangesAsync();
            });
            var before = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}/risk");
            (await school.PostFormAsync(Page(pupil.Id), Form(v[0], v[1], v[2], v[3]))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/people/{pupil.Id}/risk");
            var offending = after.GetProperty("score").GetProperty("offending").GetInt32();
            offending.ShouldBeGreaterThan(0);
            Scores(after).ShouldBe(Scores(before));
            scores.Add(Scores(after));
        }
        scores.Distinct().Count().ShouldBe(1);
    }

    private static string Scores(JsonElement risk) =>
        $"{risk.GetProperty("score").GetProperty("offending").GetInt32()} {risk.GetProperty("score").GetProperty("offendingBand")} / {risk.GetProperty("score").GetProperty("vulnerability").GetInt32()} {risk.GetProperty("score").GetProperty("vulnerabilityBand")}";

    private Task PublishAsync(IEnumerable<(OrganisationType Owner, OrganisationType Reader, string Category)> rules) =>
        TestAgreement.PublishAsync(app, rules);
}

public sealed class PupilCharacteristicsTestsOnSqlite(SqliteApp app) : PupilCharacteristicsTests(app), IClassFixture<SqliteApp>;

public sealed class PupilCharacteristicsTestsOnPostgres(PostgresApp app) : PupilCharacteristicsTests(app), IClassFixture<PostgresApp>;
