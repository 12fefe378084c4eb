using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// The inclusion team's review queue: pupils schools sent because an import found a likely match
/// on the register that the school cannot see. An inclusion officer whose grant covers the child's
/// area sees the file's details beside the register's record and confirms (the child is enrolled)
/// or, after a confirmation step, rejects. Anyone else: not found.
/// </summary>
public sealed class InclusionReviewsModel(PupilMatchReviews reviews) : PageModel
{
    public IReadOnlyList<InclusionReviewView> Reviews { get; private set; } = [];
    [TempData] public string? Confirmation { get; set; }
    public string? Error { get; private set; }

    /// <summary>The review whose rejection waits for "yes, reject".</summary>
    public InclusionReviewView? Rejecting { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await reviews.ReaderIsInclusionOfficerAsync(ct))
            return NotFound();
        Reviews = await reviews.ForInclusionTeamAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostConfirmAsync(Guid id, CancellationToken ct)
    {
        if (!await reviews.ReaderIsInclusionOfficerAsync(ct))
            return NotFound();
        if (!await reviews.ConfirmAsync(id, ct))
            return await AgainAsync(ct);
        Confirmation = "The match has been confirmed and the pupil added to the school's roll";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id, bool confirmed, CancellationToken ct)
    {
        if (!await reviews.ReaderIsInclusionOfficerAsync(ct))
            return NotFound();
        if (!confirmed)
        {
            // The confirmation step: the same list, with this one's "are you sure".
            Reviews = await reviews.ForInclusionTeamAsync(ct);
            Rejecting = Reviews.FirstOrDefault(r => r.Id == id);
            return Rejecting is null ? await AgainAsync(ct) : Page();
        }
        if (!await reviews.RejectAsync(id, ct))
            return await AgainAsync(ct);
        Confirmation = "The match has been rejected. The school can now register the pupil as a new pupil";
        return RedirectToPage();
    }

    private async Task<IActionResult> AgainAsync(CancellationToken ct)
    {
        Error = "This pupil has already been dealt with, or is not in your area";
        Reviews = await reviews.ForInclusionTeamAsync(ct);
        return Page();
    }
}
