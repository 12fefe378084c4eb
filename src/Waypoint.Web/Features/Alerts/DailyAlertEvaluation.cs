using Waypoint.Access;

namespace Waypoint.Features.Alerts;

/// <summary>
/// Evaluates everyone once a day, at <c>Alerts:DailyEvaluationAt</c> (UTC, "02:00" unless set;
/// "off" turns it off). Changes to school records are evaluated as they happen; the daily run
/// catches what only time changes (a rolling term moving on), a threshold the partnership has just
/// lowered, and anything an evaluation after a change could not finish.
/// </summary>
public sealed class DailyAlertEvaluation(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<AlertOptions> options, TimeProvider clock, ILogger<DailyAlertEvaluation> log)
    : Shell.DailyJob(clock, log)
{
    protected override TimeOnly? RunAt => options.Value.DailyRunAt;

    protected override string Name => "Daily early-warning evaluation";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem("the daily early-warning run, as the system");
        var raised = await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateEveryoneAsync(ct);
        Log.LogInformation("Daily early-warning evaluation raised {Raised} alerts", raised);
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
