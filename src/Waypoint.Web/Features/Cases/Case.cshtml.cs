using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Cases;

public sealed record MemberRow(Guid Id, Guid OrganisationId, string Organisation, DateTimeOffset JoinedAt);

public sealed record ActionRow(Guid Id, string Description, string Owner, DateOnly DueOn, CaseActionStatus Status, bool Overdue, string? Goal);

/// <summary>An action an early-intervention meeting agreed for the case's child, shown on the case so the team sees it beside its own.</summary>
public sealed record MeetingActionRow(string Description, string Owner, DateOnly DueOn, bool Done, bool Overdue, Guid MeetingId, string Meeting);

public sealed record FamilyRow(Guid LinkId, Guid PersonId, string Name, string Relationship, bool Visible);

public sealed record NoteRow(string Category, string Organisation, string Author, LawfulBasis Basis, string Text, DateTimeOffset At);

/// <summary>A step that closes, removes or ends access, asked before it is done: the handler, what is asked, and the fields to post again.</summary>
public sealed record CaseConfirmation(string Handler, string Question, string Yes, string No, string Consequence, IReadOnlyList<(string Name, string Value)> Fields);

public sealed record ReviewRow(DateOnly HeldOn, string Summary, DateOnly? NextReviewOn, string By);

/// <summary>The case's pending offer of its lead, as the page's banner shows it.</summary>
public sealed record PendingOffer(string From, Guid ToOrganisationId, string To, string Reason, LawfulBasis LawfulBasis);

/// <summary>A case: its lead, the team around the family, actions (overdue ones marked), history, closure and reopening.</summary>
public sealed class CaseModel(WaypointDbContext db, PersonAccess access, RecordAccess records, AuditTrail audit, CaseWork work, CasePlan plan, CaseLead leads, CurrentUserSummary currentUser, TimeProvider clock) : PageModel
{
    [BindProperty] public Guid? FamilyPersonId { get; set; }
    [BindProperty] public Guid? FamilyLinkId { get; set; }
    [BindProperty] public string? GoalText { get; set; }
    [BindProperty] public Guid? GoalId { get; set; }
    [BindProperty] public GoalStatus? GoalStatus { get; set; }
    [BindProperty] public Guid? ActionGoal { get; set; }
    [BindProperty] public string? NoteCategory { get; set; }
    [BindProperty] public LawfulBasis? NoteBasis { get; set; }
    [BindProperty] public string? NoteText { get; set; }
    [BindProperty] public DateInput ReviewOn { get; set; } = new();
    [BindProperty] public DateInput ReviewHeld { get; set; } = new();
    [BindProperty] public string? ReviewSummary { get; set; }
    [BindProperty] public DateInput ReviewNext { get; set; } = new();
    [BindProperty] public Guid? TransferTo { get; set; }
    [BindProperty] public string? TransferReason { get; set; }
    [BindProperty] public LawfulBasis? TransferBasis { get; set; }
    [BindProperty] public string? DeclineReason { get; set; }
    [BindProperty] public Guid? StepUpTo { get; set; }
    [BindProperty] public string? StepUpRationale { get; set; }
    [BindProperty] public Guid? StepDownLead { get; set; }
    [BindProperty] public string? StepDownRationale { get; set; }

    [BindProperty] public Guid? OrganisationId { get; set; }
    [BindProperty] public Guid? LeadPractitionerId { get; set; }
    [BindProperty] public Guid? MemberId { get; set; }
    [BindProperty] public string? ActionDescription { get; set; }
    [BindProperty] public Guid? ActionOwner { get; set; }
    [BindProperty] public DateInput ActionDue { get; set; } = new();
    [BindProperty] public Guid? ActionId { get; set; }
    [BindProperty] public CaseClosureReason? ClosureReason { get; set; }
    [BindProperty] public string? ReopenReason { get; set; }

    /// <summary>Set by the confirmation step: without it, closing, removing and unlinking only ask.</summary>
    [BindProperty] public bool Confirmed { get; set; }

    /// <summary>What the reader is asked to confirm, when the page is a confirmation step rather than the case.</summary>
    public CaseConfirmation? Confirming { get; private set; }

    public Case? Case => Opened?.Case;
    private OpenedCase? Opened { get; set; }
    public Person? Person { get; private set; }
    public string? Lead { get; private set; }
    public string? LeadPractitioner { get; private set; }
    public IReadOnlyList<(string Value, string Text)> Practitioners { get; private set; } = [];
    public bool CanManage { get; private set; }
    public IReadOnlyList<MemberRow> Members { get; private set; } = [];
    public IReadOnlyList<ActionRow> Actions { get; private set; } = [];
    public IReadOnlyList<MeetingActionRow> MeetingActions { get; private set; } = [];
    public IReadOnlyList<CaseEvent> History { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Organisations { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Owners { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> AllOrganisations { get; private set; } = [];

    /// <summary>Who the lead can be offered to: every organisation but the lead, in the database's order by name like the other lists.</summary>
    public IReadOnlyList<(string Value, string Text)> LeadChoices { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<FamilyRow> Family { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> FamilyCandidates { get; private set; } = [];
    public IReadOnlyList<CaseGoal> Goals { get; private set; } = [];
    public IReadOnlyList<NoteRow> Notes { get; private set; } = [];
    public int NotesWithheld { get; private set; }
    public IReadOnlyList<(string Value, string Text)> NoteCategories { get; private set; } = [];
    public IReadOnlyList<ReviewRow> Reviews { get; private set; } = [];
    public bool ReviewOverdue { get; private set; }
    public PendingOffer? PendingTransfer { get; private set; }
    public bool OfferedToMe { get; private set; }
    public IReadOnlyList<(string Value, string Text)> SocialCareTeams { get; private set; } = [];
    public bool CanStepDown { get; private set; }
    public string? SteppedUpTo { get; private set; }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static IReadOnlyList<(string Value, string Text)> GoalStatuses { get; } =
        Enum.GetValues<GoalStatus>().Select(g => (g.ToString(), CasePlan.Describe(g))).ToList();

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    /// <summary>
    /// A summary of the case as a PDF made on the server: opened through the same policy and read
    /// audit as the page, built from what the page loaded for this reader, and recorded as an export.
    /// </summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct, "case.pdf"))
            return NotFound();
        await access.AuditShownAsync([Person!.Id], AuditAction.Export, "case.pdf", ct);
        var user = await currentUser.GetAsync();
        var organisation = user?.OrganisationName ?? "your organisation";
        var now = clock.GetUtcNow();
        var pdf = CasePrint.Build(this, organisation).Render($"{user?.DisplayName}, {organisation}", now);
        return File(pdf, "application/pdf", $"case-summary-{now.UtcDateTime:yyyy-MM-dd}.pdf");
    }

    /// <summary>
    /// The case's actions as CSV or XLSX: opened through the same policy and read audit as the page,
    /// the same actions in the same order, and recorded as an export of the child's record.
    /// </summary>
    public async Task<IActionResult> OnGetActionsExportAsync(Guid id, Shell.Exports.ExportFormat format, CancellationToken ct)
    {
        if (await records.OpenCaseAsync(id, "case.actions.export", ct) is not { } opened)
            return NotFound();
        var today = Today;
        var goals = await db.CaseGoals.AsNoTracking().Where(g => g.CaseId == id).Select(g => new { g.Id, g.Text }).ToDictionaryAsync(g => g.Id, g => g.Text, ct);
        var actions = await db.CaseActions.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Status).ThenBy(a => a.DueOn).ThenBy(a => a.Id)
            .Select(a => new { a.Description, Owner = a.OwnerOrganisation!.Name, a.DueOn, a.Status, a.GoalId, a.CreatedAt, a.DoneAt }).ToListAsync(ct);
        await access.AuditShownAsync([opened.PersonId], AuditAction.Export, "case.actions.export", ct);
        // The file leaves the app: each row names whose case it is, so a saved copy still says.
        var child = $"{opened.Person.Person.GivenName} {opened.Person.Person.FamilyName}";
        var table = new Shell.Exports.ExportTable("Case actions", ["Child", "Action", "Owner", "Due by", "Status", "Overdue", "Goal", "Agreed on", "Done on"],
            actions.Select(a => (IReadOnlyList<object?>)[child, a.Description, a.Owner, a.DueOn, a.Status == CaseActionStatus.Done ? "Done" : "Open",
                a.Status == CaseActionStatus.Open && a.DueOn < today, a.GoalId is { } g ? goals.GetValueOrDefault(g) : null,
                DateOnly.FromDateTime(a.CreatedAt.UtcDateTime), a.DoneAt is { } done ? DateOnly.FromDateTime(done.UtcDateTime) : null]).ToList());
        return Shell.Exports.ExportFile.Of(table, format, "case-actions", today);
    }

    public Task<IActionResult> OnPostAddMemberAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "OrganisationId", c => work.AddMemberAsync(c, OrganisationId, ct), ct,
            () => $"{NameOf(Organisations, OrganisationId) ?? "The organisation"} was added to the team");

    public Task<IActionResult> OnPostSetLeadPractitionerAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "LeadPractitionerId", c => work.SetLeadPractitionerAsync(c, LeadPractitionerId, ct), ct,
            () => $"{NameOf(Practitioners, LeadPractitionerId) ?? "The practitioner"} is now the lead practitioner");

    public async Task<IActionResult> OnPostRemoveMemberAsync(Guid id, CancellationToken ct)
    {
        string? name = null;
        return await ActAsync(id, "OrganisationId", c =>
        {
            name = Members.FirstOrDefault(m => m.Id == MemberId)?.Organisation;
            if (!Confirmed && CanManage && name is not null)
                Confirming = new CaseConfirmation("RemoveMember", $"Remove {name} from the team?", "Yes, remove them from the team", "No, keep them",
                    $"{name} will no longer see the case, nor {Person!.GivenName}'s record unless it has another reason to.", [("MemberId", MemberId!.Value.ToString())]);
            return Confirming is null ? work.RemoveMemberAsync(c, MemberId ?? Guid.Empty, ct) : Task.FromResult<string?>(null);
        }, ct, () => $"{name} was removed from the team");
    }

    public Task<IActionResult> OnPostCompleteActionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "ActionDescription", c => work.CompleteActionAsync(c, ActionId ?? Guid.Empty, ct), ct, () => "The action was marked done");

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "ClosureReason", c =>
        {
            // Only a close that would succeed is worth confirming: a missing reason or a closed case comes back as before.
            if (!Confirmed && CanManage && Case!.Status == CaseStatus.Open && ClosureReason is { } reason && Enum.IsDefined(reason))
                Confirming = new CaseConfirmation("Close", $"Close the case for {Person!.GivenName} {Person.FamilyName}?", "Yes, close the case", "No, keep it open",
                    $"Reason: {CaseWork.Describe(reason)}. The team's access through the case ends; the case can be reopened.", [("ClosureReason", reason.ToString())]);
            return Confirming is null ? work.CloseAsync(c, ClosureReason, ct) : Task.FromResult<string?>(null);
        }, ct, () => "The case was closed");

    public Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "ReopenReason", c => work.ReopenAsync(c, ReopenReason, ct), ct, () => "The case was reopened");

    public Task<IActionResult> OnPostAddFamilyAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "FamilyPersonId", c => plan.AddFamilyMemberAsync(c, FamilyPersonId, ct), ct, () => "The family member was linked to the case");

    public Task<IActionResult> OnPostRemoveFamilyAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "FamilyPersonId", c =>
        {
            if (!Confirmed && CanManage && Family.FirstOrDefault(f => f.LinkId == FamilyLinkId) is { } link)
                Confirming = new CaseConfirmation("RemoveFamily", $"Unlink {link.Name} from the case?", "Yes, unlink them", "No, keep them linked",
                    "The team's access to them through the case ends.", [("FamilyLinkId", link.LinkId.ToString())]);
            return Confirming is null ? plan.RemoveFamilyMemberAsync(c, FamilyLinkId, ct) : Task.FromResult<string?>(null);
        }, ct, () => "The family member was unlinked from the case");

    public Task<IActionResult> OnPostAddGoalAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "GoalText", c => plan.AddGoalAsync(c, GoalText, ct), ct, () => "The goal was added to the plan");

    public Task<IActionResult> OnPostGoalStatusAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "GoalText", c => plan.SetGoalStatusAsync(c, GoalId, GoalStatus, ct), ct,
            () => GoalStatus is { } status ? $"The goal is now: {CasePlan.Describe(status).ToLowerInvariant()}" : "The goal was updated");

    public Task<IActionResult> OnPostAddNoteAsync(Guid id, CancellationToken ct) =>
        ActOnFormAsync(id, c => plan.AddNoteAsync(c, NoteCategory, NoteBasis, NoteText, ct), ct, "The note was added");

    public Task<IActionResult> OnPostSetReviewAsync(Guid id, CancellationToken ct)
    {
        var (on, error) = ReviewOn.Read("The review date", DateRange.NoLaterThan(Today.AddYears(1), Today));
        return ActAsync(id, "ReviewOn", async c => error ?? await plan.SetReviewDateAsync(c, on, ct), ct,
            () => $"The next review is set for {on:d MMMM yyyy}");
    }

    public Task<IActionResult> OnPostRecordReviewAsync(Guid id, CancellationToken ct)
    {
        var (held, heldError) = ReviewHeld.Read("The date the review was held");
        var (next, nextError) = ReviewNext.Read("The date of the next review", DateRange.NoLaterThan(Today.AddYears(1), Today));
        return ActOnFormAsync(id, async c =>
        {
            var errors = await plan.RecordReviewAsync(c, heldError is null ? held : null, ReviewSummary, nextError is null ? next : null, ct);
            if (heldError is not null)
                errors["ReviewHeld"] = heldError;
            if (nextError is not null)
                errors["ReviewNext"] = nextError;
            return errors;
        }, ct, "The review was recorded");
    }

    public Task<IActionResult> OnPostOfferLeadAsync(Guid id, CancellationToken ct) =>
        ActOnFormAsync(id, c => leads.OfferAsync(c, TransferTo, TransferReason, TransferBasis, ct), ct, "The lead was offered; it moves when they accept");

    public Task<IActionResult> OnPostAcceptLeadAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "DeclineReason", c => leads.AcceptAsync(c, ct), ct, () => "Your organisation now leads the case");

    public Task<IActionResult> OnPostDeclineLeadAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "DeclineReason", c => leads.DeclineAsync(c, DeclineReason, ct), ct, declined: true);

    public Task<IActionResult> OnPostWithdrawOfferAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "TransferTo", c => leads.WithdrawAsync(c, ct), ct, () => "The offer of the lead was withdrawn");

    public Task<IActionResult> OnPostStepUpAsync(Guid id, CancellationToken ct) =>
        ActOnFormAsync(id, c => leads.StepUpAsync(c, StepUpTo, StepUpRationale, ct), ct, "The case was stepped up to children’s social care");

    public Task<IActionResult> OnPostStepDownAsync(Guid id, CancellationToken ct) =>
        ActOnFormAsync(id, c => leads.StepDownAsync(c, StepDownLead, StepDownRationale, ct), ct, "The case was stepped down to early help");

    public async Task<IActionResult> OnPostAddActionAsync(Guid id, CancellationToken ct)
    {
        var (due, dueError) = ActionDue.Read("The due date", DateRange.NoLaterThan(Today.AddYears(2), Today));
        return await ActOnFormAsync(id, async c =>
        {
            var errors = await work.AddActionAsync(c, ActionDescription, ActionOwner, due, ct, ActionGoal);
            if (dueError is not null)
                errors["ActionDue"] = dueError;
            return errors;
        }, ct, "The action was added");
    }

    private async Task<IActionResult> ActOnFormAsync(Guid id, Func<OpenedCase, Task<Dictionary<string, string>>> act, CancellationToken ct, string done)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var errors = await act(Opened!);
        if (errors.Count == 0)
        {
            TempData["Confirmation"] = done;
            return Redirect($"/cases/{id}");
        }
        foreach (var (field, message) in errors)
            Errors[field] = message;
        return Page();
    }

    private async Task<IActionResult> ActAsync(Guid id, string field, Func<OpenedCase, Task<string?>> act, CancellationToken ct, Func<string>? done = null, bool declined = false)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (await act(Opened!) is { } problem)
        {
            Errors[field] = problem;
            return Page();
        }
        if (Confirming is not null)
            return Page();
        // Declining ends the access the offer gave: the case is no longer the reader's to see, and My work says nothing of it.
        if (declined)
        {
            TempData["Confirmation"] = "You declined the lead. Your organisation no longer sees the case, and the lead has been told";
            return Redirect("/my-work");
        }
        if (done is not null)
            TempData["Confirmation"] = done();
        return Redirect($"/cases/{id}");
    }

    private static string? NameOf(IReadOnlyList<(string Value, string Text)> choices, Guid? id) =>
        id is { } chosen ? choices.FirstOrDefault(c => c.Value == chosen.ToString()).Text : null;

    /// <summary>An organisation as the page names and offers it: a school told apart by its URN.</summary>
    private sealed record OrganisationRow(Guid Id, string Name, OrganisationType Type, bool IsActive, string Value, string Text);

    /// <summary>
    /// Every organisation, by name: the register (360 at county scale) read and made into the page's choices on every visit
    /// was 1.0 ms of PostgreSQL and the rows' materialising (issue 18, wave 24d). Kept for the database until the next write
    /// this process makes through EF (<see cref="WriteStamp"/>: an organisation added, renamed or deactivated) and at most
    /// a minute (a write elsewhere). No one's record: the register is not filtered.
    /// </summary>
    private Task<IReadOnlyList<OrganisationRow>> OrganisationsAsync(CancellationToken ct) =>
        Register.GetAsync(db.Database.GetConnectionString() ?? "", clock, async () =>
            (IReadOnlyList<OrganisationRow>)(await db.Organisations.AsNoTracking().OrderBy(o => o.Name)
                    .Select(o => new { o.Id, o.Name, o.Urn, o.Type, o.IsActive }).ToListAsync(ct))
                .Select(o => new OrganisationRow(o.Id, o.Name, o.Type, o.IsActive, o.Id.ToString(), o.Urn == null ? o.Name : $"{o.Name} (URN {o.Urn})")).ToList());

    /// <summary>The register by database (the tests run several), a minute at most when nothing is written.</summary>
    private static readonly KeptUntilWrite<string, IReadOnlyList<OrganisationRow>> Register = new(TimeSpan.FromMinutes(1), most: 100);

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct, string subject = "case")
    {
        Opened = await records.OpenCaseAsync(id, subject, ct);
        if (Opened is null)
            return false;
        var @case = Opened.Case;
        Person = Opened.Person.Person;
        // Every organisation once (the lists below and the names of the lead and the social care team
        // come from it), rather than a query for each name (issue 18).
        var organisations = await OrganisationsAsync(ct);
        // Named from the register kept; one added by another process since it was kept is read by its id.
        async Task<string> NameOfOrganisationAsync(Guid organisationId) =>
            organisations.FirstOrDefault(o => o.Id == organisationId)?.Name ?? await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).FirstAsync(ct);
        Lead = await NameOfOrganisationAsync(@case.LeadOrganisationId);
        CanManage = Opened.Allows(RecordOperationKind.Manage);
        if (CanManage)
            Practitioners = (await db.Users.AsNoTracking().Where(u => u.OrganisationId == @case.LeadOrganisationId && u.IsActive).OrderBy(u => u.DisplayName)
                .Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct)).Select(u => (u.Id.ToString(), u.DisplayName)).ToList();
        // The lead practitioner is usually among the lead organisation's active practitioners just read: named from them, else read.
        LeadPractitioner = @case.LeadPractitionerId is { } leadId
            ? NameOf(Practitioners, leadId) ?? await db.Users.Where(u => u.Id == leadId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct)
            : null;
        // The case's own records are read by its id past the filters: for these kinds the filter is only
        // "the case is visible", which opening it through RecordAccess has just decided, and repeating
        // the Case filter (the Person filter inside it) in every query was most of the page's time at
        // a county's size (issue 18). Notes keep their filter: it also asks whether each note's
        // category flows to the reader.
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var own = await CaseRecordsAsync(id, today, ct);
        Members = own.Members;
        Goals = own.Goals;
        Actions = own.Actions;
        Reviews = own.Reviews;
        await LoadFamilyAsync(own.Family, ct);
        await LoadNotesAsync(id, own.Notes, today, ct);
        PendingTransfer = own.Offer is { } offer
            ? new PendingOffer(await NameOfOrganisationAsync(offer.From), offer.To, await NameOfOrganisationAsync(offer.To), offer.Reason, offer.Basis)
            : null;
        OfferedToMe = PendingTransfer?.ToOrganisationId == db.Reader.OrganisationId;
        CanStepDown = Opened.Allows(RecordOperationKind.StepDown);
        SteppedUpTo = @case.SteppedUpToOrganisationId is { } to ? await NameOfOrganisationAsync(to) : null;
        if (CanManage && @case.Status == CaseStatus.Open)
            SocialCareTeams = organisations.Where(o => o.Type == OrganisationType.SocialCare && o.IsActive).Select(o => (o.Id.ToString(), o.Name)).ToList();
        // Through the policy's MeetingAction filter: the actions of meetings about the child that the reader may see.
        MeetingActions = (await (
                from a in db.Set<MeetingAction>().AsNoTracking().Where(a => a.PersonId == @case.PersonId)
                join i in db.Set<AgendaItem>() on a.AgendaItemId equals i.Id
                orderby a.CompletedAt != null, a.DueOn
                select new { a.Description, Owner = a.OwnerOrganisation!.Name, a.DueOn, a.CompletedAt, i.MeetingId, Series = i.Meeting!.Series!.Name, i.Meeting.Date })
                .Take(100).ToListAsync(ct))
            .Select(a => new MeetingActionRow(a.Description, a.Owner, a.DueOn, a.CompletedAt is not null, a.CompletedAt is null && a.DueOn < today, a.MeetingId,
                $"{a.Series}, {a.Date:d MMMM yyyy}")).ToList();
        // The history as the CaseEvent filter shows it (legacy note lines hidden from everyone but the system), read
        // by the opened case's id with the filter's own line rule (AccessPolicy.HistoryOf), not a copy of it here.
        History = await AccessPolicy.HistoryOf(db, Opened).AsNoTracking().OrderByDescending(e => e.At).ToListAsync(ct);
        var teamIds = Members.Select(m => m.OrganisationId).ToHashSet();
        // Ordered as the database ordered them, by name; a school is told apart by its URN.
        var choices = organisations.Select(o => (o.Id, o.Value, o.Text)).ToList();
        Organisations = choices.Where(o => o.Id != @case.LeadOrganisationId && !teamIds.Contains(o.Id)).Select(o => (o.Value, o.Text)).ToList();
        Owners = choices.Where(o => o.Id == @case.LeadOrganisationId || teamIds.Contains(o.Id)).Select(o => (o.Value, o.Text)).ToList();
        AllOrganisations = choices.Select(o => (o.Value, o.Text)).ToList();
        // Not sorted again here: the view sorted the organisations by their text with the culture's comparer on every
        // visit, some 350 strings for a county (issue 18); the database has ordered them by name already.
        LeadChoices = choices.Where(o => o.Id != @case.LeadOrganisationId).Select(o => (o.Value, o.Text)).ToList();
        return true;
    }


    /// <param name="links">The case's current family links, read with its own records (<see cref="CaseRecordsQuery"/>), oldest first.</param>
    private async Task LoadFamilyAsync(IReadOnlyList<FamilyLink> links, CancellationToken ct)
    {
        var linkedIds = links.Select(l => l.PersonId).ToList();
        // Named only when the reader may see them (an organisation on the case does, through the link); no statement
        // when the case links no one (most cases).
        var visible = linkedIds.Count == 0 ? [] : await db.People.AsNoTracking().Where(p => linkedIds.Contains(p.Id))
            .Select(p => new { p.Id, Name = p.GivenName + " " + p.FamilyName }).ToDictionaryAsync(p => p.Id, p => p.Name, ct);
        Family = links.Select(l => new FamilyRow(l.Id, l.PersonId, visible.GetValueOrDefault(l.PersonId) ?? "Someone you may not see", l.Relationship, visible.ContainsKey(l.PersonId))).ToList();
        if (visible.Count > 0)
            await access.AuditListedAsync(visible.Keys.ToList(), "case.family", ct);
        if (CanManage && Case!.Status == CaseStatus.Open)
        {
            var candidates = (await AccessPolicy.FamilyOfAsync(db, Case.PersonId, ct, () => access.FlowsAsync(ct))).Where(f => !linkedIds.Contains(f.PersonId)).ToList();
            FamilyCandidates = candidates
                .Select(f => (f.PersonId.ToString(), $"{f.Name} ({f.Relationship.ToLowerInvariant()}{(f.DateOfBirth is { } dob ? $", born {dob:d MMM yyyy}" : "")})")).ToList();
            // Named to the lead before it has a relationship with them: each listing is recorded, with that basis.
            await audit.RecordAsync(candidates.Select(f => new AuditEvent(f.PersonId, AuditAction.ListedInSearch, "case.family-candidates", "family of a child whose case the reader manages")).ToList(), ct);
        }
    }

    private async Task LoadNotesAsync(Guid id, int notesInAll, DateOnly today, CancellationToken ct)
    {
        // The opened child's notes on this case as the policy reads an opened person's categorised records
        // (PersonAccess.RecordsOf: the reader's own or where the agreement lets the category flow, from the
        // request's pairs), not through the CaseNote filter, which repeated the Case and Person filters:
        // 3 ms of PostgreSQL planning a visit at county scale (issue 18). The case was opened just now.
        var flows = await access.FlowsAsync(ct);
        Notes = await access.RecordsOf<CaseNote>(Opened!.Person, flows).AsNoTracking().Where(n => n.CaseId == id).OrderByDescending(n => n.At)
            .Select(n => new NoteRow(db.RecordCategories.Where(c => c.Code == n.CategoryCode).Select(c => c.Name).First(), n.OwnerOrganisation!.Name,
                db.Users.Where(u => u.Id == n.AuthorUserId).Select(u => u.DisplayName).First()!, n.LawfulBasis, n.Text, n.At))
            .ToListAsync(ct);
        // Say that notes are withheld, never what they are: every note of the opened case (counted with its records), less those shown.
        NotesWithheld = notesInAll - Notes.Count;
        NoteCategories = (await plan.WritableCategories().OrderBy(c => c.Name)
            .Select(c => new { c.Code, c.Name }).ToListAsync(ct)).Select(c => (c.Code, c.Name)).ToList();
        ReviewOverdue = Case!.Status == CaseStatus.Open && Case.NextReviewOn < today;
    }

    /// <summary>The opened case's own records, each kind shaped as the page shows it.</summary>
    private sealed record CaseRecords(IReadOnlyList<MemberRow> Members, IReadOnlyList<CaseGoal> Goals, IReadOnlyList<ActionRow> Actions,
        IReadOnlyList<ReviewRow> Reviews, int Notes, IReadOnlyList<FamilyLink> Family, Offer? Offer);

    /// <summary>A current family link of the opened case: the relative is named only if the reader may see them.</summary>
    private sealed record FamilyLink(Guid Id, Guid PersonId, string Relationship);

    /// <summary>The case's pending offer of its lead, by organisation id (named from the organisations the page reads).</summary>
    private sealed record Offer(Guid From, Guid To, string Reason, LawfulBasis Basis);

    /// <summary>
    /// The lawful bases as <see cref="CaseRecordsQuery"/> numbers them (enums are stored by name, so the query maps each
    /// name to its place here): a basis added to the enum must be added to the query's CASE too.
    /// </summary>
    private static readonly LawfulBasis[] Bases =
        [LawfulBasis.PublicTask, LawfulBasis.LegalObligation, LawfulBasis.VitalInterests, LawfulBasis.Consent, LawfulBasis.LegitimateInterests];

    /// <summary>
    /// One row of <see cref="CaseRecordsQuery"/>: a member (0), goal (1), action (2), review (3), the count of the case's
    /// notes (4), a family link (5) or the pending offer of the lead (6), in columns every kind shares (a set operation needs
    /// one shape): what each column holds depends on the kind.
    /// </summary>
    private sealed class CaseRecordRow
    {
        public int Kind { get; init; }
        /// <summary>The record's id; for the offer of the lead, the organisation offering it.</summary>
        public Guid Id { get; init; }
        /// <summary>The member's organisation, the action's goal, the review's author, the linked relative, the organisation offered the lead.</summary>
        public Guid? Other { get; init; }
        /// <summary>The goal's or the action's text, the review's summary, the family link's relationship, the offer's reason.</summary>
        public string? Text { get; init; }
        /// <summary>The member's organisation's name, the action's owner's, the review's author's.</summary>
        public string? Name { get; init; }
        /// <summary>The action's due date, the review's date.</summary>
        public DateOnly? On { get; init; }
        /// <summary>The next review, from a review.</summary>
        public DateOnly? Next { get; init; }
        /// <summary>When the member joined, the goal or action was made, the review recorded, the relative linked.</summary>
        public DateTimeOffset At { get; init; }
        /// <summary>The goal's status (0 working, 1 achieved, 2 not achieved), the action's (0 open, 1 done), the count of notes, the offer's basis (<see cref="Bases"/>).</summary>
        public int State { get; init; }
    }

    /// <summary>
    /// The team, goals, actions, reviews, the count of notes, the family links and the pending offer of the lead of a case
    /// just opened through RecordAccess, by its id, in one statement (a UNION ALL), where they were seven (issue 18). Past the filters: for these kinds the filter is only
    /// "the case is visible", which the open has just decided, and repeating the Case filter (the Person filter inside it) in
    /// every query was most of the page's time at a county's size. The notes are only counted here (never their content):
    /// those the reader is shown are read through the policy's categorised-record rule. Compiled once per model: the id is
    /// the only value.
    /// </summary>
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, IAsyncEnumerable<CaseRecordRow>>> CaseRecordsQuery = new(() => EF.CompileAsyncQuery(
        CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, IQueryable<CaseRecordRow>>>((WaypointDbContext db, Guid id) =>
            db.Unfiltered<CaseMember>("the team of the case just opened through RecordAccess, read by its id").Where(m => m.CaseId == id && m.LeftAt == null)
                .Select(m => new CaseRecordRow { Kind = 0, Id = m.Id, Other = m.OrganisationId, Text = null, Name = m.Organisation!.Name, On = null, Next = null, At = m.JoinedAt, State = 0 })
            .Concat(db.Unfiltered<CaseGoal>("the goals of the case just opened through RecordAccess, read by its id").Where(g => g.CaseId == id)
                .Select(g => new CaseRecordRow
                {
                    Kind = 1,
                    Id = g.Id,
                    Other = null,
                    Text = g.Text,
                    Name = null,
                    On = null,
                    Next = null,
                    At = g.CreatedAt,
                    State = g.Status == Domain.GoalStatus.Achieved ? 1 : g.Status == Domain.GoalStatus.NotAchieved ? 2 : 0
                }))
            .Concat(db.Unfiltered<CaseAction>("the actions of the case just opened through RecordAccess, read by its id").Where(a => a.CaseId == id)
                .Select(a => new CaseRecordRow
                {
                    Kind = 2,
                    Id = a.Id,
                    Other = a.GoalId,
                    Text = a.Description,
                    Name = a.OwnerOrganisation!.Name,
                    On = a.DueOn,
                    Next = null,
                    At = a.CreatedAt,
                    State = a.Status == CaseActionStatus.Done ? 1 : 0
                }))
            .Concat(db.Unfiltered<CaseReview>("the reviews of the case just opened through RecordAccess, read by its id").Where(r => r.CaseId == id)
                .Select(r => new CaseRecordRow
                {
                    Kind = 3,
                    Id = r.Id,
                    Other = r.ByUserId,
                    Text = r.Summary,
                    Name = db.Users.Where(u => u.Id == r.ByUserId).Select(u => u.DisplayName).First(),
                    On = r.HeldOn,
                    Next = r.NextReviewOn,
                    At = r.RecordedAt,
                    State = 0
                }))
            .Concat(db.Unfiltered<Case>("the case just opened through RecordAccess, for a count of its notes that the agreement may withhold, never their content").Where(c => c.Id == id)
                .Select(c => new CaseRecordRow
                {
                    Kind = 4,
                    Id = c.Id,
                    Other = null,
                    Text = null,
                    Name = null,
                    On = null,
                    Next = null,
                    At = c.OpenedAt,
                    State = db.Unfiltered<CaseNote>("a count of the opened case's notes that the agreement withholds, never their content").Count(n => n.CaseId == c.Id)
                }))
            .Concat(db.Unfiltered<CaseFamilyMember>("the family links of the case just opened through RecordAccess, read by its id; each relative then named only as the Person filter allows").Where(f => f.CaseId == id && f.RemovedAt == null)
                .Select(f => new CaseRecordRow { Kind = 5, Id = f.Id, Other = f.PersonId, Text = f.Relationship, Name = null, On = null, Next = null, At = f.AddedAt, State = 0 }))
            .Concat(db.Unfiltered<CaseTransfer>("the pending offer of the lead of the case just opened through RecordAccess, read by its id").Where(t => t.CaseId == id && t.Status == CaseTransferStatus.Pending)
                .Select(t => new CaseRecordRow
                {
                    Kind = 6,
                    Id = t.FromOrganisationId,
                    Other = t.ToOrganisationId,
                    Text = t.Reason,
                    Name = null,
                    On = null,
                    Next = null,
                    At = t.RequestedAt,
                    // The basis's place in Bases (stored by name); one the list lacks is -1, and the page fails rather than misstate it.
                    State = t.LawfulBasis == LawfulBasis.PublicTask ? 0 : t.LawfulBasis == LawfulBasis.LegalObligation ? 1
                        : t.LawfulBasis == LawfulBasis.VitalInterests ? 2 : t.LawfulBasis == LawfulBasis.Consent ? 3
                        : t.LawfulBasis == LawfulBasis.LegitimateInterests ? 4 : -1,
                })))));

    private static readonly Domain.GoalStatus[] GoalStates = [Domain.GoalStatus.Working, Domain.GoalStatus.Achieved, Domain.GoalStatus.NotAchieved];

    private async Task<CaseRecords> CaseRecordsAsync(Guid id, DateOnly today, CancellationToken ct)
    {
        var rows = new List<CaseRecordRow>();
        await foreach (var row in CaseRecordsQuery.For(db)(db, id).WithCancellation(ct))
            rows.Add(row);
        var members = rows.Where(r => r.Kind == 0).OrderBy(r => r.At).ThenBy(r => r.Id)
            .Select(r => new MemberRow(r.Id, r.Other!.Value, r.Name!, r.At)).ToList();
        var goals = rows.Where(r => r.Kind == 1).OrderBy(r => r.At).ThenBy(r => r.Id)
            .Select(r => new CaseGoal { Id = r.Id, CaseId = id, Text = r.Text!, Status = GoalStates[r.State], CreatedAt = r.At }).ToList();
        // By status as the database ordered them before (by the stored name: done, then open), then soonest due.
        var actions = rows.Where(r => r.Kind == 2).OrderBy(r => r.State == 1 ? nameof(CaseActionStatus.Done) : nameof(CaseActionStatus.Open), StringComparer.Ordinal)
            .ThenBy(r => r.On).ThenBy(r => r.Id)
            .Select(r =>
            {
                var status = r.State == 1 ? CaseActionStatus.Done : CaseActionStatus.Open;
                return new ActionRow(r.Id, r.Text!, r.Name!, r.On!.Value, status, status == CaseActionStatus.Open && r.On < today,
                    goals.FirstOrDefault(g => g.Id == r.Other)?.Text);
            }).ToList();
        var reviews = rows.Where(r => r.Kind == 3).OrderByDescending(r => r.On).ThenBy(r => r.Id)
            .Select(r => new ReviewRow(r.On!.Value, r.Text!, r.Next, r.Name!)).ToList();
        // Oldest link first, as the page listed them.
        var family = rows.Where(r => r.Kind == 5).OrderBy(r => r.At).ThenBy(r => r.Id).Select(r => new FamilyLink(r.Id, r.Other!.Value, r.Text!)).ToList();
        var offer = rows.Where(r => r.Kind == 6).Select(r => new Offer(r.Id, r.Other!.Value, r.Text!, Bases[r.State])).FirstOrDefault();
        return new CaseRecords(members, goals, actions, reviews, rows.FirstOrDefault(r => r.Kind == 4)?.State ?? 0, family, offer);
    }
}
