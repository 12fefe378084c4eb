using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Notifications;

/// <summary>
/// Sends the e-mail of pending notices. Several app instances may run one each: a message is
/// claimed by a conditional update before it is sent, and a claim that outlives its sender (a
/// crash mid-send) lapses and is taken again. Failures back off and give up after
/// <see cref="EmailOptions.MaxAttempts"/>; logs name the notice, never the recipient.
/// </summary>
public sealed class EmailDispatcher(
    IServiceScopeFactory scopes, EmailSettings settings, EmailSender sender, WakeSignal<EmailDispatcher> signal,
    TimeProvider clock, ILogger<EmailDispatcher> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(5);
    private const int Batch = 50;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled || !settings.Options.SendInBackground)
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await SendDueAsync(stoppingToken) == Batch)
                {
                    // A full batch: there may be more waiting.
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The e-mail sender failed; it will try again");
            }
            try
            {
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Sends what is due now; returns how many it looked at.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem("the outbox sends every user's notices, as the system");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var now = clock.GetUtcNow();
        var due = await db.Notifications.AsNoTracking()
            .Where(n => (n.Email == EmailDelivery.Pending || n.Email == EmailDelivery.Sending) && n.EmailDueAt <= now)
            .OrderBy(n => n.EmailDueAt)
            .Take(Batch)
            .Select(n => new { n.Id, n.Email, n.EmailDueAt, n.EmailAttempts, n.Subject, To = db.Users.Where(u => u.Id == n.UserId).Select(u => u.Email).FirstOrDefault() })
            .ToListAsync(ct);
        foreach (var n in due)
        {
            var claimed = await db.Notifications
                .Where(x => x.Id == n.Id && x.Email == n.Email && x.EmailDueAt == n.EmailDueAt)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Email, EmailDelivery.Sending).SetProperty(x => x.EmailDueAt, now + Claim), ct);
            if (claimed == 0)
                continue; // another sender has it
            var attempts = n.EmailAttempts + 1;
            try
            {
                if (string.IsNullOrWhiteSpace(n.To))
                    throw new InvalidOperationException("The recipient no longer has an e-mail address.");
                await sender.SendAsync(new EmailMessage(n.To, n.Subject, n.Id), ct);
                var sentAt = clock.GetUtcNow();
                await db.Notifications.Where(x => x.Id == n.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Email, EmailDelivery.Sent).SetProperty(x => x.EmailSentAt, sentAt)
                    .SetProperty(x => x.EmailAttempts, attempts).SetProperty(x => x.EmailDueAt, (DateTimeOffset?)null)
                    .SetProperty(x => x.EmailError, (string?)null), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                var givenUp = attempts >= settings.Options.MaxAttempts;
                // 1, 2, 4 ... minutes, at most an hour.
                var retryAt = clock.GetUtcNow() + TimeSpan.FromMinutes(Math.Min(60, Math.Pow(2, attempts - 1)));
                var error = $"{e.GetType().Name}: {e.Message}";
                await db.Notifications.Where(x => x.Id == n.Id).ExecuteUpdateAsync(s => s
                    .SetProperty(x => x.Email, givenUp ? EmailDelivery.Failed : EmailDelivery.Pending)
                    .SetProperty(x => x.EmailDueAt, givenUp ? null : retryAt)
                    .SetProperty(x => x.EmailAttempts, attempts)
                    .SetProperty(x => x.EmailError, error.Length > 400 ? error[..400] : error), ct);
                log.LogWarning("E-mail for notice {NotificationId} failed (attempt {Attempt}): {Error}", n.Id, attempts, e.GetType().Name);
            }
        }
        return due.Count;
    }
}
