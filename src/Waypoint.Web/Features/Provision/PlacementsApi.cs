using Microsoft.AspNetCore.Http.HttpResults;
using Waypoint.Access;

namespace Waypoint.Features.Provision;

/// <summary>Placements in alternative provision over the API (bearer; the same policy, rules and audit as the pages).</summary>
public static class PlacementsApi
{
    public sealed record EndPlacement(Guid Id, DateOnly? EndDate);

    public static RouteGroupBuilder MapPlacements(this RouteGroupBuilder secured)
    {
        var group = secured.MapGroup("/placements").WithTags("Alternative provision");
        group.MapPost("", RecordAsync)
            .WithSummary("Record a pupil's placement in alternative provision: serviceId (a service of the directory, not suspended), startDate, endDate (optional), " +
                "basis (FullTime or PartTime) and hoursPerWeek (0.5 to 40). For the inclusion team, or the school that suspended the pupil. " +
                "Refused naming the field when it overlaps a full-time placement, ends before it starts or its hours are out of range.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        // One placement by ?id= (not a path key): the placement filter decides, 404 and a Denied row otherwise.
        secured.MapGet("/placement", GetAsync).WithTags("Alternative provision")
            .WithSummary("A placement the reader may see, by ?id=.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        secured.MapPost("/placement/end", EndAsync).WithTags("Alternative provision")
            .WithSummary("End a placement (id) on endDate, not before its start.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        secured.MapGet("/people/{id:guid}/placements", ListAsync).WithTags("Alternative provision")
            .WithSummary("A pupil's placements the reader may see.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return secured;
    }

    private static async Task<Results<Created<PlacementView>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        RecordPlacement input, PersonAccess access, Placements placements, CancellationToken ct)
    {
        var (outcome, person) = await access.OpenForAsync(input.PersonId, PersonOperations.Write, "api:placement.new", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound("There is no person with this id that you may see.");
        if (outcome == AccessOutcome.Forbidden || !await placements.MayPlaceAsync(input.PersonId, ct))
            return Forbidden();
        var (placement, errors) = await placements.RecordAsync(person!, input, ct);
        if (placement is null)
            return Validation(errors);
        return TypedResults.Created($"/api/v1/placement?id={placement.Id}", await placements.ViewAsync(placement, ct));
    }

    private static async Task<Results<Ok<PlacementView>, ProblemHttpResult>> GetAsync(Guid id, Placements placements, CancellationToken ct) =>
        await placements.OpenAsync(id, "api:placement", ct) is { } p ? TypedResults.Ok(await placements.ViewAsync(p, ct)) : NotFound("There is no placement with this id that you may see.");

    private static async Task<Results<Ok<PlacementView>, ValidationProblem, ProblemHttpResult>> EndAsync(EndPlacement input, Placements placements, CancellationToken ct)
    {
        if (await placements.OpenAsync(input.Id, "api:placement.end", ct) is not { } p)
            return NotFound("There is no placement with this id that you may see.");
        if (!await placements.MayPlaceAsync(p.PersonId, ct))
            return Forbidden();
        var errors = await placements.EndAsync(p, input.EndDate, ct);
        return errors.Count > 0 ? Validation(errors) : TypedResults.Ok(await placements.ViewAsync(p, ct));
    }

    private static async Task<Results<Ok<PersonPlacements>, ProblemHttpResult>> ListAsync(Guid id, PersonAccess access, Placements placements, CancellationToken ct) =>
        await access.OpenExplainedAsync(id, "api:placements", ct) is null
            ? NotFound("There is no person with this id that you may see.")
            : TypedResults.Ok(new PersonPlacements(id, await placements.ForPersonAsync(id, ct)));

    private static ValidationProblem Validation(Dictionary<string, string> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }));

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only the inclusion team, or the school that suspended the pupil, records or ends placements.");
}

/// <summary>A pupil's placements, under the pupil's id (so the answer says whose they are even when there are none).</summary>
public sealed record PersonPlacements(Guid PersonId, List<PlacementView> Placements);
