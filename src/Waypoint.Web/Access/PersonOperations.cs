using Microsoft.AspNetCore.Authorization;
using Waypoint.Domain;

namespace Waypoint.Access;

public enum PersonOperationKind
{
    /// <summary>See the person and what the agreement lets flow to the reader.</summary>
    Read,

    /// <summary>Add or change the person's records (details, identifiers, family, address, notes).</summary>
    Write,

    /// <summary>Create, extend or end a relationship that decides who else may see the person.</summary>
    Grant,
}

/// <summary>A named operation on an opened person, decided by <see cref="PersonOperationHandler"/> (resource-based authorization).</summary>
public sealed class PersonOperation(PersonOperationKind kind) : IAuthorizationRequirement
{
    public PersonOperationKind Kind { get; } = kind;

    public override string ToString() => Kind.ToString();
}

/// <summary>The operations, by name, for pages and endpoints to ask for.</summary>
public static class PersonOperations
{
    public static readonly PersonOperation Read = new(PersonOperationKind.Read);
    public static readonly PersonOperation Write = new(PersonOperationKind.Write);
    public static readonly PersonOperation Grant = new(PersonOperationKind.Grant);
}

/// <summary>
/// Decides the operations on a person the reader has opened, from the bases of their access:
/// any basis lets them read; writing needs more than break-glass (emergency access is for reading,
/// and is reviewed by the data-protection officer); granting needs a standing relationship
/// (enrolment, involvement or a partnership role), so that access borrowed for a few hours, or
/// reaching only aggregates, can never be turned into access that lasts.
/// </summary>
public sealed class PersonOperationHandler : AuthorizationHandler<PersonOperation, OpenedPerson>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, PersonOperation requirement, OpenedPerson resource)
    {
        if (Allows(requirement.Kind, resource.Bases))
            context.Succeed(requirement);
        return Task.CompletedTask;
    }

    /// <summary>The rule itself, pure: which bases allow which operation.</summary>
    public static bool Allows(PersonOperationKind kind, IReadOnlyList<AccessBasis> bases) => kind switch
    {
        PersonOperationKind.Read => bases.Count > 0,
        PersonOperationKind.Write => bases.Any(b => b.Kind != AccessBasisKind.BreakGlass),
        PersonOperationKind.Grant => bases.Any(b => b.Kind is AccessBasisKind.Enrolment or AccessBasisKind.Involvement or AccessBasisKind.PartnershipRole or AccessBasisKind.System),
        _ => false,
    };
}
