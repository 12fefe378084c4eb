namespace Waypoint.Features.Notifications;

/// <summary>
/// Tells people that something needs them: an in-app notice in their inbox and, where they have
/// an e-mail address, a message that says only where to look. Personal details stay in the app,
/// behind sign-in, the policy and the audit.
/// </summary>
public interface INotifier
{
    Task NotifyAsync(Notice notice, CancellationToken ct);
}

/// <param name="UserIds">Recipients; duplicates and inactive accounts are ignored.</param>
/// <param name="Subject">One line, no personal data (it goes into e-mail).</param>
/// <param name="Body">Shown in the app only.</param>
/// <param name="Link">App-relative URL of the thing the notice is about.</param>
/// <param name="Kind">A short machine name, e.g. "alert" or "referral-outcome".</param>
public sealed record Notice(IReadOnlyCollection<Guid> UserIds, string Subject, string Body, string Link, string Kind);
