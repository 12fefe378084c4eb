using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>One area's figure for one year: the rate, or DfE's code for why there is none.</summary>
public sealed record BenchmarkCell(decimal? Rate, string? Code)
{
    public override string ToString() => Rate?.ToString("0.00", CultureInfo.InvariantCulture) ?? Code ?? "";
}

/// <summary>An area's row: its name and role (home, neighbour, region, England), a figure a year.</summary>
public sealed record BenchmarkSeries(string Name, string? Code, string Role, IReadOnlyList<BenchmarkCell> Cells);

/// <summary>A measure over the years: every area's series, and where the home authority ranks among itself and its neighbours (1: lowest rate).</summary>
public sealed record BenchmarkTable(string Key, string Caption, IReadOnlyList<int> Years, IReadOnlyList<BenchmarkSeries> Series, IReadOnlyList<string?> HomeRank);

public sealed record BenchmarkView(string SchoolType, IReadOnlyList<BenchmarkTable> Tables, IReadOnlyList<string> Notes, string? HomeName);

/// <summary>
/// The partnership against its neighbours, its region and England, year by year, from DfE's
/// published tables as imported; a year an area has no figure for says so rather than guess.
/// </summary>
public static class Benchmarking
{
    public static async Task<BenchmarkView> LoadAsync(WaypointDbContext db, string schoolType, CancellationToken ct)
    {
        var chosen = await db.BenchmarkAuthorities.AsNoTracking().ToListAsync(ct);
        var home = chosen.FirstOrDefault(c => c.IsHome);
        var names = chosen.Select(c => c.Name).Append("England").ToList();
        var figures = await db.DfeExclusionFigures.AsNoTracking()
            .Where(f => f.SchoolType == schoolType && names.Contains(f.Name))
            .ToListAsync(ct);
        var years = figures.Select(f => f.AcademicYear).Distinct().Order().ToList();
        var notes = new List<string>
        {
            "Rates as DfE published them: per 100 pupils on roll at the January census. Suspensions were called fixed-period exclusions until 2018.",
            "x: DfE withheld the figure; .: it does not apply (no pupils). A blank: the area has no figure in the imported tables for that year.",
            "Rank: where the partnership's authority stands among itself and its chosen neighbours that year, 1 being the lowest rate.",
        };
        foreach (var source in chosen.Select(c => c.Source).OfType<string>().Select(s => s.Split(": statistical neighbour")[0]).Distinct())
            notes.Add($"The neighbours are the statistical neighbours given in {source}.");
        foreach (var c in chosen.Where(c => c.Name != "England" && !figures.Any(f => f.Name == c.Name)))
            notes.Add($"{c.Name} has no figures in the imported DfE tables.");
        foreach (var former in AuthorityCodes.Formers.Where(f => chosen.Any(c => c.Name == f.Name)))
            notes.Add($"{former.Name}: {former.Note}.");
        var areas = chosen.OrderBy(c => c.IsHome ? 0 : figures.Any(f => f.Name == c.Name && f.Level == BenchmarkLevel.Region) ? 2 : 1)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => (c.Name, Role: c.IsHome ? "Partnership" : figures.Any(f => f.Name == c.Name && f.Level == BenchmarkLevel.Region) ? "Region" : "Neighbour"))
            .Append((Name: "England", Role: "England")).ToList();

        var tables = new List<BenchmarkTable>();
        foreach (var (key, caption, rate, count) in new (string, string, Func<DfeExclusionFigure, decimal?>, string)[]
        {
            ("suspension", "Suspension rate (fixed-period exclusions)", f => f.SuspensionRate, "fixed_excl_rate"),
            ("exclusion", "Permanent exclusion rate", f => f.PermanentExclusionRate, "perm_excl_rate"),
            ("one-plus", "Pupils with one or more suspensions, rate", f => f.PupilsSuspendedRate, "one_or_more_fixed_excl_rate"),
        })
        {
            BenchmarkCell Cell(string name, int year)
            {
                var f = figures.FirstOrDefault(x => x.Name == name && x.AcademicYear == year);
                if (f is null)
                    return new BenchmarkCell(null, null);
                var code = f.Withheld?.Split(';').Select(w => w.Split('=')).FirstOrDefault(w => w[0] == count)?[1];
                return new BenchmarkCell(rate(f), code);
            }
            var series = areas.Select(a => new BenchmarkSeries(a.Name, chosen.FirstOrDefault(c => c.Name == a.Name)?.Code ?? AuthorityCodes.England, a.Role,
                years.Select(y => Cell(a.Name, y)).ToList())).ToList();
            var ranks = years.Select(y =>
            {
                if (home is null || Cell(home.Name, y).Rate is not { } mine)
                    return null;
                var field = chosen.Where(c => c.IsHome || series.Any(s => s.Name == c.Name && s.Role == "Neighbour"))
                    .Select(c => Cell(c.Name, y).Rate).OfType<decimal>().ToList();
                return $"{field.Count(r => r < mine) + 1} of {field.Count}";
            }).ToList();
            tables.Add(new BenchmarkTable(key, caption, years, series, ranks));
        }
        return new BenchmarkView(schoolType, tables, notes, home?.Name);
    }
}
