using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;

namespace Waypoint.Features.Meetings;

public sealed record SeriesInput(string? Name, Guid? AreaId, Guid? ChairUserId, IReadOnlyCollection<Guid> MemberOrganisationIds);

public sealed record ScheduleInput(DateOnly? Date, TimeOnly? StartTime, int? DurationMinutes, string? Place, string? OnlineLink);

/// <summary>A child the chair could put on the agenda, with why.</summary>
/// <summary>An action as entered: what, which organisation owns it (and who, where named), by when.</summary>
public sealed record ActionInput(string? Description, Guid? OwnerOrganisationId, Guid? OwnerUserId, DateOnly? DueOn);

/// <summary>A decision as entered for a child on the agenda.</summary>
public sealed record DecisionInput(string? Discussion, MeetingDecisionKind? Decision, Guid? ConsentAgencyId, IReadOnlyList<ActionInput> Actions, Guid? ConsentUserId = null);

public sealed record AgendaCandidate(Guid PersonId, string Name, AgendaItemSource Source, string Why);

/// <summary>
/// Runs a partnership's early-intervention meetings: series, scheduling, invitations and the
/// agenda. Issuing the agenda is a grant (through <see cref="GrantRules.GrantByProcess"/>): each
/// invited organisation may see each child on it from then until the partnership's set number of
/// days after the meeting; removing the child or the invitee ends it. Refusals name their field.
/// </summary>
public sealed class MeetingWork(WaypointDbContext db, GrantRules grants, PersonAccess access, INotifier notifier, TimeProvider clock, MeetingSources sources, MinutesVersions versions)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Whether the reader may set up a series: someone holding a partnership function (hub,
    /// inclusion team) or the police (early-intervention officers), as in the Wellingborough model.
    /// </summary>
    public async Task<bool> MayRunSeriesAsync(CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.IsSystem)
            return true;
        if (reader.AggregatesOnly)
            return false;
        if (reader.OrganisationType == OrganisationType.Police)
            return true;
        var today = Today;
        return await db.PartnershipRoleGrants.AnyAsync(g => g.UserId == reader.UserId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today), ct);
    }

    /// <summary>The chair and the people of the organisation that set the series up run its meetings.</summary>
    public bool MayManage(MeetingSeries series) =>
        db.Reader.IsSystem || series.ChairUserId == db.Reader.UserId || series.OrganiserOrganisationId == db.Reader.OrganisationId;

    /// <summary>Those who run it, its standing members and the organisations invited to one of its meetings see a series.</summary>
    public IQueryable<MeetingSeries> VisibleSeries()
    {
        var reader = db.Reader;
        if (reader.IsSystem)
            return db.Set<MeetingSeries>();
        return db.Set<MeetingSeries>().Where(s => s.ChairUserId == reader.UserId || s.OrganiserOrganisationId == reader.OrganisationId
            || s.Members.Any(m => m.OrganisationId == reader.OrganisationId)
            || s.Meetings.Any(m => m.Invitees.Any(i => i.OrganisationId == reader.OrganisationId && i.RemovedAt == null)));
    }

    /// <summary>A meeting the reader may see (as <see cref="VisibleSeries"/>, or invited to it), with its series; null when not.</summary>
    public Task<Meeting?> FindMeetingAsync(Guid id, CancellationToken ct) =>
        db.Set<Meeting>().Include(m => m.Invitees).Include(m => m.Series).ThenInclude(s => s!.Members)
            .Where(m => m.Id == id && VisibleSeries().Any(s => s.Id == m.SeriesId))
            .FirstOrDefaultAsync(ct);

    public async Task<(MeetingSeries? Series, Dictionary<string, string> Errors)> CreateSeriesAsync(SeriesInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name))
            errors["Name"] = "Enter a name for the series, for example \"Brackton schools cluster, monthly\"";
        else if (name.Length > MeetingSeries.MaxNameLength)
            errors["Name"] = $"The name must be {MeetingSeries.MaxNameLength} characters or fewer";
        if (input.AreaId is not { } areaId || !await db.Areas.AnyAsync(a => a.Id == areaId, ct))
            errors["AreaId"] = "Select the area whose schools and children the meetings cover";
        if (input.ChairUserId is not { } chairId || !await db.Users.AnyAsync(u => u.Id == chairId && u.IsActive, ct))
            errors["ChairUserId"] = "Select the chair";
        var members = input.MemberOrganisationIds.Distinct().ToList();
        if (await db.Organisations.CountAsync(o => members.Contains(o.Id) && o.IsActive, ct) != members.Count)
            errors["MemberOrganisationIds"] = "Standing members must be organisations of the partnership";
        if (errors.Count > 0)
            return (null, errors);
        var series = new MeetingSeries
        {
            Name = name!,
            AreaId = input.AreaId!.Value,
            ChairUserId = input.ChairUserId!.Value,
            OrganiserOrganisationId = db.Reader.OrganisationId,
            CreatedAt = clock.GetUtcNow(),
            CreatedByUserId = db.Reader.UserId,
            Members = members.Select(o => new MeetingSeriesMember { OrganisationId = o }).ToList(),
        };
        db.Set<MeetingSeries>().Add(series);
        await db.SaveChangesAsync(ct);
        return (series, errors);
    }

    /// <summary>Schedules a meeting of the series, never in the past, inviting its standing members.</summary>
    public async Task<(Meeting? Meeting, Dictionary<string, string> Errors)> ScheduleAsync(MeetingSeries series, ScheduleInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (input.Date is not { } date)
            errors["Date"] = "Enter the date of the meeting";
        else if (date < Today)
            errors["Date"] = "The date of the meeting must be today or in the future";
        else if (date > Today.AddMonths(GrantRules.MaxSpanMonths))
            errors["Date"] = $"The date of the meeting must be within {GrantRules.MaxSpanMonths} months";
        if (input.StartTime is null)
            errors["StartTime"] = "Enter the time the meeting starts, for example 14:00";
        if (input.DurationMinutes is { } minutes && minutes is < 15 or > 480)
            errors["DurationMinutes"] = "The length of the meeting must be between 15 and 480 minutes";
        var place = input.Place?.Trim();
        var link = input.OnlineLink?.Trim();
        if (string.IsNullOrEmpty(place) && string.IsNullOrEmpty(link))
            errors["Place"] = "Enter where the meeting is, or an online link";
        else if (place?.Length > Meeting.MaxPlaceLength)
            errors["Place"] = $"The place must be {Meeting.MaxPlaceLength} characters or fewer";
        if (!string.IsNullOrEmpty(link) && (link.Length > Meeting.MaxPlaceLength || !Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps))
            errors["OnlineLink"] = "The online link must be a full https:// address";
        if (errors.Count > 0)
            return (null, errors);
        var now = clock.GetUtcNow();
        var meeting = new Meeting
        {
            SeriesId = series.Id,
            Date = input.Date!.Value,
            StartTime = input.StartTime!.Value,
            DurationMinutes = input.DurationMinutes ?? 90,
            Place = string.IsNullOrEmpty(place) ? null : place,
            OnlineLink = string.IsNullOrEmpty(link) ? null : link,
            ScheduledAt = now,
            ScheduledByUserId = db.Reader.UserId,
            Invitees = series.Members.Select(m => new MeetingInvitee { OrganisationId = m.OrganisationId, InvitedAt = now }).ToList(),
        };
        db.Set<Meeting>().Add(meeting);
        await db.SaveChangesAsync(ct);
        await NotifyInvitedAsync(meeting, series, meeting.Invitees, ct);
        return (meeting, errors);
    }

    /// <summary>
    /// Invites an organisation of the partnership (and, where named, one of its people). Once the
    /// agenda is issued, the new invitee is granted the children on it like the others.
    /// </summary>
    public async Task<Dictionary<string, string>> InviteAsync(Meeting meeting, Guid? organisationId, Guid? userId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var organisation = organisationId is { } id
            ? await db.Organisations.AsNoTracking().Where(o => o.Id == id && o.IsActive).Select(o => new { o.Id, o.Name }).FirstOrDefaultAsync(ct)
            : null;
        if (organisation is null)
            errors["OrganisationId"] = "Select an organisation of the partnership to invite";
        else if (userId is { } uid && !await db.Users.AnyAsync(u => u.Id == uid && u.OrganisationId == organisation.Id && u.IsActive, ct))
            errors["UserId"] = "The person invited must work for the organisation invited";
        else if (meeting.Invitees.Any(i => i.IsCurrent && i.OrganisationId == organisation.Id && i.UserId == userId))
            errors["OrganisationId"] = userId is null ? "That organisation is already invited" : "That person is already invited";
        if (errors.Count > 0)
            return errors;
        var invitee = new MeetingInvitee { MeetingId = meeting.Id, OrganisationId = organisation!.Id, UserId = userId, InvitedAt = clock.GetUtcNow() };
        var alreadyGranted = meeting.Invitees.Any(i => i.IsCurrent && i.OrganisationId == organisation.Id);
        meeting.Invitees.Add(invitee);
        db.Set<MeetingInvitee>().Add(invitee);
        if (meeting.AgendaIssuedAt is not null && !alreadyGranted)
            await GrantAsync(meeting, await CurrentItemsAsync(meeting, ct), [organisation.Id], ct);
        await db.SaveChangesAsync(ct);
        await NotifyInvitedAsync(meeting, meeting.Series!, [invitee], ct);
        return errors;
    }

    /// <summary>Removes an invitee with a reason; the organisation's access through this agenda ends unless another of its people is still invited.</summary>
    public async Task<Dictionary<string, string>> RemoveInviteeAsync(Meeting meeting, Guid inviteeId, string? reason, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var invitee = meeting.Invitees.FirstOrDefault(i => i.Id == inviteeId && i.IsCurrent);
        if (invitee is null)
            errors["InviteeId"] = "Select an invitee to remove";
        if (string.IsNullOrWhiteSpace(reason))
            errors["Reason"] = "Say why the invitee is removed";
        else if (reason.Trim().Length > MeetingInvitee.MaxReasonLength)
            errors["Reason"] = $"The reason must be {MeetingInvitee.MaxReasonLength} characters or fewer";
        if (errors.Count > 0)
            return errors;
        invitee!.RemovedAt = clock.GetUtcNow();
        invitee.RemovedReason = reason!.Trim();
        if (!meeting.Invitees.Any(i => i.IsCurrent && i.OrganisationId == invitee.OrganisationId))
        {
            var itemIds = await db.Unfiltered<AgendaItem>("the ids of a meeting's agenda items, to end an uninvited organisation's grants through them")
                .Where(i => i.MeetingId == meeting.Id).Select(i => i.Id).ToListAsync(ct);
            grants.EndByProcess(await CurrentGrantsAsync(itemIds, invitee.OrganisationId, ct));
        }
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Children the chair could add: those carried over from the last meeting, hub reports marked for it, the top-10 nominations, open alerts and the reviewed high-risk cohort of children in the series' area. Through the reader's filters.</summary>
    public async Task<IReadOnlyList<AgendaCandidate>> CandidatesAsync(Meeting meeting, CancellationToken ct)
    {
        var areaId = meeting.Series!.AreaId;
        var areas = db.Areas.Where(a => a.Id == areaId || a.ParentId == areaId || a.Parent!.ParentId == areaId).Select(a => a.Id);
        var onAgenda = db.Set<AgendaItem>().Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).Select(i => i.PersonId);
        var topTen = await db.TopTenNominations.AsNoTracking()
            .Where(n => n.WithdrawnAt == null && areas.Contains(n.Person!.AreaId) && !onAgenda.Contains(n.PersonId))
            .OrderBy(n => n.School!.Name).ThenBy(n => n.Rank)
            .Select(n => new { n.PersonId, n.Person!.GivenName, n.Person.FamilyName, School = n.School!.Urn == null ? n.School.Name : n.School.Name + " (URN " + n.School.Urn + ")", n.Rank })
            .Take(200).ToListAsync(ct);
        var alerts = await db.Alerts.AsNoTracking()
            .Where(a => a.Status != AlertStatus.Closed && areas.Contains(a.Person!.AreaId) && !onAgenda.Contains(a.PersonId))
            .OrderByDescending(a => a.TriggeredOn)
            .Select(a => new { a.PersonId, a.Person!.GivenName, a.Person.FamilyName, a.Rule, a.TriggeredOn })
            .Take(200).ToListAsync(ct);
        var previous = await db.Set<Meeting>().AsNoTracking()
            .Where(m => m.SeriesId == meeting.SeriesId && m.Date < meeting.Date)
            .OrderByDescending(m => m.Date).Select(m => new { m.Id, m.Date }).FirstOrDefaultAsync(ct);
        var carried = previous is null ? [] : await db.Set<AgendaItem>().AsNoTracking()
            .Where(i => i.MeetingId == previous.Id && i.RemovedAt == null && i.Decision == MeetingDecisionKind.CarryOver && !onAgenda.Contains(i.PersonId))
            .Select(i => new { i.PersonId, i.Person!.GivenName, i.Person.FamilyName })
            .ToListAsync(ct);
        var candidates = new List<AgendaCandidate>();
        candidates.AddRange(carried.Select(c => new AgendaCandidate(c.PersonId, $"{c.GivenName} {c.FamilyName}", AgendaItemSource.CarriedOver,
            $"Carried over from the meeting on {previous!.Date:d MMMM yyyy}")));
        candidates.AddRange(await sources.MarkedReferralsAsync(meeting, ct));
        candidates.AddRange(topTen.Select(n => new AgendaCandidate(n.PersonId, $"{n.GivenName} {n.FamilyName}", AgendaItemSource.TopTen,
            $"Number {n.Rank} on {n.School}'s top 10 at risk of exclusion")));
        candidates.AddRange(alerts.Select(a => new AgendaCandidate(a.PersonId, $"{a.GivenName} {a.FamilyName}", AgendaItemSource.Alert,
            $"Open early-warning alert: {Alerts.AlertRules.Of(a.Rule).Name} ({a.TriggeredOn:d MMMM yyyy})")));
        candidates.AddRange(await sources.RiskCohortAsync(meeting, areas, ct));
        await access.AuditListedAsync(candidates.Select(c => c.PersonId).Distinct().ToList(), "meeting.agenda-candidates", ct);
        return candidates;
    }

    /// <summary>Puts a child the reader may see on the agenda, with why; once the agenda is issued the invitees are granted the child at once.</summary>
    public async Task<Dictionary<string, string>> AddItemAsync(Meeting meeting, Guid? personId, AgendaItemSource source, string? why, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var person = personId is { } id ? await access.OpenExplainedAsync(id, "meeting.agenda", ct) : null;
        if (person is null)
            errors["PersonId"] = "Select a child you can see to put on the agenda";
        else if (await db.Set<AgendaItem>().AnyAsync(i => i.MeetingId == meeting.Id && i.PersonId == person.Id && i.RemovedAt == null, ct))
            errors["PersonId"] = "The child is already on the agenda";
        if (string.IsNullOrWhiteSpace(why))
            errors["Why"] = "Say why the child is on the agenda";
        else if (why.Trim().Length > AgendaItem.MaxWhyLength)
            errors["Why"] = $"The reason must be {AgendaItem.MaxWhyLength} characters or fewer";
        if (errors.Count > 0)
            return errors;
        var last = await db.Unfiltered<AgendaItem>("the last position on a meeting's agenda, a number only").Where(i => i.MeetingId == meeting.Id)
            .MaxAsync(i => (int?)i.Position, ct) ?? 0;
        var item = new AgendaItem
        {
            MeetingId = meeting.Id,
            PersonId = person!.Id,
            Position = last + 1,
            Source = source,
            Why = why!.Trim(),
            AddedAt = clock.GetUtcNow(),
            AddedByUserId = db.Reader.UserId,
        };
        db.Set<AgendaItem>().Add(item);
        await access.AuditWriteAsync(person.Id, AuditAction.Create, $"meeting.agenda {meeting.Id}", ct);
        if (meeting.AgendaIssuedAt is not null)
            await GrantAsync(meeting, [item], InvitedOrganisations(meeting), ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Moves a child one place up or down the agenda, among all the children on it (the chair may
    /// not see every child an organiser added, so positions are swapped over the whole agenda, by
    /// number only). Locked once the minutes are approved.
    /// </summary>
    public async Task<Dictionary<string, string>> MoveItemAsync(Meeting meeting, Guid itemId, bool up, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (meeting.MinutesApprovedAt is not null)
        {
            errors["ItemId"] = "The minutes are approved: the record of the meeting is locked";
            return errors;
        }
        if (!await db.Set<AgendaItem>().AnyAsync(i => i.Id == itemId && i.MeetingId == meeting.Id && i.RemovedAt == null, ct))
        {
            errors["ItemId"] = "Select a child on the agenda";
            return errors;
        }
        var items = await db.Unfiltered<AgendaItem>("the order of a meeting's agenda, to move one child the reader can see; positions only")
            .Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).OrderBy(i => i.Position).ThenBy(i => i.AddedAt).ToListAsync(ct);
        var index = items.FindIndex(i => i.Id == itemId);
        var other = up ? index - 1 : index + 1;
        if (other < 0 || other >= items.Count)
        {
            errors["ItemId"] = up ? "The child is already first on the agenda" : "The child is already last on the agenda";
            return errors;
        }
        (items[index], items[other]) = (items[other], items[index]);
        for (var n = 0; n < items.Count; n++)
            items[n].Position = n + 1;
        // The child moved is the change; the neighbour's number follows from it and says nothing new of them.
        await access.AuditWriteAsync(items[other].PersonId, AuditAction.Update, $"meeting.agenda {meeting.Id} moved {(up ? "up" : "down")}", ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>Takes a child off the agenda with a reason (kept); the access the item gave the invitees ends.</summary>
    public async Task<Dictionary<string, string>> RemoveItemAsync(Meeting meeting, Guid itemId, string? reason, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var item = await db.Set<AgendaItem>().FirstOrDefaultAsync(i => i.Id == itemId && i.MeetingId == meeting.Id && i.RemovedAt == null, ct);
        if (item is null)
            errors["ItemId"] = "Select a child on the agenda";
        if (string.IsNullOrWhiteSpace(reason))
            errors["Reason"] = "Say why the child is taken off the agenda";
        else if (reason.Trim().Length > AgendaItem.MaxWhyLength)
            errors["Reason"] = $"The reason must be {AgendaItem.MaxWhyLength} characters or fewer";
        if (errors.Count > 0)
            return errors;
        item!.RemovedAt = clock.GetUtcNow();
        item.RemovedReason = reason!.Trim();
        item.RemovedByUserId = db.Reader.UserId;
        await access.AuditWriteAsync(item.PersonId, AuditAction.Update, $"meeting.agenda {meeting.Id} removed", ct);
        grants.EndByProcess(await CurrentGrantsAsync([item.Id], null, ct));
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Issues the agenda: from now until the partnership's set number of days after the meeting,
    /// every invited organisation may see every child on it (a grant each, audited against the
    /// child). The invitees are told, with no personal data in the notice's e-mail.
    /// </summary>
    public async Task<Dictionary<string, string>> IssueAgendaAsync(Meeting meeting, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var items = await CurrentItemsAsync(meeting, ct);
        if (meeting.AgendaIssuedAt is not null)
            errors["Agenda"] = "The agenda has already been issued";
        else if (items.Count == 0)
            errors["Agenda"] = "Put at least one child on the agenda before issuing it";
        else if (await AccessEndsOnAsync(meeting, ct) < Today)
            errors["Agenda"] = "The access an agenda gives for this meeting has already run out";
        if (errors.Count > 0)
            return errors;
        meeting.AgendaIssuedAt = clock.GetUtcNow();
        await GrantAsync(meeting, items, InvitedOrganisations(meeting), ct);
        await db.SaveChangesAsync(ct);
        var users = await InvitedUsersAsync(meeting.Series!, meeting.Invitees.Where(i => i.IsCurrent), ct);
        await notifier.NotifyAsync(new Notice(users, $"Agenda issued: {meeting.Series!.Name}, {meeting.Date:d MMMM yyyy}",
            $"The agenda for the meeting on {meeting.Date:d MMMM yyyy} has been issued, with {items.Count} children.", $"/meetings/{meeting.Id}", "meeting-agenda"), ct);
        return errors;
    }

    /// <summary>Records who came: present, apologies or absent, per invitee of the meeting.</summary>
    public async Task<Dictionary<string, string>> RecordAttendanceAsync(Meeting meeting, IReadOnlyDictionary<Guid, Attendance?> attendance, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (meeting.MinutesApprovedAt is not null)
            errors["Attendance"] = "The minutes are approved: the record of the meeting is locked";
        else if (meeting.Date > Today)
            errors["Attendance"] = "Attendance can be recorded on the day of the meeting or after it";
        else if (attendance.Keys.Any(id => !meeting.Invitees.Any(i => i.Id == id && i.IsCurrent)) || attendance.Values.Any(a => a is { } v && !Enum.IsDefined(v)))
            errors["Attendance"] = "Record attendance only for the meeting's invitees, as present, apologies or absent";
        if (errors.Count > 0)
            return errors;
        foreach (var invitee in meeting.Invitees.Where(i => attendance.ContainsKey(i.Id)))
            invitee.Attendance = attendance[invitee.Id];
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// Records what the meeting decided for a child on the agenda, with its actions (each with an
    /// owner organisation and a due date; they appear in that organisation's My work). Deciding to
    /// seek consent names the agency that will ask the family: it gets the visit as an action, and
    /// records the family's answer through the consent pages, so the consent-rate report counts it.
    /// </summary>
    public async Task<Dictionary<string, string>> DecideAsync(Meeting meeting, Guid itemId, DecisionInput input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var item = await db.Set<AgendaItem>().FirstOrDefaultAsync(i => i.Id == itemId && i.MeetingId == meeting.Id && i.RemovedAt == null, ct);
        if (item is null)
            errors["ItemId"] = "Select a child on the agenda";
        if (meeting.MinutesApprovedAt is not null)
            errors["Decision"] = "The minutes are approved: the record of the meeting is locked";
        else if (meeting.Date > Today)
            errors["Decision"] = "Decisions are recorded on the day of the meeting or after it";
        else if (input.Decision is not { } decision || !Enum.IsDefined(decision))
            errors["Decision"] = "Select what the meeting decided";
        var discussion = input.Discussion?.Trim();
        if (discussion?.Length > AgendaItem.MaxDiscussionLength)
            errors["Discussion"] = $"The discussion summary must be {AgendaItem.MaxDiscussionLength} characters or fewer";
        var invited = InvitedOrganisations(meeting);
        if (input.Decision == MeetingDecisionKind.SeekConsentForEarlyHelp && (input.ConsentAgencyId is not { } agency || !invited.Contains(agency)))
            errors["ConsentAgencyId"] = "Select the invited agency that will ask the family for consent";
        if (input.Decision == MeetingDecisionKind.SeekConsentForEarlyHelp && input.ConsentUserId is { } asker
            && !await db.Users.AnyAsync(u => u.Id == asker && u.OrganisationId == input.ConsentAgencyId && u.IsActive, ct))
            errors["ConsentUserId"] = "The person asking the family must work for the agency that will ask";
        var actions = input.Actions.Where(a => !string.IsNullOrWhiteSpace(a.Description) || a.OwnerOrganisationId is not null || a.DueOn is not null).ToList();
        if (actions.Count > 0 && input.Decision is MeetingDecisionKind.NoFurtherAction)
            errors["Actions"] = "A decision of no further action has no actions";
        for (var n = 0; n < actions.Count; n++)
        {
            var a = actions[n];
            if (string.IsNullOrWhiteSpace(a.Description) || a.Description.Trim().Length > MeetingAction.MaxDescriptionLength)
                errors[$"Actions[{n}].Description"] = $"Say what action {n + 1} is, in {MeetingAction.MaxDescriptionLength} characters or fewer";
            if (a.OwnerOrganisationId is not { } owner || !invited.Contains(owner))
                errors[$"Actions[{n}].OwnerOrganisationId"] = $"Select the invited organisation that owns action {n + 1}";
            else if (a.OwnerUserId is { } user && !await db.Users.AnyAsync(u => u.Id == user && u.OrganisationId == owner && u.IsActive, ct))
                errors[$"Actions[{n}].OwnerUserId"] = $"The owner of action {n + 1} must work for its organisation";
            if (a.DueOn is not { } due)
                errors[$"Actions[{n}].DueOn"] = $"Enter the date action {n + 1} is due";
            else if (due < meeting.Date || due > meeting.Date.AddMonths(GrantRules.MaxSpanMonths))
                errors[$"Actions[{n}].DueOn"] = $"Action {n + 1} must be due after the meeting and within {GrantRules.MaxSpanMonths} months";
        }
        if (errors.Count > 0)
            return errors;
        var now = clock.GetUtcNow();
        item!.Discussion = string.IsNullOrEmpty(discussion) ? null : discussion;
        item.Decision = input.Decision;
        item.ConsentAgencyId = input.Decision == MeetingDecisionKind.SeekConsentForEarlyHelp ? input.ConsentAgencyId : null;
        item.DecidedAt = now;
        foreach (var a in actions)
            db.Set<MeetingAction>().Add(new MeetingAction
            {
                AgendaItemId = item.Id,
                PersonId = item.PersonId,
                Description = a.Description!.Trim(),
                OwnerOrganisationId = a.OwnerOrganisationId!.Value,
                OwnerUserId = a.OwnerUserId,
                DueOn = a.DueOn!.Value,
                CreatedAt = now,
            });
        // A decision changed before anyone visited replaces its outstanding request; answered ones are kept.
        var outstanding = await db.ConsentRequests.Where(r => r.AgendaItemId == item.Id && r.ResolvedAt == null).ToListAsync(ct);
        db.ConsentRequests.RemoveRange(outstanding);
        if (item.ConsentAgencyId is { } asking)
        {
            var visit = new MeetingAction
            {
                AgendaItemId = item.Id,
                PersonId = item.PersonId,
                Description = "Visit the family to ask for consent to early help, and record their answer",
                OwnerOrganisationId = asking,
                OwnerUserId = input.ConsentUserId,
                DueOn = meeting.Date.AddDays(ConsentVisitDays),
                CreatedAt = now,
            };
            db.Set<MeetingAction>().Add(visit);
            // The request the agency answers on the consent page: outstanding in its My work until the family's answer is recorded.
            db.ConsentRequests.Add(new ConsentRequest
            {
                PersonId = item.PersonId,
                AskingOrganisationId = asking,
                AskingUserId = input.ConsentUserId,
                DueOn = visit.DueOn,
                RequestedAt = now,
                RequestedByUserId = db.Reader.UserId,
                AgendaItemId = item.Id,
                VisitActionId = visit.Id,
            });
        }
        await access.AuditWriteAsync(item.PersonId, AuditAction.Update, $"meeting.decision {meeting.Id} {input.Decision}", ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>How long after the meeting the agency asking for consent has to visit the family.</summary>
    public const int ConsentVisitDays = 14;

    /// <summary>Marks an action done: its owner organisation only.</summary>
    public async Task<bool> CompleteActionAsync(Guid actionId, CancellationToken ct)
    {
        var action = await db.Set<MeetingAction>().FirstOrDefaultAsync(a => a.Id == actionId && a.OwnerOrganisationId == db.Reader.OrganisationId && a.CompletedAt == null, ct);
        if (action is null)
            return false;
        action.CompletedAt = clock.GetUtcNow();
        await access.AuditWriteAsync(action.PersonId, AuditAction.Update, "meeting.action done", ct);
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>Whether the reader chairs the meeting's series: only the chair approves its minutes.</summary>
    public bool IsChair(Meeting meeting) => meeting.Series!.ChairUserId == db.Reader.UserId;

    /// <summary>The chair approves the minutes once the meeting is held; approved, they are locked and may be distributed. Approving twice is refused.</summary>
    public async Task<Dictionary<string, string>> ApproveMinutesAsync(Meeting meeting, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (meeting.MinutesApprovedAt is { } approved)
            errors["Minutes"] = $"The minutes were already approved on {approved:d MMMM yyyy}";
        else if (meeting.Date > Today)
            errors["Minutes"] = "Minutes can be approved once the meeting has been held";
        if (errors.Count > 0)
            return errors;
        meeting.MinutesApprovedAt = clock.GetUtcNow();
        meeting.MinutesApprovedByUserId = db.Reader.UserId;
        await db.SaveChangesAsync(ct);
        return errors;
    }

    /// <summary>
    /// The reader's copy of the approved minutes as a PDF: only the children their organisation
    /// may see (the rest counted, never named). Each child named is audited and the copy is recorded
    /// in the distribution list. Null when the minutes are not yet approved.
    /// </summary>
    public async Task<byte[]?> MinutesPdfAsync(Meeting meeting, CancellationToken ct)
    {
        if (meeting.MinutesApprovedAt is not { } approvedAt)
            return null;
        var reader = db.Reader;
        var items = await db.Set<AgendaItem>().AsNoTracking().Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).OrderBy(i => i.Position)
            .Select(i => new
            {
                i.PersonId,
                Child = i.Person!.GivenName + " " + i.Person.FamilyName,
                i.Why,
                i.Discussion,
                i.Decision,
                Actions = i.Actions.OrderBy(a => a.DueOn).Select(a => new { a.Description, Owner = a.OwnerOrganisation!.Name, a.DueOn }).ToList()
            })
            .ToListAsync(ct);
        var all = await AgendaSizeAsync(db, meeting.Id, ct);
        var invitees = await db.Set<MeetingInvitee>().AsNoTracking().Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).OrderBy(i => i.Organisation!.Name)
            .Select(i => new { Organisation = i.Organisation!.Name, i.UserId, i.Attendance }).ToListAsync(ct);
        var userIds = invitees.Where(i => i.UserId != null).Select(i => i.UserId!.Value).Append(meeting.MinutesApprovedByUserId ?? Guid.Empty).ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var recipient = await db.Users.AsNoTracking().Where(u => u.Id == reader.UserId).Select(u => u.DisplayName + ", " + u.Organisation!.Name).FirstOrDefaultAsync(ct) ?? "the system";
        var content = new MinutesContent(meeting.Series!.Name, meeting.Date, meeting.StartTime, meeting.Place ?? meeting.OnlineLink, approvedAt,
            names.GetValueOrDefault(meeting.MinutesApprovedByUserId ?? Guid.Empty, "the chair"), recipient,
            invitees.Select(i => (i.Organisation, i.UserId is { } u ? names.GetValueOrDefault(u) : null, i.Attendance)).ToList(),
            items.Select((i, n) => new MinutesItem(n + 1, i.Child, i.Why, i.Discussion, i.Decision,
                i.Actions.Select(a => $"{a.Description} ({a.Owner}, by {a.DueOn:d MMMM yyyy})").ToList())).ToList(),
            all - items.Count, await versions.CurrentAsync(meeting.Id, ct));
        var pdf = MinutesDocument.Write(content);
        await access.AuditListedAsync(items.Select(i => i.PersonId).Distinct().ToList(), $"meeting.minutes {meeting.Id}", ct);
        db.Set<MinutesDownload>().Add(new MinutesDownload
        {
            MeetingId = meeting.Id,
            UserId = reader.UserId,
            OrganisationId = reader.OrganisationId,
            DownloadedAt = clock.GetUtcNow(),
            Children = items.Count,
        });
        await db.SaveChangesAsync(ct);
        return pdf;
    }

    /// <summary>
    /// How many children are on the agenda, whoever may see them: pages subtract those the reader
    /// sees to say how many more there are, a number and never who.
    /// </summary>
    public static Task<int> AgendaSizeAsync(WaypointDbContext db, Guid meetingId, CancellationToken ct) =>
        db.Unfiltered<AgendaItem>("a count of the children on an agenda the reader cannot see, never who")
            .CountAsync(i => i.MeetingId == meetingId && i.RemovedAt == null, ct);

    /// <summary>The last day the access an agenda of this meeting gives counts.</summary>
    public async Task<DateOnly> AccessEndsOnAsync(Meeting meeting, CancellationToken ct)
    {
        var days = await db.Set<MeetingSettings>().AsNoTracking().Select(s => (int?)s.AccessDaysAfterMeeting).FirstOrDefaultAsync(ct)
            ?? MeetingSettings.DefaultAccessDaysAfterMeeting;
        return meeting.Date.AddDays(days);
    }

    private static List<Guid> InvitedOrganisations(Meeting meeting) =>
        meeting.Invitees.Where(i => i.IsCurrent).Select(i => i.OrganisationId).Distinct().ToList();

    // The agenda in full, whoever is issuing it: the chair may not see every child an organiser added.
    private Task<List<AgendaItem>> CurrentItemsAsync(Meeting meeting, CancellationToken ct) =>
        db.Unfiltered<AgendaItem>("every child on an agenda being issued, to grant the invitees each").Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).ToListAsync(ct);

    private Task<List<Involvement>> CurrentGrantsAsync(IReadOnlyCollection<Guid> itemIds, Guid? organisationId, CancellationToken ct)
    {
        var today = Today;
        return db.Unfiltered<Involvement>("the grants an agenda item gave, to end them with the item or the invitee")
            .Where(i => i.Source == InvolvementSource.Meeting && i.SourceId != null && itemIds.Contains(i.SourceId.Value)
                && (organisationId == null || i.OrganisationId == organisationId) && (i.EndDate == null || i.EndDate >= today))
            .ToListAsync(ct);
    }

    private async Task GrantAsync(Meeting meeting, IReadOnlyCollection<AgendaItem> items, IReadOnlyCollection<Guid> organisations, CancellationToken ct)
    {
        var endsOn = await AccessEndsOnAsync(meeting, ct);
        var reason = $"On the agenda of {meeting.Series!.Name}, meeting on {meeting.Date:d MMMM yyyy}";
        if (reason.Length > 500)
            reason = reason[..500];
        foreach (var item in items)
            foreach (var organisationId in organisations)
                grants.GrantByProcess(item.PersonId, organisationId, InvolvementSource.Meeting, item.Id, reason, endsOn: endsOn);
    }

    private async Task<List<Guid>> InvitedUsersAsync(MeetingSeries series, IEnumerable<MeetingInvitee> invitees, CancellationToken ct)
    {
        var list = invitees.ToList();
        var named = list.Where(i => i.UserId is not null).Select(i => i.UserId!.Value).ToList();
        // An organisation invited without a name: its safeguarding lead hears of it.
        var orgs = list.Where(i => i.UserId is null).Select(i => i.OrganisationId).ToList();
        var leads = await db.Organisations.AsNoTracking().Where(o => orgs.Contains(o.Id) && o.SafeguardingLeadUserId != null)
            .Select(o => o.SafeguardingLeadUserId!.Value).ToListAsync(ct);
        return named.Concat(leads).Append(series.ChairUserId).Distinct().Where(id => id != db.Reader.UserId).ToList();
    }

    private async Task NotifyInvitedAsync(Meeting meeting, MeetingSeries series, IEnumerable<MeetingInvitee> invitees, CancellationToken ct)
    {
        var users = await InvitedUsersAsync(series, invitees, ct);
        await notifier.NotifyAsync(new Notice(users, $"Meeting invitation: {series.Name}, {meeting.Date:d MMMM yyyy}",
            $"You are invited to the meeting on {meeting.Date:d MMMM yyyy} at {meeting.StartTime:HH\\:mm}. The calendar invitation is on the meeting's page.",
            $"/meetings/{meeting.Id}", "meeting-invitation"), ct);
    }
}
