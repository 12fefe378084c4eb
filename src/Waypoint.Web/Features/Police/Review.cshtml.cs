using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police;

/// <summary>
/// One queued name: what the force's file said beside the occurrence, and the people it may be
/// (the import's suggestion, the register's likely matches, a name search), each with the evidence;
/// the reviewer chooses one or dismisses the name, then confirms on the next page. Police only.
/// </summary>
public sealed class ReviewModel(WaypointDbContext db, MatchReviewQueue queue) : PageModel
{
    public const string DismissChoice = "dismiss";

    public OccurrenceMatchReview? Review { get; private set; }
    public ReviewCandidates Candidates { get; private set; } = new([], false);
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty] public string? Choice { get; set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync([FromQuery] Guid id, CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db) || await queue.FindAsync(id, ct) is not { } review)
            return NotFound();
        if (review.Status != OccurrenceMatchStatus.Waiting)
            return RedirectToPage("/Police/Reviews");
        Review = review;
        if (Search is { Length: > 100 })
            Errors[nameof(Search)] = "Enter a name of at most 100 characters";
        Candidates = await queue.CandidatesAsync(review, Errors.Count == 0 ? Search : null, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromQuery] Guid id, CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db) || await queue.FindAsync(id, ct) is not { } review)
            return NotFound();
        if (review.Status != OccurrenceMatchStatus.Waiting)
            return RedirectToPage("/Police/Reviews");
        if (Choice == DismissChoice)
            return Redirect($"/police/review/confirm?id={id}&dismiss=true");
        if (Guid.TryParse(Choice, out var person))
            return Redirect($"/police/review/confirm?id={id}&person={person}");
        Review = review;
        Errors[nameof(Choice)] = "Choose who this is, or dismiss the name";
        Candidates = await queue.CandidatesAsync(review, Search is { Length: <= 100 } ? Search : null, ct);
        return Page();
    }
}
