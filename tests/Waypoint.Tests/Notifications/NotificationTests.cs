using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Notifications;

/// <summary>In-app notices and their e-mail, with the sender driven step by step (its background loop is off here).</summary>
public abstract class NotificationTests(WaypointApp app)
{
    private Task NotifyAsync(Notice notice) =>
        app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<INotifier>().NotifyAsync(notice, CancellationToken.None);
            return true;
        });

    private Task<List<Notification>> NoticesOfAsync(TestUser user) =>
        app.AsSystemAsync((db, _) => db.Notifications.Where(n => n.UserId == user.Id).OrderBy(n => n.CreatedAt).ToListAsync());

    private Task<int> SendDueAsync() => app.Services.GetRequiredService<EmailDispatcher>().SendDueAsync(CancellationToken.None);

    private string[] MailTo(TestUser user) =>
        Directory.Exists(app.MailFolder)
            ? Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText).Where(m => m.Contains($"To: {user.Email}", StringComparison.Ordinal)).ToArray()
            : [];

    [Fact]
    public async Task NotifyAsync_RepeatedAndInactiveRecipients_OneNoticeForEachActiveRecipient()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var active = await partnership.UserAsync(partnership.Hub);
        var inactive = await partnership.UserAsync(partnership.Hub);
        await app.AsSystemAsync(db => db.Users.Where(u => u.Id == inactive.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));

        await NotifyAsync(new Notice([active.Id, active.Id, inactive.Id], "A new alert", "An alert about a pupil", "/alerts", "alert"));

        var notices = await NoticesOfAsync(active);
        notices.Count.ShouldBe(1);
        notices[0].Email.ShouldBe(EmailDelivery.Pending);
        (await NoticesOfAsync(inactive)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://elsewhere.example/phish")]
    [InlineData("//elsewhere.example/phish")]
    [InlineData("alerts")]
    public async Task NotifyAsync_LinkOutsideTheApp_Refused(string link)
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.Hub);

        await Should.ThrowAsync<ArgumentException>(() => NotifyAsync(new Notice([user.Id], "A new alert", "", link, "alert")));

        (await NoticesOfAsync(user)).ShouldBeEmpty();
    }

    [Fact]
    public async Task SendDue_PendingNotice_MailHasCountAndLinkButNotTheSubjectOrBody()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([user.Id], "A new early-warning alert", "Repeated suspensions: Jordan Example, Year 9", "/alerts", "alert"));

        await SendDueAsync();

        var notice = (await NoticesOfAsync(user)).Single();
        notice.Email.ShouldBe(EmailDelivery.Sent);
        notice.EmailSentAt.ShouldNotBeNull();
        var mail = MailTo(user).ShouldHaveSingleItem();
        mail.ShouldContain("Subject: Waypoint: 1 new notice");
        mail.ShouldContain("1 early-warning alert");
        mail.ShouldContain($"/notifications/{notice.Id}");
        mail.ShouldNotContain("A new early-warning alert");
        mail.ShouldNotContain("Jordan");
        mail.ShouldNotContain("Repeated suspensions");

        await SendDueAsync();
        MailTo(user).Length.ShouldBe(1, "a sent notice is not sent again");
    }

    [Fact]
    public async Task SendDue_ManyNoticesForOnePerson_OneDigestWithCountsByKind()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.School);
        var colleague = await partnership.UserAsync(partnership.School);
        for (var i = 0; i < 3; i++)
            await NotifyAsync(new Notice([user.Id], "A new alert about a pupil at Brackton Academy", "Persistent absence: Jordan Example", "/alerts", "alert"));
        await NotifyAsync(new Notice([user.Id, colleague.Id], "A referral outcome", "Riley Example: accepted", "/referrals", "referral-outcome"));

        await SendDueAsync();

        var mail = MailTo(user).ShouldHaveSingleItem();
        mail.ShouldContain("Subject: Waypoint: 4 new notices");
        mail.ShouldContain("3 early-warning alerts");
        mail.ShouldContain("1 referral outcome");
        mail.ShouldContain("/notifications");
        mail.ShouldNotContain("Jordan");
        mail.ShouldNotContain("Riley");
        mail.ShouldNotContain("Brackton");
        (await NoticesOfAsync(user)).ShouldAllBe(n => n.Email == EmailDelivery.Sent);
        MailTo(colleague).ShouldHaveSingleItem().ShouldContain("1 referral outcome");
    }

    [Fact]
    public async Task SendDue_AlreadyMailedToday_NextNoticesWaitForTomorrowsDigest()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([user.Id], "A new alert", "", "/alerts", "alert"));
        await SendDueAsync();
        MailTo(user).Length.ShouldBe(1);

        await NotifyAsync(new Notice([user.Id], "A new alert", "", "/alerts", "alert"));
        await NotifyAsync(new Notice([user.Id], "A case transfer", "", "/cases", "case-transfer"));
        await SendDueAsync();

        MailTo(user).Length.ShouldBe(1, "one e-mail a person a day");
        var waiting = (await NoticesOfAsync(user)).Where(n => n.Email != EmailDelivery.Sent).ToList();
        waiting.Count.ShouldBe(2);
        waiting.ShouldAllBe(n => n.Email == EmailDelivery.Pending);
        var tomorrow = NoticeDays.StartOf(NoticeDays.DayOf(DateTimeOffset.UtcNow).AddDays(1));
        waiting[0].EmailDueAt.ShouldNotBeNull().ShouldBeGreaterThanOrEqualTo(tomorrow);

        var settings = new EmailSettings(new EmailOptions { Delivery = EmailDeliveryMethod.Pickup, PickupDirectory = app.MailFolder },
            app.Services.GetRequiredService<IHostEnvironment>());
        var clock = new MovableClock(waiting[0].EmailDueAt!.Value);
        var dispatcher = new EmailDispatcher(app.Services.GetRequiredService<IServiceScopeFactory>(), settings, new EmailSender(settings),
            new Waypoint.Shell.WakeSignal<EmailDispatcher>(), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<EmailDispatcher>.Instance);
        await dispatcher.SendDueAsync(CancellationToken.None);

        var mails = MailTo(user);
        mails.Length.ShouldBe(2);
        mails.ShouldContain(m => m.Contains("Subject: Waypoint: 2 new notices", StringComparison.Ordinal)
            && m.Contains("1 early-warning alert", StringComparison.Ordinal) && m.Contains("1 case transfer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Inbox_NoticesGroupedByDayAndKindWithCounts()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var me = await partnership.UserAsync(partnership.School);
        for (var i = 0; i < 5; i++)
            await NotifyAsync(new Notice([me.Id], "A new alert about a pupil at Brackton Academy", "", "/alerts", "alert"));
        await NotifyAsync(new Notice([me.Id], "A referral outcome", "", "/referrals", "referral-outcome"));
        var client = await app.SignInAsync(me);

        var page = await client.GetDocumentAsync("/notifications");

        page.QuerySelector(".wp-notice-day")!.TextContent.Trim().ShouldBe("Today");
        var groups = page.QuerySelectorAll(".wp-notice-group__title").Select(t => t.TextContent.Trim()).ToList();
        groups.ShouldBe(["5 early-warning alerts, 5 unread", "1 referral outcome, 1 unread"], ignoreOrder: true);
        page.QuerySelectorAll(".wp-notice h3 a").Length.ShouldBe(6);

        var alertsOnly = await client.GetDocumentAsync("/notifications?kind=alert");
        alertsOnly.QuerySelectorAll(".wp-notice-group__title").Select(t => t.TextContent.Trim()).ShouldBe(["5 early-warning alerts, 5 unread"]);
    }

    [Fact]
    public async Task MarkGroupRead_OnlyThatDayAndKind()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var me = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([me.Id], "A new alert", "", "/alerts", "alert"));
        await NotifyAsync(new Notice([me.Id], "Another alert", "", "/alerts", "alert"));
        await NotifyAsync(new Notice([me.Id], "A referral outcome", "", "/referrals", "referral-outcome"));
        var client = await app.SignInAsync(me);
        var today = NoticeDays.DayOf(DateTimeOffset.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var response = await client.PostFormAsync("/notifications?handler=MarkGroupRead", new() { ["groupKind"] = "alert", ["day"] = today }, "/notifications");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var notices = await NoticesOfAsync(me);
        notices.Where(n => n.Kind == "alert").ShouldAllBe(n => n.ReadAt != null);
        notices.Single(n => n.Kind == "referral-outcome").ReadAt.ShouldBeNull();
        var page = await client.GetDocumentAsync(response.Headers.Location!.OriginalString);
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("2 early-warning alerts marked as read");
    }

    [Fact]
    public async Task SendDue_UserWithoutAddress_NoticeInAppOnly()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.School);
        await app.AsSystemAsync(db => db.Users.Where(u => u.Id == user.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.Email, (string?)null)));

        await NotifyAsync(new Notice([user.Id], "A new alert", "", "/alerts", "alert"));
        await SendDueAsync();

        (await NoticesOfAsync(user)).Single().Email.ShouldBe(EmailDelivery.NotRequired);
    }

    [Fact]
    public async Task SendDue_MailServerRefuses_RetriedLaterThenGivenUp()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([user.Id], "A new alert", "", "/alerts", "alert"));
        // A real SMTP client against a port nobody listens on.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closedPort = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var settings = new EmailSettings(
            new EmailOptions { Delivery = EmailDeliveryMethod.Smtp, Host = "127.0.0.1", Port = closedPort, EnableSsl = false, MaxAttempts = 2 },
            app.Services.GetRequiredService<IHostEnvironment>());
        var clock = new MovableClock(DateTimeOffset.UtcNow);
        var dispatcher = new EmailDispatcher(app.Services.GetRequiredService<IServiceScopeFactory>(), settings, new EmailSender(settings),
            new Waypoint.Shell.WakeSignal<EmailDispatcher>(), clock, Microsoft.Extensions.Logging.Abstractions.NullLogger<EmailDispatcher>.Instance);

        await dispatcher.SendDueAsync(CancellationToken.None);
        var afterFirst = (await NoticesOfAsync(user)).Single();
        afterFirst.Email.ShouldBe(EmailDelivery.Pending);
        afterFirst.EmailAttempts.ShouldBe(1);
        afterFirst.EmailDueAt.ShouldNotBeNull().ShouldBeGreaterThan(clock.GetUtcNow());
        afterFirst.EmailError.ShouldNotBeNullOrEmpty();

        await dispatcher.SendDueAsync(CancellationToken.None);
        (await NoticesOfAsync(user)).Single().EmailAttempts.ShouldBe(1, "not retried before it is due");

        clock.Advance(TimeSpan.FromMinutes(2));
        await dispatcher.SendDueAsync(CancellationToken.None);
        var afterSecond = (await NoticesOfAsync(user)).Single();
        afterSecond.Email.ShouldBe(EmailDelivery.Failed);
        afterSecond.EmailAttempts.ShouldBe(2);
        afterSecond.ReadAt.ShouldBeNull("the in-app notice stands");
    }

    [Fact]
    public async Task Inbox_ShowsOnlyMyNoticesAndTheUnreadCount()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var me = await partnership.UserAsync(partnership.School);
        var colleague = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([me.Id], "Mine one", "First", "/people", "test"));
        await NotifyAsync(new Notice([me.Id], "Mine two", "Second", "/people", "test"));
        await NotifyAsync(new Notice([colleague.Id], "Theirs", "Not for me", "/people", "test"));
        var client = await app.SignInAsync(me);

        var page = await client.GetDocumentAsync("/notifications");

        var subjects = page.QuerySelectorAll(".wp-notice h3 a").Select(a => a.TextContent.Trim()).ToList();
        subjects.ShouldBe(["Mine two", "Mine one"]);
        page.QuerySelector(".moj-notification-badge")!.TextContent.ShouldContain("2");
    }

    [Fact]
    public async Task Open_MyNotice_MarksReadAndGoesToItsLink()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var me = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([me.Id], "Look here", "", "/people?q=x", "test"));
        var notice = (await NoticesOfAsync(me)).Single();
        var client = await app.SignInAsync(me);

        var response = await client.GetAsync($"/notifications/{notice.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/people?q=x");
        (await NoticesOfAsync(me)).Single().ReadAt.ShouldNotBeNull();
        var page = await client.GetDocumentAsync("/notifications");
        page.QuerySelector(".moj-notification-badge").ShouldBeNull();
    }

    [Fact]
    public async Task Open_SomeoneElsesNotice_NotFoundAndStaysUnread()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var me = await partnership.UserAsync(partnership.School);
        var colleague = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([colleague.Id], "Theirs", "", "/people", "test"));
        var theirs = (await NoticesOfAsync(colleague)).Single();
        var client = await app.SignInAsync(me);

        var response = await client.GetAsync($"/notifications/{theirs.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await NoticesOfAsync(colleague)).Single().ReadAt.ShouldBeNull();
    }

    [Fact]
    public async Task MarkAllRead_OnlyMine()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var me = await partnership.UserAsync(partnership.School);
        var colleague = await partnership.UserAsync(partnership.School);
        await NotifyAsync(new Notice([me.Id, colleague.Id], "For both", "", "/people", "test"));
        var client = await app.SignInAsync(me);

        var response = await client.PostFormAsync("/notifications?handler=MarkAllRead", [], "/notifications");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await NoticesOfAsync(me)).Single().ReadAt.ShouldNotBeNull();
        (await NoticesOfAsync(colleague)).Single().ReadAt.ShouldBeNull();
    }
}

/// <summary>A clock the test moves, for retry timing without waiting.</summary>
internal sealed class MovableClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow() => now;

    public void Advance(TimeSpan by) => now += by;
}

public sealed class ManualMailSqliteApp() : WaypointApp(DatabaseKind.Sqlite)
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Email:SendInBackground", "false")];
}

public sealed class ManualMailPostgresApp() : WaypointApp(DatabaseKind.Postgres)
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Email:SendInBackground", "false")];
}

public sealed class NotificationTestsOnSqlite(ManualMailSqliteApp app) : NotificationTests(app), IClassFixture<ManualMailSqliteApp>;

public sealed class NotificationTestsOnPostgres(ManualMailPostgresApp app) : NotificationTests(app), IClassFixture<ManualMailPostgresApp>;

/// <summary>The background sender, as the running app has it.</summary>
public sealed class BackgroundEmailTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task Notify_SenderRunning_MailArrivesWithoutAnyoneAsking()
    {
        var partnership = await TestPartnership.CreateAsync(app);
        var user = await partnership.UserAsync(partnership.School);

        await app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<INotifier>().NotifyAsync(new Notice([user.Id], "Background", "", "/alerts", "test"), CancellationToken.None);
            return true;
        });

        // Woken by the notifier, not by its 30-second poll: each pass of the sender's ends with a
        // signal; the notice is read after taking the next one, so a pass that sends it is never missed.
        var dispatcher = app.Services.GetRequiredService<EmailDispatcher>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Notification notice;
        while (true)
        {
            var passEnded = dispatcher.NextPassEndedAsync();
            notice = await app.AsSystemAsync((db, _) => db.Notifications.SingleAsync(n => n.UserId == user.Id));
            if (notice.Email == EmailDelivery.Sent || deadline.IsCancellationRequested)
                break;
            try
            {
                await passEnded.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                // Read once more, then the assertion below says what state the notice was left in.
            }
        }
        notice.Email.ShouldBe(EmailDelivery.Sent);
        Directory.GetFiles(app.MailFolder, "*.eml").Select(File.ReadAllText).ShouldContain(m => m.Contains($"To: {user.Email}", StringComparison.Ordinal));
    }
}
