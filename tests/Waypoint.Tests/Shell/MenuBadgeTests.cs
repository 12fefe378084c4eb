using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Shell;

/// <summary>
/// The menu's badges (open alerts, unread notices) are kept per reader until the next write (issue 18: counted through the
/// Alert filter on every page): a new alert shows at once for those who may see it, a closed one goes at once, a grant
/// ended stops its alerts being counted at once, and one reader's count is never shown to another.
/// </summary>
public abstract class MenuBadgeTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, Person Pupil, TestUser Inclusion, TestUser Elsewhere);

    /// <summary>A pupil at School A, an inclusion officer for its district and one for the other district (who may not see the pupil's records).</summary>
    private async Task<World> WorldAsync(string givenName)
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync(givenName, $"Badge{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var inclusion = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        var elsewhere = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.OtherDistrict);
        return new World(p, pupil, inclusion, elsewhere);
    }

    private static Alert NewAlert(Person pupil, Organisation school, string key) => new()
    {
        PersonId = pupil.Id,
        SchoolId = school.Id,
        Rule = AlertRule.RepeatedSuspensions,
        TriggerKey = $"badge:{key}:{pupil.Id}",
        TriggeredOn = Today,
        Figures = "figures",
        ThresholdValue = 2,
        Status = AlertStatus.New,
        RaisedAt = DateTimeOffset.UtcNow,
    };

    private Task AddAlertAsync(World w, string key) =>
        app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(NewAlert(w.Pupil, w.P.School, key));
            await db.SaveChangesAsync();
        });

    /// <summary>The alerts badge on a page (null when none is shown), read from a different page each visit.</summary>
    private static async Task<string?> AlertsBadgeAsync(HttpClient client, string page = "/")
    {
        var document = await client.GetDocumentAsync(page);
        return document.QuerySelector("a[href='/alerts'] .moj-notification-badge")?.TextContent.Trim().Split(' ')[0];
    }

    private static async Task<string?> NoticesBadgeAsync(HttpClient client)
    {
        var document = await client.GetDocumentAsync("/my-work");
        return document.QuerySelector("a[href='/notifications'] .moj-notification-badge")?.TextContent.Trim().Split(' ')[0];
    }

    [Fact]
    public async Task Badge_AlertRaisedFromSchoolRecords_ShownAtOnceToItsRecipient()
    {
        var w = await WorldAsync("Ada");
        await AddAlertAsync(w, "first");
        var client = await app.SignInAsync(w.Inclusion);
        (await AlertsBadgeAsync(client)).ShouldBe("1");
        (await AlertsBadgeAsync(client, "/my-work")).ShouldBe("1");
        var notices = await NoticesBadgeAsync(client);

        // Raised as an import raises it: the school's records changed, the rules evaluated, the recipients told.
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = w.Pupil.Id,
                SchoolId = w.P.School.Id,
                Kind = ExclusionKind.PermanentExclusion,
                StartDate = Today.AddDays(-3),
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<SchoolRecordsChanged>().NotifyAsync([w.Pupil.Id], CancellationToken.None);
            return true;
        });

        (await AlertsBadgeAsync(client)).ShouldBe("2");
        (await NoticesBadgeAsync(client)).ShouldNotBe(notices, "the recipient's notice of the new alert counted at once");
    }

    [Fact]
    public async Task Badge_AlertClosedOrNoticeRead_GoneAtOnce()
    {
        var w = await WorldAsync("Bea");
        await AddAlertAsync(w, "one");
        await AddAlertAsync(w, "two");
        await app.AsSystemAsync(async db =>
        {
            db.Notifications.Add(new Notification { UserId = w.Inclusion.Id, Kind = "test", Subject = "A notice", Body = "Read me", Link = "/", CreatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(w.Inclusion);
        (await AlertsBadgeAsync(client)).ShouldBe("2");
        (await NoticesBadgeAsync(client)).ShouldBe("1");

        // Closed through the change tracker, then through ExecuteUpdate: each a write the badge sees at once.
        await app.AsSystemAsync(async db =>
        {
            var alert = await db.Alerts.FirstAsync(a => a.PersonId == w.Pupil.Id && a.TriggerKey.StartsWith("badge:one"));
            alert.Status = AlertStatus.Closed;
            alert.ClosedAt = DateTimeOffset.UtcNow;
            await db.SaveChangesAsync();
        });
        (await AlertsBadgeAsync(client)).ShouldBe("1");
        await app.AsSystemAsync(db => db.Alerts.Where(a => a.PersonId == w.Pupil.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AlertStatus.Closed).SetProperty(a => a.ClosedAt, DateTimeOffset.UtcNow)));
        (await AlertsBadgeAsync(client)).ShouldBeNull();

        await app.AsSystemAsync(db => db.Notifications.Where(n => n.UserId == w.Inclusion.Id).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, DateTimeOffset.UtcNow)));
        (await NoticesBadgeAsync(client)).ShouldBeNull();
    }

    [Fact]
    public async Task Badge_GrantEndedOrRemoved_ItsAlertsNoLongerCounted()
    {
        var w = await WorldAsync("Cal");
        await AddAlertAsync(w, "one");
        var other = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.County);
        var client = await app.SignInAsync(w.Inclusion);
        var otherClient = await app.SignInAsync(other);
        (await AlertsBadgeAsync(client)).ShouldBe("1");
        (await AlertsBadgeAsync(otherClient)).ShouldBe("1");

        // Ended yesterday (as the grants' page ends one: ExecuteUpdate here), and removed outright (the change tracker).
        await app.AsSystemAsync(db => db.PartnershipRoleGrants.Where(g => g.UserId == w.Inclusion.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.EndDate, Today.AddDays(-1))));
        await app.AsSystemAsync(async db =>
        {
            db.PartnershipRoleGrants.RemoveRange(await db.PartnershipRoleGrants.Where(g => g.UserId == other.Id).ToListAsync());
            await db.SaveChangesAsync();
        });

        (await AlertsBadgeAsync(client)).ShouldBeNull();
        (await AlertsBadgeAsync(otherClient)).ShouldBeNull();
    }

    [Fact]
    public async Task Badge_TwoReadersInTurn_EachSeesOnlyTheirOwnCount()
    {
        var w = await WorldAsync("Dee");
        await AddAlertAsync(w, "one");
        var client = await app.SignInAsync(w.Inclusion);
        var elsewhere = await app.SignInAsync(w.Elsewhere);

        for (var visit = 0; visit < 2; visit++)
        {
            (await AlertsBadgeAsync(client)).ShouldBe("1");
            (await AlertsBadgeAsync(elsewhere)).ShouldBeNull("the other district's officer may not see the pupil's alert");
        }
    }
}

public sealed class MenuBadgeTestsOnSqlite(SqliteApp app) : MenuBadgeTests(app), IClassFixture<SqliteApp>;

public sealed class MenuBadgeTestsOnPostgres(PostgresApp app) : MenuBadgeTests(app), IClassFixture<PostgresApp>;
