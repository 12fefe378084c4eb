using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Domain;

namespace Waypoint.Features.Alerts;

public sealed record AlertSummary(Guid Id, AlertRule Rule, string RuleName, AlertStatus Status, Guid PersonId, string Pupil, string School,
    DateOnly TriggeredOn, DateTimeOffset RaisedAt, string? AssignedTo, string Figures)
{
    public static AlertSummary Of(AlertListItem a) =>
        new(a.Id, a.Rule, a.RuleName, a.Status, a.PersonId, a.PupilName, a.School, a.TriggeredOn, a.RaisedAt, a.AssignedTo, a.Figures);
}

public static class AlertsApi
{
    public static RouteGroupBuilder MapAlertsApi(this RouteGroupBuilder api)
    {
        var alerts = api.MapGroup("/alerts").WithTags("Alerts");
        alerts.MapGet("", ListAsync)
            .WithSummary($"Alerts you may see (status = Open, the default, Closed or All), new before acknowledged, newest first; {AlertInbox.PageSize} at a time (pass skip for the next ones).")
            .ProducesValidationProblem();
        alerts.MapPost("/{id:guid}/acknowledge", AcknowledgeAsync)
            .WithSummary("Acknowledge an alert (acknowledging it again changes nothing).")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<AlertSummary>>> ListAsync(AlertInbox inbox, [FromQuery] AlertListFilter? status, [FromQuery] int? skip, CancellationToken ct)
    {
        var (items, _) = await inbox.ListAsync(status ?? AlertListFilter.Open, null, skip ?? 0, "api:alerts", ct);
        return TypedResults.Ok<IReadOnlyList<AlertSummary>>(items.Select(AlertSummary.Of).ToList());
    }

    private static async Task<Results<Ok<AlertSummary>, ProblemHttpResult>> AcknowledgeAsync(Guid id, AlertInbox inbox, RecordAccess records, CancellationToken ct)
    {
        if (await records.OpenAlertAsync(id, "api:alert.acknowledge", ct) is not { } opened)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no alert with this id that you may see.");
        var outcome = await inbox.AcknowledgeAsync(opened, "api:alert.acknowledge", ct);
        if (outcome.Forbidden)
            return TypedResults.Problem(statusCode: 403, title: "Not addressed to you", detail: outcome.Errors.Values.First());
        if (!outcome.Succeeded)
            return TypedResults.Problem(statusCode: 409, title: "Alert closed", detail: outcome.Errors.Values.First());
        return TypedResults.Ok(AlertSummary.Of((await inbox.DetailsAsync(opened, ct)).Alert));
    }
}
