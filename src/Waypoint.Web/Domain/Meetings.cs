namespace Waypoint.Domain;

/// <summary>
/// A partnership's regular early-intervention meeting (for example "Brackton schools cluster,
/// monthly"): the area whose schools and children it covers, its chair and the organisations that
/// sit on it as standing members (invited to every meeting). Holds no personal data itself.
/// </summary>
public sealed class MeetingSeries
{
    public const int MaxNameLength = 200;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public Guid AreaId { get; set; }
    public Area? Area { get; set; }
    public Guid ChairUserId { get; set; }

    /// <summary>The organisation of whoever set the series up: its people run the meetings with the chair.</summary>
    public Guid OrganiserOrganisationId { get; set; }

    public Organisation? OrganiserOrganisation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public List<MeetingSeriesMember> Members { get; set; } = [];
    public List<Meeting> Meetings { get; set; } = [];
}

/// <summary>An organisation that sits on every meeting of a series.</summary>
public sealed class MeetingSeriesMember
{
    public Guid SeriesId { get; set; }
    public Guid OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
}

/// <summary>
/// One meeting of a series. Its agenda, once issued, is what lets the invited organisations see
/// the children on it (<see cref="InvolvementSource.Meeting"/> grants, each ending a set number of
/// days after the meeting).
/// </summary>
public sealed class Meeting
{
    public const int MaxPlaceLength = 300;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SeriesId { get; set; }
    public MeetingSeries? Series { get; set; }
    public DateOnly Date { get; set; }
    public TimeOnly StartTime { get; set; }
    public int DurationMinutes { get; set; } = 90;
    public string? Place { get; set; }
    public string? OnlineLink { get; set; }
    public DateTimeOffset ScheduledAt { get; set; }
    public Guid ScheduledByUserId { get; set; }

    /// <summary>When the chair issued the agenda: the invited organisations' access to the children on it starts then.</summary>
    public DateTimeOffset? AgendaIssuedAt { get; set; }

    /// <summary>When the chair approved the minutes: they may then be distributed, and the record of the meeting is locked.</summary>
    public DateTimeOffset? MinutesApprovedAt { get; set; }

    public Guid? MinutesApprovedByUserId { get; set; }

    public List<MeetingInvitee> Invitees { get; set; } = [];
    public List<AgendaItem> Items { get; set; } = [];
}

/// <summary>One copy of a meeting's approved minutes handed to someone (the distribution record); what it held followed their organisation's access.</summary>
public sealed class MinutesDownload
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MeetingId { get; set; }
    public Guid UserId { get; set; }
    public Guid OrganisationId { get; set; }
    public DateTimeOffset DownloadedAt { get; set; }

    /// <summary>How many children the copy named (those the reader's organisation may see).</summary>
    public int Children { get; set; }
}

public enum Attendance
{
    Present,
    Apologies,
    Absent,
}

/// <summary>An organisation (and, where named, one of its people) invited to a meeting. Removed invitees are kept, with the reason.</summary>
public sealed class MeetingInvitee
{
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MeetingId { get; set; }
    public Guid OrganisationId { get; set; }
    public Organisation? Organisation { get; set; }
    public Guid? UserId { get; set; }
    public DateTimeOffset InvitedAt { get; set; }
    public Attendance? Attendance { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public string? RemovedReason { get; set; }

    public bool IsCurrent => RemovedAt is null;
}

/// <summary>Where a child on an agenda came from, shown with the item so everyone knows why the child is being discussed.</summary>
public enum AgendaItemSource
{
    TopTen,
    Alert,
    CarriedOver,
    Added,

    /// <summary>A hub practitioner triaging a report marked it for the series' next meeting.</summary>
    HubReferral,

    /// <summary>Above the published risk matrix's threshold, and the score reviewed by a person.</summary>
    RiskCohort,
}

/// <summary>What a meeting decided for a child on its agenda.</summary>
public enum MeetingDecisionKind
{
    NoFurtherAction,
    SingleAgencySupport,
    SeekConsentForEarlyHelp,
    ReferToHub,
    ReferToService,
    StepUpToSocialCare,
    CarryOver,
}

/// <summary>
/// A child on a meeting's agenda, with why they are on it. Person-level: the access policy shows
/// it with the child. Removed items are kept, with the reason; removing one ends the access it gave.
/// </summary>
public sealed class AgendaItem
{
    public const int MaxWhyLength = 500;
    public const int MaxDiscussionLength = 4000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MeetingId { get; set; }
    public Meeting? Meeting { get; set; }
    public Guid PersonId { get; set; }
    public Person? Person { get; set; }
    public int Position { get; set; }
    public AgendaItemSource Source { get; set; }
    public required string Why { get; set; }
    public DateTimeOffset AddedAt { get; set; }
    public Guid AddedByUserId { get; set; }
    public DateTimeOffset? RemovedAt { get; set; }
    public string? RemovedReason { get; set; }
    public Guid? RemovedByUserId { get; set; }

    public string? Discussion { get; set; }
    public MeetingDecisionKind? Decision { get; set; }

    /// <summary>The agency that will ask the family for consent, when the decision is to seek it.</summary>
    public Guid? ConsentAgencyId { get; set; }

    public DateTimeOffset? DecidedAt { get; set; }
    public List<MeetingAction> Actions { get; set; } = [];

    public bool IsCurrent => RemovedAt is null;
}

/// <summary>Something a meeting agreed an organisation will do for a child, by a date. Shown in that organisation's My work.</summary>
public sealed class MeetingAction
{
    public const int MaxDescriptionLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid AgendaItemId { get; set; }
    public Guid PersonId { get; set; }
    public required string Description { get; set; }
    public Guid OwnerOrganisationId { get; set; }
    public Organisation? OwnerOrganisation { get; set; }
    public Guid? OwnerUserId { get; set; }
    public DateOnly DueOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}

/// <summary>The partnership's meeting settings (one row; none means the defaults).</summary>
public sealed class MeetingSettings
{
    public const int DefaultAccessDaysAfterMeeting = 28;

    public int Id { get; set; } = 1;

    /// <summary>How many days after a meeting the access its agenda gave the invited organisations ends.</summary>
    public int AccessDaysAfterMeeting { get; set; } = DefaultAccessDaysAfterMeeting;
}

/// <summary>
/// A hub report marked, while triaging it, for the next early-intervention meeting of a series
/// covering the child's area: the chair sees it among the agenda's sources, naming the report,
/// until the child has been on an agenda of that series since. Person-level, with the child.
/// </summary>
public sealed class MeetingReferralMark
{
    public const int MaxWhyLength = 300;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ReferralId { get; set; }
    public Guid PersonId { get; set; }
    public Guid SeriesId { get; set; }
    public MeetingSeries? Series { get; set; }

    /// <summary>Why the child is on the agenda, written when marked, naming the report (its date and concerns), never what is known.</summary>
    public required string Why { get; set; }

    public DateTimeOffset MarkedAt { get; set; }
    public Guid MarkedByUserId { get; set; }
    public Guid MarkedByOrganisationId { get; set; }
}

/// <summary>
/// A correction to approved minutes: a new version of them, with why. The wording it replaced is
/// kept, so every earlier version stays readable; the minutes print the current version with its
/// number. Person-level (it holds what was said of one child), shown with the child.
/// </summary>
public sealed class MinutesCorrection
{
    public const int MaxReasonLength = 500;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MeetingId { get; set; }
    public Guid AgendaItemId { get; set; }
    public Guid PersonId { get; set; }

    /// <summary>The version of the minutes this correction made: the approved minutes are version 1.</summary>
    public int Version { get; set; }

    public string? PreviousDiscussion { get; set; }
    public string? Discussion { get; set; }
    public required string Reason { get; set; }
    public DateTimeOffset CorrectedAt { get; set; }
    public Guid CorrectedByUserId { get; set; }
}
