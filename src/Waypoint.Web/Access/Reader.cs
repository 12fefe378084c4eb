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
}
