using System.Text;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.MyWork;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.MyWork;

/// <summary>
/// My work lists a page of the open cases the reader may see (a county hub sees thousands), those they
/// lead first, with the count and the links to the other pages; the actions the soonest due, with how many
/// there are; the file has every case and action. Only the children a page shows are audited as listed (issue 18).
/// </summary>
public abstract class MyWorkPagingTests(WaypointApp app)
{
    [Fact]
    public async Task MyWork_MoreCasesThanAPage_PagesThemLedFirstAndCountsOnlyVisibleOnes()
    {
        var (w, led, others, hidden) = await ArrangeAsync();
        var client = await app.SignInAsync(w.Lead);

        var first = await client.GetDocumentAsync("/my-work");
        var second = await client.GetDocumentAsync("/my-work?p=2");
        var pastTheEnd = await client.GetDocumentAsync("/my-work?p=9");

        var firstIds = CaseIds(first);
        var secondIds = CaseIds(second);
        firstIds.Count.ShouldBe(IndexModel.PageSize);
        firstIds.Take(led.Count).ShouldBe(led, "the cases the reader leads first, newest first");
        secondIds.Count.ShouldBe(led.Count + others.Count - IndexModel.PageSize);
        firstIds.Concat(secondIds).ShouldBe(firstIds.Concat(secondIds).Distinct(), "no case on both pages");
        firstIds.Concat(secondIds).Order().ShouldBe(led.Concat(others).Order(), "every visible open case, none the reader may not see");
        firstIds.Concat(secondIds).ShouldNotContain(id => hidden.Contains(id));
        var total = led.Count + others.Count;
        first.QuerySelector("#my-cases-count")!.TextContent.ShouldContain($"{total} open cases");
        first.QuerySelector("#my-cases-count")!.TextContent.ShouldContain($"showing 1 to {IndexModel.PageSize}");
        first.QuerySelector("#my-cases-pages a[rel='next']")!.GetAttribute("href").ShouldBe("/my-work?p=2");
        second.QuerySelector("#my-cases-count")!.TextContent.ShouldContain($"showing {IndexModel.PageSize + 1} to {total}");
        second.QuerySelector("#my-cases-pages a[rel='next']").ShouldBeNull();
        CaseIds(pastTheEnd).ShouldBe(secondIds, "a page past the end shows the last page");
    }

    [Fact]
    public async Task MyWork_FirstPage_AuditsTheChildrenItListsAndNotTheNextPages()
    {
        var (w, _, _, _) = await ArrangeAsync();
        var client = await app.SignInAsync(w.Lead);

        var listed = CaseIds(await client.GetDocumentAsync("/my-work"));

        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == w.Lead.Id && a.Subject == "my-work" && a.PersonId != null).Select(a => a.PersonId!.Value).ToListAsync());
        var children = await app.AsSystemAsync((db, _) => db.Cases.Where(c => listed.Contains(c.Id)).Select(c => c.PersonId).ToListAsync());
        audited.Order().ShouldBe(children.Order());
    }

    [Fact]
    public async Task MyWorkExport_MoreCasesThanAPage_HasEveryCase()
    {
        var (w, led, others, _) = await ArrangeAsync();
        var client = await app.SignInAsync(w.Lead);

        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/my-work?handler=Export&format=csv"));

        var lines = text.Split('\n');
        lines.Count(l => l.StartsWith("Case you lead,", StringComparison.Ordinal)).ShouldBe(led.Count);
        lines.Count(l => l.StartsWith("Case,", StringComparison.Ordinal)).ShouldBe(others.Count);
    }

    [Fact]
    public async Task MyWork_MoreActionsThanShown_ListsTheSoonestAndSaysHowMany()
    {
        var w = await CaseWorld.OpenAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var count = IndexModel.ActionsShown + 5;
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < count; i++)
                db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = $"Visit {i:00}", OwnerOrganisationId = w.P.Youth.Id, DueOn = today.AddDays(i - 2), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(w.Lead);

        var page = await client.GetDocumentAsync("/my-work");
        var file = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/my-work?handler=Export&format=csv"));

        page.QuerySelectorAll("#my-actions tbody tr").Length.ShouldBe(IndexModel.ActionsShown);
        page.QuerySelector("#my-actions tbody tr")!.TextContent.ShouldContain("Visit 00");
        page.QuerySelector("#my-actions-count")!.TextContent.ShouldBe($"The {IndexModel.ActionsShown} soonest due of {count} open actions (2 overdue); the download has them all");
        file.Split('\n').Count(l => l.StartsWith("Action,", StringComparison.Ordinal)).ShouldBe(count);
    }

    private static List<Guid> CaseIds(AngleSharp.Dom.IDocument page) =>
        page.QuerySelectorAll("#my-cases a").Select(a => Guid.Parse(a.GetAttribute("href")!["/cases/".Length..])).ToList();

    /// <summary>
    /// The youth service's practitioner leads 3 open cases (opened earliest) of the 31 open cases the youth service leads
    /// (CaseWorld's and 30 more), and may not see 2 the health service leads; one more led by the youth service is closed.
    /// </summary>
    private async Task<(CaseWorld W, List<Guid> Led, List<Guid> Others, List<Guid> Hidden)> ArrangeAsync()
    {
        var w = await CaseWorld.OpenAsync(app);
        var p = w.P;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var children = new List<Person>();
        for (var i = 0; i < 33; i++)
            children.Add(await p.YoungPersonAsync($"Page{i}", $"Work{p.Suffix}", new DateOnly(2012, 1, 1).AddDays(i), enrolledAt: p.School));
        var (led, others, hidden) = (new List<(Guid Id, DateTimeOffset At)>(), new List<(Guid Id, DateTimeOffset At)>(), new List<Guid>());
        var opened = await app.AsSystemAsync((db, _) => db.Cases.Where(c => c.Id == w.CaseId).Select(c => c.OpenedAt).FirstAsync());
        others.Add((w.CaseId, opened));
        await app.AsSystemAsync(async db =>
        {
            var start = DateTimeOffset.UtcNow.AddDays(-60);
            for (var i = 0; i < children.Count; i++)
            {
                var organisation = i is >= 30 and < 32 ? p.Health.Id : p.Youth.Id;
                Guid? lead = i < 3 ? w.Lead.Id : null;
                var status = i == 32 ? CaseStatus.Closed : CaseStatus.Open;
                var at = start.AddDays(i);
                var caseId = Guid.CreateVersion7();
                db.Cases.Add(new Domain.Case { Id = caseId, PersonId = children[i].Id, LeadOrganisationId = organisation, LeadPractitionerId = lead, Level = TriageOutcome.EarlyHelp, Status = status, OpenedAt = at, OpenedByUserId = w.Lead.Id, ClosedAt = status == CaseStatus.Closed ? at.AddDays(1) : null, ClosureReason = status == CaseStatus.Closed ? CaseClosureReason.OutcomesMet : null });
                db.Involvements.Add(new Involvement { PersonId = children[i].Id, OrganisationId = organisation, Source = InvolvementSource.TeamAroundFamily, SourceId = caseId, Reason = "Leads the child's case", StartDate = today, ReviewOn = today.AddMonths(3), AddedByUserId = w.Lead.Id, AddedAt = at });
                if (organisation == p.Health.Id)
                    hidden.Add(caseId);
                else if (status == CaseStatus.Open)
                    (lead is null ? others : led).Add((caseId, at));
            }
            await db.SaveChangesAsync();
        });
        return (w, Newest(led), Newest(others), hidden);
    }

    private static List<Guid> Newest(List<(Guid Id, DateTimeOffset At)> cases) => cases.OrderByDescending(c => c.At).ThenByDescending(c => c.Id).Select(c => c.Id).ToList();
}

public sealed class MyWorkPagingTestsOnSqlite(SqliteApp app) : MyWorkPagingTests(app), IClassFixture<SqliteApp>;

public sealed class MyWorkPagingTestsOnPostgres(PostgresApp app) : MyWorkPagingTests(app), IClassFixture<PostgresApp>;
