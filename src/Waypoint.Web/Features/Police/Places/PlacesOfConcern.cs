using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Police.Places;

/// <summary>
/// Who records places of concern (the police and partnership roles: the hub, inclusion officers)
/// and the rules their forms share. Places and links are never read by a risk factor.
/// </summary>
public static class PlacesOfConcern
{
    /// <summary>The police, or a reader holding a current partnership role; never an aggregates-only account.</summary>
    public static async Task<bool> MayRecordAsync(WaypointDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var reader = db.Reader;
        if (reader.IsSystem || reader.AggregatesOnly || reader.UserId == Guid.Empty)
            return false;
        if (reader.OrganisationType == OrganisationType.Police)
            return true;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return await db.PartnershipRoleGrants.AsNoTracking().AnyAsync(g => g.UserId == reader.UserId && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today), ct);
    }

    /// <summary>The category a new place or link is recorded under: police information for the police (intelligence when they say so), case work otherwise.</summary>
    public static string CategoryFor(WaypointDbContext db, bool intelligence) =>
        db.Reader.OrganisationType == OrganisationType.Police
            ? (intelligence ? RecordCategories.PoliceIntelligence : RecordCategories.PoliceGeneral)
            : RecordCategories.CaseWork;

    /// <summary>Evidence's problem, or null.</summary>
    public static string? CheckEvidence(string? evidence, string what = "the evidence") =>
        string.IsNullOrWhiteSpace(evidence) ? $"Enter {what}"
        : evidence.Length > PlaceOfConcern.MaxEvidenceLength ? $"{char.ToUpperInvariant(what[0])}{what[1..]} must be {PlaceOfConcern.MaxEvidenceLength} characters or fewer"
        : null;

    public static string Title(string? name, string? ward) => name is { Length: > 0 } n ? $"{n}, {ward}" : $"{ward} (the ward)";
}
