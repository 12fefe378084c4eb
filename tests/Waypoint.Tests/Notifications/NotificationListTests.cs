using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Notifications;

/// <summary>
/// The notifications list as a list that scales: filtered by type, status and the UK days they
/// were sent, counted over every page ("Showing 201 to 201 of 201"), and downloaded as CSV or
/// XLSX with the same filters, the reader's own notices only, formula-like text neutralised.
/// </summary>
public abstract class NotificationListTests(WaypointApp app)
{
    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);

    /// <summary>Notices straight into the table (the notifier's rules are NotificationTests' business), sent <paramref name="daysAgo"/> days ago.</summary>
    private Task AddAsync(TestUser user, int count, string kind, int daysAgo, bool read, string subject = "A notice") =>
        app.AsSystemAsync(async db =>
        {
            var at = DateTimeOffset.UtcNow.AddDays(-daysAgo);
            for (var i = 0; i < count; i++)
                db.Notifications.Add(new Notification
                {
                    UserId = user.Id,
                    Kind = kind,
                    Subject = subject,
                    Body = "What happened",
                    Link = "/account",
                    CreatedAt = at.AddSeconds(-i),
                    ReadAt = read ? at : null,
                });
            await db.SaveChangesAsync();
        });

    private static string DateQuery(string name, DateOnly d) => $"{name}.Day={N(d.Day)}&{name}.Month={N(d.Month)}&{name}.Year={N(d.Year)}";

    [Fact]
    public async Task Index_FilteredByTypeStatusAndDate_CountsOnlyThoseChosen()
    {
        var p = await TestPartnership.CreateAsync(app);
        var me = await p.UserAsync(p.School);
        await AddAsync(me, 3, "alert", daysAgo: 10, read: true);
        await AddAsync(me, 2, "alert", daysAgo: 0, read: false);
        await AddAsync(me, 4, "referral-outcome", daysAgo: 0, read: false);
        var client = await app.SignInAsync(me);
        var today = NoticeDays.DayOf(DateTimeOffset.UtcNow);

        (await client.GetDocumentAsync("/notifications")).QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe("Showing 1 to 9 of 9 notifications");
        (await client.GetDocumentAsync("/notifications?Kind=alert")).QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe("Showing 1 to 5 of 5 notifications");
        (await client.GetDocumentAsync("/notifications?Kind=alert&Status=Read")).QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe("Showing 1 to 3 of 3 notifications");
        (await client.GetDocumentAsync("/notifications?Status=Unread")).QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe("Showing 1 to 6 of 6 notifications");
        var recent = await client.GetDocumentAsync($"/notifications?Kind=alert&{DateQuery("SentFrom", today.AddDays(-1))}");
        recent.QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe("Showing 1 to 2 of 2 notifications");
        recent.QuerySelectorAll(".wp-notice-group__title").Select(t => t.TextContent.Trim()).ShouldBe(["2 early-warning alerts, 2 unread"]);
        // The export link carries the filters as typed.
        recent.QuerySelector("#notice-exports a")!.GetAttribute("href")!.ShouldContain($"Kind=alert&SentFrom.Day={N(today.AddDays(-1).Day)}");
        var older = await client.GetDocumentAsync($"/notifications?{DateQuery("SentTo", today.AddDays(-5))}");
        older.QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe("Showing 1 to 3 of 3 notifications");
    }

    [Fact]
    public async Task Index_SentToBeforeSentFrom_ErrorAndNoList()
    {
        var p = await TestPartnership.CreateAsync(app);
        var me = await p.UserAsync(p.School);
        await AddAsync(me, 1, "alert", daysAgo: 0, read: false);
        var client = await app.SignInAsync(me);
        var today = NoticeDays.DayOf(DateTimeOffset.UtcNow);

        var page = await client.GetDocumentAsync($"/notifications?{DateQuery("SentFrom", today)}&{DateQuery("SentTo", today.AddDays(-3))}");

        page.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Sent to must be the same as or after sent from");
        page.QuerySelector("#notices-range").ShouldBeNull();
        (await client.GetAsync($"/notifications?handler=Export&format=csv&SentFrom.Day=31&SentFrom.Month=2&SentFrom.Year={N(today.Year)}")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Index_MoreThanAPage_RangeOfTheTrueTotalAndOlderPage()
    {
        var p = await TestPartnership.CreateAsync(app);
        var me = await p.UserAsync(p.School);
        await AddAsync(me, IndexModel.PageSize + 1, "alert", daysAgo: 0, read: false);
        var client = await app.SignInAsync(me);
        var total = N(IndexModel.PageSize + 1);

        var first = await client.GetDocumentAsync("/notifications");
        first.QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe($"Showing 1 to {N(IndexModel.PageSize)} of {total} notifications");
        first.QuerySelectorAll(".wp-notice").Length.ShouldBe(IndexModel.PageSize);
        var older = first.QuerySelector("#notice-pages a[rel=next]")!.GetAttribute("href")!;
        var second = await client.GetDocumentAsync(older);

        second.QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe($"Showing {total} to {total} of {total} notifications");
        second.QuerySelectorAll(".wp-notice").Length.ShouldBe(1);
        second.QuerySelector("#notice-pages a[rel=next]").ShouldBeNull();
        // A page past the end shows the last page, so the range said is the range shown.
        (await client.GetDocumentAsync("/notifications?p=99")).QuerySelector("#notices-range")!.TextContent.Trim().ShouldBe($"Showing {total} to {total} of {total} notifications");
    }

    [Fact]
    public async Task Export_CsvAndXlsx_MyFilteredNoticesNeutralised()
    {
        var p = await TestPartnership.CreateAsync(app);
        var me = await p.UserAsync(p.School);
        var someoneElse = await p.UserAsync(p.School);
        await AddAsync(me, 1, "alert", daysAgo: 0, read: false, subject: "=HYPERLINK(\"http://evil\")");
        await AddAsync(me, 1, "referral-outcome", daysAgo: 0, read: true, subject: "A referral outcome");
        await AddAsync(someoneElse, 1, "alert", daysAgo: 0, read: false, subject: $"Not mine {p.Suffix}");
        var client = await app.SignInAsync(me);
        var today = NoticeDays.DayOf(DateTimeOffset.UtcNow);

        var page = await client.GetDocumentAsync("/notifications?Kind=alert");
        var csv = await client.GetAsync(page.QuerySelector("#notice-exports a[href*='format=csv']")!.GetAttribute("href")!);

        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        csv.Content.Headers.ContentDisposition!.FileName.ShouldBe($"notifications-{today:yyyy-MM-dd}.csv");
        var text = Encoding.UTF8.GetString(await csv.Content.ReadAsByteArrayAsync());
        text.ShouldStartWith("\uFEFFSent (UTC),Type,Subject,What it says,Status,Read (UTC)");
        text.ShouldContain(",Early-warning alerts,\"'=HYPERLINK(\"\"http://evil\"\")\",What happened,Unread,");
        text.ShouldNotContain("A referral outcome");
        text.ShouldNotContain($"Not mine {p.Suffix}");

        var xlsx = await client.GetAsync("/notifications?handler=Export&format=xlsx&Status=Read");
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using var stream = new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync());
        var row = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ShouldHaveSingleItem();
        row["Subject"].ShouldBe("A referral outcome");
        row["Type"].ShouldBe("Referral outcomes");
        row["Status"].ShouldBe("Read");
        row["Read (UTC)"].ShouldBeOfType<DateTime>();
    }

    [Fact]
    public async Task MarkGroupRead_FromAFilteredList_BackToTheSameFilters()
    {
        var p = await TestPartnership.CreateAsync(app);
        var me = await p.UserAsync(p.School);
        await AddAsync(me, 2, "alert", daysAgo: 0, read: false);
        var client = await app.SignInAsync(me);
        var today = NoticeDays.DayOf(DateTimeOffset.UtcNow);

        var response = await client.PostFormAsync("/notifications?handler=MarkGroupRead", new()
        {
            ["groupKind"] = "alert",
            ["day"] = today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Kind"] = "alert",
            ["Status"] = "Unread",
            ["SentFrom.Day"] = N(today.Day),
            ["SentFrom.Month"] = N(today.Month),
            ["SentFrom.Year"] = N(today.Year),
        }, "/notifications");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe($"/notifications?Kind=alert&Status=Unread&{DateQuery("SentFrom", today)}");
        (await app.AsSystemAsync((db, _) => db.Notifications.CountAsync(n => n.UserId == me.Id && n.ReadAt == null))).ShouldBe(0);
    }
}

public sealed class NotificationListTestsOnSqlite(SqliteApp app) : NotificationListTests(app), IClassFixture<SqliteApp>;

public sealed class NotificationListTestsOnPostgres(PostgresApp app) : NotificationListTests(app), IClassFixture<PostgresApp>;
