using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Shared;

namespace Waypoint.Features.Cases;

public enum CaseListStatus
{
    Open,
    Closed,
    All,
}

/// <summary>Which reviews: due in the next <see cref="CaseList.ReviewDueDays"/> days, or already past (of open cases).</summary>
public enum CaseReviewFilter
{
    Due,
    Overdue,
}

public enum CaseSort
{
    Activity,
    Opened,
    Review,
    Name,
}

/// <summary>How the cases list is narrowed; every field optional but the status (open by default).</summary>
public sealed record CaseFilters(
    CaseListStatus Status = CaseListStatus.Open,
    Guid? Lead = null,
    Guid? School = null,
    TriageOutcome? Level = null,
    CaseReviewFilter? Review = null,
    DateOnly? OpenedFrom = null,
    DateOnly? OpenedTo = null,
    bool Mine = false);

public sealed record CaseListRow(Guid Id, Guid PersonId, string Child, TriageOutcome Level, string Lead, string? LeadWorker, string? School,
    CaseStatus Status, DateTimeOffset OpenedAt, DateTimeOffset LastActivity, DateOnly? NextReviewOn, bool ReviewOverdue)
{
    public string LevelName => Level switch
    {
        TriageOutcome.EarlyHelp => "Early help",
        TriageOutcome.TargetedSupport => "Targeted support",
        _ => Referrals.TriageLabels.Describe(Level),
    };
}

/// <summary>
/// The cases a reader may see, as one list: the policy's Case filter decides which (lead, team,
/// offered lead, the hub for the child's area), never anything here. The school filter and column
/// read the Enrolment filter too, so a reader learns no school they could not already see.
/// </summary>
public sealed class CaseList(WaypointDbContext db, TimeProvider clock)
{
    public const int PageSize = 25;

    /// <summary>The most cases one export holds; the page says so when a list is longer.</summary>
    public const int ExportLimit = 5000;

    /// <summary>A review counts as due when it falls within this many days from today.</summary>
    public const int ReviewDueDays = 14;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public Task<int> CountAsync(CaseFilters filters, CancellationToken ct) => Filtered(filters).CountAsync(ct);

    /// <summary>The rows from <paramref name="skip"/>, at most <paramref name="take"/>, in the order asked.</summary>
    public async Task<IReadOnlyList<CaseListRow>> ListAsync(CaseFilters filters, CaseSort sort, bool descending, int skip, int take, CancellationToken ct)
    {
        var today = Today;
        var rows = await Ordered(Filtered(filters), sort, descending).Skip(skip).Take(take)
            .Select(c => new
            {
                c.Id,
                c.PersonId,
                c.Person!.GivenName,
                c.Person.FamilyName,
                c.Level,
                Lead = c.LeadOrganisation!.Name,
                LeadWorker = db.Users.Where(u => u.Id == c.LeadPractitionerId).Select(u => u.DisplayName).FirstOrDefault(),
                c.Status,
                c.OpenedAt,
                LastEvent = db.CaseEvents.Where(e => e.CaseId == c.Id).Max(e => (DateTimeOffset?)e.At),
                c.NextReviewOn,
            })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.PersonId).Distinct().ToList();
        // Through the Enrolment filter: a school is named only where the reader may see the enrolment.
        var schools = (await db.Enrolments.AsNoTracking()
                .Where(e => ids.Contains(e.PersonId) && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                .OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate)
                .Select(e => new { e.PersonId, e.School!.Name, e.School.Urn }).ToListAsync(ct))
            .GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => SchoolNames.WithUrn(g.First().Name, g.First().Urn));
        return rows.Select(r => new CaseListRow(r.Id, r.PersonId, $"{r.GivenName} {r.FamilyName}", r.Level, r.Lead, r.LeadWorker, schools.GetValueOrDefault(r.PersonId),
            r.Status, r.OpenedAt, r.LastEvent is { } last && last > r.OpenedAt ? last : r.OpenedAt, r.NextReviewOn,
            r.Status == CaseStatus.Open && r.NextReviewOn < today)).ToList();
    }

    /// <summary>The lead organisations of the cases the reader may see, for the filter.</summary>
    public async Task<IReadOnlyList<(string Value, string Text)>> LeadsAsync(CancellationToken ct) =>
        (await db.Cases.AsNoTracking().Select(c => new { c.LeadOrganisationId, c.LeadOrganisation!.Name, c.LeadOrganisation.Urn }).Distinct().ToListAsync(ct))
            .OrderBy(o => o.Name).ThenBy(o => o.Urn).Select(o => (o.LeadOrganisationId.ToString(), SchoolNames.WithUrn(o.Name, o.Urn))).ToList();

    /// <summary>The schools the children of the reader's cases attend now, as far as the reader may see, for the filter.</summary>
    public async Task<IReadOnlyList<(string Value, string Text)>> SchoolsAsync(CancellationToken ct)
    {
        var today = Today;
        return (await db.Enrolments.AsNoTracking()
                .Where(e => e.StartDate <= today && (e.EndDate == null || e.EndDate >= today) && db.Cases.Any(c => c.PersonId == e.PersonId))
                .Select(e => new { e.SchoolId, e.School!.Name, e.School.Urn }).Distinct().ToListAsync(ct))
            .OrderBy(s => s.Name).ThenBy(s => s.Urn).Select(s => (s.SchoolId.ToString(), SchoolNames.WithUrn(s.Name, s.Urn))).ToList();
    }

    private IQueryable<Case> Filtered(CaseFilters f)
    {
        var today = Today;
        var reader = db.Reader;
        var query = db.Cases.AsNoTracking();
        query = f.Status switch
        {
            CaseListStatus.Open => query.Where(c => c.Status == CaseStatus.Open),
            CaseListStatus.Closed => query.Where(c => c.Status == CaseStatus.Closed),
            _ => query,
        };
        if (f.Lead is { } lead)
            query = query.Where(c => c.LeadOrganisationId == lead);
        if (f.School is { } school)
            query = query.Where(c => db.Enrolments.Any(e => e.PersonId == c.PersonId && e.SchoolId == school && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today)));
        if (f.Level is { } level)
            query = query.Where(c => c.Level == level);
        if (f.Review == CaseReviewFilter.Overdue)
            query = query.Where(c => c.Status == CaseStatus.Open && c.NextReviewOn < today);
        else if (f.Review == CaseReviewFilter.Due)
        {
            var until = today.AddDays(ReviewDueDays);
            query = query.Where(c => c.Status == CaseStatus.Open && c.NextReviewOn >= today && c.NextReviewOn <= until);
        }
        // Opened dates are whole days in UTC: from the start of the first to the end of the last.
        if (f.OpenedFrom is { } from)
        {
            var start = new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(c => c.OpenedAt >= start);
        }
        if (f.OpenedTo is { } to)
        {
            var end = new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            query = query.Where(c => c.OpenedAt < end);
        }
        // Mine: the reader is the lead worker, or their organisation is in the team around the family.
        if (f.Mine)
            query = query.Where(c => c.LeadPractitionerId == reader.UserId
                || db.CaseMembers.Any(m => m.CaseId == c.Id && m.OrganisationId == reader.OrganisationId && m.LeftAt == null));
        return query;
    }

    private IQueryable<Case> Ordered(IQueryable<Case> cases, CaseSort sort, bool descending)
    {
        var ordered = sort switch
        {
            CaseSort.Opened => descending ? cases.OrderByDescending(c => c.OpenedAt) : cases.OrderBy(c => c.OpenedAt),
            CaseSort.Name => descending
                ? cases.OrderByDescending(c => c.Person!.FamilyName).ThenByDescending(c => c.Person!.GivenName)
                : cases.OrderBy(c => c.Person!.FamilyName).ThenBy(c => c.Person!.GivenName),
            // Cases without a review date come last either way: there is nothing to be early or late for.
            CaseSort.Review => descending
                ? cases.OrderBy(c => c.NextReviewOn == null).ThenByDescending(c => c.NextReviewOn)
                : cases.OrderBy(c => c.NextReviewOn == null).ThenBy(c => c.NextReviewOn),
            _ => descending
                ? cases.OrderByDescending(c => db.CaseEvents.Where(e => e.CaseId == c.Id).Max(e => (DateTimeOffset?)e.At) ?? c.OpenedAt)
                : cases.OrderBy(c => db.CaseEvents.Where(e => e.CaseId == c.Id).Max(e => (DateTimeOffset?)e.At) ?? c.OpenedAt),
        };
        // A stable order across pages: no case shown twice or skipped at a page's edge.
        return descending ? ordered.ThenByDescending(c => c.Id) : ordered.ThenBy(c => c.Id);
    }
}
