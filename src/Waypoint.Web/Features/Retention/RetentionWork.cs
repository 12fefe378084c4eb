using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Audit;

namespace Waypoint.Features.Retention;

/// <summary>A record found due, before it is queued; <paramref name="Happened"/> says what happened when the trigger is more than one event.</summary>
internal sealed record DueRecord(Guid RecordId, Guid? OwnerOrganisationId, DateOnly TriggeredOn, string? Happened = null);

/// <summary>
/// The retention schedule at work: finds records that reached the end of their period and queues
/// them for the data-protection officer, who extends them (a reason and a new date) or confirms
/// their disposal. Disposal removes the record and its copies in one transaction, refuses a record
/// under a legal hold, and leaves an audit row saying what kind of record went, never its content.
/// </summary>
public sealed class RetentionWork(WaypointDbContext db, AuditTrail audit, AuditArchiver auditArchive, TimeProvider clock)
{
    /// <summary>The record types the finder looks for and disposal removes; the others are scheduled but not yet found automatically.</summary>
    public static readonly IReadOnlySet<RetentionRecordType> Disposable = new HashSet<RetentionRecordType>
    {
        RetentionRecordType.ConcernNotTakenFurther, RetentionRecordType.EarlyHelpCase, RetentionRecordType.PoliceFlag,
        RetentionRecordType.MeetingItem, RetentionRecordType.PoliceOccurrence, RetentionRecordType.Consent, RetentionRecordType.Audit,
        RetentionRecordType.SchoolRecord, RetentionRecordType.SubjectAccessCopy, RetentionRecordType.ProvisionPlacement,
    };

    /// <summary>Days after its due date a record still in the queue counts as overdue.</summary>
    public const int OverdueAfterDays = 30;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<List<RetentionSchedule>> SchedulesAsync(CancellationToken ct)
    {
        var stored = await db.RetentionSchedules.AsNoTracking().ToListAsync(ct);
        // A type with no row (a database made before the seed) uses the default until it is saved.
        return Enum.GetValues<RetentionRecordType>()
            .Select(t => stored.FirstOrDefault(s => s.RecordType == t) ?? RetentionDefaults.All.First(d => d.RecordType == t))
            .ToList();
    }

    /// <summary>Sets one record type's period and trigger; refuses a period that is not a whole number from 1 to <see cref="RetentionSchedule.MaxPeriod"/>.</summary>
    public async Task<Dictionary<string, string>> SetScheduleAsync(RetentionRecordType type, string? period, RetentionUnit? unit, RetentionTrigger? trigger, string? basis, string auditBasis, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!int.TryParse(period?.Trim(), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var value))
            errors["Period"] = "Enter the period as a whole number";
        else if (value <= 0)
            errors["Period"] = "The period must be more than zero: a record cannot be kept for no time at all";
        else if (value > RetentionSchedule.MaxPeriod)
            errors["Period"] = $"The period must be {RetentionSchedule.MaxPeriod} or fewer";
        if (unit is null)
            errors["Unit"] = "Select months or years";
        if (trigger is null)
            errors["Trigger"] = "Select the event the period runs from";
        if (basis?.Trim().Length > RetentionSchedule.MaxBasisLength)
            errors["Basis"] = $"The basis must be {RetentionSchedule.MaxBasisLength} characters or fewer";
        if (errors.Count > 0)
            return errors;

        var row = await db.RetentionSchedules.FirstOrDefaultAsync(s => s.RecordType == type, ct);
        var before = row is null ? RetentionDefaults.All.First(d => d.RecordType == type) : null;
        var was = RetentionLabels.Of(row ?? before!);
        if (row is null)
            db.RetentionSchedules.Add(row = new RetentionSchedule { RecordType = type });
        row.Period = value;
        row.Unit = unit!.Value;
        row.Trigger = trigger!.Value;
        row.Basis = string.IsNullOrWhiteSpace(basis) ? null : basis.Trim();
        row.UpdatedAt = clock.GetUtcNow();
        row.UpdatedByUserId = db.Reader.UserId;
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update, $"retention.schedule {type}: {was} to {RetentionLabels.Of(row)}", auditBasis), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Queues every record that has reached the end of its period and is not already queued; an
    /// extension whose date has come puts its record back in the queue. Returns how many were queued.
    /// </summary>
    public async Task<int> FindDueAsync(CancellationToken ct)
    {
        var today = Today;
        var now = clock.GetUtcNow();
        var queued = 0;
        foreach (var schedule in (await SchedulesAsync(ct)).Where(s => Disposable.Contains(s.RecordType)))
        {
            var due = await DueRecordsAsync(schedule, today, ct);
            var ids = due.Select(d => d.RecordId).ToList();
            var known = await db.RetentionReviews.Where(r => r.RecordType == schedule.RecordType && ids.Contains(r.RecordId))
                .Select(r => r.RecordId).ToListAsync(ct);
            foreach (var record in due.Where(d => !known.Contains(d.RecordId)))
            {
                var dueOn = schedule.DueOn(record.TriggeredOn);
                db.RetentionReviews.Add(new RetentionReview
                {
                    RecordType = schedule.RecordType,
                    RecordId = record.RecordId,
                    OwnerOrganisationId = record.OwnerOrganisationId,
                    Trigger = schedule.Trigger,
                    TriggeredOn = record.TriggeredOn,
                    DueOn = dueOn,
                    Why = $"{record.Happened ?? $"{Happened(schedule.Trigger)} {record.TriggeredOn:d MMMM yyyy}"}; kept {RetentionLabels.Of(schedule)}",
                    FoundAt = now,
                    Status = RetentionReviewStatus.Due,
                });
                queued++;
            }
        }
        if ((await SchedulesAsync(ct)).FirstOrDefault(s => s.RecordType == RetentionRecordType.PoliceOccurrence) is { } occurrences)
            await ScrubPoliceImportProblemsAsync(occurrences, today, ct);
        var back = await db.RetentionReviews.Where(r => r.Status == RetentionReviewStatus.Extended && r.ExtendedUntil <= today).ToListAsync(ct);
        foreach (var review in back)
        {
            review.Status = RetentionReviewStatus.Due;
            review.DueOn = review.ExtendedUntil!.Value;
            queued++;
        }
        await db.SaveChangesAsync(ct);
        return queued;
    }

    private static string Happened(RetentionTrigger trigger) => trigger switch
    {
        RetentionTrigger.Closure => "Closed",
        RetentionTrigger.TwentyFifthBirthday => "25th birthday",
        _ => "Last activity",
    };

    // Each type's trigger date, as a cutoff the database compares (the same on both providers).
    private async Task<List<DueRecord>> DueRecordsAsync(RetentionSchedule schedule, DateOnly today, CancellationToken ct)
    {
        var latest = schedule.LatestTriggerDueBy(today);
        var latestAt = new DateTimeOffset(latest.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var birthdayBy = latest.AddYears(-25);
        switch (schedule.RecordType)
        {
            case RetentionRecordType.ConcernNotTakenFurther:
                {
                    var reports = db.Unfiltered<Referral>("retention: reports decided without a case, to find those due for disposal")
                        .Where(r => r.Status == ReferralStatus.Decided && r.CaseId == null && r.DecidedAt != null);
                    var rows = schedule.Trigger switch
                    {
                        RetentionTrigger.TwentyFifthBirthday => await reports.Where(r => r.Person!.DateOfBirth != null && r.Person.DateOfBirth <= birthdayBy)
                            .Select(r => new { r.Id, r.ReporterOrganisationId, At = (DateTimeOffset?)null, Dob = r.Person!.DateOfBirth }).ToListAsync(ct),
                        _ => await reports.Where(r => r.DecidedAt < latestAt)
                            .Select(r => new { r.Id, r.ReporterOrganisationId, At = r.DecidedAt, Dob = (DateOnly?)null }).ToListAsync(ct),
                    };
                    return rows.Select(r => new DueRecord(r.Id, r.ReporterOrganisationId, Trigger(r.At, r.Dob))).ToList();
                }
            case RetentionRecordType.EarlyHelpCase:
                {
                    var cases = db.Unfiltered<Case>("retention: closed cases, to find those due for disposal")
                        .Where(c => c.Status == CaseStatus.Closed && c.ClosedAt != null);
                    var rows = schedule.Trigger switch
                    {
                        RetentionTrigger.TwentyFifthBirthday => await cases.Where(c => c.Person!.DateOfBirth != null && c.Person.DateOfBirth <= birthdayBy)
                            .Select(c => new { c.Id, c.LeadOrganisationId, At = (DateTimeOffset?)null, Dob = c.Person!.DateOfBirth }).ToListAsync(ct),
                        _ => await cases.Where(c => c.ClosedAt < latestAt)
                            .Select(c => new { c.Id, c.LeadOrganisationId, At = c.ClosedAt, Dob = (DateOnly?)null }).ToListAsync(ct),
                    };
                    return rows.Select(r => new DueRecord(r.Id, r.LeadOrganisationId, Trigger(r.At, r.Dob))).ToList();
                }
            case RetentionRecordType.PoliceFlag:
                {
                    // A flag closes when it is removed, or lapses on its review date unreviewed.
                    var flags = db.Unfiltered<PersonFlag>("retention: removed and lapsed flags, to find those due for disposal")
                        .Where(f => f.Status == FlagStatus.Removed || f.ReviewOn < today);
                    if (schedule.Trigger == RetentionTrigger.TwentyFifthBirthday)
                    {
                        var byBirthday = await flags.Where(f => f.Person!.DateOfBirth != null && f.Person.DateOfBirth <= birthdayBy)
                            .Select(f => new { f.Id, f.OwnerOrganisationId, Dob = f.Person!.DateOfBirth }).ToListAsync(ct);
                        return byBirthday.Select(f => new DueRecord(f.Id, f.OwnerOrganisationId, f.Dob!.Value.AddYears(25))).ToList();
                    }
                    var candidates = await flags.Where(f => f.ReviewOn <= latest || (f.ReviewedAt != null && f.ReviewedAt < latestAt))
                        .Select(f => new { f.Id, f.OwnerOrganisationId, f.Status, f.ReviewOn, f.ReviewedAt }).ToListAsync(ct);
                    return candidates
                        .Select(f => new DueRecord(f.Id, f.OwnerOrganisationId,
                            f.Status == FlagStatus.Removed && f.ReviewedAt is { } at ? DateOnly.FromDateTime(at.UtcDateTime) : f.ReviewOn))
                        .Where(f => f.TriggeredOn <= latest)
                        .ToList();
                }
            case RetentionRecordType.MeetingItem:
                {
                    // An item's last activity is its meeting's day, or its decision or removal when later; only meetings that have happened.
                    var items = await db.Unfiltered<AgendaItem>("retention: agenda items of past meetings, to find those due for disposal")
                        .Where(i => i.Meeting!.Date < today && (schedule.Trigger != RetentionTrigger.TwentyFifthBirthday
                            ? i.Meeting.Date <= latest
                            : i.Person!.DateOfBirth != null && i.Person.DateOfBirth <= birthdayBy))
                        .Select(i => new { i.Id, Owner = i.Meeting!.Series!.OrganiserOrganisationId, i.Meeting.Date, i.DecidedAt, i.RemovedAt, Dob = i.Person!.DateOfBirth })
                        .ToListAsync(ct);
                    return items
                        .Select(i => new DueRecord(i.Id, i.Owner, schedule.Trigger == RetentionTrigger.TwentyFifthBirthday
                            ? i.Dob!.Value.AddYears(25)
                            : Latest(i.Date, i.DecidedAt, i.RemovedAt)))
                        .Where(d => d.TriggeredOn <= latest)
                        .ToList();
                }
            case RetentionRecordType.PoliceOccurrence:
                {
                    // An occurrence names several people: by birthday it waits for the youngest of them.
                    var occurrences = await db.Unfiltered<Occurrence>("retention: police occurrences, to find those due for disposal")
                        .Where(o => schedule.Trigger == RetentionTrigger.TwentyFifthBirthday || o.OccurredOn <= latest)
                        .Select(o => new { o.Id, o.OwnerOrganisationId, o.OccurredOn, Youngest = o.People.Max(x => x.Person!.DateOfBirth) })
                        .ToListAsync(ct);
                    return occurrences
                        .Select(o => new DueRecord(o.Id, o.OwnerOrganisationId, schedule.Trigger == RetentionTrigger.TwentyFifthBirthday
                            ? (o.Youngest ?? o.OccurredOn.AddYears(-25)).AddYears(25)
                            : o.OccurredOn))
                        .Where(d => d.TriggeredOn <= latest)
                        .ToList();
                }
            case RetentionRecordType.Consent:
                {
                    // Consent lasts as long as the work it allows: consent tied to an open case is not due.
                    var consents = await db.Unfiltered<ConsentRecord>("retention: consent records, to find those due for disposal")
                        .Where(c => schedule.Trigger == RetentionTrigger.TwentyFifthBirthday
                            ? c.Person!.DateOfBirth != null && c.Person.DateOfBirth <= birthdayBy
                            : c.AskedOn <= latest)
                        .Select(c => new { c.Id, c.AskedByOrganisationId, c.CaseId, c.AskedOn, c.ExpiresOn, Dob = c.Person!.DateOfBirth })
                        .ToListAsync(ct);
                    var caseIds = consents.Where(c => c.CaseId != null).Select(c => c.CaseId!.Value).Distinct().ToList();
                    var open = await db.Unfiltered<Case>("retention: whether consent still allows open work").Where(c => caseIds.Contains(c.Id) && c.Status != CaseStatus.Closed)
                        .Select(c => c.Id).ToListAsync(ct);
                    return consents.Where(c => c.CaseId is not { } caseId || !open.Contains(caseId))
                        .Select(c => new DueRecord(c.Id, c.AskedByOrganisationId, schedule.Trigger == RetentionTrigger.TwentyFifthBirthday
                            ? c.Dob!.Value.AddYears(25)
                            : c.ExpiresOn is { } ends && ends > c.AskedOn ? ends : c.AskedOn))
                        .Where(d => d.TriggeredOn <= latest)
                        .ToList();
                }
            case RetentionRecordType.SchoolRecord:
                return await SchoolRecordsDueAsync(schedule, today, latest, birthdayBy, ct);
            case RetentionRecordType.ProvisionPlacement:
                {
                    // A placement still running (no end, or an end to come) is never due, whatever the trigger.
                    var placements = await db.Unfiltered<ProvisionPlacement>("retention: ended placements in alternative provision, to find those due for disposal")
                        .Where(x => x.EndDate != null && x.EndDate < today && x.EndDate <= latest
                            && (schedule.Trigger != RetentionTrigger.TwentyFifthBirthday || (x.Person!.DateOfBirth != null && x.Person.DateOfBirth <= birthdayBy)))
                        .Select(x => new { x.Id, x.OwnerOrganisationId, End = x.EndDate!.Value, x.EndedAt, x.RecordedAt, Dob = x.Person!.DateOfBirth })
                        .ToListAsync(ct);
                    return placements
                        .Select(x => schedule.Trigger switch
                        {
                            RetentionTrigger.TwentyFifthBirthday => x.Dob!.Value.AddYears(25) > x.End
                                ? new DueRecord(x.Id, x.OwnerOrganisationId, x.Dob.Value.AddYears(25), $"Placement ended {x.End:d MMMM yyyy}; 25th birthday {x.Dob.Value.AddYears(25):d MMMM yyyy}")
                                : new DueRecord(x.Id, x.OwnerOrganisationId, x.End, $"25th birthday {x.Dob.Value.AddYears(25):d MMMM yyyy}; placement ended {x.End:d MMMM yyyy}"),
                            RetentionTrigger.LastActivity => new DueRecord(x.Id, x.OwnerOrganisationId, Latest(x.End, x.EndedAt, x.RecordedAt)),
                            _ => new DueRecord(x.Id, x.OwnerOrganisationId, x.End, $"Placement ended {x.End:d MMMM yyyy}"),
                        })
                        .Where(d => d.TriggeredOn <= latest)
                        .ToList();
                }
            case RetentionRecordType.SubjectAccessCopy:
                {
                    var issues = await db.SubjectAccessIssues.AsNoTracking()
                        .Join(db.SubjectAccessRequests, i => i.RequestId, r => r.Id, (i, r) => new { i.Id, i.IssuedAt, r.PersonId }).ToListAsync(ct);
                    var born = new Dictionary<Guid, DateOnly?>();
                    if (schedule.Trigger == RetentionTrigger.TwentyFifthBirthday)
                    {
                        var people = issues.Select(i => i.PersonId).Distinct().ToList();
                        foreach (var chunk in people.Chunk(1000))
                            foreach (var person in await db.Unfiltered<Person>("retention: birthdays of the people subject-access copies were issued about, for their due dates")
                                .Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, x.DateOfBirth }).ToListAsync(ct))
                                born[person.Id] = person.DateOfBirth;
                    }
                    return issues
                        .Select(i => new DueRecord(i.Id, null, SubjectAccessCopyTrigger(schedule.Trigger, DateOnly.FromDateTime(i.IssuedAt.UtcDateTime), born.GetValueOrDefault(i.PersonId)),
                            $"Issued {i.IssuedAt:d MMMM yyyy}"))
                        .Where(d => d.TriggeredOn <= latest)
                        .ToList();
                }
            case RetentionRecordType.Audit:
                {
                    // The audit is kept by archived month (AuditArchiver), each counted from its last day; live months are never due.
                    var months = await db.AuditPeriods.AsNoTracking().Where(p => p.DisposedAt == null).Select(p => new { p.Id, p.Month }).ToListAsync(ct);
                    return months.Select(m => new DueRecord(m.Id, null, m.Month.AddMonths(1).AddDays(-1))).Where(d => d.TriggeredOn <= latest).ToList();
                }
            default:
                return [];
        }
    }

    private static DateOnly Latest(DateOnly day, params DateTimeOffset?[] moments) =>
        moments.OfType<DateTimeOffset>().Select(m => DateOnly.FromDateTime(m.UtcDateTime)).Append(day).Max();

    private static DateOnly Trigger(DateTimeOffset? at, DateOnly? dob) =>
        at is { } a ? DateOnly.FromDateTime(a.UtcDateTime) : dob!.Value.AddYears(25);

    /// <summary>
    /// When an issued subject-access copy's period starts: the day it was issued, or by the 25th
    /// birthday of the person it is about when that comes later (a copy is never due before it was issued).
    /// </summary>
    public static DateOnly SubjectAccessCopyTrigger(RetentionTrigger trigger, DateOnly issuedOn, DateOnly? dateOfBirth) =>
        trigger == RetentionTrigger.TwentyFifthBirthday && dateOfBirth is { } born && born.AddYears(25) > issuedOn ? born.AddYears(25) : issuedOn;

    /// <summary>What the school holds about one pupil, as the finder reduces it.</summary>
    private sealed class SchoolUnitDates
    {
        public bool OnRoll { get; set; }
        public DateOnly? Left { get; set; }
        public DateOnly Last { get; set; } = DateOnly.MinValue;

        public void Saw(DateOnly? day)
        {
            if (day is { } d && d > Last)
                Last = d;
        }
    }

    /// <summary>
    /// A pupil's records from one school are due from the later of leaving that school (the last
    /// enrolment there ended; for a school known only from a transfer file's history, its last
    /// record) and the schedule's event: the 25th birthday, leaving itself, or the last thing the
    /// school recorded. A pupil still on the school's roll is never due.
    /// </summary>
    private async Task<List<DueRecord>> SchoolRecordsDueAsync(RetentionSchedule schedule, DateOnly today, DateOnly latest, DateOnly birthdayBy, CancellationToken ct)
    {
        DateOnly? bornBy = schedule.Trigger == RetentionTrigger.TwentyFifthBirthday ? birthdayBy : null;
        var units = new Dictionary<(Guid Person, Guid School), SchoolUnitDates>();
        SchoolUnitDates Unit(Guid person, Guid school)
        {
            if (!units.TryGetValue((person, school), out var unit))
                units[(person, school)] = unit = new SchoolUnitDates();
            return unit;
        }
        foreach (var e in await db.Unfiltered<Enrolment>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .GroupBy(x => new { x.PersonId, x.SchoolId })
            .Select(g => new { g.Key.PersonId, g.Key.SchoolId, Open = g.Count(x => x.EndDate == null), Left = g.Max(x => x.EndDate), Started = g.Max(x => x.StartDate) })
            .ToListAsync(ct))
        {
            var unit = Unit(e.PersonId, e.SchoolId);
            unit.OnRoll = e.Open > 0 || e.Left > today;
            unit.Left = e.Left;
            unit.Saw(e.Left);
            unit.Saw(e.Started);
        }
        foreach (var a in await db.Unfiltered<AttendanceRecord>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .GroupBy(x => new { x.PersonId, x.SchoolId }).Select(g => new { g.Key.PersonId, g.Key.SchoolId, Last = g.Max(x => x.PeriodEnd) }).ToListAsync(ct))
            Unit(a.PersonId, a.SchoolId).Saw(a.Last);
        foreach (var x in await db.Unfiltered<Suspension>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .GroupBy(x => new { x.PersonId, x.SchoolId }).Select(g => new { g.Key.PersonId, g.Key.SchoolId, Last = g.Max(x => x.StartDate) }).ToListAsync(ct))
            Unit(x.PersonId, x.SchoolId).Saw(x.Last);
        foreach (var x in await db.Unfiltered<BehaviourIncident>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .GroupBy(x => new { x.PersonId, x.SchoolId }).Select(g => new { g.Key.PersonId, g.Key.SchoolId, Last = g.Max(x => x.OccurredOn) }).ToListAsync(ct))
            Unit(x.PersonId, x.SchoolId).Saw(x.Last);
        foreach (var x in await db.Unfiltered<Alert>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .GroupBy(x => new { x.PersonId, x.SchoolId }).Select(g => new { g.Key.PersonId, g.Key.SchoolId, Last = g.Max(x => x.TriggeredOn) }).ToListAsync(ct))
            Unit(x.PersonId, x.SchoolId).Saw(x.Last);
        foreach (var x in await db.Unfiltered<ManagedMove>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .Select(x => new { x.PersonId, x.SchoolId, x.StartDate, x.EndDate }).ToListAsync(ct))
        {
            Unit(x.PersonId, x.SchoolId).Saw(x.StartDate);
            Unit(x.PersonId, x.SchoolId).Saw(x.EndDate);
        }
        foreach (var x in await db.Unfiltered<PartTimeTimetable>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .Select(x => new { x.PersonId, x.SchoolId, x.StartDate, x.EndDate }).ToListAsync(ct))
        {
            Unit(x.PersonId, x.SchoolId).Saw(x.StartDate);
            Unit(x.PersonId, x.SchoolId).Saw(x.EndDate);
        }
        foreach (var x in await db.Unfiltered<TopTenNomination>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => bornBy == null || x.Person!.DateOfBirth <= bornBy)
            .Select(x => new { x.PersonId, x.SchoolId, x.NominatedAt, x.WithdrawnAt }).ToListAsync(ct))
        {
            Unit(x.PersonId, x.SchoolId).Saw(DateOnly.FromDateTime(x.NominatedAt.UtcDateTime));
            Unit(x.PersonId, x.SchoolId).Saw(x.WithdrawnAt is { } w ? DateOnly.FromDateTime(w.UtcDateTime) : null);
        }

        var left = units.Where(u => !u.Value.OnRoll && (u.Value.Left ?? u.Value.Last) <= latest).ToList();
        var born = new Dictionary<Guid, DateOnly?>();
        if (bornBy is not null)
        {
            foreach (var chunk in left.Select(u => u.Key.Person).Distinct().Chunk(1000))
                foreach (var person in await db.Unfiltered<Person>("retention: when each pupil left each school and what the school last recorded, to find school records due for disposal").Where(x => chunk.Contains(x.Id)).Select(x => new { x.Id, x.DateOfBirth }).ToListAsync(ct))
                    born[person.Id] = person.DateOfBirth;
        }
        var due = new List<(Guid Person, Guid School, DateOnly TriggeredOn, string Happened)>();
        foreach (var ((person, school), unit) in left)
        {
            var leftOn = unit.Left ?? unit.Last;
            var (on, happened) = schedule.Trigger switch
            {
                RetentionTrigger.TwentyFifthBirthday when born.GetValueOrDefault(person) is { } dob => dob.AddYears(25) > leftOn
                    ? (dob.AddYears(25), $"Left the school {leftOn:d MMMM yyyy}; 25th birthday {dob.AddYears(25):d MMMM yyyy}")
                    : (leftOn, $"25th birthday {dob.AddYears(25):d MMMM yyyy}; left the school {leftOn:d MMMM yyyy}"),
                RetentionTrigger.TwentyFifthBirthday => (DateOnly.MaxValue, ""),
                RetentionTrigger.LastActivity => (unit.Last, $"Left the school {leftOn:d MMMM yyyy}; last recorded {unit.Last:d MMMM yyyy}"),
                _ => (leftOn, $"Left the school {leftOn:d MMMM yyyy}"),
            };
            if (on <= latest)
                due.Add((person, school, on, happened));
        }

        // Each unit is named by its own id, so the queue and a hold never hold the pupil's.
        var known = new Dictionary<(Guid, Guid), SchoolRecordUnit>();
        foreach (var chunk in due.Select(d => d.Person).Distinct().Chunk(1000))
            foreach (var unit in await db.Set<SchoolRecordUnit>().Where(u => chunk.Contains(u.PersonId)).ToListAsync(ct))
                known[(unit.PersonId, unit.SchoolId)] = unit;
        var now = clock.GetUtcNow();
        return due.Select(d =>
        {
            if (!known.TryGetValue((d.Person, d.School), out var unit))
                db.Set<SchoolRecordUnit>().Add(known[(d.Person, d.School)] = unit = new SchoolRecordUnit { PersonId = d.Person, SchoolId = d.School, FoundAt = now });
            return new DueRecord(unit.Id, d.School, d.TriggeredOn, d.Happened);
        }).ToList();
    }

    /// <summary>What a queued record holds, in kinds and counts (never its content), where the kind is made of several records.</summary>
    public async Task<string?> DescribeAsync(RetentionReview review, CancellationToken ct)
    {
        switch (review.RecordType)
        {
            case RetentionRecordType.SchoolRecord:
                {
                    if (await db.Set<SchoolRecordUnit>().AsNoTracking().FirstOrDefaultAsync(u => u.Id == review.RecordId, ct) is not { } unit)
                        return review.Status == RetentionReviewStatus.Disposed ? null : "Nothing: the pupil's records at this school are no longer held";
                    var (p, s) = (unit.PersonId, unit.SchoolId);
                    var parts = new List<string>();
                    void Count(int n, string one, string many)
                    {
                        if (n > 0)
                            parts.Add($"{n} {(n == 1 ? one : many)}");
                    }
                    Count(await db.Unfiltered<Enrolment>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "enrolment", "enrolments");
                    Count(await db.Unfiltered<AttendanceRecord>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "attendance period", "attendance periods");
                    Count(await db.Unfiltered<Suspension>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "suspension or exclusion", "suspensions or exclusions");
                    Count(await db.Unfiltered<BehaviourIncident>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "behaviour incident", "behaviour incidents");
                    Count(await db.Unfiltered<ManagedMove>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "managed move", "managed moves");
                    Count(await db.Unfiltered<PartTimeTimetable>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "part-time timetable", "part-time timetables");
                    Count(await db.Unfiltered<TopTenNomination>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "top-ten nomination", "top-ten nominations");
                    Count(await db.Unfiltered<Alert>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.SchoolId == s, ct), "alert", "alerts");
                    Count(await db.Unfiltered<PersonIdentifier>("retention: how many records of each kind a queued school record holds, shown to the DPO as counts").CountAsync(x => x.PersonId == p && x.OwnerOrganisationId == s, ct), "identifier the school gave", "identifiers the school gave");
                    return parts.Count == 0 ? "Nothing: the pupil's records at this school are no longer held" : string.Join(", ", parts);
                }
            case RetentionRecordType.SubjectAccessCopy:
                {
                    var issue = await db.SubjectAccessIssues.AsNoTracking().Where(i => i.Id == review.RecordId)
                        .Select(i => new { i.IssuedAt, i.RequestId }).FirstOrDefaultAsync(ct);
                    if (issue is null)
                        return null;
                    var redactions = await db.SubjectAccessRedactions.CountAsync(r => r.RequestId == issue.RequestId && r.Decision == RedactionDecision.Redact, ct);
                    return $"The PDF and the ZIP of CSV files issued on {issue.IssuedAt:d MMMM yyyy}, the {redactions} redaction{(redactions == 1 ? "" : "s")} applied, and the request's compiled records";
                }
            default:
                return null;
        }
    }

    /// <summary>Keeps a queued record until a later date, with the reason; it comes back to the queue then.</summary>
    public async Task<Dictionary<string, string>> ExtendAsync(RetentionReview review, string? reason, DateOnly? until, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (review.Status != RetentionReviewStatus.Due)
            errors["Reason"] = "This record is not waiting for a decision";
        if (string.IsNullOrWhiteSpace(reason))
            errors["Reason"] = "Say why the record is kept longer";
        else if (reason.Trim().Length > RetentionReview.MaxReasonLength)
            errors["Reason"] = $"The reason must be {RetentionReview.MaxReasonLength} characters or fewer";
        if (until is null)
            errors["Until"] = "Enter the date the record is kept until";
        else if (until <= Today)
            errors["Until"] = "The new date must be in the future";
        else if (until > Today.AddYears(10))
            errors["Until"] = "The new date must be within 10 years: decide again then";
        if (errors.Count > 0)
            return errors;
        review.Status = RetentionReviewStatus.Extended;
        review.ExtendedUntil = until;
        review.ExtensionReason = reason!.Trim();
        review.DecidedByUserId = db.Reader.UserId;
        review.DecidedAt = clock.GetUtcNow();
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update,
            $"retention.extend {review.RecordType} (review {review.Id}) until {until:yyyy-MM-dd}", AuditSearch.DpoBasis), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The current legal hold on a record, if any.</summary>
    public Task<LegalHold?> HoldOnAsync(RetentionRecordType type, Guid recordId, CancellationToken ct) =>
        db.LegalHolds.AsNoTracking().Where(h => h.RecordType == type && h.RecordId == recordId && h.LiftedAt == null)
            .OrderBy(h => h.PlacedAt).FirstOrDefaultAsync(ct);

    public async Task<Dictionary<string, string>> PlaceHoldAsync(RetentionReview review, string? reason, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (string.IsNullOrWhiteSpace(reason))
            errors["HoldReason"] = "Say why the record is held (the proceedings or inquiry that need it)";
        else if (reason.Trim().Length > LegalHold.MaxReasonLength)
            errors["HoldReason"] = $"The reason must be {LegalHold.MaxReasonLength} characters or fewer";
        else if (review.Status == RetentionReviewStatus.Disposed)
            errors["HoldReason"] = "This record has already been disposed of";
        else if (await HoldOnAsync(review.RecordType, review.RecordId, ct) is not null)
            errors["HoldReason"] = "This record is already under a legal hold";
        if (errors.Count > 0)
            return errors;
        db.LegalHolds.Add(new LegalHold
        {
            RecordType = review.RecordType,
            RecordId = review.RecordId,
            Reason = reason!.Trim(),
            PlacedByUserId = db.Reader.UserId,
            PlacedAt = clock.GetUtcNow(),
        });
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Create, $"retention.hold {review.RecordType} (review {review.Id})", AuditSearch.DpoBasis), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task LiftHoldAsync(RetentionReview review, CancellationToken ct)
    {
        var holds = await db.LegalHolds.Where(h => h.RecordType == review.RecordType && h.RecordId == review.RecordId && h.LiftedAt == null).ToListAsync(ct);
        if (holds.Count == 0)
            return;
        foreach (var hold in holds)
        {
            hold.LiftedAt = clock.GetUtcNow();
            hold.LiftedByUserId = db.Reader.UserId;
        }
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update, $"retention.hold lifted {review.RecordType} (review {review.Id})", AuditSearch.DpoBasis), ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Why a queued record cannot be disposed of now, or null when it can: it is under a legal
    /// hold, it is not waiting for a decision, or its kind is not one disposal removes.
    /// </summary>
    public async Task<string?> RefusalAsync(RetentionReview review, CancellationToken ct)
    {
        if (review.Status == RetentionReviewStatus.Disposed)
            return "This record has already been disposed of";
        if (review.Status != RetentionReviewStatus.Due)
            return "This record was kept longer: it comes back to the queue when its extension ends";
        if (await HoldOnAsync(review.RecordType, review.RecordId, ct) is { } hold)
            return $"This record is under a legal hold and cannot be disposed of: {hold.Reason}";
        if (!Disposable.Contains(review.RecordType))
            return $"Records of this kind ({RetentionLabels.Of(review.RecordType)}) cannot be disposed of here yet";
        return null;
    }

    /// <summary>
    /// Removes the record and its copies in one transaction (with the audit row of what kind of
    /// record went): the case with its plan, notes, history, team places and the report that
    /// opened it; a report with its reporter's grant; a flag; a meeting item with its actions and
    /// the places it gave; a police occurrence with the people it names and its match reviews; a
    /// consent record. Notices that link to it, and challenges to it, go too.
    /// Rollups hold counts only and are untouched. Returns the refusal, or null when done.
    /// </summary>
    public async Task<string?> DisposeAsync(RetentionReview review, CancellationToken ct)
    {
        if (await RefusalAsync(review, ct) is { } refusal)
            return refusal;
        // Set-based removals (school records, subject-access copies) and the review's own change commit together.
        await using var own = review.RecordType != RetentionRecordType.Audit && db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(ct) : null;
        Guid? recount = null;
        switch (review.RecordType)
        {
            case RetentionRecordType.SchoolRecord:
                recount = await RemoveSchoolRecordsAsync(review.RecordId, ct);
                break;
            case RetentionRecordType.SubjectAccessCopy:
                await RemoveSubjectAccessCopyAsync(review.RecordId, ct);
                break;
            case RetentionRecordType.EarlyHelpCase:
                await RemoveCaseAsync(review.RecordId, ct);
                break;
            case RetentionRecordType.ConcernNotTakenFurther:
                await RemoveReportsAsync(db.Unfiltered<Referral>("retention: the report being disposed of").Where(r => r.Id == review.RecordId), ct);
                break;
            case RetentionRecordType.PoliceFlag:
                db.RemoveRange(await db.Unfiltered<PersonFlag>("retention: the flag being disposed of").Where(f => f.Id == review.RecordId).ToListAsync(ct));
                break;
            case RetentionRecordType.MeetingItem:
                await RemoveMeetingItemAsync(review.RecordId, ct);
                break;
            case RetentionRecordType.PoliceOccurrence:
                await RemoveOccurrenceAsync(review.RecordId, ct);
                break;
            case RetentionRecordType.Consent:
                db.RemoveRange(await db.Unfiltered<ConsentRecord>("retention: the consent record being disposed of").Where(c => c.Id == review.RecordId).ToListAsync(ct));
                break;
            case RetentionRecordType.ProvisionPlacement:
                await RemovePlacementAsync(review.RecordId, ct);
                break;
            case RetentionRecordType.Audit:
                // A month of the audit goes in its own transaction (as the owner role on PostgreSQL), its seal kept and the disposal chained.
                try
                {
                    await auditArchive.DisposeAsync(review.RecordId, db.Reader, ct);
                }
                catch (AuditDisposalRefused refused)
                {
                    return refused.Message;
                }
                break;
        }
        // A challenge to the record holds what it said: it goes with the record; so does a merge's copy of it.
        await RemoveChallengesAsync([review.RecordId], ct);
        await RemoveMergeCopiesOfAsync(review.RecordId, ct);
        review.Status = RetentionReviewStatus.Disposed;
        review.DecidedByUserId = db.Reader.UserId;
        review.DecidedAt = clock.GetUtcNow();
        // What kind of record went and which review decided it: never its content or whose it was.
        audit.StageWrite(new AuditEvent(null, AuditAction.Delete, $"retention.dispose {review.RecordType} (review {review.Id})", AuditSearch.DpoBasis));
        await db.SaveChangesAsync(ct);
        // Issue 15: the pupil's per-person violence rows recounted from what is left (the school's dates go; its counts stay in DisposedViolenceCount).
        if (recount is { } pupil)
            await Evidence.EvidenceRollups.RefreshPeopleAsync(db, [pupil], ct);
        if (own is not null)
            await own.CommitAsync(ct);
        return null;
    }

    /// <summary>
    /// A pupil's records from one school, with their copies: enrolments, attendance (with its code
    /// counts), suspensions and exclusions, behaviour incidents (and the challenges to them), managed
    /// moves, part-time timetables, top-ten nominations, alerts (with their history and the notices
    /// that link to them), the identifiers the school gave and what its import files said in match
    /// reviews; then the unit itself. The chronology reads these rows, so their entries go with them.
    /// The removals are set-based on purpose: they pass by the change tracker, whose save recounts
    /// the evidence rollups from the raw rows, so the counts the rollups and the published
    /// statistics hold stay as they were (counts only, nothing about the pupil).
    /// </summary>
    private async Task<Guid?> RemoveSchoolRecordsAsync(Guid unitId, CancellationToken ct)
    {
        var unit = await db.Set<SchoolRecordUnit>().FirstOrDefaultAsync(u => u.Id == unitId, ct);
        if (unit is null)
            return null;
        var (p, s) = (unit.PersonId, unit.SchoolId);
        // Before the identifiers go: they are what the school's import reports quote.
        await ScrubImportProblemsAsync(p, s, ct);
        await RemoveMergeCopiesAsync(p, SchoolUnitTables(), s, ct);
        await Evidence.DisposedCounts.KeepAsync(db, p, s, ct); // issue 15: a later recount adds these back
        await Evidence.DisposedViolenceCounts.KeepAsync(db, p, s, ct); // and the violence page's cells, as counts
        var incidents = await db.Unfiltered<BehaviourIncident>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).Select(x => x.Id).ToListAsync(ct);
        await RemoveChallengesAsync(incidents, ct);
        foreach (var alert in await db.Unfiltered<Alert>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).Select(x => x.Id).ToListAsync(ct))
        {
            var key = alert.ToString();
            db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.Contains(key)).ToListAsync(ct));
        }
        await db.Unfiltered<Alert>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<Suspension>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<BehaviourIncident>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<AttendanceRecord>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<ManagedMove>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<PartTimeTimetable>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<TopTenNomination>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<Enrolment>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.SchoolId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<PersonIdentifier>("retention: a pupil's records from one school being disposed of").Where(x => x.PersonId == p && x.OwnerOrganisationId == s).ExecuteDeleteAsync(ct);
        await db.Unfiltered<PupilMatchReview>("retention: a pupil's records from one school being disposed of").Where(x => x.SchoolId == s && (x.EnrolledPersonId == p || x.CandidatePersonId == p)).ExecuteDeleteAsync(ct);
        db.Remove(unit);
        return p;
    }

    /// <summary>What an import problem about a disposed pupil's line says instead of what the file said.</summary>
    public const string ProblemRemoved = "A problem about a pupil whose records from this school were disposed of under the retention schedule (its text was removed)";

    /// <summary>
    /// A school's import reports quote what its files said (a pupil's name and UPN beside the
    /// problem found in their line). Those that name the disposed pupil (a UPN they held, an
    /// identifier the school gave, or their forename and surname together) are replaced by a
    /// sentence that names no one, so the report keeps its count and its other pupils' problems.
    /// </summary>
    private async Task ScrubImportProblemsAsync(Guid personId, Guid schoolId, CancellationToken ct)
    {
        var person = await db.Unfiltered<Person>("retention: what the school's import reports quote about the pupil whose records are disposed of").Where(x => x.Id == personId).Select(x => new { Forename = x.GivenName, Surname = x.FamilyName }).FirstOrDefaultAsync(ct);
        var values = await db.Unfiltered<PersonIdentifier>("retention: what the school's import reports quote about the pupil whose records are disposed of")
            .Where(x => x.PersonId == personId && (x.OwnerOrganisationId == schoolId || x.Scheme == IdentifierScheme.Upn)).Select(x => x.Value).ToListAsync(ct);
        values = values.Where(v => v.Trim().Length >= 4).Select(v => v.Trim()).ToList();
        bool Names(string problem) =>
            values.Any(v => problem.Contains(v, StringComparison.OrdinalIgnoreCase))
            || (person is not null && person.Forename.Trim().Length > 0 && person.Surname.Trim().Length > 0
                && problem.Contains(person.Forename.Trim(), StringComparison.OrdinalIgnoreCase) && problem.Contains(person.Surname.Trim(), StringComparison.OrdinalIgnoreCase));
        foreach (var job in await db.ImportJobs.Where(j => j.SenderOrganisationId == schoolId && j.ProblemsJson != null).ToListAsync(ct))
        {
            var problems = System.Text.Json.JsonSerializer.Deserialize<List<string>>(job.ProblemsJson!) ?? [];
            if (!problems.Any(Names))
                continue;
            job.ProblemsJson = System.Text.Json.JsonSerializer.Serialize(problems.Select(x => Names(x) ? ProblemRemoved : x).ToList());
        }
    }

    /// <summary>What a problem in a police force's occurrences file says once the occurrences' retention period has passed.</summary>
    public const string PoliceProblemRemoved = "A problem in a police occurrences file sent longer ago than police occurrences are kept (its text was removed under the retention schedule)";

    /// <summary>
    /// A force's occurrences file (an import job of kind <see cref="ImportKind.PoliceOccurrences"/>,
    /// its sender the force) applies nothing when refused, but its problems quote the names and
    /// references its lines held. They are kept no longer than an occurrence is, under the police
    /// occurrence schedule, counted from the day the file was sent (as an occurrence naming no one
    /// with a known birthday counts from its own date under a 25th-birthday trigger): then every
    /// problem's text is replaced by a sentence naming no one, so the job keeps its count. Done as
    /// the finder runs (nightly), with no review: nothing is disposed of but quoted text.
    /// </summary>
    private async Task ScrubPoliceImportProblemsAsync(RetentionSchedule schedule, DateOnly today, CancellationToken ct)
    {
        var sentBefore = new DateTimeOffset(schedule.LatestTriggerDueBy(today).AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var jobs = await db.ImportJobs.Where(j => j.Kind == ImportKind.PoliceOccurrences && j.ProblemsJson != null && j.QueuedAt < sentBefore).ToListAsync(ct);
        foreach (var job in jobs)
        {
            var problems = System.Text.Json.JsonSerializer.Deserialize<List<string>>(job.ProblemsJson!) ?? [];
            if (problems.All(x => x == PoliceProblemRemoved))
                continue;
            job.ProblemsJson = System.Text.Json.JsonSerializer.Serialize(problems.Select(_ => PoliceProblemRemoved).ToList());
        }
    }

    private HashSet<string> SchoolUnitTables() =>
        new[] { typeof(Enrolment), typeof(AttendanceRecord), typeof(AttendanceCodeCount), typeof(Suspension), typeof(BehaviourIncident), typeof(ManagedMove),
                typeof(PartTimeTimetable), typeof(TopTenNomination), typeof(Alert), typeof(AlertEvent), typeof(PersonIdentifier), typeof(SchoolRecordUnit) }
            .Select(t => db.Model.FindEntityType(t)?.GetTableName()).OfType<string>().ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// A merge keeps, whole, each row it collapsed into the survivor's copy (an identifier or an
    /// imported row both entries held), so that an unmerge can put it back. Those copies of a
    /// disposed record are removed with it: a row of <paramref name="tables"/> in a merge of the
    /// person whose school (or owning organisation, for an identifier) is <paramref name="owner"/>,
    /// with the rows of its own the merge kept beside it.
    /// </summary>
    private async Task RemoveMergeCopiesAsync(Guid personId, IReadOnlySet<string> tables, Guid owner, CancellationToken ct)
    {
        var merges = await db.PersonMerges.Where(m => m.SurvivorId == personId || m.MergedId == personId).Select(m => m.Id).ToListAsync(ct);
        if (merges.Count == 0)
            return;
        var steps = await db.PersonMergeSteps.Where(x => merges.Contains(x.MergeId) && x.Kind == MergeStepKind.Collapsed).ToListAsync(ct);
        var gone = new HashSet<long>();
        foreach (var step in steps.Where(x => tables.Contains(x.TableName) && OwnedBy(x.RowJson, owner)))
        {
            gone.Add(step.Id);
            // The rows of its own (attendance code counts, an alert's history) were journalled just before it, under its key.
            foreach (var part in steps.Where(x => x.MergeId == step.MergeId && x.RowKey == step.RowKey && x.Sequence < step.Sequence && x.TableName != step.TableName))
                gone.Add(part.Id);
        }
        db.PersonMergeSteps.RemoveRange(steps.Where(x => gone.Contains(x.Id)));
    }

    private static bool OwnedBy(string? rowJson, Guid owner)
    {
        if (rowJson is null)
            return false;
        using var json = System.Text.Json.JsonDocument.Parse(rowJson);
        return json.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && json.RootElement.EnumerateObject().Any(c =>
            (c.NameEquals("SchoolId") || c.NameEquals("OwnerOrganisationId")) && c.Value.ValueKind == System.Text.Json.JsonValueKind.String
            && Guid.TryParse(c.Value.GetString(), out var id) && id == owner);
    }

    /// <summary>Copies a merge kept of the disposed record itself (a row it collapsed, keyed by the record's id), with the rows journalled under it.</summary>
    private async Task RemoveMergeCopiesOfAsync(Guid recordId, CancellationToken ct)
    {
        var keys = new[] { recordId.ToString(), recordId.ToString().ToUpperInvariant() };
        db.PersonMergeSteps.RemoveRange(await db.PersonMergeSteps.Where(x => x.Kind == MergeStepKind.Collapsed && keys.Contains(x.RowKey)).ToListAsync(ct));
    }

    /// <summary>An issued copy (its PDF, ZIP and redactions); with the request's last copy, the request goes too, with its compiled records and decisions.</summary>
    private async Task RemoveSubjectAccessCopyAsync(Guid issueId, CancellationToken ct)
    {
        var requestId = await db.SubjectAccessIssues.Where(i => i.Id == issueId).Select(i => (Guid?)i.RequestId).FirstOrDefaultAsync(ct);
        if (requestId is not { } id)
            return;
        await db.SubjectAccessIssues.Where(i => i.Id == issueId).ExecuteDeleteAsync(ct);
        if (await db.SubjectAccessIssues.AnyAsync(i => i.RequestId == id, ct))
            return;
        await db.SubjectAccessRedactions.Where(r => r.RequestId == id).ExecuteDeleteAsync(ct);
        await db.SubjectAccessPoliceItems.Where(r => r.RequestId == id).ExecuteDeleteAsync(ct);
        await db.SubjectAccessRequests.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        var key = id.ToString();
        db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.Contains(key)).ToListAsync(ct));
    }

    private async Task RemoveCaseAsync(Guid caseId, CancellationToken ct)
    {
        var theCase = await db.Unfiltered<Case>("retention: the case being disposed of").FirstOrDefaultAsync(c => c.Id == caseId, ct);
        if (theCase is not null)
            db.Cases.Remove(theCase);
        // The case's parts cascade in the database; loading them makes the removal the same on both providers and with the tracker.
        db.RemoveRange(await db.Unfiltered<CaseMember>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseAction>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseEvent>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseFamilyMember>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseGoal>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseNote>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseReview>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<CaseTransfer>("retention: parts of the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct));
        // Consent has its own schedule: it stays, no longer tied to the case.
        foreach (var consent in await db.Unfiltered<ConsentRecord>("retention: consent tied to the case being disposed of").Where(x => x.CaseId == caseId).ToListAsync(ct))
            consent.CaseId = null;
        // The places the case gave (team, lead offers, step up) are grants sourced from it.
        db.RemoveRange(await db.Unfiltered<Involvement>("retention: grants sourced from the case being disposed of")
            .Where(i => i.SourceId == caseId && (i.Source == InvolvementSource.TeamAroundFamily || i.Source == InvolvementSource.CaseTransfer || i.Source == InvolvementSource.StepUp))
            .ToListAsync(ct));
        var link = $"/cases/{caseId}";
        db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.StartsWith(link)).ToListAsync(ct));
        await RemoveChallengesAsync(await db.Unfiltered<CaseNote>("retention: notes of the case being disposed of, for the challenges to them").Where(x => x.CaseId == caseId).Select(x => x.Id).ToListAsync(ct), ct);
        await RemoveReportsAsync(db.Unfiltered<Referral>("retention: the report that opened the case being disposed of").Where(r => r.CaseId == caseId), ct);
    }

    private async Task RemoveReportsAsync(IQueryable<Referral> reports, CancellationToken ct)
    {
        foreach (var report in await reports.ToListAsync(ct))
        {
            db.Referrals.Remove(report);
            db.RemoveRange(await db.Unfiltered<Involvement>("retention: the reporter's grant from the report being disposed of")
                .Where(i => i.SourceId == report.Id && i.Source == InvolvementSource.Referral).ToListAsync(ct));
            var link = $"/referrals/{report.Id}";
            db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.StartsWith(link)).ToListAsync(ct));
            await RemoveChallengesAsync([report.Id], ct);
        }
    }

    /// <summary>An agenda item with its actions, the places on the child it gave, and notices that link to it; a service referral made from its decision stays, unlinked.</summary>
    private async Task RemoveMeetingItemAsync(Guid itemId, CancellationToken ct)
    {
        db.RemoveRange(await db.Unfiltered<AgendaItem>("retention: the meeting item being disposed of").Where(i => i.Id == itemId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<MeetingAction>("retention: actions of the meeting item being disposed of").Where(a => a.AgendaItemId == itemId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<Involvement>("retention: grants sourced from the meeting item being disposed of")
            .Where(i => i.SourceId == itemId && i.Source == InvolvementSource.Meeting).ToListAsync(ct));
        foreach (var referral in await db.Unfiltered<ServiceReferral>("retention: service referrals made from the meeting item being disposed of").Where(r => r.AgendaItemId == itemId).ToListAsync(ct))
            referral.AgendaItemId = null;
        var key = itemId.ToString();
        db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.Contains(key)).ToListAsync(ct));
    }

    /// <summary>A placement in alternative provision, with the notices that link to it.</summary>
    private async Task RemovePlacementAsync(Guid placementId, CancellationToken ct)
    {
        db.RemoveRange(await db.Unfiltered<ProvisionPlacement>("retention: the placement being disposed of").Where(x => x.Id == placementId).ToListAsync(ct));
        var key = placementId.ToString();
        db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.Contains(key)).ToListAsync(ct));
    }

    /// <summary>A police occurrence with the people it names and the match reviews it raised.</summary>
    private async Task RemoveOccurrenceAsync(Guid occurrenceId, CancellationToken ct)
    {
        db.RemoveRange(await db.Unfiltered<OccurrencePerson>("retention: people named by the occurrence being disposed of").Where(x => x.OccurrenceId == occurrenceId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<OccurrenceMatchReview>("retention: match reviews of the occurrence being disposed of").Where(x => x.OccurrenceId == occurrenceId).ToListAsync(ct));
        db.RemoveRange(await db.Unfiltered<Occurrence>("retention: the occurrence being disposed of").Where(x => x.Id == occurrenceId).ToListAsync(ct));
        var key = occurrenceId.ToString();
        db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the record being disposed of").Where(n => n.Link.Contains(key)).ToListAsync(ct));
    }

    /// <summary>
    /// A register entry disposed of as a whole (the person's last record gone, or an entry made in
    /// error): refused for someone not in the register, during a merge's unmerge window, or while a
    /// legal hold stands on any of their records. In one transaction: the notices that link to the
    /// person or any of their records; every copy a merge journal kept of their rows (and the merges
    /// themselves); import match reviews that enrolled them (a loose column); the counts their school
    /// records added to the rollups kept as counts; import reports' quotes of them replaced; then the
    /// entry itself, whose key cascades to every record about them (cases and every part, reports,
    /// service referrals, placements, school records, flags, consent, grants, challenges). Entries
    /// merged into this one are the same person and go with it. One audit row says a register entry
    /// went, with no person. Subject-access copies follow their own schedule and stay.
    /// Returns the refusal, or null when done.
    /// </summary>
    public async Task<string?> DisposeOfPersonAsync(Guid personId, CancellationToken ct)
    {
        var ids = await db.Unfiltered<Person>("retention: the register entry disposed of as a whole, and entries merged into it")
            .Where(x => x.Id == personId || x.MergedIntoId == personId).Select(x => x.Id).ToListAsync(ct);
        if (!ids.Contains(personId))
            return "This person is not in the register.";
        var now = clock.GetUtcNow();
        var merges = await db.PersonMerges.Where(m => ids.Contains(m.SurvivorId) || ids.Contains(m.MergedId)).ToListAsync(ct);
        if (merges.Any(m => m.IsPending(now)))
            return "This person was merged less than 30 days ago: the merge can still be taken back, so the entry cannot be disposed of until the window closes.";
        var records = await RecordIdsOfAsync(ids, ct);
        if (await db.Set<LegalHold>().AnyAsync(h => h.LiftedAt == null && records.Contains(h.RecordId), ct))
            return "A record about this person is under a legal hold: lift it before disposing of the register entry.";

        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        foreach (var key in ids.Concat(records).Select(x => x.ToString()).Distinct())
            db.RemoveRange(await db.Unfiltered<Notification>("retention: notices that link to the person or a record being disposed of").Where(n => n.Link.Contains(key)).ToListAsync(ct));
        var mergeIds = merges.Select(m => m.Id).ToList();
        db.PersonMergeSteps.RemoveRange(await db.PersonMergeSteps.Where(x => mergeIds.Contains(x.MergeId)).ToListAsync(ct));
        db.PersonMerges.RemoveRange(merges);
        var schools = await db.Unfiltered<Enrolment>("retention: the schools whose records of the person go with the register entry").Where(x => ids.Contains(x.PersonId)).Select(x => x.SchoolId)
            .Union(db.Unfiltered<Suspension>("retention: the schools whose records of the person go with the register entry").Where(x => ids.Contains(x.PersonId)).Select(x => x.SchoolId))
            .Union(db.Unfiltered<AttendanceRecord>("retention: the schools whose records of the person go with the register entry").Where(x => ids.Contains(x.PersonId)).Select(x => x.SchoolId))
            .ToListAsync(ct);
        foreach (var id in ids)
        {
            await Evidence.DisposedViolenceCounts.KeepAsync(db, id, null, ct); // issue 15: the violence page's cells, as counts
            foreach (var school in schools)
            {
                await ScrubImportProblemsAsync(id, school, ct);
                await Evidence.DisposedCounts.KeepAsync(db, id, school, ct);
            }
        }
        await db.SaveChangesAsync(ct);
        // Columns that hold a person's id with no foreign key (PersonTables.LooseColumns) do not cascade.
        await db.Unfiltered<PupilMatchReview>("retention: import match reviews about the person being disposed of").Where(x => x.EnrolledPersonId != null && ids.Contains(x.EnrolledPersonId.Value)).ExecuteDeleteAsync(ct);
        await db.Unfiltered<MeetingAction>("retention: meeting actions about the person being disposed of").Where(x => ids.Contains(x.PersonId)).ExecuteDeleteAsync(ct);
        // Their joint-outcomes rows (issue 15; no foreign key, so they would outlive the entry) go, what they added to the dashboard kept as counts.
        await Evidence.OutcomeRollups.DisposeAsync(db, ids, ct);
        // Set-based, past the change tracker, so the rollups keep their counts; the keys cascade in the database.
        await db.Unfiltered<Person>("retention: entries merged into the one disposed of").Where(x => x.MergedIntoId == personId).ExecuteDeleteAsync(ct);
        await db.Unfiltered<Person>("retention: the register entry disposed of as a whole").Where(x => x.Id == personId).ExecuteDeleteAsync(ct);
        audit.StageWrite(new AuditEvent(null, AuditAction.Delete, $"retention.dispose Person ({ids.Count} register {(ids.Count == 1 ? "entry" : "entries")})", AuditSearch.DpoBasis));
        await db.SaveChangesAsync(ct);
        await Evidence.EvidenceRollups.RefreshPeopleAsync(db, ids, ct); // nothing left to count: their per-person violence rows go

        if (own is not null)
            await own.CommitAsync(ct);
        return null;
    }

    /// <summary>The ids of the records about these people that a legal hold or a notice can name.</summary>
    private async Task<List<Guid>> RecordIdsOfAsync(List<Guid> ids, CancellationToken ct)
    {
        var found = new List<Guid>();
        found.AddRange(await db.Unfiltered<Case>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<Referral>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<ServiceReferral>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<AgendaItem>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<Alert>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<ProvisionPlacement>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<PersonFlag>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<ConsentRecord>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        found.AddRange(await db.Unfiltered<OccurrencePerson>("retention: the records of a register entry disposed of as a whole, for legal holds and notices").Where(x => ids.Contains(x.PersonId)).Select(x => x.OccurrenceId).ToListAsync(ct));
        found.AddRange(await db.Set<SchoolRecordUnit>().Where(x => ids.Contains(x.PersonId)).Select(x => x.Id).ToListAsync(ct));
        return found;
    }

    private async Task RemoveChallengesAsync(IReadOnlyCollection<Guid> recordIds, CancellationToken ct)
    {
        if (recordIds.Count > 0)
            db.RemoveRange(await db.RecordChallenges.Where(c => recordIds.Contains(c.RecordId)).ToListAsync(ct));
    }
}
