using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Referrals;

/// <summary>Any partner reports a concern about a child they can see (found first through search, so no duplicate is made).</summary>
public sealed class ReportModel(PersonAccess access, Triage triage) : PersonPageModel(access)
{
    [BindProperty] public List<ConcernCategory> Categories { get; set; } = [];
    [BindProperty] public string? WhatIsKnown { get; set; }
    [BindProperty] public bool? ImmediateRisk { get; set; }
    [BindProperty] public LawfulBasis? LawfulBasis { get; set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await OpenAsync("referral.new", ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await OpenAsync("referral.new", ct))
            return NotFound();
        var result = await triage.ReportAsync(Person!, new ConcernReport(Categories, WhatIsKnown, ImmediateRisk, LawfulBasis), ct);
        if (!result.Succeeded)
        {
            foreach (var (field, message) in result.Errors)
                Errors[field] = message;
            return Page();
        }
        return Redirect($"/referrals/{result.Id}?sent=true");
    }
}
