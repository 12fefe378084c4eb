using Waypoint.Domain;

namespace Waypoint.Tests.Access;

public abstract partial class AccessWorld
{
    private Dictionary<KeyKind, Guid>? meetingKeys;

    /// <summary>
    /// A meeting run by the persona's organisation and chaired by the persona, held today, with a
    /// child the persona sees on its issued agenda, an invitee and an action the organisation owns:
    /// the keys the meeting routes take (issue 12), so the fuzz reaches their handlers. Made once.
    /// </summary>
    public async Task<IReadOnlyDictionary<KeyKind, Guid>> MeetingKeysAsync(Persona persona)
    {
        if (meetingKeys is not null)
            return meetingKeys;
        var child = persona.Cases.First(c => c.WithRelationship).Person;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var now = DateTimeOffset.UtcNow;
        var series = new MeetingSeries
        {
            Name = $"Fuzz series {Partnership.Suffix}",
            AreaId = Partnership.County.Id,
            ChairUserId = persona.User.Id,
            OrganiserOrganisationId = persona.Organisation.Id,
            CreatedAt = now,
            CreatedByUserId = persona.User.Id,
            Members = [new MeetingSeriesMember { OrganisationId = persona.Organisation.Id }],
        };
        var invitee = new MeetingInvitee { OrganisationId = persona.Organisation.Id, InvitedAt = now };
        var meeting = new Meeting
        {
            SeriesId = series.Id,
            Date = today,
            StartTime = new TimeOnly(9, 0),
            Place = "Fuzz hall",
            ScheduledAt = now,
            ScheduledByUserId = persona.User.Id,
            AgendaIssuedAt = now,
            Invitees = [invitee],
        };
        var item = new AgendaItem { MeetingId = meeting.Id, PersonId = child.Id, Position = 1, Source = AgendaItemSource.Added, Why = "Fuzz", AddedAt = now, AddedByUserId = persona.User.Id };
        var action = new MeetingAction
        {
            AgendaItemId = item.Id,
            PersonId = child.Id,
            Description = "Fuzz action",
            OwnerOrganisationId = persona.Organisation.Id,
            DueOn = today.AddDays(7),
            CreatedAt = now,
        };
        await app.AsSystemAsync(async db =>
        {
            db.Add(series);
            db.Add(meeting);
            db.Add(item);
            db.Add(action);
            await db.SaveChangesAsync();
        });
        meetingKeys = new Dictionary<KeyKind, Guid>
        {
            [KeyKind.MeetingSeries] = series.Id,
            [KeyKind.Meeting] = meeting.Id,
            [KeyKind.AgendaItem] = item.Id,
            [KeyKind.MeetingInvitee] = invitee.Id,
            [KeyKind.MeetingAction] = action.Id,
        };
        return meetingKeys;
    }
}
