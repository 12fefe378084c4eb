using Microsoft.Extensions.Options;

namespace Waypoint.Audit;

public static class AuditServices
{
    /// <summary>The keyed chain, its anchors and their options (section <c>Audit</c>), validated at start-up.</summary>
    public static IServiceCollection AddWaypointAudit(this IServiceCollection services, IConfiguration config, string dataFolder)
    {
        services.AddOptions<AuditOptions>()
            .Bind(config.GetSection(AuditOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<AuditOptions>, AuditOptionsValidator>();
        services.AddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<AuditOptions>>().Value;
            return new AuditPaths(dataFolder, o.AnchorPath ?? Path.Combine(dataFolder, "audit-anchors.jsonl"));
        });
        services.AddSingleton(sp => AuditKeys.Load(sp.GetRequiredService<IOptions<AuditOptions>>().Value, dataFolder));
        services.AddSingleton<AuditChain>();
        services.AddSingleton<AuditAppender>();
        services.AddSingleton<AuditAnchors>();
        services.AddSingleton<AuditVerification>();
        services.AddHostedService<AuditAnchorService>();
        services.AddSingleton<AuditArchiver>();
        services.AddHostedService<DailyAuditArchiveRun>();
        services.AddScoped<AuditTrail>();
        return services;
    }
}

/// <summary>Names each bad audit setting at start-up rather than one generic failure.</summary>
internal sealed class AuditOptionsValidator : IValidateOptions<AuditOptions>
{
    public ValidateOptionsResult Validate(string? name, AuditOptions options)
    {
        var problems = AuditOptions.Problems(options).ToList();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
