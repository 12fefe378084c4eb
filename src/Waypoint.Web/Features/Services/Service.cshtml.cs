using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;

namespace Waypoint.Features.Services;

/// <summary>One service of the directory, for every signed-in partner; its keepers change, suspend or remove it from here.</summary>
public sealed class ServiceModel(ServiceDirectory directory, ServiceOutcomes outcomes, TimeProvider clock) : PageModel
{
    public Service Service { get; private set; } = null!;

    /// <summary>The service's own outcome figures, for partnership roles and the provider; null for anyone else.</summary>
    public ServiceOutcomeFigures? Figures { get; private set; }
    public TermChange? Change { get; private set; }
    public IReadOnlyList<ServiceComparison> Comparison { get; private set; } = [];
    public bool MayEdit { get; private set; }
    [TempData] public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (await directory.FindAsync(id, ct) is not { } service)
            return NotFound();
        Service = service;
        MayEdit = await directory.MayEditAsync(service.ProviderOrganisationId, ct);
        if (await outcomes.MaySeeAsync(User, service))
        {
            Figures = await outcomes.ForAsync(service.Id, ct);
            Change = await outcomes.ChangeAsync(service.Id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
            if (await outcomes.MayCompareAsync(User))
                Comparison = await outcomes.CompareAsync(service, ct);
        }
        return Page();
    }
}
