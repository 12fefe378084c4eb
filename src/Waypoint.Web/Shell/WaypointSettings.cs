using System.ComponentModel.DataAnnotations;

namespace Waypoint.Shell;

/// <summary>The <c>Waypoint</c> section: settings of the product itself, checked when the app starts.</summary>
public sealed class WaypointSettings
{
    public const string Section = "Waypoint";

    /// <summary>How long a break-glass grant lasts.</summary>
    [Range(1, 24, ErrorMessage = "Waypoint:BreakGlassHours must be a whole number of hours from {1} to {2}")]
    public int BreakGlassHours { get; set; } = 4;

    /// <summary>Where SQLite keeps its file when no connection string is given.</summary>
    public string? DataFolder { get; set; }
}

public static class WaypointSettingsServices
{
    /// <summary>Typed settings, validated at start-up: a bad value stops the app with a message naming the setting.</summary>
    public static IServiceCollection AddWaypointSettings(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<WaypointSettings>().Bind(config.GetSection(WaypointSettings.Section)).ValidateDataAnnotations().ValidateOnStart();
        return services;
    }
}
