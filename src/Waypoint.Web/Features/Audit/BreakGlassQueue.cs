using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Audit;

/// <summary>A break-glass grant as the data-protection officer sees it: names of the user, their organisation and the reviewer joined in.</summary>
public sealed record BreakGlassView(
    Guid Id, Guid UserId, string UserName, string OrganisationName, Guid PersonId, string Reason,
    DateTimeOffset GrantedAt, DateTimeOffset ExpiresAt, DateTimeOffset? ReviewedAt, string? ReviewedBy, string? ReviewNote)
{
    public bool IsActive(DateTimeOffset now) => ExpiresAt > now;
}

public static class BreakGlassQueue
{
    public const int MaxNoteLength = 1000;

    public static IQueryable<BreakGlassView> Views(WaypointDbContext db, IQueryable<BreakGlassGrant> grants) =>
        grants.AsNoTracking().Select(b => new BreakGlassView(
            b.Id, b.UserId,
            db.Users.Where(u => u.Id == b.UserId).Select(u => u.DisplayName).FirstOrDefault() ?? "Unknown account",
            db.Organisations.Where(o => o.Id == b.OrganisationId).Select(o => o.Name).FirstOrDefault() ?? "Unknown organisation",
            b.PersonId, b.Reason, b.GrantedAt, b.ExpiresAt, b.ReviewedAt,
            db.Users.Where(u => u.Id == b.ReviewedByUserId).Select(u => u.DisplayName).FirstOrDefault(),
            b.ReviewNote));

    public static Task<int> UnreviewedCountAsync(WaypointDbContext db, CancellationToken ct) =>
        db.BreakGlassGrants.CountAsync(b => b.ReviewedAt == null, ct);
}
