using System.Net;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>Liveness and readiness for the load balancer and orchestrator: anonymous, plain text.</summary>
public abstract class HealthTests(WaypointApp app)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_Anonymous_Returns200Healthy(string url)
    {
        var response = await app.Anonymous().GetAsync(url);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldBe("Healthy");
    }
}

public sealed class HealthTestsOnSqlite(SqliteApp app) : HealthTests(app), IClassFixture<SqliteApp>;

public sealed class HealthTestsOnPostgres(PostgresApp app) : HealthTests(app), IClassFixture<PostgresApp>;
