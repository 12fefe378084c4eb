using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Evidence;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// Statistics fidelity: for every local authority, year and school type DfE published in full,
/// a partnership built to match it (its counts and headcount spread over schools) gets the same
/// rates on the published tables as DfE printed, rounded as DfE rounds (half away from zero, 2 places).
/// </summary>
public sealed class DfeFidelityTests
{
    [Fact]
    public void Build_AuthoritiesMatchingDfeCounts_SameRatesAsDfePublished()
    {
        var rows = DfeExclusionsImport.Parse(File.ReadAllText(DfeImportTests.Path)).Rows
            .Where(r => r.Level == BenchmarkLevel.LocalAuthority && r.SchoolType == "Total" && r.Withheld == null
                && r.Headcount > 0 && r.Suspensions >= 5 && r.PermanentExclusions >= 5 && r.PermanentExclusions % 1 == 0 && r.PupilsSuspended >= 5)
            .ToList();
        rows.Count.ShouldBeGreaterThan(1000);
        var mismatches = new List<string>();
        foreach (var r in rows)
        {
            var schools = Enumerable.Range(0, 3).Select(_ => new StatisticsSchool(Guid.NewGuid(), "District", SchoolPhase.Secondary)).ToList();
            int Share(int total, int i) => total / 3 + (i < total % 3 ? 1 : 0);
            var days = new List<ExclusionDayCount>();
            var pupils = new List<ExclusionPupilCount>();
            var headcounts = new Dictionary<Guid, int>();
            for (var i = 0; i < 3; i++)
            {
                var id = schools[i].Id;
                days.Add(new ExclusionDayCount { SchoolId = id, Date = new DateOnly(r.AcademicYear, 10, 1), Kind = ExclusionKind.Suspension, ReasonCode = "PA", AcademicYear = r.AcademicYear, Count = Share(r.Suspensions!.Value, i) });
                days.Add(new ExclusionDayCount { SchoolId = id, Date = new DateOnly(r.AcademicYear, 10, 1), Kind = ExclusionKind.PermanentExclusion, ReasonCode = "PA", AcademicYear = r.AcademicYear, Count = Share((int)r.PermanentExclusions!.Value, i) });
                pupils.Add(new ExclusionPupilCount { SchoolId = id, AcademicYear = r.AcademicYear, Term = ExclusionPupilCount.WholeYear, PupilsSuspended = Share(r.PupilsSuspended!.Value, i) });
                headcounts[id] = Share(r.Headcount!.Value, i);
            }
            var tables = ExclusionStatistics.Build(new StatisticsInput(r.AcademicYear, new DateOnly(r.AcademicYear + 1, 8, 31), 5, r.Name, schools, days, pupils, headcounts, []));
            var total = tables.Tables.Single(t => t.Key == "Total").Rows.Single();
            if (total.SuspensionRate != r.SuspensionRate || total.ExclusionRate != r.PermanentExclusionRate || total.PupilsSuspendedRate != r.PupilsSuspendedRate
                || total.Suspensions.Value != r.Suspensions || total.Headcount != r.Headcount)
                mismatches.Add($"{r.Name} {r.AcademicYear}: ours {total.SuspensionRate}/{total.ExclusionRate}/{total.PupilsSuspendedRate}, DfE {r.SuspensionRate}/{r.PermanentExclusionRate}/{r.PupilsSuspendedRate}");
        }
        mismatches.ShouldBeEmpty();
    }
}
