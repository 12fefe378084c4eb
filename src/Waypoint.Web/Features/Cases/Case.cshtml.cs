using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.Cases;

public sealed record MemberRow(Guid Id, string Organisation, DateTimeOffset JoinedAt);

public sealed record ActionRow(Guid Id, string Description, string Owner, DateOnly DueOn, CaseActionStatus Status, bool Overdue);

/// <summary>A case: its lead, the team around the family, actions (overdue ones marked), history, closure and reopening.</summary>
public sealed class CaseModel(WaypointDbContext db, PersonAccess access, AuditTrail audit, CaseWork work, TimeProvider clock) : PageModel
{
    [BindProperty] public Guid? OrganisationId { get; set; }
    [BindProperty] public Guid? LeadPractitionerId { get; set; }
    [BindProperty] public Guid? MemberId { get; set; }
    [BindProperty] public string? ActionDescription { get; set; }
    [BindProperty] public Guid? ActionOwner { get; set; }
    [BindProperty] public DateInput ActionDue { get; set; } = new();
    [BindProperty] public Guid? ActionId { get; set; }
    [BindProperty] public CaseClosureReason? ClosureReason { get; set; }
    [BindProperty] public string? ReopenReason { get; set; }

    public Case? Case { get; private set; }
    public Person? Person { get; private set; }
    public string? Lead { get; private set; }
    public string? LeadPractitioner { get; private set; }
    public IReadOnlyList<(string Value, string Text)> Practitioners { get; private set; } = [];
    public bool CanManage { get; private set; }
    public IReadOnlyList<MemberRow> Members { get; private set; } = [];
    public IReadOnlyList<ActionRow> Actions { get; private set; } = [];
    public IReadOnlyList<CaseEvent> History { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Organisations { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Owners { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAddMemberAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "OrganisationId", c => work.AddMemberAsync(c, OrganisationId, ct), ct);

    public Task<IActionResult> OnPostSetLeadPractitionerAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "LeadPractitionerId", c => work.SetLeadPractitionerAsync(c, LeadPractitionerId, ct), ct);

    public Task<IActionResult> OnPostRemoveMemberAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "OrganisationId", c => work.RemoveMemberAsync(c, MemberId ?? Guid.Empty, ct), ct);

    public Task<IActionResult> OnPostCompleteActionAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "ActionDescription", c => work.CompleteActionAsync(c, ActionId ?? Guid.Empty, ct), ct);

    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "ClosureReason", c => work.CloseAsync(c, ClosureReason, ct), ct);

    public Task<IActionResult> OnPostReopenAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "ReopenReason", c => work.ReopenAsync(c, ReopenReason, ct), ct);

    public async Task<IActionResult> OnPostAddActionAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var (due, dueError) = ActionDue.Read("The due date");
        var errors = await work.AddActionAsync(Case!, ActionDescription, ActionOwner, due, ct);
        if (dueError is not null)
            errors["ActionDue"] = dueError;
        if (errors.Count == 0)
            return Redirect($"/cases/{id}");
        foreach (var (field, message) in errors)
            Errors[field] = message;
        return Page();
    }

    private async Task<IActionResult> ActAsync(Guid id, string field, Func<Case, Task<string?>> act, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (await act(Case!) is { } problem)
        {
            Errors[field] = problem;
            return Page();
        }
        return Redirect($"/cases/{id}");
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Case = await db.Cases.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        if (Case is null)
        {
            var personId = await db.Cases.IgnoreQueryFilters().Where(c => c.Id == id).Select(c => (Guid?)c.PersonId).FirstOrDefaultAsync(ct);
            if (personId is not null)
                await audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, "case", "no relationship to this case"), ct);
            return false;
        }
        Person = await access.OpenAsync(Case.PersonId, "case", ct);
        if (Person is null)
            return false;
        Lead = await db.Organisations.Where(o => o.Id == Case.LeadOrganisationId).Select(o => o.Name).FirstAsync(ct);
        CanManage = await work.CanManageAsync(Case, ct);
        LeadPractitioner = Case.LeadPractitionerId is { } leadId ? await db.Users.Where(u => u.Id == leadId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) : null;
        if (CanManage)
            Practitioners = (await db.Users.AsNoTracking().Where(u => u.OrganisationId == Case.LeadOrganisationId && u.IsActive).OrderBy(u => u.DisplayName)
                .Select(u => new { u.Id, u.DisplayName }).ToListAsync(ct)).Select(u => (u.Id.ToString(), u.DisplayName)).ToList();
        Members = await db.CaseMembers.AsNoTracking().Where(m => m.CaseId == id && m.LeftAt == null).OrderBy(m => m.JoinedAt)
            .Select(m => new MemberRow(m.Id, m.Organisation!.Name, m.JoinedAt)).ToListAsync(ct);
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Actions = (await db.CaseActions.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.Status).ThenBy(a => a.DueOn)
                .Select(a => new { a.Id, a.Description, Owner = a.OwnerOrganisation!.Name, a.DueOn, a.Status }).ToListAsync(ct))
            .Select(a => new ActionRow(a.Id, a.Description, a.Owner, a.DueOn, a.Status, a.Status == CaseActionStatus.Open && a.DueOn < today)).ToList();
        History = await db.CaseEvents.AsNoTracking().Where(e => e.CaseId == id).OrderByDescending(e => e.At).ToListAsync(ct);
        var teamIds = await db.CaseMembers.Where(m => m.CaseId == id && m.LeftAt == null).Select(m => m.OrganisationId).ToListAsync(ct);
        var organisations = await db.Organisations.AsNoTracking().OrderBy(o => o.Name).Select(o => new { o.Id, o.Name }).ToListAsync(ct);
        Organisations = organisations.Where(o => o.Id != Case.LeadOrganisationId && !teamIds.Contains(o.Id)).Select(o => (o.Id.ToString(), o.Name)).ToList();
        Owners = organisations.Where(o => o.Id == Case.LeadOrganisationId || teamIds.Contains(o.Id)).Select(o => (o.Id.ToString(), o.Name)).ToList();
        return true;
    }
}
