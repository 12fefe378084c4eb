using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;

namespace Waypoint.Features.Chronology;

public sealed record ChronologyEntrySummary(DateOnly On, DateTimeOffset? At, ChronologyKind Kind, string KindName, string Title, string Detail, string Organisation, string Link);

public sealed record ChronologyDocument(Guid PersonId, string Name, DateOnly? DateOfBirth, ChronologyOrder Order, IReadOnlyList<ChronologyEntrySummary> Entries);

/// <summary>A person's chronology over the API: the same policy, audit and entries as the page.</summary>
public static class ChronologyApi
{
    public static RouteGroupBuilder MapChronologyApi(this RouteGroupBuilder api)
    {
        api.MapGroup("/people").WithTags("Chronology").MapGet("/{id:guid}/chronology", GetAsync)
            .WithSummary("A person's chronology from every source, holding only what you may see, each entry with a link to its source. " +
                "Filter with kind (repeat it for several), from and to (yyyy-mm-dd, inclusive) and order (newest or oldest first).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<ChronologyDocument>, ValidationProblem, ProblemHttpResult>> GetAsync(
        Guid id, PersonAccess access, Chronology chronology,
        [FromQuery] string[]? kind, [FromQuery] string? from, [FromQuery] string? to, [FromQuery] string? order, CancellationToken ct)
    {
        // The request is checked before the person is opened: a bad filter reveals nothing and reads nothing.
        var errors = new Dictionary<string, string[]>();
        var kinds = new List<ChronologyKind>();
        foreach (var k in kind ?? [])
        {
            if (Enum.TryParse<ChronologyKind>(k, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed))
                kinds.Add(parsed);
            else
                errors["kind"] = [$"Use the kinds {string.Join(", ", Enum.GetNames<ChronologyKind>())}."];
        }
        var fromDate = ParseDate(from, "from", errors);
        var toDate = ParseDate(to, "to", errors);
        if (ChronologyFilter.ValidateRange(fromDate, toDate) is { } rangeError)
            errors[rangeError.Field] = [rangeError.Message];
        var sort = order?.Trim().ToLowerInvariant() switch
        {
            null or "" or "newest" or "newestfirst" => ChronologyOrder.NewestFirst,
            "oldest" or "oldestfirst" => ChronologyOrder.OldestFirst,
            _ => (ChronologyOrder?)null,
        };
        if (sort is null)
            errors["order"] = ["Use newest or oldest."];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);

        var person = await access.OpenAsync(id, "api:chronology", ct);
        if (person is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no person with this id that you may see.");
        var entries = await chronology.BuildAsync(id, new ChronologyFilter(kinds, fromDate, toDate, sort!.Value), ct);
        return TypedResults.Ok(new ChronologyDocument(person.Id, $"{person.GivenName} {person.FamilyName}", person.DateOfBirth, sort.Value,
            entries.Select(e => new ChronologyEntrySummary(e.On, e.At, e.Kind, ChronologyLabels.Describe(e.Kind), e.Title, e.Detail, e.Organisation, e.Link)).ToList()));
    }

    private static DateOnly? ParseDate(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
            return null;
        if (DateOnly.TryParseExact(value.Trim(), "yyyy-MM-dd", out var date))
            return date;
        errors[name] = ["Use the form yyyy-mm-dd, for example 2026-03-27."];
        return null;
    }
}
