using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Cases;

/// <summary>
/// The case page asks before it closes the case, removes an organisation from the team or unlinks
/// a family member (nothing changes until the reader confirms), and says what it did after every
/// change with a success banner.
/// </summary>
public abstract class CasePageConfirmationTests(WaypointApp app)
{
    private static string Banner(AngleSharp.Html.Dom.IHtmlDocument page) =>
        page.QuerySelector(".govuk-notification-banner--success")?.TextContent.Trim() ?? "";

    [Fact]
    public async Task Close_NotYetConfirmed_AsksAndLeavesTheCaseOpen()
    {
        var w = await CaseWorld.OpenAsync(app);
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Lead);

        var asked = await lead.PostFormAsync($"{url}?handler=Close", new() { ["ClosureReason"] = "OutcomesMet" }, url);

        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await asked.Content.ReadAsStringAsync());
        page.QuerySelector("h1")!.TextContent.ShouldBe($"Close the case for Jade Corr{w.P.Suffix}?");
        page.QuerySelector("#confirm-form input[name=Confirmed]")!.GetAttribute("value").ShouldBe("true");
        page.QuerySelector("#confirm-form input[name=ClosureReason]")!.GetAttribute("value").ShouldBe("OutcomesMet");
        (await app.AsSystemAsync((db, _) => db.Cases.SingleAsync(c => c.Id == w.CaseId))).Status.ShouldBe(CaseStatus.Open);

        var closed = await lead.PostFormAsync($"{url}?handler=Close", new() { ["ClosureReason"] = "OutcomesMet", ["Confirmed"] = "true" }, url);
        closed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Cases.SingleAsync(c => c.Id == w.CaseId))).Status.ShouldBe(CaseStatus.Closed);
        Banner(await lead.GetDocumentAsync(url)).ShouldContain("The case was closed");
        Banner(await lead.GetDocumentAsync(url)).ShouldBeEmpty("the banner is shown once, after the change");
    }

    [Fact]
    public async Task Close_NoReason_ErrorInsteadOfAConfirmation()
    {
        var w = await CaseWorld.OpenAsync(app);
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Lead);

        var page = Clients.Parse(await (await lead.PostFormAsync($"{url}?handler=Close", [], url)).Content.ReadAsStringAsync());

        page.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Select why the case is closing");
        page.QuerySelector("#confirm-form").ShouldBeNull();
        page.QuerySelector("details#close")!.HasAttribute("open").ShouldBeTrue("the form with the error is shown open");
    }

    [Fact]
    public async Task RemoveMemberAndUnlink_NotYetConfirmed_AskFirstThenSayWhatWasDone()
    {
        var w = await CaseWorld.OpenAsync(app);
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Lead);
        (await lead.PostFormAsync($"{url}?handler=AddMember", new() { ["OrganisationId"] = w.P.Health.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Banner(await lead.GetDocumentAsync(url)).ShouldContain($"{w.P.Health.Name} was added to the team");
        (await lead.PostFormAsync($"{url}?handler=AddFamily", new() { ["FamilyPersonId"] = w.Mother.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Banner(await lead.GetDocumentAsync(url)).ShouldContain("The family member was linked to the case");
        var memberId = await app.AsSystemAsync((db, _) => db.CaseMembers.Where(m => m.CaseId == w.CaseId).Select(m => m.Id).SingleAsync());
        var linkId = await app.AsSystemAsync((db, _) => db.CaseFamilyMembers.Where(f => f.CaseId == w.CaseId).Select(f => f.Id).SingleAsync());

        var askRemove = Clients.Parse(await (await lead.PostFormAsync($"{url}?handler=RemoveMember", new() { ["MemberId"] = memberId.ToString() }, url)).Content.ReadAsStringAsync());
        askRemove.QuerySelector("h1")!.TextContent.ShouldBe($"Remove {w.P.Health.Name} from the team?");
        var askUnlink = Clients.Parse(await (await lead.PostFormAsync($"{url}?handler=RemoveFamily", new() { ["FamilyLinkId"] = linkId.ToString() }, url)).Content.ReadAsStringAsync());
        askUnlink.QuerySelector("h1")!.TextContent.ShouldBe($"Unlink Dana Corr{w.P.Suffix} from the case?");
        (await app.AsSystemAsync((db, _) => db.CaseMembers.SingleAsync(m => m.Id == memberId))).LeftAt.ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.CaseFamilyMembers.SingleAsync(f => f.Id == linkId))).RemovedAt.ShouldBeNull();

        (await lead.PostFormAsync($"{url}?handler=RemoveMember", new() { ["MemberId"] = memberId.ToString(), ["Confirmed"] = "true" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Banner(await lead.GetDocumentAsync(url)).ShouldContain($"{w.P.Health.Name} was removed from the team");
        (await lead.PostFormAsync($"{url}?handler=RemoveFamily", new() { ["FamilyLinkId"] = linkId.ToString(), ["Confirmed"] = "true" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Banner(await lead.GetDocumentAsync(url)).ShouldContain("The family member was unlinked from the case");
        (await app.AsSystemAsync((db, _) => db.CaseMembers.SingleAsync(m => m.Id == memberId))).LeftAt.ShouldNotBeNull();
        (await app.AsSystemAsync((db, _) => db.CaseFamilyMembers.SingleAsync(f => f.Id == linkId))).RemovedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task EveryPlanChange_Succeeds_SaysWhatWasDone()
    {
        var w = await CaseWorld.OpenAsync(app);
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Lead);
        var due = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(10);
        var held = DateOnly.FromDateTime(DateTime.UtcNow);
        var next = held.AddMonths(2);
        string D(DateOnly d, string part) => (part switch { "Day" => d.Day, "Month" => d.Month, _ => d.Year }).ToString(System.Globalization.CultureInfo.InvariantCulture);

        async Task ExpectAsync(string handler, Dictionary<string, string> fields, string banner)
        {
            var response = await lead.PostFormAsync($"{url}?handler={handler}", fields, url);
            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, handler);
            Banner(await lead.GetDocumentAsync(url)).ShouldContain(banner, Shouldly.Case.Sensitive, handler);
        }

        await ExpectAsync("AddGoal", new() { ["GoalText"] = "Jade attends every day" }, "The goal was added to the plan");
        var goalId = await app.AsSystemAsync((db, _) => db.CaseGoals.Where(g => g.CaseId == w.CaseId).Select(g => g.Id).SingleAsync());
        await ExpectAsync("GoalStatus", new() { ["GoalId"] = goalId.ToString(), ["GoalStatus"] = "Achieved" }, "The goal is now: achieved");
        await ExpectAsync("AddAction", new()
        {
            ["ActionDescription"] = "Home visit",
            ["ActionOwner"] = w.P.Youth.Id.ToString(),
            ["ActionDue.Day"] = D(due, "Day"),
            ["ActionDue.Month"] = D(due, "Month"),
            ["ActionDue.Year"] = D(due, "Year"),
        }, "The action was added");
        var actionId = await app.AsSystemAsync((db, _) => db.CaseActions.Where(a => a.CaseId == w.CaseId).Select(a => a.Id).SingleAsync());
        await ExpectAsync("CompleteAction", new() { ["ActionId"] = actionId.ToString() }, "The action was marked done");
        await ExpectAsync("SetReview", new() { ["ReviewOn.Day"] = D(next, "Day"), ["ReviewOn.Month"] = D(next, "Month"), ["ReviewOn.Year"] = D(next, "Year") },
            $"The next review is set for {next:d MMMM yyyy}");
        await ExpectAsync("RecordReview", new()
        {
            ["ReviewHeld.Day"] = D(held, "Day"),
            ["ReviewHeld.Month"] = D(held, "Month"),
            ["ReviewHeld.Year"] = D(held, "Year"),
            ["ReviewSummary"] = "Attendance up",
            ["ReviewNext.Day"] = D(next, "Day"),
            ["ReviewNext.Month"] = D(next, "Month"),
            ["ReviewNext.Year"] = D(next, "Year"),
        }, "The review was recorded");
        await ExpectAsync("Close", new() { ["ClosureReason"] = "OutcomesMet", ["Confirmed"] = "true" }, "The case was closed");
        await ExpectAsync("Reopen", new() { ["ReopenReason"] = "Suspended again" }, "The case was reopened");
    }
}

public sealed class CasePageConfirmationTestsOnSqlite(SqliteApp app) : CasePageConfirmationTests(app), IClassFixture<SqliteApp>;

public sealed class CasePageConfirmationTestsOnPostgres(PostgresApp app) : CasePageConfirmationTests(app), IClassFixture<PostgresApp>;
