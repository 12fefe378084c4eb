using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Features.People;

public sealed record PersonSummary(Guid Id, string Kind, string GivenName, string FamilyName, DateOnly? DateOfBirth, string Ward);
public sealed record CreatedPerson(Guid Id);
public sealed record DuplicateWarning(string Title, IReadOnlyList<PersonSummary> LikelyDuplicates);

public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var people = api.MapGroup("/people").WithTags("People");
        people.MapGet("", SearchAsync).WithSummary("Search people you may see by name, date of birth or identifier; narrow by the school they attend now, kind, an open case or open alerts you may see.");
        people.MapGet("/{id:guid}", GetAsync).WithSummary("One person, with what your organisation may see of them and why.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        people.MapPost("", CreateAsync).WithSummary("Add a person after a duplicate check; set confirmNotDuplicate to create despite likely duplicates.");
        return api;
    }

    private static async Task<Results<Ok<IReadOnlyList<PersonSummary>>, ValidationProblem>> SearchAsync(
        WaypointDbContext db, PersonAccess access, [FromQuery] string? name, [FromQuery] string? dateOfBirth, [FromQuery] string? identifier,
        [FromQuery] Guid? schoolId, [FromQuery] Domain.PersonKind? kind, [FromQuery] bool? openCase, [FromQuery] bool? openAlerts, CancellationToken ct)
    {
        DateOnly? dob = null;
        if (!string.IsNullOrWhiteSpace(dateOfBirth))
        {
            if (!DateOnly.TryParseExact(dateOfBirth, "yyyy-MM-dd", out var parsed))
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["dateOfBirth"] = ["Use the form yyyy-mm-dd, for example 2011-03-27."] });
            dob = parsed;
        }
        if ((name?.Length ?? 0) > 200 || (identifier?.Length ?? 0) > 40)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Search terms are too long."] });
        // The same filters as the search page, through the same access policy (PersonSearch.Narrowed).
        var query = new PersonSearchQuery(name, dob, identifier)
        {
            SchoolId = schoolId,
            Kind = kind,
            HasOpenCase = openCase == true,
            HasOpenAlerts = openAlerts == true,
        };
        if (query.IsEmpty)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Give a name, a date of birth, an identifier, a school or an open-work filter."] });
        var hits = await PersonSearch.SearchAsync(db, query, ct);
        await access.AuditListedAsync(hits.Select(h => h.Id).ToList(), "api:people.search", ct);
        return TypedResults.Ok<IReadOnlyList<PersonSummary>>(hits.Select(ToSummary).ToList());
    }

    private static async Task<Results<Ok<PersonDetailsView>, ProblemHttpResult>> GetAsync(Guid id, WaypointDbContext db, PersonAccess access, CancellationToken ct)
    {
        var person = await PersonDetails.LoadAsync(db, access, id, "api:person", ct);
        return person is null
            ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no person with this id that you may see.")
            : TypedResults.Ok(person);
    }

    private static async Task<Results<Created<CreatedPerson>, ValidationProblem, Conflict<DuplicateWarning>, ProblemHttpResult>> CreateAsync(
        NewPerson input, [FromQuery] bool? confirmNotDuplicate, RegisterPerson register, WaypointDbContext db, CancellationToken ct)
    {
        // An aggregates-only account (an analyst) registers no one: it could not then see whom it had recorded.
        if (db.Reader.AggregatesOnly)
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Your role sees figures only: it does not register people.");
        var result = await register.RunAsync(input, confirmNotDuplicate == true, ct);
        if (result.Errors.Count > 0)
            return TypedResults.ValidationProblem(result.Errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }));
        if (!result.Succeeded)
            return TypedResults.Conflict(new DuplicateWarning("Likely duplicates found: check them, then repeat with confirmNotDuplicate=true if this is a different person.",
                result.LikelyDuplicates.Select(ToSummary).ToList()));
        return TypedResults.Created($"/api/v1/people/{result.PersonId}", new CreatedPerson(result.PersonId!.Value));
    }

    private static PersonSummary ToSummary(PersonSearchHit h) => new(h.Id, h.Kind.ToString(), h.GivenName, h.FamilyName, h.DateOfBirth, h.Ward);
}
