using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Police;

/// <summary>
/// Area crime context: the public street-level crime counts by police.uk category per ward for a
/// month, for partnership roles (and the police, who import the file). No person data is involved;
/// LSOAs the lookup does not place in a partnership ward and rows without a published location are
/// shown as their own lines, never dropped.
/// </summary>
[RequestSizeLimit(OccurrenceImport.MaxFileBytes + 1024 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = OccurrenceImport.MaxFileBytes + 1024 * 1024)]
public sealed class AreaCrimeModel(WaypointDbContext db, StreetCrimeImport import, IAuthorizationService authorization) : PageModel
{
    public const string NotPublished = "Location not published";
    public const string Outside = "Outside the partnership's wards";

    public IReadOnlyList<DateOnly> Months { get; private set; } = [];
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    public DateOnly? Shown { get; private set; }
    public IReadOnlyList<string> Categories { get; private set; } = [];
    public IReadOnlyList<(string Ward, IReadOnlyDictionary<string, int> Counts, int Total)> Rows { get; private set; } = [];
    [BindProperty] public IFormFile? Upload { get; set; }
    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<ImportProblem> Problems { get; private set; } = [];
    public bool MayImport => db.Reader.OrganisationType == OrganisationType.Police && !db.Reader.AggregatesOnly;

    private async Task<bool> MaySeeAsync() =>
        MayImport || (await authorization.AuthorizeAsync(User, OversightPolicies.PartnershipFigures)).Succeeded;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await MaySeeAsync())
            return NotFound();
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!MayImport)
            return NotFound();
        if (Upload is null || Upload.Length == 0)
            Errors[nameof(Upload)] = "Choose a street-level crime file (CSV) from data.police.uk";
        else
        {
            await using var stream = Upload.OpenReadStream();
            var outcome = await import.ApplyAsync(stream, Path.GetFileName(Upload.FileName), ct);
            if (outcome.Summary is { } s)
            {
                TempData["Confirmation"] = $"{Path.GetFileName(Upload.FileName)} imported: {s.Rows} crimes in {s.Months} force-month{(s.Months == 1 ? "" : "s")}, {s.WithoutLocation} without a published location";
                return RedirectToPage();
            }
            Problems = outcome.Problems;
            Errors[nameof(Upload)] = $"The file was not imported and nothing was changed: correct the {Problems.Count} problem{(Problems.Count == 1 ? "" : "s")} below";
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Months = await db.StreetCrimeCounts.AsNoTracking().Select(c => c.Month).Distinct().OrderByDescending(m => m).ToListAsync(ct);
        Shown = Month is { } m && DateOnly.TryParseExact(m + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var chosen) && Months.Contains(chosen)
            ? chosen : Months.Count > 0 ? Months[0] : null;
        if (Shown is not { } month)
            return;
        var counts = await db.StreetCrimeCounts.AsNoTracking().Where(c => c.Month == month)
            .GroupJoin(db.LsoaWards, c => c.LsoaCode, l => l.LsoaCode, (c, l) => new { c, l })
            .SelectMany(x => x.l.DefaultIfEmpty(), (x, l) => new { x.c.LsoaCode, x.c.Category, x.c.Count, WardId = l == null ? (Guid?)null : l.AreaId })
            .ToListAsync(ct);
        var wardIds = counts.Select(c => c.WardId).OfType<Guid>().Distinct().ToList();
        var names = await db.Areas.AsNoTracking().Where(a => wardIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, a => a.Name, ct);
        Categories = counts.Select(c => c.Category).Distinct().OrderBy(c => c).ToList();
        Rows = counts.GroupBy(c => c.LsoaCode.Length == 0 ? NotPublished : c.WardId is { } w ? names[w] : Outside)
            .Select(g => (g.Key, (IReadOnlyDictionary<string, int>)g.GroupBy(c => c.Category).ToDictionary(x => x.Key, x => x.Sum(c => c.Count)), g.Sum(c => c.Count)))
            .OrderBy(r => r.Key == NotPublished || r.Key == Outside ? 1 : 0).ThenBy(r => r.Key).ToList();
    }
}
