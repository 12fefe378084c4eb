using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Cases;

/// <summary>
/// The working parts of a case: the family members worked with, the plan's goals, notes whose
/// category follows the sharing agreement, and reviews on set dates. The lead organisation and
/// the hub link family, set goals and hold reviews; anyone on the case writes notes.
/// </summary>
public sealed class CasePlan(WaypointDbContext db, CaseWork work, GrantRules grants, AuditTrail audit, TimeProvider clock)
{
    public static string Describe(GoalStatus status) => status switch
    {
        GoalStatus.Achieved => "Achieved",
        GoalStatus.NotAchieved => "Not achieved",
        _ => "Working towards",
    };

    public static string Describe(LawfulBasis basis) => basis switch
    {
        LawfulBasis.PublicTask => "Public task (UK GDPR 6(1)(e)), including the duty to safeguard children",
        LawfulBasis.LegalObligation => "Legal obligation (UK GDPR 6(1)(c))",
        LawfulBasis.VitalInterests => "Vital interests (UK GDPR 6(1)(d)): to protect someone's life",
        LawfulBasis.Consent => "Consent to this disclosure (UK GDPR 6(1)(a))",
        _ => "Legitimate interests (UK GDPR 6(1)(f))",
    };

    /// <summary>The lawful bases as radio options, for every form that discloses something.</summary>
    public static IReadOnlyList<(string Value, string Text)> Bases { get; } =
        Enum.GetValues<LawfulBasis>().Select(b => (b.ToString(), Describe(b))).ToList();

    private DateTimeOffset Now => clock.GetUtcNow();
    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    /// <summary>Links a member of the child's family: every organisation on the case may then see them.</summary>
    public async Task<string?> AddFamilyMemberAsync(OpenedCase @case, Guid? personId, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub links family members";
        if (@case.Status == CaseStatus.Closed)
            return "The case is closed: reopen it to link family members";
        var candidate = personId is { } id ? (await AccessPolicy.FamilyOfAsync(db, @case.PersonId, ct)).FirstOrDefault(f => f.PersonId == id) : null;
        if (candidate is null)
            return "Select a member of the child's family or household";
        if (await db.Unfiltered<CaseFamilyMember>("a relative is linked to a case once, whoever can see the link").AnyAsync(f => f.CaseId == @case.Id && f.PersonId == candidate.PersonId && f.RemovedAt == null, ct))
            return $"{candidate.Name} is already linked to the case";
        db.CaseFamilyMembers.Add(new CaseFamilyMember { CaseId = @case.Id, PersonId = candidate.PersonId, Relationship = candidate.Relationship, AddedAt = Now });
        foreach (var organisationId in await work.TeamAsync(@case, ct))
            work.GrantAccess(@case, candidate.PersonId, organisationId, InvolvementSource.TeamAroundFamily, "Family member of a child whose case the organisation works on");
        await audit.RecordAsync(new AuditEvent(candidate.PersonId, AuditAction.Create, "case.family", "case"), ct);
        await work.SaveAsync(@case, $"Family member linked: {candidate.Relationship.ToLowerInvariant()}", ct);
        return null;
    }

    /// <summary>Unlinks a family member: the access the link gave every organisation on the case ends.</summary>
    public async Task<string?> RemoveFamilyMemberAsync(OpenedCase @case, Guid? linkId, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub unlinks family members";
        var link = await db.Unfiltered<CaseFamilyMember>("the lead unlinks a relative even when the relative is no longer visible to them").FirstOrDefaultAsync(f => f.Id == linkId && f.CaseId == @case.Id && f.RemovedAt == null, ct);
        if (link is null)
            return "That person is not linked to the case";
        link.RemovedAt = Now;
        await work.EndAccessAsync(@case.Id, null, link.PersonId, ct);
        await audit.RecordAsync(new AuditEvent(link.PersonId, AuditAction.Update, "case.family", "case"), ct);
        await work.SaveAsync(@case, $"Family member unlinked: {link.Relationship.ToLowerInvariant()}", ct);
        return null;
    }

    public async Task<string?> AddGoalAsync(OpenedCase @case, string? text, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub sets the plan's goals";
        if (@case.Status == CaseStatus.Closed)
            return "The case is closed: reopen it to change the plan";
        if (FormText.Problem(text, CaseGoal.MaxTextLength, "Describe the goal", "The goal") is { } problem)
            return problem;
        db.CaseGoals.Add(new CaseGoal { CaseId = @case.Id, Text = text!.Trim(), Status = GoalStatus.Working, CreatedAt = Now });
        await work.SaveAsync(@case, $"Goal set: {CaseWork.Shorten(text)}", ct);
        return null;
    }

    public async Task<string?> SetGoalStatusAsync(OpenedCase @case, Guid? goalId, GoalStatus? status, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub updates the plan";
        var goal = await db.CaseGoals.FirstOrDefaultAsync(g => g.Id == goalId && g.CaseId == @case.Id, ct);
        if (goal is null)
            return "Select a goal of this case's plan";
        if (status is null)
            return "Select how the goal stands";
        goal.Status = status.Value;
        goal.UpdatedAt = Now;
        await work.SaveAsync(@case, $"Goal {Describe(status.Value).ToLowerInvariant()}: {CaseWork.Shorten(goal.Text)}", ct);
        return null;
    }

    /// <summary>The categories the reader's organisation may write a note in: any but one restricted to another type of organisation.</summary>
    public IQueryable<RecordCategory> WritableCategories()
    {
        var readerType = db.ReaderOrganisationType;
        return db.RecordCategories.AsNoTracking().Where(c => c.RestrictedTo == null || c.RestrictedTo == readerType);
    }

    /// <summary>
    /// A note by the reader's organisation, in a category the agreement then shares onward. A
    /// category restricted to one type of organisation (police intelligence) is written only by it.
    /// </summary>
    public async Task<Dictionary<string, string>> AddNoteAsync(OpenedCase @case, string? categoryCode, LawfulBasis? basis, string? text, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!@case.Allows(RecordOperationKind.Write))
            return new() { ["NoteText"] = CaseWork.OnlyTheTeam };
        if (string.IsNullOrWhiteSpace(categoryCode) || !await WritableCategories().AnyAsync(c => c.Code == categoryCode, ct))
            errors["NoteCategory"] = "Select what kind of information the note holds";
        if (basis is null)
            errors["NoteBasis"] = "Select the lawful basis for sharing the note with the team";
        if (FormText.Problem(text, CaseNote.MaxTextLength, "Enter the note", "The note") is { } textProblem)
            errors["NoteText"] = textProblem;
        if (errors.Count > 0)
            return errors;
        db.CaseNotes.Add(new CaseNote
        {
            CaseId = @case.Id,
            PersonId = @case.PersonId,
            OwnerOrganisationId = db.Reader.OrganisationId,
            AuthorUserId = db.Reader.UserId,
            CategoryCode = categoryCode!,
            LawfulBasis = basis!.Value,
            Text = text!.Trim(),
            At = Now,
        });
        // No line in the case's history: the note is its own record, shown only where its category
        // flows, and a history line would tell every reader that (and when, and who) a withheld note was written.
        await work.SaveAsync(@case, history: null, ct);
        return errors;
    }

    /// <summary>Sets the date of the next review (today or later).</summary>
    public async Task<string?> SetReviewDateAsync(OpenedCase @case, DateOnly? on, CancellationToken ct)
    {
        if (!@case.Allows(RecordOperationKind.Manage))
            return "Only the lead organisation or the hub sets the review date";
        if (@case.Status == CaseStatus.Closed)
            return "The case is closed: reopen it to set a review";
        if (on is null)
            return "Enter the date of the next review";
        if (on < Today)
            return "The review date must be today or in the future";
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.NextReviewOn = on;
        await grants.ReviewCaseGrantsAsync(@case.Id, on.Value, ct);
        await work.SaveAsync(@case, $"Review set for {on:d MMMM yyyy}", ct);
        return null;
    }

    /// <summary>Records a review held on a date, with how the case stands and the next review's date.</summary>
    public async Task<Dictionary<string, string>> RecordReviewAsync(OpenedCase @case, DateOnly? heldOn, string? summary, DateOnly? nextOn, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!@case.Allows(RecordOperationKind.Manage))
            errors["ReviewSummary"] = "Only the lead organisation or the hub records reviews";
        if (heldOn is null)
            errors["ReviewHeld"] = "Enter the date the review was held";
        else if (heldOn > Today)
            errors["ReviewHeld"] = "The review date must be today or in the past";
        else if (heldOn < DateOnly.FromDateTime(@case.OpenedAt.UtcDateTime))
            errors["ReviewHeld"] = "The review date must be on or after the day the case opened";
        if (FormText.Problem(summary, CaseReview.MaxSummaryLength, "Say how the case stands", "The summary") is { } summaryProblem)
            errors["ReviewSummary"] = summaryProblem;
        if (nextOn is { } next && heldOn is { } held && next <= held)
            errors["ReviewNext"] = "The next review must be after this one";
        else if (nextOn is null && @case.Status == CaseStatus.Open)
            errors["ReviewNext"] = "Enter the date of the next review";
        if (errors.Count > 0)
            return errors;
        db.CaseReviews.Add(new CaseReview { CaseId = @case.Id, HeldOn = heldOn!.Value, Summary = summary!.Trim(), NextReviewOn = nextOn, ByUserId = db.Reader.UserId, RecordedAt = Now });
        var tracked = await db.Cases.FirstAsync(c => c.Id == @case.Id, ct);
        tracked.NextReviewOn = nextOn;
        if (nextOn is { } nextReview)
            await grants.ReviewCaseGrantsAsync(@case.Id, nextReview, ct);
        await work.SaveAsync(@case, $"Review held on {heldOn:d MMMM yyyy}" + (nextOn is { } n ? $"; next review {n:d MMMM yyyy}" : ""), ct);
        return errors;
    }
}
