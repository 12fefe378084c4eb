using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Shell.Exports;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Exports;

/// <summary>
/// The person page and a case summary leave the app as PDFs made on the server: searchable text,
/// the protective marking, who printed them; opened through the same access as the pages (a 404
/// where the page is one), audited as an export, and holding only what the page shows the reader.
/// </summary>
public abstract class PagePdfTests(WaypointApp app)
{
    private static async Task<string> PdfTextAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        return string.Join("\n", pdf.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
    }

    private Task<List<AuditEntry>> AuditAsync(TestUser user, Guid personId) =>
        app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.PersonId == personId).ToListAsync());

    private Task<string> DisplayNameAsync(TestUser user) =>
        app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == user.Id).Select(u => u.DisplayName).SingleAsync());

    [Fact]
    public async Task PersonPdf_VisiblePupil_MarkedPrintedByWithSchoolUrnAndAuditedAsExport()
    {
        var w = await CaseWorld.OpenAsync(app);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == w.P.School.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, "130001")));
        var dsl = await w.P.UserAsync(w.P.School);
        var client = await app.SignInAsync(dsl);

        var page = await client.GetDocumentAsync($"/people/{w.Child.Id}");
        var link = page.QuerySelector("#person-pdf")!.GetAttribute("href")!;
        var text = await PdfTextAsync(await client.GetAsync(link));

        text.ShouldContain($"Person record: Jade Corr{w.P.Suffix}");
        text.ShouldContain(PrintedDocument.OfficialSensitive);
        text.ShouldContain($"Printed by {await DisplayNameAsync(dsl)}, School A {w.P.Suffix}");
        text.ShouldContain("Page 1 of");
        text.ShouldContain($"School A {w.P.Suffix} (URN 130001)");
        page.QuerySelector("#person-details")!.TextContent.ShouldContain("Jade");
        page.Body!.TextContent.ShouldContain($"School A {w.P.Suffix} (URN 130001)", customMessage: "the page names the school with its URN too");
        var audit = await AuditAsync(dsl, w.Child.Id);
        audit.ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "person.pdf");
        audit.ShouldContain(a => a.Action == AuditAction.Read && a.Subject == "person.pdf");
    }

    [Fact]
    public async Task PersonPdf_RelativeTheReaderMayNotSee_NeitherOnThePageNorInThePdf()
    {
        var w = await CaseWorld.OpenAsync(app);
        var dsl = await w.P.UserAsync(w.P.School);
        var client = await app.SignInAsync(dsl);

        var page = await Waypoint.Tests.People.PersonSections.AllTextAsync(client, w.Child.Id);
        var text = await PdfTextAsync(await client.GetAsync($"/people/{w.Child.Id}?handler=Pdf"));

        page.ShouldNotContain("Dana");
        text.ShouldNotContain("Dana");
        text.Contains("more relationship", StringComparison.Ordinal).ShouldBe(page.Contains("more relationship", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PersonPdf_PupilTheReaderCannotSee_NotFoundAndDenied()
    {
        var w = await CaseWorld.OpenAsync(app);
        var stranger = await w.P.UserAsync(w.P.OtherSchool);
        var client = await app.SignInAsync(stranger);

        (await client.GetAsync($"/people/{w.Child.Id}?handler=Pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var audit = await AuditAsync(stranger, w.Child.Id);
        audit.ShouldContain(a => a.Action == AuditAction.Denied);
        audit.ShouldNotContain(a => a.Action == AuditAction.Export);
    }

    [Fact]
    public async Task CasePdf_Lead_SummaryWithPlanMarkedAndAuditedAsExport()
    {
        var w = await CaseWorld.OpenAsync(app);
        await app.AsSystemAsync(async db =>
        {
            db.CaseGoals.Add(new CaseGoal { CaseId = w.CaseId, Text = "Jade attends school every day this term", Status = GoalStatus.Working, CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(w.Lead);

        var page = await client.GetDocumentAsync($"/cases/{w.CaseId}");
        var link = page.QuerySelector("#case-pdf")!.GetAttribute("href")!;
        var text = await PdfTextAsync(await client.GetAsync(link));

        text.ShouldContain($"Case summary: Jade Corr{w.P.Suffix}");
        text.ShouldContain(PrintedDocument.OfficialSensitive);
        text.ShouldContain($"Printed by {await DisplayNameAsync(w.Lead)}");
        text.ShouldContain("Jade attends school every day this term");
        text.ShouldContain(w.P.Youth.Name);
        text.ShouldNotContain("Close the case", customMessage: "forms stay on the page");
        (await AuditAsync(w.Lead, w.Child.Id)).ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "case.pdf");
    }

    [Fact]
    public async Task CasePdf_ReaderWithoutTheCase_NotFoundAndNothingExported()
    {
        var w = await CaseWorld.OpenAsync(app);
        var stranger = await w.P.UserAsync(w.P.OtherSchool);
        var client = await app.SignInAsync(stranger);

        (await client.GetAsync($"/cases/{w.CaseId}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await client.GetAsync($"/cases/{w.CaseId}?handler=Pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await AuditAsync(stranger, w.Child.Id)).ShouldNotContain(a => a.Action == AuditAction.Export);
    }
}

public sealed class PagePdfTestsOnSqlite(SqliteApp app) : PagePdfTests(app), IClassFixture<SqliteApp>;

public sealed class PagePdfTestsOnPostgres(PostgresApp app) : PagePdfTests(app), IClassFixture<PostgresApp>;
