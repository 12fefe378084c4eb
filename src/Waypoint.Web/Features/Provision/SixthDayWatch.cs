using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Provision;

public enum SixthDayStatus
{
    PlacedFullTime,
    PlacedPartTime,
    None,
}

/// <summary>One placement as the watch counts it.</summary>
public readonly record struct PlacementSpan(DateOnly Start, DateOnly? End, PlacementBasis Basis);

/// <summary>Where a pupil stands against the sixth school day of an exclusion.</summary>
public sealed record SixthDayAssessment(DateOnly FirstDay, DateOnly SixthDay, DateOnly? LastDay, SixthDayStatus Status, DateOnly? PlacedFrom, int DaysMissed);

/// <summary>
/// The rule of the sixth-day duty, apart from the database so its boundaries are tested directly.
/// From the sixth school day of a permanent exclusion the council, and of a suspension longer
/// than five school days the school, must provide suitable full-time education. Day one is the
/// exclusion's first school day. Provision counts from the sixth day on: a placement that ended
/// before it does not count. A school day is missed when it has passed (today is still open)
/// without a full-time placement; part-time provision does not meet the duty. A suspension's
/// watch ends with its last day.
/// </summary>
public static class SixthDayRule
{
    /// <summary>Five school days: a suspension longer than this (over ten sessions) is watched.</summary>
    public const int DutyFromDay = 6;

    /// <summary>The school days of a suspension of so many sessions (two a day; a half day counts as a day).</summary>
    public static int SuspensionDays(int sessions) => (sessions + 1) / 2;

    public static bool IsWatched(ExclusionKind kind, int? sessions, bool lunchtime, ExclusionOutcome outcome) =>
        outcome is not (ExclusionOutcome.Withdrawn or ExclusionOutcome.Reinstated) && !lunchtime
        && (kind == ExclusionKind.PermanentExclusion || sessions is { } s && SuspensionDays(s) >= DutyFromDay);

    public static SixthDayAssessment Assess(SchoolDays days, DateOnly excludedFrom, int? suspensionSessions, IEnumerable<PlacementSpan> placements, DateOnly today)
    {
        var first = days.OnOrAfter(excludedFrom);
        var sixth = days.Add(first, DutyFromDay - 1);
        DateOnly? last = suspensionSessions is { } sessions ? days.Add(first, SuspensionDays(sessions) - 1) : null;
        var counting = placements.Where(p => p.End is null || p.End >= sixth).ToList();
        var fullTime = counting.Where(p => p.Basis == PlacementBasis.FullTime).Select(p => (DateOnly?)p.Start).Min();
        var status = fullTime is not null ? SixthDayStatus.PlacedFullTime
            : counting.Count > 0 ? SixthDayStatus.PlacedPartTime
            : SixthDayStatus.None;
        var stop = today;
        if (fullTime is { } placed && placed < stop)
            stop = placed;
        if (last is { } l && l.AddDays(1) < stop)
            stop = l.AddDays(1);
        return new SixthDayAssessment(first, sixth, last, status, fullTime, days.CountBetween(sixth, stop));
    }
}

/// <summary>One watched exclusion on the dashboard; the pupil is named only to a reader who may see the exclusion.</summary>
public sealed record SixthDayRow(Guid SuspensionId, Guid? PersonId, string? Pupil, Guid SchoolId, string School, string District, ExclusionKind Kind,
    DateOnly ExcludedFrom, DateOnly SixthDay, DateOnly? LastDay, SixthDayStatus Status, DateOnly? PlacedFrom, int DaysMissed, bool Overdue);

public sealed record SixthDayTotal(string Name, int Exclusions, int PlacedFullTime, int PlacedPartTime, int None, int DaysMissed);

public sealed record SixthDayBoard(DateOnly From, IReadOnlyList<SixthDayRow> Rows, int Hidden, IReadOnlyList<SixthDayTotal> BySchool, IReadOnlyList<SixthDayTotal> ByDistrict);

/// <summary>
/// The sixth-day watch over the partnership's exclusions: the dashboard of days missed and the
/// alert before the day. Figures count every watched exclusion in the reader's scope (all for
/// the inclusion team and partnership administrators, its own for a school); rows name a pupil
/// only where the one policy lets the reader see that exclusion.
/// </summary>
public sealed class SixthDayWatch(WaypointDbContext db, PersonAccess access, Services.ServiceDirectory directory, AuditTrail audit, INotifier notifier,
    TermCalendar calendar, IConfiguration config, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>School days before the sixth day that the alert goes out (Provision:SixthDayAlertSchoolDays, 2 unless set).</summary>
    public int AlertSchoolDaysBefore => int.TryParse(config["Provision:SixthDayAlertSchoolDays"], out var n) && n is >= 0 and <= 5 ? n : 2;

    /// <summary>The reader's scope: null for all schools (inclusion team, partnership admin), the reader's school, or nothing (Guid.Empty).</summary>
    public async Task<Guid?> ScopeAsync(CancellationToken ct)
    {
        if (await directory.ReaderMaintainsDirectoryAsync(ct))
            return null;
        var reader = db.Reader;
        if (reader.AggregatesOnly || reader.UserId == Guid.Empty)
            return Guid.Empty;
        var type = await db.Organisations.AsNoTracking().Where(o => o.Id == reader.OrganisationId).Select(o => (OrganisationType?)o.Type).FirstOrDefaultAsync(ct);
        return type == OrganisationType.School ? reader.OrganisationId : Guid.Empty;
    }

    public async Task<SixthDayBoard> BoardAsync(Guid? school, DateOnly? from, CancellationToken ct)
    {
        var since = from ?? AcademicYear.Of(Today).Start;
        var watched = await WatchedAsync(school, since, ct);
        // The pupils the reader may see this exclusion of: through the school-record filter.
        var ids = watched.Select(w => w.Id).ToList();
        var visible = (await db.Set<Suspension>().AsNoTracking().Where(s => ids.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct)).ToHashSet();
        var visiblePeople = watched.Where(w => visible.Contains(w.Id)).Select(w => w.PersonId).Distinct().ToList();
        var names = (await db.People.AsNoTracking().Where(p => visiblePeople.Contains(p.Id)).Select(p => new { p.Id, p.GivenName, p.FamilyName }).ToListAsync(ct))
            .ToDictionary(p => p.Id, p => $"{p.GivenName} {p.FamilyName}");
        var rows = watched.Select(w =>
        {
            var shown = visible.Contains(w.Id) && names.ContainsKey(w.PersonId);
            return new SixthDayRow(w.Id, shown ? w.PersonId : null, shown ? names[w.PersonId] : null, w.SchoolId, w.School, w.District, w.Kind, w.StartDate,
                w.Assessment.SixthDay, w.Assessment.LastDay, w.Assessment.Status, w.Assessment.PlacedFrom, w.Assessment.DaysMissed,
                w.Assessment.Status != SixthDayStatus.PlacedFullTime && Today >= w.Assessment.SixthDay && (w.Assessment.LastDay is null || Today <= w.Assessment.LastDay));
        }).OrderByDescending(r => r.Overdue).ThenByDescending(r => r.DaysMissed).ThenBy(r => r.SixthDay).ToList();
        static SixthDayTotal Total(string name, IEnumerable<SixthDayRow> group)
        {
            var g = group.ToList();
            return new SixthDayTotal(name, g.Count, g.Count(r => r.Status == SixthDayStatus.PlacedFullTime), g.Count(r => r.Status == SixthDayStatus.PlacedPartTime),
                g.Count(r => r.Status == SixthDayStatus.None), g.Sum(r => r.DaysMissed));
        }
        var shownRows = rows.Where(r => r.PersonId is not null).ToList();
        await access.AuditShownAsync(shownRows.Select(r => r.PersonId!.Value).Distinct().ToList(), AuditAction.Read, "provision:sixth-day", ct);
        return new SixthDayBoard(since, shownRows, rows.Count - shownRows.Count,
            rows.GroupBy(r => r.School).OrderBy(g => g.Key).Select(g => Total(g.Key, g)).ToList(),
            rows.GroupBy(r => r.District).OrderBy(g => g.Key).Select(g => Total(g.Key, g)).ToList());
    }

    /// <summary>
    /// Alerts each watched exclusion once, from <see cref="AlertSchoolDaysBefore"/> school days before
    /// its sixth day while the pupil has no full-time placement: the inclusion team covering the
    /// pupil's area for a permanent exclusion, the school's users for a suspension. Runs as the
    /// system in the daily services check.
    /// </summary>
    public async Task<int> AlertAsync(CancellationToken ct)
    {
        var today = Today;
        var before = AlertSchoolDaysBefore;
        var alerted = db.Set<SixthDayAlert>().Select(a => a.SuspensionId);
        var watched = (await WatchedAsync(null, today.AddDays(-60), ct))
            .Where(w => w.Assessment.Status != SixthDayStatus.PlacedFullTime
                && today >= w.Days.Add(w.Assessment.SixthDay, -before)
                && (w.Assessment.LastDay is null || today <= w.Assessment.LastDay))
            .ToList();
        var done = (await alerted.ToListAsync(ct)).ToHashSet();
        var due = watched.Where(w => !done.Contains(w.Id)).ToList();
        var sent = 0;
        foreach (var w in due)
        {
            var to = w.Kind == ExclusionKind.PermanentExclusion ? await InclusionTeamAsync(w.PersonId, ct) : await SchoolUsersAsync(w.SchoolId, ct);
            db.Add(new SixthDayAlert { SuspensionId = w.Id, SixthDay = w.Assessment.SixthDay, SentAt = clock.GetUtcNow() });
            audit.StageWrite(new AuditEvent(w.PersonId, AuditAction.Update, $"provision:sixth-day-alert {w.Id}", "process"));
            await db.SaveChangesAsync(ct);
            if (to.Count == 0)
                continue;
            var who = w.Kind == ExclusionKind.PermanentExclusion ? "The council" : "The school";
            var missed = today > w.Assessment.SixthDay ? " The day has passed." : "";
            await notifier.NotifyAsync(new Notice(to, "Full-time education is due from the sixth school day",
                $"A pupil {(w.Kind == ExclusionKind.PermanentExclusion ? "permanently excluded" : "suspended")} from {w.School} on {w.StartDate:d MMMM yyyy} " +
                $"needs suitable full-time education from {w.Assessment.SixthDay:dddd d MMMM yyyy}. {who} must arrange it.{missed} " +
                $"They are {(w.Assessment.Status == SixthDayStatus.PlacedPartTime ? "placed part-time only" : "not placed")}.",
                $"/people/{w.PersonId}/placements/new", "sixth-day"), ct);
            sent++;
        }
        return sent;
    }

    private sealed record Watched(Guid Id, Guid PersonId, Guid SchoolId, string School, string District, ExclusionKind Kind, DateOnly StartDate, SixthDayAssessment Assessment, SchoolDays Days);

    /// <summary>
    /// Every watched exclusion since a date, in a scope, past the filters: the figures count them
    /// all; only what the caller shows by filter names anyone.
    /// </summary>
    private async Task<List<Watched>> WatchedAsync(Guid? school, DateOnly since, CancellationToken ct)
    {
        var candidates = await db.Unfiltered<Suspension>("the sixth-day watch counts every long suspension and permanent exclusion in the reader's scope; rows are named only through the filter")
            .AsNoTracking()
            .Where(s => s.StartDate >= since && (school == null || s.SchoolId == school)
                && (s.Kind == ExclusionKind.PermanentExclusion || s.Sessions > 2 * (SixthDayRule.DutyFromDay - 1))
                && !s.IsLunchtime && s.Outcome != ExclusionOutcome.Withdrawn && s.Outcome != ExclusionOutcome.Reinstated)
            .Select(s => new
            {
                s.Id,
                s.PersonId,
                s.SchoolId,
                School = s.School!.Name,
                Area = s.School.Area!.Name,
                AreaKind = s.School.Area.Kind,
                Parent = s.School.Area.Parent!.Name,
                s.School.AreaId,
                ParentId = s.School.Area.ParentId,
                ParentKind = (AreaKind?)s.School.Area.Parent.Kind,
                GrandparentId = s.School.Area.Parent.ParentId,
                s.Kind,
                s.StartDate,
                s.Sessions,
            })
            .OrderBy(s => s.StartDate).Take(5000).ToListAsync(ct);
        var people = candidates.Select(c => c.PersonId).Distinct().ToList();
        var placements = (await db.Unfiltered<ProvisionPlacement>("the sixth-day watch reads the excluded pupils' placements (dates and basis only)")
                .AsNoTracking().Where(p => people.Contains(p.PersonId)).Select(p => new { p.PersonId, p.StartDate, p.EndDate, p.Basis }).ToListAsync(ct))
            .ToLookup(p => p.PersonId, p => new PlacementSpan(p.StartDate, p.EndDate, p.Basis));
        var today = Today;
        // Each school counts the school days of its local authority's term dates.
        var terms = await calendar.AllAsync(ct);
        return candidates.Select(c =>
            {
                var days = TermCalendar.Of(terms, TermCalendar.AuthorityOf(c.AreaId, c.AreaKind, c.ParentId, c.ParentKind, c.GrandparentId));
                return new Watched(c.Id, c.PersonId, c.SchoolId, c.School,
                    c.AreaKind == AreaKind.Ward ? c.Parent ?? c.Area : c.Area, c.Kind, c.StartDate,
                    SixthDayRule.Assess(days, c.StartDate, c.Kind == ExclusionKind.Suspension ? c.Sessions : null, placements[c.PersonId], today), days);
            })
            .ToList();
    }

    private async Task<IReadOnlyCollection<Guid>> InclusionTeamAsync(Guid personId, CancellationToken ct)
    {
        var today = Today;
        var areas = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { Ward = p.AreaId, District = p.Area!.ParentId, County = p.Area.Parent!.ParentId }).FirstOrDefaultAsync(ct);
        if (areas is null)
            return [];
        var covering = new[] { areas.Ward, areas.District, areas.County }.OfType<Guid>().ToList();
        return await db.PartnershipRoleGrants.AsNoTracking()
            .Where(g => g.Function == PartnershipFunction.InclusionOfficer && covering.Contains(g.AreaId) && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => g.UserId).Distinct().ToListAsync(ct);
    }

    private async Task<IReadOnlyCollection<Guid>> SchoolUsersAsync(Guid schoolId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.OrganisationId == schoolId && u.IsActive).OrderBy(u => u.DisplayName).Select(u => u.Id).Take(50).ToListAsync(ct);
}
