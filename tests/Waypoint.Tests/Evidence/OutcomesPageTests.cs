using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>The joint outcomes framework over HTTP: the administrator defines measures (audited, confirmed before removal), analysts see before and after for early help against the comparison, as a page, a CSV and JSON; nobody is named.</summary>
public abstract class OutcomesPageTests(WaypointApp app)
{
    [Fact]
    public async Task Outcomes_MeasuresDefinedAndChildrenHelped_BeforeAndAfterForAnalystsOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var closed = today.AddMonths(-13);
        var opened = closed.AddMonths(-5);
        var openedAt = new DateTimeOffset(opened.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        var closedAt = new DateTimeOffset(closed.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        var year = AcademicYear.Of(closed);
        var officer = await p.UserAsync(p.Police);
        await app.AsSystemAsync(async db =>
        {
            Person Child(int i)
            {
                var child = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = $"Outcome{i}",
                    FamilyName = $"Meadow{p.Suffix}",
                    DateOfBirth = new DateOnly(2011, 5, 5),
                    AreaId = p.Ward.Id,
                    OwnerOrganisationId = p.Hub.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.People.Add(child);
                return child;
            }
            void Suspend(Person child, DateOnly on) => db.Suspensions.Add(new Suspension
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.Suspension,
                StartDate = on,
                Sessions = 2,
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            var n = 0;
            void Occurrence(Person child, OccurrenceRole role, DateOnly on)
            {
                var o = new Occurrence
                {
                    PoliceReference = $"O{p.Suffix}-{n++}",
                    OccurredOn = on,
                    IncidentType = IncidentType.AntisocialBehaviour,
                    OwnerOrganisationId = p.Police.Id,
                    CategoryCode = RecordCategories.PoliceGeneral,
                    RecordedByUserId = officer.Id,
                    RecordedAt = DateTimeOffset.UtcNow,
                };
                o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = child.Id, Role = role });
                db.Occurrences.Add(o);
            }
            for (var i = 0; i < 10; i++)
            {
                var child = Child(i);
                db.Cases.Add(new Waypoint.Domain.Case
                {
                    PersonId = child.Id,
                    LeadOrganisationId = p.Youth.Id,
                    Level = TriageOutcome.EarlyHelp,
                    Status = CaseStatus.Closed,
                    OpenedAt = openedAt,
                    ClosedAt = closedAt,
                    ClosureReason = CaseClosureReason.OutcomesMet,
                });
                if (i < 8)
                {
                    Suspend(child, opened.AddDays(-20));
                    Suspend(child, opened.AddDays(-10));
                }
                if (i < 5)
                {
                    Suspend(child, closed.AddDays(10));
                    Suspend(child, closed.AddDays(20));
                    for (var k = 1; k <= 3; k++)
                        Occurrence(child, OccurrenceRole.Victim, closed.AddDays(k * 7));
                }
                if (i == 9)
                    for (var k = 1; k <= 3; k++)
                        Occurrence(child, OccurrenceRole.Witness, closed.AddDays(k * 7)); // a witness is not police demand on the child
            }
            for (var i = 10; i < 16; i++)
            {
                var child = Child(i);
                db.Referrals.Add(new Referral
                {
                    PersonId = child.Id,
                    ReporterOrganisationId = p.School.Id,
                    AreaId = p.Ward.Id,
                    Categories = nameof(ConcernCategory.Other),
                    WhatIsKnown = "Not taken on",
                    ReportedAt = closedAt.AddDays(-1),
                    DecisionDueBy = closedAt,
                    Status = ReferralStatus.Decided,
                    Outcome = TriageOutcome.NoFurtherAction,
                    Rationale = "Below threshold",
                    DecidedAt = closedAt,
                });
            }
            await db.SaveChangesAsync();
        });

        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        const string Form = "/statistics/outcomes/measures";
        var bad = await admin.PostFormAsync($"{Form}?handler=Add", new() { ["Name"] = "", ["Rule"] = "Bogus", ["Threshold"] = "x" }, Form);
        var badPage = Clients.Parse(await bad.Content.ReadAsStringAsync());
        badPage.QuerySelector("#Name-error").ShouldNotBeNull();
        badPage.QuerySelector("#Rule-error").ShouldNotBeNull();
        var badThreshold = await admin.PostFormAsync($"{Form}?handler=Add", new() { ["Name"] = $"Bad {p.Suffix}", ["Rule"] = nameof(OutcomeRule.Suspensions), ["Threshold"] = "0" }, Form);
        Clients.Parse(await badThreshold.Content.ReadAsStringAsync()).QuerySelector("#Threshold-error")!.TextContent.ShouldContain("from 1 to 50");

        var suspensions = $"Repeat suspensions {p.Suffix}";
        var police = $"Police demand {p.Suffix}";
        var added = await admin.PostFormAsync($"{Form}?handler=Add", new() { ["Name"] = suspensions, ["Rule"] = nameof(OutcomeRule.Suspensions), ["Threshold"] = "2" }, Form);
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetStringAsync(Form)).ShouldContain($"Measure added: {suspensions}");
        (await admin.PostFormAsync($"{Form}?handler=Add", new() { ["Name"] = police, ["Rule"] = nameof(OutcomeRule.PoliceOccurrences), ["Threshold"] = "3" }, Form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var duplicate = await admin.PostFormAsync($"{Form}?handler=Add", new() { ["Name"] = suspensions.ToUpperInvariant(), ["Rule"] = nameof(OutcomeRule.PermanentExclusion) }, Form);
        Clients.Parse(await duplicate.Content.ReadAsStringAsync()).QuerySelector("#Name-error")!.TextContent.ShouldContain("already");
        await OutcomeCalculation.ReadyAsync(app);
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject.StartsWith("outcome measure ") && a.Action == Waypoint.Audit.AuditAction.Create));
        audited.ShouldBeGreaterThanOrEqualTo(2);

        var url = $"/statistics/outcomes?Year={year.StartYear}&District={p.County.Id}";
        var practitioner = await app.SignInAsync(await p.UserAsync(p.School));
        (await practitioner.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var analystUser = await p.UserAsync(p.Police, Roles.Analyst);
        var analyst = await app.SignInAsync(analystUser);
        (await analyst.GetAsync(Form)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var page = await analyst.GetAsync(url);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldNotContain($"Meadow{p.Suffix}");
        var doc = Clients.Parse(html);
        string Cell(string measure, string group, int months, string column) =>
            doc.QuerySelector($"table[data-measure='{measure}'][data-period='{year}'] tr[data-group='{group}'][data-months='{months}'] [{column}]")!.TextContent.Trim();
        Cell(suspensions, JointOutcomes.EarlyHelp, 6, "data-children").ShouldBe("10");
        Cell(suspensions, JointOutcomes.EarlyHelp, 6, "data-before").ShouldBe("8");
        Cell(suspensions, JointOutcomes.EarlyHelp, 6, "data-after").ShouldBe("5");
        Cell(suspensions, JointOutcomes.EarlyHelp, 6, "data-before-rate").ShouldStartWith("80.0 (");
        Cell(suspensions, JointOutcomes.EarlyHelp, 6, "data-change").ShouldStartWith("-30.0 (");
        Cell(suspensions, JointOutcomes.EarlyHelp, 12, "data-after").ShouldBe("5");
        Cell(suspensions, JointOutcomes.Comparison, 6, "data-children").ShouldBe("6");
        Cell(suspensions, JointOutcomes.Comparison, 6, "data-before").ShouldBe("0");
        Cell(suspensions, JointOutcomes.EarlyHelp, 6, "data-contrast").ShouldStartWith("-30.0 (");
        Cell(police, JointOutcomes.EarlyHelp, 6, "data-after").ShouldBe("5", "victims count as police demand, a witness does not");
        Cell(police, JointOutcomes.EarlyHelp, 6, "data-before").ShouldBe("0");
        doc.QuerySelector("svg[role='img'] title")!.TextContent.ShouldContain("before and after");

        var csv = await analyst.GetStringAsync($"/statistics/outcomes?handler=Csv&Year={year.StartYear}&District={p.County.Id}");
        csv.ShouldContain($"\"{year}\",\"{p.County.Name}\",\"{suspensions}\",\"2 or more suspensions (withdrawn ones do not count)\",\"{JointOutcomes.EarlyHelp}\",6,10,8,5,80.0,");
        csv.ShouldNotContain($"Meadow{p.Suffix}");

        var api = await app.ApiClientAsync(analystUser);
        var json = await api.GetAsync($"/api/v1/statistics/outcomes?year={year.StartYear}&area={p.County.Id}");
        json.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await json.Content.ReadAsStringAsync()).ShouldContain(suspensions);
        (await api.GetAsync("/api/v1/statistics/outcomes?year=1800")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);

        var errors = Clients.Parse(await analyst.GetStringAsync("/statistics/outcomes?Year=1800&District=nowhere"));
        errors.QuerySelector("#Year-error").ShouldNotBeNull();
        errors.QuerySelector("#District-error").ShouldNotBeNull();

        var policeId = await app.AsSystemAsync((db, _) => db.OutcomeMeasures.Where(m => m.Name == police).Select(m => m.Id).SingleAsync());
        (await admin.GetAsync($"/statistics/outcomes/measures/remove?id={Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var confirm = await admin.GetStringAsync($"/statistics/outcomes/measures/remove?id={policeId}");
        confirm.ShouldContain($"Remove {police} from the framework?");
        (await app.AsSystemAsync((db, _) => db.OutcomeMeasures.AnyAsync(m => m.Id == policeId))).ShouldBeTrue("asking is not removing");
        var removed = await admin.PostFormAsync($"/statistics/outcomes/measures/remove?id={policeId}", new(), $"/statistics/outcomes/measures/remove?id={policeId}");
        removed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetStringAsync(Form)).ShouldContain($"Measure removed: {police}");
        (await app.AsSystemAsync((db, _) => db.OutcomeMeasures.AnyAsync(m => m.Id == policeId))).ShouldBeFalse();

        var suggested = await admin.PostFormAsync($"{Form}?handler=Suggested", new(), Form);
        suggested.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetStringAsync(Form)).ShouldContain("suggested measure");
        (await app.AsSystemAsync((db, _) => db.OutcomeMeasures.CountAsync(m => m.Name == "Persistent absence"))).ShouldBe(1);
    }
}

public sealed class OutcomesPageTestsOnSqlite(SqliteApp app) : OutcomesPageTests(app), IClassFixture<SqliteApp>;

public sealed class OutcomesPageTestsOnPostgres(PostgresApp app) : OutcomesPageTests(app), IClassFixture<PostgresApp>;
