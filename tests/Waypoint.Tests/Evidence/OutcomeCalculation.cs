using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Features.Evidence;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>Measures added are calculated by the background worker: tests that read the dashboard after adding one run the worker (the host's own may take some) until they are ready.</summary>
internal static class OutcomeCalculation
{
    public static async Task ReadyAsync(WaypointApp app, params Guid[] measures)
    {
        var worker = app.Services.GetRequiredService<OutcomeMeasureCalculation>();
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        while (await app.AsSystemAsync((db, _) => db.OutcomeMeasures.Where(m => (measures.Length == 0 || measures.Contains(m.Id)) && m.Calculating).Select(m => m.Id).ToListAsync())
            is { Count: > 0 } calculating)
        {
            // None to claim: the host's own worker holds it; wait on its end, not a guess at how long it takes.
            if (!await worker.RunNextAsync(CancellationToken.None))
                await Should.NotThrowAsync(() => worker.CalculatedAsync(calculating[0], limit.Token), "the measures were not calculated in three minutes");
        }
    }
}
