using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Police;

/// <summary>An occurrences file sent from the page, as its sender sees it while it runs and after.</summary>
public sealed record OccurrenceImportJobView(
    Guid Id, string FileName, ImportStatus Status, int Percent, string? Stage, DateTimeOffset QueuedAt, DateTimeOffset? FinishedAt,
    OccurrenceImportSummary? Summary, IReadOnlyList<string> Problems, int ProblemCount)
{
    public bool InProgress => Status is ImportStatus.Queued or ImportStatus.Running;
}

/// <summary>
/// A force's occurrences files go through the same background queue as schools' files (ImportJobs,
/// ImportWorker): queued by the officer who sent it, applied as them, one file of the force at a time.
/// Each job is its sender's alone: another officer's (or another organisation's) is not found.
/// </summary>
public sealed class OccurrenceImportJobs(WaypointDbContext db, ImportJobs jobs)
{
    /// <summary>The file's problems, or null when it may be queued.</summary>
    public static string? CheckUpload(string? fileName, long length) =>
        string.IsNullOrWhiteSpace(fileName) || length == 0 ? "Choose an occurrences file (CSV)"
        : length > OccurrenceImport.MaxFileBytes ? "The file must be smaller than 16 MB"
        : null;

    public Task<Guid> QueueAsync(string fileName, byte[] content, CancellationToken ct) => jobs.QueuePoliceOccurrencesAsync(fileName, content, ct);

    private IQueryable<ImportJob> Own() =>
        db.ImportJobs.AsNoTracking().Where(j => j.Kind == ImportKind.PoliceOccurrences
            && j.SenderOrganisationId == db.Reader.OrganisationId && j.UploadedByUserId == db.Reader.UserId);

    /// <summary>The reader's own occurrences files, newest first.</summary>
    public async Task<IReadOnlyList<OccurrenceImportJobView>> ListAsync(int take, CancellationToken ct) =>
        (await Own().OrderByDescending(j => j.QueuedAt).Take(take)
            .Select(j => new { j.Id, j.FileName, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt, j.SummaryJson, j.ProblemCount })
            .ToListAsync(ct))
        .Select(j => new OccurrenceImportJobView(j.Id, j.FileName, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt, Summary(j.SummaryJson), [], j.ProblemCount))
        .ToList();

    /// <summary>One of the reader's own occurrences files; anyone else's is null (not found).</summary>
    public async Task<OccurrenceImportJobView?> FindAsync(Guid id, CancellationToken ct)
    {
        var j = await Own().Where(j => j.Id == id)
            .Select(j => new { j.Id, j.FileName, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt, j.SummaryJson, j.ProblemsJson, j.ProblemCount })
            .FirstOrDefaultAsync(ct);
        return j is null ? null : new OccurrenceImportJobView(j.Id, j.FileName, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt, Summary(j.SummaryJson),
            j.ProblemsJson is null ? [] : JsonSerializer.Deserialize<List<string>>(j.ProblemsJson, ImportJobs.Json) ?? [], j.ProblemCount);
    }

    private static OccurrenceImportSummary? Summary(string? json) => json is null ? null : JsonSerializer.Deserialize<OccurrenceImportSummary>(json, ImportJobs.Json);
}
