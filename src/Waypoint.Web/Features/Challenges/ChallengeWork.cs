using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Shell;

namespace Waypoint.Features.Challenges;

/// <summary>A record of a person's that the reader can see and a challenge may name; <see cref="Key"/> is what the form posts.</summary>
public sealed record ChallengeableRecord(string Key, string Label, ChallengedRecord Kind, Guid RecordId, string? Field, Guid OwnerOrganisationId);

/// <summary>A challenge as the banner shows it beside the record: open, or resolved with the person's statement kept.</summary>
public sealed record ChallengeNotice(Guid Id, ChallengeKind Kind, string Record, string RaisedBy, string Statement, DateOnly RaisedOn,
    ChallengeOutcome Outcome, string? Response, string Owner);

/// <summary>A row of the open-challenges list: register id and what kind of record, never the statement.</summary>
public sealed record OpenChallengeRow(Guid Id, Guid PersonId, ChallengeKind Kind, ChallengedRecord RecordKind, string? Field, DateOnly RaisedOn, string Owner);

/// <summary>
/// Rectification and objection (UK GDPR articles 16 and 21): a person's challenge is recorded against
/// one record by someone who can see it, shown with the record to everyone who can see the record,
/// and resolved by the organisation that owns the record only: corrected (the record changed, its
/// copies with it, the challenge keeping what it said before) or kept with the person's statement
/// shown beside it; an objection upheld restricts the person's processing.
/// </summary>
public sealed class ChallengeWork(WaypointDbContext db, TimeProvider clock)
{
    /// <summary>The register fields a challenge can name, with how the page calls them.</summary>
    public static readonly IReadOnlyList<(string Field, string Label)> RegisterFields =
    [
        (nameof(Person.GivenName), "first name"),
        (nameof(Person.FamilyName), "last name"),
        (nameof(Person.PreferredName), "preferred name"),
        (nameof(Person.DateOfBirth), "date of birth"),
    ];

    private const int PerKind = 50;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public static string Describe(ChallengedRecord kind, string? field) => kind switch
    {
        ChallengedRecord.RegisterEntry => $"Register entry: {RegisterFields.FirstOrDefault(f => f.Field == field).Label ?? "details"}",
        ChallengedRecord.BehaviourIncident => "Behaviour incident",
        ChallengedRecord.ConcernReport => "Concern reported to the hub",
        ChallengedRecord.CaseNote => "Case note",
        ChallengedRecord.PoliceFlag => "Police flag",
        _ => kind.ToString(),
    };

    public static string Describe(ChallengeOutcome outcome) => outcome switch
    {
        ChallengeOutcome.Open => "Open",
        ChallengeOutcome.Corrected => "Corrected",
        ChallengeOutcome.KeptWithStatement => "Kept, with the person's statement",
        ChallengeOutcome.ObjectionUpheld => "Objection upheld: processing restricted",
        ChallengeOutcome.ObjectionNotUpheld => "Objection not upheld, with the person's statement",
        _ => outcome.ToString(),
    };

    /// <summary>The person's records the reader can see (the policy's filters decide), most recent first.</summary>
    public async Task<List<ChallengeableRecord>> ChallengeableAsync(Person person, CancellationToken ct)
    {
        var records = RegisterFields
            .Select(f => new ChallengeableRecord($"register:{f.Field}", Describe(ChallengedRecord.RegisterEntry, f.Field), ChallengedRecord.RegisterEntry, person.Id, f.Field, person.OwnerOrganisationId))
            .ToList();
        var incidents = await db.BehaviourIncidents.AsNoTracking().Where(b => b.PersonId == person.Id).OrderByDescending(b => b.OccurredOn).Take(PerKind)
            .Select(b => new { b.Id, b.OccurredOn, b.SchoolId, School = b.School!.Name }).ToListAsync(ct);
        records.AddRange(incidents.Select(b => new ChallengeableRecord($"behaviour:{b.Id}", $"Behaviour incident on {b.OccurredOn:d MMMM yyyy} ({b.School})", ChallengedRecord.BehaviourIncident, b.Id, null, b.SchoolId)));
        var reports = await db.Referrals.AsNoTracking().Where(r => r.PersonId == person.Id).OrderByDescending(r => r.ReportedAt).Take(PerKind)
            .Select(r => new { r.Id, r.ReportedAt, r.ReporterOrganisationId, Reporter = r.ReporterOrganisation!.Name }).ToListAsync(ct);
        records.AddRange(reports.Select(r => new ChallengeableRecord($"report:{r.Id}", $"Concern reported on {r.ReportedAt:d MMMM yyyy} ({r.Reporter})", ChallengedRecord.ConcernReport, r.Id, null, r.ReporterOrganisationId)));
        var notes = await db.CaseNotes.AsNoTracking().Where(n => n.PersonId == person.Id).OrderByDescending(n => n.At).Take(PerKind)
            .Select(n => new { n.Id, n.At, n.OwnerOrganisationId, Owner = n.OwnerOrganisation!.Name }).ToListAsync(ct);
        records.AddRange(notes.Select(n => new ChallengeableRecord($"note:{n.Id}", $"Case note of {n.At:d MMMM yyyy} ({n.Owner})", ChallengedRecord.CaseNote, n.Id, null, n.OwnerOrganisationId)));
        var flags = await db.PersonFlags.AsNoTracking().Where(f => f.PersonId == person.Id).OrderByDescending(f => f.SetAt).Take(PerKind)
            .Select(f => new { f.Id, f.SetAt, f.Kind, f.OwnerOrganisationId, Owner = f.OwnerOrganisation!.Name }).ToListAsync(ct);
        records.AddRange(flags.Select(f => new ChallengeableRecord($"flag:{f.Id}", $"Police flag set on {f.SetAt:d MMMM yyyy} ({f.Owner})", ChallengedRecord.PoliceFlag, f.Id, null, f.OwnerOrganisationId)));
        return records;
    }

    /// <summary>Records a challenge against one of the person's records the reader can see; the errors, keyed by field, or none.</summary>
    public async Task<(Dictionary<string, string> Errors, RecordChallenge? Challenge)> RaiseAsync(Person person, string? recordKey, ChallengeKind? kind,
        string? raisedBy, string? statement, DateOnly? raisedOn, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var record = string.IsNullOrEmpty(recordKey) ? null : (await ChallengeableAsync(person, ct)).FirstOrDefault(r => r.Key == recordKey);
        if (record is null)
            errors["RecordKey"] = "Select the record the person challenges";
        if (kind is null || !Enum.IsDefined(kind.Value))
            errors["Kind"] = "Select whether the person says the record is wrong or objects to its use";
        if (string.IsNullOrWhiteSpace(raisedBy))
            errors["RaisedBy"] = "Enter who raised the challenge";
        else if (raisedBy.Trim().Length > RecordChallenge.MaxRaisedByLength)
            errors["RaisedBy"] = $"Who raised it must be {RecordChallenge.MaxRaisedByLength} characters or fewer";
        if (string.IsNullOrWhiteSpace(statement))
            errors["Statement"] = "Enter what the person says is wrong, or why they object, in their words";
        else if (statement.Trim().Length > RecordChallenge.MaxStatementLength)
            errors["Statement"] = $"The statement must be {RecordChallenge.MaxStatementLength} characters or fewer";
        if (raisedOn is null && !errors.ContainsKey("RaisedOn"))
            errors["RaisedOn"] = "Enter the date the person raised it";
        if (errors.Count == 0 && await db.RecordChallenges.AnyAsync(c => c.RecordKind == record!.Kind && c.RecordId == record.RecordId && c.Field == record.Field
                && c.Kind == kind && c.Outcome == ChallengeOutcome.Open, ct))
            errors["RecordKey"] = "This record already has an open challenge of this kind: add to it with the organisation that owns the record";
        if (errors.Count > 0)
            return (errors, null);
        var challenge = new RecordChallenge
        {
            PersonId = person.Id,
            Kind = kind!.Value,
            RecordKind = record!.Kind,
            RecordId = record.RecordId,
            Field = record.Field,
            OwnerOrganisationId = record.OwnerOrganisationId,
            RaisedBy = raisedBy!.Trim(),
            Statement = statement!.Trim(),
            RaisedOn = raisedOn!.Value,
            RecordedByUserId = db.Reader.UserId,
            RecordedAt = clock.GetUtcNow(),
            Outcome = ChallengeOutcome.Open,
        };
        db.RecordChallenges.Add(challenge);
        return (errors, challenge);
    }

    /// <summary>
    /// A challenge a banner shows (open, or kept with the person's statement): the one predicate, which the person page's
    /// summary card also reads to skip the banner's statement for a person with none (nearly everyone).
    /// </summary>
    public static readonly System.Linq.Expressions.Expression<Func<RecordChallenge, bool>> Shown =
        c => c.Outcome == ChallengeOutcome.Open || c.Outcome == ChallengeOutcome.KeptWithStatement || c.Outcome == ChallengeOutcome.ObjectionNotUpheld;

    /// <summary>
    /// The challenges a banner may show for a person, newest first: compiled once, since the banner is on
    /// every case page and person page and nearly always finds none (issue 18: no expression tree to walk
    /// and look up in the query cache on each visit). Register rows, no query filter of their own.
    /// </summary>
    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, IAsyncEnumerable<RecordChallenge>>> ShownChallenges = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, IQueryable<RecordChallenge>>>(
        (WaypointDbContext db, Guid personId) => db.RecordChallenges.AsNoTracking()
            .Where(c => c.PersonId == personId).Where(Shown)
            .OrderByDescending(c => c.RecordedAt).Take(100))));

    /// <summary>
    /// The challenges to show beside the person's records: open ones, and those kept with the
    /// person's statement, each only where the reader can see the record it names.
    /// </summary>
    public async Task<List<ChallengeNotice>> NoticesAsync(Guid personId, CancellationToken ct)
    {
        var all = new List<RecordChallenge>();
        await foreach (var c in ShownChallenges.For(db)(db, personId).WithCancellation(ct))
            all.Add(c);
        if (all.Count == 0)
            return [];
        var visible = new Dictionary<Guid, string>();
        var ids = all.Select(c => c.RecordId).Distinct().ToList();
        if (await db.People.AnyAsync(p => p.Id == personId, ct))
            visible[personId] = "";
        foreach (var b in await db.BehaviourIncidents.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.OccurredOn }).ToListAsync(ct))
            visible[b.Id] = $" on {b.OccurredOn:d MMMM yyyy}";
        foreach (var r in await db.Referrals.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.ReportedAt }).ToListAsync(ct))
            visible[r.Id] = $" on {r.ReportedAt:d MMMM yyyy}";
        foreach (var n in await db.CaseNotes.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.At }).ToListAsync(ct))
            visible[n.Id] = $" of {n.At:d MMMM yyyy}";
        foreach (var f in await db.PersonFlags.AsNoTracking().Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, x.SetAt }).ToListAsync(ct))
            visible[f.Id] = $" set on {f.SetAt:d MMMM yyyy}";
        var owners = all.Select(c => c.OwnerOrganisationId).Distinct().ToList();
        var names = await db.Organisations.AsNoTracking().Where(o => owners.Contains(o.Id)).ToDictionaryAsync(o => o.Id, o => o.Name, ct);
        return all.Where(c => visible.ContainsKey(c.RecordId))
            .Select(c => new ChallengeNotice(c.Id, c.Kind, Describe(c.RecordKind, c.Field) + visible[c.RecordId], c.RaisedBy, c.Statement, c.RaisedOn,
                c.Outcome, c.Response, names.GetValueOrDefault(c.OwnerOrganisationId, "the owning organisation")))
            .ToList();
    }

    /// <summary>Open challenges: the reader's organisation's, or every organisation's for the data-protection officer.</summary>
    public async Task<List<OpenChallengeRow>> OpenAsync(bool everyOrganisation, CancellationToken ct)
    {
        var orgId = db.Reader.OrganisationId;
        var rows = await db.RecordChallenges.AsNoTracking()
            .Where(c => c.Outcome == ChallengeOutcome.Open && (everyOrganisation || c.OwnerOrganisationId == orgId))
            .OrderBy(c => c.RaisedOn).Take(500)
            .Join(db.Organisations, c => c.OwnerOrganisationId, o => o.Id, (c, o) => new { c.Id, c.PersonId, c.Kind, c.RecordKind, c.Field, c.RaisedOn, o.Name })
            .ToListAsync(ct);
        return rows.Select(r => new OpenChallengeRow(r.Id, r.PersonId, r.Kind, r.RecordKind, r.Field, r.RaisedOn, r.Name)).ToList();
    }

    public Task<int> OpenCountAsync(CancellationToken ct) => db.RecordChallenges.CountAsync(c => c.Outcome == ChallengeOutcome.Open, ct);

    /// <summary>
    /// The record's current value as its owner holds it: read past the filters because the owning
    /// organisation answers for its record even once it no longer sees the person. Null when the record is gone.
    /// </summary>
    public async Task<string?> CurrentValueAsync(RecordChallenge c, CancellationToken ct) => c.RecordKind switch
    {
        ChallengedRecord.RegisterEntry => await db.Unfiltered<Person>("challenge: the owning organisation reads the register field it is asked to correct")
            .Where(p => p.Id == c.RecordId).Select(p => new { p.GivenName, p.FamilyName, p.PreferredName, p.DateOfBirth }).FirstOrDefaultAsync(ct) is { } p
            ? c.Field switch
            {
                nameof(Person.GivenName) => p.GivenName,
                nameof(Person.FamilyName) => p.FamilyName,
                nameof(Person.PreferredName) => p.PreferredName ?? "",
                _ => p.DateOfBirth?.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture) ?? "",
            }
            : null,
        ChallengedRecord.BehaviourIncident => await db.Unfiltered<BehaviourIncident>("challenge: the owning school reads the incident it is asked to correct")
            .Where(x => x.Id == c.RecordId).Select(x => x.Description).FirstOrDefaultAsync(ct),
        ChallengedRecord.ConcernReport => await db.Unfiltered<Referral>("challenge: the reporting organisation reads the report it is asked to correct")
            .Where(x => x.Id == c.RecordId).Select(x => x.WhatIsKnown).FirstOrDefaultAsync(ct),
        ChallengedRecord.CaseNote => await db.Unfiltered<CaseNote>("challenge: the organisation that wrote the note reads it to correct it")
            .Where(x => x.Id == c.RecordId).Select(x => x.Text).FirstOrDefaultAsync(ct),
        ChallengedRecord.PoliceFlag => await db.Unfiltered<PersonFlag>("challenge: the force that set the flag reads its evidence to correct it")
            .Where(x => x.Id == c.RecordId).Select(x => x.Evidence).FirstOrDefaultAsync(ct),
        _ => null,
    };

    /// <summary>The outcomes open to a challenge of this kind.</summary>
    public static IReadOnlyList<ChallengeOutcome> OutcomesFor(ChallengeKind kind) => kind == ChallengeKind.Accuracy
        ? [ChallengeOutcome.Corrected, ChallengeOutcome.KeptWithStatement]
        : [ChallengeOutcome.ObjectionUpheld, ChallengeOutcome.ObjectionNotUpheld];

    /// <summary>Checks a resolution without changing anything; the errors keyed by field.</summary>
    public async Task<Dictionary<string, string>> ValidateAsync(RecordChallenge c, ChallengeOutcome? outcome, string? correction, DateOnly? correctedDate,
        string? correctedDateError, string? response, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (c.Outcome != ChallengeOutcome.Open)
            errors["Outcome"] = "This challenge has already been resolved";
        else if (c.OwnerOrganisationId != db.Reader.OrganisationId)
            errors["Outcome"] = "Only the organisation that owns the record can resolve a challenge to it";
        else if (outcome is null || !OutcomesFor(c.Kind).Contains(outcome.Value))
            errors["Outcome"] = "Select how the challenge is resolved";
        if (errors.Count > 0)
            return errors;
        if (await CurrentValueAsync(c, ct) is null)
        {
            errors["Outcome"] = "The record no longer exists";
            return errors;
        }
        if (outcome == ChallengeOutcome.Corrected)
        {
            var isDate = c.RecordKind == ChallengedRecord.RegisterEntry && c.Field == nameof(Person.DateOfBirth);
            if (isDate)
            {
                if (correctedDateError is not null)
                    errors["CorrectedDate"] = correctedDateError;
                else if (correctedDate is null)
                    errors["CorrectedDate"] = "Enter the corrected date of birth";
            }
            else if (string.IsNullOrWhiteSpace(correction) && !(c.RecordKind == ChallengedRecord.RegisterEntry && c.Field == nameof(Person.PreferredName)))
                errors["Correction"] = "Enter the corrected text";
            else if ((correction?.Trim().Length ?? 0) > MaxLength(c))
                errors["Correction"] = $"The corrected text must be {MaxLength(c)} characters or fewer";
            else if (c.RecordKind == ChallengedRecord.RegisterEntry)
            {
                var person = await RegisterEntryAsync(c, ct);
                var details = RegisterPerson.ValidateDetails(person.Kind,
                    c.Field == nameof(Person.GivenName) ? correction : person.GivenName,
                    c.Field == nameof(Person.FamilyName) ? correction : person.FamilyName,
                    c.Field == nameof(Person.PreferredName) ? correction : person.PreferredName, person.DateOfBirth, person.AreaId);
                if (details.Count > 0)
                    errors["Correction"] = details.Values.First();
            }
        }
        if (outcome is ChallengeOutcome.KeptWithStatement or ChallengeOutcome.ObjectionNotUpheld && string.IsNullOrWhiteSpace(response))
            errors["Answer"] = outcome == ChallengeOutcome.KeptWithStatement
                ? "Say why the record is kept as it is: the person's statement is shown beside it"
                : "Set out the grounds for carrying on despite the objection";
        else if (response?.Trim().Length > RecordChallenge.MaxResponseLength)
            errors["Answer"] = $"The response must be {RecordChallenge.MaxResponseLength} characters or fewer";
        return errors;
    }

    private static int MaxLength(RecordChallenge c) => c.RecordKind switch
    {
        ChallengedRecord.RegisterEntry => RegisterPerson.MaxNameLength,
        ChallengedRecord.BehaviourIncident => BehaviourIncident.MaxDescriptionLength,
        ChallengedRecord.ConcernReport => Referral.MaxWhatIsKnownLength,
        ChallengedRecord.CaseNote => CaseNote.MaxTextLength,
        _ => PersonFlag.MaxEvidenceLength,
    };

    private Task<Person> RegisterEntryAsync(RecordChallenge c, CancellationToken ct) =>
        db.Unfiltered<Person>("challenge: the owning organisation corrects the register entry it recorded").FirstAsync(p => p.Id == c.RecordId, ct);

    /// <summary>
    /// Resolves a challenge already validated: a correction changes the record itself, so every
    /// place that shows it (the chronology, the search keys the register derives on saving)
    /// shows the corrected text; the challenge keeps what it said before as the history.
    /// Saved by the caller, with the audit row, in one transaction.
    /// </summary>
    public async Task ResolveAsync(RecordChallenge c, ChallengeOutcome outcome, string? correction, DateOnly? correctedDate, string? response, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (outcome == ChallengeOutcome.Corrected)
        {
            c.ValueBefore = await CurrentValueAsync(c, ct);
            var text = correction?.Trim() ?? "";
            switch (c.RecordKind)
            {
                case ChallengedRecord.RegisterEntry:
                    var person = await RegisterEntryAsync(c, ct);
                    switch (c.Field)
                    {
                        case nameof(Person.GivenName): person.GivenName = text; break;
                        case nameof(Person.FamilyName): person.FamilyName = text; break;
                        case nameof(Person.PreferredName): person.PreferredName = text.Length == 0 ? null : text; break;
                        case nameof(Person.DateOfBirth):
                            person.DateOfBirth = correctedDate;
                            text = correctedDate!.Value.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture);
                            break;
                    }
                    break;
                case ChallengedRecord.BehaviourIncident:
                    (await db.Unfiltered<BehaviourIncident>("challenge: the owning school corrects its incident").FirstAsync(x => x.Id == c.RecordId, ct)).Description = text;
                    break;
                case ChallengedRecord.ConcernReport:
                    (await db.Unfiltered<Referral>("challenge: the reporting organisation corrects its report").FirstAsync(x => x.Id == c.RecordId, ct)).WhatIsKnown = text;
                    break;
                case ChallengedRecord.CaseNote:
                    (await db.Unfiltered<CaseNote>("challenge: the organisation that wrote the note corrects it").FirstAsync(x => x.Id == c.RecordId, ct)).Text = text;
                    break;
                case ChallengedRecord.PoliceFlag:
                    (await db.Unfiltered<PersonFlag>("challenge: the force that set the flag corrects its evidence").FirstAsync(x => x.Id == c.RecordId, ct)).Evidence = text;
                    break;
            }
            c.ValueAfter = text;
        }
        else if (outcome == ChallengeOutcome.ObjectionUpheld && !await db.RestrictedPeople().ContainsAsync(c.PersonId, ct))
        {
            db.ProcessingRestrictions.Add(new ProcessingRestriction
            {
                PersonId = c.PersonId,
                Reason = "Objection upheld by the organisation that owns the record",
                RecordedAt = now,
                RecordedByUserId = db.Reader.UserId,
            });
        }
        c.Outcome = outcome;
        c.Response = string.IsNullOrWhiteSpace(response) ? null : response.Trim();
        c.ResolvedByUserId = db.Reader.UserId;
        c.ResolvedAt = now;
    }

    public DateRange BirthRange => DateRange.Birth(Today);
}
