using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Waypoint.Domain;
using Waypoint.Features.Meetings;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Meetings;

/// <summary>
/// A partnership with a meeting series over its first district: the chair is an inclusion
/// officer for the district; police and the youth service sit on the series; a pupil of School A
/// lives in the district's ward and only the school (and the chair's role) can see her.
/// </summary>
public sealed class MeetingWorld
{
    public required WaypointApp App { get; init; }
    public required TestPartnership P { get; init; }
    public required TestUser Chair { get; init; }
    public required TestUser Officer { get; init; }
    public required TestUser YouthWorker { get; init; }
    public required Person Pupil { get; init; }
    public required Guid SeriesId { get; init; }

    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    public static async Task<MeetingWorld> CreateAsync(WaypointApp app)
    {
        var p = await TestPartnership.CreateAsync(app);
        var chair = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        var officer = await p.UserAsync(p.Police);
        var youth = await p.UserAsync(p.Youth);
        var pupil = await p.YoungPersonAsync("Nell", $"Agenda{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var series = await app.AsUserAsync(chair, async (_, services) =>
        {
            var (created, errors) = await services.GetRequiredService<MeetingWork>().CreateSeriesAsync(
                new SeriesInput($"Cluster {p.Suffix}, monthly", p.District.Id, chair.Id, [p.Police.Id, p.Youth.Id, p.School.Id]), CancellationToken.None);
            return created ?? throw new InvalidOperationException(string.Join("; ", errors.Values));
        });
        return new MeetingWorld { App = app, P = p, Chair = chair, Officer = officer, YouthWorker = youth, Pupil = pupil, SeriesId = series.Id };
    }

    /// <summary>Runs meeting work as a user on a meeting they may see (loaded as the pages load it).</summary>
    public Task<T> AsAsync<T>(TestUser user, Guid meetingId, Func<MeetingWork, Meeting, Task<T>> work) =>
        App.AsUserAsync(user, async (_, services) =>
        {
            var meetings = services.GetRequiredService<MeetingWork>();
            var meeting = await meetings.FindMeetingAsync(meetingId, CancellationToken.None) ?? throw new InvalidOperationException("meeting not visible");
            return await work(meetings, meeting);
        });

    public Task<Guid> ScheduleAsync(DateOnly date) =>
        App.AsUserAsync(Chair, async (_, services) =>
        {
            var meetings = services.GetRequiredService<MeetingWork>();
            var loaded = await meetings.VisibleSeries().Include(s => s.Members).FirstAsync(s => s.Id == SeriesId);
            var (meeting, errors) = await meetings.ScheduleAsync(loaded, new ScheduleInput(date, new TimeOnly(14, 0), 90, "Brackton library", null), CancellationToken.None);
            return meeting?.Id ?? throw new InvalidOperationException(string.Join("; ", errors.Values));
        });
}
