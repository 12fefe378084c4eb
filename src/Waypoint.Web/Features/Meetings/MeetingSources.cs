using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Referrals;

namespace Waypoint.Features.Meetings;

/// <summary>A series a hub report could be marked for, and whether it already is.</summary>
public sealed record MarkableSeries(Guid Id, string Name, string Area, bool Marked);

/// <summary>
/// The agenda's sources beyond the school lists and alerts: hub reports marked for a series' next
/// meeting, and the reviewed high-risk cohort. Both are read through the reader's filters, so the
/// chair is offered only children they may see; the cohort never offers a restricted person.
/// </summary>
public sealed class MeetingSources(WaypointDbContext db, PersonAccess access, TimeProvider clock)
{
    /// <summary>The series whose area covers the child's area (the area itself, or the district or county above it), with whether the report is marked for each.</summary>
    public async Task<IReadOnlyList<MarkableSeries>> SeriesForAsync(OpenedReferral referral, CancellationToken ct)
    {
        var covering = await CoveringAreasAsync(referral.Person.Person.AreaId, ct);
        var marked = await db.Set<MeetingReferralMark>().Where(m => m.ReferralId == referral.Id).Select(m => m.SeriesId).ToListAsync(ct);
        return (await db.Set<MeetingSeries>().AsNoTracking().Where(s => covering.Contains(s.AreaId)).OrderBy(s => s.Name)
                .Select(s => new { s.Id, s.Name, Area = s.Area!.Name }).Take(50).ToListAsync(ct))
            .Select(s => new MarkableSeries(s.Id, s.Name, s.Area, marked.Contains(s.Id))).ToList();
    }

    /// <summary>
    /// Marks a report, by someone who may decide it (the hub), for the next meeting of a series
    /// covering the child's area. The why the chair will read names the report by its date and
    /// concerns, never what is known. Marking twice for one series is refused.
    /// </summary>
    public async Task<Dictionary<string, string>> MarkAsync(OpenedReferral referral, Guid? seriesId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!referral.Allows(RecordOperationKind.Decide))
        {
            errors["SeriesId"] = "Only the hub deciding the report can mark it for a meeting";
            return errors;
        }
        var series = await SeriesForAsync(referral, ct);
        var chosen = series.FirstOrDefault(s => s.Id == seriesId);
        if (chosen is null)
            errors["SeriesId"] = "Select the meeting series covering the child's area";
        else if (chosen.Marked)
            errors["SeriesId"] = $"The report is already marked for the next meeting of {chosen.Name}";
        if (errors.Count > 0)
            return errors;
        var r = referral.Referral;
        var concerns = string.Join(", ", r.ConcernCategories.Select(TriageLabels.Describe));
        var why = $"Hub report of {r.ReportedAt:d MMMM yyyy} ({concerns}), marked for this meeting by the hub";
        db.Set<MeetingReferralMark>().Add(new MeetingReferralMark
        {
            ReferralId = r.Id,
            PersonId = r.PersonId,
            SeriesId = chosen!.Id,
            Why = why.Length > MeetingReferralMark.MaxWhyLength ? why[..MeetingReferralMark.MaxWhyLength] : why,
            MarkedAt = clock.GetUtcNow(),
            MarkedByUserId = db.Reader.UserId,
            MarkedByOrganisationId = db.Reader.OrganisationId,
        });
        await access.AuditWriteAsync(r.PersonId, AuditAction.Create, $"meeting.referral-mark {chosen.Id}", ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Reports marked for this meeting's series on or before its day, whose child has not been on an
    /// agenda of the series since the marking (a mark is for the next meeting, and stays until then).
    /// </summary>
    public async Task<IReadOnlyList<AgendaCandidate>> MarkedReferralsAsync(Meeting meeting, CancellationToken ct)
    {
        var dayAfter = new DateTimeOffset(meeting.Date.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var seriesItems = db.Set<AgendaItem>().Where(i => i.Meeting!.SeriesId == meeting.SeriesId && i.RemovedAt == null);
        var marks = await db.Set<MeetingReferralMark>().AsNoTracking()
            .Where(m => m.SeriesId == meeting.SeriesId && m.MarkedAt < dayAfter
                && !seriesItems.Any(i => i.PersonId == m.PersonId && (i.MeetingId == meeting.Id || i.AddedAt >= m.MarkedAt)))
            .OrderBy(m => m.MarkedAt)
            .Join(db.People, m => m.PersonId, p => p.Id, (m, p) => new { m.PersonId, p.GivenName, p.FamilyName, m.Why })
            .Take(200).ToListAsync(ct);
        return marks.DistinctBy(m => m.PersonId)
            .Select(m => new AgendaCandidate(m.PersonId, $"{m.GivenName} {m.FamilyName}", AgendaItemSource.HubReferral, m.Why)).ToList();
    }

    /// <summary>
    /// The reviewed high-risk cohort in the series' area: an accepted review still in force on a
    /// latest score that is high, never a person whose processing is restricted.
    /// </summary>
    public async Task<IReadOnlyList<AgendaCandidate>> RiskCohortAsync(Meeting meeting, IQueryable<Guid> areas, CancellationToken ct)
    {
        var restricted = db.RestrictedPeople();
        var onAgenda = db.Set<AgendaItem>().Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).Select(i => i.PersonId);
        var cohort = await db.CohortReviews.AsNoTracking()
            .Where(r => r.Decision == CohortDecision.Accepted && r.EndedAt == null
                && !restricted.Contains(r.PersonId) && !onAgenda.Contains(r.PersonId) && areas.Contains(r.Person!.AreaId))
            .Join(db.RiskScores.Where(s => s.IsLatest && (s.OffendingBand == RiskBand.High || s.VulnerabilityBand == RiskBand.High)),
                r => r.PersonId, s => s.PersonId,
                (r, s) => new { r.PersonId, r.Person!.GivenName, r.Person.FamilyName, r.ReviewedAt, s.OffendingBand, s.VulnerabilityBand })
            .OrderByDescending(c => c.ReviewedAt).Take(200).ToListAsync(ct);
        return cohort.DistinctBy(c => c.PersonId)
            .Select(c => new AgendaCandidate(c.PersonId, $"{c.GivenName} {c.FamilyName}", AgendaItemSource.RiskCohort,
                $"In the reviewed high-risk cohort since {c.ReviewedAt:d MMMM yyyy} (offending {Band(c.OffendingBand)}, vulnerability {Band(c.VulnerabilityBand)})"))
            .ToList();
    }

    private static string Band(RiskBand band) => band switch
    {
        RiskBand.High => "high",
        RiskBand.Medium => "medium",
        _ => "low",
    };

    private async Task<List<Guid>> CoveringAreasAsync(Guid areaId, CancellationToken ct)
    {
        var area = await db.Areas.AsNoTracking().Where(a => a.Id == areaId)
            .Select(a => new { a.Id, a.ParentId, Grandparent = a.Parent!.ParentId }).FirstOrDefaultAsync(ct);
        return area is null ? [] : new[] { (Guid?)area.Id, area.ParentId, area.Grandparent }.OfType<Guid>().ToList();
    }
}

/// <summary>What the referral page shows of the marking: the series covering the child's area, the one chosen and any refusal.</summary>
public sealed record MarkForMeetingView(Guid ReferralId, IReadOnlyList<MarkableSeries> Series, Guid? Selected, string? Error);
