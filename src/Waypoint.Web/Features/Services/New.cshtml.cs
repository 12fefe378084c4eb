using Microsoft.AspNetCore.Mvc;

namespace Waypoint.Features.Services;

/// <summary>Adds a service: the directory's keepers for any provider, an organisation administrator for their own.</summary>
public sealed class NewModel(ServiceDirectory directory) : ServiceFormPage(directory)
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await Directory.MayAddAsync(ct))
            return Forbid();
        await LoadListsAsync(ct);
        Input.QaStatus = Domain.ServiceQaStatus.UnderReview;
        Input.Occupied = "0";
        Input.WaitingList = "0";
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await Directory.MayAddAsync(ct))
            return Forbid();
        var (service, errors) = await Directory.CreateAsync(Input, ct);
        if (service is null)
        {
            foreach (var (k, v) in errors)
                Errors[k] = v;
            await LoadListsAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = $"{service.Name} added to the directory";
        return Redirect($"/services/{service.Id}");
    }
}
