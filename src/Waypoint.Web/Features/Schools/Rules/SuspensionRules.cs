using Waypoint.Domain;

namespace Waypoint.Features.Schools.Rules;

/// <summary>What the suspension rules need to know of one suspension or permanent exclusion.</summary>
public sealed record SuspensionFacts(Guid Id, Guid SchoolId, ExclusionKind Kind, DateOnly StartDate, int Sessions, ExclusionOutcome Outcome, bool MissesPublicExamination)
{
    /// <summary>A withdrawn suspension never took effect, so no limit or total counts it.</summary>
    public bool Counts => Outcome != ExclusionOutcome.Withdrawn;

    public static SuspensionFacts Of(Suspension s) =>
        new(s.Id, s.SchoolId, s.Kind, s.StartDate, s.Sessions ?? 0, s.Outcome, s.MissesPublicExamination);
}

public sealed record YearSuspensionTotal(AcademicYear Year, int Sessions, int Schools)
{
    public decimal Days => Sessions / 2m;

    /// <summary>Over the legal maximum: 45 days is allowed, 45.5 is not.</summary>
    public bool ExceedsLimit => Sessions > SuspensionLimit.MaxSessionsInYear;

    /// <summary>Days that may still be given this year (never below zero).</summary>
    public decimal DaysRemaining => Math.Max(0, SuspensionLimit.MaxSessionsInYear - Sessions) / 2m;
}

/// <summary>
/// A pupil may not be suspended for more than 45 school days in a school year (Education Act
/// 2002, s.51A, and the suspension regulations). The limit follows the pupil, so suspensions from
/// every school count. Counted in sessions (90); each suspension falls in the year it starts in.
/// </summary>
public static class SuspensionLimit
{
    public const int MaxDaysInYear = 45;
    public const int MaxSessionsInYear = MaxDaysInYear * 2;

    public static YearSuspensionTotal Total(IEnumerable<SuspensionFacts> suspensions, AcademicYear year)
    {
        var counted = suspensions.Where(s => s.Kind == ExclusionKind.Suspension && s.Counts && year.Contains(s.StartDate)).ToList();
        return new YearSuspensionTotal(year, counted.Sum(s => s.Sessions), counted.Select(s => s.SchoolId).Distinct().Count());
    }

    /// <summary>Whether a further suspension of this many sessions would take the pupil past the limit.</summary>
    public static bool WouldExceed(IEnumerable<SuspensionFacts> suspensions, DateOnly startDate, int sessions) =>
        Total(suspensions, AcademicYear.Of(startDate)).Sessions + sessions > MaxSessionsInYear;
}

public enum NotificationReason
{
    PermanentExclusion,

    /// <summary>The pupil's suspensions from the school this term come to more than five school days (ten lunchtimes).</summary>
    MoreThanFiveDaysInTerm,
    MissesPublicExamination,
}

/// <summary>When the headteacher must tell the local authority: at once (with why), or with the termly return.</summary>
public sealed record LocalAuthorityNotice(IReadOnlyList<NotificationReason> Reasons)
{
    public bool AtOnce => Reasons.Count > 0;

    public static string Describe(NotificationReason reason) => reason switch
    {
        NotificationReason.PermanentExclusion => "a permanent exclusion",
        NotificationReason.MoreThanFiveDaysInTerm => "more than 5 school days of suspension this term",
        NotificationReason.MissesPublicExamination => "the pupil will miss a public examination or national curriculum test",
        _ => reason.ToString(),
    };
}

/// <summary>
/// The duty to tell the local authority without delay (suspension and permanent exclusion
/// guidance, 2024): any permanent exclusion; a suspension that takes the pupil's suspensions from
/// that school to more than 5 school days in a term (lunchtimes count half a day each, so more
/// than 10 lunchtimes); a suspension that means missing a public examination. Everything else goes
/// to the authority within 14 days of the end of term. The duty falls on the suspending school, so
/// only its own suspensions count towards the 5 days.
/// </summary>
public static class LocalAuthorityNotification
{
    public const int TermThresholdSessions = 10;

    /// <param name="suspension">The suspension or exclusion being given.</param>
    /// <param name="others">The pupil's other suspensions (from any school, in any year; the rule picks what counts).</param>
    public static LocalAuthorityNotice Assess(SuspensionFacts suspension, IEnumerable<SuspensionFacts> others)
    {
        var reasons = new List<NotificationReason>();
        if (suspension.Kind == ExclusionKind.PermanentExclusion)
            reasons.Add(NotificationReason.PermanentExclusion);
        else if (suspension.Counts)
        {
            var earlierThisTerm = others
                .Where(o => o.Id != suspension.Id && o.Kind == ExclusionKind.Suspension && o.Counts && o.SchoolId == suspension.SchoolId
                    && GivenBefore(o, suspension) && SchoolCalendar.SameTerm(o.StartDate, suspension.StartDate))
                .Sum(o => o.Sessions);
            if (earlierThisTerm + suspension.Sessions > TermThresholdSessions)
                reasons.Add(NotificationReason.MoreThanFiveDaysInTerm);
        }
        if (suspension.MissesPublicExamination)
            reasons.Add(NotificationReason.MissesPublicExamination);
        return new LocalAuthorityNotice(reasons);
    }

    // Same-day suspensions are ordered by id (version 7 ids follow the order they were made in).
    private static bool GivenBefore(SuspensionFacts a, SuspensionFacts b) =>
        a.StartDate < b.StartDate || (a.StartDate == b.StartDate && a.Id.CompareTo(b.Id) < 0);
}
