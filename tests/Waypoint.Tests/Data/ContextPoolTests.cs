using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Data;

/// <summary>
/// The app's contexts come from EF's pool and are leased to one request at a time
/// (DatabaseServices.Lease). A lease must never carry another request's reader, and nothing a
/// request leaves on its context (a transaction, tracked entities, a tracking behaviour) may reach
/// the next one. These apps keep a pool of one context, so consecutive requests share it.
/// </summary>
public abstract class ContextPoolTests(WaypointApp app)
{
    [Fact]
    public async Task PersonRead_ReadersOneAfterTheOtherOnOnePooledContext_EachSeesOnlyTheirOwnAndTheRefusalIsAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ours = await p.YoungPersonAsync("Lena", $"Pooled{p.Suffix}", new DateOnly(2012, 1, 5), enrolledAt: p.School);
        var theirs = await p.YoungPersonAsync("Omar", $"Leased{p.Suffix}", new DateOnly(2012, 2, 6), enrolledAt: p.OtherSchool);
        var schoolUser = await p.UserAsync(p.School);
        var otherUser = await p.UserAsync(p.OtherSchool);
        var school = await app.SignInAsync(schoolUser);
        var other = await app.SignInAsync(otherUser);
        var schoolApi = await app.ApiClientAsync(schoolUser);

        for (var i = 0; i < 3; i++)
        {
            (await school.GetAsync($"/people/{ours.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await other.GetAsync($"/people/{ours.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"round {i}: the other school's reader right after the first school's");
            (await other.GetAsync($"/people/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await schoolApi.GetAsync($"/api/v1/people/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"round {i}: the first school's reader right after the other's");
        }

        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking()
            .Where(a => a.PersonId == ours.Id || a.PersonId == theirs.Id).ToListAsync());
        audited.Count(a => a.Action == AuditAction.Denied && a.PersonId == ours.Id && a.UserId == otherUser.Id).ShouldBeGreaterThanOrEqualTo(3, "each refusal audited, under the reader who asked");
        audited.Count(a => a.Action == AuditAction.Denied && a.PersonId == theirs.Id && a.UserId == schoolUser.Id).ShouldBeGreaterThanOrEqualTo(3);
        audited.ShouldNotContain(a => a.PersonId == ours.Id && a.UserId == otherUser.Id && a.Action != AuditAction.Denied, "nothing of the first school's pupil was read by the other school");
        audited.ShouldNotContain(a => a.PersonId == theirs.Id && a.UserId == schoolUser.Id && a.Action != AuditAction.Denied);
        audited.ShouldNotContain(a => a.Action == AuditAction.Denied && ((a.PersonId == ours.Id && a.UserId == schoolUser.Id) || (a.PersonId == theirs.Id && a.UserId == otherUser.Id)),
            "a reader refused their own pupil would mean a lease carried the other reader");
    }

    [Fact]
    public async Task Lease_SecondReaderOnTheSameContext_SeesOnlyTheirOwn()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ours = await p.YoungPersonAsync("Rhea", $"Pooled{p.Suffix}", new DateOnly(2011, 3, 7), enrolledAt: p.School);
        var schoolUser = await p.UserAsync(p.School);
        var otherUser = await p.UserAsync(p.OtherSchool);
        var lease = PoolOfOne();

        WaypointDbContext first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = ReaderOf(schoolUser);
            first = lease(scope.ServiceProvider);
            (await first.People.AnyAsync(x => x.Id == ours.Id)).ShouldBeTrue();
            await first.DisposeAsync();
        }

        Should.Throw<InvalidOperationException>(() => first.Reader, "between leases a context has no reader");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = ReaderOf(otherUser);
            await using var second = lease(scope.ServiceProvider);
            second.ShouldBeSameAs(first, "a pool of one gives the same context back");
            second.Reader.UserId.ShouldBe(otherUser.Id);
            (await second.People.AnyAsync(x => x.Id == ours.Id)).ShouldBeFalse("the first reader's pupil, on the context the first reader used");
        }
    }

    [Fact]
    public async Task Lease_ContextReturnedMidTransactionWithTrackedChanges_IsCleanOnItsNextLease()
    {
        var p = await TestPartnership.CreateAsync(app);
        var lease = PoolOfOne();
        var originalName = p.School.Name;

        WaypointDbContext first;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
            first = lease(scope.ServiceProvider);
            await first.Database.BeginTransactionAsync();
            var school = await first.Organisations.SingleAsync(o => o.Id == p.School.Id);
            school.Name = "Renamed in a transaction never committed";
            await first.SaveChangesAsync();
            (await first.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id)).Name = "Changed, never saved";
            first.ChangeTracker.QueryTrackingBehavior = QueryTrackingBehavior.NoTracking;
            first.ChangeTracker.AutoDetectChangesEnabled = false; // the demo seeding turns it off for a while
            first.Database.AutoSavepointsEnabled = false; // the audit appender's own transaction
            first.AuditStage = new AuditStage(scope.ServiceProvider.GetRequiredService<AuditChain>(), scope.ServiceProvider.GetRequiredService<AuditAnchors>());
            first.AuditStage.Add(new AuditRow(new AuditEvent(null, AuditAction.Update, "test.staged", "staged, never saved"), Reader.System, "system"));
            await first.DisposeAsync();
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
            await using var second = lease(scope.ServiceProvider);
            second.ShouldBeSameAs(first);
            second.Database.CurrentTransaction.ShouldBeNull();
            second.ChangeTracker.Entries().ShouldBeEmpty();
            second.ChangeTracker.QueryTrackingBehavior.ShouldBe(QueryTrackingBehavior.TrackAll);
            second.ChangeTracker.AutoDetectChangesEnabled.ShouldBeTrue();
            second.Database.AutoSavepointsEnabled.ShouldBeTrue();
            second.AuditStage.ShouldBeNull("a staged audit row of the last lease would be saved with this lease's next write");
            second.Database.GetDbConnection().State.ShouldBe(System.Data.ConnectionState.Closed);
            (await second.Organisations.AsNoTracking().SingleAsync(o => o.Id == p.School.Id)).Name.ShouldBe(originalName, "the uncommitted transaction was rolled back");
            await second.SaveChangesAsync();
            (await second.Organisations.AsNoTracking().SingleAsync(o => o.Id == p.OtherSchool.Id)).Name.ShouldNotBe("Changed, never saved");
        }
    }

    [Fact]
    public void Lease_ContextMadeByThePoolWithoutALease_RefusesToReadAsAnyone()
    {
        using var scope = app.Services.CreateScope();
        var db = (WaypointDbContext)(app.Kind == DatabaseKind.Postgres
            ? new PooledDbContextFactory<PostgresWaypointDbContext>(app.Services.GetRequiredService<DbContextOptions<PostgresWaypointDbContext>>(), 1).CreateDbContext()
            : new PooledDbContextFactory<SqliteWaypointDbContext>(app.Services.GetRequiredService<DbContextOptions<SqliteWaypointDbContext>>(), 1).CreateDbContext());
        using (db)
        {
            Should.Throw<InvalidOperationException>(() => db.Reader);
            Should.Throw<InvalidOperationException>(() => db.People.Any());
        }
    }

    private static Reader ReaderOf(TestUser user) => new(user.Id, user.OrganisationId, user.OrganisationType, IsSystem: false);

    /// <summary>A pool of one context over the app's own options, leased the way the app leases (DatabaseServices.Lease).</summary>
    private Func<IServiceProvider, WaypointDbContext> PoolOfOne()
    {
        return app.Kind == DatabaseKind.Postgres ? Of<PostgresWaypointDbContext>() : Of<SqliteWaypointDbContext>();

        Func<IServiceProvider, WaypointDbContext> Of<T>() where T : WaypointDbContext
        {
            var pool = new PooledDbContextFactory<T>(app.Services.GetRequiredService<DbContextOptions<T>>(), 1);
            return scope => DatabaseServices.Lease(pool, scope);
        }
    }
}

/// <summary>An app whose context pool keeps one context, so that consecutive requests lease the same one.</summary>
public abstract class OneContextPoolApp(DatabaseKind kind) : WaypointApp(kind)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Database:ContextPoolSize", "1");
    }
}

public sealed class OneContextPoolSqliteApp() : OneContextPoolApp(DatabaseKind.Sqlite);

public sealed class OneContextPoolPostgresApp() : OneContextPoolApp(DatabaseKind.Postgres);

public sealed class ContextPoolTestsOnSqlite(OneContextPoolSqliteApp app) : ContextPoolTests(app), IClassFixture<OneContextPoolSqliteApp>;

public sealed class ContextPoolTestsOnPostgres(OneContextPoolPostgresApp app) : ContextPoolTests(app), IClassFixture<OneContextPoolPostgresApp>;
