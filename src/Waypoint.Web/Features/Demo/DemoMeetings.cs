using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Demo;

/// <summary>
/// Demo scale only: the Brackton schools cluster's monthly meeting, chaired by the inclusion
/// officer with the DSL's school, the police and the youth service as standing members. Two
/// meetings held (8 and 4 weeks ago; decisions, actions done and overdue, consent sought by the
/// police and given once, minutes approved) and one coming in two weeks with the children carried
/// over on its agenda, not yet issued. The agendas' grants are made as issuing them would have.
/// </summary>
public static class DemoMeetings
{
    public static async Task SeedAsync(WaypointDbContext db, Guid schoolId, DateTimeOffset now, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var chair = await db.Users.Where(u => u.Email == "inclusion.officer@nenshire.demo").Select(u => new { u.Id, u.OrganisationId }).FirstOrDefaultAsync(ct);
        var police = await db.Organisations.Where(o => o.Type == OrganisationType.Police).Select(o => o.Id).FirstOrDefaultAsync(ct);
        var youth = await db.Organisations.Where(o => o.Type == OrganisationType.YouthService).Select(o => o.Id).FirstOrDefaultAsync(ct);
        var county = await db.Areas.Where(a => a.Kind == AreaKind.County).Select(a => a.Id).FirstOrDefaultAsync(ct);
        var nominated = await db.TopTenNominations.Where(n => n.SchoolId == schoolId && n.WithdrawnAt == null).OrderBy(n => n.Rank)
            .Select(n => new { n.PersonId, n.Rank }).Take(5).ToListAsync(ct);
        var officer = await db.Users.Where(u => u.Email == "ei.officer@nenshire-police.demo").Select(u => u.Id).FirstOrDefaultAsync(ct);
        if (chair is null || police == Guid.Empty || youth == Guid.Empty || nominated.Count < 5)
            return;
        string school = await db.Organisations.Where(o => o.Id == schoolId).Select(o => o.Name).FirstAsync(ct);
        var members = new[] { schoolId, police, youth };
        var series = new MeetingSeries
        {
            Name = "Brackton schools cluster, monthly",
            AreaId = county,
            ChairUserId = chair.Id,
            OrganiserOrganisationId = chair.OrganisationId,
            CreatedAt = now.AddDays(-70),
            CreatedByUserId = chair.Id,
            Members = members.Select(o => new MeetingSeriesMember { OrganisationId = o }).ToList(),
        };
        db.Set<MeetingSeries>().Add(series);

        Meeting Meeting(int daysFromToday, bool held) => new()
        {
            SeriesId = series.Id,
            Date = today.AddDays(daysFromToday),
            StartTime = new TimeOnly(14, 0),
            DurationMinutes = 90,
            Place = "Brackton Academy, meeting room 2",
            ScheduledAt = now.AddDays(daysFromToday - 21),
            ScheduledByUserId = chair.Id,
            AgendaIssuedAt = held ? now.AddDays(daysFromToday - 7) : null,
            MinutesApprovedAt = held ? now.AddDays(daysFromToday + 2) : null,
            MinutesApprovedByUserId = held ? chair.Id : null,
            Invitees = members.Select(o => new MeetingInvitee { OrganisationId = o, InvitedAt = now.AddDays(daysFromToday - 21), Attendance = held ? Attendance.Present : null }).ToList(),
        };
        var first = Meeting(-56, held: true);
        var second = Meeting(-28, held: true);
        var next = Meeting(14, held: false);
        db.Set<Meeting>().AddRange(first, second, next);

        AgendaItem Item(Meeting meeting, int position, Guid personId, AgendaItemSource source, string why, MeetingDecisionKind? decision, string? discussion,
            params (string Description, Guid Owner, int DueDays, int? DoneDays)[] actions)
        {
            var item = new AgendaItem
            {
                MeetingId = meeting.Id,
                PersonId = personId,
                Position = position,
                Source = source,
                Why = why,
                AddedAt = now.AddDays(meeting.Date.DayNumber - today.DayNumber - 10),
                AddedByUserId = chair.Id,
                Discussion = discussion,
                Decision = decision,
                ConsentAgencyId = decision == MeetingDecisionKind.SeekConsentForEarlyHelp ? police : null,
                DecidedAt = decision is null ? null : now.AddDays(meeting.Date.DayNumber - today.DayNumber),
            };
            foreach (var (description, owner, dueDays, doneDays) in actions)
                item.Actions.Add(new MeetingAction
                {
                    AgendaItemId = item.Id,
                    PersonId = personId,
                    Description = description,
                    OwnerOrganisationId = owner,
                    DueOn = meeting.Date.AddDays(dueDays),
                    CreatedAt = now.AddDays(meeting.Date.DayNumber - today.DayNumber),
                    CompletedAt = doneDays is { } d ? now.AddDays(meeting.Date.DayNumber - today.DayNumber + d) : null,
                });
            db.Set<AgendaItem>().Add(item);
            if (meeting.AgendaIssuedAt is not null)
                foreach (var organisation in members)
                    db.Involvements.Add(new Involvement
                    {
                        PersonId = personId,
                        OrganisationId = organisation,
                        Source = InvolvementSource.Meeting,
                        SourceId = item.Id,
                        Reason = $"On the agenda of {series.Name}, meeting on {meeting.Date:d MMMM yyyy}",
                        StartDate = DateOnly.FromDateTime(meeting.AgendaIssuedAt.Value.UtcDateTime),
                        EndDate = meeting.Date.AddDays(MeetingSettings.DefaultAccessDaysAfterMeeting),
                        AddedByUserId = chair.Id,
                        AddedAt = meeting.AgendaIssuedAt.Value,
                    });
            return item;
        }

        string TopTen(int rank) => $"Number {rank} on {school}'s top 10 at risk of exclusion";
        var firstSought = Item(first, 1, nominated[0].PersonId, AgendaItemSource.TopTen, TopTen(nominated[0].Rank), MeetingDecisionKind.SeekConsentForEarlyHelp,
            "Repeated suspensions this term; family not known to services.", ("Home visit with the school to ask the family for consent", police, 14, 6));
        Item(first, 2, nominated[1].PersonId, AgendaItemSource.TopTen, TopTen(nominated[1].Rank), MeetingDecisionKind.SingleAgencySupport,
            "School to put a mentor in place.", ("Weekly mentoring with the youth service", youth, 21, 18));
        Item(first, 3, nominated[2].PersonId, AgendaItemSource.TopTen, TopTen(nominated[2].Rank), MeetingDecisionKind.CarryOver,
            "Waiting for the attendance review.");
        var secondSought = Item(second, 1, nominated[2].PersonId, AgendaItemSource.CarriedOver, $"Carried over from the meeting on {first.Date:d MMMM yyyy}", MeetingDecisionKind.SeekConsentForEarlyHelp,
            "Attendance review shows a fall to 82%.", ("Home visit with the school to ask the family for consent", police, 14, null));
        Item(second, 2, nominated[3].PersonId, AgendaItemSource.TopTen, TopTen(nominated[3].Rank), MeetingDecisionKind.CarryOver,
            "School to report back on the part-time timetable.", ("Report back on the part-time timetable", schoolId, 21, null));
        Item(next, 1, nominated[3].PersonId, AgendaItemSource.CarriedOver, $"Carried over from the meeting on {second.Date:d MMMM yyyy}", null, null);
        Item(next, 2, nominated[4].PersonId, AgendaItemSource.TopTen, TopTen(nominated[4].Rank), null, null);

        // The police visit after the first meeting: the family agreed, so the consent-rate report shows it.
        var answer = new ConsentRecord
        {
            PersonId = nominated[0].PersonId,
            AskedByOrganisationId = police,
            AskedByUserId = officer,
            ForOrganisationId = youth,
            Method = ConsentMethod.HomeVisit,
            AskedOn = first.Date.AddDays(6),
            AnsweredBy = "Parent",
            Outcome = ConsentOutcome.Given,
            Scope = "Early help with the youth service, agreed at the cluster meeting",
            RecordedAt = now.AddDays(first.Date.DayNumber - today.DayNumber + 6),
        };
        db.ConsentRecords.Add(answer);
        // The requests the two decisions to seek consent made: the first answered (given), the second still outstanding in the police's My work.
        ConsentRequest Request(Meeting meeting, AgendaItem item) => new()
        {
            PersonId = item.PersonId,
            AskingOrganisationId = police,
            AskingUserId = officer,
            DueOn = meeting.Date.AddDays(Meetings.MeetingWork.ConsentVisitDays),
            RequestedAt = now.AddDays(meeting.Date.DayNumber - today.DayNumber),
            RequestedByUserId = chair.Id,
            AgendaItemId = item.Id,
            VisitActionId = item.Actions.FirstOrDefault()?.Id,
        };
        var answered = Request(first, firstSought);
        answered.ResolvedAt = answer.RecordedAt;
        answered.Outcome = ConsentOutcome.Given;
        answered.ConsentRecordId = answer.Id;
        db.ConsentRequests.AddRange(answered, Request(second, secondSought));

        // The second meeting's minutes were corrected after approval: version 2, the first wording kept.
        var corrected = "Attendance review shows a fall to 82% this term, from 91% last term.";
        db.Set<MinutesCorrection>().Add(new MinutesCorrection
        {
            MeetingId = second.Id,
            AgendaItemId = secondSought.Id,
            PersonId = secondSought.PersonId,
            Version = 2,
            PreviousDiscussion = secondSought.Discussion,
            Discussion = corrected,
            Reason = "The school sent last term's figure after the meeting",
            CorrectedAt = now.AddDays(second.Date.DayNumber - today.DayNumber + 4),
            CorrectedByUserId = chair.Id,
        });
        secondSought.Discussion = corrected;
        await db.SaveChangesAsync(ct);
    }
}
