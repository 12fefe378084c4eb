using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>Break-glass from the practitioner's request to the data-protection officer's review, on each provider.</summary>
public abstract class BreakGlassTests(WaypointApp app)
{
    private const string GoodReason = "Police called: the child was found alone at night and may be at risk.";

    [Fact]
    public async Task BreakGlass_ReasonTooShort_ShowsErrorAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Iris", "Penn", new DateOnly(2011, 8, 8), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.Youth);
        var client = await app.SignInAsync(user);

        var response = await client.PostFormAsync($"/people/{pupil.Id}/break-glass", new() { ["Reason"] = "Need to check" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("at least 20 characters");
        page.QuerySelector("#Reason-error").ShouldNotBeNull();
        (await app.AsSystemAsync((db, _) => db.BreakGlassGrants.AnyAsync(b => b.UserId == user.Id))).ShouldBeFalse();
        (await client.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>The DPO dashboard's break-glass figures (issue 16, item 7): waiting for review, open now, reviewed in the last 30 days.</summary>
    [Fact]
    public async Task Dashboard_BreakGlassUse_CountedWaitingAndOpenUntilReviewed()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Kit", "Dashboard", new DateOnly(2010, 4, 4), enrolledAt: p.OtherSchool);
        var client = await app.SignInAsync(await p.UserAsync(p.Youth));
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        async Task<(int Waiting, int Open, int Reviewed)> FiguresAsync()
        {
            var page = await dpo.GetDocumentAsync("/dpo");
            int Read(string id) => int.Parse(page.QuerySelector(id)!.TextContent.Trim());
            return (Read("#break-glass-unreviewed"), Read("#break-glass-active"), Read("#break-glass-reviewed"));
        }
        var before = await FiguresAsync();

        (await client.PostFormAsync($"/people/{pupil.Id}/break-glass", new() { ["Reason"] = GoodReason })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await FiguresAsync()).ShouldBe((before.Waiting + 1, before.Open + 1, before.Reviewed));
        var grant = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.AsNoTracking().SingleAsync(b => b.PersonId == pupil.Id));
        (await dpo.PostFormAsync($"/audit/break-glass/{grant.Id}", new() { ["Note"] = "Justified: the police had asked for help." })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await FiguresAsync()).ShouldBe((before.Waiting, before.Open + 1, before.Reviewed + 1), "reviewed, still open until it expires");
        await app.AsSystemAsync(db => db.BreakGlassGrants.Where(b => b.Id == grant.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        (await FiguresAsync()).ShouldBe((before.Waiting, before.Open, before.Reviewed + 1));
    }

    [Fact]
    public async Task BreakGlass_ProperReason_OpensRecordForDpoReviewUntilItExpires()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Jude", "Quill", new DateOnly(2010, 10, 10), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.Youth);
        var client = await app.SignInAsync(user);

        (await client.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var opened = await client.PostFormAsync($"/people/{pupil.Id}/break-glass", new() { ["Reason"] = GoodReason });
        opened.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        opened.Headers.Location!.OriginalString.ShouldBe($"/people/{pupil.Id}");
        var person = await client.GetAsync($"/people/{pupil.Id}");
        person.StatusCode.ShouldBe(HttpStatusCode.OK);
        var why = Clients.Parse(await person.Content.ReadAsStringAsync()).QuerySelector("#why-visible")!.TextContent;
        why.ShouldContain("Break-glass");
        why.ShouldContain(GoodReason);
        var grant = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.AsNoTracking().SingleAsync(b => b.UserId == user.Id));

        // The data-protection officer finds it in the queue, with what was looked at, and reviews it.
        var dpoUser = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var dpo = await app.SignInAsync(dpoUser);
        var home = await dpo.GetDocumentAsync("/");
        var waiting = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.CountAsync(b => b.ReviewedAt == null));
        home.QuerySelector("#break-glass-waiting")!.TextContent.ShouldBe($"({waiting} waiting)");
        var queue = await dpo.GetDocumentAsync("/audit/break-glass");
        var row = queue.QuerySelector($"#grant-{grant.Id}")!.TextContent;
        row.ShouldContain(GoodReason);
        row.ShouldContain(pupil.Id.ToString());
        row.ShouldContain("Active");
        row.ShouldContain($"Youth Service {p.Suffix}");
        var review = await dpo.GetDocumentAsync($"/audit/break-glass/{grant.Id}");
        var entries = review.QuerySelector("#entries tbody")!.TextContent;
        entries.ShouldContain("Break-glass");
        entries.ShouldContain("person");
        entries.ShouldContain("break-glass");

        var reviewed = await dpo.PostFormAsync($"/audit/break-glass/{grant.Id}", new() { ["Note"] = "Justified: the police had asked the youth service to help." });

        reviewed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.AsNoTracking().SingleAsync(b => b.Id == grant.Id));
        stored.ReviewedAt.ShouldNotBeNull();
        stored.ReviewedByUserId.ShouldBe(dpoUser.Id);
        stored.ReviewNote.ShouldBe("Justified: the police had asked the youth service to help.");
        (await dpo.GetDocumentAsync("/audit/break-glass")).QuerySelector($"#grant-{grant.Id}").ShouldBeNull();

        // Once the grant runs out the record is closed again.
        await app.AsSystemAsync(db => db.BreakGlassGrants.Where(b => b.Id == grant.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(b => b.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        (await client.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ReviewBreakGlass_EmptyNote_ShowsErrorAndLeavesItWaiting()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (grantId, _, _) = await OpenGrantAsync(p);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        var response = await dpo.PostFormAsync($"/audit/break-glass/{grantId}", new() { ["Note"] = "  " });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#Note-error")!.TextContent.ShouldContain("Enter your review note");
        (await app.AsSystemAsync((db, _) => db.BreakGlassGrants.SingleAsync(b => b.Id == grantId))).ReviewedAt.ShouldBeNull();
    }

    [Fact]
    public async Task ReviewBreakGlass_OwnGrant_IsRefused()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (grantId, _, dpo) = await OpenGrantAsync(p, Roles.DataProtectionOfficer);

        var response = await dpo.PostFormAsync($"/audit/break-glass/{grantId}", new() { ["Note"] = "Fine, it was me." });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#Note-error")!.TextContent.ShouldContain("opened yourself");
        (await app.AsSystemAsync((db, _) => db.BreakGlassGrants.SingleAsync(b => b.Id == grantId))).ReviewedAt.ShouldBeNull();
    }

    [Fact]
    public async Task ReviewBreakGlass_UnknownGrant_Returns404()
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        (await dpo.GetAsync($"/audit/break-glass/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>A grant opened through the page by a new user of the youth service (with the given roles).</summary>
    private async Task<(Guid GrantId, TestUser User, HttpClient Client)> OpenGrantAsync(TestPartnership p, params string[] roles)
    {
        var pupil = await p.YoungPersonAsync("Kit", "Rowe", new DateOnly(2012, 1, 1), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.Youth, roles);
        var client = await app.SignInAsync(user);
        (await client.PostFormAsync($"/people/{pupil.Id}/break-glass", new() { ["Reason"] = GoodReason })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var grantId = await app.AsSystemAsync((db, _) => db.BreakGlassGrants.Where(b => b.UserId == user.Id).Select(b => b.Id).SingleAsync());
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.UserId == user.Id && a.PersonId == pupil.Id && a.Action == AuditAction.BreakGlass))).ShouldBeTrue();
        return (grantId, user, client);
    }
}

public sealed class BreakGlassTestsOnSqlite(SqliteApp app) : BreakGlassTests(app), IClassFixture<SqliteApp>;

public sealed class BreakGlassTestsOnPostgres(PostgresApp app) : BreakGlassTests(app), IClassFixture<PostgresApp>;
