namespace Waypoint.Features.Schools.Rules;

public enum AbsenceLevel
{
    None,

    /// <summary>10% or more of possible sessions missed.</summary>
    Persistent,

    /// <summary>50% or more of possible sessions missed.</summary>
    Severe,
}

/// <summary>Sessions possible and missed (authorised and unauthorised) over some span, and what they add up to.</summary>
public sealed record AbsenceSummary(int SessionsPossible, int AuthorisedAbsence, int UnauthorisedAbsence)
{
    public int SessionsMissed => AuthorisedAbsence + UnauthorisedAbsence;

    /// <summary>
    /// Absence as a percentage of possible sessions (null when there were none), rounded to one
    /// place as the DfE publishes it (half away from zero: 50.85% is 50.9%). Whether it is
    /// persistent or severe is decided in whole sessions (<see cref="Level"/>), never from this
    /// figure: 9.96% shows as 10.0% and is not persistent absence.
    /// </summary>
    public decimal? AbsenceRate => SessionsPossible == 0 ? null : Math.Round(100m * SessionsMissed / SessionsPossible, 1, MidpointRounding.AwayFromZero);

    public decimal? AttendanceRate => AbsenceRate is { } rate ? 100m - rate : null;

    public AbsenceLevel Level => AbsenceRules.Classify(SessionsPossible, SessionsMissed);
}

/// <summary>
/// The DfE absence thresholds. Compared in whole sessions, never through a rounded percentage:
/// 99 sessions missed of 1,000 (9.9%) is not persistent absence; 100 (10%) is.
/// </summary>
public static class AbsenceRules
{
    public const int PersistentPercent = 10;
    public const int SeverePercent = 50;

    public static bool IsPersistent(int sessionsPossible, int sessionsMissed) => Reaches(sessionsPossible, sessionsMissed, PersistentPercent);

    public static bool IsSevere(int sessionsPossible, int sessionsMissed) => Reaches(sessionsPossible, sessionsMissed, SeverePercent);

    /// <summary>Whether the sessions missed are at least <paramref name="percent"/>% of those possible (the partnership may set its own line for alerts).</summary>
    public static bool Reaches(int sessionsPossible, int sessionsMissed, int percent) =>
        sessionsPossible > 0 && 100L * sessionsMissed >= percent * (long)sessionsPossible;

    public static AbsenceLevel Classify(int sessionsPossible, int sessionsMissed) =>
        IsSevere(sessionsPossible, sessionsMissed) ? AbsenceLevel.Severe
        : IsPersistent(sessionsPossible, sessionsMissed) ? AbsenceLevel.Persistent
        : AbsenceLevel.None;

    /// <summary>The youngest and oldest ages, at 31 August before the academic year, in the DfE's headline absence measures.</summary>
    public const int CohortFromAge = 5;
    public const int CohortToAge = 15;

    /// <summary>
    /// Whether the pupil is in the DfE's headline absence measures for the year: of compulsory
    /// school age, 5 to 15 at the start of the academic year (their age on the 31 August before it).
    /// Four-year-olds and sixth-formers are recorded but not counted; so is a pupil whose date of birth is not known.
    /// </summary>
    public static bool InHeadlineCohort(DateOnly? dateOfBirth, AcademicYear year)
    {
        if (dateOfBirth is not { } born)
            return false;
        var on = new DateOnly(year.StartYear, 8, 31);
        var age = on.Year - born.Year - (on < born.AddYears(on.Year - born.Year) ? 1 : 0);
        return age is >= CohortFromAge and <= CohortToAge;
    }

    /// <summary>
    /// The DfE measures absence per enrolment, not per pupil: a pupil at two schools in a year is
    /// counted at each, on that school's sessions alone. One summary per school, in the order given.
    /// </summary>
    public static IReadOnlyList<(TSchool School, AbsenceSummary Summary)> PerEnrolment<TSchool>(IEnumerable<(TSchool School, int Possible, int Authorised, int Unauthorised)> periods)
        where TSchool : notnull =>
        periods.GroupBy(p => p.School).Select(g => (g.Key, Summarise(g.Select(p => (p.Possible, p.Authorised, p.Unauthorised))))).ToList();

    public static AbsenceSummary Summarise(IEnumerable<(int Possible, int Authorised, int Unauthorised)> periods)
    {
        int possible = 0, authorised = 0, unauthorised = 0;
        foreach (var (p, a, u) in periods)
        {
            possible += p;
            authorised += a;
            unauthorised += u;
        }
        return new AbsenceSummary(possible, authorised, unauthorised);
    }
}
