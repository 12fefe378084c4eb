using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Shell;

namespace Waypoint.Features.Schools.Imports;

/// <summary>An import as its sender sees it (page and API).</summary>
public sealed record ImportJobView(
    Guid Id, string FileName, ImportKind Kind, ImportStatus Status, int Percent, string? Stage,
    DateTimeOffset QueuedAt, DateTimeOffset? FinishedAt, ImportSummary? Summary, IReadOnlyList<string> Problems, int ProblemCount)
{
    public bool InProgress => Status is ImportStatus.Queued or ImportStatus.Running;
}

/// <summary>Queues files and reads back their jobs, only ever for the reader's own school.</summary>
public sealed class ImportJobs(WaypointDbContext db, WakeSignal<ImportWorker> signal, TimeProvider clock)
{
    public const int MaxProblemsKept = 500;
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The file's problems, or null when it is queued.</summary>
    public static string? CheckUpload(string? fileName, long length) =>
        string.IsNullOrWhiteSpace(fileName) || length == 0 ? "Choose a file to import"
        : length > ImportJob.MaxFileBytes ? $"The file is larger than {ImportJob.MaxFileBytes / (1024 * 1024)} MB. Split it into smaller files."
        : null;

    public async Task<Guid> QueueAsync(ImportKind kind, string fileName, byte[] content, CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.IsSystem || reader.OrganisationType != OrganisationType.School || !ImportLabels.IsSchoolKind(kind))
            throw new InvalidOperationException("Only a school's users import its files.");
        return await AddAsync(kind, fileName, content, ct);
    }

    /// <summary>Queues a police force's occurrences file, sent by one of its officers (see Features/Police/OccurrenceImportJobs).</summary>
    public async Task<Guid> QueuePoliceOccurrencesAsync(string fileName, byte[] content, CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.IsSystem || reader.AggregatesOnly || reader.OrganisationType != OrganisationType.Police)
            throw new InvalidOperationException("Only a police force's officers import its occurrences.");
        return await AddAsync(ImportKind.PoliceOccurrences, fileName, content, ct);
    }

    private async Task<Guid> AddAsync(ImportKind kind, string fileName, byte[] content, CancellationToken ct)
    {
        var reader = db.Reader;
        var job = new ImportJob
        {
            SenderOrganisationId = reader.OrganisationId,
            UploadedByUserId = reader.UserId,
            FileName = Path.GetFileName(fileName),
            Kind = kind,
            Status = ImportStatus.Queued,
            Content = content,
            FileBytes = content.Length,
            Stage = "Waiting to start",
            QueuedAt = clock.GetUtcNow(),
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        signal.Wake();
        return job.Id;
    }

    /// <summary>The reader's school's jobs, newest first.</summary>
    public async Task<IReadOnlyList<ImportJobView>> ListAsync(int take, CancellationToken ct)
    {
        var schoolId = db.Reader.OrganisationId;
        var jobs = await db.ImportJobs.AsNoTracking().Where(j => j.SenderOrganisationId == schoolId && j.Kind != ImportKind.PoliceOccurrences)
            .OrderByDescending(j => j.QueuedAt).Take(take)
            .Select(j => new { j.Id, j.FileName, j.Kind, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt, j.SummaryJson, j.ProblemCount })
            .ToListAsync(ct);
        return jobs.Select(j => new ImportJobView(j.Id, j.FileName, j.Kind, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt,
            Summary(j.SummaryJson), [], j.ProblemCount)).ToList();
    }

    /// <summary>One job of the reader's school; another school's is not found.</summary>
    public async Task<ImportJobView?> FindAsync(Guid id, CancellationToken ct)
    {
        var schoolId = db.Reader.OrganisationId;
        var j = await db.ImportJobs.AsNoTracking().Where(j => j.Id == id && j.SenderOrganisationId == schoolId && j.Kind != ImportKind.PoliceOccurrences)
            .Select(j => new { j.Id, j.FileName, j.Kind, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt, j.SummaryJson, j.ProblemsJson, j.ProblemCount })
            .FirstOrDefaultAsync(ct);
        return j is null ? null : new ImportJobView(j.Id, j.FileName, j.Kind, j.Status, j.Percent, j.Stage, j.QueuedAt, j.FinishedAt,
            Summary(j.SummaryJson), j.ProblemsJson is null ? [] : JsonSerializer.Deserialize<List<string>>(j.ProblemsJson, Json) ?? [], j.ProblemCount);
    }

    private static ImportSummary? Summary(string? json) => json is null ? null : JsonSerializer.Deserialize<ImportSummary>(json, Json);
}

/// <summary>
/// Applies queued files (schools' files, and police forces' occurrences files), several schools' at once (<c>Imports:Workers</c> per instance, two by
/// default) and each school's in the order sent. Any instance may run them: a job is claimed by a
/// conditional update, held for a while and the hold renewed as it progresses, so a job whose
/// worker died is taken up again. Files that may add pupils take turns at the register (see
/// RegisterAdditionsLock). The import runs as the person who sent it, so the audit names them.
/// </summary>
public sealed class ImportWorker(IServiceScopeFactory scopes, WakeSignal<ImportWorker> signal, TimeProvider clock, Microsoft.Extensions.Options.IOptions<ImportOptions> options, ILogger<ImportWorker> log) : BackgroundService
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Hold = TimeSpan.FromMinutes(10);

    /// <summary>Those waiting in this instance for a job to finish (<see cref="FinishedAsync"/>).</summary>
    private readonly Shell.EndSignals waiting = new();

    /// <summary>
    /// Completes once the job has finished (succeeded, rejected or failed), without polling: at once
    /// if it already has, otherwise when this instance's worker records its outcome
    /// (<see cref="Shell.EndSignals"/>). A job another instance runs is not signalled here: the
    /// caller's cancellation bounds the wait.
    /// </summary>
    public Task FinishedAsync(Guid jobId, CancellationToken ct) => waiting.WaitAsync(jobId, async c =>
    {
        await using var scope = scopes.CreateSystemScope("whoever waits on an import job reads whether it has finished");
        var status = await scope.ServiceProvider.GetRequiredService<WaypointDbContext>().ImportJobs.AsNoTracking()
            .Where(j => j.Id == jobId).Select(j => (ImportStatus?)j.Status).SingleOrDefaultAsync(c);
        return status is null or not (ImportStatus.Queued or ImportStatus.Running);
    }, ct);

    /// <summary>Tells those waiting on the job that its outcome is recorded.</summary>
    private void Finished(Guid jobId) => waiting.Ended(jobId);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, options.Value.Workers).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken)));

    private async Task LoopAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunNextAsync(stoppingToken))
                {
                    // One finished: look for another at once.
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogError(e, "The import worker failed; it will try again");
            }
            try
            {
                await signal.WaitAsync(Poll, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Claims and applies the oldest waiting job whose school has no earlier file waiting or being
    /// applied (a school's attendance waits for the roll sent before it); false when there was none.
    /// </summary>
    public async Task<bool> RunNextAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        Guid jobId;
        await using (var scope = scopes.CreateSystemScope("the import worker finds and claims the next queued file of any school"))
        {
            var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
            var next = await db.ImportJobs.AsNoTracking()
                .Where(j => j.Status == ImportStatus.Queued || (j.Status == ImportStatus.Running && j.HeldUntil < now))
                .Where(j => !db.ImportJobs.Any(o => o.SenderOrganisationId == j.SenderOrganisationId && o.Id != j.Id
                    && ((o.Status == ImportStatus.Running && o.HeldUntil >= now)
                        || ((o.Status == ImportStatus.Queued || o.Status == ImportStatus.Running) && o.QueuedAt < j.QueuedAt))))
                .OrderBy(j => j.QueuedAt)
                .Select(j => new { j.Id, j.Status, j.HeldUntil })
                .FirstOrDefaultAsync(ct);
            if (next is null)
                return false;
            var claimed = await db.ImportJobs
                .Where(j => j.Id == next.Id && j.Status == next.Status && j.HeldUntil == next.HeldUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ImportStatus.Running).SetProperty(j => j.HeldUntil, now + Hold)
                    .SetProperty(j => j.StartedAt, now).SetProperty(j => j.Stage, "Starting"), ct);
            if (claimed == 0)
                return true; // another worker took it; look again
            jobId = next.Id;
        }
        // Another of this instance's workers, if idle, looks for another school's file meanwhile.
        signal.Wake();
        await RunAsync(jobId, ct);
        return true;
    }

    private async Task RunAsync(Guid jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("the import worker reads the job it claimed, then applies it as its sender");
        var services = scope.ServiceProvider;
        var readerContext = services.GetRequiredService<ReaderContext>();
        var db = services.GetRequiredService<WaypointDbContext>();
        var job = await db.ImportJobs.AsNoTracking().Where(j => j.Id == jobId)
            .Select(j => new { j.SenderOrganisationId, j.UploadedByUserId, j.Kind, j.FileName, j.Content, SenderType = j.SenderOrganisation!.Type })
            .SingleAsync(ct);

        async Task Update(Action<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<ImportJob>> set)
        {
            await using var updateScope = scopes.CreateSystemScope("the import worker records a job's progress and outcome");
            await updateScope.ServiceProvider.GetRequiredService<WaypointDbContext>().ImportJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set, ct);
        }

        var police = job.Kind == ImportKind.PoliceOccurrences;
        var link = police ? $"/police/import?id={jobId}" : $"/schools/imports/{jobId}";
        var what = police ? "occurrences import" : "school import";
        bool applied;
        string? summary;
        IReadOnlyList<ImportProblem> problems;
        try
        {
            // As the sender, so the audit of every pupil touched names who sent the file.
            readerContext.Current = new Reader(job.UploadedByUserId, job.SenderOrganisationId, job.SenderType, IsSystem: false);
            using var file = new MemoryStream(job.Content ?? []);
            ImportProgress progress = (percent, stage) => Update(s => s.SetProperty(j => j.Percent, percent).SetProperty(j => j.Stage, stage)
                .SetProperty(j => j.HeldUntil, clock.GetUtcNow() + Hold));
            if (police)
            {
                var outcome = await services.GetRequiredService<Police.OccurrenceImport>().ApplyAsync(file, job.FileName, job.SenderOrganisationId, job.UploadedByUserId, progress, ct);
                (applied, problems) = (outcome.Summary is not null, outcome.Problems);
                summary = outcome.Summary is null ? null : JsonSerializer.Serialize(outcome.Summary, ImportJobs.Json);
            }
            else
            {
                var outcome = await services.GetRequiredService<ImportApplier>().ApplyAsync(job.Kind, file, job.FileName, job.SenderOrganisationId, progress, jobId, ct);
                (applied, problems) = (outcome.Applied, outcome.Problems);
                summary = outcome.Summary is null ? null : JsonSerializer.Serialize(outcome.Summary, ImportJobs.Json);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message may quote the file; the log gets the job and the kind of failure only.
            log.LogError("Import {JobId} failed: {Error}", jobId, e.GetType().Name);
            // The notice first, so that a finished job always has its notice.
            await NotifyAsync(services, job.UploadedByUserId, link, $"Your {what} could not be finished", ct);
            await Update(s => s.SetProperty(j => j.Status, ImportStatus.Failed).SetProperty(j => j.FinishedAt, clock.GetUtcNow())
                .SetProperty(j => j.Content, (byte[]?)null).SetProperty(j => j.HeldUntil, (DateTimeOffset?)null)
                .SetProperty(j => j.Stage, "Something went wrong on our side. Nothing was changed: send the file again, and if it happens again tell your administrator."));
            Finished(jobId);
            return;
        }

        var problemsJson = JsonSerializer.Serialize(problems.Take(ImportJobs.MaxProblemsKept).Select(p => p.ToString()).ToList(), ImportJobs.Json);
        await NotifyAsync(services, job.UploadedByUserId, link,
            applied ? $"Your {what} has finished" : $"Your {what} was not applied: the file has problems", ct);
        await Update(s => s.SetProperty(j => j.Status, applied ? ImportStatus.Succeeded : ImportStatus.Rejected)
            .SetProperty(j => j.Percent, 100).SetProperty(j => j.Stage, applied ? "Imported" : "Not imported")
            .SetProperty(j => j.SummaryJson, summary).SetProperty(j => j.ProblemsJson, problemsJson)
            .SetProperty(j => j.ProblemCount, problems.Count).SetProperty(j => j.FinishedAt, clock.GetUtcNow())
            .SetProperty(j => j.Content, (byte[]?)null).SetProperty(j => j.HeldUntil, (DateTimeOffset?)null));
        Finished(jobId);
    }

    private static async Task NotifyAsync(IServiceProvider services, Guid userId, string link, string subject, CancellationToken ct)
    {
        services.ActAsSystem("the import worker tells the sender their file has finished");
        await services.GetRequiredService<INotifier>().NotifyAsync(
            new Notice([userId], subject, "See the import's summary for what was added and changed, or what to correct.", link, "import"), ct);
    }
}

public static class ImportServices
{
    public static IServiceCollection AddWaypointImports(this IServiceCollection services)
    {
        services.AddScoped<ImportApplier>();
        services.AddScoped<PupilMatchReviews>();
        services.AddSingleton<ImportLocks>();
        services.AddScoped<ImportJobs>();
        services.AddScoped<Police.OccurrenceImportJobs>();
        services.AddSingleton<WakeSignal<ImportWorker>>();
        services.AddSingleton<ImportWorker>();
        services.AddHostedService(sp => sp.GetRequiredService<ImportWorker>());
        return services;
    }
}
