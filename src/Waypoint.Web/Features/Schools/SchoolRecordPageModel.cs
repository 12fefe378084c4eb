using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Features.People;

namespace Waypoint.Features.Schools;

/// <summary>
/// Base for the pages where a school records something about a pupil. The person is opened
/// through the policy first (invisible is 404, audited); then only a user of a school where the
/// pupil is enrolled now may go on (anyone else who can see the pupil gets 403).
/// </summary>
public abstract class SchoolRecordPageModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PersonPageModel(access)
{
    protected WaypointDbContext Db => db;
    protected DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
    protected DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>When the pupil joined the reader's school; set once the page is open for recording.</summary>
    public DateOnly EnrolledSince { get; private set; }

    /// <summary>Null to carry on; otherwise the refusal to return.</summary>
    protected async Task<IActionResult?> OpenForRecordingAsync(string subject, CancellationToken ct)
    {
        if (!await OpenAsync(subject, ct))
            return NotFound();
        if (await SchoolRecording.EnrolledSinceAsync(db, Id, Today, ct) is not { } since)
            return Forbid();
        EnrolledSince = since;
        return null;
    }

    protected IActionResult BackToSchoolRecords() => Redirect($"/people/{Id}/school#school-records");

    /// <summary>Tells the listeners (early-warning rules) that this pupil's school records changed.</summary>
    protected Task RecordsChangedAsync(CancellationToken ct) =>
        HttpContext.RequestServices.GetRequiredService<SchoolRecordsChanged>().NotifyAsync([Id], ct);
}
