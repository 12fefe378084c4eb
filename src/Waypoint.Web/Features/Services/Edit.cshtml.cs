using Microsoft.AspNetCore.Mvc;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>Changes a service: its keepers, or the provider's own organisation administrator.</summary>
public sealed class EditModel(ServiceDirectory directory) : ServiceFormPage(directory)
{
    public Service Service { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        Input = ServiceInput.From(Service);
        await LoadListsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
            return refused;
        var errors = await Directory.UpdateAsync(Service, Input, ct);
        if (errors.Count > 0)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            await LoadListsAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = $"{Service.Name} changed";
        return Redirect($"/services/{id}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (await Directory.FindAsync(id, ct) is not { } service)
            return NotFound();
        if (!await Directory.MayEditAsync(service.ProviderOrganisationId, ct))
            return Forbid();
        Service = service;
        return null;
    }
}
