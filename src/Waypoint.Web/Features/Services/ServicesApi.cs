using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Features.Provision;

namespace Waypoint.Features.Services;

/// <summary>The public feed, and service referrals over the API (bearer, the same policy and audit as the pages).</summary>
public static class ServicesApi
{
    public static IEndpointRouteBuilder MapServices(this IEndpointRouteBuilder app, RouteGroupBuilder secured)
    {
        app.MapOpenReferralFeed();
        secured.MapPlacements();
        var directory = secured.MapGroup("/services").WithTags("Services directory");
        directory.MapPost("/import", ImportAsync)
            .WithSummary("Import services into the directory (multipart form: file). A .json file is read as Open Referral UK (HSDS 3.0: one service, a list, or a /services page); " +
                "anything else as the directory CSV (columns in docs/services.md). All or nothing: 200 with what was added, changed and unchanged, or 400 with every problem by line and column.")
            .Accepts<IFormFile>("multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(DirectoryTransfer.MaxFileBytes + 64 * 1024))
            .DisableAntiforgery()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden);
        directory.MapGet("/export", ExportAsync)
            .WithSummary("The directory as the CSV the import reads (format=Csv) or as a spreadsheet (format=Xlsx).");
        var referrals = secured.MapGroup("/service-referrals").WithTags("Service referrals");
        referrals.MapPost("", SendAsync)
            .WithSummary("Refer a young person you may see to a service of the directory, with the reason, urgency and lawful basis (consent: the id of a current consent record given for the provider). " +
                "Refused with the reason when the service is suspended or the young person is outside its eligibility; a manager may send it anyway with overrideReason. " +
                "The provider sees the young person while it decides (30 days), then while the referral is open.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        referrals.MapGet("/{id:guid}", GetAsync)
            .WithSummary("A referral, for the referrer's or the provider's organisation, with the date the provider's access to the young person ends.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        foreach (var step in ServiceReferrals.StepNames)
        {
            referrals.MapPost($"/{{id:guid}}/{step}", (Guid id, [FromBody] ServiceReferralStep? input, RecordAccess records, ServiceReferrals work, CancellationToken ct) => MoveAsync(id, step, input, records, work, ct))
                .WithName($"ServiceReferral_{step}")
                .WithSummary(step switch
                {
                    "accept" => "The provider accepts a sent referral.",
                    "decline" => "The provider declines a sent or waiting referral, with a reason (its access to the young person ends now).",
                    "wait" => "The provider puts a sent or accepted referral on its waiting list.",
                    "start" => "The provider starts the service on a date (on) not in the future, when a place is free.",
                    "end" => "The provider ends a started service on a date (on), with endReason and, when Completed, an outcome; its access ends 30 days after.",
                    _ => "The referrer withdraws a referral that has not started or ended (the provider's access ends now).",
                })
                .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }
        return app;
    }

    private static async Task<Results<Ok<DirectoryImportSummary>, ValidationProblem, ProblemHttpResult>> ImportAsync(
        HttpRequest request, ServiceDirectory directory, DirectoryTransfer transfer, CancellationToken ct)
    {
        if (!await directory.MayAddAsync(ct))
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only the directory's keepers and organisation administrators may import services.");
        if (!request.HasFormContentType)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send a multipart form with the field file."] });
        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        if (file is null || file.Length == 0)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["Send a multipart form with the field file."] });
        if (file.Length > DirectoryTransfer.MaxFileBytes)
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = ["The file must be 5 MB or smaller."] });
        var fileName = Path.GetFileName(file.FileName);
        await using var stream = file.OpenReadStream();
        var outcome = ImportModel.IsJson(fileName, file.ContentType)
            ? await transfer.ImportOpenReferralAsync(stream, fileName, ct)
            : await transfer.ImportCsvAsync(stream, fileName, ct);
        return outcome.Summary is { } summary
            ? TypedResults.Ok(summary)
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["file"] = outcome.Problems.Select(p => p.ToString()).ToArray() },
                detail: "The file was not imported and nothing was changed.");
    }

    private static async Task<IResult> ExportAsync(Shell.Exports.ExportFormat? format, DirectoryTransfer transfer, TimeProvider clock, CancellationToken ct)
    {
        var table = await transfer.ExportAsync(new ServiceSearch(), ct);
        var file = Shell.Exports.ExportFile.Of(table, format ?? Shell.Exports.ExportFormat.Csv, "services-directory", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
        return TypedResults.File(file.FileContents, file.ContentType, file.FileDownloadName);
    }

    private static async Task<Results<Created<ServiceReferralView>, ValidationProblem, ProblemHttpResult>> SendAsync(
        SendServiceReferral input, PersonAccess access, ServiceReferrals work, CancellationToken ct)
    {
        var (outcome, person) = await access.OpenForAsync(input.PersonId, PersonOperations.Grant, "api:service-referral.new", ct);
        if (outcome == AccessOutcome.NotFound)
            return NotFound("There is no person with this id that you may see.");
        if (outcome == AccessOutcome.Forbidden)
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Only an organisation with a standing relationship with the young person may refer them; break-glass access cannot.");
        var (referral, errors) = await work.SendAsync(person!, input, ct);
        if (referral is null)
            return Validation(errors);
        return TypedResults.Created($"/api/v1/service-referrals/{referral.Id}", await work.ViewAsync((await work.OpenAsync(referral.Id, "api:service-referral", ct))!, ct));
    }

    private static async Task<Results<Ok<ServiceReferralView>, ProblemHttpResult>> GetAsync(Guid id, RecordAccess records, ServiceReferrals work, CancellationToken ct) =>
        await records.OpenServiceReferralAsync(id, "api:service-referral", ct) is { } opened ? TypedResults.Ok(await work.ViewAsync(opened.Referral, ct)) : NotFound("There is no referral with this id that you may see.");

    private static async Task<Results<Ok<ServiceReferralView>, ValidationProblem, ProblemHttpResult>> MoveAsync(
        Guid id, string step, ServiceReferralStep? input, RecordAccess records, ServiceReferrals work, CancellationToken ct)
    {
        if (await records.OpenServiceReferralAsync(id, $"api:service-referral.{step}", ct) is not { Referral: var referral })
            return NotFound("There is no referral with this id that you may see.");
        var errors = await work.MoveAsync(referral, step, input ?? new ServiceReferralStep(), ct);
        if (errors.TryGetValue("Status", out var conflict))
            return TypedResults.Problem(statusCode: 409, title: "This step does not fit the referral", detail: conflict);
        if (errors.Count > 0)
            return Validation(errors);
        return TypedResults.Ok(await work.ViewAsync(referral, ct));
    }

    private static ValidationProblem Validation(Dictionary<string, string> errors) =>
        TypedResults.ValidationProblem(errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }));

    private static ProblemHttpResult NotFound(string detail) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: detail);
}
