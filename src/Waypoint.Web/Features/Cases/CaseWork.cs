using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Referrals;

namespace Waypoint.Features.Cases;

/// <summary>
/// Changes to a case, each one save with its history line and audit: the team around the family
/// (membership is an involvement, so joining gives access and leaving takes it away), actions
/// owned by an organisation in the team, closure with a reason and reopening. The lead
/// organisation and the hub manage the team and the case's state; any member records actions.
/// </summary>
public sealed class CaseWork(WaypointDbContext db, AuditTrail audit, GrantRules grants, TimeProvider clock)
{
    public static string Describe(CaseClosureReason reason) => reason switch
    {
        CaseClosureReason.OutcomesMet => "Outcomes met",
        CaseClosureReason.FamilyDisengaged => "Family disengaged",
        CaseClosureReason.SingleAgencyNowLeads => "A single agency now leads",
        CaseClosureReason.MovedAway => "Moved away",
        _ => "Stepped up to children's social care",
    };

    /// <summary>The refusal when someone who may read the case (an agency offered the lead, deciding) tries to add to it.</summary>
    public const string OnlyTheTeam = "Only the lead organisation, the team around the family or the hub adds to the case";

    private DateTimeOffset Now => clock.GetUtcNow();
    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>The practitioner who leads: an active user of the lead organisation (alerts about the child go to them).</summary>
    public async Task<string?> SetLeadPractitionerAsync(OpenedCase @case, Guid? userId, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub names the lead practitioner";
        var user = userId is { } id
            ? await db.Users.AsNoTracking().Where(u => u.Id == id && u.IsActive && u.OrganisationId == @case.LeadOrganisationId).Select(u => new { u.Id, u.DisplayName }).FirstOrDefaultAsync(ct)
            : null;
        if (user is null)
            return "Select a practitioner of the lead organisation";
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.LeadPractitionerId = user.Id;
        await SaveAsync(@case, $"{user.DisplayName} leads the case", ct);
        return null;
    }

    public async Task<string?> AddMemberAsync(OpenedCase @case, Guid? organisationId, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub changes the team";
        if (organisationId is not { } orgId || await db.Organisations.Where(o => o.Id == orgId && o.IsActive).Select(o => o.Name).FirstOrDefaultAsync(ct) is not { } name)
            return "Select an organisation to add to the team";
        if (orgId == @case.LeadOrganisationId || await db.CaseMembers.AnyAsync(m => m.CaseId == @case.Id && m.OrganisationId == orgId && m.LeftAt == null, ct))
            return $"{name} is already in the team";
        var involvement = GrantAccess(@case, @case.PersonId, orgId, InvolvementSource.TeamAroundFamily, "In the team around the family");
        db.CaseMembers.Add(new CaseMember { CaseId = @case.Id, OrganisationId = orgId, InvolvementId = involvement.Id, JoinedAt = Now });
        await GrantFamilyAccessAsync(@case, orgId, ct);
        await SaveAsync(@case, $"{name} joined the team", ct);
        return null;
    }

    public async Task<string?> RemoveMemberAsync(OpenedCase @case, Guid memberId, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub changes the team";
        var member = await db.CaseMembers.Include(m => m.Organisation).FirstOrDefaultAsync(m => m.Id == memberId && m.CaseId == @case.Id && m.LeftAt == null, ct);
        if (member is null)
            return "That organisation is not in the team";
        member.LeftAt = Now;
        await EndAccessAsync(@case.Id, member.OrganisationId, null, ct);
        await SaveAsync(@case, $"{member.Organisation!.Name} left the team", ct);
        return null;
    }

    /// <summary>
    /// The organisations working on the case now: the lead and the current members of the team.
    /// </summary>
    public async Task<List<Guid>> TeamAsync(OpenedCase @case, CancellationToken ct)
    {
        var members = await db.CaseMembers.Where(m => m.CaseId == @case.Id && m.LeftAt == null).Select(m => m.OrganisationId).ToListAsync(ct);
        return [@case.LeadOrganisationId, .. members.Where(m => m != @case.LeadOrganisationId)];
    }

    /// <summary>An involvement with someone, sourced from the case: access that lasts while the organisation works on it, reviewed at the case's reviews.</summary>
    public Involvement GrantAccess(OpenedCase @case, Guid personId, Guid organisationId, InvolvementSource source, string reason) =>
        grants.GrantByProcess(personId, organisationId, source, @case.Id, reason, @case.Case.NextReviewOn);

    /// <summary>The family members linked to the case become visible to an organisation joining the team (or taking the lead).</summary>
    public async Task GrantFamilyAccessAsync(OpenedCase @case, Guid organisationId, CancellationToken ct)
    {
        var family = await LinkedFamilyAsync(@case, ct);
        foreach (var personId in family)
            GrantAccess(@case, personId, organisationId, InvolvementSource.TeamAroundFamily, "Family member of a child whose case the organisation works on");
    }

    /// <summary>
    /// Ends the involvements the case gave an organisation (or, with <paramref name="personId"/>,
    /// everyone's involvement with one person): ended yesterday, so the access ends now, since an
    /// involvement counts through its end date.
    /// </summary>
    public async Task EndAccessAsync(Guid caseId, Guid? organisationId, Guid? personId, CancellationToken ct)
    {
        var today = Today;
        var current = await db.Unfiltered<Involvement>("the involvements the case granted, to end them")
            .Where(i => i.SourceId == caseId && (i.EndDate == null || i.EndDate >= today)
                && (organisationId == null || i.OrganisationId == organisationId) && (personId == null || i.PersonId == personId))
            .ToListAsync(ct);
        grants.EndByProcess(current);
    }

    public async Task<Dictionary<string, string>> AddActionAsync(OpenedCase @case, string? description, Guid? ownerId, DateOnly? dueOn, CancellationToken ct, Guid? goalId = null)
    {
        var errors = new Dictionary<string, string>();
        if (!@case.Allows(RecordOperationKind.Write))
            return new() { ["ActionDescription"] = OnlyTheTeam };
        if (string.IsNullOrWhiteSpace(description))
            errors["ActionDescription"] = "Say what is to be done";
        else if (description.Length > CaseAction.MaxDescriptionLength)
            errors["ActionDescription"] = $"The action must be {CaseAction.MaxDescriptionLength:N0} characters or fewer";
        var inTeam = ownerId is { } owner && (owner == @case.LeadOrganisationId
            || await db.CaseMembers.AnyAsync(m => m.CaseId == @case.Id && m.OrganisationId == owner && m.LeftAt == null, ct));
        if (ownerId is null)
            errors["ActionOwner"] = "Select who owns the action";
        else if (!inTeam)
            errors["ActionOwner"] = "The owner must be the lead organisation or in the team";
        if (dueOn is null)
            errors["ActionDue"] = "Enter the date the action is due";
        else if (dueOn < DateOnly.FromDateTime(@case.OpenedAt.UtcDateTime))
            errors["ActionDue"] = "The due date must be on or after the day the case opened";
        if (goalId is { } goal && !await db.CaseGoals.AnyAsync(g => g.Id == goal && g.CaseId == @case.Id, ct))
            errors["ActionGoal"] = "Select a goal of this case's plan";
        if (@case.Status == CaseStatus.Closed)
            errors["ActionDescription"] = "The case is closed: reopen it to add actions";
        if (errors.Count > 0)
            return errors;
        db.CaseActions.Add(new CaseAction { CaseId = @case.Id, Description = description!.Trim(), OwnerOrganisationId = ownerId!.Value, DueOn = dueOn!.Value, GoalId = goalId, CreatedAt = Now });
        await SaveAsync(@case, $"Action added: {Shorten(description!)}", ct);
        return errors;
    }

    public async Task<string?> CompleteActionAsync(OpenedCase @case, Guid actionId, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Write))
            return OnlyTheTeam;
        var action = await db.CaseActions.FirstOrDefaultAsync(a => a.Id == actionId && a.CaseId == @case.Id && a.Status == CaseActionStatus.Open, ct);
        if (action is null)
            return "That action is not open";
        action.Status = CaseActionStatus.Done;
        action.DoneAt = Now;
        await SaveAsync(@case, $"Action done: {Shorten(action.Description)}", ct);
        return null;
    }

    public async Task<string?> CloseAsync(OpenedCase @case, CaseClosureReason? reason, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub closes the case";
        if (@case.Status == CaseStatus.Closed)
            return "The case is already closed";
        if (reason is null)
            return "Select why the case is closing";
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.Status = CaseStatus.Closed;
        tracked.ClosedAt = Now;
        tracked.ClosureReason = reason;
        var last = await grants.StartClosureClockAsync(@case.Id, ct);
        await SaveAsync(@case, $"Closed: {Describe(reason.Value)}. The team's access through the case ends after {last:d MMMM yyyy} unless it is reopened", ct);
        return null;
    }

    public async Task<string?> ReopenAsync(OpenedCase @case, string? why, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub reopens the case";
        if (@case.Status != CaseStatus.Closed)
            return "The case is open";
        if (string.IsNullOrWhiteSpace(why))
            return "Say why the case is reopening";
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.Status = CaseStatus.Open;
        tracked.ClosedAt = null;
        tracked.ClosureReason = null;
        await RestoreTeamAccessAsync(@case, tracked.NextReviewOn, ct);
        await SaveAsync(@case, $"Reopened: {Shorten(why)}", ct);
        return null;
    }

    // Past the filter: the organisation granting may not see every linked relative itself (a new lead
    // accepting the case does not yet); what is read is only whom to grant, never shown.
    private Task<List<Guid>> LinkedFamilyAsync(OpenedCase @case, CancellationToken ct) =>
        db.Unfiltered<CaseFamilyMember>("the case's family members, to whom the team's access extends")
            .Where(f => f.CaseId == @case.Id && f.RemovedAt == null).Select(f => f.PersonId).ToListAsync(ct);

    /// <summary>The lead and the team (as they stood at closure) see the child and the linked family again, as long as the case is open.</summary>
    public async Task RestoreTeamAccessAsync(OpenedCase @case, DateOnly? caseReview, CancellationToken ct)
    {
        var family = await LinkedFamilyAsync(@case, ct);
        await grants.StopClosureClockAsync(@case.Id, await TeamAsync(@case, ct), [@case.PersonId, .. family], caseReview, "In the team around the family (case reopened)", ct);
    }

    /// <summary>Saves a change to the case with its line in the case's history (none when <paramref name="history"/> is null) and audits it.</summary>
    public async Task SaveAsync(OpenedCase @case, string? history, CancellationToken ct)
    {
        if (history is not null)
            db.CaseEvents.Add(new CaseEvent { CaseId = @case.Id, Text = history, ByUserId = db.Reader.UserId, At = Now });
        await audit.RecordAsync(new AuditEvent(@case.PersonId, AuditAction.Update, "case", "case"), ct);
        await db.SaveChangesAsync(ct);
    }

    public static string Shorten(string text)
    {
        text = text.Trim();
        return text.Length <= 200 ? text : text[..200] + "…";
    }
}
