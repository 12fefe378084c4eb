using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Notifications;

/// <summary>
/// Sends the e-mail of pending notices, one digest a person a day (a caseworker with 150 alerts
/// gets one message, not 150). Several app instances may run one each: each notice of a digest
/// is claimed by a conditional update before it is sent, and a claim that outlives its sender (a
/// crash mid-send) lapses and is taken again. Failures back off and give up after
/// <see cref="EmailOptions.MaxAttempts"/>; logs give counts, never the recipient.
/// </summary>
public sealed class EmailDispatcher(
    IServiceScopeFactory scopes, EmailSettings settings, EmailSender sender, WakeSignal<EmailDispatcher> signal,
    TimeProvider clock, ILogger<EmailDispatcher> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Claim = TimeSpan.FromMinutes(5);
    private const int Batch = 50;
    private TaskCompletionSource passEnded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Completes when the background sender next ends a pass over what is due (sent or not): for
    /// whoever must know that a notice has had its chance to go (tests), without polling. Take the
    /// task before reading the notice, then wait on it only if the notice has not gone yet.
    /// </summary>
    public Task NextPassEndedAsync() => Volatile.Read(ref passEnded).Task;

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
            Interlocked.Exchange(ref passEnded, new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
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

    /// <summary>
    /// Sends what is due now, as one digest a person: the first of a UK day goes at once, and
    /// what arrives after it waits for the next day's digest at <see cref="EmailOptions.DigestHour"/>.
    /// Returns how many notices it looked at.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem("the outbox sends every user's notices, as the system");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var now = clock.GetUtcNow();
        var due = await Due(db, null, now).Take(Batch).Select(n => new { n.Id, n.UserId }).ToListAsync(ct);
        foreach (var userId in due.Select(n => n.UserId).Distinct())
            await SendDigestAsync(db, userId, now, ct);
        return due.Count;
    }

    private static IQueryable<Notification> Due(WaypointDbContext db, Guid? userId, DateTimeOffset now) =>
        db.Notifications.AsNoTracking()
            .Where(n => (n.Email == EmailDelivery.Pending || n.Email == EmailDelivery.Sending) && n.EmailDueAt <= now)
            .Where(n => userId == null || n.UserId == userId)
            .OrderBy(n => n.EmailDueAt);

    private async Task SendDigestAsync(WaypointDbContext db, Guid userId, DateTimeOffset now, CancellationToken ct)
    {
        // All of this person's due notices, not only those in the batch: one digest takes them all.
        var due = await Due(db, userId, now).Select(n => new { n.Id, n.Email, n.EmailDueAt, n.EmailAttempts, n.Kind }).ToListAsync(ct);
        var today = NoticeDays.DayOf(now);
        var startOfToday = NoticeDays.StartOf(today);
        var mailedToday = await db.Notifications.AnyAsync(n => n.UserId == userId && n.Email == EmailDelivery.Sent && n.EmailSentAt >= startOfToday, ct);
        if (mailedToday)
        {
            var nextDigest = NoticeDays.StartOf(today.AddDays(1)) + TimeSpan.FromHours(settings.Options.DigestHour);
            var ids = due.Select(n => n.Id).ToList();
            await db.Notifications.Where(x => ids.Contains(x.Id) && x.EmailDueAt <= now)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Email, EmailDelivery.Pending).SetProperty(x => x.EmailDueAt, nextDigest), ct);
            return;
        }

        var claimed = due.Take(0).ToList();
        foreach (var n in due)
        {
            var taken = await db.Notifications
                .Where(x => x.Id == n.Id && x.Email == n.Email && x.EmailDueAt == n.EmailDueAt)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Email, EmailDelivery.Sending).SetProperty(x => x.EmailDueAt, now + Claim), ct);
            if (taken == 1)
                claimed.Add(n); // else another sender has it
        }
        if (claimed.Count == 0)
            return;
        var claimedIds = claimed.Select(n => n.Id).ToList();
        var attempts = claimed.Max(n => n.EmailAttempts) + 1;
        try
        {
            var to = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).FirstOrDefaultAsync(ct);
            if (string.IsNullOrWhiteSpace(to))
                throw new InvalidOperationException("The recipient no longer has an e-mail address.");
            var counts = claimed.GroupBy(n => n.Kind).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => NoticeDays.Count(g.Key, g.Count())).ToList();
            var path = claimed.Count == 1 ? $"/notifications/{claimed[0].Id}" : "/notifications";
            await sender.SendAsync(new EmailMessage(to, counts, claimed.Count, path), ct);
            var sentAt = clock.GetUtcNow();
            await db.Notifications.Where(x => claimedIds.Contains(x.Id)).ExecuteUpdateAsync(s => s
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
            await db.Notifications.Where(x => claimedIds.Contains(x.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Email, givenUp ? EmailDelivery.Failed : EmailDelivery.Pending)
                .SetProperty(x => x.EmailDueAt, givenUp ? null : retryAt)
                .SetProperty(x => x.EmailAttempts, attempts)
                .SetProperty(x => x.EmailError, error.Length > 400 ? error[..400] : error), ct);
            log.LogWarning("The digest of {Count} notices failed (attempt {Attempt}): {Error}", claimed.Count, attempts, e.GetType().Name);
        }
    }
}
