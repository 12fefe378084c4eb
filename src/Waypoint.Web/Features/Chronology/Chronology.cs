using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Alerts;
using Waypoint.Features.Referrals;
using Waypoint.Features.Schools;
using Waypoint.Features.Services;

namespace Waypoint.Features.Chronology;

/// <summary>What an entry in a chronology is; the reader filters by these.</summary>
public enum ChronologyKind
{
    ConcernReported,
    HubDecision,
    CaseHistory,
    CaseNote,
    CaseAction,
    CaseReview,
    Consent,
    Exclusion,
    Behaviour,
    ManagedMove,
    PartTimeTimetable,
    Enrolment,
    Alert,
    ServiceReferral,
}

public enum ChronologyOrder
{
    NewestFirst,
    OldestFirst,
}

/// <summary>
/// One line of the chronology. <see cref="On"/> is the day it happened (in the app's time zone
/// where the source records a moment); <see cref="At"/> is that moment, or null where the source
/// records only a date (a suspension starts on a day). <see cref="Link"/> is the source's page.
/// </summary>
public sealed record ChronologyEntry(DateOnly On, DateTimeOffset? At, ChronologyKind Kind, string Title, string Detail, string Organisation, string Link);

/// <summary>Which entries to show: the kinds (none means every kind), an inclusive date range, the order.</summary>
public sealed record ChronologyFilter(IReadOnlyCollection<ChronologyKind>? Kinds = null, DateOnly? From = null, DateOnly? To = null,
    ChronologyOrder Order = ChronologyOrder.NewestFirst)
{
    public static ChronologyFilter All { get; } = new();

    public bool Includes(ChronologyKind kind) => Kinds is null || Kinds.Count == 0 || Kinds.Contains(kind);

    /// <summary>The message for a date outside the years any record can hold, or a range that ends before it starts; or null.</summary>
    /// <summary>The first problem with a range, with the field it belongs to ("from" or "to"), or null.</summary>
    public static (string Field, string Message)? ValidateRange(DateOnly? from, DateOnly? to) =>
        from is { } early && !Shell.SaneDates.Contains(early) ? ("from", $"The 'from' date must be {Shell.SaneDates.RangeText}")
        : to is { } late && !Shell.SaneDates.Contains(late) ? ("to", $"The 'to' date must be {Shell.SaneDates.RangeText}")
        : from is { } f && to is { } t && t < f ? ("to", OutOfOrder) : null;

    public const string OutOfOrder = "The 'to' date must be on or after the 'from' date";
}

public static class ChronologyLabels
{
    public static string Describe(ChronologyKind kind) => kind switch
    {
        ChronologyKind.ConcernReported => "Concern reported",
        ChronologyKind.HubDecision => "Hub decision",
        ChronologyKind.CaseHistory => "Case history",
        ChronologyKind.CaseNote => "Case note",
        ChronologyKind.CaseAction => "Case action",
        ChronologyKind.CaseReview => "Case review",
        ChronologyKind.Consent => "Consent",
        ChronologyKind.Exclusion => "Suspension or exclusion",
        ChronologyKind.Behaviour => "Behaviour incident",
        ChronologyKind.ManagedMove => "Managed move",
        ChronologyKind.PartTimeTimetable => "Part-time timetable",
        ChronologyKind.Enrolment => "School enrolment",
        ChronologyKind.Alert => "Early-warning alert",
        ChronologyKind.ServiceReferral => "Service referral",
        _ => kind.ToString(),
    };
}

/// <summary>
/// One timeline per person from every source the app holds. Every read goes through the normal
/// filtered sets, so the chronology holds exactly what the access policy lets the reader see
/// (a behaviour incident only where the agreement lets behaviour flow to the reader, a case's
/// entries only where the reader sees the case, a note only where its category flows). The caller
/// opens (and so audits) the person first; this reads only, a query per source.
/// </summary>
public sealed class Chronology(WaypointDbContext db)
{
    public const int MaxDetailLength = 300;

    /// <summary>How many notes on the person's visible cases the agreement withholds (<see cref="AccessPolicy.WithheldNotesAsync"/>).</summary>
    public Task<int> WithheldNotesAsync(Guid personId, CancellationToken ct = default) =>
        AccessPolicy.WithheldNotesAsync(db, db.Cases.Where(c => c.PersonId == personId).Select(c => c.Id), ct);

    public async Task<IReadOnlyList<ChronologyEntry>> BuildAsync(Guid personId, ChronologyFilter filter, CancellationToken ct = default)
    {
        // Sources recording a moment are narrowed in the database a day either side of the range
        // (days are in the app's time zone), then exactly in memory on the entry's own day.
        // Callers check the range first (ValidateRange) and show its message; one that did not fails here with it, not with an overflow.
        if (ChronologyFilter.ValidateRange(filter.From, filter.To) is { } invalid)
            throw new ArgumentException(invalid.Message, nameof(filter));
        DateTimeOffset? after = filter.From is { } f ? new DateTimeOffset(f.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1) : null;
        DateTimeOffset? before = filter.To is { } until ? new DateTimeOffset(until.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(2) : null;
        var from = filter.From ?? DateOnly.MinValue;
        var to = filter.To ?? DateOnly.MaxValue;
        var entries = new List<ChronologyEntry>();
        var person = $"/people/{personId}";

        if (filter.Includes(ChronologyKind.ConcernReported) || filter.Includes(ChronologyKind.HubDecision))
        {
            var referrals = await db.Referrals.AsNoTracking().Where(r => r.PersonId == personId)
                .Select(r => new
                {
                    r.Id,
                    r.Categories,
                    r.ImmediateRisk,
                    r.ReportedAt,
                    Reporter = r.ReporterOrganisation!.Name,
                    r.Outcome,
                    r.Rationale,
                    r.DecidedAt,
                    Decider = db.Users.Where(u => u.Id == r.DecidedByUserId).Select(u => u.Organisation!.Name).FirstOrDefault(),
                })
                .ToListAsync(ct);
            foreach (var r in referrals)
            {
                var link = $"/referrals/{r.Id}";
                if (filter.Includes(ChronologyKind.ConcernReported))
                {
                    var categories = string.Join("; ", Referral.ParseCategories(r.Categories).Select(TriageLabels.Describe));
                    entries.Add(Moment(r.ReportedAt, ChronologyKind.ConcernReported,
                        r.ImmediateRisk ? "Concern reported: immediate risk" : "Concern reported",
                        r.ImmediateRisk ? $"{categories}. The child was said to be at immediate risk." : categories, r.Reporter, link));
                }
                if (filter.Includes(ChronologyKind.HubDecision) && r.DecidedAt is { } decidedAt && r.Outcome is { } outcome)
                    entries.Add(Moment(decidedAt, ChronologyKind.HubDecision, $"Hub decision: {TriageLabels.Describe(outcome)}",
                        Shorten(r.Rationale ?? ""), r.Decider ?? "The hub", link));
            }
        }

        var caseKinds = new[] { ChronologyKind.CaseHistory, ChronologyKind.CaseNote, ChronologyKind.CaseAction, ChronologyKind.CaseReview };
        if (caseKinds.Any(filter.Includes))
        {
            // Only this person's cases, and only those the reader may see (the filter on cases);
            // the notes, actions, events and reviews below are filtered by the same rule and their own.
            var cases = (await db.Cases.AsNoTracking().Where(c => c.PersonId == personId)
                    .Select(c => new { c.Id, c.Level, Lead = c.LeadOrganisation!.Name }).ToListAsync(ct))
                .ToDictionary(c => c.Id);
            var caseIds = cases.Keys.ToList();
            string Case(Guid id) => $"{TriageLabels.Describe(cases[id].Level)} led by {cases[id].Lead}";

            if (caseIds.Count > 0 && filter.Includes(ChronologyKind.CaseHistory))
            {
                var events = await db.CaseEvents.AsNoTracking().Where(e => caseIds.Contains(e.CaseId))
                    .Where(e => (after == null || e.At >= after) && (before == null || e.At < before))
                    .Select(e => new { e.CaseId, e.Text, e.At, By = db.Users.Where(u => u.Id == e.ByUserId).Select(u => u.Organisation!.Name).FirstOrDefault() })
                    .ToListAsync(ct);
                entries.AddRange(events.Select(e => Moment(e.At, ChronologyKind.CaseHistory, Shorten(e.Text), $"Case: {Case(e.CaseId)}",
                    e.By ?? cases[e.CaseId].Lead, $"/cases/{e.CaseId}")));
            }

            if (caseIds.Count > 0 && filter.Includes(ChronologyKind.CaseNote))
            {
                var notes = await db.CaseNotes.AsNoTracking().Where(n => n.PersonId == personId && caseIds.Contains(n.CaseId))
                    .Where(n => (after == null || n.At >= after) && (before == null || n.At < before))
                    .Select(n => new
                    {
                        n.CaseId,
                        n.Text,
                        n.At,
                        Owner = n.OwnerOrganisation!.Name,
                        Category = db.RecordCategories.Where(c => c.Code == n.CategoryCode).Select(c => c.Name).FirstOrDefault() ?? n.CategoryCode,
                    })
                    .ToListAsync(ct);
                entries.AddRange(notes.Select(n => Moment(n.At, ChronologyKind.CaseNote, $"Note: {n.Category}", Shorten(n.Text), n.Owner, $"/cases/{n.CaseId}#notes")));
            }

            if (caseIds.Count > 0 && filter.Includes(ChronologyKind.CaseAction))
            {
                var actions = await db.CaseActions.AsNoTracking().Where(a => caseIds.Contains(a.CaseId))
                    .Where(a => ((after == null || a.CreatedAt >= after) && (before == null || a.CreatedAt < before))
                        || (a.DoneAt != null && (after == null || a.DoneAt >= after) && (before == null || a.DoneAt < before)))
                    .Select(a => new { a.CaseId, a.Description, a.DueOn, a.CreatedAt, a.DoneAt, Owner = a.OwnerOrganisation!.Name })
                    .ToListAsync(ct);
                foreach (var a in actions)
                {
                    var link = $"/cases/{a.CaseId}#actions";
                    entries.Add(Moment(a.CreatedAt, ChronologyKind.CaseAction, "Action agreed",
                        $"{Shorten(a.Description)} (due {a.DueOn:d MMMM yyyy})", a.Owner, link));
                    if (a.DoneAt is { } done)
                        entries.Add(Moment(done, ChronologyKind.CaseAction, "Action done", Shorten(a.Description), a.Owner, link));
                }
            }

            if (caseIds.Count > 0 && filter.Includes(ChronologyKind.CaseReview))
            {
                var reviews = await db.CaseReviews.AsNoTracking().Where(r => caseIds.Contains(r.CaseId) && r.HeldOn >= from && r.HeldOn <= to)
                    .Select(r => new { r.CaseId, r.HeldOn, r.Summary, r.NextReviewOn, By = db.Users.Where(u => u.Id == r.ByUserId).Select(u => u.Organisation!.Name).FirstOrDefault() })
                    .ToListAsync(ct);
                entries.AddRange(reviews.Select(r => Day(r.HeldOn, ChronologyKind.CaseReview, "Case reviewed",
                    Shorten(r.Summary) + (r.NextReviewOn is { } next ? $" Next review {next:d MMMM yyyy}." : ""),
                    r.By ?? cases[r.CaseId].Lead, $"/cases/{r.CaseId}#reviews")));
            }
        }

        if (filter.Includes(ChronologyKind.Consent))
        {
            var consents = await db.ConsentRecords.AsNoTracking().Where(c => c.PersonId == personId && c.AskedOn >= from && c.AskedOn <= to)
                .Select(c => new { c.AskedOn, c.Outcome, c.Method, c.Scope, c.ExpiresOn, AskedBy = c.AskedByOrganisation!.Name, For = c.ForOrganisation!.Name })
                .ToListAsync(ct);
            entries.AddRange(consents.Select(c => Day(c.AskedOn, ChronologyKind.Consent, $"{Consent.ConsentWork.Describe(c.Outcome)} for early help from {c.For}",
                $"How asked: {Consent.ConsentWork.Describe(c.Method).ToLowerInvariant()}. Scope: {Shorten(c.Scope)}" + (c.ExpiresOn is { } expires ? $" Expires {expires:d MMMM yyyy}." : ""),
                c.AskedBy, $"{person}/consent")));
        }

        if (filter.Includes(ChronologyKind.Exclusion))
        {
            var suspensions = await db.Suspensions.AsNoTracking().Where(s => s.PersonId == personId && s.StartDate >= from && s.StartDate <= to)
                .Select(s => new { s.Kind, s.StartDate, s.Sessions, s.IsLunchtime, s.ReasonCode1, s.ReasonCode2, s.ReasonCode3, s.Outcome, School = s.School!.Urn == null ? s.School.Name : s.School.Name + " (URN " + s.School.Urn + ")" })
                .ToListAsync(ct);
            entries.AddRange(suspensions.Select(s => Day(s.StartDate, ChronologyKind.Exclusion,
                SchoolLabels.Describe(s.Kind) + (s.IsLunchtime ? " (lunchtime)" : "") + (s.Sessions is { } n ? $", {SchoolLabels.Days(n)}" : ""),
                string.Join("; ", new[] { s.ReasonCode1, s.ReasonCode2, s.ReasonCode3 }.OfType<string>().Select(ExclusionReasons.Describe))
                    + $". {SchoolLabels.Describe(s.Outcome)}.",
                s.School, $"{person}#suspensions")));
        }

        if (filter.Includes(ChronologyKind.Behaviour))
        {
            var incidents = await db.BehaviourIncidents.AsNoTracking().Where(b => b.PersonId == personId && b.OccurredOn >= from && b.OccurredOn <= to)
                .Select(b => new { b.OccurredOn, b.Category, b.Severity, b.Description, School = b.School!.Urn == null ? b.School.Name : b.School.Name + " (URN " + b.School.Urn + ")" })
                .ToListAsync(ct);
            entries.AddRange(incidents.Select(b => Day(b.OccurredOn, ChronologyKind.Behaviour, SchoolLabels.Describe(b.Category),
                $"Severity {b.Severity} of {BehaviourIncident.MaxSeverity}. {Shorten(b.Description)}", b.School, $"{person}#behaviour")));
        }

        if (filter.Includes(ChronologyKind.ManagedMove))
        {
            var moves = await db.ManagedMoves.AsNoTracking().Where(m => m.PersonId == personId
                    && ((m.StartDate >= from && m.StartDate <= to) || (m.EndDate != null && m.EndDate >= from && m.EndDate <= to)))
                .Select(m => new { m.StartDate, m.EndDate, m.Outcome, Home = m.School!.Name, Receiving = m.ReceivingSchool!.Name })
                .ToListAsync(ct);
            foreach (var m in moves)
            {
                entries.Add(Day(m.StartDate, ChronologyKind.ManagedMove, $"Managed move to {m.Receiving} began",
                    $"From {m.Home}. {SchoolLabels.Describe(m.Outcome)}.", m.Home, $"{person}#managed-moves"));
                if (m.EndDate is { } end)
                    entries.Add(Day(end, ChronologyKind.ManagedMove, $"Managed move to {m.Receiving} ended",
                        $"{SchoolLabels.Describe(m.Outcome)}.", m.Home, $"{person}#managed-moves"));
            }
        }

        if (filter.Includes(ChronologyKind.PartTimeTimetable))
        {
            var timetables = await db.PartTimeTimetables.AsNoTracking().Where(t => t.PersonId == personId
                    && ((t.StartDate >= from && t.StartDate <= to) || (t.EndDate != null && t.EndDate >= from && t.EndDate <= to)))
                .Select(t => new { t.StartDate, t.EndDate, t.ReviewDate, t.SessionsPerWeek, t.Reason, School = t.School!.Urn == null ? t.School.Name : t.School.Name + " (URN " + t.School.Urn + ")" })
                .ToListAsync(ct);
            foreach (var t in timetables)
            {
                entries.Add(Day(t.StartDate, ChronologyKind.PartTimeTimetable, "Part-time timetable began",
                    $"{t.SessionsPerWeek} of 10 sessions a week. {Shorten(t.Reason)}" + (t.ReviewDate is { } review ? $" Review by {review:d MMMM yyyy}." : ""),
                    t.School, $"{person}#part-time-timetables"));
                if (t.EndDate is { } end)
                    entries.Add(Day(end, ChronologyKind.PartTimeTimetable, "Part-time timetable ended", "", t.School, $"{person}#part-time-timetables"));
            }
        }

        if (filter.Includes(ChronologyKind.Enrolment))
        {
            var enrolments = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == personId
                    && ((e.StartDate >= from && e.StartDate <= to) || (e.EndDate != null && e.EndDate >= from && e.EndDate <= to)))
                .Select(e => new { e.StartDate, e.EndDate, e.YearGroup, e.IsDualRegistration, School = e.School!.Urn == null ? e.School.Name : e.School.Name + " (URN " + e.School.Urn + ")" })
                .ToListAsync(ct);
            foreach (var e in enrolments)
            {
                var detail = string.Join("; ", new[]
                {
                    e.YearGroup is { } y ? (y == 0 ? "Reception" : $"Year {y}") : null,
                    e.IsDualRegistration ? "dual registration" : null,
                }.OfType<string>());
                // The enrolments are listed on the person's page under "Schools", which has no anchor of its own.
                entries.Add(Day(e.StartDate, ChronologyKind.Enrolment, $"Joined {e.School}", detail, e.School, person));
                if (e.EndDate is { } end)
                    entries.Add(Day(end, ChronologyKind.Enrolment, $"Left {e.School}", detail, e.School, person));
            }
        }

        if (filter.Includes(ChronologyKind.Alert))
        {
            var alerts = await db.Alerts.AsNoTracking().Where(a => a.PersonId == personId)
                .Where(a => (after == null || a.RaisedAt >= after) && (before == null || a.RaisedAt < before))
                .Select(a => new { a.Id, a.Rule, a.Figures, a.Status, a.RaisedAt, School = a.School!.Urn == null ? a.School.Name : a.School.Name + " (URN " + a.School.Urn + ")" })
                .ToListAsync(ct);
            entries.AddRange(alerts.Select(a => Moment(a.RaisedAt, ChronologyKind.Alert, $"Early warning: {AlertRules.Of(a.Rule).Name}",
                $"{Shorten(a.Figures)} (alert {a.Status.ToString().ToLowerInvariant()})",
                a.School, $"/alerts/{a.Id}")));
        }

        if (filter.Includes(ChronologyKind.ServiceReferral))
        {
            // Only the two sides of a referral see it (its filter); a line per step it took.
            var serviceReferrals = await db.Set<ServiceReferral>().AsNoTracking().Where(r => r.PersonId == personId)
                .Select(r => new
                {
                    r.Id,
                    r.Status,
                    r.Urgency,
                    r.SentAt,
                    r.AcceptedAt,
                    r.WaitingAt,
                    r.DeclinedAt,
                    r.StartedOn,
                    r.EndedOn,
                    r.EndReason,
                    Service = r.Service!.Name,
                    Provider = db.Organisations.Where(o => o.Id == r.ProviderOrganisationId).Select(o => o.Name).FirstOrDefault() ?? "",
                    Referrer = db.Organisations.Where(o => o.Id == r.ReferrerOrganisationId).Select(o => o.Name).FirstOrDefault() ?? "",
                })
                .ToListAsync(ct);
            foreach (var r in serviceReferrals)
            {
                var link = $"/service-referrals/{r.Id}";
                entries.Add(Moment(r.SentAt, ChronologyKind.ServiceReferral, $"Referred to {r.Service}",
                    r.Urgency == ServiceReferralUrgency.Urgent ? $"Urgent referral to {r.Provider}" : $"Referral to {r.Provider}", r.Referrer, link));
                if (r.AcceptedAt is { } accepted)
                    entries.Add(Moment(accepted, ChronologyKind.ServiceReferral, $"Referral to {r.Service} accepted", "", r.Provider, link));
                if (r.WaitingAt is { } waiting)
                    entries.Add(Moment(waiting, ChronologyKind.ServiceReferral, $"Put on the waiting list for {r.Service}", "", r.Provider, link));
                if (r.DeclinedAt is { } declined)
                    entries.Add(Moment(declined, ChronologyKind.ServiceReferral, $"Referral to {r.Service} declined", "", r.Provider, link));
                if (r.StartedOn is { } started)
                    entries.Add(Day(started, ChronologyKind.ServiceReferral, $"Started at {r.Service}", "", r.Provider, link));
                if (r.Status == ServiceReferralStatus.Ended && r.EndedOn is { } ended)
                    entries.Add(Day(ended, ChronologyKind.ServiceReferral, $"Left {r.Service}",
                        r.EndReason is { } why ? $"Ended: {ServiceLabels.EndReason(why)}" : "", r.Provider, link));
                if (r.Status == ServiceReferralStatus.Withdrawn && r.EndedOn is { } withdrawn)
                    entries.Add(Day(withdrawn, ChronologyKind.ServiceReferral, $"Referral to {r.Service} withdrawn", "", r.Referrer, link));
                if (r.Status == ServiceReferralStatus.Lapsed && r.EndedOn is { } lapsed)
                    entries.Add(Day(lapsed, ChronologyKind.ServiceReferral, $"Referral to {r.Service} lapsed unanswered", "", r.Provider, link));
            }
        }

        // Oldest first by day and moment (a day's dated entries before its timed ones), then by kind
        // so that, say, a hub decision comes before the case it opened; newest first is the reverse.
        var ordered = entries.Where(e => e.On >= from && e.On <= to)
            .OrderBy(e => e.On).ThenBy(e => e.At ?? DateTimeOffset.MinValue).ThenBy(e => e.Kind).ThenBy(e => e.Title, StringComparer.Ordinal)
            .ToList();
        if (filter.Order == ChronologyOrder.NewestFirst)
            ordered.Reverse();
        return ordered;
    }

    private static ChronologyEntry Moment(DateTimeOffset at, ChronologyKind kind, string title, string detail, string organisation, string link) =>
        new(DateOnly.FromDateTime(at.ToLocalTime().DateTime), at, kind, title, detail, organisation, link);

    private static ChronologyEntry Day(DateOnly on, ChronologyKind kind, string title, string detail, string organisation, string link) =>
        new(on, null, kind, title, detail, organisation, link);

    private static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= MaxDetailLength ? text : text[..MaxDetailLength].TrimEnd() + "…";
    }
}
