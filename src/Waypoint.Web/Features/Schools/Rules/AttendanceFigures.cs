using Waypoint.Domain;

namespace Waypoint.Features.Schools.Rules;

/// <summary>
/// Whether one period's attendance figures hang together, for manual entry and imports alike:
/// each problem names the field it is about.
/// </summary>
public static class AttendanceFigures
{
    public static IReadOnlyList<(string Field, string Problem)> Check(AttendanceRecord record)
    {
        var problems = new List<(string, string)>();
        if (record.PeriodEnd < record.PeriodStart)
            problems.Add((nameof(record.PeriodEnd), "The end of the period must be on or after its start"));
        foreach (var (field, value) in new[]
        {
            (nameof(record.SessionsPossible), record.SessionsPossible), (nameof(record.SessionsPresent), record.SessionsPresent),
            (nameof(record.AuthorisedAbsence), record.AuthorisedAbsence), (nameof(record.UnauthorisedAbsence), record.UnauthorisedAbsence),
        })
        {
            if (value < 0)
                problems.Add((field, "Sessions cannot be negative"));
        }
        if (record.SessionsPresent + record.AuthorisedAbsence + record.UnauthorisedAbsence != record.SessionsPossible)
            problems.Add((nameof(record.SessionsPossible), $"Sessions possible ({record.SessionsPossible}) must equal present, authorised and unauthorised absence added together ({record.SessionsPresent + record.AuthorisedAbsence + record.UnauthorisedAbsence})"));

        if (record.CodeCounts.Count == 0)
            return problems;
        foreach (var count in record.CodeCounts)
        {
            if (AttendanceCodes.Find(count.Code) is null)
                problems.Add((nameof(record.CodeCounts), $"\"{count.Code}\" is not an attendance code in use since August 2024"));
            else if (count.Sessions < 0)
                problems.Add((nameof(record.CodeCounts), $"Sessions for code {count.Code} cannot be negative"));
        }
        foreach (var repeated in record.CodeCounts.GroupBy(c => c.Code.Trim()).Where(g => g.Count() > 1))
            problems.Add((nameof(record.CodeCounts), $"Code {repeated.Key} is given more than once"));
        if (problems.Count > 0)
            return problems;
        var totals = AttendanceCodes.Totals(record.CodeCounts);
        if (totals != new AttendanceTotals(record.SessionsPossible, record.SessionsPresent, record.AuthorisedAbsence, record.UnauthorisedAbsence))
            problems.Add((nameof(record.CodeCounts), $"The per-code counts add up to {totals.Possible} possible, {totals.Present} present, {totals.AuthorisedAbsence} authorised and {totals.UnauthorisedAbsence} unauthorised, which differs from the totals given"));
        return problems;
    }
}
