using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Shouldly;
using Waypoint.Data;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Performance;

/// <summary>
/// On PostgreSQL a pooled connection goes back to the pool without a reset (no DISCARD ALL) and
/// keeps its prepared statements: safe only while nothing of a request is kept in the session.
/// These apps have a pool of two connections, so consecutive requests of different readers run on
/// the same sessions.
/// </summary>
public abstract class ConnectionReuseTests(WaypointApp app)
{
    protected WaypointApp App => app;

    [Fact]
    public async Task PersonRead_ReadersAlternateOnPooledConnections_EachSeesOnlyTheirOwn()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ours = await p.YoungPersonAsync("Lena", $"Ours{p.Suffix}", new DateOnly(2012, 1, 5), enrolledAt: p.School);
        var theirs = await p.YoungPersonAsync("Omar", $"Theirs{p.Suffix}", new DateOnly(2012, 2, 6), enrolledAt: p.OtherSchool);
        var school = await app.ApiClientAsync(await p.UserAsync(p.School));
        var other = await app.ApiClientAsync(await p.UserAsync(p.OtherSchool));

        for (var i = 0; i < 6; i++)
        {
            (await school.GetAsync($"/api/v1/people/{ours.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await other.GetAsync($"/api/v1/people/{ours.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"round {i}: the other school's reader on a session the first school's just used");
            (await other.GetAsync($"/api/v1/people/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await school.GetAsync($"/api/v1/people/{theirs.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, $"round {i}: the first school's reader after the other's");
        }
    }
}

/// <summary>The app's connection string with a pool of two, so that requests share sessions.</summary>
public sealed class SmallPoolPostgresApp() : WaypointApp(DatabaseKind.Postgres)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("ConnectionStrings:Waypoint", builder.GetSetting("ConnectionStrings:Waypoint") + ";Maximum Pool Size=2");
    }
}

public sealed class ConnectionReuseTestsOnSqlite(SqliteApp app) : ConnectionReuseTests(app), IClassFixture<SqliteApp>;

public sealed class ConnectionReuseTestsOnPostgres(SmallPoolPostgresApp app) : ConnectionReuseTests(app), IClassFixture<SmallPoolPostgresApp>
{
    [Fact]
    public async Task PooledSessions_AfterReadsAndAudit_HoldNoLocksAndNoTransaction()
    {
        var p = await TestPartnership.CreateAsync(App);
        var pupil = await p.YoungPersonAsync("Rhea", $"Pool{p.Suffix}", new DateOnly(2011, 3, 7), enrolledAt: p.School);
        var client = await App.ApiClientAsync(await p.UserAsync(p.School));
        for (var i = 0; i < 4; i++)
            (await client.GetAsync($"/api/v1/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var (locks, idleInTransaction) = await App.AsSystemAsync(async (db, _) => (
            await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())").SingleAsync(),
            await db.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'").SingleAsync()));

        locks.ShouldBe(0, "the audit chain's lock ends with its transaction; a session lock would stay with the pooled connection");
        idleInTransaction.ShouldBe(0);
    }
}

public sealed class PostgresConnectionStringTests
{
    [Fact]
    public void PostgresConnectionString_NotSet_PreparesStatementsAndSkipsTheReset()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseServices.PostgresConnectionString("Host=db;Database=waypoint"));

        built.MaxAutoPrepare.ShouldBeGreaterThan(0);
        built.NoResetOnClose.ShouldBeTrue();
        built.Options.ShouldBe("-c jit=off");
    }

    [Fact]
    public void PostgresConnectionString_SetByOperator_KeepsTheirChoice()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseServices.PostgresConnectionString("Host=db;No Reset On Close=false;Max Auto Prepare=0"));

        built.MaxAutoPrepare.ShouldBe(0);
        built.NoResetOnClose.ShouldBeFalse();
    }
}
