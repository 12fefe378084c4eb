using Microsoft.AspNetCore.Authorization;
using Waypoint.Access;
using Waypoint.Identity;

namespace Waypoint.Features.Retention;

public static class RetentionPolicies
{
    /// <summary>Sets the retention schedule: the data-protection officer or a partnership administrator.</summary>
    public const string Schedules = "RetentionSchedules";
}

public static class RetentionServices
{
    public static IServiceCollection AddWaypointRetention(this IServiceCollection services, IConfiguration config)
    {
        services.AddScoped<RetentionWork>();
        services.AddScoped<ReviewOverdueGrants>();
        services.AddScoped<DpoDashboard>();
        services.AddScoped<Challenges.ChallengeWork>();
        services.AddHostedService<DailyRetentionRun>();
        services.AddOptions<RetentionOptions>().Bind(config.GetSection(RetentionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.Configure<AuthorizationOptions>(o =>
            o.AddPolicy(RetentionPolicies.Schedules, p => p.RequireRole(Roles.DataProtectionOfficer, Roles.PartnershipAdmin)));
        return services;
    }
}

/// <summary>The <c>Retention</c> section, checked when the app starts.</summary>
public sealed class RetentionOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string Section = "Retention";

    /// <summary>When the daily run finds due records and ends overdue grants (UTC, "03:00" unless set), or "off".</summary>
    public string DailyRunAt { get; set; } = "03:00";

    public TimeOnly? RunAt =>
        TimeOnly.TryParse(DailyRunAt, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext context)
    {
        if (!string.Equals(DailyRunAt, "off", StringComparison.OrdinalIgnoreCase) && RunAt is null)
            yield return new("Retention:DailyRunAt must be a time of day such as 03:00, or off", [nameof(DailyRunAt)]);
    }
}

/// <summary>
/// Once a day: queues the records that reached the end of their retention period for the DPO, and
/// ends the case-team places whose review is long overdue (docs/access.md). Each part runs on its
/// own, so one failing does not stop the other; tomorrow's run tries again.
/// </summary>
public sealed class DailyRetentionRun(IServiceScopeFactory scopes, Microsoft.Extensions.Options.IOptions<RetentionOptions> options, TimeProvider clock, ILogger<DailyRetentionRun> log)
    : Shell.DailyJob(clock, log)
{
    protected override TimeOnly? RunAt => options.Value.RunAt;

    protected override string Name => "Daily retention run";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateSystemScope("the daily retention run: finds due records of every organisation");
            var queued = await scope.ServiceProvider.GetRequiredService<RetentionWork>().FindDueAsync(ct);
            Log.LogInformation("Daily retention run queued {Queued} records for review", queued);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.LogError(e, "Daily retention run failed to find due records");
        }
        await using (var scope = scopes.CreateSystemScope("the daily retention run: ends case-team places long past their review"))
        {
            var ended = await scope.ServiceProvider.GetRequiredService<ReviewOverdueGrants>().EndOverdueAsync(ct);
            Log.LogInformation("Daily retention run ended {Ended} grants past their review", ended);
        }
    }
}
