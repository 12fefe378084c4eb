using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>The add and edit pages share one form: its fields, the lists it offers and its messages.</summary>
public abstract class ServiceFormPage(ServiceDirectory directory) : PageModel
{
    protected ServiceDirectory Directory => directory;

    [BindProperty] public ServiceInput Input { get; set; } = new();
    public Dictionary<string, string> Errors { get; } = [];
    public List<(Guid Id, string Name)> Providers { get; private set; } = [];
    public List<(Guid Id, string Name)> Needs { get; private set; } = [];
    public List<(Guid Id, string Name, AreaKind Kind)> Areas { get; private set; } = [];

    protected async Task LoadListsAsync(CancellationToken ct)
    {
        Providers = await directory.ProvidersAsync(ct);
        Needs = await directory.NeedsAsync(ct);
        Areas = await directory.AreasAsync(ct);
    }
}
