using Waypoint.Access;

namespace Waypoint.Features.Alerts;

/// <summary>
/// Evaluates everyone once a day, at <c>Alerts:DailyEvaluationAt</c> (UTC, "02:00" unless set;
/// "off" turns it off). Changes to school records are evaluated as they happen; the daily run
/// catches what only time changes (a rolling term moving on), a threshold the partnership has just
/// lowered, and anything an evaluation after a change could not finish.
/// </summary>
public sealed class DailyAlertEvaluation(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<AlertOptions> options, TimeProvider clock, ILogger<DailyAlertEvaluation> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.DailyRunAt is not { } at)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(UntilNext(at), clock, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                scope.ServiceProvider.ActAsSystem("the daily early-warning run, as the system");
                var raised = await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateEveryoneAsync(stoppingToken);
                log.LogInformation("Daily early-warning evaluation raised {Raised} alerts", raised);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Tomorrow's run tries again; the service must not stop the host.
                log.LogError(e, "Daily early-warning evaluation failed");
            }
        }
    }

    private TimeSpan UntilNext(TimeOnly at)
    {
        var now = clock.GetUtcNow();
        var next = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
        if (next <= now)
            next = next.AddDays(1);
        return next - now;
    }
}

/// <summary>The <c>Alerts</c> section, checked when the app starts.</summary>
public sealed class AlertOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Alerts";

    /// <summary>When the daily evaluation runs (UTC, "02:00" unless set), or "off".</summary>
    public string DailyEvaluationAt { get; set; } = "02:00";

    public TimeOnly? DailyRunAt =>
        TimeOnly.TryParse(DailyEvaluationAt, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext context)
    {
        if (!string.Equals(DailyEvaluationAt, "off", StringComparison.OrdinalIgnoreCase) && DailyRunAt is null)
            yield return new("Alerts:DailyEvaluationAt must be a time of day such as 02:00, or off", [nameof(DailyEvaluationAt)]);
    }
}
