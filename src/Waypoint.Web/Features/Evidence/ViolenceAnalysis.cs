using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Evidence;

/// <summary>A pupil of the cohort: on the roll of one of the partnership's schools during the window.</summary>
public sealed record CohortPupil(Guid PersonId, DateOnly? DateOfBirth, Guid SchoolId);

/// <summary>A suspension or permanent exclusion that started in the window (withdrawn ones are never read).</summary>
public sealed record CohortExclusion(Guid PersonId, ExclusionKind Kind, DateOnly StartDate);

/// <summary>A person's part in a violent occurrence in the window.</summary>
public sealed record ViolentInvolvement(Guid PersonId, OccurrenceRole Role, DateOnly OccurredOn);

/// <summary>
/// Pupils alike in school (their first of the window), age band (index into <see cref="ViolenceAnalysis.Bands"/>),
/// whether they had a suspension, a permanent exclusion, a violent occurrence as a suspect or offender
/// and as a victim in the window, and whether each occurrence came first; and how many.
/// </summary>
public sealed record ViolenceCell(Guid SchoolId, int Band, bool Suspended, bool Excluded, bool Perpetrator, bool Victim,
    bool PerpetratorBeforeSuspension, bool PerpetratorBeforeExclusion, bool VictimBeforeSuspension, bool VictimBeforeExclusion, int Pupils);

public sealed record ViolenceInput(DateOnly From, DateOnly To, int Threshold, string AreaName,
    IReadOnlyList<CohortPupil> Pupils, IReadOnlyList<CohortExclusion> Exclusions, IReadOnlyList<ViolentInvolvement> Involvements);

/// <summary>One row: the pupils of a group (in an age band or all ages), how many were involved, and the rate per 1,000 with its interval; figures withheld as <see cref="StatCell"/> says.</summary>
public sealed record ViolenceRow(string Band, StatCell Pupils, StatCell Involved, double? RatePer1000, double? LowerPer1000, double? UpperPer1000);

/// <summary>
/// One group's rows. For the excluded groups, when each involved pupil's first violent
/// occurrence in the window fell against their first exclusion of that kind in it.
/// </summary>
public sealed record ViolenceGroup(string Name, IReadOnlyList<ViolenceRow> Rows, StatCell? FirstInvolvementBefore, StatCell? FirstInvolvementOnOrAfter);

/// <summary>An excluded group against pupils with neither: the crude ratio and the ratio like with like (same age band and school).</summary>
public sealed record ViolenceComparison(string Exposed, RateRatio? Crude, RateRatio? Adjusted, string? Withheld)
{
    /// <summary>Why the like-with-like ratio is not shown when the crude one is (a band's count behind it is hidden).</summary>
    public string? AdjustedWithheld { get; init; }
}

public sealed record ViolenceMeasure(string Key, string Name, IReadOnlyList<ViolenceGroup> Groups, IReadOnlyList<ViolenceComparison> Comparisons);

public sealed record ViolenceReport(DateOnly From, DateOnly To, int Threshold, string AreaName, IReadOnlyList<ViolenceMeasure> Measures, IReadOnlyList<string> Notes)
{
    public static string Format(double? value) => value?.ToString("0.0", CultureInfo.InvariantCulture) ?? "";

    public static string FormatRatio(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? "";
}

/// <summary>
/// Exclusion and violence, as rates rather than anecdotes: among the partnership's pupils in a
/// window, the rate per 1,000 involved in violence (a violence against the person, robbery or
/// possession of weapons offence) as a suspect or offender, and separately as a victim, for
/// those with one or more suspensions, those permanently excluded, and those with neither;
/// with Wilson intervals, rate ratios (crude, and Mantel-Haenszel over age band and school), the
/// time order, and small numbers suppressed. Aggregates only: no person leaves this class.
/// </summary>
public static class ViolenceAnalysis
{
    /// <summary>The Home Office offence groups read as violence (the definition).</summary>
    public static IReadOnlyList<string> ViolentGroups { get; } =
        [HomeOfficeOffences.ViolenceAgainstThePerson, HomeOfficeOffences.Robbery, HomeOfficeOffences.PossessionOfWeapons];

    /// <summary>Roles read as taking part in the violence. A victim, a witness or a missing person is never one.</summary>
    public static IReadOnlyList<OccurrenceRole> PerpetratorRoles { get; } = [OccurrenceRole.Suspect, OccurrenceRole.Offender];

    public const string Suspended = "One or more suspensions";
    public const string Excluded = "Permanently excluded";
    public const string Neither = "Neither";
    public const string AllAges = "All ages";

    public static IReadOnlyList<string> Bands { get; } = ["Under 11", "11 to 13", "14 to 15", "16 and over", "Age not known"];

    /// <summary>The age band at the window's start.</summary>
    public static string BandOf(DateOnly? dateOfBirth, DateOnly at)
    {
        if (dateOfBirth is not { } dob)
            return Bands[4];
        var age = Ages.On(dob, at);
        return age switch
        {
            < 11 => Bands[0],
            < 14 => Bands[1],
            < 16 => Bands[2],
            _ => Bands[3],
        };
    }

    private static DateOnly? Find(Dictionary<Guid, DateOnly> firsts, Guid person) => firsts.TryGetValue(person, out var day) ? day : null;

    /// <summary>The index in <see cref="Bands"/> of the age band at the window's start.</summary>
    public static int BandIndex(DateOnly? dateOfBirth, DateOnly at)
    {
        var band = BandOf(dateOfBirth, at);
        for (var i = 0; i < Bands.Count; i++)
            if (Bands[i] == band)
                return i;
        return Bands.Count - 1;
    }

    public static ViolenceReport Build(ViolenceInput input) =>
        Build(input.From, input.To, input.Threshold, input.AreaName, Cells(input));

    /// <summary>
    /// The pupils of the input counted by school, age band and what happened to them in the window:
    /// everything the report reads, and what the rollups give straight from the database.
    /// </summary>
    public static IReadOnlyList<ViolenceCell> Cells(ViolenceInput input)
    {
        var pupils = input.Pupils.GroupBy(p => p.PersonId).Select(g => g.First()).ToDictionary(p => p.PersonId);
        var exclusions = input.Exclusions.Where(e => pupils.ContainsKey(e.PersonId) && e.StartDate >= input.From && e.StartDate <= input.To).ToList();
        var firstSuspension = exclusions.Where(e => e.Kind == ExclusionKind.Suspension).GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => g.Min(e => e.StartDate));
        var firstExclusion = exclusions.Where(e => e.Kind == ExclusionKind.PermanentExclusion).GroupBy(e => e.PersonId).ToDictionary(g => g.Key, g => g.Min(e => e.StartDate));
        var involvements = input.Involvements.Where(i => pupils.ContainsKey(i.PersonId) && i.OccurredOn >= input.From && i.OccurredOn <= input.To).ToList();
        var firstPerpetrator = involvements.Where(i => PerpetratorRoles.Contains(i.Role)).GroupBy(i => i.PersonId).ToDictionary(g => g.Key, g => g.Min(i => i.OccurredOn));
        var firstVictim = involvements.Where(i => i.Role == OccurrenceRole.Victim).GroupBy(i => i.PersonId).ToDictionary(g => g.Key, g => g.Min(i => i.OccurredOn));
        return pupils.Values
            .Select(p => Cell(p.SchoolId, BandIndex(p.DateOfBirth, input.From), Find(firstSuspension, p.PersonId), Find(firstExclusion, p.PersonId),
                Find(firstPerpetrator, p.PersonId), Find(firstVictim, p.PersonId), 1))
            .GroupBy(c => c with { Pupils = 0 })
            .Select(g => g.Key with { Pupils = g.Sum(c => c.Pupils) })
            .ToList();
    }

    /// <summary>One pupil's (or one database row's) cell from their first dates in the window.</summary>
    public static ViolenceCell Cell(Guid school, int band, DateOnly? suspension, DateOnly? exclusion, DateOnly? perpetrator, DateOnly? victim, int pupils) =>
        new(school, band, suspension is not null, exclusion is not null, perpetrator is not null, victim is not null,
            perpetrator < suspension, perpetrator < exclusion, victim < suspension, victim < exclusion, pupils);

    private static readonly (string Name, Func<ViolenceCell, bool> Member, Func<ViolenceCell, bool, bool>? Before)[] Groups =
    [
        (Suspended, c => c.Suspended, (c, victim) => victim ? c.VictimBeforeSuspension : c.PerpetratorBeforeSuspension),
        (Excluded, c => c.Excluded, (c, victim) => victim ? c.VictimBeforeExclusion : c.PerpetratorBeforeExclusion),
        (Neither, c => !c.Suspended && !c.Excluded, null),
    ];

    private static readonly (string Key, string Name, bool Victim)[] MeasureKinds =
    [
        ("perpetrator", "Involved as a suspect or offender", false),
        ("victim", "Involved as a victim", true),
    ];

    private static string PupilsKey(string group, int band) => $"pupils|{group}|{band}";

    private static string InvolvedKey(string measure, string group, string part) => $"{measure}|{group}|{part}";

    /// <summary>
    /// Every count the page shows for these cells, as figures for suppression: pupils by group and
    /// band (0 is all ages), the same counts under both measures; those involved by measure, group and
    /// band; and for the excluded groups the time order. Families: a group's pupils; a measure's group.
    /// Counts of 1 to threshold − 1 are hidden and guarded; a count of those involved lies within the pupils' count.
    /// </summary>
    public static AreaFigures Figures(Guid area, Guid? parent, IReadOnlyList<ViolenceCell> cells, int threshold)
    {
        var figures = new List<AreaFigure>();
        var sums = new List<AreaSum>();
        void Add(string family, string key, int value, string? within = null) =>
            figures.Add(new AreaFigure(family, key, value, value > 0 && value < threshold, value > 0 && value < threshold) { Within = within });
        foreach (var g in Groups)
        {
            var members = cells.Where(g.Member).ToList();
            Add("pupils|" + g.Name, PupilsKey(g.Name, 0), members.Sum(c => c.Pupils));
            for (var b = 0; b < Bands.Count; b++)
                Add("pupils|" + g.Name, PupilsKey(g.Name, b + 1), members.Where(m => m.Band == b).Sum(c => c.Pupils));
            sums.Add(new AreaSum(PupilsKey(g.Name, 0), Enumerable.Range(1, Bands.Count).Select(b => PupilsKey(g.Name, b)).ToList()));
        }
        foreach (var (key, _, victim) in MeasureKinds)
            foreach (var g in Groups)
            {
                var family = key + "|" + g.Name;
                var involved = cells.Where(c => g.Member(c) && (victim ? c.Victim : c.Perpetrator)).ToList();
                // Those involved are among the group's pupils: none when there are none (and the page leaves out a band with no pupils).
                Add(family, InvolvedKey(key, g.Name, "0"), involved.Sum(c => c.Pupils), PupilsKey(g.Name, 0));
                for (var b = 0; b < Bands.Count; b++)
                    Add(family, InvolvedKey(key, g.Name, (b + 1).ToString(CultureInfo.InvariantCulture)), involved.Where(m => m.Band == b).Sum(c => c.Pupils), PupilsKey(g.Name, b + 1));
                sums.Add(new AreaSum(InvolvedKey(key, g.Name, "0"),
                    Enumerable.Range(1, Bands.Count).Select(b => InvolvedKey(key, g.Name, b.ToString(CultureInfo.InvariantCulture))).ToList()));
                if (g.Before is { } before)
                {
                    Add(family, InvolvedKey(key, g.Name, "before"), involved.Where(c => before(c, victim)).Sum(c => c.Pupils), PupilsKey(g.Name, 0));
                    Add(family, InvolvedKey(key, g.Name, "after"), involved.Where(c => !before(c, victim)).Sum(c => c.Pupils), PupilsKey(g.Name, 0));
                    sums.Add(new AreaSum(InvolvedKey(key, g.Name, "0"), [InvolvedKey(key, g.Name, "before"), InvolvedKey(key, g.Name, "after")]));
                }
            }
        return new AreaFigures(area, parent, figures, sums);
    }

    /// <summary>The report for one area on its own (its figures suppressed with no other area beside them).</summary>
    public static ViolenceReport Build(DateOnly from, DateOnly to, int threshold, string areaName, IReadOnlyList<ViolenceCell> cells) =>
        Build(from, to, threshold, areaName, cells, AreaLinkedSuppression.Apply([Figures(Guid.Empty, null, cells, threshold)], threshold)[Guid.Empty]);

    /// <summary>The report for one area, hiding the figures <paramref name="hidden"/> names (keys of <see cref="Figures"/>) and everything built on them.</summary>
    public static ViolenceReport Build(DateOnly from, DateOnly to, int threshold, string areaName, IReadOnlyList<ViolenceCell> cells, IReadOnlySet<string> hidden)
    {
        var figures = Figures(Guid.Empty, null, cells, threshold).Figures.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
        StatCell Shown(string key) => hidden.Contains(key) ? new StatCell(null, StatCell.Suppressed) : new StatCell(figures[key]);
        var measures = new List<ViolenceMeasure>();
        foreach (var (key, name, victim) in MeasureKinds)
        {
            bool Involved(ViolenceCell c) => victim ? c.Victim : c.Perpetrator;
            var measureGroups = new List<ViolenceGroup>();
            foreach (var g in Groups)
            {
                var rows = new List<ViolenceRow>();
                for (var i = 0; i <= Bands.Count; i++)
                {
                    var label = i == 0 ? AllAges : Bands[i - 1];
                    var count = Shown(PupilsKey(g.Name, i));
                    var involved = Shown(InvolvedKey(key, g.Name, i.ToString(CultureInfo.InvariantCulture)));
                    if (i > 0 && count.Value == 0)
                        continue; // an empty band has no rate and says nothing
                    var interval = count.Value is { } n && involved.Value is { } x ? RateStatistics.Wilson(x, n) : null;
                    rows.Add(new ViolenceRow(label, count, involved, interval?.Estimate * 1000, interval?.Lower * 1000, interval?.Upper * 1000));
                }
                measureGroups.Add(new ViolenceGroup(g.Name, rows,
                    g.Before is null ? null : Shown(InvolvedKey(key, g.Name, "before")), g.Before is null ? null : Shown(InvolvedKey(key, g.Name, "after"))));
            }

            var neither = measureGroups.Single(m => m.Name == Neither).Rows[0];
            var comparisons = new List<ViolenceComparison>();
            foreach (var g in Groups.Where(g => g.Before is not null))
            {
                var row = measureGroups.Single(m => m.Name == g.Name).Rows[0];
                if (row.Pupils.Value is not { } n1 || row.Involved.Value is not { } a || neither.Pupils.Value is not { } n0 || neither.Involved.Value is not { } c)
                {
                    comparisons.Add(new ViolenceComparison(g.Name, null, null, "Not shown: a figure behind it is suppressed"));
                    continue;
                }
                // Like with like is built on every age band's counts of both groups: none of them may be hidden.
                var bandsShown = Enumerable.Range(1, Bands.Count).All(b => !hidden.Contains(PupilsKey(g.Name, b)) && !hidden.Contains(PupilsKey(Neither, b))
                    && !hidden.Contains(InvolvedKey(key, g.Name, b.ToString(CultureInfo.InvariantCulture)))
                    && !hidden.Contains(InvolvedKey(key, Neither, b.ToString(CultureInfo.InvariantCulture))));
                // Like with like: strata of age band and school, each pupil in the first school of the window.
                var byStratum = cells.Where(x => g.Member(x) || Groups[2].Member(x))
                    .GroupBy(x => (x.Band, x.SchoolId))
                    .OrderBy(s => s.Key.Band).ThenBy(s => s.Key.SchoolId)
                    .Select(s => (s.Key.Band, Stratum: new Stratum(
                        s.Where(x => g.Member(x) && Involved(x)).Sum(x => x.Pupils), s.Where(x => g.Member(x)).Sum(x => x.Pupils),
                        s.Where(x => !g.Member(x) && Involved(x)).Sum(x => x.Pupils), s.Where(x => !g.Member(x)).Sum(x => x.Pupils))))
                    .ToList();
                var strata = byStratum.Select(s => s.Stratum).ToList();
                // The ratio and its interval are worked from every school's counts in a band: where a band has
                // more than one school, a school's small count (1 to threshold - 1) could be solved for from them
                // and the band's shown totals, so the ratio is withheld. A band of one school is its shown counts.
                bool Small(int v) => v > 0 && v < threshold;
                var strataSafe = byStratum.GroupBy(s => s.Band).All(band => band.Count() == 1
                    || band.All(s => !Small(s.Stratum.ExposedInvolved) && !Small(s.Stratum.Exposed) && !Small(s.Stratum.UnexposedInvolved) && !Small(s.Stratum.Unexposed)));
                var adjusted = bandsShown && strataSafe;
                comparisons.Add(new ViolenceComparison(g.Name, RateStatistics.Ratio(new Stratum(a, n1, c, n0)), adjusted ? RateStatistics.MantelHaenszel(strata) : null, null)
                {
                    AdjustedWithheld = adjusted ? null
                        : bandsShown ? "Not shown: a school's figure in an age band behind it is too small to show"
                        : "Not shown: an age band's figure behind it is suppressed",
                });
            }
            measures.Add(new ViolenceMeasure(key, name, measureGroups, comparisons));
        }

        var notes = new List<string>
        {
            $"Pupils on the roll of one of {areaName}'s schools at any time from {from:d MMMM yyyy} to {to:d MMMM yyyy}. Suspensions and permanent exclusions that started in that time count; those withdrawn do not.",
            "Violence: a recorded crime in the Home Office groups violence against the person, robbery, or possession of weapons, that occurred in that time. Non-crime incidents do not count.",
            "A suspect or offender counts only under 'suspect or offender'; a victim only under 'victim'. Nobody is counted as taking part in violence because they were its victim or a witness. A pupil who was both is counted once under each.",
            "Rates are per 1,000 pupils with 95% Wilson intervals. Rate ratios compare each excluded group with pupils who had neither a suspension nor a permanent exclusion; 'like with like' is the Mantel-Haenszel ratio over age band (at the start of the window) and school. Where a count is zero, 0.5 is added to every cell for the interval only.",
            "Time order: whether the pupil's first violent occurrence in the window came before their first suspension (or permanent exclusion) in it, or on or after that day.",
            $"c: a figure below {threshold}, or one that would let such a figure be worked out, is not shown; nor is a rate or ratio built on one.",
            "An association is not a cause: pupils who are excluded differ from others in many ways these figures do not measure, and some violence led to the exclusion.",
        };
        return new ViolenceReport(from, to, threshold, areaName, measures, notes);
    }

    /// <summary>
    /// The report for academic years <paramref name="fromYear"/> to <paramref name="toYear"/> (up to
    /// today) for the partnership or one county or district, suppressed together with every other
    /// area's for the same years (<see cref="ViolenceLinkedSuppression"/>), so that no figure hidden in
    /// one can be had from the others.
    /// </summary>
    public static async Task<ViolenceReport> LoadAsync(WaypointDbContext db, int fromYear, int toYear, DateOnly today, Guid? areaId, int threshold, CancellationToken ct)
    {
        var (from, to, views) = await LoadViewsAsync(db, fromYear, toYear, today, ct);
        var reports = ViolenceLinkedSuppression.Build(from, to, threshold, views);
        return reports.TryGetValue(areaId ?? Guid.Empty, out var report)
            ? report
            : throw new ArgumentException("Not a county or district of the partnership", nameof(areaId));
    }

    /// <summary>
    /// Every area's cells for academic years <paramref name="fromYear"/> to <paramref name="toYear"/>
    /// (up to today), read from the rollups (<see cref="EvidenceRollups"/>): one GROUP BY in the
    /// database counts pupils by area, school, age band and what happened to them, and only those
    /// cells leave it. The partnership is <see cref="Guid.Empty"/>; a county lies in it, a district
    /// in its county. A pupil stands in each area in the school of their earliest span in the window
    /// among that area's schools (as when the area alone is asked for).
    /// </summary>
    public static async Task<(DateOnly From, DateOnly To, IReadOnlyList<ViolenceView> Views)> LoadViewsAsync(WaypointDbContext db, int fromYear, int toYear, DateOnly today, CancellationToken ct)
    {
        var start = new AcademicYear(fromYear).Start;
        var last = new AcademicYear(toYear).End;
        var end = last < today ? last : today;
        var areas = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.County || a.Kind == AreaKind.District)
            .Select(a => new { a.Id, a.Name, a.Kind, a.ParentId }).ToListAsync(ct);
        // The age bands at the window's start as dates of birth, so the database compares dates only.
        var (born11, born14, born16) = (LatestBornAged(11, start), LatestBornAged(14, start), LatestBornAged(16, start));
        // Level 0 the partnership, 1 a county, 2 a district. Each pupil stands in the school of their
        // earliest span in the window within the level's area (ties by school id, which both
        // databases and Guid.CompareTo order alike); their first dates are the earliest of the
        // window's person-years that fall by its end. Same figures as the raw loader below.
        // The person-years are aggregated whole and hash-joined: restricting them to the cohort
        // first made PostgreSQL probe the key once per pupil (3.7 s against 1.9 s at scale 0.02).
        var rows = await db.RawSql<ViolenceCellRow>("exclusion and violence: the rollups counted into cells by area, school, age band and what happened; no person leaves the query", $"""
            WITH schools AS (
                SELECT o."Id" AS "SchoolId",
                       CASE WHEN a."Kind" = 'District' THEN a."Id" WHEN p."Kind" = 'District' THEN p."Id" WHEN g."Kind" = 'District' THEN g."Id" END AS "District",
                       CASE WHEN a."Kind" = 'County' THEN a."Id" WHEN p."Kind" = 'County' THEN p."Id" WHEN g."Kind" = 'County' THEN g."Id" END AS "County"
                FROM "Organisations" o
                LEFT JOIN "Areas" a ON a."Id" = o."AreaId"
                LEFT JOIN "Areas" p ON p."Id" = a."ParentId"
                LEFT JOIN "Areas" g ON g."Id" = p."ParentId"
                WHERE o."Type" = 'School'
            ),
            ranked AS (
                SELECT s."PersonId", s."SchoolId", s."DateOfBirth", k."District", k."County",
                       ROW_NUMBER() OVER (PARTITION BY s."PersonId" ORDER BY s."FirstStart", s."SchoolId") AS "RankAll",
                       ROW_NUMBER() OVER (PARTITION BY s."PersonId", k."County" ORDER BY s."FirstStart", s."SchoolId") AS "RankCounty",
                       ROW_NUMBER() OVER (PARTITION BY s."PersonId", k."District" ORDER BY s."FirstStart", s."SchoolId") AS "RankDistrict"
                FROM "ViolencePupilSpan" s
                JOIN schools k ON k."SchoolId" = s."SchoolId"
                WHERE s."FromYear" <= {toYear} AND s."ToYear" >= {fromYear} AND s."FirstStart" <= {end}
            ),
            pupils AS (
                SELECT 0 AS "Level", NULL AS "AreaId", "PersonId", "SchoolId", "DateOfBirth" FROM ranked WHERE "RankAll" = 1
                UNION ALL
                SELECT 1, "County", "PersonId", "SchoolId", "DateOfBirth" FROM ranked WHERE "RankCounty" = 1 AND "County" IS NOT NULL
                UNION ALL
                SELECT 2, "District", "PersonId", "SchoolId", "DateOfBirth" FROM ranked WHERE "RankDistrict" = 1 AND "District" IS NOT NULL
            ),
            firsts AS (
                SELECT y."PersonId",
                       MIN(CASE WHEN y."FirstSuspension" <= {end} THEN y."FirstSuspension" END) AS "S",
                       MIN(CASE WHEN y."FirstPermanentExclusion" <= {end} THEN y."FirstPermanentExclusion" END) AS "X",
                       MIN(CASE WHEN y."FirstPerpetrator" <= {end} THEN y."FirstPerpetrator" END) AS "P",
                       MIN(CASE WHEN y."FirstVictim" <= {end} THEN y."FirstVictim" END) AS "V"
                FROM "ViolencePersonYear" y
                WHERE y."AcademicYear" >= {fromYear} AND y."AcademicYear" <= {toYear}
                GROUP BY y."PersonId"
            ),
            cells AS (
                SELECT p."Level", p."AreaId", p."SchoolId",
                       CASE WHEN p."DateOfBirth" IS NULL THEN 4 WHEN p."DateOfBirth" > {born11} THEN 0
                            WHEN p."DateOfBirth" > {born14} THEN 1 WHEN p."DateOfBirth" > {born16} THEN 2 ELSE 3 END AS "Band",
                       CASE WHEN f."S" IS NULL THEN 0 ELSE 1 END AS "Suspended",
                       CASE WHEN f."X" IS NULL THEN 0 ELSE 1 END AS "Excluded",
                       CASE WHEN f."P" IS NULL THEN 0 ELSE 1 END AS "Perpetrator",
                       CASE WHEN f."V" IS NULL THEN 0 ELSE 1 END AS "Victim",
                       CASE WHEN f."P" < f."S" THEN 1 ELSE 0 END AS "PerpetratorBeforeSuspension",
                       CASE WHEN f."P" < f."X" THEN 1 ELSE 0 END AS "PerpetratorBeforeExclusion",
                       CASE WHEN f."V" < f."S" THEN 1 ELSE 0 END AS "VictimBeforeSuspension",
                       CASE WHEN f."V" < f."X" THEN 1 ELSE 0 END AS "VictimBeforeExclusion"
                FROM pupils p LEFT JOIN firsts f ON f."PersonId" = p."PersonId"
            )
            SELECT "Level", "AreaId", "SchoolId", "Band", "Suspended", "Excluded", "Perpetrator", "Victim", "PerpetratorBeforeSuspension",
                   "PerpetratorBeforeExclusion", "VictimBeforeSuspension", "VictimBeforeExclusion", COUNT(*) AS "Pupils"
            FROM cells
            GROUP BY "Level", "AreaId", "SchoolId", "Band", "Suspended", "Excluded", "Perpetrator", "Victim", "PerpetratorBeforeSuspension",
                     "PerpetratorBeforeExclusion", "VictimBeforeSuspension", "VictimBeforeExclusion"
            """).ToListAsync(ct);
        // Pupils whose school records were disposed of stay in the cells they were in, as counts (DisposedViolenceCount).
        var kept = await DisposedViolenceCounts.OfWindowAsync(db, fromYear, toYear, ct);
        var cells = rows.Select(r => (Area: r.Level == 0 ? Guid.Empty : r.AreaId ?? Guid.Empty, Cell: new ViolenceCell(r.SchoolId, r.Band, r.Suspended == 1, r.Excluded == 1, r.Perpetrator == 1, r.Victim == 1,
                r.PerpetratorBeforeSuspension == 1, r.PerpetratorBeforeExclusion == 1, r.VictimBeforeSuspension == 1, r.VictimBeforeExclusion == 1, (int)r.Pupils)))
            .Concat(kept.SelectMany(g => g.Select(c => (Area: g.Key, Cell: c))))
            .GroupBy(x => (x.Area, Key: x.Cell with { Pupils = 0 }))
            .Select(g => (g.Key.Area, Cell: g.Key.Key with { Pupils = g.Sum(x => x.Cell.Pupils) }))
            .Where(x => x.Cell.Pupils != 0)
            .ToLookup(x => x.Area, x => x.Cell);
        var counties = areas.Where(a => a.Kind == AreaKind.County).ToList();
        var views = new List<ViolenceView> { new(Guid.Empty, null, counties.Count == 1 ? counties[0].Name : "the partnership", cells[Guid.Empty].ToList()) };
        foreach (var a in areas.OrderBy(a => a.Kind).ThenBy(a => a.Name, StringComparer.Ordinal))
        {
            var parent = a.Kind == AreaKind.District && a.ParentId is { } p && counties.Any(c => c.Id == p) ? p : Guid.Empty;
            views.Add(new ViolenceView(a.Id, parent, a.Name, cells[a.Id].ToList()));
        }
        return (start, end, views);
    }

    /// <summary>One row of the rollups' GROUP BY (flags as 0 or 1, the same on both databases).</summary>
    public sealed class ViolenceCellRow
    {
        public int Level { get; set; }
        public Guid? AreaId { get; set; }
        public Guid SchoolId { get; set; }
        public int Band { get; set; }
        public int Suspended { get; set; }
        public int Excluded { get; set; }
        public int Perpetrator { get; set; }
        public int Victim { get; set; }
        public int PerpetratorBeforeSuspension { get; set; }
        public int PerpetratorBeforeExclusion { get; set; }
        public int VictimBeforeSuspension { get; set; }
        public int VictimBeforeExclusion { get; set; }
        public long Pupils { get; set; }
    }

    /// <summary>The latest date of birth of someone aged <paramref name="age"/> or more on <paramref name="at"/> (as <see cref="Ages.On"/> counts, leap days included).</summary>
    public static DateOnly LatestBornAged(int age, DateOnly at)
    {
        var day = at.AddYears(-age);
        while (Ages.On(day, at) < age)
            day = day.AddDays(-1);
        while (Ages.On(day.AddDays(1), at) >= age)
            day = day.AddDays(1);
        return day;
    }

    /// <summary>
    /// The reference the rollups must equal (and the bench's baseline): reads the cohort, its
    /// exclusions and its violent occurrences from the raw rows past the filters (the reader
    /// sees only the aggregates built here) for the partnership's schools, or one area's (a county or district, and the wards in it).
    /// </summary>
    public static async Task<(ViolenceInput Input, IReadOnlyList<ViolenceCell> Cells)> LoadRawCellsAsync(WaypointDbContext db, DateOnly start, DateOnly end, Guid? areaId, int threshold, CancellationToken ct)
    {
        var schoolsQuery = db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School);
        string areaName;
        if (areaId is { } d)
        {
            schoolsQuery = schoolsQuery.Where(o => o.AreaId == d || o.Area!.ParentId == d || o.Area.Parent!.ParentId == d);
            areaName = await db.Areas.AsNoTracking().Where(a => a.Id == d).Select(a => a.Name).SingleOrDefaultAsync(ct) ?? "the area";
        }
        else
        {
            var counties = await db.Areas.AsNoTracking().Where(a => a.ParentId == null).Select(a => a.Name).ToListAsync(ct);
            areaName = counties.Count == 1 ? counties[0] : "the partnership";
        }
        var schools = await schoolsQuery.Select(o => o.Id).ToListAsync(ct);

        var enrolments = await (from e in db.Unfiltered<Enrolment>("exclusion and violence: counted across the partnership; only aggregates leave the query")
                                join p in db.Unfiltered<Person>("exclusion and violence: counted across the partnership; only aggregates leave the query") on e.PersonId equals p.Id
                                where schools.Contains(e.SchoolId) && e.StartDate <= end && (e.EndDate == null || e.EndDate >= start)
                                select new { e.PersonId, e.SchoolId, e.StartDate, p.DateOfBirth })
            .AsNoTracking().ToListAsync(ct);
        var pupils = enrolments.GroupBy(e => e.PersonId)
            .Select(g => g.OrderBy(e => e.StartDate).ThenBy(e => e.SchoolId).First())
            .Select(e => new CohortPupil(e.PersonId, e.DateOfBirth, e.SchoolId)).ToList();

        var exclusions = await db.Unfiltered<Suspension>("exclusion and violence: counted across the partnership; only aggregates leave the query").AsNoTracking()
            .Where(s => s.StartDate >= start && s.StartDate <= end && s.Outcome != ExclusionOutcome.Withdrawn)
            .Select(s => new CohortExclusion(s.PersonId, s.Kind, s.StartDate)).ToListAsync(ct);

        var groups = ViolentGroups.ToList();
        var roles = PerpetratorRoles.Append(OccurrenceRole.Victim).ToList();
        var involvements = await (from op in db.Unfiltered<OccurrencePerson>("exclusion and violence: counted across the partnership; only aggregates leave the query")
                                  join o in db.Unfiltered<Occurrence>("exclusion and violence: counted across the partnership; only aggregates leave the query") on op.OccurrenceId equals o.Id
                                  where o.OccurredOn >= start && o.OccurredOn <= end && o.OffenceGroup != null && groups.Contains(o.OffenceGroup)
                                      && roles.Contains(op.Role)
                                  select new ViolentInvolvement(op.PersonId, op.Role, o.OccurredOn))
            .AsNoTracking().ToListAsync(ct);

        var input = new ViolenceInput(start, end, threshold, areaName, pupils, exclusions, involvements);
        return (input, Cells(input));
    }

    /// <summary>The report for one area on its own from the raw rows (<see cref="LoadRawCellsAsync"/>).</summary>
    public static async Task<ViolenceReport> LoadRawAsync(WaypointDbContext db, DateOnly start, DateOnly end, Guid? areaId, int threshold, CancellationToken ct) =>
        Build((await LoadRawCellsAsync(db, start, end, areaId, threshold, ct)).Input);
}
