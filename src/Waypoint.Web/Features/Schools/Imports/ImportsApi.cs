using Microsoft.AspNetCore.Http.HttpResults;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

/// <summary>Imports over the API: send a file (multipart: kind and file), then follow its job.</summary>
public static class ImportsApi
{
    public static RouteGroupBuilder MapImportsApi(this RouteGroupBuilder api)
    {
        var imports = api.MapGroup("/imports").WithTags("Imports");
        imports.MapPost("", QueueAsync)
            .WithSummary("Send a school file (multipart form: kind = CommonTransferFile, Enrolments, Attendance, Suspensions or Behaviour; file). Applied in the background, all or nothing.")
            .Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(ImportJob.MaxFileBytes + 1024 * 1024));
        imports.MapGet("", ListAsync).WithSummary("Your school's imports, newest first.");
        imports.MapGet("/{id:guid}", GetAsync).WithSummary("One import: status, percent done, and its summary or every problem.");
        return api;
    }

    private static async Task<Results<Accepted<ImportJobView>, ValidationProblem, NotFound>> QueueAsync(
        HttpRequest request, WaypointDbContext db, ImportJobs jobs, CancellationToken ct)
    {
        if (db.Reader.OrganisationType != OrganisationType.School)
            return TypedResults.NotFound();
        var errors = new Dictionary<string, string[]>();
        if (!request.HasFormContentType)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send a multipart form with the fields kind and file."] });
        var form = await request.ReadFormAsync(ct);
        var kindText = form["kind"].ToString();
        if (!Enum.TryParse<ImportKind>(kindText, ignoreCase: true, out var kind) || !ImportLabels.IsSchoolKind(kind) || int.TryParse(kindText, out _))
            errors["kind"] = [$"kind must be one of {string.Join(", ", ImportLabels.Kinds)}."];
        var file = form.Files.GetFile("file");
        if (ImportJobs.CheckUpload(file?.FileName, file?.Length ?? 0) is { } problem)
            errors["file"] = [problem];
        if (errors.Count > 0)
            return TypedResults.ValidationProblem(errors);
        using var content = new MemoryStream((int)file!.Length);
        await file.CopyToAsync(content, ct);
        var id = await jobs.QueueAsync(kind, file.FileName, content.ToArray(), ct);
        var job = await jobs.FindAsync(id, ct);
        return TypedResults.Accepted($"/api/v1/imports/{id}", job!);
    }

    private static async Task<Results<Ok<IReadOnlyList<ImportJobView>>, NotFound>> ListAsync(WaypointDbContext db, ImportJobs jobs, CancellationToken ct) =>
        db.Reader.OrganisationType != OrganisationType.School ? TypedResults.NotFound() : TypedResults.Ok(await jobs.ListAsync(100, ct));

    private static async Task<Results<Ok<ImportJobView>, NotFound>> GetAsync(Guid id, ImportJobs jobs, CancellationToken ct) =>
        await jobs.FindAsync(id, ct) is { } job ? TypedResults.Ok(job) : TypedResults.NotFound();
}
