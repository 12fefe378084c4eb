using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Waypoint.Shell;

public enum TelemetryExporter
{
    None,
    Console,
    Otlp,
}

/// <summary><c>Telemetry:Exporter</c> (None, Console or Otlp) and, for Otlp, <c>Telemetry:Endpoint</c>. None unless set: the demo exports nothing.</summary>
public sealed class TelemetryOptions : IValidatableObject
{
    public const string Section = "Telemetry";

    public TelemetryExporter Exporter { get; set; } = TelemetryExporter.None;
    public Uri? Endpoint { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Exporter == TelemetryExporter.Otlp && Endpoint is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            yield return new ValidationResult("Telemetry:Endpoint must be an http or https address when Telemetry:Exporter is Otlp", [nameof(Endpoint)]);
    }
}

/// <summary>
/// Traces and metrics for requests, outgoing HTTP, PostgreSQL and the runtime, with no personal
/// data: people are searched by name in the query string, so no span keeps a query string, a
/// request's raw path (only its route template), a client address or user agent, an exception
/// message (a database error can quote a value), or a SQL parameter (Npgsql records the statement
/// text, which EF Core parameterises).
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddWaypointTelemetry(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<TelemetryOptions>().Bind(config.GetSection(TelemetryOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        var options = config.GetSection(TelemetryOptions.Section).Get<TelemetryOptions>() ?? new TelemetryOptions();

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("waypoint"))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(o =>
                    {
                        o.RecordException = false;
                        o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/lib");
                        o.EnrichWithHttpRequest = (activity, _) => Scrub(activity);
                        o.EnrichWithHttpResponse = (activity, response) => ToTemplate(activity, response.HttpContext);
                    })
                    .AddHttpClientInstrumentation(o =>
                    {
                        o.RecordException = false;
                        o.EnrichWithHttpRequestMessage = (activity, request) => activity.SetTag("url.full", request.RequestUri?.GetLeftPart(UriPartial.Path));
                    })
                    .AddNpgsql();
                switch (options.Exporter)
                {
                    case TelemetryExporter.Console: tracing.AddConsoleExporter(); break;
                    case TelemetryExporter.Otlp: tracing.AddOtlpExporter(o => o.Endpoint = options.Endpoint ?? o.Endpoint); break;
                }
            })
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddNpgsqlInstrumentation();
                switch (options.Exporter)
                {
                    case TelemetryExporter.Console: metrics.AddConsoleExporter(); break;
                    case TelemetryExporter.Otlp: metrics.AddOtlpExporter(o => o.Endpoint = options.Endpoint ?? o.Endpoint); break;
                }
            });
        return services;
    }

    private static void Scrub(Activity activity)
    {
        activity.SetTag("url.query", null);
        activity.SetTag("client.address", null);
        activity.SetTag("user_agent.original", null);
        activity.SetTag("url.path", null);
    }

    /// <summary>The route template ("/people/{id}") in place of the path, once routing has found it.</summary>
    private static void ToTemplate(Activity activity, HttpContext http)
    {
        Scrub(activity);
        var template = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        if (template is not null)
            activity.SetTag("url.path", "/" + template.TrimStart('/'));
        activity.DisplayName = $"{http.Request.Method} {(template is null ? "(no route)" : "/" + template.TrimStart('/'))}";
    }
}
