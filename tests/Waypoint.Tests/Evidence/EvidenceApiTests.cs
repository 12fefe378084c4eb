using System.Net;
using System.Text.Json;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>The statistics API: published figures open without a token, the rest only to those who may see partnership figures.</summary>
public abstract class EvidenceApiTests(WaypointApp app)
{
    [Fact]
    public async Task StatisticsApi_PublicAndSecured_PublishedOpenOthersNeedAnAnalyst()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Api", $"Stats{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = pupil.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = AcademicYear.Of(today).Start, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var note = $"API check {p.Suffix}";
        (await admin.PostFormAsync("/statistics/exclusions/publish", new() { ["Threshold"] = "5", ["RevisionNote"] = note }, "/statistics/exclusions/publish"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var anonymous = app.Anonymous();
        var list = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/statistics/exclusions")).RootElement;
        list.GetArrayLength().ShouldBeGreaterThan(0);
        var year = AcademicYear.Of(today).StartYear;
        var published = await anonymous.GetAsync($"/api/v1/statistics/exclusions/published?year={year}");
        published.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = await published.Content.ReadAsStringAsync();
        var tables = JsonDocument.Parse(body).RootElement;
        tables.GetProperty("academicYear").GetInt32().ShouldBe(year);
        tables.GetProperty("tables").GetArrayLength().ShouldBeGreaterThan(0);
        body.ShouldNotContain(p.School.Name);
        (await anonymous.GetAsync("/api/v1/statistics/exclusions/published?year=1900")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await anonymous.GetAsync("/api/v1/statistics/violence")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var practitioner = await app.ApiClientAsync(await p.UserAsync(p.School));
        (await practitioner.GetAsync("/api/v1/statistics/violence")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await practitioner.GetAsync("/api/v1/statistics/benchmarking")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var analyst = await app.ApiClientAsync(await p.UserAsync(p.Police, Roles.Analyst));
        var violence = await analyst.GetAsync($"/api/v1/statistics/violence?area={p.County.Id}");
        violence.StatusCode.ShouldBe(HttpStatusCode.OK);
        var report = JsonDocument.Parse(await violence.Content.ReadAsStringAsync()).RootElement;
        report.GetProperty("measures").GetArrayLength().ShouldBe(2);
        (await violence.Content.ReadAsStringAsync()).ShouldNotContain($"Stats{p.Suffix}");
        (await analyst.GetAsync("/api/v1/statistics/violence?fromYear=1800")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await analyst.GetAsync("/api/v1/statistics/benchmarking")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class EvidenceApiTestsOnSqlite(SqliteApp app) : EvidenceApiTests(app), IClassFixture<SqliteApp>;

public sealed class EvidenceApiTestsOnPostgres(PostgresApp app) : EvidenceApiTests(app), IClassFixture<PostgresApp>;
