using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Meetings;

/// <summary>Marks a meeting action done, for its owner organisation; back to My work.</summary>
public sealed class CompleteActionModel(MeetingWork meetings) : PageModel
{
    public async Task<IActionResult> OnPostAsync(Guid actionId, CancellationToken ct)
    {
        if (!await meetings.CompleteActionAsync(actionId, ct))
            return NotFound();
        TempData["Confirmation"] = "Action marked done";
        return Redirect("/my-work");
    }
}
