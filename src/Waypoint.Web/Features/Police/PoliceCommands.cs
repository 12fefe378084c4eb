using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;

namespace Waypoint.Features.Police;

/// <summary>
/// <c>police-import --force "Force name" file.csv</c>: an occurrences file applied as the system
/// for the named police organisation (exit 0 applied, 2 rejected with nothing changed, 1 wrong
/// command); <c>risk recompute</c>: every score, as the nightly run does.
/// </summary>
public static class PoliceCommands
{
    public static async Task<int> ImportAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var forceIndex = Array.IndexOf(args, "--force");
        var force = forceIndex >= 0 && forceIndex + 1 < args.Length ? args[forceIndex + 1] : null;
        var path = args.Where((a, i) => !a.StartsWith("--", StringComparison.Ordinal) && i != forceIndex + 1).LastOrDefault();
        if (force is null || path is null)
        {
            errors.WriteLine("Usage: police-import --force <police organisation name> <file.csv>");
            return 1;
        }
        if (!File.Exists(path))
        {
            errors.WriteLine($"{path}: no such file.");
            return 1;
        }
        var db = services.GetRequiredService<WaypointDbContext>();
        var org = await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Type == OrganisationType.Police && o.Name == force, ct);
        if (org is null)
        {
            errors.WriteLine($"No police organisation named \"{force}\" is in the partnership.");
            return 1;
        }
        await using var file = File.OpenRead(path);
        var outcome = await services.GetRequiredService<OccurrenceImport>().ApplyAsync(file, Path.GetFileName(path), org.Id, Guid.Empty, ct);
        if (outcome.Summary is { } s)
        {
            output.WriteLine($"{Path.GetFileName(path)} imported for {org.Name}: {s.Lines} lines; occurrences {s.OccurrencesAdded} added, {s.OccurrencesChanged} changed, {s.OccurrencesUnchanged} unchanged; "
                + $"{s.LinksAdded} people linked, {s.LinksUnchanged} already linked, {s.SentToReview} sent to review; {s.ScoresChanged} risk scores changed.");
            return 0;
        }
        errors.WriteLine($"{Path.GetFileName(path)} was not imported: nothing was changed. Correct {(outcome.Problems.Count == 1 ? "this problem" : $"these {outcome.Problems.Count} problems")} and send the whole file again:");
        foreach (var p in outcome.Problems)
            errors.WriteLine($"  {p}");
        return 2;
    }

    /// <summary><c>street-crime-import file.csv</c> (data.police.uk) or <c>street-crime-import --lsoa-lookup lookup.csv</c> (LSOA code, ward code).</summary>
    public static async Task<int> StreetCrimeAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var lookup = args.Contains("--lsoa-lookup");
        var path = args.LastOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (path is null || !File.Exists(path))
        {
            errors.WriteLine(path is null ? "Usage: street-crime-import [--lsoa-lookup] <file.csv>" : $"{path}: no such file.");
            return 1;
        }
        var import = services.GetRequiredService<StreetCrimeImport>();
        await using var file = File.OpenRead(path);
        var problems = new List<Schools.Imports.ImportProblem>();
        if (lookup)
        {
            var (mapped, found) = await import.ApplyLookupAsync(file, Path.GetFileName(path), ct);
            problems.AddRange(found);
            if (problems.Count == 0)
                output.WriteLine($"{mapped} LSOAs placed in the partnership's wards.");
        }
        else
        {
            var outcome = await import.ApplyAsync(file, Path.GetFileName(path), ct);
            problems.AddRange(outcome.Problems);
            if (outcome.Summary is { } s)
                output.WriteLine($"{Path.GetFileName(path)} imported: {s.Rows} crimes in {s.Months} force-months, {s.WithoutLocation} without a published location.");
        }
        if (problems.Count == 0)
            return 0;
        errors.WriteLine($"{Path.GetFileName(path)} was not imported: nothing was changed.");
        foreach (var p in problems.Take(200))
            errors.WriteLine($"  {p}");
        return 2;
    }

    public static async Task<int> RiskAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        if (args is not ["recompute"])
        {
            errors.WriteLine("Usage: risk recompute");
            return 1;
        }
        var changed = await services.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(ct);
        output.WriteLine($"Risk scores recomputed for every young person: {changed} changed.");
        return 0;
    }
}
