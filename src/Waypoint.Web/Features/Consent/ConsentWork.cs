using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Consent;

/// <summary>The family's answer as a practitioner records it (a page form or the API).</summary>
public sealed record ConsentAnswer(Guid? ForOrganisationId, ConsentMethod? Method, DateOnly? AskedOn, string? AnsweredBy,
    ConsentOutcome? Outcome, string? Scope, DateOnly? ExpiresOn, Guid? CaseId, Guid? RequestId = null);

/// <summary>A request to ask the family for consent that is still waiting for their answer, as the reader may see it.</summary>
public sealed record OutstandingRequest(Guid Id, Guid PersonId, string Child, Guid AskingOrganisationId, string AskingOrganisation, string? AskingPerson, DateOnly DueOn,
    Guid? MeetingId, string? Meeting, DateOnly? MeetingDate);

/// <summary>Either the new record's id or the messages, field by field, of why nothing was saved.</summary>
public sealed record ConsentResult(Guid? Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Id is not null && Errors.Count == 0;
}

/// <summary>One consent record as the reader may see it.</summary>
public sealed record ConsentRow(Guid Id, DateOnly AskedOn, string AskedBy, Guid ForOrganisationId, string ForOrganisation, ConsentMethod Method,
    string AnsweredBy, ConsentOutcome Outcome, string Scope, DateOnly? ExpiresOn, Guid? CaseId, DateTimeOffset RecordedAt);

/// <summary>Where consent stands for one agency: the latest answer recorded for it, expired when past its expiry date.</summary>
public sealed record CurrentConsent(Guid ForOrganisationId, string ForOrganisation, ConsentOutcome Outcome, bool Expired,
    DateOnly AskedOn, string AnsweredBy, string Scope, DateOnly? ExpiresOn)
{
    /// <summary>Consent given and not expired: the agency may go ahead with early help.</summary>
    public bool InForce => Outcome == ConsentOutcome.Given && !Expired;
}

/// <summary>
/// The family's consent to early help (DESIGN.md capability 9): a practitioner records each answer
/// for a person they may see, asked by their own organisation for an agency; a withdrawal is a
/// record of its own after consent was given. Reads go through the access policy, so a reader sees
/// the answers their organisation asked for and those the agreement shares with them as case work.
/// </summary>
public sealed class ConsentWork(WaypointDbContext db, PersonAccess access, TimeProvider clock)
{
    private DateTimeOffset Now => clock.GetUtcNow();
    private DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public static string Describe(ConsentMethod method) => method switch
    {
        ConsentMethod.HomeVisit => "Home visit",
        ConsentMethod.InPerson => "In person",
        ConsentMethod.Telephone => "Telephone",
        ConsentMethod.Letter => "Letter",
        ConsentMethod.Email => "Email",
        _ => method.ToString(),
    };

    public static string Describe(ConsentOutcome outcome) => outcome switch
    {
        ConsentOutcome.Given => "Consent given",
        ConsentOutcome.Refused => "Consent refused",
        ConsentOutcome.Withdrawn => "Consent withdrawn",
        _ => outcome.ToString(),
    };

    /// <summary>The agencies consent may be asked for: every active organisation of the partnership.</summary>
    public async Task<IReadOnlyList<(string Value, string Text)>> AgenciesAsync(CancellationToken ct) =>
        (await db.Organisations.AsNoTracking().Where(o => o.IsActive).OrderBy(o => o.Name).Select(o => new { o.Id, Name = o.Urn == null ? o.Name : o.Name + " (URN " + o.Urn + ")" }).ToListAsync(ct))
            .Select(o => (o.Id.ToString(), o.Name)).ToList();

    /// <summary>Every answer recorded for the person that the reader may see, newest first.</summary>
    public async Task<IReadOnlyList<ConsentRow>> HistoryAsync(Guid personId, CancellationToken ct) =>
        (await db.ConsentRecords.AsNoTracking().Where(r => r.PersonId == personId)
            .Select(r => new ConsentRow(r.Id, r.AskedOn, r.AskedByOrganisation!.Name, r.ForOrganisationId, r.ForOrganisation!.Name, r.Method,
                r.AnsweredBy, r.Outcome, r.Scope, r.ExpiresOn, r.CaseId, r.RecordedAt))
            .ToListAsync(ct))
        .OrderByDescending(r => r.AskedOn).ThenByDescending(r => r.RecordedAt).ToList();

    /// <summary>The current consent per agency: the latest answer recorded for each, by the agency's name.</summary>
    public async Task<IReadOnlyList<CurrentConsent>> CurrentAsync(Guid personId, CancellationToken ct) =>
        Current(await HistoryAsync(personId, ct));

    /// <summary>The current consent per agency from a history already loaded (newest first).</summary>
    public IReadOnlyList<CurrentConsent> Current(IReadOnlyList<ConsentRow> history)
    {
        var today = Today;
        return history.GroupBy(r => r.ForOrganisationId)
            .Select(g => g.OrderByDescending(r => r.AskedOn).ThenByDescending(r => r.RecordedAt).First())
            .Select(r => new CurrentConsent(r.ForOrganisationId, r.ForOrganisation, r.Outcome, r.ExpiresOn is { } expires && expires < today,
                r.AskedOn, r.AnsweredBy, r.Scope, r.ExpiresOn))
            .OrderBy(c => c.ForOrganisation, StringComparer.CurrentCulture).ToList();
    }

    /// <summary>The messages, field by field, for an answer that cannot be recorded; empty when it can.</summary>
    public async Task<Dictionary<string, string>> ValidateAsync(Person person, ConsentAnswer answer, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        string? agency = null;
        if (answer.ForOrganisationId is { } orgId)
            agency = await db.Organisations.AsNoTracking().Where(o => o.Id == orgId && o.IsActive).Select(o => o.Name).FirstOrDefaultAsync(ct);
        if (agency is null)
            errors["ForOrganisationId"] = "Select the agency the consent is for";

        if (answer.Method is null || !Enum.IsDefined(answer.Method.Value))
            errors["Method"] = "Select how the family was asked";

        if (answer.AskedOn is null)
            errors["AskedOn"] = "Enter the date the family was asked";
        else if (answer.AskedOn > Today)
            errors["AskedOn"] = "The date the family was asked must be today or in the past";

        var answeredBy = answer.AnsweredBy?.Trim();
        if (string.IsNullOrEmpty(answeredBy))
            errors["AnsweredBy"] = "Enter who in the family answered";
        else if (answeredBy.Length > ConsentRecord.MaxAnsweredByLength)
            errors["AnsweredBy"] = $"Who in the family answered must be {ConsentRecord.MaxAnsweredByLength} characters or fewer";

        if (answer.Outcome is null || !Enum.IsDefined(answer.Outcome.Value))
            errors["Outcome"] = "Select the family's answer";

        var scope = answer.Scope?.Trim();
        if (answer.Outcome == ConsentOutcome.Given && string.IsNullOrEmpty(scope))
            errors["Scope"] = "Enter what the consent covers";
        else if (scope is not null && scope.Length > ConsentRecord.MaxScopeLength)
            errors["Scope"] = $"What the consent covers must be {ConsentRecord.MaxScopeLength:N0} characters or fewer";

        if (answer.ExpiresOn is { } expiresOn && answer.AskedOn is { } askedOn && expiresOn <= askedOn)
            errors["ExpiresOn"] = "The date consent expires must be after the date the family was asked";

        if (answer.CaseId is { } caseId && !await db.Cases.AnyAsync(c => c.Id == caseId && c.PersonId == person.Id, ct))
            errors["CaseId"] = "The case must be one of this person's cases that you may see";

        // A withdrawal takes back consent given: the latest answer the reader may see for the agency must be a consent given.
        if (answer.Outcome == ConsentOutcome.Withdrawn && agency is not null)
        {
            var latest = await db.ConsentRecords.AsNoTracking()
                .Where(r => r.PersonId == person.Id && r.ForOrganisationId == answer.ForOrganisationId)
                .OrderByDescending(r => r.AskedOn).ThenByDescending(r => r.RecordedAt)
                .Select(r => (ConsentOutcome?)r.Outcome).FirstOrDefaultAsync(ct);
            if (latest != ConsentOutcome.Given)
                errors["Outcome"] = $"Consent for {agency} can only be withdrawn when the latest answer recorded for {agency} was consent given";
        }
        if (answer.RequestId is { } requestId)
        {
            var request = await db.ConsentRequests.AsNoTracking().Where(r => r.Id == requestId && r.PersonId == person.Id)
                .Select(r => new { r.AskingOrganisationId, r.ResolvedAt }).FirstOrDefaultAsync(ct);
            if (request is null)
                errors["RequestId"] = "Select a request to ask this family for consent";
            else if (request.ResolvedAt is { } resolved)
                errors["RequestId"] = $"The family's answer to this request was already recorded on {resolved:d MMMM yyyy}";
            else if (!db.Reader.IsSystem && request.AskingOrganisationId != db.Reader.OrganisationId)
                errors["RequestId"] = "Only the agency asked to visit the family can record their answer to the request";
            else if (answer.Outcome is ConsentOutcome.Withdrawn)
                errors["Outcome"] = "The answer to a request is consent given or consent refused";
        }
        return errors;
    }

    /// <summary>The requests to ask this person's family for consent still waiting for an answer, soonest due first.</summary>
    public Task<List<OutstandingRequest>> OutstandingAsync(Guid personId, CancellationToken ct) =>
        Outstanding(db.ConsentRequests.Where(r => r.PersonId == personId)).ToListAsync(ct);

    /// <summary>The reader's organisation's requests still waiting for an answer, soonest due first (for My work).</summary>
    public Task<List<OutstandingRequest>> OutstandingForReaderAsync(CancellationToken ct) =>
        Outstanding(db.ConsentRequests.Where(r => r.AskingOrganisationId == db.Reader.OrganisationId)).Take(100).ToListAsync(ct);

    /// <summary>Whether the reader's organisation is the one asked to visit, and so records the answer.</summary>
    public bool MayAnswer(OutstandingRequest request) => db.Reader.IsSystem || request.AskingOrganisationId == db.Reader.OrganisationId;

    private IQueryable<OutstandingRequest> Outstanding(IQueryable<ConsentRequest> requests) =>
        from r in requests.AsNoTracking().Where(r => r.ResolvedAt == null)
        join i in db.Set<AgendaItem>() on r.AgendaItemId equals i.Id into items
        from i in items.DefaultIfEmpty()
        orderby r.DueOn
        select new OutstandingRequest(r.Id, r.PersonId, r.Person!.GivenName + " " + r.Person.FamilyName, r.AskingOrganisationId, r.AskingOrganisation!.Name,
            db.Users.Where(u => u.Id == r.AskingUserId).Select(u => u.DisplayName).FirstOrDefault(), r.DueOn,
            i == null ? null : i.MeetingId, i == null ? null : i.Meeting!.Series!.Name, i == null ? null : i.Meeting!.Date);

    /// <summary>Records the answer (with a line in the case's history when it names a case) and audits the write; nothing is saved when any field is wrong.</summary>
    public async Task<ConsentResult> RecordAsync(Person person, ConsentAnswer answer, CancellationToken ct)
    {
        var errors = await ValidateAsync(person, answer, ct);
        if (errors.Count > 0)
            return new ConsentResult(null, errors);
        var record = new ConsentRecord
        {
            PersonId = person.Id,
            CaseId = answer.CaseId,
            AskedByOrganisationId = db.Reader.OrganisationId,
            AskedByUserId = db.Reader.UserId,
            ForOrganisationId = answer.ForOrganisationId!.Value,
            Method = answer.Method!.Value,
            AskedOn = answer.AskedOn!.Value,
            AnsweredBy = answer.AnsweredBy!.Trim(),
            Outcome = answer.Outcome!.Value,
            Scope = answer.Scope?.Trim() ?? "",
            ExpiresOn = answer.ExpiresOn,
            RecordedAt = Now,
        };
        db.ConsentRecords.Add(record);
        if (answer.CaseId is { } caseId)
        {
            // The case's history says only what happened and for whom: the detail stays on the consent record.
            var agency = await db.Organisations.AsNoTracking().Where(o => o.Id == record.ForOrganisationId).Select(o => o.Name).FirstAsync(ct);
            var verb = record.Outcome switch
            {
                ConsentOutcome.Given => "given",
                ConsentOutcome.Refused => "refused",
                _ => "withdrawn",
            };
            db.CaseEvents.Add(new CaseEvent { CaseId = caseId, Text = $"Consent {verb} for {agency}", ByUserId = db.Reader.UserId, At = Now });
        }
        // The answer resolves the request it names or, naming none, the oldest one the reader's
        // organisation was asked to make of this family (an answer through the API names none).
        var request = answer.RequestId is { } requestId
            ? await db.ConsentRequests.FirstAsync(r => r.Id == requestId, ct)
            : answer.Outcome is ConsentOutcome.Given or ConsentOutcome.Refused
                ? await db.ConsentRequests.Where(r => r.PersonId == person.Id && r.AskingOrganisationId == db.Reader.OrganisationId && r.ResolvedAt == null)
                    .OrderBy(r => r.RequestedAt).FirstOrDefaultAsync(ct)
                : null;
        if (request is not null)
        {
            // The visit the meeting asked for is done with it.
            request.ResolvedAt = Now;
            request.Outcome = record.Outcome;
            request.ConsentRecordId = record.Id;
            if (request.VisitActionId is { } visitId
                && await db.Set<MeetingAction>().FirstOrDefaultAsync(a => a.Id == visitId && a.CompletedAt == null, ct) is { } visit)
                visit.CompletedAt = Now;
        }
        await access.AuditWriteAsync(person.Id, AuditAction.Create, "consent", ct);
        await db.SaveChangesAsync(ct);
        return new ConsentResult(record.Id, errors);
    }
}
