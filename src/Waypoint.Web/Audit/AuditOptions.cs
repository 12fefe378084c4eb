using System.ComponentModel.DataAnnotations;

namespace Waypoint.Audit;

/// <summary>
/// The audit log's secrets and anchors (configuration section <c>Audit</c>). The key must live
/// outside the database: whoever can write the database must not be able to recompute the chain.
/// </summary>
public sealed class AuditOptions
{
    public const string Section = "Audit";

    /// <summary>The HMAC key, base64 (at least 32 bytes). When absent, a key file in the data folder is used, generated once.</summary>
    public string? Key { get; set; }

    /// <summary>Keys of earlier entries (base64), kept after a rotation so that old entries still verify.</summary>
    public List<string> PreviousKeys { get; set; } = [];

    /// <summary>The key file when <see cref="Key"/> is absent; default <c>audit.key</c> in the data folder. One base64 key a line, the last one current.</summary>
    public string? KeyFile { get; set; }

    /// <summary>How often the head of the chain is anchored outside the database.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00", ErrorMessage = "Audit:AnchorInterval must be between 5 seconds and 1 hour.")]
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The append-only anchor file; default <c>audit-anchors.jsonl</c> in the data folder.</summary>
    public string? AnchorPath { get; set; }

    /// <summary>How many whole months stay in the live log before the daily run archives them (the month in progress always stays).</summary>
    [Range(1, 120, ErrorMessage = "Audit:KeepLiveMonths must be between 1 and 120.")]
    public int KeepLiveMonths { get; set; } = 13;

    /// <summary>When the daily archive run moves months past <see cref="KeepLiveMonths"/> to the archive (UTC, "02:30" unless set), or "off".</summary>
    public string ArchiveRunAt { get; set; } = "02:30";

    public TimeOnly? ArchiveAt =>
        TimeOnly.TryParse(ArchiveRunAt, System.Globalization.CultureInfo.InvariantCulture, out var at) ? at : null;

    internal static IEnumerable<string> Problems(AuditOptions o)
    {
        if (!string.Equals(o.ArchiveRunAt, "off", StringComparison.OrdinalIgnoreCase) && o.ArchiveAt is null)
            yield return "Audit:ArchiveRunAt must be a time of day such as 02:30, or off.";
        if (o.Key is not null && !IsKey(o.Key))
            yield return "Audit:Key must be base64 of at least 32 random bytes (for example: openssl rand -base64 32).";
        for (var i = 0; i < o.PreviousKeys.Count; i++)
        {
            if (!IsKey(o.PreviousKeys[i]))
                yield return $"Audit:PreviousKeys:{i} must be base64 of at least 32 bytes.";
        }
    }

    internal static bool IsKey(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value.Trim(), buffer, out var written) && written >= 32;
    }
}
