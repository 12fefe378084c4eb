using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The joint outcomes page keeps every area's suppressed reports of a year until the outcomes stamp
/// moves: while nothing changes the same reports are served, and a change to the summary (a case
/// closed, through the save's upkeep; a rebuild) is shown on the next read, never the kept figures.
/// </summary>
public abstract class OutcomesCacheTests(WaypointApp app)
{
    [Fact]
    public async Task OutcomesPage_KeptUntilTheSummaryChanges_ThenShowsTheNewFigures()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var closed = today.AddMonths(-13);
        var year = AcademicYear.Of(closed).StartYear;
        var closedAt = new DateTimeOffset(closed.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);
        var measure = new OutcomeMeasure { Name = $"Suspended {p.Suffix}", Rule = OutcomeRule.Suspensions, Threshold = 1, DefinedAt = DateTimeOffset.UtcNow };
        await app.AsSystemAsync(async db =>
        {
            db.OutcomeMeasures.Add(measure);
            await db.SaveChangesAsync();
        });
        await OutcomeCalculation.ReadyAsync(app, measure.Id);

        async Task CloseCasesAsync(int from, int count) => await app.AsSystemAsync(async db =>
        {
            for (var i = from; i < from + count; i++)
            {
                var child = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = $"Kept{i}",
                    FamilyName = $"Stamp{p.Suffix}",
                    DateOfBirth = new DateOnly(2011, 5, 5),
                    AreaId = p.Ward.Id,
                    OwnerOrganisationId = p.Hub.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.People.Add(child);
                db.Cases.Add(new Waypoint.Domain.Case
                {
                    PersonId = child.Id,
                    LeadOrganisationId = p.Youth.Id,
                    Level = TriageOutcome.EarlyHelp,
                    Status = CaseStatus.Closed,
                    OpenedAt = closedAt.AddMonths(-4),
                    ClosedAt = closedAt,
                    ClosureReason = CaseClosureReason.OutcomesMet,
                });
            }
            await db.SaveChangesAsync();
        });
        Task<OutcomesReport> ReadAsync() => app.AsSystemAsync((db, _) => OutcomesLinkedSuppression.LoadAsync(db, year, p.County.Id, today, CancellationToken.None));
        static string? Children(OutcomesReport r, Guid measureId) =>
            r.Periods[0].Measures.Single(m => m.MeasureId == measureId).Cells.Single(c => c.Group == JointOutcomes.EarlyHelp && c.Months == 6).Children.ToString();

        await CloseCasesAsync(0, 10);
        var first = await ReadAsync();
        Children(first, measure.Id).ShouldBe("10");
        (await ReadAsync()).ShouldBeSameAs(first, "nothing changed: the kept report is served");

        await CloseCasesAsync(10, 6); // the save's upkeep moves the stamp with the summary
        var after = await ReadAsync();
        after.ShouldNotBeSameAs(first);
        Children(after, measure.Id).ShouldBe("16");

        // A rebuild moves it too (the summary counted again from nothing gives the same figures, read afresh).
        await app.AsSystemAsync(async db =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            await OutcomeRollups.RebuildAsync(db, CancellationToken.None);
            await tx.CommitAsync();
        });
        var rebuilt = await ReadAsync();
        rebuilt.ShouldNotBeSameAs(after);
        Children(rebuilt, measure.Id).ShouldBe("16");
        (await ReadAsync()).ShouldBeSameAs(rebuilt);
    }
}

public sealed class OutcomesCacheTestsOnSqlite(SqliteApp app) : OutcomesCacheTests(app), IClassFixture<SqliteApp>;

public sealed class OutcomesCacheTestsOnPostgres(PostgresApp app) : OutcomesCacheTests(app), IClassFixture<PostgresApp>;
