using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>The words the meeting pages use for the meeting's enums.</summary>
public static class MeetingLabels
{
    public static string Of(AgendaItemSource source) => source switch
    {
        AgendaItemSource.TopTen => "School's top 10",
        AgendaItemSource.Alert => "Early-warning alert",
        AgendaItemSource.CarriedOver => "Carried over",
        AgendaItemSource.HubReferral => "Hub report marked for the meeting",
        AgendaItemSource.RiskCohort => "Reviewed high-risk cohort",
        _ => "Added by the chair",
    };

    public static string Of(MeetingDecisionKind decision) => decision switch
    {
        MeetingDecisionKind.NoFurtherAction => "No further action",
        MeetingDecisionKind.SingleAgencySupport => "Single-agency support",
        MeetingDecisionKind.SeekConsentForEarlyHelp => "Seek consent and open an early-help case",
        MeetingDecisionKind.ReferToHub => "Refer to the early-help hub",
        MeetingDecisionKind.ReferToService => "Refer to a service",
        MeetingDecisionKind.StepUpToSocialCare => "Step up to children's social care",
        _ => "Carry over to the next meeting",
    };

    public static string Of(Attendance attendance) => attendance switch
    {
        Attendance.Present => "Present",
        Attendance.Apologies => "Apologies",
        _ => "Absent",
    };
}
