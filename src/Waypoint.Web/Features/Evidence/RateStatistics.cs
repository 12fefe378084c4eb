namespace Waypoint.Features.Evidence;

/// <summary>An estimate with its 95% confidence interval.</summary>
public sealed record Interval(double Estimate, double Lower, double Upper);

/// <summary>One stratum of a two-group comparison: the involved and the number at risk, exposed and not.</summary>
public sealed record Stratum(int ExposedInvolved, int Exposed, int UnexposedInvolved, int Unexposed);

/// <summary>
/// The interval arithmetic behind the evidence pages: Wilson score intervals for proportions,
/// rate ratios with Katz's log interval, and the Mantel-Haenszel ratio over strata with the
/// Greenland-Robins variance. Checked against hand-computed cases in RateStatisticsTests.
/// </summary>
public static class RateStatistics
{
    /// <summary>The two-sided 95% normal quantile.</summary>
    public const double Z = 1.959963984540054;

    /// <summary>
    /// The Wilson score interval for <paramref name="involved"/> out of <paramref name="n"/>, as a
    /// proportion. Unlike the plain normal interval it stays inside 0 to 1 and is not degenerate at 0.
    /// </summary>
    public static Interval? Wilson(int involved, int n)
    {
        if (n <= 0 || involved < 0 || involved > n)
            return null;
        var p = (double)involved / n;
        var z2 = Z * Z;
        var d = 1 + z2 / n;
        var centre = (p + z2 / (2.0 * n)) / d;
        var half = Z * Math.Sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / d;
        return new Interval(p, Math.Max(0, centre - half), Math.Min(1, centre + half));
    }

    /// <summary>
    /// The ratio of the exposed group's proportion to the unexposed group's, with Katz's interval
    /// on the log scale. Where a cell is zero, 0.5 is added to every cell (Haldane) for the
    /// interval only; the estimate is then 0 (none involved among the exposed) or not computable
    /// (none among the unexposed: the ratio is unbounded), and null is returned when either group is empty.
    /// </summary>
    public static RateRatio? Ratio(Stratum s)
    {
        if (s.Exposed <= 0 || s.Unexposed <= 0)
            return null;
        double a = s.ExposedInvolved, n1 = s.Exposed, c = s.UnexposedInvolved, n0 = s.Unexposed;
        var corrected = a == 0 || c == 0 || a == n1 || c == n0;
        double? estimate = c == 0 ? null : a / n1 / (c / n0);
        if (corrected)
        {
            a += 0.5;
            c += 0.5;
            n1 += 1;
            n0 += 1;
        }
        var logRatio = Math.Log(a / n1 / (c / n0));
        var se = Math.Sqrt(1 / a - 1 / n1 + 1 / c - 1 / n0);
        return new RateRatio(estimate, Math.Exp(logRatio - Z * se), Math.Exp(logRatio + Z * se), corrected);
    }

    /// <summary>
    /// The Mantel-Haenszel ratio over strata (ages and schools), so that the groups are compared
    /// like with like, with the Greenland-Robins variance of its log. Null where it cannot be
    /// computed (no involved exposed or no involved unexposed person in any stratum that has both groups).
    /// </summary>
    public static RateRatio? MantelHaenszel(IEnumerable<Stratum> strata)
    {
        double num = 0, den = 0, v = 0;
        foreach (var s in strata)
        {
            double n = s.Exposed + s.Unexposed;
            if (s.Exposed == 0 || s.Unexposed == 0)
                continue;
            num += s.ExposedInvolved * s.Unexposed / n;
            den += s.UnexposedInvolved * s.Exposed / n;
            v += ((double)s.Exposed * s.Unexposed * (s.ExposedInvolved + s.UnexposedInvolved) - (double)s.ExposedInvolved * s.UnexposedInvolved * n) / (n * n);
        }
        if (num <= 0 || den <= 0)
            return null;
        var ratio = num / den;
        var se = Math.Sqrt(v / (num * den));
        return new RateRatio(ratio, Math.Exp(Math.Log(ratio) - Z * se), Math.Exp(Math.Log(ratio) + Z * se), false);
    }

    /// <summary>
    /// The change in a proportion measured twice on the same children (after minus before), with
    /// Newcombe's interval for paired proportions (1998, method 10: Wilson intervals of each
    /// proportion combined through the correlation of the pairs). Unlike the plain Wald interval
    /// it is not degenerate when no child changed. Cells: had it both times, before only, after
    /// only, neither time. Null when there are no children.
    /// </summary>
    public static Interval? PairedChange(int both, int beforeOnly, int afterOnly, int neither)
    {
        var n = both + beforeOnly + afterOnly + neither;
        if (n <= 0 || both < 0 || beforeOnly < 0 || afterOnly < 0 || neither < 0)
            return null;
        var before = Wilson(both + beforeOnly, n)!;
        var after = Wilson(both + afterOnly, n)!;
        double a = both, b = beforeOnly, c = afterOnly, d = neither;
        var denominator = (a + b) * (c + d) * (a + c) * (b + d);
        var phi = denominator == 0 ? 0 : (a * d - b * c) / Math.Sqrt(denominator);
        // Newcombe's theta is before minus after; the change shown is after minus before.
        var theta = before.Estimate - after.Estimate;
        double dl1 = before.Estimate - before.Lower, du1 = before.Upper - before.Estimate;
        double dl2 = after.Estimate - after.Lower, du2 = after.Upper - after.Estimate;
        var lower = theta - Math.Sqrt(Math.Max(0, dl1 * dl1 - 2 * phi * dl1 * du2 + du2 * du2));
        var upper = theta + Math.Sqrt(Math.Max(0, du1 * du1 - 2 * phi * du1 * dl2 + dl2 * dl2));
        return new Interval(-theta, -upper, -lower);
    }
}

/// <summary>A rate ratio (null where it is unbounded) and its 95% interval; <see cref="Corrected"/> when a zero cell needed the 0.5 correction.</summary>
public sealed record RateRatio(double? Estimate, double Lower, double Upper, bool Corrected);
