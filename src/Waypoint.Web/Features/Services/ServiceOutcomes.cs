using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Services;

/// <summary>A count as shown: null when it is suppressed (1 to 4, or a cell that would give one away).</summary>
public sealed record OutcomeCount(string Label, int? Count);

/// <summary>
/// A service's own outcome figures, from every referral ever made to it: how the ended ones ended,
/// how many never started, the completion rate and the wait from referral to start. Counts only,
/// with small numbers suppressed, so that no one young person can be picked out.
/// </summary>
public sealed record ServiceOutcomeFigures(
    int? Referrals,
    int? Ended,
    IReadOnlyList<OutcomeCount> ByEndReason,
    IReadOnlyList<OutcomeCount> NotStarted,
    int? CompletionPercent,
    int? Started,
    int? AverageWaitDays,
    int? MedianWaitDays,
    int? Percentile90WaitDays = null)
{
    public static string Cell(int? count) => count is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "fewer than 5";
}

/// <summary>
/// Attendance (percent of sessions) and suspensions in the term before a completed referral started
/// and the term after it ended, over the young people counted; null figures when fewer than 5.
/// </summary>
public sealed record TermChange(int YoungPeople, double? AttendanceBefore, double? AttendanceAfter, int? SuspensionsBefore, int? SuspensionsAfter);

/// <summary>One service's headline figures beside others of its kind (each suppressed as on its own page).</summary>
public sealed record ServiceComparison(Guid Id, string Name, bool IsThis, int? Referrals, int? CompletionPercent, int? MedianWaitDays);

/// <summary>
/// Works out <see cref="ServiceOutcomeFigures"/> and who may see them: partnership roles (the
/// partnership figures policy: administrators, analysts, current partnership functions) and the
/// provider's own organisation. Reads the service's referrals past the person filters, as
/// counts alone.
/// </summary>
public sealed class ServiceOutcomes(WaypointDbContext db, IAuthorizationService authorization)
{
    /// <summary>Counts from 1 to this are never shown (the partnership's usual rule for published figures).</summary>
    public const int SmallestShown = 5;

    public async Task<bool> MaySeeAsync(System.Security.Claims.ClaimsPrincipal user, Service service) =>
        !db.Reader.IsSystem && db.Reader.UserId != Guid.Empty
        && (db.Reader.OrganisationId == service.ProviderOrganisationId
            || (await authorization.AuthorizeAsync(user, OversightPolicies.PartnershipFigures)).Succeeded);

    /// <summary>Whether the reader may compare services across providers: partnership roles only (a provider sees its own services' figures).</summary>
    public async Task<bool> MayCompareAsync(System.Security.Claims.ClaimsPrincipal user) =>
        !db.Reader.IsSystem && db.Reader.UserId != Guid.Empty && (await authorization.AuthorizeAsync(user, OversightPolicies.PartnershipFigures)).Succeeded;

    public async Task<ServiceOutcomeFigures> ForAsync(Guid serviceId, CancellationToken ct)
    {
        var rows = await db.Unfiltered<ServiceReferral>("a service's outcome figures: counts and waits of its referrals, no person named")
            .Where(r => r.ServiceId == serviceId)
            .Select(r => new { r.Status, r.EndReason, r.SentAt, r.StartedOn })
            .ToListAsync(ct);
        var ended = rows.Where(r => r.Status == ServiceReferralStatus.Ended).ToList();
        var reasons = Enum.GetValues<ServiceReferralEndReason>();
        var notStarted = new[] { ServiceReferralStatus.Declined, ServiceReferralStatus.Withdrawn, ServiceReferralStatus.Lapsed };

        // One table: all referrals = ended by reason + not started by kind + still open; suppressed together, so that no cell can be worked out from the others.
        var values = new List<int> { rows.Count, ended.Count };
        values.AddRange(reasons.Select(reason => ended.Count(r => r.EndReason == reason)));
        values.AddRange(notStarted.Select(status => rows.Count(r => r.Status == status)));
        values.Add(rows.Count(r => r.Status is ServiceReferralStatus.Sent or ServiceReferralStatus.Accepted or ServiceReferralStatus.Waiting or ServiceReferralStatus.Started));
        var reasonCells = Enumerable.Range(2, reasons.Length).ToList();
        var notStartedCells = Enumerable.Range(2 + reasons.Length, notStarted.Length).ToList();
        var openCell = values.Count - 1;
        var constraints = new List<SumConstraint>
        {
            new(1, reasonCells),
            new(0, [1, .. notStartedCells, openCell]),
        };
        var hidden = Suppression.Apply(values, values.Select(v => v is > 0 and < SmallestShown).ToList(), constraints);
        int? Shown(int i) => hidden[i] ? null : values[i];

        var completed = ended.Count(r => r.EndReason == ServiceReferralEndReason.Completed);
        var waits = rows.Where(r => r.StartedOn is not null)
            .Select(r => Math.Max(0, r.StartedOn!.Value.DayNumber - DateOnly.FromDateTime(r.SentAt.UtcDateTime).DayNumber)).Order().ToList();
        var waitsShown = waits.Count >= SmallestShown;
        return new ServiceOutcomeFigures(
            Shown(0),
            Shown(1),
            reasons.Select((reason, i) => new OutcomeCount(Label(reason), Shown(reasonCells[i]))).ToList(),
            notStarted.Select((status, i) => new OutcomeCount(Label(status), Shown(notStartedCells[i]))).ToList(),
            // A rate of two shown counts only: a rate over a hidden count would give it back.
            Shown(1) is >= SmallestShown && Shown(reasonCells[0]) is not null ? (int)Math.Round(100.0 * completed / ended.Count, MidpointRounding.AwayFromZero) : null,
            waitsShown ? waits.Count : null,
            waitsShown ? (int)Math.Round(waits.Average(), MidpointRounding.AwayFromZero) : null,
            waitsShown ? Median(waits) : null,
            waitsShown ? waits[(int)Math.Ceiling(0.9 * waits.Count) - 1] : null);
    }

    /// <summary>
    /// For completed referrals whose term after is over: each young person's attendance and
    /// suspensions in the school term before the referral started against the term after it
    /// ended. Only referrals with attendance recorded in both terms count; shown when at least
    /// <see cref="SmallestShown"/> young people do.
    /// </summary>
    public async Task<TermChange> ChangeAsync(Guid serviceId, DateOnly today, CancellationToken ct)
    {
        var completed = await db.Unfiltered<ServiceReferral>("a service's outcome figures: the terms around its completed referrals, no person named")
            .Where(r => r.ServiceId == serviceId && r.Status == ServiceReferralStatus.Ended && r.EndReason == ServiceReferralEndReason.Completed
                && r.StartedOn != null && r.EndedOn != null)
            .Select(r => new { r.PersonId, Started = r.StartedOn!.Value, Ended = r.EndedOn!.Value })
            .ToListAsync(ct);
        var spans = completed.Select(r => (r.PersonId, Before: Term(r.Started, -1), After: Term(r.Ended, +1)))
            .Where(r => r.After.End < today).ToList();
        if (spans.Count == 0)
            return new TermChange(0, null, null, null, null);
        var people = spans.Select(r => r.PersonId).Distinct().ToList();
        var from = spans.Min(r => r.Before.Start);
        var until = spans.Max(r => r.After.End);
        var attendance = await db.Unfiltered<AttendanceRecord>("a service's outcome figures: attendance of the young people it completed with, in the terms around, as totals")
            .Where(a => people.Contains(a.PersonId) && a.PeriodStart >= from && a.PeriodStart <= until)
            .Select(a => new { a.PersonId, a.PeriodStart, a.SessionsPossible, a.SessionsPresent }).ToListAsync(ct);
        var suspensions = await db.Unfiltered<Suspension>("a service's outcome figures: suspensions of the young people it completed with, in the terms around, as counts")
            .Where(x => people.Contains(x.PersonId) && x.Kind == ExclusionKind.Suspension && x.StartDate >= from && x.StartDate <= until)
            .Select(x => new { x.PersonId, x.StartDate }).ToListAsync(ct);
        var counted = new List<(Guid Person, double Before, double After, int SuspBefore, int SuspAfter)>();
        foreach (var (person, before, after) in spans)
        {
            static bool In(DateOnly d, (DateOnly Start, DateOnly End) t) => d >= t.Start && d <= t.End;
            var b = attendance.Where(a => a.PersonId == person && In(a.PeriodStart, before)).ToList();
            var a = attendance.Where(x => x.PersonId == person && In(x.PeriodStart, after)).ToList();
            if (b.Sum(x => x.SessionsPossible) == 0 || a.Sum(x => x.SessionsPossible) == 0)
                continue;
            counted.Add((person, 100.0 * b.Sum(x => x.SessionsPresent) / b.Sum(x => x.SessionsPossible), 100.0 * a.Sum(x => x.SessionsPresent) / a.Sum(x => x.SessionsPossible),
                suspensions.Count(x => x.PersonId == person && In(x.StartDate, before)), suspensions.Count(x => x.PersonId == person && In(x.StartDate, after))));
        }
        var young = counted.Select(c => c.Person).Distinct().Count();
        if (young < SmallestShown)
            return new TermChange(young, null, null, null, null);
        return new TermChange(young, Math.Round(counted.Average(c => c.Before), 1), Math.Round(counted.Average(c => c.After), 1),
            counted.Sum(c => c.SuspBefore), counted.Sum(c => c.SuspAfter));
    }

    /// <summary>The school term <paramref name="step"/> terms from the one holding the date.</summary>
    private static (DateOnly Start, DateOnly End) Term(DateOnly date, int step)
    {
        var year = AcademicYear.Of(date);
        var index = (int)SchoolCalendar.TermOf(date) + step;
        if (index < 0)
            (year, index) = (year.Previous, 2);
        else if (index > 2)
            (year, index) = (new AcademicYear(year.StartYear + 1), 0);
        return SchoolCalendar.Bounds(year, (SchoolTerm)index);
    }

    /// <summary>
    /// Services of the same kind, to compare against: other alternative provision for alternative
    /// provision, else services meeting at least one of the same needs; each with its own
    /// suppressed figures. Suspended services are left out; at most ten, by name.
    /// </summary>
    public async Task<IReadOnlyList<ServiceComparison>> CompareAsync(Service service, CancellationToken ct)
    {
        var needs = await db.Set<ServiceNeed>().Where(n => n.ServiceId == service.Id).Select(n => n.TaxonomyTermId).ToListAsync(ct);
        var ap = service.ApRegistration != ApRegistration.NotApplicable;
        var others = await db.Set<Service>().AsNoTracking()
            .Where(s => s.Id != service.Id && s.QaStatus != ServiceQaStatus.Suspended
                && (ap ? s.ApRegistration != ApRegistration.NotApplicable : s.ApRegistration == ApRegistration.NotApplicable && s.Needs.Any(n => needs.Contains(n.TaxonomyTermId))))
            .OrderBy(s => s.Name).Select(s => new { s.Id, s.Name }).Take(10).ToListAsync(ct);
        var rows = new List<ServiceComparison>();
        foreach (var s in others.Prepend(new { service.Id, service.Name }))
        {
            var f = await ForAsync(s.Id, ct);
            rows.Add(new ServiceComparison(s.Id, s.Name, s.Id == service.Id, f.Referrals, f.CompletionPercent, f.MedianWaitDays));
        }
        return rows;
    }

    private static int Median(List<int> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (int)Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2.0, MidpointRounding.AwayFromZero);

    private static string Label(ServiceReferralEndReason reason) => reason switch
    {
        ServiceReferralEndReason.Completed => "Completed",
        ServiceReferralEndReason.Disengaged => "Disengaged",
        ServiceReferralEndReason.MovedAway => "Moved away",
        _ => "Withdrawn after starting",
    };

    private static string Label(ServiceReferralStatus status) => status switch
    {
        ServiceReferralStatus.Declined => "Declined by the provider",
        ServiceReferralStatus.Withdrawn => "Withdrawn before starting",
        _ => "Not answered in time (lapsed)",
    };
}
