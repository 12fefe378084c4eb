using System.Globalization;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>
/// Reads DfE's exclusion tables in the format Explore Education Statistics (EES) publishes them:
/// one row an area, year and phase, with the standard EES columns (time_period as 202223,
/// time_identifier "Academic year", geographic_level National, Regional or Local authority, and
/// the country_, region_ and la_ code and name columns that level needs: country_code and
/// country_name; region_code and region_name; old_la_code, new_la_code and la_name), the
/// phase as education_phase (current releases) or school_type (earlier ones), and the figures
/// under their current or earlier names (suspension or fixed_excl, susp_rate or fixed_excl_rate,
/// and so on). Values DfE does not give are the GSS symbols EES requires (c confidential, x not
/// available, z not applicable, low rounds to zero, u low reliability; the legacy : and ~
/// accepted); a blank figure is an error, as EES's own screener makes it. Other columns (EES files
/// carry more indicators than benchmarking reads) and other geographic levels or phases are not
/// read, and the import says which.
/// </summary>
public static class EesExclusionsFormat
{
    /// <summary>An EES file is recognised by the standard time and geography columns every EES data file has.</summary>
    public static bool Recognises(IReadOnlyList<string> header) =>
        header.Contains("time_period", StringComparer.OrdinalIgnoreCase) && header.Contains("geographic_level", StringComparer.OrdinalIgnoreCase);

    /// <summary>The GSS symbols EES accepts in a figure, and the two legacy ones older files still carry.</summary>
    public static IReadOnlyList<string> Symbols { get; } = ["c", "x", "z", "low", "u", ":", "~"];

    /// <summary>What benchmarking reads, each under the names EES releases have used for it, and the old LA table's name it is kept under.</summary>
    private static readonly (string Canonical, string[] Names, bool Required)[] Measures =
    [
        ("num_schools", ["num_schools"], false),
        ("headcount", ["headcount"], true),
        ("perm_excl", ["perm_excl"], true),
        ("perm_excl_rate", ["perm_excl_rate"], true),
        ("fixed_excl", ["suspension", "susp", "fixed_excl"], true),
        ("fixed_excl_rate", ["susp_rate", "fixed_excl_rate"], true),
        ("one_plus_fixed", ["one_plus_susp", "one_plus_fixed"], true),
        ("one_or_more_fixed_excl_rate", ["one_plus_susp_rate", "one_or_more_fixed_excl_rate", "one_plus_fixed_rate"], true),
    ];

    private static readonly string[] Geography =
        ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name", "old_la_code", "new_la_code", "la_name"];

    /// <summary>EES's phase names to benchmarking's school types; any other phase (alternative provision, say) is not compared.</summary>
    private static readonly Dictionary<string, string> Phases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Total"] = "Total",
        ["State-funded primary"] = "Primary",
        ["Primary"] = "Primary",
        ["State-funded secondary"] = "Secondary",
        ["Secondary"] = "Secondary",
        ["Special"] = "Special",
        ["State-funded special"] = "Special",
    };

    /// <summary>ONS's spellings that DfE's older tables wrote otherwise: kept as the older tables wrote them, so an authority is one series across both formats.</summary>
    private static readonly Dictionary<string, string> OlderSpelling = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Bristol, City of"] = "Bristol City of",
        ["Kingston upon Hull, City of"] = "Kingston upon Hull City of",
        ["Herefordshire, County of"] = "Herefordshire",
        ["County Durham"] = "Durham",
    };

    public static DfeParseResult Parse(IReadOnlyList<(int Line, List<string> Fields)> records)
    {
        var rows = new List<DfeExclusionFigure>();
        var errors = new List<DfeLineError>();
        var skipped = new List<DfeLineError>();
        var header = records[0].Fields.Select(h => h.Trim()).ToList();
        int Index(string name) => header.FindIndex(h => string.Equals(h, name, StringComparison.OrdinalIgnoreCase));

        var phaseColumn = Index("education_phase") >= 0 ? "education_phase" : Index("school_type") >= 0 ? "school_type" : null;
        var missing = new List<string>();
        foreach (var g in new[] { "time_period", "time_identifier", "geographic_level", "country_code", "country_name" })
            if (Index(g) < 0)
                missing.Add(g);
        if (phaseColumn is null)
            missing.Add("education_phase (or school_type)");
        var at = new Dictionary<string, int>();
        foreach (var (canonical, names, required) in Measures)
        {
            var found = names.Select(Index).FirstOrDefault(i => i >= 0, -1);
            if (found >= 0)
                at[canonical] = found;
            else if (required)
                missing.Add(string.Join(" or ", names));
        }
        if (missing.Count > 0)
            return new DfeParseResult([], [new DfeLineError(1, $"Missing column{(missing.Count == 1 ? "" : "s")} of DfE's EES exclusion tables: {string.Join(", ", missing)}")], skipped);
        var duplicated = header.GroupBy(h => h, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicated.Count > 0)
            return new DfeParseResult([], [new DfeLineError(1, $"Column{(duplicated.Count == 1 ? "" : "s")} given twice: {string.Join(", ", duplicated)}")], skipped);

        var read = Geography.Append(phaseColumn!).Concat(at.Keys.Select(k => header[at[k]])).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var ignored = header.Where(h => !read.Contains(h)).ToList();
        if (ignored.Count > 0)
            skipped.Add(new DfeLineError(1, $"column{(ignored.Count == 1 ? "" : "s")} not read for benchmarking: {string.Join(", ", ignored.Take(20))}{(ignored.Count > 20 ? $" and {ignored.Count - 20} more" : "")}"));
        var otherLevels = new SortedSet<string>(StringComparer.Ordinal);
        var otherPhases = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<(int, BenchmarkLevel, string, string), int>();

        foreach (var (line, fields) in records.Skip(1))
        {
            if (errors.Count >= DfeExclusionsImport.MaxErrors)
                break;
            if (fields.Count == 1 && fields[0].Trim().Length == 0)
                continue;
            if (fields.Count != header.Count)
            {
                errors.Add(new DfeLineError(line, $"{fields.Count} values where the header has {header.Count}"));
                continue;
            }
            string F(string column) => Index(column) is >= 0 and var i ? fields[i].Trim() : "";
            var lineErrors = new List<string>();
            var withheld = new List<string>();

            var levelText = F("geographic_level");
            BenchmarkLevel? level = levelText switch
            {
                "National" => BenchmarkLevel.National,
                "Regional" => BenchmarkLevel.Region,
                "Local authority" => BenchmarkLevel.LocalAuthority,
                _ => null,
            };
            if (level is null)
            {
                // A school-, district- or constituency-level row: EES files may mix levels; benchmarking compares these three.
                if (levelText.Length == 0)
                    errors.Add(new DfeLineError(line, "geographic_level is empty"));
                else
                    otherLevels.Add(levelText);
                continue;
            }
            var phaseText = F(phaseColumn!);
            if (!Phases.TryGetValue(phaseText, out var type))
            {
                if (phaseText.Length == 0)
                    errors.Add(new DfeLineError(line, $"{phaseColumn} is empty"));
                else
                    otherPhases.Add(phaseText);
                continue;
            }

            var periodText = F("time_period");
            var year = 0;
            if (periodText.Length != 6 || !int.TryParse(periodText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) || (p / 100 + 1) % 100 != p % 100)
                lineErrors.Add($"time_period '{periodText}' is not an academic year as EES writes it (202223 for 2022/23)");
            else
                year = p / 100;
            if (!string.Equals(F("time_identifier"), "Academic year", StringComparison.OrdinalIgnoreCase))
                lineErrors.Add($"time_identifier '{F("time_identifier")}' is not 'Academic year' (benchmarking compares academic years)");

            var (nameColumn, codeColumn) = level switch
            {
                BenchmarkLevel.National => ("country_name", "country_code"),
                BenchmarkLevel.Region => ("region_name", "region_code"),
                _ => ("la_name", "new_la_code"),
            };
            if (Index(nameColumn) < 0)
                lineErrors.Add($"a {levelText} row needs the column {nameColumn}, which the file does not have");
            var given = F(nameColumn);
            var name = OlderSpelling.GetValueOrDefault(given, given);
            if (Index(nameColumn) >= 0 && name.Length is 0 or > 100)
                lineErrors.Add(name.Length == 0 ? $"{nameColumn} is empty on a {levelText} row" : $"{nameColumn} is longer than 100 characters");
            var code = F(codeColumn);
            var laNumber = level == BenchmarkLevel.LocalAuthority ? F("old_la_code") : "";
            if (laNumber.Length > 0 && (laNumber.Length != 3 || !laNumber.All(char.IsAsciiDigit)) && !Symbols.Contains(laNumber, StringComparer.OrdinalIgnoreCase))
                lineErrors.Add($"old_la_code '{laNumber}' is not DfE's three-digit authority number");

            int? Count(string canonical)
            {
                if (!at.TryGetValue(canonical, out var i))
                    return null;
                var v = fields[i].Trim();
                if (Symbols.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    withheld.Add($"{canonical}={v.ToLowerInvariant()}");
                    return null;
                }
                if (int.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var n))
                    return n;
                lineErrors.Add(v.Length == 0 ? $"{header[i]} is blank (EES gives a symbol for a figure it does not publish: {string.Join(", ", Symbols)})"
                    : $"{header[i]} '{v}' is not a whole number or one of EES's symbols ({string.Join(", ", Symbols)})");
                return null;
            }
            decimal? Rate(string canonical)
            {
                if (!at.TryGetValue(canonical, out var i))
                    return null;
                var v = fields[i].Trim();
                if (Symbols.Contains(v, StringComparer.OrdinalIgnoreCase))
                {
                    withheld.Add($"{canonical}={v.ToLowerInvariant()}");
                    return null;
                }
                if (decimal.TryParse(v, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) && r <= 10000)
                    return r;
                lineErrors.Add(v.Length == 0 ? $"{header[i]} is blank (EES gives a symbol for a figure it does not publish: {string.Join(", ", Symbols)})"
                    : $"{header[i]} '{v}' is not a number or one of EES's symbols ({string.Join(", ", Symbols)})");
                return null;
            }
            var figure = new DfeExclusionFigure
            {
                AcademicYear = year,
                Level = level.Value,
                Name = name,
                SchoolType = type,
                Schools = Count("num_schools"),
                Headcount = Count("headcount"),
                PermanentExclusions = Rate("perm_excl"),
                PermanentExclusionRate = Rate("perm_excl_rate"),
                Suspensions = Count("fixed_excl"),
                SuspensionRate = Rate("fixed_excl_rate"),
                PupilsSuspended = Count("one_plus_fixed"),
                PupilsSuspendedRate = Rate("one_or_more_fixed_excl_rate"),
                LaNumber = laNumber.Length == 3 && laNumber.All(char.IsAsciiDigit) ? laNumber : null,
            };
            if (lineErrors.Count > 0)
            {
                errors.Add(new DfeLineError(line, string.Join("; ", lineErrors)));
                continue;
            }
            if (seen.TryGetValue((year, figure.Level, name, type), out var first))
            {
                errors.Add(new DfeLineError(line, $"{name}, {phaseText}, {periodText} is given twice (first on line {first}){(ignored.Count > 0 ? $"; the file may be broken down by a column benchmarking does not read ({string.Join(", ", ignored.Take(5))})" : "")}"));
                continue;
            }
            seen[(year, figure.Level, name, type)] = line;
            figure.Withheld = withheld.Count == 0 ? null : string.Join(';', withheld);
            // The code EES gives for the area as it stood; an authority since abolished may have x instead, and is then found by name and year.
            figure.Code = code.Length == 9 && char.IsAsciiLetterUpper(code[0]) && code[1..].All(char.IsAsciiDigit) ? code : AuthorityCodes.Find(figure.Level, name, year);
            if (figure.Level == BenchmarkLevel.LocalAuthority && figure.Code is null)
                errors.Add(new DfeLineError(line, $"'{given}' has no code in new_la_code ('{code}') and is not an English local authority known by name to the ONS codes or as a former authority"));
            rows.Add(figure);
        }
        if (otherLevels.Count > 0)
            skipped.Add(new DfeLineError(0, $"rows at other geographic levels not read: {string.Join(", ", otherLevels)}"));
        if (otherPhases.Count > 0)
            skipped.Add(new DfeLineError(0, $"rows for phases benchmarking does not compare not read: {string.Join(", ", otherPhases)}"));
        if (errors.Count == 0 && rows.Count == 0)
            errors.Add(new DfeLineError(0, "The file has no National, Regional or Local authority rows for the phases benchmarking compares"));
        return new DfeParseResult(errors.Count == 0 ? rows : [], errors, skipped);
    }
}
