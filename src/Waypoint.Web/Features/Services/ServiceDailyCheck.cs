using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Identity;

namespace Waypoint.Features.Services;

/// <summary>
/// What only time changes in the directory: a referral left unanswered past the provider's deciding
/// window lapses (its grant ended with the window; the referrer is told), and a service whose next
/// review date has passed is told once to its provider's organisation administrators and the
/// partnership administrators; and the sixth-day watch alerts an exclusion coming to its sixth
/// school day without full-time education (<see cref="Provision.SixthDayWatch"/>). Runs as the
/// system (the caller switches), daily and on demand.
/// </summary>
public sealed class ServiceDailyCheck(WaypointDbContext db, AuditTrail audit, INotifier notifier, Provision.SixthDayWatch sixthDay, TimeProvider clock, GrantRules grants)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<(int Lapsed, int ReviewsDue, int SixthDayAlerts)> RunAsync(CancellationToken ct)
    {
        var lapsed = await LapseUnansweredAsync(ct);
        var reviews = await NoticeReviewsDueAsync(ct);
        var alerts = await sixthDay.AlertAsync(ct);
        return (lapsed, reviews, alerts);
    }

    public async Task<int> LapseUnansweredAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cutoff = now.AddDays(-GrantRules.ServiceReferralDecisionDays);
        var stale = await db.Set<ServiceReferral>().Include(r => r.Service).Where(r => r.Status == ServiceReferralStatus.Sent && r.SentAt < cutoff)
            .OrderBy(r => r.SentAt).Take(500).ToListAsync(ct);
        foreach (var r in stale)
        {
            r.Status = ServiceReferralStatus.Lapsed;
            r.UpdatedAt = now;
            r.EndedOn = Today;
            r.Version++;
            audit.StageWrite(new AuditEvent(r.PersonId, AuditAction.Update, $"service-referral:lapsed {r.Id}", "process"));
        }
        // A referral can lapse on its grant's last day: the grant ends with it, as a declined one's does.
        var today = Today;
        var grantIds = stale.Where(r => r.InvolvementId != null).Select(r => r.InvolvementId!.Value).ToList();
        foreach (var grant in await db.Involvements.Where(i => grantIds.Contains(i.Id) && i.EndDate >= today).ToListAsync(ct))
            grants.ServiceReferralMoved(grant, ServiceReferralStatus.Lapsed);
        await db.SaveChangesAsync(ct);
        foreach (var r in stale)
            await notifier.NotifyAsync(new Notice([r.ReferrerUserId], "A referral to a service lapsed unanswered",
                $"The referral to {r.Service!.Name} was not answered within {GrantRules.ServiceReferralDecisionDays} days. Contact the provider or refer again.",
                $"/service-referrals/{r.Id}", "service-referral"), ct);
        return stale.Count;
    }

    public async Task<int> NoticeReviewsDueAsync(CancellationToken ct)
    {
        var today = Today;
        var due = await db.Set<Service>().Where(s => s.NextReviewOn != null && s.NextReviewOn < today
                && s.QaStatus != ServiceQaStatus.Suspended && (s.ReviewNoticeSentFor == null || s.ReviewNoticeSentFor != s.NextReviewOn))
            .OrderBy(s => s.Name).Take(500).ToListAsync(ct);
        if (due.Count == 0)
            return 0;
        var admins = await (from ur in db.UserRoles
                            join role in db.Roles on ur.RoleId equals role.Id
                            join u in db.Users on ur.UserId equals u.Id
                            where u.IsActive && (role.Name == Roles.PartnershipAdmin || role.Name == Roles.OrganisationAdmin)
                            select new { u.Id, u.OrganisationId, role.Name }).ToListAsync(ct);
        var partnership = admins.Where(a => a.Name == Roles.PartnershipAdmin).Select(a => a.Id).ToList();
        foreach (var s in due)
            s.ReviewNoticeSentFor = s.NextReviewOn;
        await db.SaveChangesAsync(ct);
        foreach (var s in due)
        {
            var to = admins.Where(a => a.Name == Roles.OrganisationAdmin && a.OrganisationId == s.ProviderOrganisationId).Select(a => a.Id)
                .Concat(partnership).Distinct().ToList();
            if (to.Count > 0)
                await notifier.NotifyAsync(new Notice(to, "A service's review date has passed",
                    $"{s.Name} was due for review on {s.NextReviewOn:d MMMM yyyy}. Review it and set the next date, or suspend it.",
                    $"/services/{s.Id}", "service-review"), ct);
        }
        return due.Count;
    }
}

/// <summary>Runs <see cref="ServiceDailyCheck"/> once a day at <c>Services:DailyCheckAt</c> (UTC, "03:00" unless set; "off" turns it off).</summary>
public sealed class DailyServiceCheck(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<DailyServiceCheck> log)
    : Shell.DailyJob(clock, log)
{
    protected override TimeOnly? RunAt => Shell.DailyJob.TimeOfDay(config["Services:DailyCheckAt"] ?? "03:00");

    protected override string Name => "Daily services check";

    protected override async Task RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem("the daily services check (lapsed referrals, reviews due, sixth-day alerts), as the system");
        var (lapsed, reviews, alerts) = await scope.ServiceProvider.GetRequiredService<ServiceDailyCheck>().RunAsync(ct);
        Log.LogInformation("Daily services check: {Lapsed} referrals lapsed, {Reviews} reviews due, {Alerts} sixth-day alerts", lapsed, reviews, alerts);
    }
}
