using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>What one held meeting achieved, in counts that name nobody.</summary>
public sealed record MeetingOutcome(Guid MeetingId, DateOnly Date, int Discussed, IReadOnlyDictionary<MeetingDecisionKind, int> Decisions,
    int ActionsOnTime, int ActionsLate, int ActionsOverdue, int ActionsOpen,
    IReadOnlyList<ConsentByAgency> Consent, ChangeSince? Change);

public sealed record ConsentByAgency(string Agency, int Sought, int Given);

/// <summary>
/// For the children discussed at a meeting at least 3 months ago: their attendance before the
/// meeting and since (percentage points), and suspensions in the term (13 weeks) before and since.
/// Averages over the children with records; null when none have any.
/// </summary>
public sealed record ChangeSince(int Children, decimal? AttendanceBefore, decimal? AttendanceSince, decimal SuspensionsPerChildBefore, decimal SuspensionsPerChildSince)
{
    public decimal? AttendanceChange => AttendanceSince - AttendanceBefore;
}

/// <summary>
/// A series' outcomes, meeting by meeting: children discussed, decisions by type, actions done on
/// time and overdue, consent sought and given by agency, and the change in attendance and
/// suspensions for the children discussed 3 and 6 months ago. Counts across the whole agenda,
/// whoever reads them, so they are read past the filters and never name a child.
/// </summary>
public sealed class SeriesOutcomes(WaypointDbContext db, TimeProvider clock)
{
    private const int TermDays = 91;

    public async Task<IReadOnlyList<MeetingOutcome>> ForSeriesAsync(Guid seriesId, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var meetings = await db.Set<Meeting>().AsNoTracking().Where(m => m.SeriesId == seriesId && m.Date <= today)
            .OrderByDescending(m => m.Date).Select(m => new { m.Id, m.Date }).Take(24).ToListAsync(ct);
        var ids = meetings.Select(m => m.Id).ToList();
        var items = await db.Unfiltered<AgendaItem>("a series' outcomes: the decisions on its agendas, counted, never named")
            .Where(i => ids.Contains(i.MeetingId) && i.RemovedAt == null && i.Decision != null)
            .Select(i => new { i.Id, i.MeetingId, i.PersonId, i.Decision, i.ConsentAgencyId }).ToListAsync(ct);
        var itemIds = items.Select(i => i.Id).ToList();
        var actions = await db.Unfiltered<MeetingAction>("a series' outcomes: its actions done on time or overdue, counted")
            .Where(a => itemIds.Contains(a.AgendaItemId)).Select(a => new { a.AgendaItemId, a.DueOn, a.CompletedAt }).ToListAsync(ct);
        var people = items.Select(i => i.PersonId).Distinct().ToList();
        var requests = await db.Unfiltered<ConsentRequest>("a series' outcomes: the consent its meetings sought and the answers, counted by agency")
            .Where(r => r.AgendaItemId != null && itemIds.Contains(r.AgendaItemId.Value))
            .Select(r => new { AgendaItemId = r.AgendaItemId!.Value, r.AskingOrganisationId, r.Outcome }).ToListAsync(ct);
        var agencyIds = requests.Select(r => r.AskingOrganisationId).Distinct().ToList();
        var agencies = await db.Organisations.AsNoTracking().Where(o => agencyIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        var attendance = await db.Unfiltered<AttendanceRecord>("a series' outcomes: attendance of the children discussed, averaged, never shown per child")
            .Where(a => people.Contains(a.PersonId) && a.SessionsPossible > 0)
            .Select(a => new { a.PersonId, a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.SessionsPresent }).ToListAsync(ct);
        var suspensions = await db.Unfiltered<Suspension>("a series' outcomes: suspensions of the children discussed, counted per term")
            .Where(s => people.Contains(s.PersonId)).Select(s => new { s.PersonId, s.StartDate }).ToListAsync(ct);

        var outcomes = new List<MeetingOutcome>();
        foreach (var meeting in meetings)
        {
            var decided = items.Where(i => i.MeetingId == meeting.Id).ToList();
            var decidedIds = decided.Select(i => i.Id).ToHashSet();
            var own = actions.Where(a => decidedIds.Contains(a.AgendaItemId)).ToList();
            var consent = requests.Where(r => decidedIds.Contains(r.AgendaItemId))
                .GroupBy(r => r.AskingOrganisationId)
                .Select(g => new ConsentByAgency(agencies.GetValueOrDefault(g.Key, "Unknown"), g.Count(), g.Count(r => r.Outcome == ConsentOutcome.Given)))
                .OrderBy(c => c.Agency).ToList();
            ChangeSince? change = null;
            if (meeting.Date <= today.AddMonths(-3) && decided.Count > 0)
            {
                var children = decided.Select(i => i.PersonId).Distinct().ToList();
                decimal? Percent(IEnumerable<(int Possible, int Present)> rows)
                {
                    var list = rows.ToList();
                    var possible = list.Sum(r => r.Possible);
                    return possible == 0 ? null : Math.Round(100m * list.Sum(r => r.Present) / possible, 1);
                }
                var before = Percent(attendance.Where(a => children.Contains(a.PersonId) && a.PeriodEnd < meeting.Date && a.PeriodEnd >= meeting.Date.AddDays(-TermDays))
                    .Select(a => (a.SessionsPossible, a.SessionsPresent)));
                var since = Percent(attendance.Where(a => children.Contains(a.PersonId) && a.PeriodStart >= meeting.Date)
                    .Select(a => (a.SessionsPossible, a.SessionsPresent)));
                var suspBefore = suspensions.Count(s => children.Contains(s.PersonId) && s.StartDate < meeting.Date && s.StartDate >= meeting.Date.AddDays(-TermDays));
                var termsSince = Math.Max(1m, (today.DayNumber - meeting.Date.DayNumber) / (decimal)TermDays);
                var suspSince = suspensions.Count(s => children.Contains(s.PersonId) && s.StartDate >= meeting.Date);
                change = new ChangeSince(children.Count, before, since,
                    Math.Round((decimal)suspBefore / children.Count, 2), Math.Round(suspSince / termsSince / children.Count, 2));
            }
            outcomes.Add(new MeetingOutcome(meeting.Id, meeting.Date, decided.Select(i => i.PersonId).Distinct().Count(),
                decided.GroupBy(i => i.Decision!.Value).ToDictionary(g => g.Key, g => g.Count()),
                own.Count(a => a.CompletedAt is { } done && DateOnly.FromDateTime(done.UtcDateTime) <= a.DueOn),
                own.Count(a => a.CompletedAt is { } done && DateOnly.FromDateTime(done.UtcDateTime) > a.DueOn),
                own.Count(a => a.CompletedAt is null && a.DueOn < today),
                own.Count(a => a.CompletedAt is null && a.DueOn >= today),
                consent, change));
        }
        return outcomes;
    }
}
