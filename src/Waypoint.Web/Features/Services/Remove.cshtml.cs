using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>Asks before removing a service from the directory, then removes it.</summary>
public sealed class RemoveModel(ServiceDirectory directory) : PageModel
{
    public Service Service { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        await directory.RemoveAsync(Service, ct);
        TempData["Confirmation"] = $"{Service.Name} removed from the directory";
        return Redirect("/services");
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
