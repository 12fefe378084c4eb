using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>
/// Who is reading: the signed-in user and their organisation, or the system itself (jobs, seeding,
/// migrations). <paramref name="AggregatesOnly"/> marks a reader who may see aggregates but never a
/// person, whatever their organisation's relationships (analysts, DESIGN.md).
/// </summary>
public sealed record Reader(Guid UserId, Guid OrganisationId, OrganisationType OrganisationType, bool IsSystem, bool AggregatesOnly = false)
{
    public static readonly Reader System = new(Guid.Empty, Guid.Empty, OrganisationType.LocalAuthorityTeam, IsSystem: true);

    /// <summary>A request with nobody signed in: sees no person at all.</summary>
    public static readonly Reader Anonymous = new(Guid.Empty, Guid.Empty, OrganisationType.LocalAuthorityTeam, IsSystem: false);
}

/// <summary>The reader for the current scope (one per request); set once sign-in has been checked.</summary>
public sealed class ReaderContext
{
    public Reader Current { get; set; } = Reader.Anonymous;

    /// <summary>
    /// The sign-in's check when it rides on the page's first statement (Identity/ReaderMiddleware; issue 18): <see cref="Current"/>
    /// was made from what an earlier request found for the same account and security stamp, and nothing this request does
    /// may be answered until <see cref="DeferredSignInCheck.CompleteAsync"/> has held the account's state read now. Null once
    /// checked (or when the check ran before the request, as on every other page).
    /// </summary>
    public DeferredSignInCheck? Deferred { get; set; }
}

/// <summary>The signed-in account's state as a statement read it this request: what the sign-in's check decides on.</summary>
public sealed record AccountState(bool IsActive, string? SecurityStamp, string? ConcurrencyStamp, Guid OrganisationId, OrganisationType OrganisationType,
    bool OrganisationActive, string DisplayName, string? Email, string OrganisationName);

/// <summary>A sign-in check that is still owed (see <see cref="ReaderContext.Deferred"/>).</summary>
public abstract class DeferredSignInCheck
{
    /// <summary>The account whose state the folding statement must read.</summary>
    public abstract Guid UserId { get; }

    /// <summary>
    /// Holds <paramref name="state"/> (read this request, in the statement that also read the page's data; null when no row
    /// came back) against the request's token: throws <see cref="SignInRevokedException"/> when the account, its organisation or its
    /// session is no longer valid, and returns false when the reader this request was given is out of date (the caller reads
    /// again, with the reader made afresh); true when the reader holds. Null state: the check is made in a statement of its own.
    /// </summary>
    public abstract Task<bool> CompleteAsync(AccountState? state, CancellationToken ct);
}

/// <summary>The signed-in account was deactivated, its organisation deactivated or its session ended: the request is refused outright.</summary>
public sealed class SignInRevokedException() : Exception("The sign-in is no longer valid.");
