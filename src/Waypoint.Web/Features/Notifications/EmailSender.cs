using System.Net;
using System.Net.Mail;

namespace Waypoint.Features.Notifications;

/// <summary>How e-mail goes out here, settled once at start-up from <see cref="EmailOptions"/>.</summary>
public sealed class EmailSettings
{
    public EmailSettings(EmailOptions options, IHostEnvironment env)
    {
        Options = options;
        Method = options.EffectiveDelivery(env.IsDevelopment());
        if (Method == EmailDeliveryMethod.Pickup)
        {
            PickupDirectory = Path.GetFullPath(options.PickupDirectory ?? Path.Combine("App_Data", "mail"), env.ContentRootPath);
            Directory.CreateDirectory(PickupDirectory);
        }
        if (Method == EmailDeliveryMethod.Smtp && string.IsNullOrWhiteSpace(options.Host))
            throw new InvalidOperationException("Email:Delivery is Smtp but Email:Host is not set.");
    }

    public EmailOptions Options { get; }
    public EmailDeliveryMethod Method { get; }
    public string? PickupDirectory { get; }
    public bool Enabled => Method != EmailDeliveryMethod.None;
}

/// <summary>
/// One digest: how many notices of each kind are waiting and a link to them. Never what a notice
/// says: whatever personal detail it holds stays behind sign-in, the access policy and the audit.
/// </summary>
/// <param name="Counts">Lines such as "3 early-warning alerts".</param>
/// <param name="Path">App-relative: the single notice, or the list.</param>
public sealed record EmailMessage(string To, IReadOnlyList<string> Counts, int Total, string Path);

/// <summary>Sends through System.Net.Mail: SMTP, or .eml files in a pickup folder.</summary>
public sealed class EmailSender(EmailSettings settings)
{
    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var options = settings.Options;
        var link = $"{options.PublicUrl.TrimEnd('/')}{message.Path}";
        var counts = string.Join("\n", message.Counts.Select(c => $"- {c}"));
        using var mail = new MailMessage(new MailAddress(options.From, "Waypoint"), new MailAddress(message.To))
        {
            Subject = message.Total == 1 ? "Waypoint: 1 new notice" : $"Waypoint: {message.Total} new notices",
            Body = $"""
                You have new notices in Waypoint:

                {counts}

                Sign in to see {(message.Total == 1 ? "it" : "them")}: {link}

                Waypoint sends you at most one message like this a day; the rest wait in the app.

                This message holds no details on purpose. If you did not expect it, tell your Waypoint administrator.
                """,
            BodyEncoding = System.Text.Encoding.UTF8,
            // Readable as it stands (no quoted-printable soft breaks through the link); lines stay far below SMTP's limit.
            BodyTransferEncoding = System.Net.Mime.TransferEncoding.EightBit,
        };
        using var client = new SmtpClient();
        if (settings.Method == EmailDeliveryMethod.Pickup)
        {
            client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
            client.PickupDirectoryLocation = settings.PickupDirectory;
        }
        else
        {
            client.Host = options.Host!;
            client.Port = options.Port;
            client.EnableSsl = options.EnableSsl;
            if (!string.IsNullOrEmpty(options.UserName))
                client.Credentials = new NetworkCredential(options.UserName, options.Password);
        }
        await client.SendMailAsync(mail, ct);
    }
}
