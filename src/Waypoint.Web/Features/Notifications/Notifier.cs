using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Notifications;

/// <summary>
/// Writes one notice per active recipient, marked for e-mail where that is on and the person has
/// an address, and wakes the sender. Call it after the change it announces is saved (it saves).
/// </summary>
internal sealed class Notifier(WaypointDbContext db, EmailSettings email, WakeSignal<EmailDispatcher> signal, TimeProvider clock) : INotifier
{
    public async Task NotifyAsync(Notice notice, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(notice.Subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(notice.Link);
        if (notice.Subject.Length > Notification.MaxSubjectLength || notice.Body.Length > Notification.MaxBodyLength)
            throw new ArgumentException("A notice's subject or body is longer than a notice may hold.", nameof(notice));
        if (!notice.Link.StartsWith('/') || notice.Link.StartsWith("//", StringComparison.Ordinal))
            throw new ArgumentException("A notice links within Waypoint (an app-relative URL).", nameof(notice));

        var ids = notice.UserIds.Distinct().ToList();
        if (ids.Count == 0)
            return;
        var recipients = await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.Id) && u.IsActive)
            .Select(u => new { u.Id, u.Email })
            .ToListAsync(ct);
        var now = clock.GetUtcNow();
        foreach (var recipient in recipients)
        {
            var mailed = email.Enabled && !string.IsNullOrWhiteSpace(recipient.Email);
            db.Notifications.Add(new Notification
            {
                UserId = recipient.Id,
                Kind = notice.Kind,
                Subject = notice.Subject,
                Body = notice.Body,
                Link = notice.Link,
                CreatedAt = now,
                Email = mailed ? EmailDelivery.Pending : EmailDelivery.NotRequired,
                EmailDueAt = mailed ? now : null,
            });
        }
        await db.SaveChangesAsync(ct);
        if (recipients.Count > 0 && email.Enabled)
            signal.Wake();
    }
}
