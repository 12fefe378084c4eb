using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Features.Services;

/// <summary>A count as shown: null when it is suppressed (1 to 4, or a cell that would give one away).</summary>
public sealed record OutcomeCount(string Label, int? Count);

/// <summary>
/// A service's own outcome figures, from every referral ever made to it: how the ended ones ended,
/// how many never started, the completion rate and the wait from referral to start. Counts only,
/// with small numbers suppressed, so that no one young person can be picked out.
/// </summary>
public sealed record ServiceOutcomeFigures(
    int? Referrals,
    int? Ended,
    IReadOnlyList<OutcomeCount> ByEndReason,
    IReadOnlyList<OutcomeCount> NotStarted,
    int? CompletionPercent,
    int? Started,
    int? AverageWaitDays,
    int? MedianWaitDays)
{
    public static string Cell(int? count) => count is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "fewer than 5";
}

/// <summary>
/// Works out <see cref="ServiceOutcomeFigures"/> and who may see them: partnership roles (the
/// partnership figures policy: administrators, analysts, current partnership functions) and the
/// provider's own organisation. Reads the service's referrals past the person filters, as
/// counts alone.
/// </summary>
public sealed class ServiceOutcomes(WaypointDbContext db, IAuthorizationService authorization)
{
    /// <summary>Counts from 1 to this are never shown (the partnership's usual rule for published figures).</summary>
    public const int SmallestShown = 5;

    public async Task<bool> MaySeeAsync(System.Security.Claims.ClaimsPrincipal user, Service service) =>
        !db.Reader.IsSystem && db.Reader.UserId != Guid.Empty
        && (db.Reader.OrganisationId == service.ProviderOrganisationId
            || (await authorization.AuthorizeAsync(user, OversightPolicies.PartnershipFigures)).Succeeded);

    public async Task<ServiceOutcomeFigures> ForAsync(Guid serviceId, CancellationToken ct)
    {
        var rows = await db.Unfiltered<ServiceReferral>("a service's outcome figures: counts and waits of its referrals, no person named")
            .Where(r => r.ServiceId == serviceId)
            .Select(r => new { r.Status, r.EndReason, r.SentAt, r.StartedOn })
            .ToListAsync(ct);
        var ended = rows.Where(r => r.Status == ServiceReferralStatus.Ended).ToList();
        var reasons = Enum.GetValues<ServiceReferralEndReason>();
        var notStarted = new[] { ServiceReferralStatus.Declined, ServiceReferralStatus.Withdrawn, ServiceReferralStatus.Lapsed };

        // One table: all referrals = ended by reason + not started by kind + still open; suppressed together, so that no cell can be worked out from the others.
        var values = new List<int> { rows.Count, ended.Count };
        values.AddRange(reasons.Select(reason => ended.Count(r => r.EndReason == reason)));
        values.AddRange(notStarted.Select(status => rows.Count(r => r.Status == status)));
        values.Add(rows.Count(r => r.Status is ServiceReferralStatus.Sent or ServiceReferralStatus.Accepted or ServiceReferralStatus.Waiting or ServiceReferralStatus.Started));
        var reasonCells = Enumerable.Range(2, reasons.Length).ToList();
        var notStartedCells = Enumerable.Range(2 + reasons.Length, notStarted.Length).ToList();
        var openCell = values.Count - 1;
        var constraints = new List<SumConstraint>
        {
            new(1, reasonCells),
            new(0, [1, .. notStartedCells, openCell]),
        };
        var hidden = Suppression.Apply(values, values.Select(v => v is > 0 and < SmallestShown).ToList(), constraints);
        int? Shown(int i) => hidden[i] ? null : values[i];

        var completed = ended.Count(r => r.EndReason == ServiceReferralEndReason.Completed);
        var waits = rows.Where(r => r.StartedOn is not null)
            .Select(r => Math.Max(0, r.StartedOn!.Value.DayNumber - DateOnly.FromDateTime(r.SentAt.UtcDateTime).DayNumber)).Order().ToList();
        var waitsShown = waits.Count >= SmallestShown;
        return new ServiceOutcomeFigures(
            Shown(0),
            Shown(1),
            reasons.Select((reason, i) => new OutcomeCount(Label(reason), Shown(reasonCells[i]))).ToList(),
            notStarted.Select((status, i) => new OutcomeCount(Label(status), Shown(notStartedCells[i]))).ToList(),
            // A rate of two shown counts only: a rate over a hidden count would give it back.
            Shown(1) is >= SmallestShown && Shown(reasonCells[0]) is not null ? (int)Math.Round(100.0 * completed / ended.Count, MidpointRounding.AwayFromZero) : null,
            waitsShown ? waits.Count : null,
            waitsShown ? (int)Math.Round(waits.Average(), MidpointRounding.AwayFromZero) : null,
            waitsShown ? Median(waits) : null);
    }

    private static int Median(List<int> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (int)Math.Round((sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2.0, MidpointRounding.AwayFromZero);

    private static string Label(ServiceReferralEndReason reason) => reason switch
    {
        ServiceReferralEndReason.Completed => "Completed",
        ServiceReferralEndReason.Disengaged => "Disengaged",
        ServiceReferralEndReason.MovedAway => "Moved away",
        _ => "Withdrawn after starting",
    };

    private static string Label(ServiceReferralStatus status) => status switch
    {
        ServiceReferralStatus.Declined => "Declined by the provider",
        ServiceReferralStatus.Withdrawn => "Withdrawn before starting",
        _ => "Not answered in time (lapsed)",
    };
}
