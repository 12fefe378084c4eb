using Waypoint.Domain;

namespace Waypoint.Access;

/// <summary>Who is reading: the signed-in user and their organisation, or the system itself (jobs, seeding, migrations).</summary>
public sealed record Reader(Guid UserId, Guid OrganisationId, OrganisationType OrganisationType, bool IsSystem)
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
