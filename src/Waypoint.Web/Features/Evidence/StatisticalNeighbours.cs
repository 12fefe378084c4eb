using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>One authority's row of a statistical-neighbour file: the authority and its neighbours, nearest first, as the file names them.</summary>
public sealed record NeighbourRow(int Line, string Authority, IReadOnlyList<string> Neighbours);

public sealed record NeighbourFile(IReadOnlyList<NeighbourRow> Rows, IReadOnlyList<DfeLineError> Errors);

/// <summary>
/// Reads a statistical-neighbour file in the shape DfE's children's services statistical neighbour
/// benchmarking tool lists them: one row an authority (la_name, or a code column: new_la_code,
/// la_code or old_la_code) and its neighbours nearest first in columns sn1, sn2, … (names or
/// codes). Waypoint ships no such file: none was to hand with a source that could be recorded, and
/// a neighbour list is not a thing to make up. The partnership loads the one it uses, and says where it came from.
/// </summary>
public static class StatisticalNeighbours
{
    public const int MaxNeighbours = 20;

    private static readonly string[] AuthorityColumns = ["la_name", "new_la_code", "la_code", "old_la_code"];

    public static NeighbourFile Parse(string text)
    {
        var records = DfeExclusionsImport.Records(text.TrimStart('\uFEFF')).ToList();
        if (records.Count == 0)
            return new NeighbourFile([], [new DfeLineError(0, "The file is empty")]);
        var header = records[0].Fields.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var keys = AuthorityColumns.Select(c => header.IndexOf(c)).Where(i => i >= 0).ToList();
        var neighbourColumns = header.Select((h, i) => (h, i))
            .Where(x => x.h.StartsWith("sn", StringComparison.Ordinal) && int.TryParse(x.h[2..], out var n) && n >= 1)
            .OrderBy(x => int.Parse(x.h[2..], System.Globalization.CultureInfo.InvariantCulture)).Select(x => x.i).ToList();
        var errors = new List<DfeLineError>();
        if (keys.Count == 0)
            errors.Add(new DfeLineError(1, $"No column names the authority: one of {string.Join(", ", AuthorityColumns)} is needed"));
        if (neighbourColumns.Count == 0)
            errors.Add(new DfeLineError(1, "No neighbour columns: they are sn1, sn2, … nearest first"));
        else if (neighbourColumns.Count > MaxNeighbours)
            errors.Add(new DfeLineError(1, $"{neighbourColumns.Count} neighbour columns: at most {MaxNeighbours} are read"));
        if (errors.Count > 0)
            return new NeighbourFile([], errors);

        var rows = new List<NeighbourRow>();
        foreach (var (line, fields) in records.Skip(1))
        {
            if (fields.Count == 1 && fields[0].Trim().Length == 0)
                continue;
            if (fields.Count != header.Count)
            {
                errors.Add(new DfeLineError(line, $"{fields.Count} values where the header has {header.Count}"));
                if (errors.Count >= DfeExclusionsImport.MaxErrors)
                    break;
                continue;
            }
            // Every name and code the row gives for its authority, so that it is found by any of them.
            var authority = string.Join('|', keys.Select(k => fields[k].Trim()).Where(v => v.Length > 0));
            if (authority.Length == 0)
            {
                errors.Add(new DfeLineError(line, "the authority is not named"));
                continue;
            }
            rows.Add(new NeighbourRow(line, authority, neighbourColumns.Select(i => fields[i].Trim()).Where(v => v.Length > 0).ToList()));
        }
        if (errors.Count == 0 && rows.Count == 0)
            errors.Add(new DfeLineError(0, "The file has a header but no rows"));
        return new NeighbourFile(errors.Count == 0 ? rows : [], errors);
    }

    /// <summary>The home authority's row, found by any name or code it was given under; null when the file has none.</summary>
    public static NeighbourRow? RowFor(NeighbourFile file, IEnumerable<string> namesAndCodes)
    {
        var wanted = namesAndCodes.Where(n => n.Length > 0).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return file.Rows.FirstOrDefault(r => r.Authority.Split('|').Any(wanted.Contains));
    }
}
