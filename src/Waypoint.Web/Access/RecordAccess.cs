using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>The operations on a record of a person's (a case, a report to the hub, an alert) that pages and services ask for by name.</summary>
public enum RecordOperationKind
{
    /// <summary>See the record (what the agreement lets flow within it).</summary>
    Read,

    /// <summary>Add to it: a case's notes, actions and goals; an alert's acknowledgement, assignment, notes and closure.</summary>
    Write,

    /// <summary>Change who works on it and its state: a case's team, lead practitioner, plan, reviews, closure, offers of the lead, step up.</summary>
    Manage,

    /// <summary>Accept or decline the lead of a case offered to the reader's organisation.</summary>
    AnswerOffer,

    /// <summary>Step a case down from children's social care to early help.</summary>
    StepDown,

    /// <summary>Decide on a report awaiting triage.</summary>
    Decide,
}

/// <summary>A named operation on an opened record, decided by <see cref="OpenedRecordHandler"/> (resource-based authorization).</summary>
public sealed class RecordOperation(RecordOperationKind kind) : IAuthorizationRequirement
{
    public RecordOperationKind Kind { get; } = kind;

    public override string ToString() => Kind.ToString();
}

public static class RecordOperations
{
    public static readonly RecordOperation Read = new(RecordOperationKind.Read);
    public static readonly RecordOperation Write = new(RecordOperationKind.Write);
    public static readonly RecordOperation Manage = new(RecordOperationKind.Manage);
    public static readonly RecordOperation AnswerOffer = new(RecordOperationKind.AnswerOffer);
    public static readonly RecordOperation StepDown = new(RecordOperationKind.StepDown);
    public static readonly RecordOperation Decide = new(RecordOperationKind.Decide);
}

/// <summary>
/// A record the reader has opened through the policy: its person opened (and the read audited)
/// with it, and the reader's standing towards the record found once. Only <see cref="RecordAccess"/>
/// makes one (the constructors are private), so a service that takes an opened record knows the
/// caller has checked, as with <see cref="OpenedPerson"/>.
/// </summary>
public abstract class OpenedRecord(OpenedPerson person)
{
    public OpenedPerson Person { get; } = person;
    public Guid PersonId => Person.Id;

    /// <summary>The rule: whether the reader's standing allows the operation on this record.</summary>
    public abstract bool Allows(RecordOperationKind kind);
}

/// <summary>The reader's standing towards a case, found when it is opened.</summary>
[Flags]
public enum CaseStanding
{
    None = 0,
    Lead = 1,
    Member = 2,
    Hub = 4,
    OfferedLead = 8,
    SteppedUpTo = 16,
    System = 32,
}

public sealed class OpenedCase : OpenedRecord
{
    private OpenedCase(Case @case, OpenedPerson person, CaseStanding standing) : base(person)
    {
        Case = @case;
        Standing = standing;
    }

    /// <summary>The case as read (not tracked): services load it again to change it.</summary>
    public Case Case { get; }
    public CaseStanding Standing { get; }
    public Guid Id => Case.Id;
    public Guid LeadOrganisationId => Case.LeadOrganisationId;
    public CaseStatus Status => Case.Status;
    public DateTimeOffset OpenedAt => Case.OpenedAt;
    public bool SteppedUp => Case.Status == CaseStatus.Closed && Case.ClosureReason == CaseClosureReason.SteppedUp;

    private bool Is(CaseStanding any) => (Standing & (any | CaseStanding.System)) != 0;

    /// <summary>
    /// Anyone who may see the case reads it; its lead, team and the hub add to it; the lead and the
    /// hub manage it; an agency offered the lead reads it and answers the offer, nothing more; the
    /// social care team it was stepped up to, or the hub, steps it down.
    /// </summary>
    public override bool Allows(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Read => true,
        RecordOperationKind.Write => Is(CaseStanding.Lead | CaseStanding.Member | CaseStanding.Hub),
        RecordOperationKind.Manage => Is(CaseStanding.Lead | CaseStanding.Hub),
        RecordOperationKind.AnswerOffer => Is(CaseStanding.OfferedLead),
        RecordOperationKind.StepDown => SteppedUp && Is(CaseStanding.SteppedUpTo | CaseStanding.Hub),
        _ => false,
    };

    internal static OpenedCase Make(Case @case, OpenedPerson person, CaseStanding standing) => new(@case, person, standing);
}

public sealed class OpenedReferral : OpenedRecord
{
    private OpenedReferral(Referral referral, OpenedPerson person, bool reporter, bool hub, bool system) : base(person)
    {
        Referral = referral;
        IsReporter = reporter;
        IsHub = hub;
        IsSystem = system;
    }

    public Referral Referral { get; }
    public Guid Id => Referral.Id;
    public bool IsReporter { get; }

    /// <summary>Whether a current hub-triage function of the reader covers the area the report was made for.</summary>
    public bool IsHub { get; }
    private bool IsSystem { get; }

    /// <summary>The reporter and the hub read a report; only the hub for its area decides on it, once.</summary>
    public override bool Allows(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Read => true,
        RecordOperationKind.Decide => (IsHub || IsSystem) && Referral.Status == ReferralStatus.AwaitingTriage,
        _ => false,
    };

    internal static OpenedReferral Make(Referral referral, OpenedPerson person, bool reporter, bool hub, bool system) => new(referral, person, reporter, hub, system);
}

public sealed class OpenedAlert : OpenedRecord
{
    private OpenedAlert(Alert alert, OpenedPerson person, bool addressee) : base(person)
    {
        Alert = alert;
        IsAddressee = addressee;
    }

    public Alert Alert { get; }
    public Guid Id => Alert.Id;

    /// <summary>Whether the alert is addressed to the reader's organisation (<see cref="AccessPolicy.AlertAddressedToReaderAsync"/>).</summary>
    public bool IsAddressee { get; }

    /// <summary>Everyone the agreement lets read an alert reads it; those it is addressed to act on it.</summary>
    public override bool Allows(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Read => true,
        RecordOperationKind.Write => IsAddressee,
        _ => false,
    };

    internal static OpenedAlert Make(Alert alert, OpenedPerson person, bool addressee) => new(alert, person, addressee);
}

/// <summary>Decides the named operations on an opened record through ASP.NET Core authorization (the record's own rule).</summary>
public sealed class OpenedRecordHandler : AuthorizationHandler<RecordOperation, OpenedRecord>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, RecordOperation requirement, OpenedRecord resource)
    {
        if (resource.Allows(requirement.Kind))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The gate for cases, reports and alerts: opens one through the filters (a record the reader may
/// not see is null, a 404 for the caller, with a Denied row against its person), opens its person
/// with it (the read audited) and finds the reader's standing towards it once.
/// </summary>
public sealed class RecordAccess(WaypointDbContext db, AuditTrail audit, PersonAccess people)
{
    public async Task<OpenedCase?> OpenCaseAsync(Guid id, string subject, CancellationToken ct = default)
    {
        // The case with the reader's two standings that need a look at other records (in its team; offered its lead), in
        // one statement through the Case, Involvement and CaseTransfer filters, where they were three (issue 18).
        var reader = db.Reader;
        var today = db.Today;
        var read = await db.Cases.AsNoTracking().Where(c => c.Id == id).Select(c => new
        {
            Case = c,
            // In the team: a current involvement with the child that the case gave the organisation (joining gives one, leaving ends it).
            Member = db.Involvements.Any(i => i.SourceId == c.Id && i.PersonId == c.PersonId && i.OrganisationId == reader.OrganisationId
                && i.Source == InvolvementSource.TeamAroundFamily && i.StartDate <= today && (i.EndDate == null || i.EndDate >= today)),
            Offered = db.CaseTransfers.Any(t => t.CaseId == c.Id && t.Status == CaseTransferStatus.Pending && t.ToOrganisationId == reader.OrganisationId),
        }).FirstOrDefaultAsync(ct);
        var @case = read?.Case;
        if (@case is null)
        {
            await DenyAsync(db.Unfiltered<Case>("the child of a refused case, for the refusal's audit row alone").Where(c => c.Id == id).Select(c => (Guid?)c.PersonId),
                subject, "case", "no relationship to this case", ct);
            return null;
        }
        if (await people.OpenExplainedAsync(@case.PersonId, subject, ct) is not { } person)
            return null;
        var standing = CaseStanding.None;
        if (reader.IsSystem)
            standing |= CaseStanding.System;
        if (@case.LeadOrganisationId == reader.OrganisationId)
            standing |= CaseStanding.Lead;
        if (read!.Member)
            standing |= CaseStanding.Member;
        if (person.Bases.Any(b => b.Function == PartnershipFunction.HubTriage))
            standing |= CaseStanding.Hub;
        if (read.Offered)
            standing |= CaseStanding.OfferedLead;
        if (@case.SteppedUpToOrganisationId == reader.OrganisationId)
            standing |= CaseStanding.SteppedUpTo;
        return OpenedCase.Make(@case, person, standing);
    }

    public async Task<OpenedReferral?> OpenReferralAsync(Guid id, string subject, CancellationToken ct = default)
    {
        var referral = await db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null)
        {
            await DenyAsync(db.Unfiltered<Referral>("the child of a refused report, for the refusal's audit row alone").Where(r => r.Id == id).Select(r => (Guid?)r.PersonId),
                subject, "report", "no relationship to this report", ct);
            return null;
        }
        if (await people.OpenExplainedAsync(referral.PersonId, subject, ct) is not { } person)
            return null;
        var hub = await AccessPolicy.CoversAreaAsync(db, PartnershipFunction.HubTriage, referral.AreaId, ct);
        return OpenedReferral.Make(referral, person, referral.ReporterOrganisationId == db.Reader.OrganisationId, hub, db.ReaderIsSystem);
    }

    public async Task<OpenedAlert?> OpenAlertAsync(Guid id, string subject, CancellationToken ct = default)
    {
        var alert = await db.Alerts.AsNoTracking().FirstOrDefaultAsync(a => a.Id == id, ct);
        if (alert is null)
        {
            await DenyAsync(db.Unfiltered<Alert>("the pupil of a refused alert, for the refusal's audit row alone").Where(a => a.Id == id).Select(a => (Guid?)a.PersonId),
                $"{subject} {id}", "alert", "no relationship", ct);
            return null;
        }
        if (await people.OpenExplainedAsync(alert.PersonId, subject, ct) is not { } person)
            return null;
        return OpenedAlert.Make(alert, person, await AccessPolicy.AlertAddressedToReaderAsync(db, alert, ct));
    }

    /// <summary>
    /// The refusal's audit row, against the record's person where it has one (as a refused person is
    /// recorded by the id asked for). The policy hid the record: its person is looked up past it for
    /// the row alone, and nothing of it is shown.
    /// </summary>
    private async Task DenyAsync(IQueryable<Guid?> personOfRecord, string subject, string kind, string detail, CancellationToken ct)
    {
        var personId = await personOfRecord.FirstOrDefaultAsync(ct);
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Denied, subject, personId is null ? $"no such {kind}" : detail), ct);
    }

    /// <summary>
    /// A service referral for one of its two sides (the referrer's organisation, the service's
    /// provider) while it may see the young person: the referral's filter decides, a hidden one is
    /// null (a 404) with a Denied row against its young person. Loaded tracked, with its service,
    /// for the step that follows.
    /// </summary>
    public async Task<OpenedServiceReferral?> OpenServiceReferralAsync(Guid id, string subject, CancellationToken ct = default)
    {
        var referral = await db.Set<ServiceReferral>().Include(r => r.Service).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (referral is null)
        {
            await DenyAsync(db.Unfiltered<ServiceReferral>("the young person of a refused service referral, for the refusal's audit row alone").Where(r => r.Id == id).Select(r => (Guid?)r.PersonId),
                subject, "service referral", "no relationship to this referral", ct);
            return null;
        }
        if (await people.OpenExplainedAsync(referral.PersonId, subject, ct) is not { } person)
            return null;
        var org = db.Reader.OrganisationId;
        return OpenedServiceReferral.Make(referral, person, referral.ProviderOrganisationId == org, referral.ReferrerOrganisationId == org);
    }
}

/// <summary>A service referral opened through <see cref="RecordAccess"/>: both sides read it and take their own steps (the steps' own rules say which).</summary>
public sealed class OpenedServiceReferral : OpenedRecord
{
    private OpenedServiceReferral(ServiceReferral referral, OpenedPerson person, bool provider, bool referrer) : base(person)
    {
        Referral = referral;
        IsProvider = provider;
        IsReferrer = referrer;
    }

    /// <summary>The referral, tracked, with its service.</summary>
    public ServiceReferral Referral { get; }
    public Guid Id => Referral.Id;
    public bool IsProvider { get; }
    public bool IsReferrer { get; }

    public override bool Allows(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Read => true,
        RecordOperationKind.Write => IsProvider || IsReferrer,
        _ => false,
    };

    internal static OpenedServiceReferral Make(ServiceReferral referral, OpenedPerson person, bool provider, bool referrer) => new(referral, person, provider, referrer);
}
