using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Consent;

/// <summary>One row of the report: answers recorded and their outcomes for a group (an asking agency, or a way of asking).</summary>
public sealed record ConsentRateRow(string Group, string? Type, int Answers, int Given, int Refused, int Withdrawn)
{
    /// <summary>Consent given as a share of answers given or refused (withdrawals are counted apart); null when there are none.</summary>
    public int? RatePercent => Given + Refused == 0 ? null : (int)Math.Round(100m * Given / (Given + Refused), MidpointRounding.AwayFromZero);

    public string Rate => RatePercent is { } rate ? $"{rate}%" : "—";
}

public sealed record ConsentRateFigures(DateOnly? From, DateOnly? To, IReadOnlyList<ConsentRateRow> ByAgency, IReadOnlyList<ConsentRateRow> ByMethod)
{
    /// <summary>The period in words, for the page.</summary>
    public string Period => (From, To) switch
    {
        (null, null) => "All answers recorded.",
        ({ } f, null) => $"Answers from families asked on or after {f:d MMMM yyyy}.",
        (null, { } t) => $"Answers from families asked on or before {t:d MMMM yyyy}.",
        ({ } f, { } t) => $"Answers from families asked from {f:d MMMM yyyy} to {t:d MMMM yyyy}.",
    };

    public string ToCsv()
    {
        var csv = new StringBuilder();
        csv.Append("Breakdown,Group,Type,Answers recorded,Given,Refused,Withdrawn,Consent rate (%)\r\n");
        foreach (var (breakdown, rows) in new[] { ("Agency that asked", ByAgency), ("How asked", ByMethod) })
            foreach (var r in rows)
                csv.Append(CultureInfo.InvariantCulture,
                    $"{Field(breakdown)},{Field(r.Group)},{Field(r.Type ?? "")},{r.Answers},{r.Given},{r.Refused},{r.Withdrawn},{r.RatePercent?.ToString(CultureInfo.InvariantCulture) ?? ""}\r\n");
        return csv.ToString();
    }

    // RFC 4180 quoting, and a leading formula character neutralised so a spreadsheet never runs an organisation's name.
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@\t\r".Contains(value[0]))
            value = "'" + value;
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? $"\"{value.Replace("\"", "\"\"")}\"" : value;
    }
}

/// <summary>
/// Consent rates by the agency that asked and by how the family was asked (DESIGN.md capability 9),
/// for the partnership's oversight (who may see them: OversightPolicies.PartnershipFigures): users with a current partnership role, partnership
/// administrators and analysts.
/// </summary>
public sealed class ConsentRates(WaypointDbContext db)
{
    /// <summary>Reads the optional period from the form, with a message per field for dates that are wrong.</summary>
    public static (DateOnly? From, DateOnly? To, Dictionary<string, string> Errors) ReadPeriod(DateInput from, DateInput to) =>
        DateInput.ReadRange(from, to, "The start date", "The end date", "The end date must be the same as or after the start date");

    public async Task<ConsentRateFigures> LoadAsync(DateOnly? from, DateOnly? to, CancellationToken ct)
    {
        // An aggregate over the whole partnership: every consent record counts, whoever may see the
        // person, so this reads past the access policy's query filters. It returns counts per
        // organisation and per method only; no person, answer or date of any one record leaves here.
        var records = db.Unfiltered<ConsentRecord>("consent rates are counts per asking agency across the partnership; no person is shown").AsNoTracking();
        if (from is { } f)
            records = records.Where(r => r.AskedOn >= f);
        if (to is { } t)
            records = records.Where(r => r.AskedOn <= t);

        var byAgency = await records.GroupBy(r => new { r.AskedByOrganisationId, r.Outcome })
            .Select(g => new { g.Key.AskedByOrganisationId, g.Key.Outcome, Count = g.Count() }).ToListAsync(ct);
        var byMethod = await records.GroupBy(r => new { r.Method, r.Outcome })
            .Select(g => new { g.Key.Method, g.Key.Outcome, Count = g.Count() }).ToListAsync(ct);

        var orgIds = byAgency.Select(x => x.AskedByOrganisationId).Distinct().ToList();
        var orgs = await db.Organisations.AsNoTracking().Where(o => orgIds.Contains(o.Id))
            .Select(o => new { o.Id, o.Name, o.Type }).ToDictionaryAsync(o => o.Id, ct);

        static ConsentRateRow Row(string group, string? type, IEnumerable<(ConsentOutcome Outcome, int Count)> counts)
        {
            var list = counts.ToList();
            int Of(ConsentOutcome o) => list.Where(c => c.Outcome == o).Sum(c => c.Count);
            return new ConsentRateRow(group, type, list.Sum(c => c.Count), Of(ConsentOutcome.Given), Of(ConsentOutcome.Refused), Of(ConsentOutcome.Withdrawn));
        }

        var agencyRows = byAgency.GroupBy(x => x.AskedByOrganisationId)
            .Select(g => Row(orgs[g.Key].Name, Labels.Of(orgs[g.Key].Type), g.Select(x => (x.Outcome, x.Count))))
            .OrderBy(r => r.Group, StringComparer.CurrentCulture).ToList();
        var methodRows = Enum.GetValues<ConsentMethod>()
            .Select(m => Row(ConsentWork.Describe(m), null, byMethod.Where(x => x.Method == m).Select(x => (x.Outcome, x.Count))))
            .ToList();
        return new ConsentRateFigures(from, to, agencyRows, methodRows);
    }
}
