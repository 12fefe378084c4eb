using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Waypoint.Features.Schools.Imports;

/// <summary>The <c>Imports</c> section, checked when the app starts: a bad value stops it with a message naming the setting.</summary>
public sealed class ImportOptions
{
    public const string Section = "Imports";

    /// <summary>How many schools' files one instance applies at once (each school's in the order sent).</summary>
    [Range(1, 16, ErrorMessage = "Imports:Workers must be a whole number from {1} to {2}")]
    public int Workers { get; set; } = 2;

    /// <summary>How deep a CTF's elements may nest before it is rejected (a real CTF nests fewer than ten).</summary>
    [Range(8, 1000, ErrorMessage = "Imports:CtfMaxDepth must be a whole number from {1} to {2}")]
    public int CtfMaxDepth { get; set; } = 64;

    /// <summary>How long a CTF may take to read before it is rejected.</summary>
    [Range(0, 3600, ErrorMessage = "Imports:CtfTimeLimitSeconds must be from {1} to {2} seconds")]
    public double CtfTimeLimitSeconds { get; set; } = 30;

    public CtfLimits CtfLimits => new(CtfMaxDepth, CtfLimits.Default.MaxCharacters, TimeSpan.FromSeconds(CtfTimeLimitSeconds));

    public static void Add(IServiceCollection services, IConfiguration config) =>
        services.AddOptions<ImportOptions>().Bind(config.GetSection(Section)).ValidateDataAnnotations().ValidateOnStart();
}
