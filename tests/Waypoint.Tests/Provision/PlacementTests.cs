using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Provision;
using Waypoint.Features.Services;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Services;

namespace Waypoint.Tests.Provision;

/// <summary>Placements in alternative provision over the pages and the API, and the sixth-day watch's dashboard, export and alert, on both databases.</summary>
public abstract class PlacementTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, Service Ap, Person Pupil, TestUser Officer, HttpClient Pages, HttpClient Api);

    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ap = await app.AddServiceAsync(p, "Pupil referral unit", s => s.ApRegistration = ApRegistration.Registered);
        var pupil = await p.YoungPersonAsync("Kai", $"Excluded{p.Suffix}", Today.AddYears(-14), enrolledAt: p.School);
        var officer = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County);
        return new World(p, ap, pupil, officer, await app.SignInAsync(officer), await app.ApiClientAsync(officer));
    }

    private static Dictionary<string, string> Form(World w, DateOnly start, string basis = "FullTime", string hours = "25", DateOnly? end = null, Guid? service = null)
    {
        var f = new Dictionary<string, string>
        {
            ["ServiceId"] = (service ?? w.Ap.Id).ToString(),
            ["StartDate.Day"] = start.Day.ToString(),
            ["StartDate.Month"] = start.Month.ToString(),
            ["StartDate.Year"] = start.Year.ToString(),
            ["Basis"] = basis,
            ["HoursPerWeek"] = hours,
        };
        if (end is { } e)
        {
            f["EndDate.Day"] = e.Day.ToString();
            f["EndDate.Month"] = e.Month.ToString();
            f["EndDate.Year"] = e.Year.ToString();
        }
        return f;
    }

    private Task<int> PlacementsOfAsync(Guid personId) =>
        app.AsSystemAsync((db, _) => db.Set<ProvisionPlacement>().CountAsync(x => x.PersonId == personId));

    private Task AddExclusionAsync(Person pupil, Organisation school, DateOnly start, ExclusionKind kind = ExclusionKind.PermanentExclusion, int? sessions = null) =>
        app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                Kind = kind,
                StartDate = start,
                Sessions = sessions,
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

    [Fact]
    public async Task RecordPlacement_InclusionOfficer_StoredListedAuditedThenEndedAfterConfirmation()
    {
        var w = await WorldAsync();
        var start = Today.AddDays(-3);

        var posted = await w.Pages.PostFormAsync($"/people/{w.Pupil.Id}/placements/new", Form(w, start));

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await w.Pages.GetDocumentAsync($"/people/{w.Pupil.Id}/school");
        page.QuerySelector("#placements-table")!.TextContent.ShouldContain(w.Ap.Name);
        page.QuerySelector(".govuk-notification-banner")!.TextContent.ShouldContain("Placement recorded");
        var placement = await app.AsSystemAsync((db, _) => db.Set<ProvisionPlacement>().SingleAsync(x => x.PersonId == w.Pupil.Id));
        placement.Basis.ShouldBe(PlacementBasis.FullTime);
        placement.HoursPerWeek.ShouldBe(25m);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.Subject.StartsWith("placement:recorded")))).ShouldBe(1);

        var confirm = await w.Pages.GetDocumentAsync($"/placements/end?id={placement.Id}");
        confirm.QuerySelector("h1")!.TextContent.ShouldContain(w.Ap.Name);
        var ended = await w.Pages.PostFormAsync($"/placements/end?id={placement.Id}", new()
        {
            ["EndDate.Day"] = Today.Day.ToString(),
            ["EndDate.Month"] = Today.Month.ToString(),
            ["EndDate.Year"] = Today.Year.ToString(),
        });
        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Set<ProvisionPlacement>().Where(x => x.Id == placement.Id).Select(x => x.EndDate).SingleAsync())).ShouldBe(Today);
    }

    [Fact]
    public async Task RecordPlacement_BadInput_RefusedNamingTheFieldNothingStored()
    {
        var w = await WorldAsync();
        var suspended = await app.AddServiceAsync(w.P, "Closed unit", s => s.QaStatus = ServiceQaStatus.Suspended);
        (await w.Pages.PostFormAsync($"/people/{w.Pupil.Id}/placements/new", Form(w, Today.AddDays(-20)))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        async Task RefusedAsync(Dictionary<string, string> form, string field, string message)
        {
            var response = await w.Pages.PostFormAsync($"/people/{w.Pupil.Id}/placements/new", form);
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var doc = Clients.Parse(await response.Content.ReadAsStringAsync());
            doc.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain(message);
            doc.QuerySelector($".govuk-error-summary a[href='#{field}']").ShouldNotBeNull($"the summary names {field}");
        }

        await RefusedAsync(Form(w, Today.AddDays(-5), basis: "PartTime", hours: "10"), "StartDate", "full-time placement");
        await RefusedAsync(Form(w, Today.AddDays(-60), end: Today.AddDays(-70)), "EndDate", "after the start date");
        await RefusedAsync(Form(w, Today.AddDays(-60), end: Today.AddDays(-50), hours: "41"), "HoursPerWeek", "between");
        await RefusedAsync(Form(w, Today.AddDays(-60), end: Today.AddDays(-50), hours: "lots"), "HoursPerWeek", "must be a number");
        await RefusedAsync(Form(w, Today.AddDays(-60), end: Today.AddDays(-50), service: suspended.Id), "ServiceId", "suspended");

        (await PlacementsOfAsync(w.Pupil.Id)).ShouldBe(1);
    }

    [Fact]
    public async Task RecordPlacement_PractitionerWithoutTheRole_ToldAndRefusedAndUnseenPupil_NotFound()
    {
        var w = await WorldAsync();
        var youth = await w.P.UserAsync(w.P.Youth);
        await w.P.InvolveAsync(w.Pupil, w.P.Youth);
        var youthClient = await app.SignInAsync(youth);
        (await youthClient.GetDocumentAsync($"/people/{w.Pupil.Id}/placements/new")).QuerySelector("#may-not-place").ShouldNotBeNull();
        (await youthClient.PostFormAsync($"/people/{w.Pupil.Id}/placements/new", Form(w, Today))).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var stranger = await w.P.YoungPersonAsync("Sam", $"Stranger{w.P.Suffix}", Today.AddYears(-14), enrolledAt: w.P.OtherSchool);
        (await youthClient.GetAsync($"/people/{stranger.Id}/placements/new")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await PlacementsOfAsync(w.Pupil.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Api_RecordGetEnd_SameRulesAndInTheOpenApiDocument()
    {
        var w = await WorldAsync();
        var bad = await w.Api.PostAsJsonAsync("/api/v1/placements", new { personId = w.Pupil.Id, serviceId = w.Ap.Id, startDate = Today.AddDays(-2), basis = "FullTime", hoursPerWeek = 0 });
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").TryGetProperty("hoursPerWeek", out _).ShouldBeTrue();

        var created = await w.Api.PostAsJsonAsync("/api/v1/placements", new { personId = w.Pupil.Id, serviceId = w.Ap.Id, startDate = Today.AddDays(-2), basis = "PartTime", hoursPerWeek = 12.5 });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = JsonDocument.Parse(await created.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
        (await w.Api.GetAsync($"/api/v1/placement?id={id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var endedEarly = await w.Api.PostAsJsonAsync("/api/v1/placement/end", new { id, endDate = Today.AddDays(-3) });
        endedEarly.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await w.Api.PostAsJsonAsync("/api/v1/placement/end", new { id, endDate = Today })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var outsider = await app.ApiClientAsync(await w.P.UserAsync(w.P.Housing));
        (await outsider.GetAsync($"/api/v1/placement?id={id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.Action == AuditAction.Denied && a.Subject == "api:placement"))).ShouldBe(1);

        var openApi = await (await w.Api.GetAsync("/openapi/v1.json")).Content.ReadAsStringAsync();
        openApi.ShouldContain("/api/v1/placements");
        openApi.ShouldContain("/api/v1/people/{id}/placements");
        openApi.ShouldContain("/api/v1/service-referrals/{id}/end");
        openApi.ShouldContain("/api/v1/services/import");
    }

    [Fact]
    public async Task SixthDayBoard_UnplacedExcludedPupil_RowWithDaysMissedTotalsAndExport()
    {
        var w = await WorldAsync();
        var excluded = SchoolDays.England.Add(SchoolDays.England.OnOrAfter(Today), -10);
        await AddExclusionAsync(w.Pupil, w.P.School, excluded);
        var expected = SixthDayRule.Assess(SchoolDays.England, excluded, null, [], Today);
        expected.DaysMissed.ShouldBeGreaterThan(0);

        var page = await w.Pages.GetDocumentAsync("/provision/sixth-day");

        var row = page.QuerySelectorAll("#sixth-day-rows tbody tr").Single(r => r.TextContent.Contains(w.Pupil.FamilyName));
        row.TextContent.ShouldContain("None");
        row.QuerySelectorAll("td").Last().TextContent.Trim().ShouldBe(expected.DaysMissed.ToString());
        page.QuerySelector("#by-school")!.TextContent.ShouldContain(w.P.School.Name);
        var csv = await (await w.Pages.GetAsync("/provision/sixth-day?handler=Export&format=Csv")).Content.ReadAsStringAsync();
        csv.ShouldContain(w.Pupil.FamilyName);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Pupil.Id && a.Action == AuditAction.Export && a.Subject == "provision:sixth-day.export"))).ShouldBe(1);

        // Placed full-time from the sixth day: nothing missed.
        (await w.Pages.PostFormAsync($"/people/{w.Pupil.Id}/placements/new", Form(w, expected.SixthDay))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await w.Pages.GetDocumentAsync("/provision/sixth-day");
        var placedRow = after.QuerySelectorAll("#sixth-day-rows tbody tr").Single(r => r.TextContent.Contains(w.Pupil.FamilyName));
        placedRow.TextContent.ShouldContain("Placed full-time");
        placedRow.QuerySelectorAll("td").Last().TextContent.Trim().ShouldBe("0");
    }

    [Fact]
    public async Task SixthDayBoard_OtherSchool_CountsWithoutNamingAndPractitioner_Forbidden()
    {
        var w = await WorldAsync();
        await AddExclusionAsync(w.Pupil, w.P.School, SchoolDays.England.Add(SchoolDays.England.OnOrAfter(Today), -8));
        var other = await app.SignInAsync(await w.P.UserAsync(w.P.OtherSchool));
        var page = await other.GetDocumentAsync("/provision/sixth-day");
        page.Body!.TextContent.ShouldNotContain(w.Pupil.FamilyName);
        page.QuerySelector("#by-school")!.TextContent.ShouldNotContain(w.P.School.Name);
        var youth = await app.SignInAsync(await w.P.UserAsync(w.P.Youth));
        (await youth.GetAsync("/provision/sixth-day")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task DailyCheck_SixthDayComing_InclusionTeamAlertedOnce_PlacedPupilNot()
    {
        var w = await WorldAsync();
        var placed = await w.P.YoungPersonAsync("Ali", $"Placed{w.P.Suffix}", Today.AddYears(-14), enrolledAt: w.P.School);
        // Day one four school days back: the sixth day is the next school day but one, inside the two-day warning.
        var excluded = SchoolDays.England.Add(SchoolDays.England.OnOrAfter(Today), -4);
        await AddExclusionAsync(w.Pupil, w.P.School, excluded);
        await AddExclusionAsync(placed, w.P.School, excluded);
        (await w.Pages.PostFormAsync($"/people/{placed.Id}/placements/new", Form(w, excluded))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await app.AsSystemAsync((_, services) => services.GetRequiredService<ServiceDailyCheck>().RunAsync(default));
        await app.AsSystemAsync((_, services) => services.GetRequiredService<ServiceDailyCheck>().RunAsync(default));

        var notices = await app.AsSystemAsync((db, _) => db.Notifications.Where(n => n.UserId == w.Officer.Id && n.Kind == "sixth-day").Select(n => n.Link).ToListAsync());
        notices.ShouldBe([$"/people/{w.Pupil.Id}/placements/new"]);
    }
}

public sealed class PlacementTestsOnSqlite(SqliteApp app) : PlacementTests(app), IClassFixture<SqliteApp>;

public sealed class PlacementTestsOnPostgres(PostgresApp app) : PlacementTests(app), IClassFixture<PostgresApp>;
