using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Evidence;

/// <summary>Publishing a year's statistics: the figures are built from the rollups now, suppressed, and frozen as the next version.</summary>
public static class StatisticsPublishing
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static async Task<StatisticsPublication> PublishAsync(WaypointDbContext db, int academicYear, DateOnly through, int threshold, string? revisionNote,
        Guid? userId, DateTimeOffset now, CancellationToken ct)
    {
        var tables = await ExclusionStatistics.LoadAsync(db, academicYear, through, threshold, ct);
        var version = (await db.StatisticsPublications.Where(p => p.AcademicYear == academicYear).MaxAsync(p => (int?)p.Version, ct) ?? 0) + 1;
        var publication = new StatisticsPublication
        {
            AcademicYear = academicYear,
            Through = through,
            Version = version,
            Threshold = threshold,
            PublishedAt = now,
            PublishedByUserId = userId,
            RevisionNote = version > 1 ? revisionNote : null,
            Tables = JsonSerializer.Serialize(tables, Json),
        };
        db.StatisticsPublications.Add(publication);
        await db.SaveChangesAsync(ct);
        return publication;
    }
}
