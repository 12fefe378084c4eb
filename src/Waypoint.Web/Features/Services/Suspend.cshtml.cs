using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>Asks before suspending a service (it stops taking referrals and leaves the public feed), then does it.</summary>
public sealed class SuspendModel(ServiceDirectory directory) : PageModel
{
    public Service Service { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        if (Service.QaStatus != ServiceQaStatus.Suspended)
            await directory.SuspendAsync(Service, ct);
        TempData["Confirmation"] = $"{Service.Name} suspended: it takes no referrals and is no longer published";
        return Redirect($"/services/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is not { } service)
            return NotFound();
        if (!await directory.MayEditAsync(service.ProviderOrganisationId, ct))
            return Forbid();
        Service = service;
        return null;
    }
}
