using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;

namespace Waypoint.Features.Referrals;

/// <summary>What a practitioner reports about a child.</summary>
public sealed record ConcernReport(IReadOnlyCollection<ConcernCategory> Categories, string? WhatIsKnown, bool? ImmediateRisk, LawfulBasis? LawfulBasis);

/// <summary>The hub's decision on a report; a case is opened for early help and targeted support.</summary>
public sealed record TriageDecision(TriageOutcome? Outcome, string? Rationale, Guid? LeadOrganisationId);

/// <summary>Saved, with its id, or the message for each field that is wrong (then nothing was saved).</summary>
public sealed record TriageResult(Guid? Id, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Id is not null;
}

public static class TriageLabels
{
    public static string Describe(ConcernCategory category) => category switch
    {
        ConcernCategory.RiskOfExclusion => "Risk of exclusion from school",
        ConcernCategory.GangInvolvementOrExploitation => "Gang involvement or exploitation",
        ConcernCategory.DomesticAbuseAtHome => "Domestic abuse at home",
        ConcernCategory.MissingEpisodes => "Missing episodes",
        ConcernCategory.MentalHealth => "Mental health",
        ConcernCategory.Neglect => "Neglect",
        _ => "Other",
    };

    public static string Describe(TriageOutcome outcome) => outcome switch
    {
        TriageOutcome.NoFurtherAction => "No further action",
        TriageOutcome.AdviceOrSignposting => "Advice or signposting",
        TriageOutcome.EarlyHelp => "Early help (opens a case)",
        TriageOutcome.TargetedSupport => "Targeted support (opens a case)",
        TriageOutcome.StepUpToChildrensSocialCare => "Step up to children's social care",
        _ => "Single-agency response",
    };

    public static bool OpensCase(TriageOutcome outcome) => outcome is TriageOutcome.EarlyHelp or TriageOutcome.TargetedSupport;
}

/// <summary>
/// Reports into the hub and the hub's decisions. Each is one save: the report with the reporter's
/// involvement, or the decision with the case and the lead's involvement. Both are audited, and
/// the people who must act are told (the hub of a new report; the reporter of the outcome).
/// </summary>
public sealed class Triage(WaypointDbContext db, AuditTrail audit, GrantRules grants, INotifier notifier, TimeProvider clock)
{
    /// <summary>Working days the hub has to decide, as the partnership admin set it (/admin/triage).</summary>
    public async Task<int> DecisionWorkingDaysAsync(CancellationToken ct) =>
        await db.TriageSettings.AsNoTracking().Select(s => (int?)s.DecisionWorkingDays).FirstOrDefaultAsync(ct) ?? TriageSettings.DefaultDecisionWorkingDays;

    /// <summary>The time a decision is due: so many working days on, weekends skipped (bank holidays are not known here).</summary>
    public static DateTimeOffset AddWorkingDays(DateTimeOffset from, int days)
    {
        var due = from;
        while (days > 0)
        {
            due = due.AddDays(1);
            if (due.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday))
                days--;
        }
        return due;
    }

    public static Dictionary<string, string> Validate(ConcernReport report)
    {
        var errors = new Dictionary<string, string>();
        if (report.Categories.Count == 0)
            errors["Categories"] = "Select what the concern is about";
        if (string.IsNullOrWhiteSpace(report.WhatIsKnown))
            errors["WhatIsKnown"] = "Say what is known";
        else if (report.WhatIsKnown.Length > Referral.MaxWhatIsKnownLength)
            errors["WhatIsKnown"] = $"What is known must be {Referral.MaxWhatIsKnownLength:N0} characters or fewer";
        if (report.ImmediateRisk is null)
            errors["ImmediateRisk"] = "Say whether the child is at immediate risk";
        if (report.LawfulBasis is null)
            errors["LawfulBasis"] = "Select your lawful basis for sharing this with the hub";
        return errors;
    }

    /// <summary>Reports a concern about a person the reader can see (the caller has opened them through the policy).</summary>
    public async Task<TriageResult> ReportAsync(Person person, ConcernReport report, CancellationToken ct)
    {
        var errors = Validate(report);
        if (errors.Count > 0)
            return new TriageResult(null, errors);
        var reader = db.Reader;
        var now = clock.GetUtcNow();
        var referral = new Referral
        {
            PersonId = person.Id,
            ReporterUserId = reader.UserId,
            ReporterOrganisationId = reader.OrganisationId,
            AreaId = person.AreaId,
            Categories = string.Join(",", report.Categories.Distinct().Order()),
            WhatIsKnown = report.WhatIsKnown!.Trim(),
            ImmediateRisk = report.ImmediateRisk!.Value,
            LawfulBasis = report.LawfulBasis,
            ReportedAt = now,
            DecisionDueBy = report.ImmediateRisk.Value ? now : AddWorkingDays(now, await DecisionWorkingDaysAsync(ct)),
            Status = ReferralStatus.AwaitingTriage,
        };
        db.Referrals.Add(referral);
        grants.GrantByProcess(person.Id, reader.OrganisationId, InvolvementSource.Referral, referral.Id, "Reported a concern to the early-intervention hub");
        await audit.RecordAsync(new AuditEvent(person.Id, AuditAction.Create, "referral", "reporter"), ct);
        await db.SaveChangesAsync(ct);
        await notifier.NotifyAsync(new Notice(await HubUsersAsync(person.AreaId, ct),
            referral.ImmediateRisk ? "An urgent child-concern report is waiting for triage" : "A new child-concern report is waiting for triage",
            $"Reported by {await OrganisationNameAsync(reader.OrganisationId, ct)}; a decision is due by {referral.DecisionDueBy:d MMMM HH:mm}.",
            $"/referrals/{referral.Id}", "referral"), ct);
        return new TriageResult(referral.Id, new Dictionary<string, string>());
    }

    /// <summary>Decides on a report the reader's hub grant covers.</summary>
    public async Task<TriageResult> DecideAsync(OpenedReferral opened, TriageDecision decision, CancellationToken ct)
    {
        var referral = opened.Referral;
        var errors = new Dictionary<string, string>();
        if (referral.Status == ReferralStatus.Decided)
            errors["Outcome"] = "This report has already been decided";
        if (decision.Outcome is null)
            errors["Outcome"] = "Select a decision";
        if (string.IsNullOrWhiteSpace(decision.Rationale))
            errors["Rationale"] = "Give the rationale for the decision";
        else if (decision.Rationale.Length > Referral.MaxRationaleLength)
            errors["Rationale"] = $"The rationale must be {Referral.MaxRationaleLength:N0} characters or fewer";
        var opensCase = decision.Outcome is { } o && TriageLabels.OpensCase(o);
        if (opensCase && (decision.LeadOrganisationId is not { } lead || !await db.Organisations.AnyAsync(x => x.Id == lead, ct)))
            errors["LeadOrganisationId"] = "Select the organisation that will lead the case";
        if (referral.Status != ReferralStatus.Decided && !opened.Allows(RecordOperationKind.Decide))
            errors["Outcome"] = "Only the hub for the child's area decides on this report";
        if (errors.Count > 0)
            return new TriageResult(null, errors);

        var reader = db.Reader;
        var now = clock.GetUtcNow();
        referral.Status = ReferralStatus.Decided;
        referral.Outcome = decision.Outcome;
        referral.Rationale = decision.Rationale!.Trim();
        referral.DecidedByUserId = reader.UserId;
        referral.DecidedAt = now;
        if (opensCase)
        {
            var @case = new Case
            {
                PersonId = referral.PersonId,
                LeadOrganisationId = decision.LeadOrganisationId!.Value,
                Level = decision.Outcome!.Value,
                Status = CaseStatus.Open,
                ReferralId = referral.Id,
                OpenedAt = now,
                OpenedByUserId = reader.UserId,
            };
            db.Cases.Add(@case);
            db.CaseEvents.Add(new CaseEvent { CaseId = @case.Id, Text = $"Opened by the hub: {TriageLabels.Describe(@case.Level)}", ByUserId = reader.UserId, At = now });
            referral.CaseId = @case.Id;
            grants.GrantByProcess(referral.PersonId, @case.LeadOrganisationId, InvolvementSource.TeamAroundFamily, @case.Id, "Leads the child's case");
        }
        db.Update(referral);
        await audit.RecordAsync(new AuditEvent(referral.PersonId, AuditAction.Update, "referral.decision", "partnership role"), ct);
        await db.SaveChangesAsync(ct);
        await notifier.NotifyAsync(new Notice([referral.ReporterUserId], "The hub has decided on a concern you reported",
            $"Decision: {TriageLabels.Describe(decision.Outcome!.Value)}.", $"/referrals/{referral.Id}", "referral-outcome"), ct);
        return new TriageResult(referral.Id, new Dictionary<string, string>());
    }

    /// <summary>
    /// The reports the reader decides on, urgent first and then soonest due: those awaiting a decision
    /// in areas their current triage grant covers (a reporter sees their own reports, but not here).
    /// </summary>
    public IQueryable<Referral> Queue() =>
        Triageable().Where(r => r.Status == ReferralStatus.AwaitingTriage)
            .OrderByDescending(r => r.ImmediateRisk).ThenBy(r => r.DecisionDueBy);

    /// <summary>The queue is read whole, in its order, when it holds no more than this many reports (counted in the database past it).</summary>
    public const int QueueReadBound = 1_000;

    /// <summary>
    /// The queue read once, in its order, up to one past <see cref="QueueReadBound"/>: its count, how many are overdue, the
    /// next due and the top few, for home and My work alike. One statement text for both pages, so a pooled connection that
    /// has prepared it for one reuses it for the other. No names: a join to the filtered People for every report took twice
    /// as long as the queue itself (issue 18); the page names the few it shows. My work once counted the queue in the
    /// database with its open cases in the same statement: PostgreSQL planned that statement afresh on every call (4.8 ms of
    /// planning and 11.9 of execution a visit at county scale under load, against 3.9 and no planning for this read; wave 24d).
    /// <para>
    /// Kept per reader (<see cref="ReaderKey"/>) until the next write this process makes through EF and at most
    /// <see cref="QueueKept"/>: the Referral filter asked of each report (a People probe each, 300 a visit for a county hub:
    /// 3–5 ms on home, My work and the hub; issue 18) is asked again only when something was written. What is kept is the
    /// reports' ids and dates, the reader's alone; each page names the few it shows through the Person filter (home) or
    /// reads them again by id through the Referral filter (the hub), so a report hidden since is never shown, only counted
    /// until the next write or the bound.
    /// </para>
    /// </summary>
    public Task<IReadOnlyList<QueuedReport>> QueueHeadAsync(CancellationToken ct) =>
        Heads.GetAsync(ReaderKey(), clock, async () => (IReadOnlyList<QueuedReport>)await Queue().Take(QueueReadBound + 1)
            .Select(r => new QueuedReport(r.Id, r.PersonId, r.ImmediateRisk, r.DecisionDueBy)).ToListAsync(ct), KeptFor);

    /// <summary>
    /// What a reader's queue depends on besides the database's rows: the reader (user, organisation, its type, system or
    /// aggregates only), the database (the tests run several in one process) and the day (a triage grant, an enrolment or an
    /// involvement starts or ends with a date).
    /// </summary>
    internal (Reader Reader, string Database, DateOnly Today) ReaderKey() =>
        (db.Reader, db.Database.GetConnectionString() ?? "", DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));

    /// <summary>Kept only for a signed-in reader who is a person, not the system.</summary>
    internal bool KeptFor<TValue>(TValue _) => !db.Reader.IsSystem && db.Reader.UserId != Guid.Empty;

    /// <summary>How long a reader's queue is kept when nothing is written (a write by another process, a break-glass grant lapsing).</summary>
    public static readonly TimeSpan QueueKept = TimeSpan.FromSeconds(30);

    /// <summary>Each reader's queue head (up to 1,001 reports); past 500 readers all are forgotten.</summary>
    private static readonly KeptUntilWrite<(Reader, string, DateOnly), IReadOnlyList<QueuedReport>> Heads = new(QueueKept, most: 500);

    /// <summary>
    /// Every report, awaiting a decision or decided, in areas the reader's current triage grant
    /// covers: the hub queue's filters choose among these (a reporter's own reports are not here).
    /// </summary>
    public IQueryable<Referral> Triageable()
    {
        var userId = db.Reader.UserId;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return db.Referrals.AsNoTracking()
            .Where(r => db.Areas.Any(a => a.Id == r.AreaId && db.PartnershipRoleGrants.Any(g => g.UserId == userId && g.Function == PartnershipFunction.HubTriage
                && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today)
                && (g.AreaId == a.Id || g.AreaId == a.ParentId || g.AreaId == a.Parent!.ParentId))));
    }

    /// <summary>Whether the reader holds a current hub triage grant covering the area.</summary>
    public Task<bool> CanTriageAsync(Guid areaId, CancellationToken ct) =>
        AccessPolicy.CoversAreaAsync(db, PartnershipFunction.HubTriage, areaId, ct);

    private async Task<List<Guid>> HubUsersAsync(Guid areaId, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var areas = await db.Areas.Where(a => a.Id == areaId).Select(a => new[] { (Guid?)a.Id, a.ParentId, a.Parent!.ParentId }).FirstOrDefaultAsync(ct) ?? [];
        var ids = areas.OfType<Guid>().ToList();
        return await db.PartnershipRoleGrants.Where(g => g.Function == PartnershipFunction.HubTriage && ids.Contains(g.AreaId)
                && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => g.UserId).Distinct().ToListAsync(ct);
    }

    private Task<string> OrganisationNameAsync(Guid id, CancellationToken ct) =>
        db.Organisations.Where(o => o.Id == id).Select(o => o.Name).FirstAsync(ct);
}

/// <summary>A report awaiting triage as the queue's head carries it: no name (the page names the few it shows).</summary>
public sealed record QueuedReport(Guid Id, Guid PersonId, bool ImmediateRisk, DateTimeOffset DecisionDueBy);
