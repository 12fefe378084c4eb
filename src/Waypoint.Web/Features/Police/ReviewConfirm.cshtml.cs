using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;

namespace Waypoint.Features.Police;

/// <summary>The confirmation step before a queued name is linked to a person or dismissed: the only place either happens.</summary>
public sealed class ReviewConfirmModel(WaypointDbContext db, MatchReviewQueue queue, PersonAccess access) : PageModel
{
    public OccurrenceMatchReview? Review { get; private set; }
    public string? PersonName { get; private set; }
    [BindProperty(SupportsGet = true)] public Guid? Person { get; set; }
    [BindProperty(SupportsGet = true)] public bool Dismiss { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid id, CancellationToken ct) => await LoadAsync(id, ct) ?? Page();

    public async Task<IActionResult> OnPostAsync([FromQuery] Guid id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } early)
            return early;
        var review = Review!;
        var problem = Dismiss ? await queue.DismissAsync(review, ct) : await queue.LinkAsync(review, Person!.Value, ct);
        if (problem is not null)
        {
            Errors["Decision"] = problem;
            return Page();
        }
        TempData["Confirmation"] = Dismiss
            ? $"{review.GivenName} {review.FamilyName} dismissed from occurrence {review.Occurrence!.PoliceReference}: nobody was linked"
            : $"{PersonName} linked to occurrence {review.Occurrence!.PoliceReference} as {PoliceLabels.Describe(review.Role)}";
        return RedirectToPage("/Police/Reviews");
    }

    /// <summary>The review and the chosen person, or the answer to give instead (404, or back to choose).</summary>
    private async Task<IActionResult?> LoadAsync(Guid id, CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db) || await queue.FindAsync(id, ct) is not { } review)
            return NotFound();
        if (review.Status != OccurrenceMatchStatus.Waiting)
            return RedirectToPage("/Police/Reviews");
        Review = review;
        if (Dismiss)
            return null;
        if (Person is not { } person || await access.OpenAsync(person, $"police:review {id}", ct) is not { } opened)
            return Redirect($"/police/review?id={id}");
        PersonName = $"{opened.GivenName} {opened.FamilyName}";
        return null;
    }
}
