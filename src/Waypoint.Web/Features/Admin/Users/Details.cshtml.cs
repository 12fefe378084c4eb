using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin.Organisations;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Admin.Users;

public sealed record FunctionRow(Guid Id, PartnershipFunction Function, string Area, AreaKind AreaKind, DateOnly StartDate, DateOnly? EndDate);

/// <summary>One account: its roles, partnership-wide functions, and deactivating it or resetting its authenticator.</summary>
[Authorize(Policy = Policies.OrganisationAdmin)]
public sealed class DetailsModel(WaypointDbContext db, AdminSession session, UserAdministration administration, TimeProvider clock) : PageModel
{
    [BindProperty(Name = "Roles")] public List<string> SelectedRoles { get; set; } = [];
    [BindProperty] public NewFunctionInput Function { get; set; } = new();
    [BindProperty] public DateInput Start { get; set; } = new();
    [BindProperty] public DateInput End { get; set; } = new();
    [TempData] public string? Confirmation { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public Administrator Admin { get; private set; } = null!;
    public WaypointUser Account { get; private set; } = null!;
    public IReadOnlyList<string> CurrentRoles { get; private set; } = [];
    public IReadOnlyList<FunctionRow> Functions { get; private set; } = [];

    /// <summary>The function the administrator is asked to confirm ending (it reaches every child in its area).</summary>
    public FunctionRow? Ending { get; private set; }

    [BindProperty] public bool Confirmed { get; set; }
    public IReadOnlyList<AreaChoice> Areas { get; private set; } = [];

    /// <summary>Why the administrator may only look at this account, or null when they may change it.</summary>
    public string? ReadOnlyReason { get; private set; }

    public IReadOnlyList<string> GrantableRoles => UserAdministration.GrantableRoles(Admin);
    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        SelectedRoles = CurrentRoles.ToList();
        Start = DateInput.From(Today);
        return Page();
    }

    public async Task<IActionResult> OnPostRolesAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var outcome = await administration.SetRolesAsync(Admin, Account, SelectedRoles, ct);
        return Done(outcome, "The roles have been saved. The person is signed out and gets the new roles when they sign in again.");
    }

    public async Task<IActionResult> OnPostDeactivateAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var outcome = await administration.DeactivateAsync(Admin, Account, ct);
        return Done(outcome, "The account has been deactivated. Its sessions and API tokens have ended.");
    }

    public async Task<IActionResult> OnPostReactivateAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var outcome = await administration.ReactivateAsync(Admin, Account, ct);
        return Done(outcome, "The account has been reactivated. The person can sign in again.");
    }

    public async Task<IActionResult> OnPostResetAuthenticatorAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        var outcome = await administration.ResetAuthenticatorAsync(Admin, Account, ct);
        return Done(outcome, "The authenticator has been reset. The person is signed out and sets up their authenticator app again at their next sign-in.");
    }

    public async Task<IActionResult> OnPostAddFunctionAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (!Admin.IsPartnershipAdmin)
            return Forbid();
        var dateErrors = new Dictionary<string, string>();
        var (start, startError) = Start.Read("Start date");
        var (end, endError) = End.Read("End date");
        if (startError is not null)
            dateErrors["StartDate"] = startError;
        if (endError is not null)
            dateErrors["EndDate"] = endError;
        Function.StartDate = start;
        Function.EndDate = end;
        var outcome = await administration.AddFunctionAsync(Admin, Account, Function, dateErrors, ct);
        return Done(outcome, "The partnership-wide function has been added.");
    }

    public async Task<IActionResult> OnPostEndFunctionAsync(Guid id, Guid grantId, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct))
            return NotFound();
        if (!Admin.IsPartnershipAdmin)
            return Forbid();
        if (!Confirmed)
        {
            Ending = Functions.FirstOrDefault(f => f.Id == grantId);
            return Ending is null ? NotFound() : Page();
        }
        if (!await administration.EndFunctionAsync(Admin, Account, grantId, ct))
            return NotFound();
        Confirmation = "The partnership-wide function has ended.";
        return Redirect($"/admin/users/{id}");
    }

    private IActionResult Done(UserOutcome outcome, string confirmation)
    {
        if (outcome.Succeeded)
        {
            Confirmation = confirmation;
            return Redirect($"/admin/users/{Account.Id}");
        }
        foreach (var (field, message) in outcome.Errors)
            Errors[field] = message;
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        Admin = await session.CurrentAsync();
        var account = await administration.FindAsync(Admin, id, ct);
        if (account is null)
            return false;
        Account = account;
        CurrentRoles = (await administration.RolesOfAsync(id, ct)).OrderBy(r => Array.IndexOf(Roles.All, r)).ToList();
        ReadOnlyReason = UserAdministration.WhyNotChangeable(Admin, account, CurrentRoles);
        Functions = await db.PartnershipRoleGrants.AsNoTracking().Where(g => g.UserId == id)
            .OrderByDescending(g => g.StartDate)
            .Select(g => new FunctionRow(g.Id, g.Function, g.Area!.Name, g.Area.Kind, g.StartDate, g.EndDate))
            .ToListAsync(ct);
        if (Admin.IsPartnershipAdmin)
            Areas = await OrganisationForm.AreaChoicesAsync(db, ct);
        return true;
    }
}
