using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>A problem with one line (0: the file or its header) of a DfE file.</summary>
public sealed record DfeLineError(int Line, string Message)
{
    public override string ToString() => Line == 0 ? Message : $"Line {Line}: {Message}";
}

public sealed record DfeParseResult(IReadOnlyList<DfeExclusionFigure> Rows, IReadOnlyList<DfeLineError> Errors, IReadOnlyList<DfeLineError> Skipped);

/// <summary>
/// Reads DfE's published local-authority exclusion table (the format of the exclusion
/// statistics app's clean_la_data.csv, 2006/07 to 2016/17: year, level, la_name, school_type,
/// num_schools, headcount, perm_excl, perm_excl_rate, fixed_excl, fixed_excl_rate,
/// one_plus_fixed, one_or_more_fixed_excl_rate) with its quirks: "x" for a withheld figure, "."
/// for a rate that does not apply (no pupils), the other codes DfE uses (c, z, low, u) accepted
/// as withheld, authorities named without codes (the ONS code is found by name and year, old
/// ones included), and a few rows DfE wrote with the name "NULL", which are skipped and said so.
/// Nothing is stored unless every line is right.
/// </summary>
public static class DfeExclusionsImport
{
    public static IReadOnlyList<string> Columns { get; } =
    [
        "year", "level", "la_name", "school_type", "num_schools", "headcount", "perm_excl", "perm_excl_rate",
        "fixed_excl", "fixed_excl_rate", "one_plus_fixed", "one_or_more_fixed_excl_rate",
    ];

    public static IReadOnlyList<string> SchoolTypes { get; } = ["Total", "Primary", "Secondary", "Special"];

    /// <summary>DfE's codes for a value it does not give: x and c withheld (confidential), z and . not applicable, u low reliability, low a rounded-down count.</summary>
    public static IReadOnlyList<string> Codes { get; } = ["x", "c", "z", ".", "u", "low", ":"];

    public const int MaxErrors = 50;

    public static DfeParseResult Parse(string text)
    {
        var rows = new List<DfeExclusionFigure>();
        var errors = new List<DfeLineError>();
        var skipped = new List<DfeLineError>();
        var records = Records(text.TrimStart('\uFEFF')).ToList();
        if (records.Count == 0)
            return new DfeParseResult(rows, [new DfeLineError(0, "The file is empty")], skipped);
        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        if (EesExclusionsFormat.Recognises(header))
            return EesExclusionsFormat.Parse(records);
        var unknown = header.Where(h => !Columns.Contains(h, StringComparer.OrdinalIgnoreCase)).ToList();
        var missing = Columns.Where(c => !header.Contains(c, StringComparer.OrdinalIgnoreCase)).ToList();
        if (unknown.Count > 0)
            errors.Add(new DfeLineError(1, $"Unknown column{(unknown.Count == 1 ? "" : "s")}: {string.Join(", ", unknown.Select(u => $"'{u}'"))}. The DfE local-authority table has: {string.Join(", ", Columns)}"));
        if (missing.Count > 0)
            errors.Add(new DfeLineError(1, $"Missing column{(missing.Count == 1 ? "" : "s")}: {string.Join(", ", missing)}"));
        if (errors.Count > 0)
            return new DfeParseResult([], errors, skipped);
        var at = Columns.ToDictionary(c => c, c => header.FindIndex(h => string.Equals(h, c, StringComparison.OrdinalIgnoreCase)));
        var seen = new Dictionary<(int, BenchmarkLevel, string, string), int>();

        foreach (var (line, fields) in records.Skip(1))
        {
            if (errors.Count >= MaxErrors)
                break;
            if (fields.Count == 1 && fields[0].Trim().Length == 0)
                continue;
            if (fields.Count != header.Count)
            {
                errors.Add(new DfeLineError(line, $"{fields.Count} values where the header has {header.Count}"));
                continue;
            }
            string F(string column) => fields[at[column]].Trim();
            var lineErrors = new List<string>();
            var withheld = new List<string>();

            var yearText = F("year");
            var year = 0;
            if (yearText.Length != 6 || !int.TryParse(yearText, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || (y / 100 + 1) % 100 != y % 100)
                lineErrors.Add($"year '{yearText}' is not an academic year as DfE writes it (201617 for 2016/17)");
            else
                year = y / 100;
            BenchmarkLevel? level = F("level") switch
            {
                "National" => BenchmarkLevel.National,
                "Region" or "Regional" => BenchmarkLevel.Region,
                "Local authority" => BenchmarkLevel.LocalAuthority,
                _ => null,
            };
            if (level is null)
                lineErrors.Add($"level '{F("level")}' is not National, Region or Local authority");
            var name = F("la_name");
            var type = SchoolTypes.FirstOrDefault(t => string.Equals(t, F("school_type"), StringComparison.OrdinalIgnoreCase));
            if (type is null)
                lineErrors.Add($"school_type '{F("school_type")}' is not one of {string.Join(", ", SchoolTypes)}");
            if (name.Length is 0 or > 100)
                lineErrors.Add(name.Length == 0 ? "la_name is empty" : "la_name is longer than 100 characters");

            int? Count(string column)
            {
                var v = F(column);
                if (Codes.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    withheld.Add($"{column}={v}");
                    return null;
                }
                if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    return n;
                lineErrors.Add($"{column} '{v}' is not a whole number or one of DfE's codes ({string.Join(", ", Codes)})");
                return null;
            }
            decimal? Rate(string column)
            {
                var v = F(column);
                if (Codes.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    withheld.Add($"{column}={v}");
                    return null;
                }
                if (decimal.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r <= 10000)
                    return r;
                lineErrors.Add($"{column} '{v}' is not a rate or one of DfE's codes ({string.Join(", ", Codes)})");
                return null;
            }
            var figure = new DfeExclusionFigure
            {
                AcademicYear = year,
                Level = level ?? BenchmarkLevel.LocalAuthority,
                Name = name,
                SchoolType = type ?? "",
                Schools = Count("num_schools"),
                Headcount = Count("headcount"),
                PermanentExclusions = Rate("perm_excl"),
                PermanentExclusionRate = Rate("perm_excl_rate"),
                Suspensions = Count("fixed_excl"),
                SuspensionRate = Rate("fixed_excl_rate"),
                PupilsSuspended = Count("one_plus_fixed"),
                PupilsSuspendedRate = Rate("one_or_more_fixed_excl_rate"),
            };
            if (lineErrors.Count > 0)
            {
                errors.Add(new DfeLineError(line, string.Join("; ", lineErrors)));
                continue;
            }
            if (string.Equals(name, "NULL", StringComparison.Ordinal))
            {
                // DfE's own file has a few rows for an authority it did not name: they cannot be compared with anything.
                skipped.Add(new DfeLineError(line, $"an area DfE named \"NULL\" ({F("level")}, {type}, {yearText}) is left out"));
                continue;
            }
            if (seen.TryGetValue((year, figure.Level, name, type!), out var first))
            {
                errors.Add(new DfeLineError(line, $"{name}, {type}, {yearText} is given twice (first on line {first})"));
                continue;
            }
            seen[(year, figure.Level, name, type!)] = line;
            figure.Withheld = withheld.Count == 0 ? null : string.Join(';', withheld);
            figure.Code = AuthorityCodes.Find(figure.Level, name, year);
            if (figure.Level == BenchmarkLevel.LocalAuthority && figure.Code is null)
                errors.Add(new DfeLineError(line, $"'{name}' is not an English local authority known by name to the ONS codes or as a former authority"));
            rows.Add(figure);
        }
        if (errors.Count == 0 && rows.Count == 0)
            errors.Add(new DfeLineError(0, "The file has a header but no rows"));
        return new DfeParseResult(errors.Count == 0 ? rows : [], errors, skipped);
    }

    public sealed record ImportOutcome(DfeImport? Import, IReadOnlyList<DfeLineError> Errors, IReadOnlyList<DfeLineError> Skipped, bool Unchanged);

    /// <summary>
    /// Stores a whole file or nothing. The years it covers replace what was held for them, so the
    /// same file imported twice changes nothing (the second says so), and a corrected file replaces its year.
    /// </summary>
    public static async Task<ImportOutcome> ImportAsync(WaypointDbContext db, string fileName, byte[] content, Guid? userId, DateTimeOffset now, CancellationToken ct)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return new ImportOutcome(null, [new DfeLineError(0, "The file is not UTF-8 text (save it from the spreadsheet as CSV UTF-8)")], [], false);
        }
        var parsed = Parse(text);
        if (parsed.Errors.Count > 0)
            return new ImportOutcome(null, parsed.Errors, parsed.Skipped, false);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var years = parsed.Rows.Select(r => r.AcademicYear).Distinct().ToList();
        if (await db.DfeImports.AnyAsync(i => i.Sha256 == sha, ct)
            && await db.DfeExclusionFigures.CountAsync(f => years.Contains(f.AcademicYear), ct) == parsed.Rows.Count)
            return new ImportOutcome(await db.DfeImports.Where(i => i.Sha256 == sha).OrderBy(i => i.ImportedAt).FirstAsync(ct), [], parsed.Skipped, true);

        var import = new DfeImport
        {
            FileName = Path.GetFileName(fileName) is { Length: > 0 and <= 260 } n ? n : "dfe.csv",
            Sha256 = sha,
            Rows = parsed.Rows.Count,
            Skipped = parsed.Skipped.Count,
            FirstYear = years.Min(),
            LastYear = years.Max(),
            ImportedAt = now,
            ImportedByUserId = userId,
        };
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await db.DfeExclusionFigures.Where(f => years.Contains(f.AcademicYear)).ExecuteDeleteAsync(ct);
            db.DfeImports.Add(import);
            foreach (var r in parsed.Rows)
                r.ImportId = import.Id;
            db.DfeExclusionFigures.AddRange(parsed.Rows);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        return new ImportOutcome(import, [], parsed.Skipped, false);
    }

    /// <summary>CSV records with the line each starts on: fields may be quoted, with "" for a quote and line breaks inside quotes.</summary>
    internal static IEnumerable<(int Line, List<string> Fields)> Records(string text)
    {
        var line = 1;
        var start = 1;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < text.Length; i++)
        {
            var ch = text[i];
            any = true;
            if (quoted)
            {
                if (ch == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (ch == '"')
                    quoted = false;
                else
                {
                    if (ch == '\n')
                        line++;
                    field.Append(ch);
                }
                continue;
            }
            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    fields.Add(field.ToString());
                    field.Clear();
                    yield return (start, fields);
                    fields = [];
                    any = false;
                    line++;
                    start = line;
                    break;
                default:
                    field.Append(ch);
                    break;
            }
        }
        if (any)
        {
            fields.Add(field.ToString());
            yield return (start, fields);
        }
    }
}

/// <summary>
/// ONS codes for the areas DfE's tables name. Authorities are found by name in the 2021 upper-tier
/// list, with DfE's spellings ("Bristol City of", "Durham") mapped to ONS's, and the authorities
/// that have since gone or been recoded given the code they had in the year of the figures.
/// </summary>
public static class AuthorityCodes
{
    public const string England = "E92000001";

    private static readonly Dictionary<string, string> Regions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["North East"] = "E12000001",
        ["North West"] = "E12000002",
        ["Yorkshire and the Humber"] = "E12000003",
        ["East Midlands"] = "E12000004",
        ["West Midlands"] = "E12000005",
        ["East of England"] = "E12000006",
        ["London"] = "E12000007",
        ["South East"] = "E12000008",
        ["South West"] = "E12000009",
        ["Inner London"] = "E13000001",
        ["Outer London"] = "E13000002",
    };

    /// <summary>DfE's spelling to ONS's (2021).</summary>
    private static readonly Dictionary<string, string> Spellings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Bristol City of"] = "Bristol, City of",
        ["Kingston upon Hull City of"] = "Kingston upon Hull, City of",
        ["Herefordshire"] = "Herefordshire, County of",
        ["Durham"] = "County Durham",
        ["Isles Of Scilly"] = "Isles of Scilly",
    };

    /// <summary>Authorities abolished or recoded since, with the last academic year (start) their code held and what followed.</summary>
    public sealed record Former(string Name, string Code, int LastYear, string Note);

    public static IReadOnlyList<Former> Formers { get; } =
    [
        new("Bedfordshire (Pre LGR 2009)", "E10000001", 2008, "abolished in 2009: now Bedford and Central Bedfordshire"),
        new("Cheshire (Pre LGR 2009)", "E10000004", 2008, "abolished in 2009: now Cheshire East and Cheshire West and Chester"),
        new("Bournemouth", "E06000028", 2018, "merged in 2019 into Bournemouth, Christchurch and Poole (E06000058)"),
        new("Poole", "E06000029", 2018, "merged in 2019 into Bournemouth, Christchurch and Poole (E06000058)"),
        new("Dorset", "E10000009", 2018, "the county council before 2019; since then the Dorset unitary authority (E06000059)"),
        new("Buckinghamshire", "E10000002", 2019, "the county council before 2020; since then the Buckinghamshire unitary authority (E06000060)"),
        new("Northamptonshire", "E10000021", 2020, "divided in 2021 into North Northamptonshire (E06000061) and West Northamptonshire (E06000062)"),
    ];

    public static string? Find(BenchmarkLevel level, string name, int year)
    {
        if (level == BenchmarkLevel.National)
            return string.Equals(name, "England", StringComparison.OrdinalIgnoreCase) ? England : null;
        if (level == BenchmarkLevel.Region)
            return Regions.GetValueOrDefault(name);
        var former = Formers.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase) && year <= f.LastYear);
        if (former is not null)
            return former.Code;
        var ons = Spellings.GetValueOrDefault(name, name);
        return OnsAuthorities.UpperTier2021.FirstOrDefault(a => string.Equals(a.Name, ons, StringComparison.OrdinalIgnoreCase))?.Code;
    }
}
