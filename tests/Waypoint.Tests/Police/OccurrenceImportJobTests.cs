using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Tests.Infrastructure;
using static Waypoint.Tests.Police.OccurrenceImportTests;

namespace Waypoint.Tests.Police;

/// <summary>
/// An occurrences file sent from the police page goes through the import queue (the school
/// imports' background worker): the officer lands on its page, which shows progress and then the
/// summary, or every problem with nothing applied. Only the officer who sent it sees the job.
/// </summary>
public abstract class OccurrenceImportJobTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Sends the file from the page as the officer would; the job's page it redirects to.</summary>
    private static async Task<string> SendAsync(HttpClient pages, string fileName, params string[] lines)
    {
        var token = Clients.AntiforgeryToken(await (await pages.GetAsync("/police")).Content.ReadAsStringAsync());
        var content = new MultipartFormDataContent { { new StringContent(token!), "__RequestVerificationToken" } };
        content.Add(new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\r\n", [Header, .. lines]) + "\r\n")), "Upload", fileName);
        var response = await pages.PostAsync("/police", content);
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var location = response.Headers.Location!.OriginalString;
        location.ShouldStartWith("/police/import?id=");
        return location;
    }

    /// <summary>The job once the worker has recorded its outcome: waited on through the worker's own signal, not polled.</summary>
    private Task<ImportJob> FinishedAsync(string location) =>
        app.ImportFinishedAsync(Guid.Parse(location.Split('=')[^1]), TimeSpan.FromSeconds(120));

    [Fact]
    public async Task QueuedFile_AppliedInTheBackgroundAsItsSender_SummaryThenSameFileAgainChangesNothing()
    {
        var w = await WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);
        string[] lines = [Line(w, $"Q1-{w.P.Suffix}"), Line(w, $"Q2-{w.P.Suffix}", personRef: "", role: "victim")];

        var location = await SendAsync(pages, "occurrences.csv", lines);

        var job = await FinishedAsync(location);
        (job.Status, job.Kind, job.SenderOrganisationId, job.UploadedByUserId, job.Percent, job.Content).ShouldBe((ImportStatus.Succeeded, ImportKind.PoliceOccurrences, w.P.Police.Id, w.Officer.Id, 100, (byte[]?)null));
        var page = await pages.GetDocumentAsync(location);
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("occurrences.csv imported: 2 lines, 2 occurrences added, 0 changed");
        var summary = page.QuerySelector("#import-summary")!.TextContent;
        summary.ShouldContain("Names sent to match review (not linked)1");
        summary.ShouldContain("People linked1");
        (await app.AsSystemAsync((db, _) => db.Occurrences.CountAsync(o => o.OwnerOrganisationId == w.P.Police.Id))).ShouldBe(2);
        (await app.AsSystemAsync((db, _) => db.OccurrencePeople.CountAsync(l => l.PersonId == w.Child.Id))).ShouldBe(1);
        // Audited as the officer who sent it, as when the file was applied within the request.
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == w.Officer.Id && a.PersonId == w.Child.Id && a.Action == AuditAction.Create))).ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == w.Officer.Id && a.Action == AuditAction.Create && a.Subject.StartsWith("police:import 2 added")))).ShouldBe(1);
        (await pages.GetDocumentAsync("/police")).QuerySelector("#your-imports")!.TextContent.ShouldContain("occurrences.csv");

        var again = await FinishedAsync(await SendAsync(pages, "occurrences.csv", lines));

        again.Status.ShouldBe(ImportStatus.Succeeded);
        again.SummaryJson.ShouldNotBeNull().ShouldContain("\"occurrencesAdded\":0");
        again.SummaryJson.ShouldContain("\"occurrencesUnchanged\":2");
        (await app.AsSystemAsync((db, _) => db.Occurrences.CountAsync(o => o.OwnerOrganisationId == w.P.Police.Id))).ShouldBe(2);
        (await app.AsSystemAsync((db, _) => db.OccurrenceMatchReviews.CountAsync(r => r.OwnerOrganisationId == w.P.Police.Id))).ShouldBe(1);
    }

    [Fact]
    public async Task QueuedFile_BadLines_NothingAppliedAndTheJobNamesEachLine()
    {
        var w = await WorldAsync(app);
        var pages = await app.SignInAsync(w.Officer);

        var location = await SendAsync(pages, "bad.csv",
            Line(w, $"OK-{w.P.Suffix}"),
            Line(w, $"B1-{w.P.Suffix}", offence: "8N"),
            Line(w, $"B2-{w.P.Suffix}", on: Today.AddDays(3)));

        var job = await FinishedAsync(location);
        (job.Status, job.ProblemCount, job.SummaryJson).ShouldBe((ImportStatus.Rejected, 2, (string?)null));
        var page = await pages.GetDocumentAsync(location);
        page.Title!.ShouldStartWith("Error: ");
        var problems = page.QuerySelectorAll("#problems li").Select(li => li.TextContent).ToList();
        problems.Count.ShouldBe(2);
        problems[0].ShouldStartWith("bad.csv, line 3");
        problems[0].ShouldContain("\"8N\" is not a Home Office offence sub-group");
        problems[1].ShouldStartWith("bad.csv, line 4");
        problems[1].ShouldContain("in the future");
        page.QuerySelector(".govuk-notification-banner--success").ShouldBeNull();
        // All or nothing: the good first line was not applied either.
        (await app.AsSystemAsync((db, _) => db.Occurrences.CountAsync(o => o.OwnerOrganisationId == w.P.Police.Id))).ShouldBe(0);
        (await app.AsSystemAsync((db, _) => db.OccurrencePeople.CountAsync(l => l.PersonId == w.Child.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Job_OnlyTheOfficerWhoSentIt_SeesOrPollsIt()
    {
        var w = await WorldAsync(app);
        var location = await SendAsync(await app.SignInAsync(w.Officer), "mine.csv", Line(w, $"M-{w.P.Suffix}"));
        await FinishedAsync(location);
        var id = location.Split('=')[^1];
        var colleague = await w.P.UserAsync(w.P.Police);
        var analyst = await w.P.UserAsync(w.P.Police, Waypoint.Identity.Roles.Analyst);
        var teacher = await w.P.UserAsync(w.P.School);

        foreach (var other in new[] { colleague, analyst, teacher, w.HubWorker })
        {
            var pages = await app.SignInAsync(other);
            (await pages.GetAsync(location)).StatusCode.ShouldBe(HttpStatusCode.NotFound, other.ToString());
            (await pages.GetAsync($"{location}&handler=Status")).StatusCode.ShouldBe(HttpStatusCode.NotFound, other.ToString());
            (await pages.GetAsync($"/schools/imports/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, other.ToString());
        }
        var own = await app.SignInAsync(w.Officer);
        (await own.GetAsync($"{location}&handler=Status")).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Nor does the school's import page or API show a force's file to anyone.
        (await own.GetAsync($"/schools/imports/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await (await app.ApiClientAsync(w.Officer)).GetAsync($"/api/v1/imports/{id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SchoolUpload_CannotQueueAPoliceFile()
    {
        var w = await WorldAsync(app);
        var api = await app.ApiClientAsync(await w.P.UserAsync(w.P.School));
        var content = new MultipartFormDataContent
        {
            { new StringContent("PoliceOccurrences"), "kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes($"{Header}\n{Line(w, $"S-{w.P.Suffix}")}\n")), "file", "occurrences.csv" },
        };

        var response = await api.PostAsync("/api/v1/imports", content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await app.AsSystemAsync((db, _) => db.ImportJobs.CountAsync(j => j.SenderOrganisationId == w.P.School.Id))).ShouldBe(0);
    }
}

public sealed class OccurrenceImportJobTestsOnSqlite(SqliteApp app) : OccurrenceImportJobTests(app), IClassFixture<SqliteApp>;

public sealed class OccurrenceImportJobTestsOnPostgres(PostgresApp app) : OccurrenceImportJobTests(app), IClassFixture<PostgresApp>;
