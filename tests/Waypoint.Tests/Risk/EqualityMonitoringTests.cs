using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Risk;

/// <summary>Representation ratios with their interval and small-number suppression (pure), and the report's page and who may open it.</summary>
public sealed class RepresentationTests
{
    [Fact]
    public void Ratio_KnownCounts_MatchesTheKatzInterval()
    {
        // 20 of a cohort of 50 against 1,000 of 10,000: a share of 40% against 10%.
        var (ratio, lower, upper) = Representation.Ratio(20, 50, 1000, 10000)!.Value;
        ratio.ShouldBe(4.0, 1e-9);
        var se = Math.Sqrt(1.0 / 20 - 1.0 / 50 + 1.0 / 1000 - 1.0 / 10000);
        lower.ShouldBe(4.0 * Math.Exp(-1.96 * se), 1e-9);
        upper.ShouldBe(4.0 * Math.Exp(1.96 * se), 1e-9);
    }

    [Fact]
    public void Compare_SmallCountsAndOverRepresentation_SuppressedAndFlagged()
    {
        var rows = Representation.Compare("Sex",
            new Dictionary<string, int> { ["Male"] = 40, ["Female"] = 3 },
            new Dictionary<string, int> { ["Male"] = 500, ["Female"] = 500, ["Not recorded"] = 2 }, threshold: 1.5);

        var female = rows.Single(r => r.Group == "Female");
        female.Cohort.ShouldBeNull();
        female.Ratio.ShouldBeNull();
        rows.Single(r => r.Group == "Not recorded").Population.ShouldBeNull();
        var male = rows.Single(r => r.Group == "Male");
        male.Cohort.ShouldBe(40);
        male.Ratio!.Value.ShouldBeGreaterThan(1.5);
        male.OverRepresented.ShouldBeTrue();
    }

    [Fact]
    public void Compare_InProportion_NotFlagged()
    {
        var rows = Representation.Compare("FSM", new Dictionary<string, int> { ["Eligible"] = 10, ["Not eligible"] = 30 },
            new Dictionary<string, int> { ["Eligible"] = 250, ["Not eligible"] = 750 }, threshold: 1.5);
        rows.ShouldAllBe(r => !r.OverRepresented);
        rows.Single(r => r.Group == "Eligible").Ratio!.Value.ShouldBe(1.0, 1e-9);
    }

    [Theory]
    [InlineData("WBRI", "White")]
    [InlineData("MWBC", "Mixed")]
    [InlineData("BCRB", "Black or Black British")]
    [InlineData("REFU", "Refused")]
    [InlineData(null, "Not obtained")]
    public void EthnicGroup_CensusCode_MajorGroup(string? code, string group) => Representation.EthnicGroup(code).ShouldBe(group);
}

public abstract class EqualityMonitoringTests(WaypointApp app)
{
    [Fact]
    public async Task EqualityPage_FlaggedPupils_CountedBySexSuppressedWhenFewAndShownToOversightOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            for (var i = 0; i < 3; i++)
            {
                var child = new Person { GivenName = "Eq", FamilyName = $"Pupil{i}{p.Suffix}", Kind = PersonKind.YoungPerson, Sex = Sex.Male, AreaId = p.Ward.Id, OwnerOrganisationId = p.School.Id, DateOfBirth = new DateOnly(2011, 1, 1) };
                db.People.Add(child);
                db.Enrolments.Add(new Enrolment { PersonId = child.Id, SchoolId = p.School.Id, StartDate = today.AddYears(-1) });
                db.PupilCharacteristics.Add(new PupilCharacteristics { PersonId = child.Id, SchoolId = p.School.Id, Ethnicity = "WBRI", FsmEligible = true, SenProvision = "K" });
                db.PersonFlags.Add(new PersonFlag { PersonId = child.Id, Kind = FlagKind.GoingMissing, Evidence = "Test", OwnerOrganisationId = p.Police.Id, CategoryCode = RecordCategories.PoliceGeneral, SetByUserId = officer.Id, SetAt = DateTimeOffset.UtcNow, ReviewOn = today.AddMonths(1) });
            }
            await db.SaveChangesAsync();
        });

        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        var response = await dpo.GetAsync("/risk/equality");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        var flagged = page.QuerySelectorAll("h2").Single(h => h.TextContent.StartsWith("A current flag", StringComparison.Ordinal));
        flagged.TextContent.ShouldNotContain(": 0 ");
        page.Body!.TextContent.ShouldContain("Free school meals");
        page.Body.TextContent.ShouldNotContain($"Pupil0{p.Suffix}");

        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        (await analyst.GetAsync("/risk/equality")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var practitioner = await app.SignInAsync(officer);
        (await practitioner.GetAsync("/risk/equality")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
        (await app.AsSystemAsync((db, _) => db.PupilCharacteristics.CountAsync(c => c.Ethnicity == "WBRI" && c.SchoolId == p.School.Id))).ShouldBe(3);
    }
}

public sealed class EqualityMonitoringTestsOnSqlite(SqliteApp app) : EqualityMonitoringTests(app), IClassFixture<SqliteApp>;

public sealed class EqualityMonitoringTestsOnPostgres(PostgresApp app) : EqualityMonitoringTests(app), IClassFixture<PostgresApp>;
