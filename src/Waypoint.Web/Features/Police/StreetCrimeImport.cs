using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Police;

public sealed record StreetCrimeSummary(int Rows, int Months, int Counts, int WithoutLocation);

public sealed record StreetCrimeOutcome(StreetCrimeSummary? Summary, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// Imports data.police.uk's street-level crime CSV as counts per force, month, LSOA and category.
/// Crime IDs repeat and are blank for antisocial behaviour, so a file replaces the (force, month)
/// slices it holds in one transaction: sending it again changes nothing. Outcomes are not read.
/// </summary>
public sealed class StreetCrimeImport(WaypointDbContext db)
{
    public static readonly string[] Columns =
        ["Crime ID", "Month", "Reported by", "Falls within", "Longitude", "Latitude", "Location", "LSOA code", "LSOA name", "Crime type", "Last outcome category", "Context"];

    public async Task<StreetCrimeOutcome> ApplyAsync(Stream content, string fileName, CancellationToken ct)
    {
        var (counts, rows, withoutLocation, problems) = Parse(content, fileName);
        if (problems.Count > 0)
            return new StreetCrimeOutcome(null, problems);
        if (rows == 0)
            return new StreetCrimeOutcome(null, [new ImportProblem(fileName, null, null, "The file has a header but no crimes.")]);
        var slices = counts.Keys.Select(k => (k.Force, k.Month)).Distinct().ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            foreach (var (force, month) in slices)
                await db.StreetCrimeCounts.Where(c => c.Force == force && c.Month == month).ExecuteDeleteAsync(ct);
            db.StreetCrimeCounts.AddRange(counts.Select(kv => new StreetCrimeCount
            {
                Force = kv.Key.Force,
                Month = kv.Key.Month,
                LsoaCode = kv.Key.Lsoa,
                LsoaName = kv.Value.Name,
                Category = kv.Key.Category,
                Count = kv.Value.Count,
            }));
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            db.ChangeTracker.Clear();
        });
        return new StreetCrimeOutcome(new StreetCrimeSummary(rows, slices.Count, counts.Count, withoutLocation), []);
    }

    public static (Dictionary<(string Force, DateOnly Month, string Lsoa, string Category), (string? Name, int Count)> Counts, int Rows, int WithoutLocation, List<ImportProblem> Problems)
        Parse(Stream content, string fileName)
    {
        var problems = new List<ImportProblem>();
        var counts = new Dictionary<(string, DateOnly, string, string), (string?, int)>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = r => problems.Add(new ImportProblem(fileName, (int)r.LineNumber, null, "This row is not valid CSV: check its quote marks.")),
        };
        using var csv = CsvReader.Create(content, options, leaveOpen: true);
        csv.ReadHeader();
        var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        if (!header.SequenceEqual(Columns))
        {
            problems.Add(new ImportProblem(fileName, 1, "header", $"This is not a police.uk street-level crime file: its header must be exactly {string.Join(",", Columns)}."));
            return (counts, 0, 0, problems);
        }
        int rows = 0, withoutLocation = 0;
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (csv.FieldCount != Columns.Length)
            {
                problems.Add(new ImportProblem(fileName, line, null, $"This row has {csv.FieldCount} values but the header has {Columns.Length} columns."));
                continue;
            }
            var monthText = csv.GetString(1).Trim();
            var force = csv.GetString(2).Trim();
            var lsoa = csv.GetString(7).Trim();
            var lsoaName = csv.GetString(8).Trim();
            var category = csv.GetString(9).Trim();
            var before = problems.Count;
            if (!DateOnly.TryParseExact(monthText + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                problems.Add(new ImportProblem(fileName, line, "column Month", $"\"{monthText}\" is not a month written as YYYY-MM"));
            if (force.Length is 0 or > 80)
                problems.Add(new ImportProblem(fileName, line, "column Reported by", "Name the force that reported the crime (at most 80 characters)"));
            if (!StreetCrimeCategories.Current.Contains(category) && !StreetCrimeCategories.Legacy.Contains(category))
                problems.Add(new ImportProblem(fileName, line, "column Crime type", $"\"{category}\" is not a police.uk crime category"));
            if (lsoa.Length > 12 || lsoaName.Length > 80)
                problems.Add(new ImportProblem(fileName, line, "column LSOA code", "This is not an LSOA code"));
            if (problems.Count > before)
                continue;
            rows++;
            if (lsoa.Length == 0)
                withoutLocation++;
            var key = (force, month, lsoa, category);
            counts[key] = counts.TryGetValue(key, out var c) ? (c.Item1, c.Item2 + 1) : (lsoaName.Length == 0 ? null : lsoaName, 1);
        }
        return (counts, rows, withoutLocation, problems);
    }

    /// <summary>
    /// Reads an LSOA-to-ward lookup (the ONS best-fit file, or any CSV whose first column is the LSOA
    /// code and second the ward code) and replaces the partnership's lookup with it, all or nothing.
    /// </summary>
    public async Task<(int Mapped, IReadOnlyList<ImportProblem> Problems)> ApplyLookupAsync(Stream content, string fileName, CancellationToken ct)
    {
        var wards = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Ward && a.Code != null).ToDictionaryAsync(a => a.Code!, a => a.Id, ct);
        var problems = new List<ImportProblem>();
        var map = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        using var csv = CsvReader.Create(content, new CsvReaderOptions { Separator = ',', HasHeader = true, TrackLineNumbers = true, SkipEmptyLines = true, IncludeValuesInExceptions = false }, leaveOpen: true);
        csv.ReadHeader();
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (csv.FieldCount < 2)
            {
                problems.Add(new ImportProblem(fileName, line, null, "Give the LSOA code, then the ward code"));
                continue;
            }
            var lsoa = csv.GetString(0).Trim();
            var ward = csv.GetString(1).Trim();
            if (lsoa.Length is 0 or > 12)
                problems.Add(new ImportProblem(fileName, line, "column 1", "This is not an LSOA code"));
            else if (!wards.TryGetValue(ward, out var id))
                continue; // a ward outside the partnership: its LSOAs are counted as outside the area
            else
                map[lsoa] = id;
        }
        if (problems.Count > 0)
            return (0, problems);
        await db.LsoaWards.ExecuteDeleteAsync(ct);
        db.LsoaWards.AddRange(map.Select(kv => new LsoaWard { LsoaCode = kv.Key, AreaId = kv.Value }));
        await db.SaveChangesAsync(ct);
        return (map.Count, []);
    }
}
