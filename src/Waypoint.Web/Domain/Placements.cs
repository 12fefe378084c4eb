namespace Waypoint.Domain;

public enum PlacementBasis
{
    FullTime,
    PartTime,
}

/// <summary>
/// A pupil's place in alternative provision: a service of the directory, from a start date to an
/// optional end, full-time or part-time, for so many hours a week. The organisation that recorded
/// it (the council's inclusion team, or the school for a suspended pupil) owns it; it is an
/// education record, so it flows as the agreement lets education records flow. A full-time
/// placement is what meets the sixth-day duty after an exclusion.
/// </summary>
public sealed class ProvisionPlacement : ICategorisedRecord
{
    public const decimal MinHours = 0.5m;
    public const decimal MaxHours = 40m;
    public const int MaxNoteLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public Guid ServiceId { get; set; }
    public Service? Service { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly? EndDate { get; set; }
    public PlacementBasis Basis { get; set; }
    public decimal HoursPerWeek { get; set; }
    public string? Note { get; set; }

    /// <summary>The organisation that recorded it (the inclusion team's council, or the school).</summary>
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public Guid RecordedByUserId { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
    public Guid? EndedByUserId { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    public string CategoryCode => RecordCategories.Education;

    public bool Covers(DateOnly day) => StartDate <= day && (EndDate is null || EndDate >= day);
}

/// <summary>The sixth-day alert sent for an exclusion, kept so that each exclusion is alerted once.</summary>
public sealed class SixthDayAlert
{
    public Guid SuspensionId { get; set; }
    public DateOnly SixthDay { get; set; }
    public DateTimeOffset SentAt { get; set; }
}
