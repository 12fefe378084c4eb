using Microsoft.AspNetCore.Http.HttpResults;
using Waypoint.Access;
using Waypoint.Domain;

namespace Waypoint.Features.Consent;

public sealed record ConsentRecordSummary(Guid Id, DateOnly AskedOn, string AskedBy, Guid ForOrganisationId, string ForOrganisation, ConsentMethod Method,
    string AnsweredBy, ConsentOutcome Outcome, string Scope, DateOnly? ExpiresOn, Guid? CaseId, DateTimeOffset RecordedAt);

public sealed record CurrentConsentSummary(Guid ForOrganisationId, string ForOrganisation, ConsentOutcome Outcome, bool Expired, bool InForce,
    DateOnly AskedOn, string Scope, DateOnly? ExpiresOn);

public sealed record PersonConsent(Guid PersonId, string GivenName, string FamilyName, IReadOnlyList<CurrentConsentSummary> Current, IReadOnlyList<ConsentRecordSummary> History);

public sealed record NewConsent(Guid? ForOrganisationId, ConsentMethod? Method, DateOnly? AskedOn, string? AnsweredBy, ConsentOutcome? Outcome,
    string? Scope, DateOnly? ExpiresOn, Guid? CaseId);

/// <summary>A person's consent to early help over the API, through the same policy, audit and rules as the page.</summary>
public static class ConsentApi
{
    public static RouteGroupBuilder MapConsentApi(this RouteGroupBuilder api)
    {
        var consent = api.MapGroup("/people/{id:guid}/consent").WithTags("Consent");
        consent.MapGet("", GetAsync).WithSummary("A person's consent to early help that you may see: where it stands for each agency, and every answer recorded, newest first.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        consent.MapPost("", RecordAsync).WithSummary("Record the family's answer, asked by your organisation for an agency; a withdrawal needs consent given as the latest answer for that agency.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Results<Ok<PersonConsent>, ProblemHttpResult>> GetAsync(Guid id, PersonAccess access, ConsentWork work, CancellationToken ct)
    {
        var person = await access.OpenAsync(id, "api:consent", ct);
        if (person is null)
            return NotFound();
        var history = await work.HistoryAsync(person.Id, ct);
        var current = work.Current(history)
            .Select(c => new CurrentConsentSummary(c.ForOrganisationId, c.ForOrganisation, c.Outcome, c.Expired, c.InForce, c.AskedOn, c.Scope, c.ExpiresOn)).ToList();
        return TypedResults.Ok(new PersonConsent(person.Id, person.GivenName, person.FamilyName, current, history.Select(Summary).ToList()));
    }

    private static async Task<Results<Created<ConsentRecordSummary>, ValidationProblem, ProblemHttpResult>> RecordAsync(
        Guid id, NewConsent input, PersonAccess access, ConsentWork work, CancellationToken ct)
    {
        var person = await access.OpenAsync(id, "api:consent.new", ct);
        if (person is null)
            return NotFound();
        var result = await work.RecordAsync(person, new ConsentAnswer(input.ForOrganisationId, input.Method, input.AskedOn, input.AnsweredBy,
            input.Outcome, input.Scope, input.ExpiresOn, input.CaseId), ct);
        if (!result.Succeeded)
            return TypedResults.ValidationProblem(result.Errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }));
        var record = (await work.HistoryAsync(person.Id, ct)).First(r => r.Id == result.Id);
        return TypedResults.Created($"/people/{person.Id}/consent", Summary(record));
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no person with this id that you may see.");

    private static ConsentRecordSummary Summary(ConsentRow r) =>
        new(r.Id, r.AskedOn, r.AskedBy, r.ForOrganisationId, r.ForOrganisation, r.Method, r.AnsweredBy, r.Outcome, r.Scope, r.ExpiresOn, r.CaseId, r.RecordedAt);
}
