namespace Waypoint.Features.Notifications;

public enum EmailDeliveryMethod
{
    /// <summary>No e-mail; notices are in-app only.</summary>
    None,
    /// <summary>Each message is written as an .eml file to a folder (development, or a relay that collects them).</summary>
    Pickup,
    Smtp,
}

/// <summary>
/// Configuration section <c>Email</c> (environment: <c>WAYPOINT_Email__Host</c> and so on).
/// Without a <see cref="Delivery"/>, development writes to <c>App_Data/mail</c>, and elsewhere
/// an SMTP <see cref="Host"/> turns e-mail on.
/// </summary>
public sealed class EmailOptions
{
    public EmailDeliveryMethod? Delivery { get; set; }
    public string? PickupDirectory { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "waypoint@localhost";
    /// <summary>The address people reach Waypoint at, for the link in each message.</summary>
    public string PublicUrl { get; set; } = "http://localhost:5080";
    /// <summary>Attempts before a message is given up (the in-app notice stands either way).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>Off leaves sending to whoever calls <see cref="EmailDispatcher.SendDueAsync"/> (tests that drive it step by step).</summary>
    public bool SendInBackground { get; set; } = true;

    public EmailDeliveryMethod EffectiveDelivery(bool isDevelopment) =>
        Delivery ?? (isDevelopment ? EmailDeliveryMethod.Pickup : string.IsNullOrWhiteSpace(Host) ? EmailDeliveryMethod.None : EmailDeliveryMethod.Smtp);
}
