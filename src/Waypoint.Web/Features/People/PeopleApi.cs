using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Identity;

namespace Waypoint.Features.People;

public sealed record PersonSummary(Guid Id, string Kind, string GivenName, string FamilyName, DateOnly? DateOfBirth, string Ward);
public sealed record CreatedPerson(Guid Id);
public sealed record DuplicateWarning(string Title, IReadOnlyList<PersonSummary> LikelyDuplicates);

public static class PeopleApi
{
    public static RouteGroupBuilder MapPeopleApi(this RouteGroupBuilder api)
    {
        var people = api.MapGroup("/people").WithTags("People");
        people.MapGet("", SearchAsync).WithSummary("Search people you may see by name, date of birth or identifier; narrow by the school they attend now, kind, an open case or open alerts you may see.")
            .WithDescription($"Best match first, or sort=Name, YoungestFirst, OldestFirst or School (the search page's orders). page (from 1) and pageSize (1 to {MaxPageSize}, 25 unless given) choose the page, within the first {PersonSearch.CountLimit:N0} results. X-Total-Count gives how many there are (a lower bound when X-Total-Count-Is-Lower-Bound is true: narrow the search); Link gives the next and previous pages.")
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                if (operation.Responses?.TryGetValue("200", out var ok) == true && ok is Microsoft.OpenApi.OpenApiResponse response)
                {
                    response.Headers ??= new Dictionary<string, Microsoft.OpenApi.IOpenApiHeader>();
                    response.Headers["X-Total-Count"] = new Microsoft.OpenApi.OpenApiHeader
                    {
                        Description = $"How many people the search finds that you may see, counted up to {PersonSearch.CountLimit:N0}.",
                        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Integer },
                    };
                    response.Headers["X-Total-Count-Is-Lower-Bound"] = new Microsoft.OpenApi.OpenApiHeader
                    {
                        Description = "true when there are more than were counted: narrow the search.",
                        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.Boolean },
                    };
                    response.Headers["Link"] = new Microsoft.OpenApi.OpenApiHeader
                    {
                        Description = "The next and previous pages (RFC 8288: rel=\"next\", rel=\"prev\"), where there are.",
                        Schema = new Microsoft.OpenApi.OpenApiSchema { Type = Microsoft.OpenApi.JsonSchemaType.String },
                    };
                }
                return Task.CompletedTask;
            });
        // The sign-in's check rides on the open, the endpoint's first statement (Identity/ReaderMiddleware; issue 18).
        people.MapGet("/{id:guid}", GetAsync).FoldSignInCheck().WithSummary("One person, with what your organisation may see of them and why.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        people.MapPost("", CreateAsync).WithSummary("Add a person after a duplicate check; set confirmNotDuplicate to create despite likely duplicates.");
        return api;
    }

    /// <summary>The most results one page of the search API returns.</summary>
    public const int MaxPageSize = 100;

    /// <summary>
    /// A page of the search, best match first unless another order is asked for (the search page's
    /// orders). The body is the page's people; the headers say how many there are in all
    /// (<c>X-Total-Count</c>; <c>X-Total-Count-Is-Lower-Bound: true</c> when there are more than the
    /// search counts, <see cref="PersonSearch.CountLimit"/>) and link the next and previous pages
    /// (<c>Link</c>, rel="next" and rel="prev"). Each person listed is audited.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<PersonSummary>>, ValidationProblem>> SearchAsync(
        HttpContext http, WaypointDbContext db, PersonAccess access, [FromQuery] string? name, [FromQuery] string? dateOfBirth, [FromQuery] string? identifier,
        [FromQuery] Guid? schoolId, [FromQuery] Domain.PersonKind? kind, [FromQuery] bool? openCase, [FromQuery] bool? openAlerts,
        [FromQuery] PersonSearchSort? sort, [FromQuery] int? page, [FromQuery] int? pageSize, CancellationToken ct)
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
        var size = pageSize ?? 25;
        if (size is < 1 or > MaxPageSize)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["pageSize"] = [$"Ask for 1 to {MaxPageSize} people a page."] });
        var number = page ?? 1;
        if (number < 1 || (long)(number - 1) * size >= PersonSearch.CountLimit)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["page"] = [$"Pages start at 1 and reach the first {PersonSearch.CountLimit:N0} results: narrow the search for more."] });
        // The same filters as the search page, through the same access policy (PersonSearch.Narrowed).
        var query = new PersonSearchQuery(name, dob, identifier)
        {
            SchoolId = schoolId,
            Kind = kind,
            HasOpenCase = openCase == true,
            HasOpenAlerts = openAlerts == true,
            Sort = sort ?? PersonSearchSort.BestMatch,
        };
        if (query.IsEmpty)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = ["Give a name, a date of birth, an identifier, a school or an open-work filter."] });
        var found = await PersonSearch.PageAsync(db, query, (number - 1) * size, size, db.Today, ct, details: false);
        await access.AuditListedAsync(found.Results.Select(r => r.Hit.Id).ToList(), "api:people.search", ct);

        // A page past the last is answered with the last (as the search page does).
        number = found.Skip / size + 1;
        var headers = http.Response.Headers;
        headers["X-Total-Count"] = found.Total.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (found.MoreThan)
            headers["X-Total-Count-Is-Lower-Bound"] = "true";
        var links = new List<string>();
        if (found.Skip + found.Results.Count < found.Total)
            links.Add($"<{PageLink(http.Request, number + 1, size)}>; rel=\"next\"");
        if (number > 1)
            links.Add($"<{PageLink(http.Request, number - 1, size)}>; rel=\"prev\"");
        if (links.Count > 0)
            headers.Link = string.Join(", ", links);
        return TypedResults.Ok<IReadOnlyList<PersonSummary>>(found.Results.Select(r => ToSummary(r.Hit)).ToList());
    }

    /// <summary>The request's own address (path and query, relative) with another page and the page size.</summary>
    private static string PageLink(HttpRequest request, int page, int size)
    {
        var query = request.Query.Where(q => q.Key is not ("page" or "pageSize"))
            .SelectMany(q => q.Value.Select(v => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(v ?? "")}"))
            .Append($"page={page}").Append($"pageSize={size}");
        return $"{request.PathBase}{request.Path}?{string.Join("&", query)}";
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
