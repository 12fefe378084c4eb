using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Identity;
using Waypoint.Shell;

namespace Waypoint.Features.Services;

public sealed record SendServiceReferral(Guid PersonId, Guid ServiceId, string? Reason, ServiceReferralUrgency? Urgency, LawfulBasis? LawfulBasis,
    Guid? ConsentRecordId, string? OverrideReason, Guid? CaseId = null, Guid? AgendaItemId = null);

/// <summary>One line of an organisation's referrals list (its inbox as a provider, or what it sent as a referrer).</summary>
public sealed record ServiceReferralRow(Guid Id, Guid PersonId, string Child, string Service, string OtherSide, ServiceReferralStatus Status,
    ServiceReferralUrgency Urgency, DateTimeOffset SentAt, DateTimeOffset UpdatedAt);

/// <summary>The reader's organisation's referrals: those made to its services (by state) and those it made.</summary>
public sealed record ServiceReferralLists(IReadOnlyList<ServiceReferralRow> ToAnswer, IReadOnlyList<ServiceReferralRow> Waiting,
    IReadOnlyList<ServiceReferralRow> Active, IReadOnlyList<ServiceReferralRow> Sent)
{
    public IEnumerable<ServiceReferralRow> All => ToAnswer.Concat(Waiting).Concat(Active).Concat(Sent);
}

public sealed record ServiceReferralView(Guid Id, Guid PersonId, Guid ServiceId, string Service, Guid ProviderOrganisationId, Guid ReferrerOrganisationId,
    ServiceReferralStatus Status, ServiceReferralUrgency Urgency, LawfulBasis LawfulBasis, string Reason, string? EligibilityOverrideReason,
    DateTimeOffset SentAt, string? DeclineReason, DateOnly? StartedOn, DateOnly? EndedOn, ServiceReferralEndReason? EndReason, string? Outcome,
    DateOnly AccessUntil, int? SessionsAttended = null);

/// <summary>What a party to a referral asks for: the action and what it needs (a reason, a date, an outcome), and the <see cref="ServiceReferral.Version"/> the page showed.</summary>
public sealed record ServiceReferralStep(string? Reason = null, DateOnly? On = null, ServiceReferralEndReason? EndReason = null, string? Outcome = null, int? Version = null, int? SessionsAttended = null);

/// <summary>
/// Service referrals through their life. Only the two parties read or move one: the referrer's
/// organisation and the provider's, and only while the young person is visible to them (the one
/// access policy decides, through <see cref="PersonAccess"/>). Every step is audited against the
/// young person, moves the provider's grant (<see cref="GrantRules.ServiceReferralMoved"/>) and
/// tells the other side.
/// </summary>
public sealed class ServiceReferrals(WaypointDbContext db, PersonAccess access, RecordAccess records, GrantRules grants, ServiceDirectory directory, INotifier notifier,
    CurrentUserSummary current, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Refers the young person to a service, or refuses with a message per field. The caller has opened the person for a grant.</summary>
    public async Task<(ServiceReferral? Referral, Dictionary<string, string> Errors)> SendAsync(OpenedPerson person, SendServiceReferral input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var service = await db.Set<Service>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == input.ServiceId, ct);
        if (service is null)
            errors["ServiceId"] = "Select a service from the directory";
        else if (service.QaStatus == ServiceQaStatus.Suspended)
            errors["ServiceId"] = $"{service.Name} is suspended and takes no referrals";
        if (FormText.Problem(input.Reason, ServiceReferral.MaxTextLength, "Say why the young person is referred", "The reason") is { } reasonProblem)
            errors["Reason"] = reasonProblem;
        if (input.Urgency is not { } urgency || !Enum.IsDefined(urgency))
            errors["Urgency"] = "Say how urgent the referral is";
        if (input.LawfulBasis is not { } basis || !Enum.IsDefined(basis))
            errors["LawfulBasis"] = "Select the lawful basis for sharing the young person's details with the provider";
        else if (basis == LawfulBasis.Consent && service is not null && !await ConsentGivenAsync(person.Id, input.ConsentRecordId, service.ProviderOrganisationId, ct))
            errors["ConsentRecordId"] = "Consent is the basis: select a current consent record, given, for sharing with the provider";
        string? overrideReason = null;
        if (service is not null && !errors.ContainsKey("ServiceId"))
        {
            if (Ineligible(service, person.Person) is { } why)
            {
                if (string.IsNullOrWhiteSpace(input.OverrideReason))
                    errors["ServiceId"] = $"{why}. A manager can send it anyway with a reason";
                else if (!await ReaderIsManagerAsync(ct))
                    errors["OverrideReason"] = $"{why}. Only a manager (an organisation administrator or the inclusion team) can send it anyway";
                else if (input.OverrideReason.Trim().Length > Service.MaxShortTextLength)
                    errors["OverrideReason"] = $"The reason must be {Service.MaxShortTextLength} characters or fewer";
                else
                    overrideReason = input.OverrideReason.Trim();
            }
            if (await db.Set<ServiceReferral>().AnyAsync(r => r.PersonId == person.Id && r.ServiceId == service.Id
                    && (r.Status == ServiceReferralStatus.Sent || r.Status == ServiceReferralStatus.Accepted || r.Status == ServiceReferralStatus.Waiting || r.Status == ServiceReferralStatus.Started), ct))
                errors["ServiceId"] = $"The young person already has an open referral to {service.Name}";
        }
        // A link to a case or a meeting decision only where the referrer sees it (the filters) and it is this young person's.
        if (input.CaseId is { } caseId && !await db.Cases.AnyAsync(c => c.Id == caseId && c.PersonId == person.Id, ct))
            errors["CaseId"] = "The case is not this young person's, or you cannot see it";
        if (input.AgendaItemId is { } itemId && !await db.Set<AgendaItem>().AnyAsync(i => i.Id == itemId && i.PersonId == person.Id, ct))
            errors["AgendaItemId"] = "The meeting decision is not about this young person, or you cannot see it";
        if (errors.Count > 0)
            return (null, errors);

        var now = clock.GetUtcNow();
        var referral = new ServiceReferral
        {
            PersonId = person.Id,
            ServiceId = service!.Id,
            ProviderOrganisationId = service.ProviderOrganisationId,
            ReferrerUserId = db.Reader.UserId,
            ReferrerOrganisationId = db.Reader.OrganisationId,
            CaseId = input.CaseId,
            AgendaItemId = input.AgendaItemId,
            Reason = input.Reason!.Trim(),
            Urgency = input.Urgency!.Value,
            LawfulBasis = input.LawfulBasis!.Value,
            ConsentRecordId = input.LawfulBasis == LawfulBasis.Consent ? input.ConsentRecordId : null,
            EligibilityOverrideReason = overrideReason,
            Status = ServiceReferralStatus.Sent,
            SentAt = now,
            UpdatedAt = now,
        };
        var grant = grants.GrantByProcess(person.Id, service.ProviderOrganisationId, InvolvementSource.ServiceReferral, referral.Id, $"referral to {service.Name}");
        referral.InvolvementId = grant.Id;
        db.Add(referral);
        await access.AuditWriteAsync(person.Id, AuditAction.Create,
            $"service-referral:sent {referral.Id} to {service.Id}{(overrideReason is null ? "" : " (eligibility overridden)")}", ct);
        await db.SaveChangesAsync(ct);
        await notifier.NotifyAsync(new Notice(await UsersOfAsync(service.ProviderOrganisationId, ct), "A referral is waiting for your organisation",
            $"A young person has been referred to {service.Name}. Accept, decline or put them on the waiting list.", $"/service-referrals/{referral.Id}", "service-referral"), ct);
        return (referral, errors);
    }

    /// <summary>
    /// The referral, for one of its two parties who may see the young person; null (a 404) for
    /// anyone else, audited as a refusal against the young person when the referral exists.
    /// Opened through <see cref="RecordAccess.OpenServiceReferralAsync"/>.
    /// </summary>
    public async Task<ServiceReferral?> OpenAsync(Guid id, string subject, CancellationToken ct) =>
        (await records.OpenServiceReferralAsync(id, subject, ct))?.Referral;

    public async Task<ServiceReferralView> ViewAsync(ServiceReferral r, CancellationToken ct)
    {
        var until = r.InvolvementId is { } grant
            ? await db.Involvements.AsNoTracking().Where(i => i.Id == grant).Select(i => i.EndDate).FirstOrDefaultAsync(ct)
            : null;
        return new ServiceReferralView(r.Id, r.PersonId, r.ServiceId, r.Service!.Name, r.ProviderOrganisationId, r.ReferrerOrganisationId, r.Status, r.Urgency,
            r.LawfulBasis, r.Reason, r.EligibilityOverrideReason, r.SentAt, r.DeclineReason, r.StartedOn, r.EndedOn, r.EndReason, r.Outcome, until ?? Today.AddDays(-1), r.SessionsAttended);
    }

    /// <summary>The steps each party may take from each state: the provider answers and runs the service; the referrer may withdraw before it ends.</summary>
    private static readonly Dictionary<string, (bool ByProvider, ServiceReferralStatus[] From, ServiceReferralStatus To)> Steps = new()
    {
        ["accept"] = (true, [ServiceReferralStatus.Sent], ServiceReferralStatus.Accepted),
        ["decline"] = (true, [ServiceReferralStatus.Sent, ServiceReferralStatus.Waiting], ServiceReferralStatus.Declined),
        ["wait"] = (true, [ServiceReferralStatus.Sent, ServiceReferralStatus.Accepted], ServiceReferralStatus.Waiting),
        ["start"] = (true, [ServiceReferralStatus.Accepted, ServiceReferralStatus.Waiting], ServiceReferralStatus.Started),
        ["end"] = (true, [ServiceReferralStatus.Started], ServiceReferralStatus.Ended),
        ["withdraw"] = (false, [ServiceReferralStatus.Sent, ServiceReferralStatus.Accepted, ServiceReferralStatus.Waiting], ServiceReferralStatus.Withdrawn),
    };

    public static IReadOnlyCollection<string> StepNames => Steps.Keys;

    /// <summary>Moves a referral one step, or says why not (field → message; "Status" when the step does not fit the referral or the reader's side).</summary>
    public async Task<Dictionary<string, string>> MoveAsync(ServiceReferral referral, string step, ServiceReferralStep input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!Steps.TryGetValue(step, out var rule))
        {
            errors["Status"] = "There is no such step";
            return errors;
        }
        var side = rule.ByProvider ? referral.ProviderOrganisationId : referral.ReferrerOrganisationId;
        if (side != db.Reader.OrganisationId)
        {
            errors["Status"] = rule.ByProvider ? "Only the service's provider takes this step" : "Only the referrer's organisation can withdraw the referral";
            return errors;
        }
        if (input.Version is { } shown && shown != referral.Version)
        {
            errors["Status"] = ChangedMeanwhile;
            return errors;
        }
        if (!rule.From.Contains(referral.Status))
        {
            errors["Status"] = $"A referral that is {Label(referral.Status)} cannot be {Label(rule.To)}";
            return errors;
        }
        var service = await db.Set<Service>().FirstAsync(s => s.Id == referral.ServiceId, ct);
        var today = Today;
        switch (rule.To)
        {
            case ServiceReferralStatus.Declined:
                if (FormText.Problem(input.Reason, ServiceReferral.MaxTextLength, "Say why the referral is declined", "The reason") is { } why)
                    errors["Reason"] = why;
                break;
            case ServiceReferralStatus.Started:
                if (input.On is not { } on)
                    errors["On"] = "Enter the date the young person started";
                else if (on > today)
                    errors["On"] = "The start date cannot be in the future";
                else if (on < DateOnly.FromDateTime(referral.SentAt.UtcDateTime))
                    errors["On"] = "The start date cannot be before the referral was sent";
                else if (service.Occupied >= service.Places)
                    errors["On"] = $"{service.Name} has no free place: end another placement or put the young person on the waiting list";
                break;
            case ServiceReferralStatus.Ended:
                if (input.On is not { } ended)
                    errors["On"] = "Enter the date the service ended";
                else if (ended > today)
                    errors["On"] = "The end date cannot be in the future";
                else if (referral.StartedOn is { } started && ended < started)
                    errors["On"] = "The end date cannot be before the start date";
                if (input.EndReason is not { } reason || !Enum.IsDefined(reason))
                    errors["EndReason"] = "Say why the service ended";
                if (input.EndReason == ServiceReferralEndReason.Completed && string.IsNullOrWhiteSpace(input.Outcome))
                    errors["Outcome"] = "Describe the outcome of a completed referral";
                else if ((input.Outcome?.Trim().Length ?? 0) > ServiceReferral.MaxTextLength)
                    errors["Outcome"] = $"The outcome must be {ServiceReferral.MaxTextLength} characters or fewer";
                if (input.SessionsAttended is < 0 or > ServiceReferral.MaxSessionsAttended)
                    errors["SessionsAttended"] = $"Sessions attended must be a whole number from 0 to {ServiceReferral.MaxSessionsAttended}";
                break;
        }
        if (errors.Count > 0)
            return errors;

        // Capacity follows the referrals: a start takes a place, an end frees it; the waiting list counts who waits.
        if (referral.Status == ServiceReferralStatus.Waiting)
            service.WaitingList = Math.Max(0, service.WaitingList - 1);
        if (referral.Status == ServiceReferralStatus.Started)
            service.Occupied = Math.Max(0, service.Occupied - 1);
        if (rule.To == ServiceReferralStatus.Waiting)
            service.WaitingList++;
        if (rule.To == ServiceReferralStatus.Started)
            service.Occupied++;

        var now = clock.GetUtcNow();
        referral.Status = rule.To;
        referral.UpdatedAt = now;
        referral.Version++;
        if (rule.To == ServiceReferralStatus.Accepted)
            referral.AcceptedAt = now;
        if (rule.To == ServiceReferralStatus.Waiting)
            referral.WaitingAt = now;
        if (rule.To == ServiceReferralStatus.Declined)
            referral.DeclinedAt = now;
        if (rule.To == ServiceReferralStatus.Declined)
            referral.DeclineReason = input.Reason!.Trim();
        if (rule.To == ServiceReferralStatus.Started)
            referral.StartedOn = input.On;
        if (rule.To == ServiceReferralStatus.Ended)
        {
            referral.EndedOn = input.On;
            referral.EndReason = input.EndReason;
            referral.Outcome = string.IsNullOrWhiteSpace(input.Outcome) ? null : input.Outcome.Trim();
            referral.SessionsAttended = input.SessionsAttended;
        }
        if (rule.To == ServiceReferralStatus.Withdrawn)
            referral.EndedOn = today;
        var grant = referral.InvolvementId is { } grantId ? await db.Involvements.FirstOrDefaultAsync(i => i.Id == grantId, ct) : null;
        if (grant is not null)
            grants.ServiceReferralMoved(grant, rule.To, referral.EndedOn);
        await access.AuditWriteAsync(referral.PersonId, AuditAction.Update, $"service-referral:{rule.To.ToString().ToLowerInvariant()} {referral.Id}", ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Another user of the same side moved it between this read and this save: nothing of this step is kept.
            db.ChangeTracker.Clear();
            errors["Status"] = ChangedMeanwhile;
            return errors;
        }

        var other = rule.ByProvider ? [referral.ReferrerUserId] : await UsersOfAsync(referral.ProviderOrganisationId, ct);
        await notifier.NotifyAsync(new Notice(other, $"A referral to a service was {Label(rule.To)}",
            $"The referral to {service.Name} was {Label(rule.To)}.", $"/service-referrals/{referral.Id}", "service-referral"), ct);
        return errors;
    }

    public const string ChangedMeanwhile = "This referral changed while you were looking at it: check where it stands now and try again";

    /// <summary>
    /// The reader's organisation's referrals, through the referral filter (so only those whose
    /// young person it may see): made to its services, to answer, waiting or active; and made by
    /// it, still open or ended in the last 30 days. The caller audits the young people listed.
    /// </summary>
    public async Task<ServiceReferralLists> ListsAsync(CancellationToken ct)
    {
        var org = db.Reader.OrganisationId;
        var since = clock.GetUtcNow().AddDays(-30);
        var rows = await db.Set<ServiceReferral>().AsNoTracking()
            .Where(r => (r.ProviderOrganisationId == org && (r.Status == ServiceReferralStatus.Sent || r.Status == ServiceReferralStatus.Accepted
                    || r.Status == ServiceReferralStatus.Waiting || r.Status == ServiceReferralStatus.Started))
                || (r.ReferrerOrganisationId == org && r.UpdatedAt >= since))
            .OrderBy(r => r.SentAt).Take(500)
            .Select(r => new
            {
                r.Id,
                r.PersonId,
                Child = r.Person!.GivenName + " " + r.Person.FamilyName,
                Service = r.Service!.Name,
                r.ProviderOrganisationId,
                Provider = db.Organisations.Where(o => o.Id == r.ProviderOrganisationId).Select(o => o.Name).FirstOrDefault(),
                Referrer = db.Organisations.Where(o => o.Id == r.ReferrerOrganisationId).Select(o => o.Name).FirstOrDefault(),
                r.ReferrerOrganisationId,
                r.Status,
                r.Urgency,
                r.SentAt,
                r.UpdatedAt,
            })
            .ToListAsync(ct);
        var incoming = rows.Where(r => r.ProviderOrganisationId == org).ToList();
        ServiceReferralRow In(Guid id, Guid personId, string child, string service, string? other, ServiceReferralStatus status, ServiceReferralUrgency urgency, DateTimeOffset sent, DateTimeOffset updated) =>
            new(id, personId, child, service, other ?? "", status, urgency, sent, updated);
        var toAnswer = incoming.Where(r => r.Status == ServiceReferralStatus.Sent || r.Status == ServiceReferralStatus.Accepted)
            .OrderByDescending(r => r.Urgency == ServiceReferralUrgency.Urgent).ThenBy(r => r.SentAt)
            .Select(r => In(r.Id, r.PersonId, r.Child, r.Service, r.Referrer, r.Status, r.Urgency, r.SentAt, r.UpdatedAt)).ToList();
        var waiting = incoming.Where(r => r.Status == ServiceReferralStatus.Waiting)
            .Select(r => In(r.Id, r.PersonId, r.Child, r.Service, r.Referrer, r.Status, r.Urgency, r.SentAt, r.UpdatedAt)).ToList();
        var active = incoming.Where(r => r.Status == ServiceReferralStatus.Started)
            .Select(r => In(r.Id, r.PersonId, r.Child, r.Service, r.Referrer, r.Status, r.Urgency, r.SentAt, r.UpdatedAt)).ToList();
        var sent = rows.Where(r => r.ReferrerOrganisationId == org).OrderByDescending(r => r.UpdatedAt)
            .Select(r => In(r.Id, r.PersonId, r.Child, r.Service, r.Provider, r.Status, r.Urgency, r.SentAt, r.UpdatedAt)).ToList();
        return new ServiceReferralLists(toAnswer, waiting, active, sent);
    }

    public static string Label(ServiceReferralStatus s) => s switch
    {
        ServiceReferralStatus.Sent => "sent",
        ServiceReferralStatus.Accepted => "accepted",
        ServiceReferralStatus.Waiting => "on the waiting list",
        ServiceReferralStatus.Started => "started",
        ServiceReferralStatus.Declined => "declined",
        ServiceReferralStatus.Ended => "ended",
        ServiceReferralStatus.Withdrawn => "withdrawn",
        ServiceReferralStatus.Lapsed => "lapsed unanswered",
        _ => s.ToString(),
    };

    /// <summary>Why the young person is outside the service's eligibility on the day, or null when inside it.</summary>
    private string? Ineligible(Service service, Person person)
    {
        if (person.DateOfBirth is not { } born || (service.MinimumAge is null && service.MaximumAge is null))
            return null;
        var age = Ages.On(born, Today);
        if (service.MinimumAge is { } min && age < min || service.MaximumAge is { } max && age > max)
            return $"{service.Name} is for ages {ServiceLabels.Ages(service.MinimumAge, service.MaximumAge).ToLowerInvariant()}; the young person is {age}";
        return null;
    }

    private async Task<bool> ReaderIsManagerAsync(CancellationToken ct) =>
        (await current.GetAsync())?.IsOrganisationAdmin == true || await directory.ReaderMaintainsDirectoryAsync(ct);

    private async Task<bool> ConsentGivenAsync(Guid personId, Guid? consentId, Guid providerId, CancellationToken ct)
    {
        if (consentId is not { } id)
            return false;
        var today = Today;
        return await db.ConsentRecords.AnyAsync(c => c.Id == id && c.PersonId == personId && c.ForOrganisationId == providerId
            && c.Outcome == ConsentOutcome.Given && (c.ExpiresOn == null || c.ExpiresOn >= today), ct);
    }

    private async Task<IReadOnlyCollection<Guid>> UsersOfAsync(Guid organisationId, CancellationToken ct) =>
        await db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId && u.IsActive).OrderBy(u => u.DisplayName).Select(u => u.Id).Take(50).ToListAsync(ct);
}
