using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Schools;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Referrals;

public sealed record EarlierReport(Guid Id, DateTimeOffset ReportedAt, string Reporter, TriageOutcome? Outcome, bool Awaiting);

/// <summary>What the hub needs beside a report to decide it: the child's age and school, this year's attendance and suspensions, earlier reports and what is open now.</summary>
public sealed record TriageContextView(int? Age, string? School, decimal? AttendancePercent, bool PersistentAbsence, int Suspensions, decimal SuspensionDays,
    IReadOnlyList<EarlierReport> EarlierReports, PersonSummaryView? Summary);

/// <summary>
/// The triage page's context about the child, read through the policy's filters after the report
/// (and so the child) has been opened and the look audited: a school record, report or case the
/// hub may not see is left out rather than counted.
/// </summary>
public static class TriageContext
{
    public static async Task<TriageContextView> LoadAsync(WaypointDbContext db, PersonAccess access, Referral referral, OpenedPerson opened, DateOnly today, CancellationToken ct)
    {
        var child = opened.Person;
        var personId = child.Id;
        int? age = child.DateOfBirth is { } dob ? Ages.On(dob, today) : null;
        var school = await db.Enrolments.AsNoTracking()
            .Where(e => e.PersonId == personId && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
            .OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate)
            .Select(e => new { e.School!.Name, e.School.Urn, e.YearGroup }).FirstOrDefaultAsync(ct);
        var year = AcademicYear.Of(today);
        var periods = await db.AttendanceRecords.AsNoTracking()
            .Where(a => a.PersonId == personId && a.PeriodStart >= year.Start && a.PeriodStart <= year.End)
            .Select(a => new { a.SessionsPossible, a.AuthorisedAbsence, a.UnauthorisedAbsence }).ToListAsync(ct);
        var attendance = periods.Count == 0 ? null : AbsenceRules.Summarise(periods.Select(a => (a.SessionsPossible, a.AuthorisedAbsence, a.UnauthorisedAbsence)));
        var suspensions = await db.Suspensions.AsNoTracking()
            .Where(s => s.PersonId == personId && s.StartDate >= year.Start && s.StartDate <= year.End).ToListAsync(ct);
        var total = SuspensionLimit.Total(suspensions.Select(SuspensionFacts.Of), year);
        var earlier = await db.Referrals.AsNoTracking().Where(r => r.PersonId == personId && r.Id != referral.Id)
            .OrderByDescending(r => r.ReportedAt).ThenByDescending(r => r.Id).Take(20)
            .Select(r => new EarlierReport(r.Id, r.ReportedAt, r.ReporterOrganisation!.Name, r.Outcome, r.Status == ReferralStatus.AwaitingTriage))
            .ToListAsync(ct);
        // The card by the opened child's id, as the person page reads it (the filters' rules without the Person filter in each part).
        var summary = await PersonSummaryCard.LoadAsync(db, access, opened, today, ct);
        var schoolText = school is null ? null
            : (school.Urn is null ? school.Name : $"{school.Name} (URN {school.Urn})") + (school.YearGroup is { } y ? (y == 0 ? ", Reception" : $", Year {y}") : "");
        return new TriageContextView(age, schoolText, attendance?.AttendanceRate, attendance is not null && attendance.Level >= AbsenceLevel.Persistent,
            suspensions.Count, total.Days, earlier, summary);
    }
}
