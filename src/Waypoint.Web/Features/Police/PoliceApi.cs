using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;

namespace Waypoint.Features.Police;

/// <summary>Occurrences, flags and scores over the API, through the same filters, audit and rules as the pages.</summary>
public static class PoliceApi
{
    public sealed record OccurrenceView(Guid Id, string PoliceReference, DateOnly OccurredOn, string? OffenceGroup, string? OffenceSubGroup, IncidentType? IncidentType, string Role);

    public sealed record PersonOccurrences(Guid PersonId, IReadOnlyList<OccurrenceView> Occurrences);

    public sealed record PersonFlags(Guid PersonId, IReadOnlyList<FlagView> Flags);

    /// <summary>A person's score, or none when no factor applies.</summary>
    public sealed record PersonScore(Guid PersonId, ExplainedScore? Score);

    public sealed record FlagView(Guid Id, FlagKind Kind, string Evidence, DateOnly ReviewOn, FlagStatus Status, bool Counts, string? ReviewOutcome);

    public static RouteGroupBuilder MapPoliceApi(this RouteGroupBuilder api)
    {
        api.MapPost("/police/occurrences/import", ImportAsync).WithTags("Police")
            .WithSummary("Import an occurrences CSV (multipart form field file, or a text/csv body) for your force: all or nothing, idempotent by police reference. 200 with a summary, or 400 with every problem by line.")
            .DisableAntiforgery()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(OccurrenceImport.MaxFileBytes + 1024 * 1024));
        api.MapGet("/people/{id:guid}/occurrences", OccurrencesAsync).WithTags("Police").WithSummary("The occurrences a person is linked to that you may see, with their role.");
        api.MapGet("/people/{id:guid}/flags", FlagsAsync).WithTags("Risk").WithSummary("A person's flags that you may see; counts is false once a flag lapsed or was removed.");
        api.MapGet("/people/{id:guid}/risk", RiskAsync).WithTags("Risk").WithSummary("A person's score: offending and vulnerability apart, each factor with the records you may see and the number hidden.");
        return api;
    }

    private static async Task<Results<Ok<OccurrenceImportSummary>, ValidationProblem, NotFound>> ImportAsync(HttpRequest request, WaypointDbContext db, OccurrenceImport import, CancellationToken ct)
    {
        if (!IndexModel.IsPolice(db))
            return TypedResults.NotFound();
        Stream content;
        string fileName;
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(ct);
            var file = form.Files.GetFile("file");
            if (file is null || file.Length == 0)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send the CSV as the form field file."] });
            content = file.OpenReadStream();
            fileName = Path.GetFileName(file.FileName);
        }
        else
        {
            var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, ct);
            buffer.Position = 0;
            content = buffer;
            fileName = "occurrences.csv";
        }
        await using (content)
        {
            var outcome = await import.ApplyAsync(content, fileName, db.Reader.OrganisationId, db.Reader.UserId, ct);
            if (outcome.Summary is { } summary)
                return TypedResults.Ok(summary);
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = outcome.Problems.Select(p => p.ToString()).ToArray() },
                detail: "The file was not imported and nothing was changed.");
        }
    }

    private static async Task<Results<Ok<PersonOccurrences>, NotFound>> OccurrencesAsync(Guid id, WaypointDbContext db, PersonAccess access, CancellationToken ct)
    {
        if (await access.OpenAsync(id, "api:occurrences", ct) is null)
            return TypedResults.NotFound();
        var rows = await db.OccurrencePeople.AsNoTracking().Where(l => l.PersonId == id).OrderByDescending(l => l.Occurrence!.OccurredOn)
            .Select(l => new { l.Occurrence!.Id, l.Occurrence.PoliceReference, l.Occurrence.OccurredOn, l.Occurrence.OffenceGroup, l.Occurrence.OffenceSubGroup, l.Occurrence.IncidentType, l.Role })
            .ToListAsync(ct);
        return TypedResults.Ok(new PersonOccurrences(id, rows.Select(r => new OccurrenceView(r.Id, r.PoliceReference, r.OccurredOn, r.OffenceGroup, r.OffenceSubGroup, r.IncidentType, r.Role.ToString())).ToList()));
    }

    private static async Task<Results<Ok<PersonFlags>, NotFound>> FlagsAsync(Guid id, WaypointDbContext db, PersonAccess access, TimeProvider clock, CancellationToken ct)
    {
        if (await access.OpenAsync(id, "api:flags", ct) is null)
            return TypedResults.NotFound();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var flags = await db.PersonFlags.AsNoTracking().Where(f => f.PersonId == id).OrderByDescending(f => f.SetAt).ToListAsync(ct);
        return TypedResults.Ok(new PersonFlags(id, flags.Select(f => new FlagView(f.Id, f.Kind, f.Evidence, f.ReviewOn, f.Status, f.Status == FlagStatus.Active && f.ReviewOn >= today, f.ReviewOutcome)).ToList()));
    }

    private static async Task<Results<Ok<PersonScore>, NotFound>> RiskAsync(Guid id, PersonAccess access, RiskExplanation explanation, CancellationToken ct)
    {
        if (await access.OpenAsync(id, "api:risk", ct) is null)
            return TypedResults.NotFound();
        return TypedResults.Ok(new PersonScore(id, await explanation.ExplainAsync(id, ct)));
    }
}
