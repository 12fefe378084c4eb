namespace Waypoint.Domain;

public enum ImportKind
{
    CommonTransferFile,
    Enrolments,
    Attendance,
    Suspensions,
    Behaviour,
}

public enum ImportStatus
{
    Queued,
    Running,
    /// <summary>Applied: the summary says what changed.</summary>
    Succeeded,
    /// <summary>The file had problems and nothing was applied.</summary>
    Rejected,
    /// <summary>Something went wrong on our side; nothing was applied and the file may be sent again.</summary>
    Failed,
}

/// <summary>
/// One file a school sent, and what became of it. The file waits in the database (not on one
/// instance's disk) until a background worker on any instance claims and applies it; it is
/// dropped once the import has finished, keeping only the outcome.
/// </summary>
public sealed class ImportJob
{
    public const int MaxFileBytes = 64 * 1024 * 1024;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SchoolId { get; set; }
    public Organisation? School { get; set; }
    public Guid UploadedByUserId { get; set; }
    public required string FileName { get; set; }
    public ImportKind Kind { get; set; }
    public ImportStatus Status { get; set; }
    public byte[]? Content { get; set; }
    public int FileBytes { get; set; }

    /// <summary>Progress out of 100 while running.</summary>
    public int Percent { get; set; }
    public string? Stage { get; set; }

    /// <summary>What was added, changed and left as it was, as JSON (see ImportSummary).</summary>
    public string? SummaryJson { get; set; }

    /// <summary>Every problem, as JSON (see ImportProblem); file contents they quote stay here, never in logs.</summary>
    public string? ProblemsJson { get; set; }
    public int ProblemCount { get; set; }

    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>A worker's hold on a running job; a hold that lapses (the worker died) lets another take it.</summary>
    public DateTimeOffset? HeldUntil { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
