using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Referrals;

public sealed record ReferralSummary(Guid Id, Guid PersonId, IReadOnlyList<ConcernCategory> Categories, bool ImmediateRisk, string Reporter,
    DateTimeOffset ReportedAt, DateTimeOffset DecisionDueBy, ReferralStatus Status, TriageOutcome? Outcome, Guid? CaseId);

public sealed record NewReferral(Guid PersonId, IReadOnlyList<ConcernCategory>? Categories, string? WhatIsKnown, bool? ImmediateRisk, LawfulBasis? LawfulBasis);

public sealed record CaseSummary(Guid Id, Guid PersonId, TriageOutcome Level, CaseStatus Status, string LeadOrganisation, DateTimeOffset OpenedAt,
    CaseClosureReason? ClosureReason, IReadOnlyList<string> Team, IReadOnlyList<CaseActionSummary> Actions, DateOnly? NextReviewOn,
    IReadOnlyList<CaseGoalSummary> Goals, IReadOnlyList<CaseNoteSummary> Notes, IReadOnlyList<CaseReviewSummary> Reviews, string? LeadOfferedTo);

public sealed record CaseGoalSummary(Guid Id, string Text, GoalStatus Status);

/// <summary>A note the reader may see under the agreement: its category, author's organisation and lawful basis.</summary>
public sealed record CaseNoteSummary(string Category, string Organisation, LawfulBasis LawfulBasis, string Text, DateTimeOffset At);

public sealed record CaseReviewSummary(DateOnly HeldOn, string Summary, DateOnly? NextReviewOn);

public sealed record CaseActionSummary(Guid Id, string Description, string Owner, DateOnly DueOn, CaseActionStatus Status);

/// <summary>Reports and cases over the API, through the same policy, audit and rules as the pages.</summary>
public static class ReferralsApi
{
    public static RouteGroupBuilder MapReferralsApi(this RouteGroupBuilder api)
    {
        var referrals = api.MapGroup("/referrals").WithTags("Referrals");
        referrals.MapGet("", QueueAsync).WithSummary("The hub's queue: reports awaiting a decision in the areas your triage grant covers, urgent first, then soonest due.");
        referrals.MapPost("", ReportAsync).WithSummary("Report a concern about a person you may see; the answer says when a decision is due.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGroup("/cases").WithTags("Cases").MapGet("/{id:guid}", CaseAsync)
            .WithSummary("A case you may see: its lead, team and actions.").ProducesProblem(StatusCodes.Status404NotFound);
        return api;
    }

    private static async Task<Ok<IReadOnlyList<ReferralSummary>>> QueueAsync(Triage triage, PersonAccess access, CancellationToken ct)
    {
        var rows = await triage.Queue().Take(200)
            .Select(r => new { Referral = r, Reporter = r.ReporterOrganisation!.Name })
            .ToListAsync(ct);
        await access.AuditListedAsync(rows.Select(r => r.Referral.PersonId).Distinct().ToList(), "api:referrals", ct);
        return TypedResults.Ok<IReadOnlyList<ReferralSummary>>(rows.Select(r => Summary(r.Referral, r.Reporter)).ToList());
    }

    private static async Task<Results<Created<ReferralSummary>, ValidationProblem, ProblemHttpResult>> ReportAsync(
        NewReferral input, PersonAccess access, Triage triage, WaypointDbContext db, CancellationToken ct)
    {
        var person = await access.OpenAsync(input.PersonId, "api:referral.new", ct);
        if (person is null)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no person with this id that you may see.");
        var result = await triage.ReportAsync(person, new ConcernReport(input.Categories ?? [], input.WhatIsKnown, input.ImmediateRisk, input.LawfulBasis), ct);
        if (!result.Succeeded)
            return TypedResults.ValidationProblem(result.Errors.ToDictionary(e => char.ToLowerInvariant(e.Key[0]) + e.Key[1..], e => new[] { e.Value }));
        var referral = await db.Referrals.AsNoTracking().Where(r => r.Id == result.Id).Select(r => new { Referral = r, Reporter = r.ReporterOrganisation!.Name }).FirstAsync(ct);
        return TypedResults.Created($"/referrals/{result.Id}", Summary(referral.Referral, referral.Reporter));
    }

    private static async Task<Results<Ok<CaseSummary>, ProblemHttpResult>> CaseAsync(Guid id, WaypointDbContext db, RecordAccess records, CancellationToken ct)
    {
        if (await records.OpenCaseAsync(id, "api:case", ct) is not { } opened)
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "There is no case with this id that you may see.");
        var c = new { opened.Case, Lead = await db.Organisations.Where(o => o.Id == opened.LeadOrganisationId).Select(o => o.Name).FirstAsync(ct) };
        var team = await db.CaseMembers.AsNoTracking().Where(m => m.CaseId == id && m.LeftAt == null).Select(m => m.Organisation!.Name).ToListAsync(ct);
        var actions = await db.CaseActions.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.DueOn)
            .Select(a => new CaseActionSummary(a.Id, a.Description, a.OwnerOrganisation!.Name, a.DueOn, a.Status)).ToListAsync(ct);
        var goals = await db.CaseGoals.AsNoTracking().Where(g => g.CaseId == id).OrderBy(g => g.CreatedAt).Select(g => new CaseGoalSummary(g.Id, g.Text, g.Status)).ToListAsync(ct);
        var notes = await db.CaseNotes.AsNoTracking().Where(n => n.CaseId == id).OrderByDescending(n => n.At)
            .Select(n => new CaseNoteSummary(n.CategoryCode, n.OwnerOrganisation!.Name, n.LawfulBasis, n.Text, n.At)).ToListAsync(ct);
        var reviews = await db.CaseReviews.AsNoTracking().Where(r => r.CaseId == id).OrderByDescending(r => r.HeldOn)
            .Select(r => new CaseReviewSummary(r.HeldOn, r.Summary, r.NextReviewOn)).ToListAsync(ct);
        var offeredTo = await db.CaseTransfers.AsNoTracking().Where(t => t.CaseId == id && t.Status == CaseTransferStatus.Pending).Select(t => t.ToOrganisation!.Name).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(new CaseSummary(c.Case.Id, c.Case.PersonId, c.Case.Level, c.Case.Status, c.Lead, c.Case.OpenedAt, c.Case.ClosureReason, team, actions,
            c.Case.NextReviewOn, goals, notes, reviews, offeredTo));
    }

    private static ReferralSummary Summary(Referral r, string reporter) =>
        new(r.Id, r.PersonId, r.ConcernCategories, r.ImmediateRisk, reporter, r.ReportedAt, r.DecisionDueBy, r.Status, r.Outcome, r.CaseId);
}
