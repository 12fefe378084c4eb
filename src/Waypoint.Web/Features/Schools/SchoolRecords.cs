using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Schools;

public sealed record AttendancePeriodView(string School, DateOnly PeriodStart, DateOnly PeriodEnd, int Possible, int Present, int AuthorisedAbsence, int UnauthorisedAbsence)
{
    public AbsenceSummary Summary => new(Possible, AuthorisedAbsence, UnauthorisedAbsence);
}

public sealed record SuspensionView(
    Guid Id, string School, ExclusionKind Kind, DateOnly StartDate, int? Sessions, bool IsLunchtime, IReadOnlyList<string> ReasonCodes,
    ExclusionOutcome Outcome, bool AlternativeProvisionArranged, bool MissesPublicExamination, LocalAuthorityNotice Notice);

public sealed record BehaviourView(string School, DateOnly OccurredOn, BehaviourCategory Category, int Severity, string Description);

public sealed record ManagedMoveView(string HomeSchool, string ReceivingSchool, DateOnly StartDate, DateOnly? EndDate, ManagedMoveOutcome Outcome);

public sealed record PartTimeTimetableView(string School, DateOnly StartDate, DateOnly? EndDate, DateOnly? ReviewDate, int SessionsPerWeek, string Reason);

/// <summary>A pupil's school records as the reader may see them, with what the rules make of them.</summary>
public sealed record SchoolRecordsView(
    Guid PersonId, bool CanRecord, AcademicYear Year, AbsenceSummary YearAttendance, IReadOnlyList<AttendancePeriodView> Attendance,
    IReadOnlyList<SuspensionView> Suspensions, YearSuspensionTotal YearSuspensions, IReadOnlyList<BehaviourView> Behaviour,
    IReadOnlyList<ManagedMoveView> ManagedMoves, IReadOnlyList<PartTimeTimetableView> PartTimeTimetables)
{
    /// <summary>This year's absence at each school (the DfE's per-enrolment measure), where the pupil was at more than one.</summary>
    public IReadOnlyList<(string School, AbsenceSummary Summary)> YearBySchool { get; init; } = [];

    /// <summary>Periods that cover some of the same days, which the combined figures count twice.</summary>
    public IReadOnlyList<AttendanceOverlap> Overlaps => AttendanceOverlaps.In(Attendance);

    /// <summary>Whether the pupil is 5 to 15 at the start of the year, and so counted as persistently or severely absent at all.</summary>
    public bool InHeadlineCohort { get; init; } = true;

    public bool IsEmpty => Attendance.Count == 0 && Suspensions.Count == 0 && Behaviour.Count == 0 && ManagedMoves.Count == 0 && PartTimeTimetables.Count == 0;

    /// <summary>Behaviour is its own category: the section shows only to readers the agreement lets see some, and to the pupil's school.</summary>
    public bool ShowBehaviour => CanRecord || Behaviour.Count > 0;
}

/// <summary>
/// The "School records" part of the person page. Call only after the person has been opened
/// through <see cref="Access.PersonAccess"/> (which audits the read); every set here is filtered
/// by the access policy, so totals count only what the reader may see.
/// </summary>
public static class SchoolRecords
{
    /// <summary>
    /// The records, one statement a kind; the caller passes what the open already read: the pupil's date of birth,
    /// and whether the reader may record (<see cref="SchoolRecording.MayRecord"/> over the open's bases).
    /// </summary>
    public static async Task<SchoolRecordsView> LoadAsync(WaypointDbContext db, Guid personId, DateOnly? dateOfBirth, bool canRecord, DateOnly today, CancellationToken ct = default)
    {
        var year = AcademicYear.Of(today);

        var attendance = await db.AttendanceRecords.AsNoTracking().Where(a => a.PersonId == personId)
            .OrderByDescending(a => a.PeriodStart)
            .Select(a => new AttendancePeriodView(a.School!.Urn == null ? a.School.Name : a.School.Name + " (URN " + a.School.Urn + ")", a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.SessionsPresent, a.AuthorisedAbsence, a.UnauthorisedAbsence))
            .ToListAsync(ct);
        var yearAttendance = AbsenceRules.Summarise(attendance.Where(a => year.Contains(a.PeriodStart))
            .Select(a => (a.Possible, a.AuthorisedAbsence, a.UnauthorisedAbsence)));
        var bySchool = AbsenceRules.PerEnrolment(attendance.Where(a => year.Contains(a.PeriodStart))
            .Select(a => (a.School, a.Possible, a.AuthorisedAbsence, a.UnauthorisedAbsence)));

        var suspensions = await db.Suspensions.AsNoTracking().Where(s => s.PersonId == personId)
            .OrderByDescending(s => s.StartDate).ThenByDescending(s => s.Id)
            .Select(s => new { Record = s, School = s.School!.Urn == null ? s.School.Name : s.School.Name + " (URN " + s.School.Urn + ")" })
            .ToListAsync(ct);
        var facts = suspensions.Select(s => SuspensionFacts.Of(s.Record)).ToList();
        var suspensionViews = suspensions.Select(s => new SuspensionView(
            s.Record.Id, s.School, s.Record.Kind, s.Record.StartDate, s.Record.Sessions, s.Record.IsLunchtime, s.Record.ReasonCodes, s.Record.Outcome,
            s.Record.AlternativeProvisionArranged, s.Record.MissesPublicExamination,
            LocalAuthorityNotification.Assess(SuspensionFacts.Of(s.Record), facts))).ToList();

        var behaviour = await db.BehaviourIncidents.AsNoTracking().Where(b => b.PersonId == personId)
            .OrderByDescending(b => b.OccurredOn).ThenByDescending(b => b.Id)
            .Select(b => new BehaviourView(b.School!.Urn == null ? b.School.Name : b.School.Name + " (URN " + b.School.Urn + ")", b.OccurredOn, b.Category, b.Severity, b.Description))
            .ToListAsync(ct);
        var moves = await db.ManagedMoves.AsNoTracking().Where(m => m.PersonId == personId)
            .OrderByDescending(m => m.StartDate)
            .Select(m => new ManagedMoveView(m.School!.Name, m.ReceivingSchool!.Name, m.StartDate, m.EndDate, m.Outcome))
            .ToListAsync(ct);
        var timetables = await db.PartTimeTimetables.AsNoTracking().Where(t => t.PersonId == personId)
            .OrderByDescending(t => t.StartDate)
            .Select(t => new PartTimeTimetableView(t.School!.Urn == null ? t.School.Name : t.School.Name + " (URN " + t.School.Urn + ")", t.StartDate, t.EndDate, t.ReviewDate, t.SessionsPerWeek, t.Reason))
            .ToListAsync(ct);

        return new SchoolRecordsView(personId, canRecord, year, yearAttendance, attendance,
            suspensionViews, SuspensionLimit.Total(facts, year), behaviour, moves, timetables)
        {
            YearBySchool = bySchool.Count > 1 ? bySchool : [],
            InHeadlineCohort = AbsenceRules.InHeadlineCohort(dateOfBirth, year),
        };
    }
}

/// <summary>Who may add school records by hand: a user of a school where the pupil is enrolled now.</summary>
public static class SchoolRecording
{
    /// <summary>
    /// The same rule over the bases an open found (<see cref="Access.OpenedPerson.Bases"/>): a school reader with a
    /// current enrolment of the pupil at its own school (an enrolment basis is exactly that), with no further read.
    /// </summary>
    public static bool MayRecord(Access.Reader reader, IReadOnlyList<Access.AccessBasis> bases) =>
        !reader.IsSystem && reader.OrganisationType == OrganisationType.School && bases.Any(b => b.Kind == Access.AccessBasisKind.Enrolment);

    public static async Task<bool> CanRecordAsync(WaypointDbContext db, Guid personId, DateOnly today, CancellationToken ct = default) =>
        await EnrolledSinceAsync(db, personId, today, ct) is not null;

    /// <summary>When the pupil's current enrolment at the reader's school began (records cannot predate it); null when the reader may not record.</summary>
    public static async Task<DateOnly?> EnrolledSinceAsync(WaypointDbContext db, Guid personId, DateOnly today, CancellationToken ct = default)
    {
        var reader = db.Reader;
        if (reader.IsSystem || reader.OrganisationType != OrganisationType.School)
            return null;
        return await db.Enrolments.Where(e => e.PersonId == personId && e.SchoolId == reader.OrganisationId && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
            .OrderBy(e => e.StartDate).Select(e => (DateOnly?)e.StartDate).FirstOrDefaultAsync(ct);
    }
}
