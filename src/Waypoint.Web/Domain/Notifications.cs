namespace Waypoint.Domain;

/// <summary>
/// A notice to one user that something needs them, shown in their in-app list and, where they
/// have an e-mail address and e-mail is configured, announced by an e-mail that carries only the
/// subject and a link. Sending is an outbox: the row is written with the work that caused it, and
/// a background sender delivers it, retrying if the mail server is down.
/// </summary>
public sealed class Notification
{
    public const int MaxSubjectLength = 200;
    public const int MaxBodyLength = 2000;

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid UserId { get; set; }
    public required string Kind { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    public required string Link { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ReadAt { get; set; }

    public EmailDelivery Email { get; set; }
    public int EmailAttempts { get; set; }
    /// <summary>When the sender may next try (after a failure), or until when a sender holds it.</summary>
    public DateTimeOffset? EmailDueAt { get; set; }
    public DateTimeOffset? EmailSentAt { get; set; }
    /// <summary>The last failure, without the message's content, for the administrator.</summary>
    public string? EmailError { get; set; }
}

public enum EmailDelivery
{
    /// <summary>No e-mail: none configured, or the user has no address.</summary>
    NotRequired,
    Pending,
    Sending,
    Sent,
    /// <summary>Gave up after repeated failures; the in-app notice still stands.</summary>
    Failed,
}
