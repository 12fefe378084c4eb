using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Admin;

namespace Waypoint.Features.Services;

/// <summary>
/// The public, read-only Open Referral UK feed of the directory (HSDS 3.0 with the UK profile):
/// no sign-in and no key, open to any origin, as the UK profile requires. It publishes services
/// that are not suspended, and of them only what a family or another directory may read: never
/// capacity, quality-assurance dates, or anything about a person (the directory has none).
/// </summary>
public static class OpenReferralFeed
{
    public const string BasePath = "/openreferral/v3";
    public const string DocumentName = "openreferral";
    public const string Version = "HSDS-UK-3.0";
    public const string Profile = "https://github.com/OpenReferralUK/uk-profile/blob/main/docs/index.md";
    public const int DefaultPerPage = 50;
    public const int MaxPerPage = 500;

    // The schema's types are not nullable: an unknown value is left out, never sent as null.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public static IEndpointRouteBuilder MapOpenReferralFeed(this IEndpointRouteBuilder app)
    {
        var feed = app.MapGroup(BasePath).AllowAnonymous().WithGroupName(DocumentName).WithTags("Open Referral UK").DisableAntiforgery();
        feed.MapGet("/", (HttpRequest request) => Results.Json(new OrukApiDetails(Version, Profile, $"{request.Scheme}://{request.Host}/openapi/{DocumentName}.json"), Json))
            .WithSummary("The feed's version (HSDS-UK-3.0), the profile and where its OpenAPI description is.")
            .Produces<OrukApiDetails>();
        feed.MapGet("/services", ListServicesAsync)
            .WithSummary("Published services, a page at a time, by name. Filters combine (AND): search or text (words in the name, description or provider), " +
                "taxonomy_term_id, taxonomy_id, organization_id, minimum_age (serves someone this age or older), maximum_age (serves someone this age or younger), " +
                $"waypoint_area (an area id: services covering it or an area it lies in); page from 1, per_page up to {MaxPerPage} (default {DefaultPerPage}).")
            .Produces<OrukPage<OrukService>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        feed.MapGet("/services/{id:guid}", GetServiceAsync)
            .WithSummary("One published service with its organization, contacts, schedules, service areas, cost options and need attributes.")
            .Produces<OrukService>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        feed.MapGet("/taxonomies", ListTaxonomiesAsync)
            .WithSummary("The taxonomies the directory's terms belong to, a page at a time.")
            .WithTags("Optional")
            .Produces<OrukPage<OrukTaxonomy>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        feed.MapGet("/taxonomy_terms", ListTermsAsync)
            .WithSummary("The taxonomy terms services are tagged with, a page at a time; filter by taxonomy_id, parent_id or top_only.")
            .WithTags("Optional")
            .Produces<OrukPage<OrukTaxonomyTerm>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        feed.MapGet("/organizations", ListOrganizationsAsync)
            .WithSummary("Organisations with at least one published service, a page at a time.")
            .WithTags("Optional")
            .Produces<OrukPage<OrukOrganization>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static IQueryable<Service> Published(WaypointDbContext db) =>
        db.Set<Service>().AsNoTracking().Where(s => s.QaStatus != ServiceQaStatus.Suspended);

    private static async Task<IResult> ListServicesAsync(HttpRequest request, WaypointDbContext db, ServiceDirectory directory, CancellationToken ct)
    {
        var query = new FeedQuery(request.Query);
        var (page, perPage) = query.Paging();
        var text = query.Text("search") ?? query.Text("text");
        var term = query.Id("taxonomy_term_id");
        var taxonomy = query.Id("taxonomy_id");
        var organisation = query.Id("organization_id");
        var minimumAge = query.Age("minimum_age");
        var maximumAge = query.Age("maximum_age");
        var area = query.Id("waypoint_area");
        if (query.Problem is { } problem)
            return problem;

        var services = await directory.FilterAsync(Published(db), new ServiceSearch(text, term, null, area), ct);
        if (taxonomy is { } t)
            services = services.Where(s => s.Needs.Any(n => n.Term!.TaxonomyId == t));
        if (organisation is { } o)
            services = services.Where(s => s.ProviderOrganisationId == o);
        if (minimumAge is { } lowest)
            services = services.Where(s => s.MaximumAge == null || s.MaximumAge >= lowest);
        if (maximumAge is { } highest)
            services = services.Where(s => s.MinimumAge == null || s.MinimumAge <= highest);

        var total = await services.CountAsync(ct);
        var rows = await services.OrderBy(s => s.Name).ThenBy(s => s.Id).Skip((page - 1) * perPage).Take(perPage)
            .Select(Row).ToListAsync(ct);
        return Results.Json(Page(rows.Select(r => r.ToFeed()).ToList(), total, page, perPage), Json);
    }

    private static async Task<IResult> GetServiceAsync(Guid id, WaypointDbContext db, CancellationToken ct)
    {
        var row = await Published(db).Where(s => s.Id == id).Select(Row).FirstOrDefaultAsync(ct);
        if (row is null)
            return NotFound("There is no published service with this id.");
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == row.ProviderId).Select(o => new { o.Id, o.Name, o.Type }).FirstAsync(ct);
        var areas = await db.Set<ServiceArea>().AsNoTracking().Where(a => a.ServiceId == id)
            .OrderBy(a => a.Area!.Name).Select(a => new { a.AreaId, a.Area!.Name, a.Area.Code }).ToListAsync(ct);
        var needs = await db.Set<TaxonomyTerm>().AsNoTracking().Include(t => t.Taxonomy)
            .Where(t => db.Set<ServiceNeed>().Any(n => n.ServiceId == id && n.TaxonomyTermId == t.Id)).OrderBy(t => t.Name).ToListAsync(ct);
        return Results.Json(row.ToFeed() with
        {
            Organization = new OrukOrganization(organisation.Id, organisation.Name, OrganisationDescription(organisation.Type)),
            Contacts = row.ContactName is { } contact ? [new OrukContact(StableId(id, "contact"), id, contact)] : null,
            Schedules = row.OpeningTimes is { } times ? [new OrukSchedule(StableId(id, "schedule"), id, times)] : null,
            ServiceAreas = areas.Count == 0 ? null : areas.Select(a => new OrukServiceArea(StableId(id, a.AreaId.ToString()), id, a.Name, null)).ToList(),
            CostOptions = row.Cost is { } cost ? [new OrukCostOption(StableId(id, "cost"), id, cost)] : null,
            Attributes = needs.Count == 0 ? null : needs.Select(t => new OrukAttribute(StableId(id, t.Id.ToString()), id, t.Id, "need", Term(t))).ToList(),
        }, Json);
    }

    private static async Task<IResult> ListTaxonomiesAsync(HttpRequest request, WaypointDbContext db, CancellationToken ct)
    {
        var query = new FeedQuery(request.Query);
        var (page, perPage) = query.Paging();
        if (query.Problem is { } problem)
            return problem;
        var all = db.Set<Taxonomy>().AsNoTracking();
        var total = await all.CountAsync(ct);
        var rows = await all.OrderBy(t => t.Name).ThenBy(t => t.Id).Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);
        return Results.Json(Page(rows.Select(t => new OrukTaxonomy(t.Id, t.Name, t.Description, t.Uri, t.Version)).ToList(), total, page, perPage), Json);
    }

    private static async Task<IResult> ListTermsAsync(HttpRequest request, WaypointDbContext db, CancellationToken ct)
    {
        var query = new FeedQuery(request.Query);
        var (page, perPage) = query.Paging();
        var taxonomy = query.Id("taxonomy_id");
        var parent = query.Id("parent_id");
        var topOnly = query.Flag("top_only");
        if (query.Problem is { } problem)
            return problem;
        var terms = db.Set<TaxonomyTerm>().AsNoTracking();
        if (taxonomy is { } t)
            terms = terms.Where(x => x.TaxonomyId == t);
        if (parent is { } p)
            terms = terms.Where(x => x.ParentId == p);
        if (topOnly)
            terms = terms.Where(x => x.ParentId == null);
        var total = await terms.CountAsync(ct);
        var rows = await terms.Include(x => x.Taxonomy).OrderBy(x => x.Name).ThenBy(x => x.Id).Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);
        return Results.Json(Page(rows.Select(Term).ToList(), total, page, perPage), Json);
    }

    private static async Task<IResult> ListOrganizationsAsync(HttpRequest request, WaypointDbContext db, CancellationToken ct)
    {
        var query = new FeedQuery(request.Query);
        var (page, perPage) = query.Paging();
        if (query.Problem is { } problem)
            return problem;
        var providers = Published(db).Select(s => s.ProviderOrganisationId);
        var organisations = db.Organisations.AsNoTracking().Where(o => providers.Contains(o.Id));
        var total = await organisations.CountAsync(ct);
        var rows = await organisations.OrderBy(o => o.Name).ThenBy(o => o.Id).Skip((page - 1) * perPage).Take(perPage)
            .Select(o => new { o.Id, o.Name, o.Type }).ToListAsync(ct);
        return Results.Json(Page(rows.Select(o => new OrukOrganization(o.Id, o.Name, OrganisationDescription(o.Type))).ToList(), total, page, perPage), Json);
    }

    /// <summary>
    /// A page of an answer. An empty list is one empty page (total_pages 1, empty true), so that
    /// page 1 is always there to ask for; a page past the last is empty too, never an error.
    /// </summary>
    private static OrukPage<T> Page<T>(IReadOnlyList<T> contents, int total, int page, int perPage)
    {
        var pages = Math.Max(1, (total + perPage - 1) / perPage);
        return new OrukPage<T>(total, pages, page, contents.Count, page == 1, page >= pages, contents.Count == 0, contents);
    }

    private static OrukTaxonomyTerm Term(TaxonomyTerm t) => new(t.Id, t.Name, t.Description, t.TaxonomyId, t.ParentId, t.TermUri, t.Taxonomy?.Name);

    private static string OrganisationDescription(OrganisationType type) => $"{Labels.Of(type)} in the partnership";

    private static IResult NotFound(string detail) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Not found", detail: detail);

    /// <summary>An id for a child object the directory does not store by itself (a service's area, its contact): the same on every call.</summary>
    public static Guid StableId(Guid serviceId, string part)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{serviceId:N}/{part}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50); // version 5-style, so that it reads as a well-formed UUID
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Service, ServiceRow>> Row = s => new ServiceRow(
        s.Id, s.ProviderOrganisationId, s.Name, s.Description, s.HowToRefer, s.Phone, s.Website, s.Email, s.Cost, s.MinimumAge, s.MaximumAge,
        s.LastReviewedOn, s.ApRegistration, s.OfstedUrn, s.ContactName, s.OpeningTimes, s.UpdatedAt, s.CreatedAt);

    private sealed record ServiceRow(Guid Id, Guid ProviderId, string Name, string Description, string HowToRefer, string? Phone, string? Website,
        string? Email, string? Cost, int? MinimumAge, int? MaximumAge, DateOnly? LastReviewedOn, ApRegistration Registration, string? Urn,
        string? ContactName, string? OpeningTimes, DateTimeOffset UpdatedAt, DateTimeOffset CreatedAt)
    {
        // The UK profile drops application_process: how to refer goes into the description, or a UK consumer never sees it.
        public OrukService ToFeed() => new(Id, ProviderId, Name,
            $"{Description}\n\nHow to refer: {HowToRefer}{(Phone is null ? "" : $" Telephone {Phone}.")}",
            Website, Email, "active", Cost,
            Registration switch
            {
                ApRegistration.Registered => $"Registered school, Ofsted URN {Urn}",
                ApRegistration.Unregistered => "Unregistered alternative provision",
                _ => null,
            },
            MinimumAge, MaximumAge, LastReviewedOn?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            UpdatedAt > CreatedAt ? UpdatedAt : CreatedAt);
    }

    /// <summary>The query of a feed request, read by hand so that a wrong value is a 400 naming the parameter (and never a sign-in page or a 500).</summary>
    private sealed class FeedQuery(IQueryCollection query)
    {
        public IResult? Problem { get; private set; }

        private void Refuse(string name, string message) =>
            Problem ??= Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"The {name} parameter is not valid.", detail: message,
                extensions: new Dictionary<string, object?> { ["errors"] = new Dictionary<string, string[]> { [name] = [message] } });

        private string? Raw(string name) => query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString().Trim() : null;

        public (int Page, int PerPage) Paging()
        {
            var page = Whole("page", 1, int.MaxValue / MaxPerPage, "a whole number from 1") ?? 1;
            var perPage = Whole("per_page", 1, MaxPerPage, $"a whole number from 1 to {MaxPerPage}") ?? DefaultPerPage;
            return (page, perPage);
        }

        public string? Text(string name)
        {
            var value = Raw(name);
            if (value is { Length: > 200 })
                Refuse(name, "Search for 200 characters or fewer.");
            return value;
        }

        public Guid? Id(string name)
        {
            var value = Raw(name);
            if (value is null)
                return null;
            if (Guid.TryParse(value, out var id))
                return id;
            Refuse(name, "This must be a UUID.");
            return null;
        }

        public int? Age(string name) => Whole(name, 0, 150, "a whole number of years from 0 to 150");

        public bool Flag(string name)
        {
            var value = Raw(name);
            if (value is null)
                return false;
            if (bool.TryParse(value, out var flag))
                return flag;
            Refuse(name, "This must be true or false.");
            return false;
        }

        private int? Whole(string name, int min, int max, string what)
        {
            var value = Raw(name);
            if (value is null)
                return null;
            if (int.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= min && n <= max)
                return n;
            Refuse(name, $"This must be {what}.");
            return null;
        }
    }
}

/// <summary>
/// What the UK profile asks of every feed response, errors included: Access-Control-Allow-Origin *
/// and preflights answered without sign-in. Runs ahead of the app's pipeline (a startup filter),
/// so that the sign-in fallback and the error pages never stand between a browser and the feed.
/// </summary>
public sealed class OpenReferralCors : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (http, proceed) =>
        {
            if (!http.Request.Path.StartsWithSegments(OpenReferralFeed.BasePath))
            {
                await proceed(http);
                return;
            }
            http.Response.OnStarting(() =>
            {
                var headers = http.Response.Headers;
                headers.AccessControlAllowOrigin = "*";
                // Public data: caches may keep it a few minutes (the app's default is no-store).
                headers.CacheControl = http.Response.StatusCode == StatusCodes.Status200OK ? "public, max-age=300" : "no-store";
                return Task.CompletedTask;
            });
            if (HttpMethods.IsOptions(http.Request.Method))
            {
                http.Response.Headers.AccessControlAllowMethods = "GET, HEAD, OPTIONS";
                http.Response.Headers.AccessControlAllowHeaders = http.Request.Headers.AccessControlRequestHeaders.Count > 0
                    ? http.Request.Headers.AccessControlRequestHeaders.ToString() : "*";
                http.Response.Headers.AccessControlMaxAge = "86400";
                http.Response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
            await proceed(http);
        });
        next(app);
    };
}
