using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouldly;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Shell.Exports;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Meetings;

namespace Waypoint.Tests.Exports;

/// <summary>
/// Lists leave the app as CSV and XLSX with the page's access: the same people the page may list
/// and no one else, each audited as exported (not merely listed) under the export's own subject;
/// the chronology leaves as a PDF whose text names the child, the marking and who printed it.
/// </summary>
public abstract class ListExportTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, Person Own, Person Other, TestUser Dsl);

    /// <summary>A pupil at School A with an alert, one at School B with an alert, and School A's safeguarding lead.</summary>
    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var own = await p.YoungPersonAsync("Ana", $"Own{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var other = await p.YoungPersonAsync("Bo", $"Other{p.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: p.OtherSchool);
        var dsl = await p.UserAsync(p.School);
        await AlertAsync(own, p.School, "=2 suspensions");
        await AlertAsync(other, p.OtherSchool, "3 suspensions");
        return new World(p, own, other, dsl);
    }

    private Task AlertAsync(Person pupil, Organisation school, string figures) =>
        app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(new Alert
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"export-test:{pupil.Id}",
                TriggeredOn = Today.AddDays(-2),
                Figures = figures,
                ThresholdValue = 2,
                Status = AlertStatus.New,
                RaisedAt = DateTimeOffset.UtcNow.AddDays(-2),
            });
            await db.SaveChangesAsync();
        });

    private Task<List<AuditEntry>> AuditAsync(TestUser user, Guid personId) =>
        app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.PersonId == personId).ToListAsync());

    [Fact]
    public async Task AlertsExport_Csv_ListsOnlyVisiblePupilsNeutralisedAndAudited()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync("/alerts");
        var link = page.QuerySelector("#alert-exports a[href*='format=csv']")!.GetAttribute("href")!;
        var response = await client.GetAsync(link);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.ShouldBe($"alerts-{Today:yyyy-MM-dd}.csv");
        var text = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
        text.ShouldContain($"Ana Own{w.P.Suffix},Repeated suspensions,School A {w.P.Suffix},{Today.AddDays(-2):yyyy-MM-dd},New,Nobody,'=2 suspensions");
        text.ShouldNotContain($"Other{w.P.Suffix}");
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "alerts.export");
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldNotContain(a => a.Action == AuditAction.ListedInSearch && a.Subject == "alerts.export");
        (await AuditAsync(w.Dsl, w.Other.Id)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AlertsExport_Xlsx_ReadsBackTheSameRows()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var response = await client.GetAsync("/alerts?handler=Export&format=xlsx&show=all");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var row = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ShouldHaveSingleItem();
        row["Pupil"].ShouldBe($"Ana Own{w.P.Suffix}");
        row["Figures"].ShouldBe("'=2 suspensions");
        row["Set off on"].ShouldBe(Today.AddDays(-2).ToDateTime(TimeOnly.MinValue));
    }

    [Fact]
    public async Task TopTenExport_SchoolList_HasRankAndPupilAndIsAudited()
    {
        var w = await WorldAsync();
        await app.AsSystemAsync(async db =>
        {
            db.TopTenNominations.Add(new TopTenNomination
            {
                PersonId = w.Own.Id,
                SchoolId = w.P.School.Id,
                Rank = 1,
                Reason = "Two suspensions, -3 days",
                NominatedAt = DateTimeOffset.UtcNow.AddDays(-1),
                NominatedByUserId = w.Dsl.Id,
            });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(w.Dsl);

        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/schools/top-ten?handler=Export&format=csv"));

        text.ShouldContain($"1,Ana Own{w.P.Suffix},\"Two suspensions, -3 days\",");
        text.ShouldContain(",1\r\n"); // one open alert
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "school.top-ten.export");
    }

    [Fact]
    public async Task HubQueueExport_ReportAwaitingTriage_ListedWithDueTime()
    {
        var w = await WorldAsync();
        var hub = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.HubTriage, w.P.County);
        var due = DateTimeOffset.UtcNow.AddHours(-1);
        await app.AsSystemAsync(async db =>
        {
            db.Referrals.Add(new Referral
            {
                PersonId = w.Own.Id,
                ReporterUserId = w.Dsl.Id,
                ReporterOrganisationId = w.P.School.Id,
                AreaId = w.P.Ward.Id,
                Categories = "RiskOfExclusion",
                WhatIsKnown = "A concern",
                ReportedAt = due.AddDays(-1),
                DecisionDueBy = due,
                Status = ReferralStatus.AwaitingTriage,
            });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(hub);

        var response = await client.GetAsync("/hub?handler=Export&format=xlsx");

        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var row = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ShouldHaveSingleItem();
        row["Child"].ShouldBe($"Ana Own{w.P.Suffix}");
        row["Reported by"].ShouldBe($"School A {w.P.Suffix}");
        row["Overdue"].ShouldBe("Yes");
        (await AuditAsync(hub, w.Own.Id)).ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "hub.queue.export");
    }

    [Fact]
    public async Task MyWorkExport_AlertAssignedToReader_IsARow()
    {
        var w = await WorldAsync();
        await app.AsSystemAsync(db => db.Alerts.Where(a => a.PersonId == w.Own.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.AssignedToUserId, w.Dsl.Id)));
        var client = await app.SignInAsync(w.Dsl);

        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/my-work?handler=Export&format=csv"));

        text.ShouldStartWith("\uFEFFWhat,Child,Detail,");
        text.ShouldContain($"Alert assigned to you,Ana Own{w.P.Suffix},Repeated suspensions,,No");
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "my-work.export");
    }

    [Fact]
    public async Task TopTenExport_WithdrawnNomination_NotInTheFileNorAuditedAsExported()
    {
        var w = await WorldAsync();
        await app.AsSystemAsync(async db =>
        {
            db.TopTenNominations.Add(new TopTenNomination
            {
                PersonId = w.Own.Id,
                SchoolId = w.P.School.Id,
                Rank = 1,
                Reason = "Withdrawn",
                NominatedAt = DateTimeOffset.UtcNow.AddDays(-3),
                NominatedByUserId = w.Dsl.Id,
                WithdrawnAt = DateTimeOffset.UtcNow.AddDays(-1),
                WithdrawalReason = "Settled",
            });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(w.Dsl);

        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync("/schools/top-ten?handler=Export&format=csv"));

        text.ShouldNotContain($"Own{w.P.Suffix}");
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldNotContain(a => a.Subject == "school.top-ten.export");
    }

    [Fact]
    public async Task MeetingsExport_CsvAndXlsx_TheSeriesThePageListsOnly()
    {
        var m = await MeetingWorld.CreateAsync(app);
        await m.ScheduleAsync(Today.AddDays(7));
        var housing = await app.SignInAsync(await m.P.UserAsync(m.P.Housing));
        var chair = await app.SignInAsync(m.Chair);

        var page = await chair.GetDocumentAsync("/meetings");
        var csv = await chair.GetAsync(page.QuerySelector("#series-exports a[href*='format=csv']")!.GetAttribute("href")!);

        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentDisposition!.FileName.ShouldBe($"meeting-series-{Today:yyyy-MM-dd}.csv");
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        text.ShouldStartWith("\uFEFFSeries,Area,Next meeting,Meetings\r\n");
        text.ShouldContain($"\"Cluster {m.P.Suffix}, monthly\",{m.P.District.Name},{Today.AddDays(7):yyyy-MM-dd},1\r\n");
        var xlsx = await chair.GetAsync(page.QuerySelector("#series-exports a[href*='format=xlsx']")!.GetAttribute("href")!);
        using (var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync()))
        {
            var row = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ShouldHaveSingleItem();
            row["Series"].ShouldBe($"Cluster {m.P.Suffix}, monthly");
            row["Next meeting"].ShouldBe(Today.AddDays(7).ToDateTime(TimeOnly.MinValue));
        }
        // Housing has no part in the series: its file has the headings and nothing else, as its page lists nothing.
        Encoding.UTF8.GetString(await housing.GetByteArrayAsync("/meetings?handler=Export&format=csv")).ShouldBe("\uFEFFSeries,Area,Next meeting,Meetings\r\n");
    }

    [Fact]
    public async Task ChronologyPdf_VisiblePupil_SearchableTextMarkedAndAudited()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync($"/people/{w.Own.Id}/chronology?Order=OldestFirst");
        var link = page.QuerySelector("#chronology-pdf")!.GetAttribute("href")!;
        link.ShouldContain("Order=OldestFirst");
        var response = await client.GetAsync(link);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Join("\n", pdf.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)));
        text.ShouldContain($"Chronology for Ana Own{w.P.Suffix}");
        text.ShouldContain(PrintedDocument.OfficialSensitive);
        text.ShouldContain("Printed by");
        text.ShouldContain("oldest first");
        text.ShouldContain("Repeated suspensions");
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldContain(a => a.Action == AuditAction.Read && a.Subject == "chronology.pdf");
        (await AuditAsync(w.Dsl, w.Own.Id)).ShouldContain(a => a.Action == AuditAction.Export && a.Subject == "chronology.pdf");
    }

    [Fact]
    public async Task ChronologyPdf_PupilTheReaderCannotSee_NotFoundAndDenied()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        (await client.GetAsync($"/people/{w.Other.Id}/chronology?handler=Pdf")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await AuditAsync(w.Dsl, w.Other.Id)).ShouldContain(a => a.Action == AuditAction.Denied);
    }
}

public sealed class ListExportTestsOnSqlite(SqliteApp app) : ListExportTests(app), IClassFixture<SqliteApp>;

public sealed class ListExportTestsOnPostgres(PostgresApp app) : ListExportTests(app), IClassFixture<PostgresApp>;
