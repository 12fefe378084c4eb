using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Schools.Rules;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Schools.TopTen;

public sealed record NomineeRow(Guid NominationId, Guid PersonId, int Rank, string Name, string Reason, DateTimeOffset NominatedAt,
    decimal? AttendancePercent, bool PersistentAbsence, int Suspensions, decimal SuspensionDays, int OpenAlerts = 0);

public sealed record PastNomination(string Name, int Rank, string Reason, DateTimeOffset NominatedAt, DateTimeOffset WithdrawnAt, string? WithdrawalReason);

/// <summary>
/// Each school's "top 10 at risk of exclusion" (the seeds' Wellingborough practice). A school
/// nominates and ranks its own pupils with a reason; partnership roles (hub, inclusion) read every
/// school's list for the people the policy lets them see. Nominations are never edited or deleted:
/// a withdrawal closes one and the history shows it.
/// </summary>
public sealed class IndexModel(WaypointDbContext db, PersonAccess access, TimeProvider clock, Alerts.AlertInbox alerts) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid? School { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty] public Guid? PersonId { get; set; }
    [BindProperty] public int? Rank { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public Guid? NominationId { get; set; }
    [BindProperty] public string? WithdrawalReason { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public bool CanNominate { get; private set; }
    public string? SchoolName { get; private set; }
    public IReadOnlyList<(Guid Id, string Name)> Schools { get; private set; } = [];
    public IReadOnlyList<NomineeRow> Nominees { get; private set; } = [];
    public IReadOnlyList<PastNomination> History { get; private set; } = [];
    public IReadOnlyList<PersonSearchHit> Candidates { get; private set; } = [];

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await ResolveSchoolAsync(ct) is { } refusal)
            return refusal;
        await LoadAsync(ct);
        return Page();
    }

    /// <summary>The school's current list as CSV or XLSX: the pupils the page lists, each audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        if (await ResolveSchoolAsync(ct) is { } refusal)
            return refusal;
        if (School is null)
            return NotFound();
        Search = null;
        await LoadAsync(ct, listed: false);
        await access.AuditShownAsync(Nominees.Select(n => n.PersonId).Distinct().ToList(), AuditAction.Export, "school.top-ten.export", ct);
        var table = new ExportTable("Top 10", ["Rank", "Pupil", "Why", "Nominated on", "Attendance this year (%)", "Persistent absence", "Suspensions this year", "Suspension days this year", "Open alerts"],
            Nominees.Select(n => (IReadOnlyList<object?>)[n.Rank, n.Name, n.Reason, DateOnly.FromDateTime(n.NominatedAt.UtcDateTime), n.AttendancePercent, n.PersistentAbsence,
                n.Suspensions, n.SuspensionDays, n.OpenAlerts]).ToList());
        return ExportFile.Of(table, format, "top-ten", Today);
    }

    public async Task<IActionResult> OnPostNominateAsync(CancellationToken ct)
    {
        if (await ResolveSchoolAsync(ct) is { } refusal)
            return refusal;
        if (!CanNominate)
            return Forbid();
        // The list's size and ranks are the school's whole list, including a pupil who has since
        // left (and so is no longer visible): only ids and ranks leave this query.
        var current = await db.Unfiltered<TopTenNomination>("the size and ranks of the school's whole list, including pupils who have left it; only ids and ranks are read").Where(n => n.SchoolId == School && n.WithdrawnAt == null)
            .Select(n => new { n.PersonId, n.Rank }).ToListAsync(ct);
        if (current.Count >= TopTenNomination.ListSize)
            Errors["PersonId"] = $"The list already has {TopTenNomination.ListSize} pupils: withdraw one before nominating another";
        else if (PersonId is null)
            Errors["PersonId"] = "Choose the pupil to nominate";
        else if (current.Any(n => n.PersonId == PersonId))
            Errors["PersonId"] = "This pupil is already on the list";
        else if (!await EnrolledHereAsync(PersonId.Value, ct))
            Errors["PersonId"] = "Only pupils currently enrolled at your school can be nominated";
        if (Rank is null or < 1 or > TopTenNomination.ListSize)
            Errors["Rank"] = $"Choose a rank from 1 to {TopTenNomination.ListSize}";
        else if (current.Any(n => n.Rank == Rank))
            Errors["Rank"] = $"Rank {Rank} is already taken: choose a free rank or withdraw that nomination first";
        if (string.IsNullOrWhiteSpace(Reason))
            Errors["Reason"] = "Say why the pupil is at risk of exclusion";
        else if (Reason.Trim().Length > TopTenNomination.MaxReasonLength)
            Errors["Reason"] = $"The reason must be {TopTenNomination.MaxReasonLength} characters or fewer";
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        db.TopTenNominations.Add(new TopTenNomination
        {
            PersonId = PersonId!.Value,
            SchoolId = School!.Value,
            Rank = Rank!.Value,
            Reason = Reason!.Trim(),
            NominatedAt = clock.GetUtcNow(),
            NominatedByUserId = db.Reader.UserId,
        });
        await access.AuditWriteAsync(PersonId.Value, AuditAction.Create, "school.top-ten", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"The pupil was added to the list at rank {Rank}";
        return Redirect("/schools/top-ten");
    }

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct)
    {
        if (await ResolveSchoolAsync(ct) is { } refusal)
            return refusal;
        if (!CanNominate)
            return Forbid();
        var nomination = await db.TopTenNominations.FirstOrDefaultAsync(n => n.Id == NominationId && n.SchoolId == School && n.WithdrawnAt == null, ct);
        if (nomination is null)
            return NotFound();
        if (string.IsNullOrWhiteSpace(WithdrawalReason))
            Errors["WithdrawalReason"] = "Say why the pupil is coming off the list";
        else if (WithdrawalReason.Trim().Length > TopTenNomination.MaxReasonLength)
            Errors["WithdrawalReason"] = $"The reason must be {TopTenNomination.MaxReasonLength} characters or fewer";
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        nomination.WithdrawnAt = clock.GetUtcNow();
        nomination.WithdrawnByUserId = db.Reader.UserId;
        nomination.WithdrawalReason = WithdrawalReason!.Trim();
        await access.AuditWriteAsync(nomination.PersonId, AuditAction.Update, "school.top-ten", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "The pupil was taken off the list";
        return Redirect("/schools/top-ten");
    }

    /// <summary>
    /// A new rank is a new nomination with the same reason; the old one is withdrawn saying so,
    /// so the history shows every rank the pupil held.
    /// </summary>
    public async Task<IActionResult> OnPostRerankAsync(CancellationToken ct)
    {
        if (await ResolveSchoolAsync(ct) is { } refusal)
            return refusal;
        if (!CanNominate)
            return Forbid();
        var nomination = await db.TopTenNominations.FirstOrDefaultAsync(n => n.Id == NominationId && n.SchoolId == School && n.WithdrawnAt == null, ct);
        if (nomination is null)
            return NotFound();
        var taken = await db.Unfiltered<TopTenNomination>("whether a rank is taken on the school's whole list, including pupils who have left it")
            .AnyAsync(n => n.SchoolId == School && n.WithdrawnAt == null && n.Rank == Rank && n.Id != nomination.Id, ct);
        if (Rank is null or < 1 or > TopTenNomination.ListSize)
            Errors["Rank"] = $"Choose a rank from 1 to {TopTenNomination.ListSize}";
        else if (Rank == nomination.Rank)
            Errors["Rank"] = $"The pupil is already at rank {Rank}";
        else if (taken)
            Errors["Rank"] = $"Rank {Rank} is already taken: move or withdraw that nomination first";
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        var now = clock.GetUtcNow();
        nomination.WithdrawnAt = now;
        nomination.WithdrawnByUserId = db.Reader.UserId;
        nomination.WithdrawalReason = $"Moved from rank {nomination.Rank} to rank {Rank}";
        db.TopTenNominations.Add(new TopTenNomination
        {
            PersonId = nomination.PersonId,
            SchoolId = nomination.SchoolId,
            Rank = Rank!.Value,
            Reason = nomination.Reason,
            NominatedAt = now,
            NominatedByUserId = db.Reader.UserId,
        });
        await access.AuditWriteAsync(nomination.PersonId, AuditAction.Update, "school.top-ten", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = $"The pupil's rank is now {Rank}";
        return Redirect("/schools/top-ten");
    }

    /// <summary>A school user works on their own school's list; a partnership role picks a school; anyone else is refused.</summary>
    private async Task<IActionResult?> ResolveSchoolAsync(CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.OrganisationType == OrganisationType.School)
        {
            School = reader.OrganisationId;
            CanNominate = true;
        }
        else
        {
            var today = Today;
            var partnershipRole = await db.PartnershipRoleGrants.AnyAsync(g => g.UserId == reader.UserId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today), ct);
            if (!partnershipRole)
                return Forbid();
            Schools = (await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && o.IsActive)
                .OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).ToListAsync(ct)).Select(o => (o.Id, o.Name)).ToList();
            if (School is { } chosen && Schools.All(s => s.Id != chosen))
                return NotFound();
        }
        SchoolName = School is { } id ? await db.Organisations.Where(o => o.Id == id).Select(o => o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")").FirstOrDefaultAsync(ct) : null;
        return null;
    }

    private async Task<bool> EnrolledHereAsync(Guid personId, CancellationToken ct)
    {
        var today = Today;
        return await db.Enrolments.AnyAsync(e => e.PersonId == personId && e.SchoolId == School
            && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today), ct);
    }

    /// <param name="listed">Whether to audit the pupils as listed on the page; an export audits those in the file itself.</param>
    private async Task LoadAsync(CancellationToken ct, bool listed = true)
    {
        if (School is not { } school)
            return;
        var year = AcademicYear.Of(Today);
        var (yearStart, yearEnd) = (year.Start, year.End);
        // The nomination filter is the policy's: only pupils the reader may see are listed; a restriction of processing leaves a pupil off (their record stays readable).
        var rows = await db.TopTenNominations.AsNoTracking().Where(n => n.SchoolId == school && !db.RestrictedPeople().Contains(n.PersonId))
            .OrderBy(n => n.WithdrawnAt == null ? 0 : 1).ThenBy(n => n.Rank).ThenByDescending(n => n.NominatedAt)
            .Select(n => new { n.Id, n.PersonId, n.Rank, n.Reason, n.NominatedAt, n.WithdrawnAt, n.WithdrawalReason, Name = n.Person!.GivenName + " " + n.Person.FamilyName })
            .ToListAsync(ct);
        var ids = rows.Where(r => r.WithdrawnAt == null).Select(r => r.PersonId).ToList();
        var attendance = await db.AttendanceRecords.AsNoTracking()
            .Where(a => ids.Contains(a.PersonId) && a.PeriodStart >= yearStart && a.PeriodStart <= yearEnd)
            .Select(a => new { a.PersonId, a.SessionsPossible, a.AuthorisedAbsence, a.UnauthorisedAbsence }).ToListAsync(ct);
        var suspensions = await db.Suspensions.AsNoTracking()
            .Where(s => ids.Contains(s.PersonId) && s.StartDate >= yearStart && s.StartDate <= yearEnd)
            .ToListAsync(ct);
        var openAlerts = await alerts.OpenCountsAsync(ids, ct);
        Nominees = rows.Where(r => r.WithdrawnAt == null).Select(r =>
        {
            var periods = attendance.Where(a => a.PersonId == r.PersonId).Select(a => (a.SessionsPossible, a.AuthorisedAbsence, a.UnauthorisedAbsence)).ToList();
            var summary = periods.Count == 0 ? null : AbsenceRules.Summarise(periods);
            var total = SuspensionLimit.Total(suspensions.Where(s => s.PersonId == r.PersonId).Select(SuspensionFacts.Of), year);
            return new NomineeRow(r.Id, r.PersonId, r.Rank, r.Name, r.Reason, r.NominatedAt,
                summary?.AttendanceRate, summary is not null && summary.Level >= AbsenceLevel.Persistent, suspensions.Count(s => s.PersonId == r.PersonId), total.Days,
                openAlerts.GetValueOrDefault(r.PersonId));
        }).ToList();
        History = rows.Where(r => r.WithdrawnAt != null)
            .Select(r => new PastNomination(r.Name, r.Rank, r.Reason, r.NominatedAt, r.WithdrawnAt!.Value, r.WithdrawalReason)).ToList();
        if (CanNominate && !string.IsNullOrWhiteSpace(Search) && Search.Length <= 200)
        {
            var hits = await PersonSearch.SearchAsync(db, new PersonSearchQuery(Search, null, null, 10), ct);
            var today = Today;
            var hitIds = hits.Select(h => h.Id).ToList();
            var enrolled = await db.Enrolments.Where(e => hitIds.Contains(e.PersonId) && e.SchoolId == school && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today)
                    && !db.RestrictedPeople().Contains(e.PersonId))
                .Select(e => e.PersonId).ToListAsync(ct);
            Candidates = hits.Where(h => enrolled.Contains(h.Id)).ToList();
        }
        if (listed)
            await access.AuditListedAsync(rows.Select(r => r.PersonId).Concat(Candidates.Select(c => c.Id)).Distinct().ToList(), "school.top-ten", ct);
    }
}
