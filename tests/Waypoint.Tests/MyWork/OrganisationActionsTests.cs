using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.MyWork;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.MyWork;

/// <summary>
/// My work's and home's organisation actions walk the actions soonest first and put their cases to
/// the Case filter a batch at a time, stopping once the list is full and the count has passed its
/// bound (issue 18). What they list and count must be exactly what the filtered query gives, up to the
/// bound, however the visible and invisible cases fall among the batches.
/// </summary>
public abstract class OrganisationActionsTests(WaypointApp app)
{
    [Fact]
    public async Task Load_InvisibleCasesDueFirst_ListsAndCountsOnlyWhatTheCaseFilterLetsThrough()
    {
        var (w, today) = await ArrangeAsync();
        var lead = w.Lead;

        var (expected, all, bounded) = await app.AsUserAsync(lead, async (db, _) =>
        {
            // The oracle: the same actions through the CaseAction filter (the Case filter inside it), soonest first.
            var expected = await db.CaseActions.AsNoTracking()
                .Where(a => a.OwnerOrganisationId == lead.OrganisationId && a.Status == CaseActionStatus.Open && db.Cases.Any(c => c.Id == a.CaseId && c.Status == CaseStatus.Open))
                .OrderBy(a => a.DueOn).ThenBy(a => a.Id).Select(a => new { a.Description, a.DueOn }).ToListAsync();
            var all = await OrganisationActionsQuery.LoadAsync(db, today, 10, default, countUpTo: 100);
            var bounded = await OrganisationActionsQuery.LoadAsync(db, today, 2, default, countUpTo: 3);
            return (expected, all, bounded);
        });

        expected.Count.ShouldBe(6, "three visible cases with two open actions each");
        all.Soonest.Select(a => a.Description).ShouldBe(expected.Select(e => e.Description));
        all.Open.ShouldBe(6);
        all.Overdue.ShouldBe(expected.Count(e => e.DueOn < today));
        all.MoreThanCounted.ShouldBeFalse();
        all.Soonest.ShouldAllBe(a => !a.Description.StartsWith("Hidden"));
        all.Soonest.Select(a => a.Child).Distinct().Count().ShouldBe(3);

        bounded.Soonest.Select(a => a.Description).ShouldBe(expected.Take(2).Select(e => e.Description));
        bounded.Open.ShouldBe(4, "counted to one past the bound of 3");
        bounded.MoreThanCounted.ShouldBeTrue();
    }

    [Fact]
    public async Task Load_MoreInvisibleActionsDueFirstThanTheFirstChunk_ReadsOnAndListsWhatTheCaseFilterLetsThrough()
    {
        var (w, today) = await ArrangeAsync();
        var lead = w.Lead;
        // Twenty more actions on a case the youth service may not see, due before all the others: more than the walk's first
        // chunk (a quarter more than wanted, and eight), so the visible ones are reached only in a later, larger chunk.
        await app.AsSystemAsync(async db =>
        {
            var hidden = await db.Cases.Where(c => c.LeadOrganisationId == w.P.Health.Id && c.Status == CaseStatus.Open
                && db.People.Any(p => p.Id == c.PersonId && p.FamilyName == $"Actions{w.P.Suffix}")).Select(c => c.Id).FirstAsync();
            for (var i = 0; i < 20; i++)
                db.CaseActions.Add(new CaseAction { CaseId = hidden, Description = $"Hidden early {i}", OwnerOrganisationId = w.P.Youth.Id, DueOn = today.AddDays(-40 + i), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });

        var (expected, bounded) = await app.AsUserAsync(lead, async (db, _) =>
        {
            var expected = await db.CaseActions.AsNoTracking()
                .Where(a => a.OwnerOrganisationId == lead.OrganisationId && a.Status == CaseActionStatus.Open && db.Cases.Any(c => c.Id == a.CaseId && c.Status == CaseStatus.Open))
                .OrderBy(a => a.DueOn).ThenBy(a => a.Id).Select(a => new { a.Description, a.DueOn }).ToListAsync();
            return (expected, await OrganisationActionsQuery.LoadAsync(db, today, 2, default, countUpTo: 3));
        });

        expected.Count.ShouldBe(6);
        bounded.Soonest.Select(a => a.Description).ShouldBe(expected.Take(2).Select(e => e.Description));
        bounded.Open.ShouldBe(4, "counted to one past the bound of 3");
        bounded.Overdue.ShouldBe(expected.Take(4).Count(e => e.DueOn < today));
        bounded.MoreThanCounted.ShouldBeTrue();
    }

    [Fact]
    public async Task Home_MoreActionsThanTheFigureShows_SaysOneHundredPlus()
    {
        var w = await CaseWorld.OpenAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < Features.IndexModel.FigureBound + 5; i++)
                db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = $"Visit {i}", OwnerOrganisationId = w.P.Youth.Id, DueOn = today.AddDays(i - 2), CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });

        var home = await (await app.SignInAsync(w.Lead)).GetDocumentAsync("/");

        var figure = home.QuerySelector("#actions-figure")!.TextContent;
        figure.ShouldContain($"{Features.IndexModel.FigureBound}+");
        figure.ShouldContain("2 overdue");
    }

    /// <summary>
    /// The youth service leads three cases (two open actions each, due later) and owns the soonest-due
    /// actions on four cases the health service leads, which the youth service may not see.
    /// </summary>
    private async Task<(CaseWorld W, DateOnly Today)> ArrangeAsync()
    {
        var w = await CaseWorld.OpenAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var p = w.P;
        var visibleCases = new List<Guid> { w.CaseId };
        var hiddenCases = new List<Guid>();
        var children = new List<Person>();
        for (var i = 0; i < 6; i++)
            children.Add(await p.YoungPersonAsync($"Walk{i}", $"Actions{p.Suffix}", new DateOnly(2012, 3, 1 + i), enrolledAt: p.School));
        await app.AsSystemAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < children.Count; i++)
            {
                var visible = i < 2;
                var caseId = Guid.CreateVersion7();
                db.Cases.Add(new Domain.Case { Id = caseId, PersonId = children[i].Id, LeadOrganisationId = visible ? p.Youth.Id : p.Health.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = now, OpenedByUserId = w.Lead.Id });
                db.Involvements.Add(new Involvement { PersonId = children[i].Id, OrganisationId = visible ? p.Youth.Id : p.Health.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = caseId, Reason = "Leads the child's case", StartDate = today, ReviewOn = today.AddMonths(3), AddedByUserId = w.Lead.Id, AddedAt = now });
                (visible ? visibleCases : hiddenCases).Add(caseId);
            }
            // Hidden first (overdue), then one more hidden among the visible ones.
            var due = -10;
            foreach (var hidden in hiddenCases.Take(3))
                db.CaseActions.Add(new CaseAction { CaseId = hidden, Description = $"Hidden {due}", OwnerOrganisationId = p.Youth.Id, DueOn = today.AddDays(due++), CreatedAt = now });
            foreach (var visible in visibleCases)
            {
                db.CaseActions.Add(new CaseAction { CaseId = visible, Description = $"Shown {due}", OwnerOrganisationId = p.Youth.Id, DueOn = today.AddDays(due++), CreatedAt = now });
                db.CaseActions.Add(new CaseAction { CaseId = hiddenCases[3], Description = $"Hidden {due}", OwnerOrganisationId = p.Youth.Id, DueOn = today.AddDays(due++), CreatedAt = now });
                db.CaseActions.Add(new CaseAction { CaseId = visible, Description = $"Shown {due}", OwnerOrganisationId = p.Youth.Id, DueOn = today.AddDays(due++), CreatedAt = now });
            }
            // Done, and another organisation's: neither counted.
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Hidden done", OwnerOrganisationId = p.Youth.Id, DueOn = today.AddDays(-20), Status = CaseActionStatus.Done, CreatedAt = now });
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Hidden health's", OwnerOrganisationId = p.Health.Id, DueOn = today.AddDays(-20), CreatedAt = now });
            await db.SaveChangesAsync();
        });
        return (w, today);
    }
}

public sealed class OrganisationActionsTestsOnSqlite(SqliteApp app) : OrganisationActionsTests(app), IClassFixture<SqliteApp>;

public sealed class OrganisationActionsTestsOnPostgres(PostgresApp app) : OrganisationActionsTests(app), IClassFixture<PostgresApp>;
