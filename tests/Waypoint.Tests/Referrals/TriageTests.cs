using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Referrals;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Referrals;

/// <summary>A child-concern report to the hub and the hub's decision, over HTTP, with the access each step grants.</summary>
public abstract class TriageTests(WaypointApp app)
{
    private sealed record World(TestPartnership P, Person Child, TestUser Reporter, TestUser Hub, TestUser Youth);

    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Kai", $"Reed{p.Suffix}", new DateOnly(2011, 3, 9), enrolledAt: p.School);
        return new World(p, child, await p.UserAsync(p.School), await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County), await p.UserAsync(p.Youth));
    }

    private static Dictionary<string, string> Report(string categories = "RiskOfExclusion", string known = "Third fixed-term exclusion this term; older boys waiting at the gate.", string? immediate = "false", string? basis = "PublicTask")
    {
        var form = new Dictionary<string, string> { ["WhatIsKnown"] = known };
        if (basis is not null)
            form["LawfulBasis"] = basis;
        // Each category is its own value, as the form's checkboxes send them ("A,B" is not a category).
        foreach (var (category, i) in categories.Split(',', StringSplitOptions.RemoveEmptyEntries).Select((c, i) => (c, i)))
            form[$"Categories[{i}]"] = category;
        if (immediate is not null)
            form["ImmediateRisk"] = immediate;
        return form;
    }

    private static async Task<Guid> ReportAsync(HttpClient client, Person child, Dictionary<string, string> form)
    {
        var response = await client.PostFormAsync($"/people/{child.Id}/report-concern", form);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var location = response.LocationPath();
        location.ShouldStartWith("/referrals/");
        return Guid.Parse(location.Split('/')[2]);
    }

    [Fact]
    public async Task ReportThenEarlyHelp_ReporterInvolvedCaseOpenedLeadSeesChildBothTold()
    {
        var w = await WorldAsync();
        var reporter = await app.SignInAsync(w.Reporter);
        var youth = await app.SignInAsync(w.Youth);
        (await youth.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var id = await ReportAsync(reporter, w.Child, Report());

        var sent = await reporter.GetDocumentAsync($"/referrals/{id}?sent=true");
        sent.QuerySelector(".govuk-panel__title")!.TextContent.ShouldBe("Report sent to the hub");
        (await app.AsSystemAsync((db, _) => db.Involvements.CountAsync(i => i.PersonId == w.Child.Id && i.OrganisationId == w.P.School.Id && i.Source == InvolvementSource.Referral && i.SourceId == id))).ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.Notifications.CountAsync(n => n.UserId == w.Hub.Id && n.Link == $"/referrals/{id}"))).ShouldBe(1);

        var hub = await app.SignInAsync(w.Hub);
        var queue = await hub.GetDocumentAsync("/hub");
        queue.QuerySelector($"#hub-queue a[href='/referrals/{id}']")!.TextContent.ShouldBe($"Kai Reed{w.P.Suffix}");

        var decided = await hub.PostFormAsync($"/referrals/{id}", new()
        {
            ["Outcome"] = "EarlyHelp",
            ["Rationale"] = "Repeated exclusions and signs of exploitation: early help led by the youth service.",
            ["LeadOrganisationId"] = w.P.Youth.Id.ToString(),
        });

        decided.StatusCode.ShouldBe(HttpStatusCode.Redirect, await decided.Content.ReadAsStringAsync());
        var referral = await app.AsSystemAsync((db, _) => db.Referrals.SingleAsync(r => r.Id == id));
        referral.Status.ShouldBe(ReferralStatus.Decided);
        referral.Outcome.ShouldBe(TriageOutcome.EarlyHelp);
        var @case = await app.AsSystemAsync((db, _) => db.Cases.SingleAsync(c => c.ReferralId == id));
        @case.LeadOrganisationId.ShouldBe(w.P.Youth.Id);
        @case.Status.ShouldBe(CaseStatus.Open);
        (await youth.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the lead organisation now has a relationship with the child");
        (await app.AsSystemAsync((db, _) => db.Notifications.CountAsync(n => n.UserId == w.Reporter.Id && n.Kind == "referral-outcome"))).ShouldBe(1);
        var page = await reporter.GetDocumentAsync($"/referrals/{id}");
        page.QuerySelector(".govuk-summary-list")!.TextContent.ShouldContain($"Early help (opens a case), led by {w.P.Youth.Name}");
        page.QuerySelector("main form button").ShouldBeNull("only the hub decides");
        (await hub.GetDocumentAsync("/hub")).QuerySelector($"#hub-queue a[href='/referrals/{id}']").ShouldBeNull();
    }

    private async Task<(World W, Guid CaseId, HttpClient Lead)> OpenCaseAsync()
    {
        var w = await WorldAsync();
        var id = await ReportAsync(await app.SignInAsync(w.Reporter), w.Child, Report());
        var hub = await app.SignInAsync(w.Hub);
        (await hub.PostFormAsync($"/referrals/{id}", new()
        {
            ["Outcome"] = "TargetedSupport",
            ["Rationale"] = "Targeted support led by the youth service.",
            ["LeadOrganisationId"] = w.P.Youth.Id.ToString(),
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var caseId = await app.AsSystemAsync((db, _) => db.Cases.Where(c => c.ReferralId == id).Select(c => c.Id).SingleAsync());
        return (w, caseId, await app.SignInAsync(w.Youth));
    }

    [Fact]
    public async Task Case_TeamActionsCloseReopen_AccessComesAndGoesWithMembership()
    {
        var (w, caseId, lead) = await OpenCaseAsync();
        var healthUser = await w.P.UserAsync(w.P.Health);
        var health = await app.SignInAsync(healthUser);
        (await health.GetAsync($"/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await health.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await lead.PostFormAsync($"/cases/{caseId}?handler=AddMember", new() { ["OrganisationId"] = w.P.Health.Id.ToString() }, $"/cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await health.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "team membership is a relationship with the child");
        (await health.GetAsync($"/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var outsider = await lead.PostFormAsync($"/cases/{caseId}?handler=AddAction", new()
        {
            ["ActionDescription"] = "Home visit",
            ["ActionOwner"] = w.P.Police.Id.ToString(),
            ["ActionDue.Day"] = "1",
            ["ActionDue.Month"] = "1",
            ["ActionDue.Year"] = "2020",
        }, $"/cases/{caseId}");
        Clients.Parse(await outsider.Content.ReadAsStringAsync()).QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent)
            .ShouldBe(["The owner must be the lead organisation or in the team", "The due date must be on or after the day the case opened"], ignoreOrder: true);
        (await app.AsSystemAsync((db, _) => db.CaseActions.CountAsync(a => a.CaseId == caseId))).ShouldBe(0);

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (await health.PostFormAsync($"/cases/{caseId}?handler=AddAction", new()
        {
            ["ActionDescription"] = "Book a CAMHS assessment",
            ["ActionOwner"] = w.P.Health.Id.ToString(),
            ["ActionDue.Day"] = today.Day.ToString(),
            ["ActionDue.Month"] = today.Month.ToString(),
            ["ActionDue.Year"] = today.Year.ToString(),
        }, $"/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await lead.GetDocumentAsync($"/cases/{caseId}")).QuerySelector("#actions")!.TextContent.ShouldContain("Book a CAMHS assessment");

        var outsiderLead = await lead.PostFormAsync($"/cases/{caseId}?handler=SetLeadPractitioner", new() { ["LeadPractitionerId"] = healthUser.Id.ToString() }, $"/cases/{caseId}");
        Clients.Parse(await outsiderLead.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Select a practitioner of the lead organisation");
        (await lead.PostFormAsync($"/cases/{caseId}?handler=SetLeadPractitioner", new() { ["LeadPractitionerId"] = w.Youth.Id.ToString() }, $"/cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Cases.SingleAsync(c => c.Id == caseId))).LeadPractitionerId.ShouldBe(w.Youth.Id);

        var noReason = await lead.PostFormAsync($"/cases/{caseId}?handler=Close", [], $"/cases/{caseId}");
        Clients.Parse(await noReason.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Select why the case is closing");
        (await health.PostFormAsync($"/cases/{caseId}?handler=Close", new() { ["ClosureReason"] = "OutcomesMet" }, $"/cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.OK, "a team member does not close the case");
        (await lead.PostFormAsync($"/cases/{caseId}?handler=Close", new() { ["ClosureReason"] = "OutcomesMet", ["Confirmed"] = "true" }, $"/cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Cases.SingleAsync(c => c.Id == caseId))).ClosureReason.ShouldBe(CaseClosureReason.OutcomesMet);

        (await lead.PostFormAsync($"/cases/{caseId}?handler=Reopen", new() { ["ReopenReason"] = "Excluded again" }, $"/cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Cases.SingleAsync(c => c.Id == caseId))).Status.ShouldBe(CaseStatus.Open);

        var memberId = await app.AsSystemAsync((db, _) => db.CaseMembers.Where(m => m.CaseId == caseId && m.OrganisationId == w.P.Health.Id).Select(m => m.Id).SingleAsync());
        (await lead.PostFormAsync($"/cases/{caseId}?handler=RemoveMember", new() { ["MemberId"] = memberId.ToString(), ["Confirmed"] = "true" }, $"/cases/{caseId}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await health.GetAsync($"/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "leaving the team ends the access it gave");
        (await health.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var history = (await lead.GetDocumentAsync($"/cases/{caseId}")).QuerySelector("#history")!.TextContent;
        foreach (var line in new[] { "Opened by the hub", "joined the team", "Action added: Book a CAMHS assessment", "Closed: Outcomes met", "Reopened: Excluded again", "left the team" })
            history.ShouldContain(line);
    }

    [Fact]
    public async Task TriageSettings_AdminSetsThreeWorkingDays_NewReportsDueThen()
    {
        var w = await WorldAsync();
        var admin = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Waypoint.Identity.Roles.PartnershipAdmin));
        var refused = await admin.PostFormAsync("/admin/triage", new() { ["DecisionWorkingDays"] = "0" });
        Clients.Parse(await refused.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("from 1 to 10");
        var practitioner = await app.SignInAsync(w.Reporter);
        (await practitioner.GetAsync("/admin/triage")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        try
        {
            (await admin.PostFormAsync("/admin/triage", new() { ["DecisionWorkingDays"] = "3", ["CaseAccessDaysAfterClosure"] = "90" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var id = await ReportAsync(practitioner, w.Child, Report());

            var referral = await app.AsSystemAsync((db, _) => db.Referrals.SingleAsync(r => r.Id == id));
            referral.DecisionDueBy.ShouldBe(Triage.AddWorkingDays(referral.ReportedAt, 3));
        }
        finally
        {
            // The setting is the partnership's, one per database: put it back for the other tests.
            (await admin.PostFormAsync("/admin/triage", new() { ["DecisionWorkingDays"] = "1", ["CaseAccessDaysAfterClosure"] = "90" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        }
    }

    [Fact]
    public async Task Api_ReportQueueAndCase_SamePolicyAsThePages()
    {
        var w = await WorldAsync();
        var reporter = await app.ApiClientAsync(w.Reporter);

        var bad = await reporter.PostAsJsonAsync("/api/v1/referrals", new { personId = w.Child.Id });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await bad.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        problem.GetProperty("errors").EnumerateObject().Select(p => p.Name).ShouldBe(["categories", "whatIsKnown", "immediateRisk", "lawfulBasis"], ignoreOrder: true);

        var created = await reporter.PostAsJsonAsync("/api/v1/referrals", new
        {
            personId = w.Child.Id,
            categories = new[] { "Neglect" },
            whatIsKnown = "Arrives hungry most days.",
            immediateRisk = false,
            lawfulBasis = "PublicTask",
        });
        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        var id = (await created.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid();

        var queue = await (await app.ApiClientAsync(w.Hub)).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/referrals");
        queue.EnumerateArray().Select(r => r.GetProperty("id").GetGuid()).ShouldContain(id);
        (await (await app.ApiClientAsync(w.Reporter)).GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/referrals")).GetArrayLength().ShouldBe(0, "the reporter does not triage");

        var outsider = await app.ApiClientAsync(await w.P.UserAsync(w.P.Police));
        (await outsider.PostAsJsonAsync("/api/v1/referrals", new { personId = w.Child.Id, categories = new[] { "Other" }, whatIsKnown = "x", immediateRisk = false, lawfulBasis = "PublicTask" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var (_, caseId, _) = await OpenCaseAsync();
        (await outsider.GetAsync($"/api/v1/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MyWork_ShowsTheHubItsQueueAndTheLeadItsCaseAndActions()
    {
        var (w, caseId, lead) = await OpenCaseAsync();
        await ReportAsync(await app.SignInAsync(w.Reporter), w.Child, Report());
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (await lead.PostFormAsync($"/cases/{caseId}?handler=AddAction", new()
        {
            ["ActionDescription"] = "Meet Kai after school",
            ["ActionOwner"] = w.P.Youth.Id.ToString(),
            ["ActionDue.Day"] = today.Day.ToString(),
            ["ActionDue.Month"] = today.Month.ToString(),
            ["ActionDue.Year"] = today.Year.ToString(),
        }, $"/cases/{caseId}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var hubPage = await (await app.SignInAsync(w.Hub)).GetDocumentAsync("/my-work");
        hubPage.QuerySelector("#triage")!.TextContent.ShouldContain("1 report awaits your triage");

        var leadPage = await lead.GetDocumentAsync("/my-work");
        leadPage.QuerySelector($"#my-cases a[href='/cases/{caseId}']")!.TextContent.ShouldBe($"Kai Reed{w.P.Suffix}");
        leadPage.QuerySelector("#my-actions")!.TextContent.ShouldContain("Meet Kai after school");
        var outsider = await (await app.SignInAsync(await w.P.UserAsync(w.P.Police))).GetDocumentAsync("/my-work");
        outsider.QuerySelector("#my-cases").ShouldBeNull();
        outsider.QuerySelector("#triage").ShouldBeNull();
    }

    [Fact]
    public async Task Decide_WithoutRationaleOrLead_MessagesAndNothingStored()
    {
        var w = await WorldAsync();
        var id = await ReportAsync(await app.SignInAsync(w.Reporter), w.Child, Report());
        var hub = await app.SignInAsync(w.Hub);

        var response = await hub.PostFormAsync($"/referrals/{id}", new() { ["Outcome"] = "TargetedSupport", ["Rationale"] = " " });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent).ShouldBe(
            ["Give the rationale for the decision", "Select the organisation that will lead the case"], ignoreOrder: true);
        (await app.AsSystemAsync((db, _) => db.Referrals.SingleAsync(r => r.Id == id))).Status.ShouldBe(ReferralStatus.AwaitingTriage);
        (await app.AsSystemAsync((db, _) => db.Cases.CountAsync(c => c.PersonId == w.Child.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Decide_ByTheReporterNotTheHub_RefusedAndNothingStored()
    {
        var w = await WorldAsync();
        var reporter = await app.SignInAsync(w.Reporter);
        var id = await ReportAsync(reporter, w.Child, Report());

        var response = await reporter.PostFormAsync($"/referrals/{id}", new() { ["Outcome"] = "NoFurtherAction", ["Rationale"] = "Deciding my own report" }, $"/referrals/{id}");

        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent
            .ShouldContain("Only the hub for the child's area decides on this report");
        (await app.AsSystemAsync((db, _) => db.Referrals.SingleAsync(r => r.Id == id))).Status.ShouldBe(ReferralStatus.AwaitingTriage);
    }

    [Fact]
    public async Task ImmediateRisk_TopOfTheQueueAndTheReporterToldToActNow()
    {
        var w = await WorldAsync();
        var reporter = await app.SignInAsync(w.Reporter);
        var ordinary = await ReportAsync(reporter, w.Child, Report());
        var urgent = await ReportAsync(reporter, w.Child, Report("GangInvolvementOrExploitation,MissingEpisodes", "Missing since last night; seen with an older man.", "true"));

        var sent = await reporter.GetDocumentAsync($"/referrals/{urgent}?sent=true");
        sent.QuerySelector(".govuk-warning-text")!.TextContent.ShouldContain("contact children's social care now, or call 999");
        var queue = await (await app.SignInAsync(w.Hub)).GetDocumentAsync("/hub");
        var order = queue.QuerySelectorAll("#hub-queue tbody a").Select(a => a.GetAttribute("href")).Where(h => h == $"/referrals/{ordinary}" || h == $"/referrals/{urgent}").ToList();
        order.ShouldBe([$"/referrals/{urgent}", $"/referrals/{ordinary}"]);
    }

    [Fact]
    public async Task Report_NothingFilledIn_EveryFieldNamedAndNothingStored()
    {
        var w = await WorldAsync();
        var reporter = await app.SignInAsync(w.Reporter);

        var response = await reporter.PostFormAsync($"/people/{w.Child.Id}/report-concern", Report(categories: "", known: "", immediate: null, basis: null));

        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent).ShouldBe(
            ["Select what the concern is about", "Say what is known", "Say whether the child is at immediate risk", "Select your lawful basis for sharing this with the hub"]);
        (await app.AsSystemAsync((db, _) => db.Referrals.CountAsync(r => r.PersonId == w.Child.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Referral_PartnerWhoSeesTheChildButNotTheReport_NotFoundAndRecorded()
    {
        var w = await WorldAsync();
        var id = await ReportAsync(await app.SignInAsync(w.Reporter), w.Child, Report());
        await w.P.InvolveAsync(w.Child, w.P.Health);
        var health = await w.P.UserAsync(w.P.Health);
        var client = await app.SignInAsync(health);
        (await client.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await client.GetAsync($"/referrals/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == health.Id && a.PersonId == w.Child.Id && a.Action == AuditAction.Denied && a.Subject == "referral")))
            .ShouldBe(1);
    }
}

public sealed class TriageTestsOnSqlite(SqliteApp app) : TriageTests(app), IClassFixture<SqliteApp>;

public sealed class TriageTestsOnPostgres(PostgresApp app) : TriageTests(app), IClassFixture<PostgresApp>;

public sealed class TriageDueTests
{
    [Theory]
    [InlineData("2026-11-20T10:00:00Z", 1, "2026-11-23T10:00:00Z")] // Friday to Monday
    [InlineData("2026-11-21T10:00:00Z", 1, "2026-11-23T10:00:00Z")] // Saturday to Monday
    [InlineData("2026-11-23T16:30:00Z", 1, "2026-11-24T16:30:00Z")] // Monday to Tuesday
    [InlineData("2026-11-19T09:00:00Z", 3, "2026-11-24T09:00:00Z")] // Thursday, three working days
    public void AddWorkingDays_SkipsWeekends(string from, int days, string expected) =>
        Triage.AddWorkingDays(DateTimeOffset.Parse(from, System.Globalization.CultureInfo.InvariantCulture), days)
            .ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
}
