using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.Evidence;

/// <summary>The partnership administrator imports DfE's tables (all or nothing) and chooses the partnership's authority and its neighbours.</summary>
[Authorize(Roles = Roles.PartnershipAdmin)]
[RequestSizeLimit(MaxFileBytes + 64 * 1024)]
public sealed class BenchmarkManageModel(WaypointDbContext db, TimeProvider clock) : PageModel
{
    public const int MaxFileBytes = 20 * 1024 * 1024;
    public const int MaxNeighbours = 20;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public string? Home { get; set; }

    [BindProperty]
    public string? Neighbours { get; set; }

    [BindProperty]
    public IFormFile? NeighbourUpload { get; set; }

    [BindProperty]
    public string? NeighbourSource { get; set; }

    public const int MaxSourceLength = 300;

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<DfeLineError> LineErrors { get; private set; } = [];
    public IReadOnlyList<DfeLineError> Skipped { get; private set; } = [];
    public IReadOnlyList<string> Known { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var chosen = await db.BenchmarkAuthorities.AsNoTracking().ToListAsync(ct);
        Home = chosen.FirstOrDefault(c => c.IsHome)?.Name;
        Neighbours = string.Join('\n', chosen.Where(c => !c.IsHome).Select(c => c.Name).Order(StringComparer.Ordinal));
        return Page();
    }

    public async Task<IActionResult> OnPostImportAsync(CancellationToken ct)
    {
        if (Upload is null || Upload.Length == 0)
            Errors[nameof(Upload)] = "Choose a DfE CSV file";
        else if (Upload.Length > MaxFileBytes)
            Errors[nameof(Upload)] = "The file must be 20 MB or smaller";
        if (Errors.Count > 0)
        {
            await LoadAsync(ct);
            return Page();
        }
        using var memory = new MemoryStream();
        await Upload!.CopyToAsync(memory, ct);
        var outcome = await DfeExclusionsImport.ImportAsync(db, Upload.FileName, memory.ToArray(), db.Reader.UserId, clock.GetUtcNow(), ct);
        if (outcome.Errors.Count > 0)
        {
            Errors[nameof(Upload)] = $"The file was not imported: {outcome.Errors.Count} problem{(outcome.Errors.Count == 1 ? "" : "s")} (listed below). Nothing stored was changed.";
            LineErrors = outcome.Errors;
            Skipped = outcome.Skipped;
            await LoadAsync(ct);
            return Page();
        }
        TempData["Confirmation"] = outcome.Unchanged
            ? "That file was imported before: nothing changed"
            : $"{outcome.Import!.Rows} figures imported for {outcome.Import.FirstYear}/{(outcome.Import.FirstYear + 1) % 100} to {outcome.Import.LastYear}/{(outcome.Import.LastYear + 1) % 100}{NotRead(outcome.Skipped)}";
        return Redirect("/statistics/benchmarking/manage");
    }

    public async Task<IActionResult> OnPostComparatorsAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var known = Known.ToDictionary(k => k, StringComparer.OrdinalIgnoreCase);
        var byCode = await db.DfeExclusionFigures.AsNoTracking().Where(f => f.Code != null)
            .Select(f => new { f.Code, f.Name, f.AcademicYear }).ToListAsync(ct);
        string? Resolve(string entry) =>
            known.TryGetValue(entry, out var name) ? name
            : byCode.Where(c => string.Equals(c.Code, entry, StringComparison.OrdinalIgnoreCase)).OrderByDescending(c => c.AcademicYear).Select(c => c.Name).FirstOrDefault();

        var home = Home?.Trim() is { Length: > 0 } h ? Resolve(h) : null;
        if (string.IsNullOrWhiteSpace(Home))
            Errors[nameof(Home)] = "Enter the partnership's own authority";
        else if (home is null)
            Errors[nameof(Home)] = $"'{Trim(Home)}' is not an authority in the imported DfE tables";
        var entries = (Neighbours ?? "").Split('\n').Select(n => n.Trim()).Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var unknown = entries.Where(e => Resolve(e) is null).ToList();
        if (unknown.Count > 0)
            Errors[nameof(Neighbours)] = $"Not in the imported DfE tables: {string.Join(", ", unknown.Take(5).Select(u => $"'{Trim(u)}'"))}{(unknown.Count > 5 ? $" and {unknown.Count - 5} more" : "")}";
        else if (entries.Count > MaxNeighbours)
            Errors[nameof(Neighbours)] = $"Choose at most {MaxNeighbours} neighbours";
        if (Errors.Count > 0)
            return Page();

        var names = entries.Select(e => Resolve(e)!).Where(n => n != home && n != "England").Distinct().ToList();
        var codes = byCode.GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.AcademicYear).First().Code);
        var now = clock.GetUtcNow();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.BenchmarkAuthorities.ExecuteDeleteAsync(ct);
            db.BenchmarkAuthorities.AddRange(names.Prepend(home!).Select((n, i) => new BenchmarkAuthority
            {
                Name = n,
                Code = codes.GetValueOrDefault(n),
                IsHome = i == 0,
                ChosenAt = now,
                ChosenByUserId = db.Reader.UserId,
            }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        TempData["Confirmation"] = $"Comparing {home} with {names.Count} neighbour{(names.Count == 1 ? "" : "s")}";
        return Redirect("/statistics/benchmarking");
    }

    /// <summary>What the file held that was not read (rows DfE named "NULL"; an EES file's other columns, levels and phases), in the success banner.</summary>
    private static string NotRead(IReadOnlyList<DfeLineError> skipped) => skipped.Count == 0 ? ""
        : $"; not read: {string.Join("; ", skipped.Take(3).Select(s => s.Message))}{(skipped.Count > 3 ? $" and {skipped.Count - 3} more" : "")}";

    /// <summary>
    /// The default comparator set: the home authority's statistical neighbours from a data file the
    /// partnership loads, with the source it records. The set stays editable below; neighbours typed
    /// in by hand lose the file's source.
    /// </summary>
    public async Task<IActionResult> OnPostNeighbourFileAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        var home = await db.BenchmarkAuthorities.AsNoTracking().FirstOrDefaultAsync(c => c.IsHome, ct);
        if (home is null)
            Errors[nameof(NeighbourUpload)] = "Choose the partnership's own authority first (below)";
        else if (NeighbourUpload is null || NeighbourUpload.Length == 0)
            Errors[nameof(NeighbourUpload)] = "Choose a statistical-neighbour CSV file";
        else if (NeighbourUpload.Length > MaxFileBytes)
            Errors[nameof(NeighbourUpload)] = "The file must be 20 MB or smaller";
        var source = NeighbourSource?.Trim() ?? "";
        if (source.Length == 0)
            Errors[nameof(NeighbourSource)] = "Say where the file comes from (publisher, title and date)";
        else if (source.Length > MaxSourceLength)
            Errors[nameof(NeighbourSource)] = $"The source must be {MaxSourceLength} characters or fewer";
        if (Errors.Count > 0)
            return Page();

        string text;
        try
        {
            using var memory = new MemoryStream();
            await NeighbourUpload!.CopyToAsync(memory, ct);
            text = new System.Text.UTF8Encoding(false, true).GetString(memory.ToArray());
        }
        catch (System.Text.DecoderFallbackException)
        {
            Errors[nameof(NeighbourUpload)] = "The file is not UTF-8 text (save it from the spreadsheet as CSV UTF-8)";
            return Page();
        }
        var file = StatisticalNeighbours.Parse(text);
        if (file.Errors.Count > 0)
        {
            Errors[nameof(NeighbourUpload)] = $"The file was not read: {file.Errors.Count} problem{(file.Errors.Count == 1 ? "" : "s")} (listed below). The neighbours were not changed.";
            LineErrors = file.Errors;
            return Page();
        }
        var resolver = await ResolverAsync(ct);
        var homeNames = new[] { home!.Name, home.Code ?? "" }.Concat(resolver.CodesOf(home.Name));
        var row = StatisticalNeighbours.RowFor(file, homeNames);
        if (row is null)
        {
            Errors[nameof(NeighbourUpload)] = $"The file has no row for {home.Name}{(home.Code is null ? "" : $" ({home.Code})")}. The neighbours were not changed.";
            return Page();
        }
        var unknown = row.Neighbours.Where(n => resolver.Resolve(n) is null).ToList();
        if (unknown.Count > 0)
        {
            Errors[nameof(NeighbourUpload)] = $"Line {row.Line}: not in the imported DfE tables: {string.Join(", ", unknown.Take(5).Select(u => $"'{Trim(u)}'"))}{(unknown.Count > 5 ? $" and {unknown.Count - 5} more" : "")}. The neighbours were not changed.";
            return Page();
        }
        var names = row.Neighbours.Select(n => resolver.Resolve(n)!).Where(n => n != home.Name && n != "England").Distinct().ToList();
        var fileName = Path.GetFileName(NeighbourUpload!.FileName) is { Length: > 0 and <= 60 } f ? f : "neighbours.csv";
        await ReplaceNeighboursAsync(home.Name, names, (n, i) => $"{source} ({fileName}): statistical neighbour {i + 1}", resolver, ct);
        TempData["Confirmation"] = $"Comparing {home.Name} with its {names.Count} statistical neighbour{(names.Count == 1 ? "" : "s")} from {fileName}";
        return Redirect("/statistics/benchmarking");
    }

    private sealed record Resolver(Func<string, string?> Resolve, Func<string, IEnumerable<string>> CodesOf, Dictionary<string, string?> Codes);

    private async Task<Resolver> ResolverAsync(CancellationToken ct)
    {
        var known = Known.ToDictionary(k => k, StringComparer.OrdinalIgnoreCase);
        var byCode = await db.DfeExclusionFigures.AsNoTracking().Where(f => f.Code != null || f.LaNumber != null)
            .Select(f => new { f.Code, f.LaNumber, f.Name, f.AcademicYear }).Distinct().ToListAsync(ct);
        string? Resolve(string entry) =>
            known.TryGetValue(entry, out var name) ? name
            : byCode.Where(c => string.Equals(c.Code, entry, StringComparison.OrdinalIgnoreCase) || c.LaNumber == entry)
                .OrderByDescending(c => c.AcademicYear).Select(c => c.Name).FirstOrDefault();
        IEnumerable<string> CodesOf(string name) => byCode.Where(c => c.Name == name).SelectMany(c => new[] { c.Code, c.LaNumber }).OfType<string>().Distinct();
        var codes = byCode.Where(c => c.Code != null).GroupBy(c => c.Name).ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.AcademicYear).First().Code);
        return new Resolver(Resolve, CodesOf, codes);
    }

    private async Task ReplaceNeighboursAsync(string home, IReadOnlyList<string> names, Func<string, int, string?> source, Resolver resolver, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.BenchmarkAuthorities.ExecuteDeleteAsync(ct);
            db.BenchmarkAuthorities.Add(new BenchmarkAuthority { Name = home, Code = resolver.Codes.GetValueOrDefault(home), IsHome = true, ChosenAt = now, ChosenByUserId = db.Reader.UserId });
            db.BenchmarkAuthorities.AddRange(names.Select((n, i) => new BenchmarkAuthority
            {
                Name = n,
                Code = resolver.Codes.GetValueOrDefault(n),
                Source = source(n, i),
                ChosenAt = now,
                ChosenByUserId = db.Reader.UserId,
            }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
    }

    private static string Trim(string value) => value.Length > 60 ? value[..60] + "…" : value;

    private async Task LoadAsync(CancellationToken ct) =>
        Known = await db.DfeExclusionFigures.AsNoTracking().Where(f => f.Level != BenchmarkLevel.National)
            .Select(f => f.Name).Distinct().OrderBy(n => n).ToListAsync(ct);
}
