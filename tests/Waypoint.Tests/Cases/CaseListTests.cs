using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;
using Case = Waypoint.Domain.Case;

namespace Waypoint.Tests.Cases;

/// <summary>
/// The cases list (there was none): the cases the reader may see through the policy, counted
/// truly and paged at the edges, sorted by its column links, filtered, and exported as CSV and
/// XLSX with exactly the filtered list's rows, each child audited as exported.
/// </summary>
public abstract class CaseListTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private Task<Guid> CaseAsync(TestPartnership p, Person child, Organisation lead, TestUser by, Action<Case>? shape = null,
        Organisation? member = null, DateTimeOffset? lastEvent = null) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var now = DateTimeOffset.UtcNow;
            var @case = new Case { PersonId = child.Id, LeadOrganisationId = lead.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = now.AddDays(-40), OpenedByUserId = by.Id, NextReviewOn = Today.AddMonths(2) };
            shape?.Invoke(@case);
            db.Cases.Add(@case);
            db.Involvements.Add(new Involvement { PersonId = child.Id, OrganisationId = lead.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = @case.Id, Reason = "Leads the child's case", StartDate = Today.AddDays(-40), ReviewOn = Today.AddMonths(3), AddedByUserId = by.Id, AddedAt = now });
            if (member is not null)
            {
                var involvement = new Involvement { PersonId = child.Id, OrganisationId = member.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = @case.Id, Reason = "In the team around the family", StartDate = Today.AddDays(-40), ReviewOn = Today.AddMonths(3), AddedByUserId = by.Id, AddedAt = now };
                db.Involvements.Add(involvement);
                db.CaseMembers.Add(new CaseMember { CaseId = @case.Id, OrganisationId = member.Id, InvolvementId = involvement.Id, JoinedAt = now });
            }
            if (lastEvent is { } at)
                db.CaseEvents.Add(new CaseEvent { CaseId = @case.Id, Text = "Review held", ByUserId = by.Id, At = at });
            await db.SaveChangesAsync();
            return @case.Id;
        });

    private static List<string> Children(IHtmlDocument page) =>
        page.QuerySelectorAll("#case-list tbody tr td:first-child a").Select(a => a.TextContent.Trim()).ToList();

    private static string Range(IHtmlDocument page) => page.QuerySelector("#cases-range")!.TextContent.Trim();

    /// <summary>A CSV file parsed (not split on commas): its heading row first, then each row's fields.</summary>
    internal static List<string[]> Csv(byte[] bytes)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(bytes).TrimStart('\uFEFF')));
        using var csv = CsvReader.Create(stream, new CsvReaderOptions { Separator = ',', HasHeader = false }, leaveOpen: true);
        var rows = new List<string[]>();
        while (csv.Read())
            rows.Add(Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i)).ToArray());
        return rows;
    }

    [Fact]
    public async Task List_MoreThanAPage_CountsTrulyAndPagesToTheEdges()
    {
        var p = await TestPartnership.CreateAsync(app);
        var youth = await p.UserAsync(p.Youth);
        for (var i = 0; i < 27; i++)
        {
            var child = await p.YoungPersonAsync($"C{i:D2}", $"Paged{p.Suffix}", new DateOnly(2012, 1, 1));
            await CaseAsync(p, child, p.Youth, youth);
        }
        var client = await app.SignInAsync(youth);

        var first = await client.GetDocumentAsync("/cases?Sort=Name");
        var second = await client.GetDocumentAsync("/cases?Sort=Name&p=2");
        var beyond = await client.GetDocumentAsync("/cases?Sort=Name&p=99");
        var nonsense = await client.GetAsync("/cases?p=-4&Sort=Nope&Status=Sideways&OpenedFrom.Day=40");

        first.QuerySelector("#case-count")!.TextContent.ShouldBe("27 cases");
        Range(first).ShouldBe("Showing 1 to 25 of 27 cases");
        Children(first).Count.ShouldBe(25);
        first.QuerySelector("#case-pages .govuk-pagination__next a")!.GetAttribute("href")!.ShouldContain("p=2");
        Range(second).ShouldBe("Showing 26 to 27 of 27 cases");
        Children(second).ShouldBe([$"C25 Paged{p.Suffix}", $"C26 Paged{p.Suffix}"]);
        second.QuerySelector("#case-pages .govuk-pagination__next").ShouldBeNull();
        Children(first).Intersect(Children(second)).ShouldBeEmpty();
        Range(beyond).ShouldBe("Showing 26 to 27 of 27 cases");
        ((int)nonsense.StatusCode).ShouldBeLessThan(500);
    }

    [Fact]
    public async Task List_SortedByColumnLinks_OrdersAndSaysSoWithAriaSort()
    {
        var p = await TestPartnership.CreateAsync(app);
        var youth = await p.UserAsync(p.Youth);
        var now = DateTimeOffset.UtcNow;
        var amy = await p.YoungPersonAsync("Amy", $"Able{p.Suffix}", new DateOnly(2012, 1, 1));
        var bob = await p.YoungPersonAsync("Bob", $"Baker{p.Suffix}", new DateOnly(2012, 1, 1));
        var cat = await p.YoungPersonAsync("Cat", $"Cole{p.Suffix}", new DateOnly(2012, 1, 1));
        await CaseAsync(p, amy, p.Youth, youth, c => { c.OpenedAt = now.AddDays(-10); c.NextReviewOn = Today.AddDays(30); }, lastEvent: now.AddDays(-9));
        await CaseAsync(p, bob, p.Youth, youth, c => { c.OpenedAt = now.AddDays(-30); c.NextReviewOn = Today.AddDays(5); }, lastEvent: now.AddDays(-1));
        await CaseAsync(p, cat, p.Youth, youth, c => { c.OpenedAt = now.AddDays(-20); c.NextReviewOn = null; });
        var client = await app.SignInAsync(youth);
        string A(string n) => $"{n}{p.Suffix}";

        var byActivity = await client.GetDocumentAsync("/cases");
        Children(byActivity).ShouldBe([$"Bob {A("Baker")}", $"Amy {A("Able")}", $"Cat {A("Cole")}"]);
        byActivity.QuerySelector("th[aria-sort='descending'] a")!.TextContent.ShouldBe("Last activity");

        var byName = await client.GetDocumentAsync(byActivity.QuerySelector("#sort-name")!.GetAttribute("href")!);
        Children(byName).ShouldBe([$"Amy {A("Able")}", $"Bob {A("Baker")}", $"Cat {A("Cole")}"]);
        byName.QuerySelector("th[aria-sort='ascending'] a")!.TextContent.ShouldBe("Child");
        var byNameBack = await client.GetDocumentAsync(byName.QuerySelector("#sort-name")!.GetAttribute("href")!);
        Children(byNameBack).ShouldBe([$"Cat {A("Cole")}", $"Bob {A("Baker")}", $"Amy {A("Able")}"]);
        byNameBack.QuerySelector("th[aria-sort='descending'] a")!.TextContent.ShouldBe("Child");

        Children(await client.GetDocumentAsync("/cases?Sort=Opened")).ShouldBe([$"Amy {A("Able")}", $"Cat {A("Cole")}", $"Bob {A("Baker")}"]);
        Children(await client.GetDocumentAsync("/cases?Sort=Review")).ShouldBe([$"Bob {A("Baker")}", $"Amy {A("Able")}", $"Cat {A("Cole")}"]);
        Children(await client.GetDocumentAsync("/cases?Sort=Review&Order=Descending")).ShouldBe([$"Amy {A("Able")}", $"Bob {A("Baker")}", $"Cat {A("Cole")}"]);
    }

    [Fact]
    public async Task List_Filtered_ListsOnlyTheCasesThatMatch()
    {
        var p = await TestPartnership.CreateAsync(app);
        var youth = await p.UserAsync(p.Youth);
        var worker = await p.UserAsync(p.Youth);
        var now = DateTimeOffset.UtcNow;
        var early = await p.YoungPersonAsync("Eve", $"Early{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var targeted = await p.YoungPersonAsync("Tom", $"Targeted{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.OtherSchool);
        var late = await p.YoungPersonAsync("Lou", $"Late{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var closed = await p.YoungPersonAsync("Cy", $"Closed{p.Suffix}", new DateOnly(2012, 1, 1));
        var housingLed = await p.YoungPersonAsync("Hal", $"Housing{p.Suffix}", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        await CaseAsync(p, early, p.Youth, youth, c => { c.OpenedAt = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero); c.LeadPractitionerId = worker.Id; }, member: p.School);
        await CaseAsync(p, targeted, p.Youth, youth, c => { c.Level = TriageOutcome.TargetedSupport; c.NextReviewOn = Today.AddDays(3); }, member: p.School);
        await CaseAsync(p, late, p.Youth, youth, c => c.NextReviewOn = Today.AddDays(-2), member: p.School);
        await CaseAsync(p, closed, p.Youth, youth, c => { c.Status = CaseStatus.Closed; c.ClosedAt = now; });
        await CaseAsync(p, housingLed, p.Housing, youth, member: p.Youth);
        var client = await app.SignInAsync(youth);
        string A(string n) => $"{n}{p.Suffix}";

        Children(await client.GetDocumentAsync("/cases?Sort=Name")).ShouldBe([$"Eve {A("Early")}", $"Hal {A("Housing")}", $"Lou {A("Late")}", $"Tom {A("Targeted")}"]);
        Children(await client.GetDocumentAsync("/cases?Status=Closed")).ShouldBe([$"Cy {A("Closed")}"]);
        Children(await client.GetDocumentAsync("/cases?Status=All&Sort=Name")).Count.ShouldBe(5);
        Children(await client.GetDocumentAsync($"/cases?Lead={p.Housing.Id}")).ShouldBe([$"Hal {A("Housing")}"]);
        Children(await client.GetDocumentAsync("/cases?Level=TargetedSupport")).ShouldBe([$"Tom {A("Targeted")}"]);
        Children(await client.GetDocumentAsync("/cases?Review=Overdue")).ShouldBe([$"Lou {A("Late")}"]);
        Children(await client.GetDocumentAsync("/cases?Review=Due")).ShouldBe([$"Tom {A("Targeted")}"]);
        Children(await client.GetDocumentAsync("/cases?OpenedFrom.Day=10&OpenedFrom.Month=3&OpenedFrom.Year=2026&OpenedTo.Day=10&OpenedTo.Month=3&OpenedTo.Year=2026"))
            .ShouldBe([$"Eve {A("Early")}"]);
        // Mine: the youth service is in the team of the housing-led case; only the lead worker has its own service's case too.
        Children(await client.GetDocumentAsync("/cases?Mine=true")).ShouldBe([$"Hal {A("Housing")}"]);
        var workerClient = await app.SignInAsync(worker);
        Children(await workerClient.GetDocumentAsync("/cases?Mine=true&Sort=Name")).ShouldBe([$"Eve {A("Early")}", $"Hal {A("Housing")}"]);

        var reversed = await client.GetDocumentAsync("/cases?OpenedFrom.Day=11&OpenedFrom.Month=3&OpenedFrom.Year=2026&OpenedTo.Day=10&OpenedTo.Month=3&OpenedTo.Year=2026");
        reversed.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Opened to must be the same as or after opened from");
        reversed.QuerySelector("#case-list").ShouldBeNull();

        // The school filter reads the school's own enrolments: its user sees the three cases it is in the team of, and one is at the other school.
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        Children(await school.GetDocumentAsync($"/cases?School={p.School.Id}&Sort=Name")).ShouldBe([$"Eve {A("Early")}", $"Lou {A("Late")}"]);
    }

    [Fact]
    public async Task Export_FilteredList_HoldsExactlyThePageRowsNeutralisedAndAuditedAsExport()
    {
        var p = await TestPartnership.CreateAsync(app);
        var youth = await p.UserAsync(p.Youth);
        var formula = await p.YoungPersonAsync("=HYPERLINK(\"x\")", $"Formula{p.Suffix}", new DateOnly(2012, 1, 1));
        var plain = await p.YoungPersonAsync("Pat", $"Plain{p.Suffix}", new DateOnly(2012, 1, 1));
        var other = await p.YoungPersonAsync("Oli", $"Other{p.Suffix}", new DateOnly(2012, 1, 1));
        await CaseAsync(p, formula, p.Youth, youth, c => c.Level = TriageOutcome.TargetedSupport);
        await CaseAsync(p, plain, p.Youth, youth, c => c.Level = TriageOutcome.TargetedSupport);
        await CaseAsync(p, other, p.Youth, youth);
        var client = await app.SignInAsync(youth);

        var page = await client.GetDocumentAsync("/cases?Level=TargetedSupport&Sort=Name");
        var csvLink = page.QuerySelector("#case-exports a[href*='format=csv']")!.GetAttribute("href")!;
        var xlsxLink = page.QuerySelector("#case-exports a[href*='format=xlsx']")!.GetAttribute("href")!;
        var csvResponse = await client.GetAsync(csvLink);
        var xlsx = await client.GetByteArrayAsync(xlsxLink);

        csvResponse.StatusCode.ShouldBe(HttpStatusCode.OK);
        csvResponse.Content.Headers.ContentDisposition!.FileName.ShouldBe($"cases-{Today:yyyy-MM-dd}.csv");
        var csv = Csv(await csvResponse.Content.ReadAsByteArrayAsync());
        csv[0][0].ShouldBe("Child");
        csv.Skip(1).Select(r => r[0]).ShouldBe([$"'=HYPERLINK(\"x\") Formula{p.Suffix}", $"Pat Plain{p.Suffix}"]);
        Children(page).Count.ShouldBe(csv.Count - 1);
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        sheet.Select(r => r["Child"]?.ToString()).ShouldBe([$"'=HYPERLINK(\"x\") Formula{p.Suffix}", $"Pat Plain{p.Suffix}"]);
        sheet[0]["Level"].ShouldBe("Targeted support");
        var audit = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == youth.Id && a.Subject == "cases.export").ToListAsync());
        audit.Where(a => a.Action == AuditAction.Export).Select(a => a.PersonId).Distinct().ShouldBe([formula.Id, plain.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task ListAndExport_ReaderOfAnotherOrganisation_GetsNoneOfItsCases()
    {
        var p = await TestPartnership.CreateAsync(app);
        var youth = await p.UserAsync(p.Youth);
        var child = await p.YoungPersonAsync("Zed", $"Hidden{p.Suffix}", new DateOnly(2012, 1, 1));
        await CaseAsync(p, child, p.Youth, youth);
        var health = await app.SignInAsync(await p.UserAsync(p.Health));

        var page = await health.GetStringAsync("/cases?Status=All");
        var csv = Encoding.UTF8.GetString(await health.GetByteArrayAsync("/cases?Status=All&handler=Export&format=csv"));
        var options = await health.GetDocumentAsync("/cases");

        page.ShouldNotContain($"Hidden{p.Suffix}");
        csv.ShouldNotContain($"Hidden{p.Suffix}");
        options.QuerySelectorAll("#Lead option").Select(o => o.TextContent).ShouldNotContain(p.Youth.Name);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == child.Id && a.Action != AuditAction.Denied
            && db.Users.Any(u => u.Id == a.UserId && u.OrganisationId == p.Health.Id)))).ShouldBe(0);
    }

    [Fact]
    public async Task ActionsExport_CaseTheReaderMaySee_ListsItsActionsAuditedAsExport_OthersGetNotFound()
    {
        var w = await CaseWorld.OpenAsync(app);
        await app.AsSystemAsync(async db =>
        {
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "-1 call the school", OwnerOrganisationId = w.P.Youth.Id, DueOn = Today.AddDays(-1), CreatedAt = DateTimeOffset.UtcNow });
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Home visit", OwnerOrganisationId = w.P.Youth.Id, DueOn = Today.AddDays(7), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var lead = await app.SignInAsync(w.Lead);

        var casePage = await lead.GetDocumentAsync($"/cases/{w.CaseId}");
        var csv = Csv(await lead.GetByteArrayAsync(casePage.QuerySelector("#action-exports a[href*='format=csv']")!.GetAttribute("href")!));
        var xlsx = await lead.GetByteArrayAsync(casePage.QuerySelector("#action-exports a[href*='format=xlsx']")!.GetAttribute("href")!);
        var outsider = await app.SignInAsync(await w.P.UserAsync(w.P.Housing));
        var refused = await outsider.GetAsync($"/cases/{w.CaseId}?handler=ActionsExport&format=csv");

        csv[0].ShouldBe(["Child", "Action", "Owner", "Due by", "Status", "Overdue", "Goal", "Agreed on", "Done on"]);
        csv.Skip(1).Select(r => (r[1], r[5])).ShouldBe([("'-1 call the school", "Yes"), ("Home visit", "No")]);
        csv.Skip(1).ShouldAllBe(r => r[0] == $"{w.Child.GivenName} {w.Child.FamilyName}");
        var sheet = MiniExcel.Query(new MemoryStream(xlsx), useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        sheet.Select(r => r["Action"]?.ToString()).ShouldBe(["'-1 call the school", "Home visit"]);
        refused.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var audit = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == w.Child.Id && a.Subject == "case.actions.export").ToListAsync());
        audit.ShouldContain(a => a.UserId == w.Lead.Id && a.Action == AuditAction.Export);
        audit.ShouldContain(a => a.Action == AuditAction.Denied);
        audit.ShouldNotContain(a => a.Action == AuditAction.Export && a.UserId != w.Lead.Id);
    }
}

public sealed class CaseListTestsOnSqlite(SqliteApp app) : CaseListTests(app), IClassFixture<SqliteApp>;

public sealed class CaseListTestsOnPostgres(PostgresApp app) : CaseListTests(app), IClassFixture<PostgresApp>;
