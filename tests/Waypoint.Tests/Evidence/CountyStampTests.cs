using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Dashboard;
using Waypoint.Features.Schools.Rules;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// Each county's dashboard is kept under its own exclusion stamp as well as the whole one: a write of
/// one county's pupils (on another instance of the app) leaves another county's kept figures served,
/// and is seen by its own county's dashboard and by the partnership's statistics; a school moved from
/// one county to the other (a change to the register) is seen by both. Every figure served equals the
/// figures read afresh.
/// </summary>
public abstract class CountyStampTests(WaypointApp app)
{
    [Fact]
    public async Task Dashboard_AWriteInOneCounty_LeavesAnotherCountyKept_ItsOwnCountyAndTheStatisticsAfresh_ASchoolMovedBetweenCountiesSeenByBoth()
    {
        var p = await TestPartnership.CreateAsync(app);
        var q = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = AcademicYear.Of(today);
        await using var other = ((WebApplicationFactory<Program>)app).WithWebHostBuilder(_ => { });
        async Task OnOtherAsync(Func<WaypointDbContext, Task> work)
        {
            await using var scope = other.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
            await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>());
        }
        Task SuspendAsync(Guid person, Guid school, DateOnly day) => OnOtherAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = person, SchoolId = school, Kind = ExclusionKind.Suspension, StartDate = day, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var inP = await p.YoungPersonAsync("County", $"One{p.Suffix}", new DateOnly(2012, 5, 5), enrolledAt: p.School);
        var inQ = await q.YoungPersonAsync("County", $"Two{q.Suffix}", new DateOnly(2012, 6, 6), enrolledAt: q.School);
        await SuspendAsync(inP.Id, p.School.Id, year.Start.AddDays(2));
        await SuspendAsync(inQ.Id, q.School.Id, year.Start.AddDays(3));
        await SuspendAsync(inQ.Id, q.OtherSchool.Id, year.Start.AddDays(4));

        Task<ExclusionFigures> Every(TestPartnership x) => app.AsSystemAsync((db, _) => ExclusionFigures.KeptAsync(db, x.Hub.AreaId, today, null, _ => true, CancellationToken.None));
        Task<ExclusionFigures> Own(TestPartnership x) => app.AsSystemAsync((db, _) => ExclusionFigures.KeptAsync(db, x.Hub.AreaId, today, [x.School.Id], id => id == x.School.Id, CancellationToken.None));
        Task<PublishedTables> Statistics() => app.AsSystemAsync((db, _) => ExclusionStatistics.LoadAsync(db, year.StartYear, today, 0, CancellationToken.None));
        async Task<string> Fresh(TestPartnership x) =>
            await app.AsSystemAsync(async (db, _) => (await ExclusionFigures.LoadAsync(db, x.Hub.AreaId, today, null, CancellationToken.None)).Build(today, _ => true).ToCsv());
        static int Total(ExclusionFigures f) => f.ToDate.SuspensionsThisYear;

        var keptP = (Every: await Every(p), Own: await Own(p));
        var keptQ = await Every(q);
        var statistics = await Statistics();
        (await Every(p)).ShouldBeSameAs(keptP.Every, "nothing changed");
        (await Every(q)).ShouldBeSameAs(keptQ, "nothing changed");
        (await Statistics()).ShouldBeSameAs(statistics, "nothing changed");

        // Manual entry in county Q: P stays kept, Q and the statistics are read afresh.
        await SuspendAsync(inQ.Id, q.School.Id, today);
        (await Every(p)).ShouldBeSameAs(keptP.Every, "a write in another county leaves this one's dashboard kept");
        (await Own(p)).ShouldBeSameAs(keptP.Own, "a write in another county leaves this one's dashboard kept");
        var nowQ = await Every(q);
        nowQ.ShouldNotBeSameAs(keptQ, "a write in the county is seen by its dashboard");
        Total(nowQ).ShouldBe(Total(keptQ) + 1);
        nowQ.ToCsv().ShouldBe(await Fresh(q));
        (await Every(p)).ToCsv().ShouldBe(await Fresh(p));
        var nowStatistics = await Statistics();
        nowStatistics.ShouldNotBeSameAs(statistics, "the statistics count every county");
        keptQ = nowQ;

        // A correction in county P: P afresh, Q kept.
        await OnOtherAsync(async db =>
        {
            var row = await db.Suspensions.Where(s => s.PersonId == inP.Id && s.SchoolId == p.School.Id).SingleAsync();
            row.Outcome = ExclusionOutcome.Withdrawn;
            await db.SaveChangesAsync();
        });
        (await Every(q)).ShouldBeSameAs(keptQ, "a correction in another county leaves this one's dashboard kept");
        var nowP = await Every(p);
        nowP.ShouldNotBeSameAs(keptP.Every, "a correction in the county is seen by its dashboard");
        Total(nowP).ShouldBe(Total(keptP.Every) - 1);
        nowP.ToCsv().ShouldBe(await Fresh(p));
        (await Own(p)).ToCsv().ShouldNotBe(keptP.Own.ToCsv());
        (await Statistics()).ShouldNotBeSameAs(nowStatistics, "the statistics count every county");
        keptP = (nowP, await Own(p));

        // Q's second school moved into a ward of P (the register's save): both counties' dashboards afresh, each equal to a fresh read.
        await OnOtherAsync(async db =>
        {
            (await db.Organisations.SingleAsync(o => o.Id == q.OtherSchool.Id)).AreaId = p.Ward.Id;
            await db.SaveChangesAsync();
        });
        var movedP = await Every(p);
        var movedQ = await Every(q);
        movedP.ShouldNotBeSameAs(keptP.Every, "a school moved into the county");
        movedQ.ShouldNotBeSameAs(keptQ, "a school moved out of the county");
        movedP.ToCsv().ShouldBe(await Fresh(p));
        movedQ.ToCsv().ShouldBe(await Fresh(q));
        movedP.Schools.Select(s => s.Group).ShouldContain(q.OtherSchool.Name);
        movedQ.Schools.Select(s => s.Group).ShouldNotContain(q.OtherSchool.Name);
        Total(movedP).ShouldBe(Total(keptP.Every) + 1);
        Total(movedQ).ShouldBe(Total(keptQ) - 1);
    }

    /// <summary>
    /// The statistics count every county, but read their school rows a county at a time: a write in county X
    /// reads X's rows again and keeps county Y's (the same rows, not read), and the tables built then hold X's
    /// write: they equal the tables built from every school read afresh, one read at a time.
    /// </summary>
    [Fact]
    public async Task Statistics_AWriteInOneCounty_ReadsThatCountyAgain_KeepsTheOther_AndAreNeverStale()
    {
        var x = await TestPartnership.CreateAsync(app);
        var y = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var year = AcademicYear.Of(today);
        await using var other = ((WebApplicationFactory<Program>)app).WithWebHostBuilder(_ => { });
        async Task SuspendAsync(Guid person, Guid school, DateOnly day)
        {
            await using var scope = other.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
            var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
            db.Suspensions.Add(new Suspension { PersonId = person, SchoolId = school, Kind = ExclusionKind.Suspension, StartDate = day, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }
        var inX = await x.YoungPersonAsync("Stats", $"Ex{x.Suffix}", new DateOnly(2012, 5, 5), enrolledAt: x.School);
        var inY = await y.YoungPersonAsync("Stats", $"Why{y.Suffix}", new DateOnly(2012, 6, 6), enrolledAt: y.School);
        await SuspendAsync(inX.Id, x.School.Id, year.Start.AddDays(2));
        await SuspendAsync(inY.Id, y.School.Id, year.Start.AddDays(3));

        async Task<(StatisticsByCounty.Part X, StatisticsByCounty.Part Y)> Parts()
        {
            var parts = await app.AsSystemAsync((db, _) => StatisticsByCounty.PartsAsync(db, year.StartYear, today, CancellationToken.None));
            parts.ShouldNotBeNull("the to-date rollup answers for today");
            return (parts.Single(p => p.County == x.County.Id), parts.Single(p => p.County == y.County.Id));
        }
        Task<PublishedTables> Statistics() => app.AsSystemAsync((db, _) => ExclusionStatistics.LoadAsync(db, year.StartYear, today, 0, CancellationToken.None));
        // Every school read afresh, one read at a time (no part kept or read by county).
        Task<string> Fresh() => app.AsSystemAsync(async (db, _) =>
        {
            var input = new StatisticsInput(year.StartYear, today, 0, await ExclusionStatistics.AreaNameAsync(db, CancellationToken.None),
                await ExclusionStatistics.SchoolsAsync(db, CancellationToken.None), [], await ExclusionStatistics.PupilsAsync(db, year.StartYear, CancellationToken.None),
                await ExclusionStatistics.HeadcountsAsync(db, year.StartYear, CancellationToken.None), []);
            return ExclusionStatistics.Build(input, await ExclusionStatistics.SumsAsync(db, year, today, CancellationToken.None),
                await ExclusionStatistics.PriorAsync(db, year.StartYear, CancellationToken.None)).ToCsv();
        });
        var before = await Parts();
        var statistics = await Statistics();
        (await Parts()).X.ShouldBeSameAs(before.X, "nothing changed");
        (await Parts()).Y.ShouldBeSameAs(before.Y, "nothing changed");
        before.X.Cells.Sum(c => c.Suspensions).ShouldBe(1);

        // Manual entry in county X (another instance): X's rows read again, Y's kept, the tables hold the write.
        await SuspendAsync(inX.Id, x.School.Id, today);
        var after = await Parts();
        after.Y.ShouldBeSameAs(before.Y, "a write in another county leaves this county's rows kept");
        after.X.ShouldNotBeSameAs(before.X, "a write in the county reads its rows again");
        after.X.Cells.Sum(c => c.Suspensions).ShouldBe(2);
        var now = await Statistics();
        now.ShouldNotBeSameAs(statistics, "the tables count every county");
        now.ToCsv().ShouldBe(await Fresh(), "the county's write is in the tables at once");

        // And the other way round: a write in Y reads Y again and keeps X's new rows.
        await SuspendAsync(inY.Id, y.School.Id, today);
        var third = await Parts();
        third.X.ShouldBeSameAs(after.X, "a write in another county leaves this county's rows kept");
        third.Y.ShouldNotBeSameAs(after.Y);
        third.Y.Cells.Sum(c => c.Suspensions).ShouldBe(2);
        (await Statistics()).ToCsv().ShouldBe(await Fresh());
    }
}

[Collection(Waypoint.Tests.Schools.KeptDashboardFigures.Name)]
public sealed class CountyStampTestsOnSqlite(SqliteApp app) : CountyStampTests(app), IClassFixture<SqliteApp>;

[Collection(Waypoint.Tests.Schools.KeptDashboardFigures.Name)]
public sealed class CountyStampTestsOnPostgres(PostgresApp app) : CountyStampTests(app), IClassFixture<PostgresApp>;
