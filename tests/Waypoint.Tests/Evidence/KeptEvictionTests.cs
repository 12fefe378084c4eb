using System.Collections.Concurrent;
using Shouldly;
using Waypoint.Features.Schools.Dashboard;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The dashboard's kept figures are bounded by least-recent use: past the bound the least recently
/// used half goes, and what was used last stays (before, everything was cleared at once).
/// </summary>
public sealed class KeptEvictionTests
{
    [Fact]
    public void EvictLeastUsed_PastTheBound_TheLeastRecentlyUsedHalfGoes_WhatWasUsedLastStays()
    {
        var kept = new ConcurrentDictionary<int, long>();
        for (var i = 0; i <= 100; i++)
            kept[i] = i; // used in the order 0, 1, ..., 100
        kept[0] = 1_000; // 0 used again, last of all

        ExclusionFigures.EvictLeastUsed(kept, used => used, 100);

        kept.Count.ShouldBe(50, "101 kept past a bound of 100: down to half the bound");
        kept.ContainsKey(0).ShouldBeTrue("used last, though kept first");
        kept.Keys.Where(k => k != 0).Order().ShouldBe(Enumerable.Range(52, 49), "the most recently used stay");

        ExclusionFigures.EvictLeastUsed(kept, used => used, 100);
        kept.Count.ShouldBe(50, "within the bound nothing goes");
    }
}
