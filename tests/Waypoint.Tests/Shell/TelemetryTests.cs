using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Shouldly;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>The app with every finished span collected, as an exporter would receive it.</summary>
public abstract class TelemetryApp(DatabaseKind kind) : WaypointApp(kind)
{
    public ConcurrentQueue<Activity> Spans { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.ConfigureOpenTelemetryTracerProvider(t => t.AddProcessor(new Collector(Spans))));
    }

    private sealed class Collector(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => spans.Enqueue(data);
    }
}

public sealed class TelemetrySqliteApp() : TelemetryApp(DatabaseKind.Sqlite);

public sealed class TelemetryPostgresApp() : TelemetryApp(DatabaseKind.Postgres);

/// <summary>Spans say what was done ("GET /people"), never to whom: no name searched for, no id from a path.</summary>
public abstract class TelemetryTests(TelemetryApp app)
{
    [Fact]
    public async Task PersonSearch_ByName_NoSpanHoldsTheName()
    {
        var p = await TestPartnership.CreateAsync(app);
        var name = $"Zebedee{p.Suffix}";
        var pupil = await p.YoungPersonAsync(name, "Quill", new DateOnly(2011, 2, 3), enrolledAt: p.School);
        var user = await p.UserAsync(p.School);
        var client = await app.SignInAsync(user);
        var api = await app.ApiClientAsync(user);
        app.Spans.Clear();

        (await client.GetAsync($"/people?Name={name}")).EnsureSuccessStatusCode();
        (await api.GetAsync($"/api/v1/people?name={name}")).EnsureSuccessStatusCode();
        (await client.GetAsync($"/people/{pupil.Id}")).EnsureSuccessStatusCode();

        var spans = app.Spans.ToList();
        spans.ShouldContain(s => s.DisplayName == "GET /people");
        spans.ShouldContain(s => s.DisplayName == "GET /people/{id:guid}");
        foreach (var span in spans)
        {
            var said = string.Join(" | ", span.TagObjects.Select(t => $"{t.Key}={t.Value}").Prepend(span.DisplayName));
            said.ShouldNotContain(name, Case.Insensitive);
            said.ShouldNotContain(pupil.Id.ToString(), Case.Insensitive);
        }
    }
}

public sealed class TelemetryTestsOnSqlite(TelemetrySqliteApp app) : TelemetryTests(app), IClassFixture<TelemetrySqliteApp>;

public sealed class TelemetryTestsOnPostgres(TelemetryPostgresApp app) : TelemetryTests(app), IClassFixture<TelemetryPostgresApp>;
