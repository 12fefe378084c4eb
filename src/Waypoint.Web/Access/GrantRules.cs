using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Access;

/// <summary>
/// Who may create, extend or end the relationships that decide who sees a person, for how long.
/// Every grant made by a person passes through here: the granter needs a standing relationship,
/// never break-glass; nobody grants to themselves or their own organisation; every grant has an
/// end date within <see cref="MaxSpanMonths"/> months and no grant is back-dated. Grants made by
/// a process (a report, a case's team, an offer of its lead, a step up) are made here too
/// (<see cref="GrantByProcess"/>), each with an end or a review date. Every grant and its end is
/// audited against the person.
/// </summary>
public sealed class GrantRules(WaypointDbContext db, PersonAccess access, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The longest a grant runs before someone must decide to renew it.</summary>
    public const int MaxSpanMonths = 12;

    /// <summary>The end of a grant that starts on a day and runs the longest allowed.</summary>
    public static DateOnly DefaultEnd(DateOnly start) => start.AddMonths(MaxSpanMonths).AddDays(-1);

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>How long a place in a case's team runs before its review when the case has no review date set.</summary>
    public const int TeamReviewMonths = 3;

    /// <summary>How long an agency offered a case's lead may read it while it decides; the offer lapses then.</summary>
    public const int OfferDays = 28;

    /// <summary>How long a service's provider sees a young person referred to it while it decides (an unanswered referral gives no standing access).</summary>
    public const int ServiceReferralDecisionDays = 30;

    /// <summary>How long after a service referral ends its provider still sees the young person, to close its own records.</summary>
    public const int ServiceReferralRetentionDays = 30;

    /// <summary>
    /// A grant made by a process, never by a person's choice of whom to let in: the reporter of a
    /// concern (12 months, to follow its outcome), a place in a case's team (until the team changes,
    /// reviewed at the case's next review), an agency offered the lead (<see cref="OfferDays"/>
    /// days), children's social care for a case stepped up to it (12 months), the organisations
    /// invited to a meeting whose issued agenda names the child (until <paramref name="endsOn"/>,
    /// set days after the meeting). Staged with its audit row against the person; the caller's
    /// SaveChanges makes both.
    /// </summary>
    public Involvement GrantByProcess(Guid personId, Guid organisationId, InvolvementSource source, Guid sourceId, string reason, DateOnly? caseReview = null, DateOnly? endsOn = null)
    {
        var today = Today;
        var involvement = new Involvement
        {
            PersonId = personId,
            OrganisationId = organisationId,
            Source = source,
            SourceId = sourceId,
            Reason = reason,
            StartDate = today,
            AddedByUserId = db.Reader.UserId,
            AddedAt = clock.GetUtcNow(),
        };
        switch (source)
        {
            case InvolvementSource.TeamAroundFamily:
                involvement.ReviewOn = caseReview is { } review && review >= today ? review : today.AddMonths(TeamReviewMonths);
                break;
            case InvolvementSource.CaseTransfer:
                involvement.EndDate = today.AddDays(OfferDays);
                break;
            case InvolvementSource.Referral or InvolvementSource.StepUp:
                involvement.EndDate = DefaultEnd(today);
                break;
            case InvolvementSource.ServiceReferral:
                involvement.EndDate = today.AddDays(ServiceReferralDecisionDays);
                break;
            case InvolvementSource.Meeting:
                // A child on an issued agenda: until the partnership's set number of days after the
                // meeting (the caller's endsOn), never past the longest a grant may run.
                involvement.EndDate = endsOn is { } last && last >= today
                    ? (last > DefaultEnd(today) ? DefaultEnd(today) : last)
                    : throw new ArgumentOutOfRangeException(nameof(endsOn), endsOn, "An agenda's grant ends a set number of days after its meeting, today or later");
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(source), source, "Grants of this kind are made by a person, through the rules above");
        }
        db.Involvements.Add(involvement);
        audit.StageWrite(new AuditEvent(personId, AuditAction.Create,
            $"grant:{source} {organisationId} {(involvement.EndDate is { } end ? $"until {end:yyyy-MM-dd}" : $"review {involvement.ReviewOn:yyyy-MM-dd}")}", "process"));
        return involvement;
    }

    /// <summary>
    /// A service referral moved on, and the provider's grant with it: taken on (accepted, waiting,
    /// started) it runs the longest a grant may from today; declined, withdrawn or lapsed unanswered it ends now; ended,
    /// it runs <see cref="ServiceReferralRetentionDays"/> days past the referral's end, never longer
    /// than a grant may, never into the past. Staged with its audit row against the person.
    /// </summary>
    public void ServiceReferralMoved(Involvement grant, ServiceReferralStatus status, DateOnly? endedOn = null)
    {
        var today = Today;
        grant.EndDate = status switch
        {
            ServiceReferralStatus.Accepted or ServiceReferralStatus.Waiting or ServiceReferralStatus.Started => DefaultEnd(today),
            ServiceReferralStatus.Declined or ServiceReferralStatus.Withdrawn or ServiceReferralStatus.Lapsed => today.AddDays(-1),
            ServiceReferralStatus.Ended when endedOn is { } ended => ended.AddDays(ServiceReferralRetentionDays) is var end && end < today ? today.AddDays(-1) : end > DefaultEnd(today) ? DefaultEnd(today) : end,
            _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A referral that ended needs its end date; a sent referral has its grant already"),
        };
        audit.StageWrite(new AuditEvent(grant.PersonId, AuditAction.Update, $"grant:{grant.Source} {grant.OrganisationId} {status.ToString().ToLowerInvariant()}, until {grant.EndDate:yyyy-MM-dd}", "process"));
    }

    /// <summary>Ends grants a process made (leaving a team, an offer decided): the last day they counted is yesterday. Audited against each person.</summary>
    public void EndByProcess(IEnumerable<Involvement> involvements)
    {
        var yesterday = Today.AddDays(-1);
        foreach (var involvement in involvements)
        {
            involvement.EndDate = yesterday;
            audit.StageWrite(new AuditEvent(involvement.PersonId, AuditAction.Update, $"grant:{involvement.Source} {involvement.OrganisationId} ended", "process"));
        }
    }

    /// <summary>An offer of a case's lead accepted: the access it gave becomes the lead's place in the team, reviewed with the case.</summary>
    public void OfferTaken(Involvement offer, string reason, DateOnly? caseReview)
    {
        var today = Today;
        offer.Source = InvolvementSource.TeamAroundFamily;
        offer.Reason = reason;
        offer.EndDate = null;
        offer.ReviewOn = caseReview is { } review && review >= today ? review : today.AddMonths(TeamReviewMonths);
        audit.StageWrite(new AuditEvent(offer.PersonId, AuditAction.Update, $"grant:{offer.Source} {offer.OrganisationId} review {offer.ReviewOn:yyyy-MM-dd}", "process"));
    }

    /// <summary>
    /// A case closed: the places it gave (its lead's, its team's, on the child and the linked
    /// family) end the partnership's set number of days later, unless it is reopened first. Access
    /// from elsewhere (an enrolment, another case) is untouched. Returns the last day they count.
    /// </summary>
    public async Task<DateOnly> StartClosureClockAsync(Guid caseId, CancellationToken ct)
    {
        var days = await db.TriageSettings.AsNoTracking().Select(s => (int?)s.CaseAccessDaysAfterClosure).FirstOrDefaultAsync(ct)
            ?? TriageSettings.DefaultCaseAccessDaysAfterClosure;
        var last = Today.AddDays(days);
        var places = await db.Unfiltered<Involvement>("the places a closing case gave, to set when they end")
            .Where(i => i.SourceId == caseId && i.Source == InvolvementSource.TeamAroundFamily && (i.EndDate == null || i.EndDate > last))
            .ToListAsync(ct);
        foreach (var place in places)
        {
            place.EndDate = last;
            audit.StageWrite(new AuditEvent(place.PersonId, AuditAction.Update, $"grant:{place.Source} {place.OrganisationId} until {last:yyyy-MM-dd} (case closed)", "process"));
        }
        return last;
    }

    /// <summary>
    /// A case reopened: the clock its closure started stops for the organisations still working on
    /// it (<paramref name="team"/>), whose places on the case's <paramref name="people"/> (the child,
    /// the linked family) are reviewed with the case again; a place that has already run out is
    /// granted afresh.
    /// </summary>
    public async Task StopClosureClockAsync(Guid caseId, IReadOnlyCollection<Guid> team, IReadOnlyCollection<Guid> people, DateOnly? caseReview, string reason, CancellationToken ct)
    {
        var today = Today;
        var places = await db.Unfiltered<Involvement>("the places a reopened case gave, to stop their clock")
            .Where(i => i.SourceId == caseId && i.Source == InvolvementSource.TeamAroundFamily && team.Contains(i.OrganisationId) && (i.EndDate == null || i.EndDate >= today))
            .ToListAsync(ct);
        foreach (var place in places.Where(p => p.EndDate is not null))
        {
            place.EndDate = null;
            place.ReviewOn = caseReview is { } review && review >= today ? review : today.AddMonths(TeamReviewMonths);
            audit.StageWrite(new AuditEvent(place.PersonId, AuditAction.Update, $"grant:{place.Source} {place.OrganisationId} review {place.ReviewOn:yyyy-MM-dd} (case reopened)", "process"));
        }
        foreach (var organisationId in team)
            foreach (var personId in people.Where(p => !places.Any(x => x.OrganisationId == organisationId && x.PersonId == p)))
                GrantByProcess(personId, organisationId, InvolvementSource.TeamAroundFamily, caseId, reason, caseReview);
    }

    /// <summary>Moves the review of the places a case gives (its team's, on the child and the linked family) to the case's next review.</summary>
    public async Task ReviewCaseGrantsAsync(Guid caseId, DateOnly nextReview, CancellationToken ct)
    {
        var today = Today;
        var current = await db.Unfiltered<Involvement>("the places in a case's team, to move their review to the case's next")
            .Where(i => i.SourceId == caseId && i.Source == InvolvementSource.TeamAroundFamily && i.EndDate == null)
            .ToListAsync(ct);
        foreach (var involvement in current.Where(i => i.ReviewOn != nextReview && nextReview >= today))
            involvement.ReviewOn = nextReview;
    }

    /// <summary>The start and end of a grant as entered, checked: required, not back-dated, ending within the span.</summary>
    public static Dictionary<string, string> CheckPeriod(DateOnly? start, DateOnly? end, DateOnly today, string startField = "StartDate", string endField = "EndDate")
    {
        var errors = new Dictionary<string, string>();
        if (start is null)
            errors[startField] = "Enter the date the access starts";
        else if (start < today)
            errors[startField] = "The start date cannot be in the past: access is never back-dated";
        else if (start > today.AddMonths(MaxSpanMonths))
            errors[startField] = $"The start date must be within {MaxSpanMonths} months from today";
        if (end is null)
            errors[endField] = $"Enter the date the access ends (at most {MaxSpanMonths} months after it starts); it can be renewed";
        else if (start is { } s && end < s)
            errors[endField] = "The end date must be the same as or after the start date";
        else if (start is { } s2 && end > s2.AddMonths(MaxSpanMonths))
            errors[endField] = $"The end date must be at most {MaxSpanMonths} months after the start date; it can be renewed";
        return errors;
    }

    /// <summary>
    /// Adds an organisation to a person's team (an explicit involvement, which lets it see the person
    /// until its end date). Refused with a message per field, or done and audited.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> AddToTeamAsync(OpenedPerson person, Guid? organisationId, string? reason,
        DateOnly? start, DateOnly? end, CancellationToken ct)
    {
        var reader = db.Reader;
        var errors = new Dictionary<string, string>();
        if (!await access.MayAsync(person, PersonOperations.Grant))
        {
            errors["OrganisationId"] = "Only an organisation with a standing relationship with this person can add others to the team; break-glass access cannot be passed on";
            return errors;
        }
        var organisation = organisationId is { } id
            ? await db.Organisations.AsNoTracking().Where(o => o.Id == id && o.IsActive).Select(o => new { o.Id, o.Type }).FirstOrDefaultAsync(ct)
            : null;
        if (organisation is null)
            errors["OrganisationId"] = "Select the organisation to add";
        else if (organisation.Id == reader.OrganisationId && !reader.IsSystem)
            errors["OrganisationId"] = "Your organisation cannot add itself to the team: ask the lead practitioner or the early-help hub";
        else if (!reader.IsSystem && !await AccessPolicy.CategoryFlowsAsync(db, reader.OrganisationType, organisation.Type, RecordCategories.CaseWork, ct))
            errors["OrganisationId"] = "The sharing agreement does not let case work flow from your organisation to that one";
        if (string.IsNullOrWhiteSpace(reason))
            errors["Reason"] = "Say why the organisation is involved";
        else if (reason.Trim().Length > 500)
            errors["Reason"] = "The reason must be 500 characters or fewer";
        foreach (var (field, message) in CheckPeriod(start, end, Today))
            errors[field] = message;
        if (errors.Count > 0)
            return errors;

        db.Involvements.Add(new Involvement
        {
            PersonId = person.Id,
            OrganisationId = organisation!.Id,
            Source = InvolvementSource.Explicit,
            Reason = reason!.Trim(),
            StartDate = start!.Value,
            EndDate = end,
            AddedByUserId = reader.UserId,
            AddedAt = clock.GetUtcNow(),
        });
        await access.AuditWriteAsync(person.Id, AuditAction.Create, $"grant:team {organisation.Id} {start:yyyy-MM-dd}..{end:yyyy-MM-dd}", ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>The name of the organisation of the reader's own involvement with the person, or null when there is none (to ask before ending it).</summary>
    public Task<string?> OwnTeamGrantAsync(OpenedPerson person, Guid involvementId, CancellationToken ct) =>
        OwnInvolvement(person, involvementId).Select(i => i.Organisation!.Name).FirstOrDefaultAsync(ct);

    private IQueryable<Involvement> OwnInvolvement(OpenedPerson person, Guid involvementId) =>
        db.Involvements.Where(i => i.Id == involvementId && i.PersonId == person.Id && i.OrganisationId == db.Reader.OrganisationId);

    /// <summary>An organisation ends its own explicit involvement at once (the last day it counted was yesterday). False when there is none to end.</summary>
    public async Task<bool> EndOwnTeamGrantAsync(OpenedPerson person, Guid involvementId, CancellationToken ct)
    {
        var involvement = await OwnInvolvement(person, involvementId).FirstOrDefaultAsync(ct);
        if (involvement is null)
            return false;
        involvement.EndDate = Today.AddDays(-1);
        await access.AuditWriteAsync(person.Id, AuditAction.Update, $"grant:team {involvement.OrganisationId} ended", ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>
    /// Whether the reader may move the person to another ward, which changes which partnership roles
    /// reach them: only a partnership role (hub, inclusion officer) that reaches them now. A school or
    /// an agency that moved a child out of the hub's district would hide them from it.
    /// </summary>
    public async Task<bool> MayMoveAreaAsync(OpenedPerson person, CancellationToken ct)
    {
        if (db.ReaderIsSystem)
            return true;
        if (!await access.MayAsync(person, PersonOperations.Grant))
            return false;
        return person.Bases.Any(b => b.Kind == AccessBasisKind.PartnershipRole);
    }

    /// <summary>
    /// Whether an administrator may give a partnership-wide function (which reaches every child in
    /// an area) to an account: never to themselves, never to an account whose duties it would
    /// conflict with (administrators, data-protection officers and analysts oversee access; they
    /// must not also hold it), and always for a set period. Null when allowed.
    /// </summary>
    public static (string Field, string Message)? RefuseFunction(Guid granterUserId, Guid targetUserId, IReadOnlyCollection<string> targetRoles)
    {
        if (granterUserId == targetUserId)
            return ("Function", "You cannot give a partnership function to your own account: another partnership administrator must");
        if (targetRoles.Any(r => r is Roles.PartnershipAdmin or Roles.DataProtectionOfficer or Roles.Analyst))
            return ("Function", "Partnership functions cannot go to an administrator, data-protection officer or analyst account: those roles oversee access and must not also hold it");
        return null;
    }
}
