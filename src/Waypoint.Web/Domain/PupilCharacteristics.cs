namespace Waypoint.Domain;

/// <summary>
/// A pupil's characteristics as their school records them for equality monitoring: sex, ethnicity
/// (DfE census code), SEN provision and free-school-meal eligibility. A category of its own
/// (<see cref="RecordCategories.PupilCharacteristics"/>), apart from education, so that the
/// agreement can share attendance and exclusions without them: by default only the school that
/// holds them sees them, and the equality report counts them (aggregates only). Never a risk factor:
/// <c>RiskSource</c> has no such source.
/// </summary>
public sealed class PupilCharacteristics : ISchoolRecord
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }

    /// <summary>Sex as the school records it for the census; null where it has not said.</summary>
    public Sex? Sex { get; set; }

    /// <summary>DfE census ethnicity code (main or extended, e.g. WBRI, WENG, REFU, NOBT).</summary>
    public string? Ethnicity { get; set; }

    /// <summary>SEN provision: N (none), K (SEN support), E (EHC plan).</summary>
    public string? SenProvision { get; set; }

    public bool? FsmEligible { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Who last changed them by hand; null when a file did.</summary>
    public Guid? UpdatedByUserId { get; set; }

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.PupilCharacteristics;
}

/// <summary>One change to one characteristic: who changed what, when, from what to what, and how (by hand or from a file).</summary>
public sealed class PupilCharacteristicsChange : ISchoolRecord
{
    public const int SourceLength = 60;
    public const int ValueLength = 60;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public DateTimeOffset ChangedAt { get; set; }
    public Guid? ChangedByUserId { get; set; }

    /// <summary>"Entered by hand" or the file's name.</summary>
    public required string Source { get; set; }

    /// <summary>Which characteristic: see <see cref="PupilCharacteristicFields"/>.</summary>
    public required string Field { get; set; }
    public string? From { get; set; }
    public string? To { get; set; }

    public Guid OwnerOrganisationId => SchoolId;
    public string CategoryCode => RecordCategories.PupilCharacteristics;
}

public static class PupilCharacteristicFields
{
    public const string Sex = "Sex";
    public const string Ethnicity = "Ethnicity";
    public const string SenProvision = "SEN provision";
    public const string FsmEligible = "Free school meals";
}
