using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Schools.Imports;

/// <summary>
/// The school's pupils to review: pupils its imports could not match to a child it may see. It
/// shows only what the school's own file said; the school registers each as a new pupil or sends
/// the match to the inclusion team. Only schools have this page.
/// </summary>
public sealed class ReviewsModel(PupilMatchReviews reviews) : PageModel
{
    public IReadOnlyList<SchoolReviewView> Reviews { get; private set; } = [];
    [TempData] public string? Confirmation { get; set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!reviews.ReaderIsSchool)
            return NotFound();
        Reviews = await reviews.ForSchoolAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostRegisterAsync(Guid id, CancellationToken ct)
    {
        if (!reviews.ReaderIsSchool)
            return NotFound();
        if (await reviews.RegisterAsNewAsync(id, ct) is null)
            return await AgainAsync(ct);
        Confirmation = "The pupil has been registered as a new pupil and added to your school's roll";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSendAsync(Guid id, CancellationToken ct)
    {
        if (!reviews.ReaderIsSchool)
            return NotFound();
        if (!await reviews.SendToInclusionTeamAsync(id, ct))
            return await AgainAsync(ct);
        Confirmation = "The pupil has been sent to the inclusion team, who will check whether they are already on the register";
        return RedirectToPage();
    }

    private async Task<IActionResult> AgainAsync(CancellationToken ct)
    {
        Error = "This pupil has already been dealt with, or is not your school's to decide";
        Reviews = await reviews.ForSchoolAsync(ct);
        return Page();
    }
}
