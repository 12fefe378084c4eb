using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Audit;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>A clock a test can move: the archive tests write months of audit in seconds.</summary>
public sealed class MovableClock : TimeProvider
{
    public TimeSpan Offset { get; set; }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    public void MonthsAgo(int months)
    {
        var now = System.GetUtcNow();
        Offset = now.AddMonths(-months) - now;
    }
}

/// <summary>An app of its own per test (archiving changes the whole log), started 15 months ago by its clock.</summary>
public sealed class AuditArchiveApp(DatabaseKind kind) : WaypointApp(kind)
{
    public MovableClock Clock { get; } = CreateClock();

    private static MovableClock CreateClock()
    {
        var clock = new MovableClock();
        clock.MonthsAgo(15);
        return clock;
    }

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Audit:AnchorInterval", "01:00:00"),
        new("Audit:KeepLiveMonths", "1"),
        new("Audit:ArchiveRunAt", "off"),
        new("Retention:DailyRunAt", "off"),
    ];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    public static async Task<AuditArchiveApp> StartAsync(DatabaseKind kind)
    {
        var app = new AuditArchiveApp(kind);
        await app.InitializeAsync();
        return app;
    }
}

/// <summary>
/// Issue 16, item 6: whole months of the audit log move to a sealed archive, so the live table
/// stays the size of the months in use; archived months still verify, can be searched, and are
/// disposed of under the audit's retention schedule, leaving their seal and a chained record.
/// </summary>
public abstract class AuditArchiveTests(DatabaseKind kind)
{
    [Fact]
    public async Task Archive_MonthsPastTheWindow_MovedSealedAndStillVerified()
    {
        await using var app = await AuditArchiveApp.StartAsync(kind);
        var person = Guid.NewGuid();
        await WriteAsync(app, person, 5);
        app.Clock.MonthsAgo(14);
        await WriteAsync(app, person, 3);
        app.Clock.MonthsAgo(0);
        await WriteAsync(app, person, 2);
        var before = await app.AsSystemAsync((db, _) => db.AuditEntries.LongCountAsync());
        var oldCutoff = ArchiveCutoff(app);
        var old = await app.AsSystemAsync((db, _) => db.AuditEntries.LongCountAsync(a => a.OccurredAt < oldCutoff));

        var run = await app.Services.GetRequiredService<AuditArchiver>().ArchiveAsync(Reader.System);

        run.Archived.Count.ShouldBe(2);
        run.Entries.ShouldBe(old);
        var (live, archived, periods, stale) = await app.AsSystemAsync(async (db, _) => (
            await db.AuditEntries.LongCountAsync(), await db.AuditArchive.LongCountAsync(),
            await db.AuditPeriods.OrderBy(p => p.FirstId).ToListAsync(), await db.AuditEntries.AnyAsync(a => a.OccurredAt < oldCutoff)));
        stale.ShouldBeFalse();
        archived.ShouldBe(old);
        live.ShouldBe(before - old + 2); // two archive entries, one a month, recorded in the chain
        periods.Sum(p => p.Count).ShouldBe(old);
        periods[1].PreviousHash.ShouldBe(periods[0].LastHash);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject.StartsWith("audit.archive ")))).ShouldBe(2);

        var check = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        check.IsIntact.ShouldBeTrue(check.Problem);
        check.ArchivedEntries.ShouldBe(old);
        check.EntriesChecked.ShouldBe(old + live);
        check.PeriodsArchived.ShouldBe(2);

        // Who looked at the person is still found, from the archive, when the DPO asks for it.
        var criteria = new AuditCriteria(person, null, null, null, null, null, null);
        (await app.AsSystemAsync((db, _) => AuditSearch.Filter(db, criteria).CountAsync())).ShouldBe(2);
        (await app.AsSystemAsync((db, _) => AuditSearch.Filter(db, criteria with { IncludeArchived = true }).CountAsync())).ShouldBe(10);

        // Running again archives nothing more: the months left are in the live window.
        (await app.Services.GetRequiredService<AuditArchiver>().ArchiveAsync(Reader.System)).Archived.ShouldBeEmpty();
    }

    [Fact]
    public async Task ArchivedTables_ChangeOrDelete_RefusedByDatabase()
    {
        await using var app = await ArchivedAppAsync();
        var (liveId, archivedId, periodFirstId) = await app.AsSystemAsync(async (db, _) => (
            await db.AuditEntries.MinAsync(a => a.Id), await db.AuditArchive.MinAsync(a => a.Id), await db.AuditPeriods.Select(p => p.FirstId).FirstAsync()));

        // On SQLite as the app (triggers); on PostgreSQL as the owner, past the grants, so that the triggers themselves are tried.
        var statements = new[]
        {
            $"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {liveId}",
            $"UPDATE \"AuditArchive\" SET \"Basis\" = 'nothing to see' WHERE \"Id\" = {archivedId}",
            $"DELETE FROM \"AuditArchive\" WHERE \"Id\" = {archivedId}",
            $"UPDATE \"AuditPeriods\" SET \"Count\" = 1 WHERE \"FirstId\" = {periodFirstId}",
            $"DELETE FROM \"AuditPeriods\" WHERE \"FirstId\" = {periodFirstId}",
        };
        foreach (var sql in statements)
        {
            var refused = await Should.ThrowAsync<Exception>(() => AuditTampering.AsOwnerAsync(app, sql), sql);
            refused.Message.ShouldMatch("append-only|seal", sql);
        }
        var check = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        check.IsIntact.ShouldBeTrue(check.Problem);
    }

    [Fact]
    public async Task LiveDelete_CopyWithAnotherHashOrOutsideASealedMonthOrPartlyCopied_RefusedByDatabase()
    {
        await using var app = await ArchivedAppAsync();
        await WriteAsync(app, Guid.NewGuid(), 5);
        var live = await app.AsSystemAsync((db, _) => db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Id).Take(5).ToListAsync());
        live.Count.ShouldBe(5);
        const string columns = "\"Id\", \"OccurredAt\", \"UserId\", \"OrganisationId\", \"PersonId\", \"Action\", \"Subject\", \"Basis\", \"Channel\", \"PreviousHash\"";
        string Copy(long id, string hash) => $"INSERT INTO \"AuditArchive\" ({columns}, \"Hash\") SELECT {columns}, {hash} FROM \"AuditEntries\" WHERE \"Id\" = {id}";
        // What someone with the owner's connection but not the archiver could do: copies and a month that says it covers them.
        await AuditTampering.AsOwnerAsync(app, Copy(live[0], "'forged'"));
        await AuditTampering.AsOwnerAsync(app, Copy(live[1], "\"Hash\""));
        await AuditTampering.AsOwnerAsync(app, Copy(live[2], "\"Hash\""));
        await AuditTampering.AsOwnerAsync(app, Copy(live[4], "\"Hash\""));
        await AuditTampering.AsOwnerAsync(app, "INSERT INTO \"AuditPeriods\" (\"Id\", \"Month\", \"FirstId\", \"LastId\", \"Count\", \"PreviousHash\", \"LastHash\", \"ArchivedAt\", \"Seal\") " +
            $"VALUES ('{Guid.NewGuid()}', '1990-01-01', {live[0]}, {live[3]}, 4, 'a', 'b', '2026-01-01 00:00:00+00:00', 's')");

        foreach (var sql in new[]
        {
            $"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {live[0]}",
            $"DELETE FROM \"AuditEntries\" WHERE \"Id\" BETWEEN {live[2]} AND {live[3]}",
            $"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {live[4]}",
        })
        {
            var refused = await Should.ThrowAsync<Exception>(() => AuditTampering.AsOwnerAsync(app, sql), sql);
            refused.Message.ShouldContain("append-only", customMessage: sql);
        }
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => live.Contains(a.Id)))).ShouldBe(5, "every refused delete left its rows");

        // The guard lets through exactly an identical copy inside a sealed month.
        await AuditTampering.AsOwnerAsync(app, $"DELETE FROM \"AuditEntries\" WHERE \"Id\" BETWEEN {live[1]} AND {live[2]}");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => live.Contains(a.Id)))).ShouldBe(3);
    }

    [Fact]
    public async Task Verify_ArchivedEntryChanged_NamesIt()
    {
        await using var app = await ArchivedAppAsync();
        var target = await app.AsSystemAsync((db, _) => db.AuditArchive.OrderBy(a => a.Id).Skip(2).Select(a => a.Id).FirstAsync());

        await AuditTampering.WithoutArchiveTriggersAsync(app, db =>
            db.Database.ExecuteSqlAsync($"UPDATE \"AuditArchive\" SET \"Basis\" = 'nothing to see' WHERE \"Id\" = {target}"));

        var check = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        check.IsIntact.ShouldBeFalse();
        check.FirstBrokenId.ShouldBe(target);
        check.Problem!.ShouldContain("changed");
    }

    [Fact]
    public async Task Verify_LastArchivedEntryRemoved_NamesTheMonth()
    {
        await using var app = await ArchivedAppAsync();
        var period = await app.AsSystemAsync((db, _) => db.AuditPeriods.OrderBy(p => p.FirstId).FirstAsync());

        await AuditTampering.WithoutArchiveTriggersAsync(app, db =>
            db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditArchive\" WHERE \"Id\" = {period.LastId}"));

        var check = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        check.IsIntact.ShouldBeFalse();
        check.FirstBrokenId.ShouldBe(period.LastId);
        check.Problem!.ShouldContain(period.Label);
    }

    [Fact]
    public async Task Verify_MonthEmptiedWithoutRecordedDisposal_Broken()
    {
        await using var app = await ArchivedAppAsync();
        var period = await app.AsSystemAsync((db, _) => db.AuditPeriods.OrderBy(p => p.FirstId).FirstAsync());

        // What someone with the database but not the key could do: mark the month disposed and empty it.
        await AuditTampering.WithoutArchiveTriggersAsync(app, async db =>
        {
            await db.Database.ExecuteSqlAsync($"UPDATE \"AuditPeriods\" SET \"DisposedAt\" = {DateTimeOffset.UtcNow} WHERE \"FirstId\" = {period.FirstId}");
            return await db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditArchive\" WHERE \"Id\" >= {period.FirstId} AND \"Id\" <= {period.LastId}");
        });

        var check = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        check.IsIntact.ShouldBeFalse();
        check.FirstBrokenId.ShouldBe(period.FirstId);
        check.Problem!.ShouldContain("without a disposal recorded");
    }

    [Fact]
    public async Task Dispose_MonthPastRetention_EntriesGoneSealKeptChainVerifies()
    {
        await using var app = await ArchivedAppAsync();
        await app.AsSystemAsync(db => db.RetentionSchedules.Where(s => s.RecordType == RetentionRecordType.Audit)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Period, 1).SetProperty(x => x.Unit, RetentionUnit.Months)));
        var periods = await app.AsSystemAsync((db, _) => db.AuditPeriods.OrderBy(p => p.FirstId).ToListAsync());
        var archiver = app.Services.GetRequiredService<AuditArchiver>();

        var gone = await archiver.DisposeAsync(periods[0].Id, Reader.System);

        var (left, disposed, recorded) = await app.AsSystemAsync(async (db, _) => (
            await db.AuditArchive.LongCountAsync(), await db.AuditPeriods.SingleAsync(p => p.Id == gone.Id),
            await db.AuditEntries.CountAsync(a => a.Subject == gone.DisposalSubject && a.Action == AuditAction.Delete)));
        left.ShouldBe(periods[1].Count);
        disposed.DisposedAt.ShouldNotBeNull();
        disposed.Seal.ShouldBe(periods[0].Seal);
        recorded.ShouldBe(1);
        var check = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        check.IsIntact.ShouldBeTrue(check.Problem);
        check.DisposedEntries.ShouldBe(periods[0].Count);
        check.ArchivedEntries.ShouldBe(periods[1].Count);

        (await Should.ThrowAsync<AuditDisposalRefused>(() => archiver.DisposeAsync(periods[0].Id, Reader.System))).Message.ShouldContain("were disposed of");
    }

    [Fact]
    public async Task Dispose_BeforeDueOrUnderHold_RefusedAndNothingRemoved()
    {
        await using var app = await ArchivedAppAsync();
        var periods = await app.AsSystemAsync((db, _) => db.AuditPeriods.OrderBy(p => p.FirstId).ToListAsync());
        var archiver = app.Services.GetRequiredService<AuditArchiver>();

        // The seeded schedule keeps the audit seven years.
        (await Should.ThrowAsync<AuditDisposalRefused>(() => archiver.DisposeAsync(periods[0].Id, Reader.System))).Message.ShouldContain("kept until");

        await app.AsSystemAsync(async db =>
        {
            await db.RetentionSchedules.Where(s => s.RecordType == RetentionRecordType.Audit)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Period, 1).SetProperty(x => x.Unit, RetentionUnit.Months));
            db.LegalHolds.Add(new LegalHold { RecordType = RetentionRecordType.Audit, RecordId = periods[0].Id, Reason = "An inquiry into access in that month", PlacedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        (await Should.ThrowAsync<AuditDisposalRefused>(() => archiver.DisposeAsync(periods[0].Id, Reader.System))).Message.ShouldContain("legal hold");

        (await app.AsSystemAsync((db, _) => db.AuditArchive.LongCountAsync())).ShouldBe(periods.Sum(p => p.Count));
        (await app.AsSystemAsync((db, _) => db.AuditPeriods.AnyAsync(p => p.DisposedAt != null))).ShouldBeFalse();
    }

    [Fact]
    public async Task ArchivePages_Dpo_ArchivesThenDisposesWithConfirmation()
    {
        await using var app = await AuditArchiveApp.StartAsync(kind);
        await WriteAsync(app, Guid.NewGuid(), 4);
        app.Clock.MonthsAgo(0);
        await app.AsSystemAsync(db => db.RetentionSchedules.Where(s => s.RecordType == RetentionRecordType.Audit)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Period, 1).SetProperty(x => x.Unit, RetentionUnit.Months)));
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        var practitioner = await app.SignInAsync(await p.UserAsync(p.Hub));

        (await practitioner.GetAsync("/audit/archive")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await dpo.GetDocumentAsync("/audit/archive")).QuerySelector("#no-months").ShouldNotBeNull();

        var archived = await dpo.PostFormAsync("/audit/archive", []);
        archived.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await dpo.GetDocumentAsync("/audit/archive");
        page.QuerySelector(".govuk-notification-banner__heading")!.TextContent.ShouldContain("have been archived and sealed");
        var link = page.QuerySelector("#months a[href^='/audit/archive/dispose']")!.GetAttribute("href")!;

        var confirm = await dpo.GetDocumentAsync(link);
        confirm.QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        var disposed = await dpo.PostFormAsync(link, []);
        disposed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        disposed.LocationPath().ShouldBe("/audit/archive");
        var after = await dpo.GetDocumentAsync("/audit/archive");
        after.QuerySelector(".govuk-notification-banner__heading")!.TextContent.ShouldContain("have been disposed of");
        after.QuerySelector("#months")!.TextContent.ShouldContain("Disposed of");

        var verify = await dpo.PostFormAsync("/audit/verify", []);
        var shown = Clients.Parse(await verify.Content.ReadAsStringAsync());
        shown.QuerySelector("#verify-result")!.TextContent.ShouldContain("intact");
        shown.QuerySelector("#verify-archive")!.TextContent.ShouldContain("disposed of under the retention schedule");
    }

    /// <summary>An app whose log holds two archived months (15 and 14 months ago) and a live one.</summary>
    private async Task<AuditArchiveApp> ArchivedAppAsync()
    {
        var app = await AuditArchiveApp.StartAsync(kind);
        await WriteAsync(app, Guid.NewGuid(), 5);
        app.Clock.MonthsAgo(14);
        await WriteAsync(app, Guid.NewGuid(), 4);
        app.Clock.MonthsAgo(0);
        await WriteAsync(app, Guid.NewGuid(), 2);
        (await app.Services.GetRequiredService<AuditArchiver>().ArchiveAsync(Reader.System)).Archived.Count.ShouldBe(2);
        return app;
    }

    private static DateTimeOffset ArchiveCutoff(AuditArchiveApp app) =>
        new(app.Services.GetRequiredService<AuditArchiver>().FirstLiveMonth().ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>Reads of a person, recorded as a job records them (outside a request: appended at once), dated by the app's clock.</summary>
    private static async Task WriteAsync(WaypointApp app, Guid person, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        var trail = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        for (var i = 0; i < count; i++)
            await trail.RecordAsync(new AuditEvent(person, AuditAction.Read, "person", "archive test"));
    }
}

public sealed class AuditArchiveTestsOnSqlite() : AuditArchiveTests(DatabaseKind.Sqlite);

public sealed class AuditArchiveTestsOnPostgres() : AuditArchiveTests(DatabaseKind.Postgres);
