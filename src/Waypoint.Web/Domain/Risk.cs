namespace Waypoint.Domain;

/// <summary>Which records a risk factor reads. Protected characteristics (ethnicity, sex, SEN, FSM) are deliberately not a source.</summary>
public enum RiskSource
{
    Suspensions,
    PermanentExclusions,
    Attendance,
    BehaviourIncidents,
    Occurrences,
    Flags,
}

/// <summary>Offending-related risk, or vulnerability (a risk to the young person): scored and shown apart.</summary>
public enum RiskFactorKind
{
    Offending,
    Vulnerability,
}

public enum RiskBand
{
    Low,
    Medium,
    High,
}

public enum RiskMatrixStatus
{
    Draft,
    Published,
    Retired,
}

/// <summary>
/// One version of the partnership's risk matrix. Drafts are edited; publishing makes a version the
/// one every score is computed by and retires the one before; a published version is never edited.
/// </summary>
public sealed class RiskMatrixVersion
{
    public const int MaxNameLength = 120;
    public const int MaxChangeNoteLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Number { get; set; }
    public required string Name { get; set; }
    public RiskMatrixStatus Status { get; set; }

    /// <summary>What changed from the version before and why, as the partnership published it.</summary>
    public string? ChangeNote { get; set; }

    /// <summary>The lowest score in the medium band and in the high band (each of the two scores is banded alike).</summary>
    public int MediumFrom { get; set; }
    public int HighFrom { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public Guid? PublishedByUserId { get; set; }
    public List<RiskFactor> Factors { get; set; } = [];

    public RiskBand BandOf(int score) => score >= HighFrom ? RiskBand.High : score >= MediumFrom ? RiskBand.Medium : RiskBand.Low;
}

/// <summary>
/// One factor: when the young person's records from <see cref="Source"/> within the look-back meet
/// the condition, the factor adds its weight to the offending or the vulnerability score. For
/// occurrences it declares the roles it reads; victim, witness and missing-person links feed only
/// vulnerability factors (<see cref="RiskMatrixRules"/>).
/// </summary>
public sealed class RiskFactor
{
    public const int MaxNameLength = 120;
    public const int MinWeight = 1;
    public const int MaxWeight = 10;
    public const int MaxLookBackMonths = 36;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MatrixVersionId { get; set; }
    public required string Name { get; set; }
    public RiskSource Source { get; set; }
    public RiskFactorKind Kind { get; set; }
    public int Weight { get; set; }
    public int LookBackMonths { get; set; }

    /// <summary>How many records within the look-back (every source but attendance).</summary>
    public int MinimumCount { get; set; } = 1;

    /// <summary>Attendance: the factor holds when attendance over the look-back is below this percentage.</summary>
    public int? AttendanceBelowPercent { get; set; }

    /// <summary>Occurrences: the roles read, comma-separated names of <see cref="OccurrenceRole"/>.</summary>
    public string? Roles { get; set; }

    /// <summary>Occurrences: only this Home Office offence group (null: any offence or incident).</summary>
    public string? OffenceGroup { get; set; }

    /// <summary>Occurrences: only this kind of non-crime incident.</summary>
    public IncidentType? IncidentType { get; set; }

    /// <summary>Flags: the kind of flag read.</summary>
    public FlagKind? FlagKind { get; set; }

    public IReadOnlyList<OccurrenceRole> RoleList => RiskMatrixRules.ParseRoles(Roles);
}

/// <summary>A young person's score under one matrix version at one time; kept as history when it changes.</summary>
public sealed class RiskScore
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid MatrixVersionId { get; set; }
    public RiskMatrixVersion? MatrixVersion { get; set; }
    public DateTimeOffset ComputedAt { get; set; }
    public int Offending { get; set; }
    public int Vulnerability { get; set; }
    public RiskBand OffendingBand { get; set; }
    public RiskBand VulnerabilityBand { get; set; }

    /// <summary>The latest score of the person (older rows are its history).</summary>
    public bool IsLatest { get; set; }

    /// <summary>Each factor that held: its id, the number of records behind it and its points (JSON of <see cref="RiskContribution"/>).</summary>
    public required string ContributionsJson { get; set; }

    public bool IsHigh => OffendingBand == RiskBand.High || VulnerabilityBand == RiskBand.High;
}

/// <summary>One factor's part in a score: how many records met it (counted as the system sees them) and its points.</summary>
public sealed record RiskContribution(Guid FactorId, string Name, RiskFactorKind Kind, RiskSource Source, int Records, int Points);

public enum CohortDecision
{
    Accepted,
    Dismissed,
}

/// <summary>
/// A person's review into (or not into) the high-risk cohort, by a person with a rationale: a score
/// alone lists nobody. An accepted review holds until it is ended.
/// </summary>
public sealed class CohortReview
{
    public const int MaxRationaleLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid ScoreId { get; set; }
    public CohortDecision Decision { get; set; }
    public required string Rationale { get; set; }
    public Guid ReviewedByUserId { get; set; }
    public Guid ReviewedByOrganisationId { get; set; }
    public DateTimeOffset ReviewedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public Guid? EndedByUserId { get; set; }
}

/// <summary>One record a factor may read, reduced to what scoring needs (for the scorer and its property tests).</summary>
public sealed record RiskFact(RiskSource Source, DateOnly Date, Guid RecordId, OccurrenceRole? Role = null, string? OffenceGroup = null,
    IncidentType? IncidentType = null, FlagKind? FlagKind = null, int SessionsPossible = 0, int SessionsPresent = 0);

/// <summary>A score as computed, before it is stored.</summary>
public sealed record RiskResult(int Offending, int Vulnerability, IReadOnlyList<RiskContribution> Contributions, IReadOnlyDictionary<Guid, IReadOnlyList<Guid>> RecordsByFactor);

/// <summary>The matrix's rules: what a factor may be, and how a history is scored.</summary>
public static class RiskMatrixRules
{
    /// <summary>The roles that describe something done to or seen by the young person, never something they did.</summary>
    public static readonly IReadOnlySet<OccurrenceRole> VictimSide = new HashSet<OccurrenceRole> { OccurrenceRole.Victim, OccurrenceRole.Witness, OccurrenceRole.MissingPerson };

    public static IReadOnlyList<OccurrenceRole> ParseRoles(string? roles) =>
        (roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(r => Enum.TryParse<OccurrenceRole>(r, ignoreCase: true, out var role) && Enum.IsDefined(role) ? role : (OccurrenceRole?)null)
            .OfType<OccurrenceRole>().Distinct().ToList();

    /// <summary>Every problem with a factor, each naming its field; none means it may be published.</summary>
    public static IEnumerable<(string Field, string Message)> Check(RiskFactor f)
    {
        if (string.IsNullOrWhiteSpace(f.Name) || f.Name.Length > RiskFactor.MaxNameLength)
            yield return ("Name", $"Give the factor a name of at most {RiskFactor.MaxNameLength} characters");
        if (!Enum.IsDefined(f.Source))
            yield return ("Source", "Choose what the factor reads");
        if (!Enum.IsDefined(f.Kind))
            yield return ("Kind", "Choose offending or vulnerability");
        if (f.Weight is < RiskFactor.MinWeight or > RiskFactor.MaxWeight)
            yield return ("Weight", $"The weight must be between {RiskFactor.MinWeight} and {RiskFactor.MaxWeight}");
        if (f.LookBackMonths is < 1 or > RiskFactor.MaxLookBackMonths)
            yield return ("LookBackMonths", $"The look-back must be between 1 and {RiskFactor.MaxLookBackMonths} months");
        if (f.Source != RiskSource.Attendance && f.MinimumCount is < 1 or > 50)
            yield return ("MinimumCount", "The number of records must be between 1 and 50");
        if (f.Source == RiskSource.Attendance && f.AttendanceBelowPercent is not (>= 1 and <= 100))
            yield return ("AttendanceBelowPercent", "Attendance below must be a percentage between 1 and 100");
        if (f.Source == RiskSource.Occurrences)
        {
            var raw = (f.Roles ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var roles = ParseRoles(f.Roles);
            if (roles.Count == 0 || roles.Count != raw.Length)
                yield return ("Roles", "Choose the roles the factor reads (victim, witness, suspect, offender, missing person, subject of concern)");
            // The Gangs Matrix's first fault: victims scored as perpetrators.
            if (f.Kind == RiskFactorKind.Offending && roles.Any(VictimSide.Contains))
                yield return ("Roles", "An offending factor cannot read victim, witness or missing-person links: mark it as vulnerability or read only suspect, offender or subject-of-concern links");
            if (f.OffenceGroup is not null && !HomeOfficeOffences.Groups.Contains(f.OffenceGroup))
                yield return ("OffenceGroup", $"'{f.OffenceGroup}' is not a Home Office offence group");
            if (f.IncidentType is { } i && !Enum.IsDefined(i))
                yield return ("IncidentType", "Choose a kind of incident");
            if (f.OffenceGroup is not null && f.IncidentType is not null)
                yield return ("IncidentType", "A factor reads an offence group or a kind of incident, not both");
        }
        if (f.Source == RiskSource.Flags)
        {
            if (f.FlagKind is not { } kind || !Enum.IsDefined(kind))
                yield return ("FlagKind", "Choose the flag the factor reads");
            else if (f.Kind == RiskFactorKind.Offending && FlagRules.IsVulnerability(kind))
                yield return ("FlagKind", $"'{FlagRules.Describe(kind)}' describes a risk to the young person: it can feed only a vulnerability factor");
        }
    }

    /// <summary>Every problem with a version, fields named "Factors[i].Field" or the version's own field.</summary>
    public static List<(string Field, string Message)> Check(RiskMatrixVersion v)
    {
        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(v.Name) || v.Name.Length > RiskMatrixVersion.MaxNameLength)
            problems.Add(("Name", $"Give the version a name of at most {RiskMatrixVersion.MaxNameLength} characters"));
        if (v.MediumFrom is < 1 or > 1000)
            problems.Add(("MediumFrom", "The medium band must start between 1 and 1000"));
        if (v.HighFrom <= v.MediumFrom || v.HighFrom > 1000)
            problems.Add(("HighFrom", "The high band must start above the medium band, at most 1000"));
        if (v.Factors.Count == 0)
            problems.Add(("Factors", "A matrix needs at least one factor"));
        for (var i = 0; i < v.Factors.Count; i++)
            problems.AddRange(Check(v.Factors[i]).Select(p => ($"Factors[{i}].{p.Field}", $"Factor {i + 1} ({v.Factors[i].Name}): {p.Message}")));
        return problems;
    }

    /// <summary>Whether a fact is one the factor reads (its source, roles, offence group, incident, flag), whatever its date.</summary>
    public static bool Reads(RiskFactor f, RiskFact fact)
    {
        if (fact.Source != f.Source)
            return false;
        return f.Source switch
        {
            // Victim-side links never feed offending, even from a factor that slipped past validation.
            RiskSource.Occurrences => fact.Role is { } role && f.RoleList.Contains(role)
                && !(f.Kind == RiskFactorKind.Offending && VictimSide.Contains(role))
                && (f.OffenceGroup is null || f.OffenceGroup == fact.OffenceGroup)
                && (f.IncidentType is null || f.IncidentType == fact.IncidentType),
            RiskSource.Flags => fact.FlagKind == f.FlagKind
                && !(f.Kind == RiskFactorKind.Offending && fact.FlagKind is { } k && FlagRules.IsVulnerability(k)),
            _ => true,
        };
    }

    /// <summary>Scores a history under a matrix as of a day: each factor that holds adds its weight once.</summary>
    public static RiskResult Score(IReadOnlyList<RiskFactor> factors, IReadOnlyList<RiskFact> facts, DateOnly today)
    {
        int offending = 0, vulnerability = 0;
        var contributions = new List<RiskContribution>();
        var records = new Dictionary<Guid, IReadOnlyList<Guid>>();
        foreach (var f in factors)
        {
            var since = today.AddMonths(-f.LookBackMonths);
            var read = facts.Where(x => x.Date > since && x.Date <= today && Reads(f, x)).ToList();
            bool holds;
            if (f.Source == RiskSource.Attendance)
            {
                var possible = read.Sum(x => x.SessionsPossible);
                holds = possible > 0 && f.AttendanceBelowPercent is { } below && read.Sum(x => x.SessionsPresent) * 100L < (long)below * possible;
            }
            else
            {
                holds = read.Count >= f.MinimumCount;
            }
            if (!holds)
                continue;
            if (f.Kind == RiskFactorKind.Offending)
                offending += f.Weight;
            else
                vulnerability += f.Weight;
            contributions.Add(new RiskContribution(f.Id, f.Name, f.Kind, f.Source, read.Count, f.Weight));
            records[f.Id] = read.Select(x => x.RecordId).ToList();
        }
        return new RiskResult(offending, vulnerability, contributions, records);
    }

    /// <summary>The matrix a new partnership starts with (the examples); the admin edits and republishes it.</summary>
    public static RiskMatrixVersion Starter(Guid createdBy, DateTimeOffset at) => new()
    {
        Number = 1,
        Name = "Starter matrix",
        Status = RiskMatrixStatus.Published,
        MediumFrom = 3,
        HighFrom = 6,
        CreatedAt = at,
        CreatedByUserId = createdBy,
        PublishedAt = at,
        PublishedByUserId = createdBy,
        Factors =
        [
            new() { Name = "2 or more suspensions in 12 months", Source = RiskSource.Suspensions, Kind = RiskFactorKind.Offending, Weight = 3, LookBackMonths = 12, MinimumCount = 2 },
            new() { Name = "Attendance below 90% this term", Source = RiskSource.Attendance, Kind = RiskFactorKind.Vulnerability, Weight = 2, LookBackMonths = 4, AttendanceBelowPercent = 90 },
            new() { Name = "Suspect or offender in a violence offence in 12 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Offending, Weight = 4, LookBackMonths = 12, Roles = "Suspect,Offender", OffenceGroup = HomeOfficeOffences.ViolenceAgainstThePerson },
            new() { Name = "Victim of violence in 12 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Vulnerability, Weight = 3, LookBackMonths = 12, Roles = "Victim", OffenceGroup = HomeOfficeOffences.ViolenceAgainstThePerson },
            new() { Name = "Missing episode in 6 months", Source = RiskSource.Occurrences, Kind = RiskFactorKind.Vulnerability, Weight = 3, LookBackMonths = 6, Roles = "MissingPerson" },
            new() { Name = "Gang-associated flag", Source = RiskSource.Flags, Kind = RiskFactorKind.Offending, Weight = 3, LookBackMonths = 6, FlagKind = Domain.FlagKind.GangAssociated },
            new() { Name = "At risk of criminal exploitation", Source = RiskSource.Flags, Kind = RiskFactorKind.Vulnerability, Weight = 4, LookBackMonths = 6, FlagKind = Domain.FlagKind.CriminalExploitationRisk },
        ],
    };
}

/// <summary>
/// The partnership's profiling thresholds (one row): the representation ratio at which the equality
/// report warns of over-representation. Set by a partnership administrator or the data-protection officer.
/// </summary>
public sealed class RiskSettings
{
    public const double DefaultDisproportionalityThreshold = 1.5;
    public const double MinThreshold = 1.05;
    public const double MaxThreshold = 5;

    public int Id { get; set; } = 1;
    public double DisproportionalityThreshold { get; set; } = DefaultDisproportionalityThreshold;
    public DateTimeOffset? UpdatedAt { get; set; }
    public Guid? UpdatedByUserId { get; set; }
}

public enum RiskJobStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// Recomputing every score under a newly published matrix version, run in the background. It
/// keeps the last person it finished so a restarted host carries on from there; one job per version.
/// </summary>
public sealed class RiskRecomputeJob
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MatrixVersionId { get; set; }
    public int MatrixNumber { get; set; }
    public RiskJobStatus Status { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int Total { get; set; }
    public int Processed { get; set; }
    public int Changed { get; set; }

    /// <summary>The last person whose score is done (people go in id order), so a restart resumes after them.</summary>
    public Guid? LastPersonId { get; set; }
    public string? Error { get; set; }

    /// <summary>How many times a run of the job failed; it is retried from its cursor, with a growing wait, a bounded number of times.</summary>
    public int Failures { get; set; }

    /// <summary>When a failed job is next tried (null: not to be retried, or not failed).</summary>
    public DateTimeOffset? RetryAt { get; set; }
}
