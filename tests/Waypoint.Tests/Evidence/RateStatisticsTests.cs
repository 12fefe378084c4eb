using Shouldly;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>The interval arithmetic against figures computed by hand (and checked with a second implementation), zero cells included.</summary>
public sealed class RateStatisticsTests
{
    [Fact]
    public void Wilson_TenOfHundred_MatchesHandComputed()
    {
        var i = RateStatistics.Wilson(10, 100)!;
        i.Estimate.ShouldBe(0.1, 1e-12);
        i.Lower.ShouldBe(0.0552291, 1e-6);
        i.Upper.ShouldBe(0.1743657, 1e-6);
    }

    [Fact]
    public void Wilson_NoneInvolved_LowerIsZeroAndUpperIsZSquaredOverNPlusZSquared()
    {
        var i = RateStatistics.Wilson(0, 50)!;
        i.Lower.ShouldBe(0, 1e-12);
        i.Upper.ShouldBe(RateStatistics.Z * RateStatistics.Z / (50 + RateStatistics.Z * RateStatistics.Z), 1e-9);
    }

    [Fact]
    public void Wilson_AllInvolved_UpperIsOne()
    {
        var i = RateStatistics.Wilson(50, 50)!;
        i.Upper.ShouldBe(1, 1e-12);
        i.Lower.ShouldBe(0.9286524, 1e-6);
    }

    [Fact]
    public void Wilson_NoPupils_NotComputed() => RateStatistics.Wilson(0, 0).ShouldBeNull();

    [Fact]
    public void Ratio_NoZeroCells_KatzInterval()
    {
        var r = RateStatistics.Ratio(new Stratum(10, 100, 20, 1000))!;
        r.Estimate!.Value.ShouldBe(5, 1e-12);
        r.Lower.ShouldBe(2.4077925, 1e-6);
        r.Upper.ShouldBe(10.3829546, 1e-6);
        r.Corrected.ShouldBeFalse();
    }

    [Fact]
    public void Ratio_NoneInvolvedAmongExposed_EstimateZeroIntervalFromHalfCorrection()
    {
        var r = RateStatistics.Ratio(new Stratum(0, 50, 10, 500))!;
        r.Estimate!.Value.ShouldBe(0);
        r.Corrected.ShouldBeTrue();
        r.Lower.ShouldBe(0.0278168, 1e-6);
        r.Upper.ShouldBe(7.8666277, 1e-6);
    }

    [Fact]
    public void Ratio_NoneInvolvedAmongUnexposed_EstimateUnboundedIntervalStillGiven()
    {
        var r = RateStatistics.Ratio(new Stratum(5, 50, 0, 500))!;
        r.Estimate.ShouldBeNull();
        r.Corrected.ShouldBeTrue();
        r.Lower.ShouldBeGreaterThan(1);
    }

    [Fact]
    public void Ratio_EmptyGroup_NotComputed() => RateStatistics.Ratio(new Stratum(0, 0, 3, 10)).ShouldBeNull();

    [Fact]
    public void MantelHaenszel_TwoStrata_GreenlandRobinsInterval()
    {
        var r = RateStatistics.MantelHaenszel([new Stratum(8, 100, 10, 400), new Stratum(2, 50, 20, 1000)])!;
        r.Estimate!.Value.ShouldBe(2.8129032, 1e-6);
        r.Lower.ShouldBe(1.3164506, 1e-6);
        r.Upper.ShouldBe(6.0104228, 1e-6);
    }

    [Fact]
    public void MantelHaenszel_ConfoundedByStratum_RemovesTheCrudeExcess()
    {
        // Within each stratum the exposed and unexposed have the same rate; the crude ratio is
        // inflated only because the exposed are mostly in the high-rate stratum.
        Stratum[] strata = [new(40, 200, 20, 100), new(1, 100, 10, 1000)];
        var crude = RateStatistics.Ratio(new Stratum(41, 300, 30, 1100))!;
        crude.Estimate!.Value.ShouldBeGreaterThan(4);
        RateStatistics.MantelHaenszel(strata)!.Estimate!.Value.ShouldBe(1, 1e-9);
    }

    [Fact]
    public void MantelHaenszel_NoInvolvedAnywhere_NotComputed() =>
        RateStatistics.MantelHaenszel([new Stratum(0, 10, 0, 10)]).ShouldBeNull();
}

/// <summary>Newcombe's paired interval against figures from a second, separate implementation of his method 10 (Python, from the 1998 paper's formulas).</summary>
public sealed class PairedChangeTests
{
    [Fact]
    public void PairedChange_ThirtySixTwelveTwoNone_MatchesSecondImplementation()
    {
        // Newcombe (1998), Statistics in Medicine 17:2635, the cells of his first example: 36 both, 12 before only, 2 after only, 0 neither.
        // Method 10 by the second implementation: 0.0569 to 0.3404 for before minus after, so -0.3404 to -0.0569 for after minus before.
        var change = Waypoint.Features.Evidence.RateStatistics.PairedChange(36, 12, 2, 0)!;

        change.Estimate.ShouldBe(-0.2, 1e-12);
        change.Lower.ShouldBe(-0.3404, 0.00005);
        change.Upper.ShouldBe(-0.0569, 0.00005);
    }

    [Fact]
    public void PairedChange_NobodyChanged_IntervalStillHasWidth()
    {
        var change = Waypoint.Features.Evidence.RateStatistics.PairedChange(0, 0, 0, 10)!;

        change.Estimate.ShouldBe(0);
        change.Lower.ShouldBe(-0.2775, 0.00005);
        change.Upper.ShouldBe(0.2775, 0.00005);
    }

    [Fact]
    public void PairedChange_NoChildren_Null() =>
        Waypoint.Features.Evidence.RateStatistics.PairedChange(0, 0, 0, 0).ShouldBeNull();
}
