using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Features.Referrals;
using Waypoint.Shell;

namespace Waypoint.Features.Cases;

/// <summary>
/// Who leads a case, and how that changes: the lead offered to another agency, which accepts or
/// declines; a case stepped up to children's social care, and stepped down again to early help.
/// An agency may only be offered a case if it is an active party to the sharing agreement and the
/// agreement lets case work flow to its type.
/// </summary>
public sealed class CaseLead(WaypointDbContext db, CaseWork work, GrantRules grants, INotifier notifier, TimeProvider clock)
{
    private DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>The transfer awaiting an answer, if any.</summary>
    public Task<CaseTransfer?> PendingAsync(Guid caseId, CancellationToken ct) =>
        db.CaseTransfers.AsNoTracking().Include(t => t.ToOrganisation).Include(t => t.FromOrganisation)
            .FirstOrDefaultAsync(t => t.CaseId == caseId && t.Status == CaseTransferStatus.Pending, ct);

    /// <summary>Offers the lead to another agency, which may read the case while it decides.</summary>
    public async Task<Dictionary<string, string>> OfferAsync(OpenedCase @case, Guid? toOrganisationId, string? reason, LawfulBasis? basis, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!@case.Allows(RecordOperationKind.Manage))
            errors["TransferTo"] = "Only the lead organisation or the hub hands on the lead";
        else if (@case.Status == CaseStatus.Closed)
            errors["TransferTo"] = "The case is closed: reopen it to hand on the lead";
        else if (await PendingAsync(@case.Id, ct) is { } pending)
            errors["TransferTo"] = $"The lead is already offered to {pending.ToOrganisation!.Name}: withdraw that offer first";
        var to = toOrganisationId is { } id ? await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) : null;
        if (!errors.ContainsKey("TransferTo"))
        {
            if (to is null)
                errors["TransferTo"] = "Select the organisation to take the lead";
            else if (to.Id == @case.LeadOrganisationId)
                errors["TransferTo"] = $"{to.Name} already leads the case";
            else if (!await WithinAgreementAsync(@case, to, ct))
                errors["TransferTo"] = $"{to.Name} is outside the sharing agreement for case work: choose a partner the agreement covers";
        }
        if (FormText.Problem(reason, CaseTransfer.MaxReasonLength, "Say why the lead should move", "The reason") is { } reasonProblem)
            errors["TransferReason"] = reasonProblem;
        if (basis is null)
            errors["TransferBasis"] = "Select the lawful basis for sharing the case with the organisation";
        if (errors.Count > 0)
            return errors;

        var team = await work.TeamAsync(@case, ct);
        // An agency already in the team can see the case; any other may read it while it decides.
        var involvement = team.Contains(to!.Id) ? null : work.GrantAccess(@case, @case.PersonId, to.Id, InvolvementSource.CaseTransfer, "Offered the lead of the child's case");
        db.CaseTransfers.Add(new CaseTransfer
        {
            CaseId = @case.Id,
            FromOrganisationId = @case.LeadOrganisationId,
            ToOrganisationId = to.Id,
            Reason = reason!.Trim(),
            LawfulBasis = basis!.Value,
            RequestedByUserId = db.Reader.UserId,
            RequestedAt = Now,
            Status = CaseTransferStatus.Pending,
            InvolvementId = involvement?.Id,
        });
        await work.SaveAsync(@case, $"Lead offered to {to.Name}: {CaseWork.Shorten(reason)}", ct);
        await notifier.NotifyAsync(new Notice(await UsersOfAsync(to.Id, ct), "A case's lead is offered to your organisation",
            "Open the case to accept or decline the lead.", $"/cases/{@case.Id}", "case-transfer"), ct);
        return errors;
    }

    /// <summary>The receiving agency accepts: it leads, the accepting practitioner leads for it, and the old lead stays in the team.</summary>
    public async Task<string?> AcceptAsync(OpenedCase @case, CancellationToken ct)
    {
        var transfer = await db.CaseTransfers.FirstOrDefaultAsync(t => t.CaseId == @case.Id && t.Status == CaseTransferStatus.Pending, ct);
        if (!@case.Allows(RecordOperationKind.AnswerOffer) || transfer is null || transfer.ToOrganisationId != db.Reader.OrganisationId)
            return "There is no offer of this case's lead to your organisation";
        transfer.Status = CaseTransferStatus.Accepted;
        transfer.RespondedAt = Now;
        transfer.RespondedByUserId = db.Reader.UserId;
        var name = await ChangeLeadAsync(@case, transfer.ToOrganisationId, db.Reader.UserId, transfer.InvolvementId, ct);
        await work.SaveAsync(@case, $"{name} accepted the lead", ct);
        await notifier.NotifyAsync(new Notice([transfer.RequestedByUserId], "Your offer of a case's lead was accepted",
            $"{name} now leads the case.", $"/cases/{@case.Id}", "case-transfer"), ct);
        return null;
    }

    /// <summary>The receiving agency declines with a reason; the access the offer gave it ends.</summary>
    public async Task<string?> DeclineAsync(OpenedCase @case, string? why, CancellationToken ct)
    {
        var transfer = await db.CaseTransfers.Include(t => t.ToOrganisation).FirstOrDefaultAsync(t => t.CaseId == @case.Id && t.Status == CaseTransferStatus.Pending, ct);
        if (!@case.Allows(RecordOperationKind.AnswerOffer) || transfer is null || transfer.ToOrganisationId != db.Reader.OrganisationId)
            return "There is no offer of this case's lead to your organisation";
        if (FormText.Problem(why, CaseTransfer.MaxReasonLength, "Say why your organisation declines the lead", "The reason") is { } problem)
            return problem;
        await CloseOfferAsync(transfer, CaseTransferStatus.Declined, why!.Trim(), ct);
        await work.SaveAsync(@case, $"{transfer.ToOrganisation!.Name} declined the lead: {CaseWork.Shorten(why)}", ct);
        await notifier.NotifyAsync(new Notice([transfer.RequestedByUserId], "Your offer of a case's lead was declined",
            $"{transfer.ToOrganisation.Name} declined the lead.", $"/cases/{@case.Id}", "case-transfer"), ct);
        return null;
    }

    public async Task<string?> WithdrawAsync(OpenedCase @case, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub withdraws the offer";
        var transfer = await db.CaseTransfers.Include(t => t.ToOrganisation).FirstOrDefaultAsync(t => t.CaseId == @case.Id && t.Status == CaseTransferStatus.Pending, ct);
        if (transfer is null)
            return "The lead is not on offer";
        await CloseOfferAsync(transfer, CaseTransferStatus.Withdrawn, null, ct);
        await work.SaveAsync(@case, $"Offer of the lead to {transfer.ToOrganisation!.Name} withdrawn", ct);
        return null;
    }

    /// <summary>
    /// Steps the case up to children's social care: the case closes as stepped up, and the social
    /// care organisation gains a relationship with the child so it can read the case and step it
    /// down again.
    /// </summary>
    public async Task<Dictionary<string, string>> StepUpAsync(OpenedCase @case, Guid? socialCareId, string? rationale, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!@case.Allows(RecordOperationKind.Manage))
            errors["StepUpTo"] = "Only the lead organisation or the hub steps a case up";
        else if (@case.Status == CaseStatus.Closed)
            errors["StepUpTo"] = "The case is closed";
        var to = socialCareId is { } id ? await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id && o.IsActive && o.Type == OrganisationType.SocialCare, ct) : null;
        if (to is null && !errors.ContainsKey("StepUpTo"))
            errors["StepUpTo"] = "Select the children's social care team";
        if (FormText.Problem(rationale, Referral.MaxRationaleLength, "Give the rationale for stepping up", "The rationale") is { } upProblem)
            errors["StepUpRationale"] = upProblem;
        if (errors.Count > 0)
            return errors;
        if (await db.CaseTransfers.FirstOrDefaultAsync(t => t.CaseId == @case.Id && t.Status == CaseTransferStatus.Pending, ct) is { } offer)
            await CloseOfferAsync(offer, CaseTransferStatus.Withdrawn, null, ct);
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.Status = CaseStatus.Closed;
        tracked.ClosedAt = Now;
        tracked.ClosureReason = CaseClosureReason.SteppedUp;
        tracked.SteppedUpToOrganisationId = to!.Id;
        await grants.StartClosureClockAsync(@case.Id, ct);
        work.GrantAccess(@case, @case.PersonId, to.Id, InvolvementSource.StepUp, "Case stepped up to children's social care");
        await work.SaveAsync(@case, $"Stepped up to {to.Name}: {CaseWork.Shorten(rationale!)}", ct);
        await notifier.NotifyAsync(new Notice(await UsersOfAsync(to.Id, ct), "A case has been stepped up to your team",
            "An early-help case has been stepped up to children's social care.", $"/cases/{@case.Id}", "case-step-up"), ct);
        return errors;
    }

    /// <summary>Steps the case down from children's social care to early help, led by the agency named.</summary>
    public async Task<Dictionary<string, string>> StepDownAsync(OpenedCase @case, Guid? leadId, string? rationale, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!@case.Allows(RecordOperationKind.StepDown))
            errors["StepDownLead"] = "Only the social care team the case was stepped up to, or the hub, steps it down";
        var lead = leadId is { } id ? await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, ct) : null;
        if (!errors.ContainsKey("StepDownLead"))
        {
            if (lead is null)
                errors["StepDownLead"] = "Select the organisation that will lead early help";
            else if (!await WithinAgreementAsync(@case, lead, ct))
                errors["StepDownLead"] = $"{lead.Name} is outside the sharing agreement for case work: choose a partner the agreement covers";
        }
        if (FormText.Problem(rationale, Referral.MaxRationaleLength, "Give the rationale for stepping down", "The rationale") is { } downProblem)
            errors["StepDownRationale"] = downProblem;
        if (errors.Count > 0)
            return errors;
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.Status = CaseStatus.Open;
        tracked.ClosedAt = null;
        tracked.ClosureReason = null;
        tracked.Level = TriageOutcome.EarlyHelp;
        await work.RestoreTeamAccessAsync(@case, tracked.NextReviewOn, ct);
        if (lead!.Id != @case.LeadOrganisationId)
            await ChangeLeadAsync(@case, lead.Id, null, null, ct);
        await work.SaveAsync(@case, $"Stepped down to early help led by {lead.Name}: {CaseWork.Shorten(rationale!)}", ct);
        await notifier.NotifyAsync(new Notice(await UsersOfAsync(lead.Id, ct), "A case has been stepped down to your organisation",
            "Children's social care has stepped a case down to early help led by your organisation.", $"/cases/{@case.Id}", "case-step-down"), ct);
        return errors;
    }

    /// <summary>
    /// Whether an organisation may lead case work: an active party to the agreement, and the
    /// current agreement lets case work flow from the lead's type to its own.
    /// </summary>
    private async Task<bool> WithinAgreementAsync(OpenedCase @case, Organisation to, CancellationToken ct) =>
        to.IsActive && await AccessPolicy.CategoryFlowsAsync(db,
            await db.Organisations.Where(o => o.Id == @case.LeadOrganisationId).Select(o => o.Type).FirstAsync(ct), to.Type, RecordCategories.CaseWork, ct);

    /// <summary>
    /// Makes an organisation the lead. Its access comes from the offer's involvement (kept, now as
    /// the lead's) or from its membership (which ends as membership, the access staying) or is
    /// granted afresh; the old lead stays in the team with the access it had.
    /// </summary>
    private async Task<string> ChangeLeadAsync(OpenedCase @case, Guid newLeadId, Guid? practitionerId, Guid? offerInvolvementId, CancellationToken ct)
    {
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        var oldLeadId = tracked.LeadOrganisationId;
        var today = DateOnly.FromDateTime(Now.UtcDateTime);
        var membership = await db.Unfiltered<CaseMember>("the new lead's team membership, which the transfer ends").FirstOrDefaultAsync(m => m.CaseId == @case.Id && m.OrganisationId == newLeadId && m.LeftAt == null, ct);
        if (membership is not null)
            membership.LeftAt = Now;
        else if (offerInvolvementId is { } offered && await db.Unfiltered<Involvement>("the involvement the offer granted, which the transfer makes the lead's").FirstOrDefaultAsync(i => i.Id == offered, ct) is { } involvement)
        {
            grants.OfferTaken(involvement, "Leads the child's case", tracked.NextReviewOn);
            await work.GrantFamilyAccessAsync(@case, newLeadId, ct);
        }
        else
        {
            work.GrantAccess(@case, @case.PersonId, newLeadId, InvolvementSource.TeamAroundFamily, "Leads the child's case");
            await work.GrantFamilyAccessAsync(@case, newLeadId, ct);
        }
        var oldLeadAccess = await db.Unfiltered<Involvement>("the old lead's access through the case, which the transfer ends")
            .Where(i => i.SourceId == @case.Id && i.OrganisationId == oldLeadId && i.PersonId == @case.PersonId && (i.EndDate == null || i.EndDate >= today))
            .Select(i => (Guid?)i.Id).FirstOrDefaultAsync(ct)
            ?? work.GrantAccess(@case, @case.PersonId, oldLeadId, InvolvementSource.TeamAroundFamily, "In the team around the family").Id;
        db.CaseMembers.Add(new CaseMember { CaseId = @case.Id, OrganisationId = oldLeadId, InvolvementId = oldLeadAccess, JoinedAt = Now });
        tracked.LeadOrganisationId = newLeadId;
        tracked.LeadPractitionerId = practitionerId;
        return await db.Organisations.Where(o => o.Id == newLeadId).Select(o => o.Name).FirstAsync(ct);
    }

    private async Task CloseOfferAsync(CaseTransfer transfer, CaseTransferStatus status, string? response, CancellationToken ct)
    {
        transfer.Status = status;
        transfer.Response = response;
        transfer.RespondedAt = Now;
        transfer.RespondedByUserId = db.Reader.UserId;
        if (transfer.InvolvementId is { } id && await db.Unfiltered<Involvement>("the involvement a withdrawn or declined offer granted, to end it").FirstOrDefaultAsync(i => i.Id == id, ct) is { } involvement)
            grants.EndByProcess([involvement]);
    }

    private async Task<IReadOnlyCollection<Guid>> UsersOfAsync(Guid organisationId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId && u.IsActive).OrderBy(u => u.DisplayName).Select(u => u.Id).Take(50).ToListAsync(ct);
}
