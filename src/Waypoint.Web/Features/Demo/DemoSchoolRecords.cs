using Bogus;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Demo;

/// <summary>A pupil on roll, as the demo school records need them.</summary>
public sealed record DemoPupil(Guid PersonId, Guid SchoolId, int? YearGroup);

/// <summary>
/// Suspensions and permanent exclusions over this academic year and last, monthly attendance for
/// the DSL's school, and that school's top 10, so the inclusion dashboard and the top 10 have
/// something to show. Deterministic: a random source of its own, pupils taken in id order.
/// </summary>
public sealed class DemoSchoolRecords(int seed, DateOnly today)
{
    private static readonly string[] Reasons = ["PP", "PA", "VP", "VA", "BU", "LD", "CB", "MT", "DR", "DM"];
    private static readonly string[] NominationReasons =
    [
        "Three suspensions since September for defiance; part-time timetable under review",
        "Physical assault on a peer; attendance falling since half term",
        "Persistent disruption in lessons; family support referral open",
        "Verbal abuse of staff twice this term; mentoring started",
        "Brought a prohibited item into school; police early-intervention involved",
        "Repeated truancy from lessons and two suspensions",
    ];

    private readonly Randomizer random = new(seed + 7);

    public List<Suspension> Suspensions { get; } = [];
    public List<AttendanceRecord> Attendance { get; } = [];
    public List<TopTenNomination> Nominations { get; } = [];

    public DemoSchoolRecords Generate(IReadOnlyList<DemoPupil> pupils, Guid nominatingSchoolId)
    {
        var year = AcademicYear.Of(today);
        var recordedAt = new DateTimeOffset(today.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        foreach (var pupil in pupils.OrderBy(p => p.PersonId))
        {
            var secondary = pupil.YearGroup is >= 7;
            if (random.Bool(secondary ? 0.05f : 0.01f))
                for (var i = random.Number(1, 3); i > 0; i--)
                    Suspensions.Add(Exclusion(pupil, ExclusionKind.Suspension, random.Bool() ? DayIn(year.Start, today) : DayIn(year.Previous.Start, year.Previous.End), recordedAt));
            if (secondary && random.Bool(0.003f))
                Suspensions.Add(Exclusion(pupil, ExclusionKind.PermanentExclusion, random.Bool() ? DayIn(year.Start, today) : DayIn(year.Previous.Start, year.Previous.End), recordedAt));
            if (pupil.SchoolId == nominatingSchoolId)
                for (var month = year.Start; month.AddMonths(1).AddDays(-1) <= today; month = month.AddMonths(1))
                {
                    var possible = 2 * random.Number(14, 21);
                    var absent = random.Bool(0.12f) ? random.Number(4, possible / 3) : random.Number(0, 3);
                    var unauthorised = random.Number(0, absent);
                    Attendance.Add(new AttendanceRecord
                    {
                        Id = NextId(),
                        PersonId = pupil.PersonId,
                        SchoolId = pupil.SchoolId,
                        PeriodStart = month,
                        PeriodEnd = month.AddMonths(1).AddDays(-1),
                        SessionsPossible = possible,
                        SessionsPresent = possible - absent,
                        AuthorisedAbsence = absent - unauthorised,
                        UnauthorisedAbsence = unauthorised,
                        RecordedAt = recordedAt,
                    });
                }
        }
        // The school's most suspended pupils this year head its list; one earlier nomination was withdrawn.
        var candidates = Suspensions.Where(s => s.SchoolId == nominatingSchoolId && s.StartDate >= year.Start)
            .GroupBy(s => s.PersonId).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key)
            .Take(NominationReasons.Length + 1).ToList();
        for (var i = 0; i < candidates.Count; i++)
        {
            var nominatedAt = recordedAt.AddDays(-random.Number(7, 60));
            var withdrawn = i == NominationReasons.Length;
            Nominations.Add(new TopTenNomination
            {
                Id = NextId(),
                PersonId = candidates[i],
                SchoolId = nominatingSchoolId,
                Rank = withdrawn ? TopTenNomination.ListSize : i + 1,
                Reason = withdrawn ? "Two suspensions last term" : NominationReasons[i],
                NominatedAt = nominatedAt,
                WithdrawnAt = withdrawn ? nominatedAt.AddDays(5) : null,
                WithdrawalReason = withdrawn ? "Managed move to another school agreed" : null,
            });
        }
        return this;
    }

    private Suspension Exclusion(DemoPupil pupil, ExclusionKind kind, DateOnly start, DateTimeOffset recordedAt) => new()
    {
        Id = NextId(),
        PersonId = pupil.PersonId,
        SchoolId = pupil.SchoolId,
        Kind = kind,
        StartDate = start,
        Sessions = kind == ExclusionKind.Suspension ? 2 * random.Number(1, 3) : null,
        ReasonCode1 = random.ArrayElement(Reasons),
        Outcome = ExclusionOutcome.NotReviewed,
        RecordedAt = recordedAt,
    };

    /// <summary>A school day (Monday to Friday) between two dates.</summary>
    private DateOnly DayIn(DateOnly from, DateOnly to)
    {
        var day = from.AddDays(random.Number(0, Math.Max(0, to.DayNumber - from.DayNumber)));
        while (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
            day = day.AddDays(day.DayOfWeek == DayOfWeek.Saturday ? -1 : -2);
        return day < from ? from : day;
    }

    private Guid NextId()
    {
        var bytes = random.Bytes(16);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }
}
