using System.Globalization;
using Waypoint.Domain;

namespace Waypoint.Features.Schools;

/// <summary>How school records read on the page.</summary>
public static class SchoolLabels
{
    public static string Describe(ExclusionKind kind) => kind switch
    {
        ExclusionKind.Suspension => "Suspension",
        ExclusionKind.PermanentExclusion => "Permanent exclusion",
        _ => kind.ToString(),
    };

    public static string Describe(ExclusionOutcome outcome) => outcome switch
    {
        ExclusionOutcome.NotReviewed => "Stands (not reviewed)",
        ExclusionOutcome.Pending => "Review pending",
        ExclusionOutcome.Upheld => "Upheld on review",
        ExclusionOutcome.Reinstated => "Reinstated",
        ExclusionOutcome.Withdrawn => "Withdrawn",
        _ => outcome.ToString(),
    };

    public static string Describe(BehaviourCategory category) => category switch
    {
        BehaviourCategory.DisruptionInLessons => "Disruption in lessons",
        BehaviourCategory.DefianceOrRefusal => "Defiance or refusal",
        BehaviourCategory.VerbalAbuseOrThreats => "Verbal abuse or threats",
        BehaviourCategory.PhysicalAggression => "Physical aggression",
        BehaviourCategory.Bullying => "Bullying",
        BehaviourCategory.PrejudiceRelated => "Prejudice-related (racist, homophobic, disablist or similar)",
        BehaviourCategory.SexualHarassmentOrHarmfulSexualBehaviour => "Sexual harassment or harmful sexual behaviour",
        BehaviourCategory.DamageToProperty => "Damage to property",
        BehaviourCategory.Theft => "Theft",
        BehaviourCategory.DrugsAlcoholOrSmoking => "Drugs, alcohol, smoking or vaping",
        BehaviourCategory.WeaponOrProhibitedItem => "Weapon or prohibited item",
        BehaviourCategory.OnlineOrMobilePhone => "Online behaviour or mobile phone",
        BehaviourCategory.TruancyOrLeavingWithoutPermission => "Truancy or leaving without permission",
        BehaviourCategory.Other => "Other",
        _ => category.ToString(),
    };

    public static string Describe(ManagedMoveOutcome outcome) => outcome switch
    {
        ManagedMoveOutcome.InProgress => "In progress",
        ManagedMoveOutcome.Completed => "Completed: on the receiving school's roll",
        ManagedMoveOutcome.ReturnedToHomeSchool => "Returned to the home school",
        _ => outcome.ToString(),
    };

    /// <summary>Sessions shown as school days: 5 sessions is "2.5 days".</summary>
    public static string Days(int sessions) => Days(sessions / 2m);

    public static string Days(decimal days) =>
        $"{days.ToString("0.#", CultureInfo.InvariantCulture)} {(days == 1 ? "day" : "days")}";

    public static string Percent(decimal? value) => value is { } v ? $"{v.ToString("0.0", CultureInfo.InvariantCulture)}%" : "No possible sessions";
}
