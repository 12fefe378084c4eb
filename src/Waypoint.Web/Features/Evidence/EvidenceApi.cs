using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;

namespace Waypoint.Features.Evidence;

/// <summary>A published version of a year's exclusion statistics.</summary>
public sealed record PublishedVersion(int AcademicYear, string Year, int Version, DateTimeOffset PublishedAt, bool IsRevision, string? RevisionNote);

/// <summary>
/// The evidence tables as JSON. The published exclusion statistics are public (no token), as the
/// page is, and hold only what the partnership published; benchmarking and exclusion and violence
/// need a token of someone who may see partnership figures, as their pages do.
/// </summary>
public static class EvidenceApi
{
    public static IEndpointRouteBuilder MapEvidenceApi(this IEndpointRouteBuilder app)
    {
        var stats = app.MapGroup("/api/v1/statistics").WithTags("v1", "Statistics").DisableAntiforgery();
        stats.MapGet("/exclusions", ListPublishedAsync).AllowAnonymous()
            .WithSummary("Every published version of the exclusion statistics, newest year first. Public: no token.")
            .Produces<IReadOnlyList<PublishedVersion>>();
        stats.MapGet("/exclusions/published", GetPublishedAsync).AllowAnonymous()
            .WithSummary("One published version's tables (year: the academic year's first calendar year; version: latest if left out), suppression applied as on the page. Public: no token.")
            .Produces<PublishedTables>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        var secured = stats.MapGroup("").RequireAuthorization(Policies.Api).RequireAuthorization(OversightPolicies.PartnershipFigures);
        secured.MapGet("/benchmarking", async (WaypointDbContext db, string? schoolType, CancellationToken ct) =>
                Results.Ok(await Benchmarking.LoadAsync(db, DfeExclusionsImport.SchoolTypes.FirstOrDefault(t => string.Equals(t, schoolType, StringComparison.OrdinalIgnoreCase)) ?? "Total", ct)))
            .WithSummary("DfE's published rates for the partnership's authority, its neighbours, region and England by year, with its rank (school_type: Total, Primary, Secondary or Special).")
            .Produces<BenchmarkView>();
        secured.MapGet("/violence", ViolenceAsync)
            .WithSummary($"Exclusion and violence over academic years fromYear to toYear (at most {ViolenceModel.MaxYears}), for the partnership or one area: rates per 1,000, intervals, ratios and time order, small numbers suppressed.")
            .Produces<ViolenceReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        secured.MapGet("/outcomes", OutcomesAsync)
            .WithSummary("The joint outcomes framework for help that ended in academic year (its first calendar year; last year if left out) and the year before, for the partnership or one area: each measure before and after, against children reported and not taken on, small numbers suppressed.")
            .Produces<OutcomesReport>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    private static async Task<IResult> ListPublishedAsync(WaypointDbContext db, CancellationToken ct)
    {
        var rows = await db.StatisticsPublications.AsNoTracking()
            .Select(p => new { p.AcademicYear, p.Version, p.PublishedAt, p.RevisionNote }).ToListAsync(ct);
        return Results.Ok(rows.OrderByDescending(p => p.AcademicYear).ThenByDescending(p => p.Version)
            .Select(p => new PublishedVersion(p.AcademicYear, new AcademicYear(p.AcademicYear).ToString(), p.Version, p.PublishedAt, p.Version > 1, p.RevisionNote)).ToList());
    }

    private static async Task<IResult> GetPublishedAsync(WaypointDbContext db, int? year, int? version, CancellationToken ct)
    {
        var query = db.StatisticsPublications.AsNoTracking().Where(p => year == null || p.AcademicYear == year);
        var chosen = version is { } v
            ? await query.Where(p => p.Version == v).OrderByDescending(p => p.AcademicYear).FirstOrDefaultAsync(ct)
            : await query.OrderByDescending(p => p.AcademicYear).ThenByDescending(p => p.Version).FirstOrDefaultAsync(ct);
        if (chosen is null)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Nothing is published for that year and version");
        return Results.Ok(JsonSerializer.Deserialize<PublishedTables>(chosen.Tables, StatisticsPublishing.Json));
    }

    private static async Task<IResult> ViolenceAsync(WaypointDbContext db, TimeProvider clock, int? fromYear, int? toYear, Guid? area, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var current = AcademicYear.Of(today).StartYear;
        var from = fromYear ?? current - 1;
        var to = toYear ?? current;
        if (from < current - 10 || to > current || from > to || to - from + 1 > ViolenceModel.MaxYears)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest,
                title: $"fromYear and toYear must be academic years from {current - 10} to {current}, in order, at most {ViolenceModel.MaxYears} of them");
        if (area is { } a && !await db.Areas.AnyAsync(x => x.Id == a && (x.Kind == AreaKind.County || x.Kind == AreaKind.District), ct))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "area is not a county or district of the partnership");
        return Results.Ok(await ViolenceAnalysis.LoadAsync(db, from, to, today, area, StatisticsPublication.DefaultThreshold, ct));
    }

    private static async Task<IResult> OutcomesAsync(WaypointDbContext db, TimeProvider clock, int? year, Guid? area, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var current = AcademicYear.Of(today).StartYear;
        var chosen = year ?? current - 1;
        if (chosen < current - 10 || chosen > current)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: $"year must be an academic year from {current - 10} to {current}");
        if (area is { } a && !await db.Areas.AnyAsync(x => x.Id == a && (x.Kind == AreaKind.County || x.Kind == AreaKind.District), ct))
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "area is not a county or district of the partnership");
        return Results.Ok(await OutcomesLinkedSuppression.LoadAsync(db, chosen, area, today, ct));
    }
}
