using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>Exclusion and violence over generated cohorts whose true rates are known.</summary>
public sealed class ViolenceAnalysisTests
{
    private static readonly DateOnly From = new(2024, 9, 1);
    private static readonly DateOnly To = new(2025, 8, 31);

    private sealed class Cohort
    {
        public List<CohortPupil> Pupils { get; } = [];
        public List<CohortExclusion> Exclusions { get; } = [];
        public List<ViolentInvolvement> Involvements { get; } = [];

        public Guid Pupil(Guid school, DateOnly? dob = null)
        {
            var id = Guid.NewGuid();
            Pupils.Add(new CohortPupil(id, dob ?? new DateOnly(2011, 1, 1), school));
            return id;
        }

        public ViolenceReport Build(int threshold = 5) => ViolenceAnalysis.Build(new ViolenceInput(From, To, threshold, "Testshire", Pupils, Exclusions, Involvements));
    }

    private static ViolenceRow Row(ViolenceReport r, string measure, string group, string band = ViolenceAnalysis.AllAges) =>
        r.Measures.Single(m => m.Key == measure).Groups.Single(g => g.Name == group).Rows.Single(x => x.Band == band);

    [Fact]
    public void Build_KnownRates_RatesAndRatioAsConstructed()
    {
        // 200 suspended pupils of whom exactly 30 were suspects (150 per 1,000); 1,000 with neither, of whom 20 (20 per 1,000).
        var c = new Cohort();
        var school = Guid.NewGuid();
        for (var i = 0; i < 200; i++)
        {
            var id = c.Pupil(school);
            c.Exclusions.Add(new(id, ExclusionKind.Suspension, From.AddDays(30)));
            if (i < 30)
                c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(60)));
        }
        for (var i = 0; i < 1000; i++)
        {
            var id = c.Pupil(school);
            if (i < 20)
                c.Involvements.Add(new(id, OccurrenceRole.Offender, From.AddDays(60)));
        }
        var r = c.Build();

        Row(r, "perpetrator", ViolenceAnalysis.Suspended).RatePer1000!.Value.ShouldBe(150, 1e-9);
        Row(r, "perpetrator", ViolenceAnalysis.Neither).RatePer1000!.Value.ShouldBe(20, 1e-9);
        var ratio = r.Measures.Single(m => m.Key == "perpetrator").Comparisons.Single(x => x.Exposed == ViolenceAnalysis.Suspended);
        ratio.Crude!.Estimate!.Value.ShouldBe(7.5, 1e-9);
        ratio.Adjusted!.Estimate!.Value.ShouldBe(7.5, 1e-9, "one school and one age band: like with like is the crude ratio");
        ratio.Crude.Lower.ShouldBeLessThan(7.5);
        ratio.Crude.Upper.ShouldBeGreaterThan(7.5);
    }

    [Fact]
    public void Build_VictimsAndWitnesses_NeverCountedAsPerpetrators()
    {
        var c = new Cohort();
        var school = Guid.NewGuid();
        for (var i = 0; i < 100; i++)
        {
            var id = c.Pupil(school);
            c.Exclusions.Add(new(id, ExclusionKind.Suspension, From.AddDays(10)));
            c.Involvements.Add(new(id, i < 40 ? OccurrenceRole.Victim : OccurrenceRole.Witness, From.AddDays(20)));
        }
        for (var i = 0; i < 100; i++)
            c.Involvements.Add(new(c.Pupil(school), OccurrenceRole.Victim, From.AddDays(20)));
        var r = c.Build();

        Row(r, "perpetrator", ViolenceAnalysis.Suspended).Involved.Value.ShouldBe(0);
        Row(r, "perpetrator", ViolenceAnalysis.Neither).Involved.Value.ShouldBe(0);
        Row(r, "victim", ViolenceAnalysis.Suspended).Involved.Value.ShouldBe(40);
        Row(r, "victim", ViolenceAnalysis.Neither).Involved.Value.ShouldBe(100);
    }

    [Fact]
    public void Build_SuspectAndVictim_CountedOnceUnderEach()
    {
        var c = new Cohort();
        var school = Guid.NewGuid();
        for (var i = 0; i < 10; i++)
        {
            var id = c.Pupil(school);
            c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(20)));
            c.Involvements.Add(new(id, OccurrenceRole.Offender, From.AddDays(40)));
            c.Involvements.Add(new(id, OccurrenceRole.Victim, From.AddDays(50)));
        }
        var r = c.Build();
        Row(r, "perpetrator", ViolenceAnalysis.Neither).Involved.Value.ShouldBe(10);
        Row(r, "victim", ViolenceAnalysis.Neither).Involved.Value.ShouldBe(10);
    }

    [Fact]
    public void Build_TimeOrder_SplitsOnFirstExclusion()
    {
        var c = new Cohort();
        var school = Guid.NewGuid();
        for (var i = 0; i < 20; i++)
        {
            var id = c.Pupil(school);
            var excluded = From.AddDays(100);
            c.Exclusions.Add(new(id, ExclusionKind.Suspension, excluded));
            c.Exclusions.Add(new(id, ExclusionKind.Suspension, excluded.AddDays(50)));
            // 8 before the first suspension, 12 on its day or after (one of them on the day itself).
            c.Involvements.Add(new(id, OccurrenceRole.Suspect, i < 8 ? excluded.AddDays(-5) : i == 8 ? excluded : excluded.AddDays(10)));
        }
        var g = c.Build().Measures.Single(m => m.Key == "perpetrator").Groups.Single(x => x.Name == ViolenceAnalysis.Suspended);
        g.FirstInvolvementBefore!.Value.ShouldBe(8);
        g.FirstInvolvementOnOrAfter!.Value.ShouldBe(12);
    }

    [Fact]
    public void Build_OutsideWindowOrOutsideCohort_NotCounted()
    {
        var c = new Cohort();
        var school = Guid.NewGuid();
        for (var i = 0; i < 10; i++)
        {
            var id = c.Pupil(school);
            c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(-1)));
            c.Exclusions.Add(new(id, ExclusionKind.Suspension, To.AddDays(1)));
        }
        c.Involvements.Add(new(Guid.NewGuid(), OccurrenceRole.Suspect, From.AddDays(3)));
        var r = c.Build();
        Row(r, "perpetrator", ViolenceAnalysis.Neither).Pupils.Value.ShouldBe(10);
        Row(r, "perpetrator", ViolenceAnalysis.Neither).Involved.Value.ShouldBe(0);
        Row(r, "perpetrator", ViolenceAnalysis.Suspended).Pupils.Value.ShouldBe(0);
    }

    [Fact]
    public void Build_SmallCounts_SuppressedWithRateAndRatioWithheld()
    {
        var c = new Cohort();
        var school = Guid.NewGuid();
        for (var i = 0; i < 50; i++)
        {
            var id = c.Pupil(school, new DateOnly(2010, 1, 1));
            c.Exclusions.Add(new(id, ExclusionKind.Suspension, From.AddDays(10)));
            if (i < 3)
                c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(20)));
        }
        for (var i = 0; i < 200; i++)
            c.Involvements.AddRange(i < 10 ? [new(c.Pupil(school, new DateOnly(2010, 1, 1)), OccurrenceRole.Suspect, From.AddDays(20))] : []);
        for (var i = 0; i < 190; i++)
            c.Pupil(school, new DateOnly(2010, 1, 1));
        var r = c.Build();
        var suspended = Row(r, "perpetrator", ViolenceAnalysis.Suspended);
        suspended.Involved.Withheld.ShouldBe(StatCell.Suppressed);
        suspended.RatePer1000.ShouldBeNull();
        suspended.LowerPer1000.ShouldBeNull();
        Row(r, "perpetrator", ViolenceAnalysis.Suspended, "14 to 15").Involved.Withheld.ShouldBe(StatCell.Suppressed, "the band equals the total: it would give it away");
        r.Measures.Single(m => m.Key == "perpetrator").Comparisons.Single(x => x.Exposed == ViolenceAnalysis.Suspended).Withheld.ShouldNotBeNull();
    }

    [Fact]
    public void Build_ConfoundedByAge_LikeWithLikeRatioNearOne()
    {
        // Older pupils are both suspended more and involved more; within an age band, suspension makes no difference.
        // Every band count is well above the threshold, so like with like is shown.
        var c = Confounded(youngSuspended: 100, youngSuspendedInvolved: 5);
        var ratio = c.Build().Measures.Single(m => m.Key == "perpetrator").Comparisons.Single(x => x.Exposed == ViolenceAnalysis.Suspended);
        ratio.Crude!.Estimate!.Value.ShouldBeGreaterThan(2);
        ratio.Adjusted!.Estimate!.Value.ShouldBe(1, 1e-9);
        ratio.AdjustedWithheld.ShouldBeNull();
    }

    [Fact]
    public void Build_BandCountHidden_LikeWithLikeWithheldAndSaysWhy()
    {
        // One suspended pupil under 11 involved: below the threshold, hidden; a ratio built over it could give it away.
        var c = Confounded(youngSuspended: 20, youngSuspendedInvolved: 1);
        var report = c.Build();
        Row(report, "perpetrator", ViolenceAnalysis.Suspended, ViolenceAnalysis.Bands[0]).Involved.Value.ShouldBeNull();
        var ratio = report.Measures.Single(m => m.Key == "perpetrator").Comparisons.Single(x => x.Exposed == ViolenceAnalysis.Suspended);
        ratio.Adjusted.ShouldBeNull();
        ratio.AdjustedWithheld.ShouldNotBeNull().ShouldContain("suppressed");
        ratio.Crude.ShouldNotBeNull(); // the all-ages counts are shown
    }

    [Fact]
    public void Build_ASchoolsSmallCountInABandOfTwoSchools_LikeWithLikeWithheldThoughTheBandsAreShown()
    {
        // One age band, two schools. The band's counts are all at or above the threshold (shown), but
        // the second school has 2 suspended pupils involved: the ratio over the schools' strata could
        // give that away, so like with like is withheld; the crude ratio (band totals) is shown.
        var c = new Cohort();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();
        void Add(Guid school, int suspended, int suspendedInvolved, int neither, int neitherInvolved)
        {
            for (var i = 0; i < suspended; i++)
            {
                var id = c.Pupil(school);
                c.Exclusions.Add(new(id, ExclusionKind.Suspension, From.AddDays(5)));
                if (i < suspendedInvolved)
                    c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(9)));
            }
            for (var i = 0; i < neither; i++)
            {
                var id = c.Pupil(school);
                if (i < neitherInvolved)
                    c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(9)));
            }
        }
        Add(first, 60, 10, 300, 20);
        Add(second, 40, 2, 200, 10);
        var report = c.Build();
        Row(report, "perpetrator", ViolenceAnalysis.Suspended).Involved.Value.ShouldBe(12);
        var ratio = report.Measures.Single(m => m.Key == "perpetrator").Comparisons.Single(x => x.Exposed == ViolenceAnalysis.Suspended);
        ratio.Crude.ShouldNotBeNull();
        ratio.Adjusted.ShouldBeNull();
        ratio.AdjustedWithheld.ShouldNotBeNull().ShouldContain("school's figure");

        // The same with the second school's count at the threshold: every stratum is safe, so it is shown.
        c = new Cohort();
        Add(first, 60, 10, 300, 20);
        Add(second, 40, 5, 200, 10);
        var shown = c.Build().Measures.Single(m => m.Key == "perpetrator").Comparisons.Single(x => x.Exposed == ViolenceAnalysis.Suspended);
        shown.Adjusted.ShouldNotBeNull();
        shown.AdjustedWithheld.ShouldBeNull();
    }

    private static Cohort Confounded(int youngSuspended, int youngSuspendedInvolved)
    {
        var c = new Cohort();
        var school = Guid.NewGuid();
        void Add(DateOnly dob, int suspended, int suspendedInvolved, int neither, int neitherInvolved)
        {
            for (var i = 0; i < suspended; i++)
            {
                var id = c.Pupil(school, dob);
                c.Exclusions.Add(new(id, ExclusionKind.Suspension, From.AddDays(5)));
                if (i < suspendedInvolved)
                    c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(9)));
            }
            for (var i = 0; i < neither; i++)
            {
                var id = c.Pupil(school, dob);
                if (i < neitherInvolved)
                    c.Involvements.Add(new(id, OccurrenceRole.Suspect, From.AddDays(9)));
            }
        }
        Add(new DateOnly(2015, 1, 1), youngSuspended, youngSuspendedInvolved, 2000, 100);
        Add(new DateOnly(2008, 1, 1), 400, 80, 200, 40);
        return c;
    }

    [Fact]
    public void Build_RandomCohortsWithKnownRate_WilsonIntervalCoversTheTrueRateAboutNinetyFivePercent()
    {
        // 400 cohorts drawn with a true rate of 80 per 1,000 among 300 pupils; a 95% interval should miss it about 5% of the time.
        var random = new Random(15);
        var covered = 0;
        const int Runs = 400;
        for (var run = 0; run < Runs; run++)
        {
            var c = new Cohort();
            var school = Guid.NewGuid();
            for (var i = 0; i < 300; i++)
            {
                var id = c.Pupil(school);
                if (random.NextDouble() < 0.08)
                    c.Involvements.Add(new(id, OccurrenceRole.Offender, From.AddDays(1)));
            }
            var row = Row(c.Build(threshold: 1), "perpetrator", ViolenceAnalysis.Neither);
            if (row.LowerPer1000 <= 80 && row.UpperPer1000 >= 80)
                covered++;
        }
        ((double)covered / Runs).ShouldBeInRange(0.92, 0.98);
    }

    [Fact]
    public void BandOf_BirthdayOnTheDay_CountsTheNewAge()
    {
        ViolenceAnalysis.BandOf(new DateOnly(2013, 9, 1), new DateOnly(2024, 9, 1)).ShouldBe("11 to 13");
        ViolenceAnalysis.BandOf(new DateOnly(2013, 9, 2), new DateOnly(2024, 9, 1)).ShouldBe("Under 11");
        ViolenceAnalysis.BandOf(null, new DateOnly(2024, 9, 1)).ShouldBe("Age not known");
    }
}
