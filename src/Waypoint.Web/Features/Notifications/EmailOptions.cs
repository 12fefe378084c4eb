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
public sealed class EmailOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public EmailDeliveryMethod? Delivery { get; set; }
    public string? PickupDirectory { get; set; }
    public string? Host { get; set; }
    public int Port { get; set; } = 587;
    public bool EnableSsl { get; set; } = true;
    public string? UserName { get; set; }
    public string? Password { get; set; }
    public string From { get; set; } = "waypoint@localhost";
    /// <summary>
    /// The address people reach Waypoint at, for the link in each message. Not set, it is the first
    /// address the app listens on (<c>--urls</c>, <c>ASPNETCORE_URLS</c>, <c>ASPNETCORE_HTTP_PORTS</c>).
    /// </summary>
    public string PublicUrl { get; set; } = Shell.ListenAddresses.Default;

    /// <summary>
    /// The first address the host is configured to listen on, as a browser would reach it (every
    /// interface, "*", "+", 0.0.0.0 or [::], is reached on this machine as localhost); null when none is named.
    /// </summary>
    public static string? ServedAt(IConfiguration config)
    {
        var first = (config["urls"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null && (config["http_ports"] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() is { } port)
            first = $"http://localhost:{port}";
        if (first is null)
            return null;
        Microsoft.AspNetCore.Http.BindingAddress address;
        try
        {
            address = Microsoft.AspNetCore.Http.BindingAddress.Parse(first);
        }
        catch (FormatException)
        {
            return null;
        }
        if (address.IsUnixPipe || address.Scheme is not ("http" or "https"))
            return null;
        var host = address.Host is "*" or "+" or "0.0.0.0" or "[::]" ? "localhost" : address.Host;
        return $"{address.Scheme}://{host}:{address.Port}";
    }

    /// <summary>Attempts before a message is given up (the in-app notice stands either way).</summary>
    public int MaxAttempts { get; set; } = 8;
    /// <summary>
    /// The UK hour at which a day's digest goes to someone who has already had one that day:
    /// each person gets at most one e-mail a day, the first as soon as something arrives.
    /// </summary>
    public int DigestHour { get; set; } = 7;
    /// <summary>Off leaves sending to whoever calls <see cref="EmailDispatcher.SendDueAsync"/> (tests that drive it step by step).</summary>
    public bool SendInBackground { get; set; } = true;

    /// <summary>Checked at start-up: a bad setting stops the app with a message naming it.</summary>
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext context)
    {
        if (Port is < 1 or > 65535)
            yield return new("Email:Port must be a port number from 1 to 65535", [nameof(Port)]);
        if (MaxAttempts is < 1 or > 50)
            yield return new("Email:MaxAttempts must be from 1 to 50", [nameof(MaxAttempts)]);
        if (DigestHour is < 0 or > 23)
            yield return new("Email:DigestHour must be an hour from 0 to 23", [nameof(DigestHour)]);
        if (!System.Net.Mail.MailAddress.TryCreate(From, out _))
            yield return new("Email:From must be an e-mail address, such as waypoint@example.org", [nameof(From)]);
        if (!Uri.TryCreate(PublicUrl, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
            yield return new("Email:PublicUrl must be the http or https address people reach Waypoint at", [nameof(PublicUrl)]);
        if (Delivery == EmailDeliveryMethod.Smtp && string.IsNullOrWhiteSpace(Host))
            yield return new("Email:Host must name the SMTP server when Email:Delivery is Smtp", [nameof(Host)]);
        if (Delivery == EmailDeliveryMethod.Pickup && PickupDirectory is { Length: 0 })
            yield return new("Email:PickupDirectory must name a folder when set", [nameof(PickupDirectory)]);
    }

    public EmailDeliveryMethod EffectiveDelivery(bool isDevelopment) =>
        Delivery ?? (isDevelopment ? EmailDeliveryMethod.Pickup : string.IsNullOrWhiteSpace(Host) ? EmailDeliveryMethod.None : EmailDeliveryMethod.Smtp);
}
