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
        var until = DateTime.UtcNow.AddMinutes(3);
        while (await app.AsSystemAsync((db, _) => db.OutcomeMeasures.AnyAsync(m => (measures.Length == 0 || measures.Contains(m.Id)) && m.Calculating)))
        {
            if (!await worker.RunNextAsync(CancellationToken.None))
                await Task.Delay(200);
            DateTime.UtcNow.ShouldBeLessThan(until, "the measures were not calculated in three minutes");
        }
    }
}
