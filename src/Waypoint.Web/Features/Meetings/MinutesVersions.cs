using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Meetings;

/// <summary>One version of approved minutes after the first: when, by whom and, for a child the reader may see, what it changed and why.</summary>
public sealed record MinutesVersionRow(int Version, DateTimeOffset CorrectedAt, string CorrectedBy, string? Child, string? Reason,
    string? PreviousDiscussion, string? Discussion);

/// <summary>The version the minutes stand at: 1 as approved, then one more per correction.</summary>
public sealed record MinutesRevision(int Version, DateTimeOffset? CorrectedAt, string? CorrectedBy);

/// <summary>
/// Corrections to approved minutes, kept as versions: the chair corrects what was recorded of a
/// child with a reason, the wording replaced is kept, and every earlier version stays readable.
/// What a version changed is shown only with a child the reader may see; of the others, only that
/// a version was made, when and by whom.
/// </summary>
public sealed class MinutesVersions(WaypointDbContext db, PersonAccess access, TimeProvider clock)
{
    public async Task<MinutesRevision> CurrentAsync(Guid meetingId, CancellationToken ct)
    {
        var latest = await db.Unfiltered<MinutesCorrection>("the version a meeting's minutes stand at: number, date and corrector only")
            .Where(c => c.MeetingId == meetingId).OrderByDescending(c => c.Version)
            .Select(c => new { c.Version, c.CorrectedAt, c.CorrectedByUserId }).FirstOrDefaultAsync(ct);
        if (latest is null)
            return new MinutesRevision(1, null, null);
        var by = await db.Users.AsNoTracking().Where(u => u.Id == latest.CorrectedByUserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct);
        return new MinutesRevision(latest.Version, latest.CorrectedAt, by ?? "the chair");
    }

    /// <summary>Every version after the first, newest first; the changes shown only for children the reader may see (audited as listed).</summary>
    public async Task<IReadOnlyList<MinutesVersionRow>> HistoryAsync(Guid meetingId, CancellationToken ct)
    {
        var all = await db.Unfiltered<MinutesCorrection>("the versions of a meeting's minutes: number, date and corrector only, the change shown through the filter")
            .Where(c => c.MeetingId == meetingId).OrderByDescending(c => c.Version)
            .Select(c => new { c.Id, c.Version, c.CorrectedAt, c.CorrectedByUserId }).Take(100).ToListAsync(ct);
        var ids = all.Select(c => c.Id).ToList();
        var visible = await db.Set<MinutesCorrection>().AsNoTracking().Where(c => ids.Contains(c.Id))
            .Join(db.People, c => c.PersonId, p => p.Id, (c, p) => new { c.Id, c.PersonId, Child = p.GivenName + " " + p.FamilyName, c.Reason, c.PreviousDiscussion, c.Discussion })
            .ToDictionaryAsync(c => c.Id, ct);
        var userIds = all.Select(c => c.CorrectedByUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        await access.AuditListedAsync(visible.Values.Select(v => v.PersonId).Distinct().ToList(), $"meeting.minutes-versions {meetingId}", ct);
        return all.Select(c => visible.TryGetValue(c.Id, out var v)
                ? new MinutesVersionRow(c.Version, c.CorrectedAt, names.GetValueOrDefault(c.CorrectedByUserId, "the chair"), v.Child, v.Reason, v.PreviousDiscussion, v.Discussion)
                : new MinutesVersionRow(c.Version, c.CorrectedAt, names.GetValueOrDefault(c.CorrectedByUserId, "the chair"), null, null, null, null))
            .ToList();
    }

    /// <summary>
    /// Corrects what the approved minutes record of a child (the discussion summary), with a
    /// reason, as a new version; the wording replaced is kept with it. The caller checks the reader
    /// chairs the series. Refusals name their field; nothing changes when any is refused.
    /// </summary>
    public async Task<(int? Version, Dictionary<string, string> Errors)> CorrectAsync(Meeting meeting, Guid? itemId, string? discussion, string? reason, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (meeting.MinutesApprovedAt is null)
        {
            errors["ItemId"] = "The minutes are not approved yet: change the decision instead of correcting the minutes";
            return (null, errors);
        }
        var item = itemId is { } id
            ? await db.Set<AgendaItem>().FirstOrDefaultAsync(i => i.Id == id && i.MeetingId == meeting.Id && i.RemovedAt == null, ct)
            : null;
        if (item is null)
            errors["ItemId"] = "Select the child whose part of the minutes is corrected";
        var text = discussion?.Trim();
        if (string.IsNullOrEmpty(text))
            errors["Discussion"] = "Enter the corrected summary of the discussion";
        else if (text.Length > AgendaItem.MaxDiscussionLength)
            errors["Discussion"] = $"The discussion summary must be {AgendaItem.MaxDiscussionLength} characters or fewer";
        else if (item is not null && text == item.Discussion)
            errors["Discussion"] = "The correction must change the summary of the discussion";
        var why = reason?.Trim();
        if (string.IsNullOrEmpty(why))
            errors["Reason"] = "Say why the minutes are corrected";
        else if (why.Length > MinutesCorrection.MaxReasonLength)
            errors["Reason"] = $"The reason must be {MinutesCorrection.MaxReasonLength} characters or fewer";
        if (errors.Count > 0)
            return (null, errors);
        var version = (await CurrentAsync(meeting.Id, ct)).Version + 1;
        db.Set<MinutesCorrection>().Add(new MinutesCorrection
        {
            MeetingId = meeting.Id,
            AgendaItemId = item!.Id,
            PersonId = item.PersonId,
            Version = version,
            PreviousDiscussion = item.Discussion,
            Discussion = text,
            Reason = why!,
            CorrectedAt = clock.GetUtcNow(),
            CorrectedByUserId = db.Reader.UserId,
        });
        item.Discussion = text;
        await access.AuditWriteAsync(item.PersonId, AuditAction.Update, $"meeting.minutes-correction {meeting.Id} version {version}", ct);
        await db.SaveChangesAsync(ct);
        return (version, errors);
    }
}
