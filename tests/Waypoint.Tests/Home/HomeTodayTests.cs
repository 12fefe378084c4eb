using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Home;

/// <summary>
/// Home says what the reader must do today, from the same lists as My work and the hub queue; an
/// analyst, who sees figures only, may neither open nor submit "Add a person".
/// </summary>
public abstract class HomeTodayTests(WaypointApp app)
{
    [Fact]
    public async Task Home_LeadWithOverdueActionAndReviewDue_ShowsThemMostUrgentFirst()
    {
        var w = await CaseWorld.OpenAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Later visit", OwnerOrganisationId = w.P.Youth.Id, DueOn = today.AddDays(20), CreatedAt = DateTimeOffset.UtcNow });
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Overdue call", OwnerOrganisationId = w.P.Youth.Id, DueOn = today.AddDays(-3), CreatedAt = DateTimeOffset.UtcNow });
            db.CaseActions.Add(new CaseAction { CaseId = w.CaseId, Description = "Someone else's", OwnerOrganisationId = w.P.Health.Id, DueOn = today.AddDays(-5), CreatedAt = DateTimeOffset.UtcNow });
            await db.Cases.Where(c => c.Id == w.CaseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.NextReviewOn, today.AddDays(2)));
            await db.SaveChangesAsync();
        });
        var lead = await app.SignInAsync(w.Lead);

        var home = await lead.GetDocumentAsync("/");

        home.QuerySelector("#actions-figure")!.TextContent.ShouldContain("1 overdue");
        var rows = home.QuerySelectorAll("#home-actions tbody tr").Select(r => r.TextContent).ToList();
        rows.Count.ShouldBe(2, "only the organisation's own actions");
        rows[0].ShouldContain("Overdue call");
        rows[0].ShouldContain("Overdue");
        rows[1].ShouldContain("Later visit");
        home.QuerySelector("#home-reviews")!.TextContent.ShouldContain($"Jade Corr{w.P.Suffix}");
        home.QuerySelector("#triage-figure").ShouldBeNull("the youth service does not triage");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Child.Id && a.Subject == "home")))
            .ShouldBeGreaterThan(0, "a child named on home is audited as listed");
    }

    [Fact]
    public async Task Home_HubTriager_CountsTheQueueWithOverdue()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Ola", $"Brook{p.Suffix}", new DateOnly(2013, 2, 2), enrolledAt: p.School);
        var triager = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var reporter = await app.SignInAsync(await p.UserAsync(p.School));
        (await reporter.PostFormAsync($"/people/{child.Id}/report-concern", new()
        {
            ["Categories"] = "RiskOfExclusion",
            ["WhatIsKnown"] = "Suspended twice this term.",
            ["ImmediateRisk"] = "false",
            ["LawfulBasis"] = "PublicTask",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        await app.AsSystemAsync(db => db.Referrals.Where(r => r.PersonId == child.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.DecisionDueBy, DateTimeOffset.UtcNow.AddHours(-1))));

        var home = await (await app.SignInAsync(triager)).GetDocumentAsync("/");

        var figure = home.QuerySelector("#triage-figure")!;
        figure.QuerySelector("a")!.GetAttribute("href").ShouldBe("/hub");
        figure.TextContent.ShouldContain("1 overdue");
        var reports = home.QuerySelector("#home-reports")!;
        reports.TextContent.ShouldContain($"Ola Brook{p.Suffix}");
        reports.TextContent.ShouldContain("Overdue");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == child.Id && a.Subject == "home")))
            .ShouldBeGreaterThan(0, "a child named on home is audited as listed");
    }

    [Fact]
    public async Task AddPerson_Analyst_RefusedAndNoOneRegistered()
    {
        var p = await TestPartnership.CreateAsync(app);
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        var family = $"Analysed{p.Suffix}";

        (await analyst.GetAsync("/people/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var posted = await analyst.PostFormAsync("/people/new", new()
        {
            ["Input.Kind"] = "YoungPerson",
            ["Input.GivenName"] = "Nobody",
            ["Input.FamilyName"] = family,
            ["Dob.Day"] = "3",
            ["Dob.Month"] = "3",
            ["Dob.Year"] = "2012",
            ["Input.Sex"] = "Unknown",
            ["Input.WardId"] = p.Ward.Id.ToString(),
            ["Input.Reason"] = "New pupil joining in year",
            ["DuplicatesChecked"] = "true",
        }, "/account");

        posted.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var api = await app.ApiClientAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        var overApi = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(api, "/api/v1/people?confirmNotDuplicate=true",
            new { kind = "YoungPerson", givenName = "Nobody", familyName = family, dateOfBirth = "2012-03-03", wardId = p.Ward.Id, reason = "New pupil joining in year" });
        overApi.StatusCode.ShouldBe(HttpStatusCode.Forbidden, "the API refuses what the page refuses");
        (await app.AsSystemAsync((db, _) => db.People.CountAsync(x => x.FamilyName == family))).ShouldBe(0);
        var home = await analyst.GetDocumentAsync("/");
        home.QuerySelector("#today").ShouldBeNull("an analyst has no people to work on");
        home.QuerySelector("#aggregates-only").ShouldNotBeNull();
    }
}

public sealed class HomeTodayTestsOnSqlite(SqliteApp app) : HomeTodayTests(app), IClassFixture<SqliteApp>;

public sealed class HomeTodayTestsOnPostgres(PostgresApp app) : HomeTodayTests(app), IClassFixture<PostgresApp>;
