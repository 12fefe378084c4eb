using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Referrals;

/// <summary>
/// The hub deciding a report sees the child beside it (the triage page used to show nothing about
/// them): age, school, this year's attendance, and earlier reports with what was decided.
/// </summary>
public abstract class TriageContextTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task TriagePage_AwaitingReport_ShowsAgeSchoolAttendanceAndEarlierReports()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Kai", $"Reed{p.Suffix}", Today.AddYears(-13).AddDays(-5), enrolledAt: p.School);
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var reporter = await p.UserAsync(p.School);
        var now = DateTimeOffset.UtcNow;
        Referral Report(DateTimeOffset at, ReferralStatus status, TriageOutcome? outcome) => new()
        {
            PersonId = child.Id,
            ReporterUserId = reporter.Id,
            ReporterOrganisationId = p.School.Id,
            AreaId = p.Ward.Id,
            Categories = "RiskOfExclusion",
            WhatIsKnown = "A concern",
            ReportedAt = at,
            DecisionDueBy = at.AddDays(1),
            Status = status,
            Outcome = outcome,
            DecidedAt = outcome is null ? null : at.AddDays(1),
            DecidedByUserId = outcome is null ? null : hub.Id,
            Rationale = outcome is null ? null : "Advice given",
        };
        var earlier = Report(now.AddDays(-60), ReferralStatus.Decided, TriageOutcome.AdviceOrSignposting);
        var current = Report(now.AddHours(-2), ReferralStatus.AwaitingTriage, null);
        await app.AsSystemAsync(async db =>
        {
            db.Referrals.AddRange(earlier, current);
            db.AttendanceRecords.Add(new AttendanceRecord
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                PeriodStart = Today.AddDays(-20),
                PeriodEnd = Today.AddDays(-10),
                SessionsPossible = 20,
                SessionsPresent = 16,
                UnauthorisedAbsence = 4,
                RecordedAt = now,
            });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(hub);

        var page = await client.GetDocumentAsync($"/referrals/{current.Id}");

        string Value(string id) => string.Join(' ', page.QuerySelector($"#{id} .govuk-summary-list__value")!.TextContent
            .Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));
        Value("context-age").ShouldStartWith("13 (");
        Value("context-school").ShouldBe($"School A {p.Suffix}, Year 9");
        Value("context-attendance").ShouldStartWith("80.0%");
        Value("context-earlier").ShouldContain($"by School A {p.Suffix}: Advice or signposting");
        page.QuerySelector($"#context-earlier a")!.GetAttribute("href").ShouldBe($"/referrals/{earlier.Id}");
        (await client.GetDocumentAsync($"/referrals/{earlier.Id}")).QuerySelector("#about-the-child").ShouldBeNull();
    }
}

public sealed class TriageContextTestsOnSqlite(SqliteApp app) : TriageContextTests(app), IClassFixture<SqliteApp>;

public sealed class TriageContextTestsOnPostgres(PostgresApp app) : TriageContextTests(app), IClassFixture<PostgresApp>;
