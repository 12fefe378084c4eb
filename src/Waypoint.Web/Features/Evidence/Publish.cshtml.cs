using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;

namespace Waypoint.Features.Evidence;

/// <summary>The partnership administrator chooses when a year's figures are published: a preview, then publish as the next version (a revision needs a reason).</summary>
[Authorize(Roles = Roles.PartnershipAdmin)]
public sealed class PublishModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Year { get; set; }

    [BindProperty]
    public string? Threshold { get; set; }

    [BindProperty]
    public string? RevisionNote { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public PublishedTables? Preview { get; private set; }
    public int LatestVersion { get; private set; }
    public int AcademicYearChosen { get; private set; }
    public DateOnly Through { get; private set; }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Choose();
        Preview = await ExclusionStatistics.LoadAsync(db, AcademicYearChosen, Through, StatisticsPublication.DefaultThreshold, ct);
        LatestVersion = await LatestAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        Choose();
        LatestVersion = await LatestAsync(ct);
        var threshold = StatisticsPublication.DefaultThreshold;
        if (!string.IsNullOrWhiteSpace(Threshold) && (!int.TryParse(Threshold.Trim(), out threshold) || threshold < 1 || threshold > 100))
            Errors["Threshold"] = "The threshold must be a whole number from 1 to 100";
        var note = RevisionNote?.Trim();
        if (LatestVersion > 0 && string.IsNullOrEmpty(note))
            Errors["RevisionNote"] = "Say why the published figures are being revised";
        else if (note is { Length: > 1000 })
            Errors["RevisionNote"] = "The reason must be 1,000 characters or fewer";
        if (Errors.Count > 0)
        {
            Preview = await ExclusionStatistics.LoadAsync(db, AcademicYearChosen, Through, StatisticsPublication.DefaultThreshold, ct);
            return Page();
        }
        var published = await StatisticsPublishing.PublishAsync(db, AcademicYearChosen, Through, threshold, note, db.Reader.UserId, clock.GetUtcNow(), ct);
        TempData["Confirmation"] = $"{new AcademicYear(published.AcademicYear)} published as version {published.Version}";
        return Redirect($"/statistics/exclusions?Year={published.AcademicYear}&Version={published.Version}");
    }

    /// <summary>The year asked for if it is this year or a past one; its figures run to its end, or to today for this year.</summary>
    private void Choose()
    {
        var current = AcademicYear.Of(Today);
        var year = int.TryParse(Year, out var y) && y >= current.StartYear - 10 && y <= current.StartYear ? new AcademicYear(y) : current;
        AcademicYearChosen = year.StartYear;
        Through = year == current ? Today : year.End;
    }

    private async Task<int> LatestAsync(CancellationToken ct) =>
        await db.StatisticsPublications.Where(p => p.AcademicYear == AcademicYearChosen).MaxAsync(p => (int?)p.Version, ct) ?? 0;
}
