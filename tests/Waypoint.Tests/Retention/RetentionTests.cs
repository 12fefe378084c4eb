using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Retention;

/// <summary>The retention schedule, the DPO's review queue and disposal (issue 16), on each provider.</summary>
public abstract class RetentionTests(WaypointApp app)
{
    private static string Marker() => "mk" + Guid.NewGuid().ToString("N")[..20];

    private async Task<HttpClient> DpoAsync(TestPartnership p) => await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

    private Task<RetentionReview?> ReviewOfAsync(Guid recordId) =>
        app.AsSystemAsync((db, _) => db.RetentionReviews.AsNoTracking().FirstOrDefaultAsync(r => r.RecordId == recordId));

    private static async Task FindDueAsync(HttpClient dpo)
    {
        var found = await dpo.PostFormAsync("/retention?handler=Find", [], "/retention");
        found.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task FindDue_ClosedCaseAndReportPastTheirPeriod_QueuedWithWhyAndNoNames()
    {
        var p = await TestPartnership.CreateAsync(app);
        var old = await RetentionWorld.ClosedCaseAsync(app, p, Marker(), DateTimeOffset.UtcNow.AddYears(-7));
        var recent = await RetentionWorld.ClosedCaseAsync(app, p, Marker(), DateTimeOffset.UtcNow.AddYears(-1));
        var report = await RetentionWorld.ReportNotTakenFurtherAsync(app, p, Marker(), DateTimeOffset.UtcNow.AddYears(-3));
        var dpo = await DpoAsync(p);

        await FindDueAsync(dpo);

        var caseReview = (await ReviewOfAsync(old.Case.Id)).ShouldNotBeNull();
        caseReview.RecordType.ShouldBe(RetentionRecordType.EarlyHelpCase);
        caseReview.Status.ShouldBe(RetentionReviewStatus.Due);
        caseReview.DueOn.ShouldBe(DateOnly.FromDateTime(old.Case.ClosedAt!.Value.UtcDateTime).AddYears(6));
        (await ReviewOfAsync(report.Id)).ShouldNotBeNull().RecordType.ShouldBe(RetentionRecordType.ConcernNotTakenFurther);
        (await ReviewOfAsync(recent.Case.Id)).ShouldBeNull();
        // The report that opened a case goes with the case, not on its own.
        (await ReviewOfAsync(old.ReportId)).ShouldBeNull();

        var queue = await dpo.GetDocumentAsync("/retention");
        var row = queue.QuerySelector($"#review-{caseReview.Id}")!.TextContent;
        row.ShouldContain("Early-help case");
        row.ShouldContain("kept 6 years from closure");
        row.ShouldContain($"Youth Service {p.Suffix}");
        queue.Body!.TextContent.ShouldNotContain(old.Child.FamilyName);
        queue.Body!.TextContent.ShouldNotContain(old.Child.GivenName);

        // Looking again queues nothing twice.
        await FindDueAsync(dpo);
        (await app.AsSystemAsync((db, _) => db.RetentionReviews.CountAsync(r => r.RecordId == old.Case.Id))).ShouldBe(1);
    }

    [Fact]
    public async Task Dispose_ClosedCase_LeavesNoTraceOfItsContentInAnyTable()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var old = await RetentionWorld.ClosedCaseAsync(app, p, marker, DateTimeOffset.UtcNow.AddYears(-7));
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBeGreaterThan(8);
        var dpo = await DpoAsync(p);
        await FindDueAsync(dpo);
        var review = (await ReviewOfAsync(old.Case.Id)).ShouldNotBeNull();

        var confirm = await dpo.GetDocumentAsync($"/retention/dispose?id={review.Id}");
        confirm.QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        var disposed = await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", []);

        disposed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        disposed.LocationPath().ShouldBe("/retention");
        (await dpo.GetDocumentAsync("/retention")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("early-help case has been disposed of");
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
        await app.AsSystemAsync(async db =>
        {
            (await db.Cases.AnyAsync(c => c.Id == old.Case.Id)).ShouldBeFalse();
            (await db.Referrals.AnyAsync(r => r.Id == old.ReportId)).ShouldBeFalse();
            (await db.Involvements.AnyAsync(i => i.SourceId == old.Case.Id || i.SourceId == old.ReportId)).ShouldBeFalse();
            (await db.Notifications.AnyAsync(n => n.Link.Contains(old.Case.Id.ToString()))).ShouldBeFalse();
            // Consent has its own schedule: kept, no longer tied to the case. The person stays in the register.
            (await db.ConsentRecords.SingleAsync(c => c.Id == old.ConsentId)).CaseId.ShouldBeNull();
            (await db.People.AnyAsync(x => x.Id == old.Child.Id)).ShouldBeTrue();
            var stored = await db.RetentionReviews.SingleAsync(r => r.Id == review.Id);
            stored.Status.ShouldBe(RetentionReviewStatus.Disposed);
            var audit = await db.AuditEntries.Where(a => a.Action == AuditAction.Delete && a.Subject.StartsWith("retention.dispose")).ToListAsync();
            var row = audit.Where(a => a.Subject.Contains(review.Id.ToString())).ShouldHaveSingleItem();
            row.Subject.ShouldBe($"retention.dispose EarlyHelpCase (review {review.Id})");
            row.PersonId.ShouldBeNull();
        });
    }

    [Fact]
    public async Task Dispose_ReportNotTakenFurther_RemovesItAndTheReportersGrant()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var report = await RetentionWorld.ReportNotTakenFurtherAsync(app, p, marker, DateTimeOffset.UtcNow.AddYears(-3));
        var dpo = await DpoAsync(p);
        await FindDueAsync(dpo);
        var review = (await ReviewOfAsync(report.Id)).ShouldNotBeNull();

        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
        (await app.AsSystemAsync((db, _) => db.Involvements.AnyAsync(i => i.SourceId == report.Id))).ShouldBeFalse();
    }

    [Fact]
    public async Task Dispose_UnderLegalHold_RefusedWithTheReasonAndNothingRemoved()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var old = await RetentionWorld.ClosedCaseAsync(app, p, marker, DateTimeOffset.UtcNow.AddYears(-8));
        var dpo = await DpoAsync(p);
        await FindDueAsync(dpo);
        var review = (await ReviewOfAsync(old.Case.Id)).ShouldNotBeNull();
        var held = await dpo.PostFormAsync($"/retention/review?id={review.Id}&handler=Hold", new() { ["HoldReason"] = "Family court proceedings 2026/0042" }, $"/retention/review?id={review.Id}");
        held.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await dpo.GetDocumentAsync($"/retention/review?id={review.Id}");
        page.QuerySelector("#hold")!.TextContent.ShouldContain("Family court proceedings 2026/0042");
        page.QuerySelector("#dispose").ShouldBeNull();

        var response = await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", []);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#refusal")!.TextContent.ShouldContain("legal hold");
        (await app.AsSystemAsync((db, _) => db.Cases.AnyAsync(c => c.Id == old.Case.Id))).ShouldBeTrue();
        (await ReviewOfAsync(old.Case.Id))!.Status.ShouldBe(RetentionReviewStatus.Due);

        // Lifted, the hold no longer stands in the way.
        (await dpo.PostFormAsync($"/retention/review?id={review.Id}&handler=Lift", [], $"/retention/review?id={review.Id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Extend_WithReasonAndDate_KeepsTheRecordUntilThen()
    {
        var p = await TestPartnership.CreateAsync(app);
        var report = await RetentionWorld.ReportNotTakenFurtherAsync(app, p, Marker(), DateTimeOffset.UtcNow.AddYears(-3));
        var dpo = await DpoAsync(p);
        await FindDueAsync(dpo);
        var review = (await ReviewOfAsync(report.Id)).ShouldNotBeNull();
        var until = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(6);
        var url = $"/retention/review?id={review.Id}&handler=Extend";

        var noReason = await dpo.PostFormAsync(url, new() { ["Until.Day"] = $"{until.Day}", ["Until.Month"] = $"{until.Month}", ["Until.Year"] = $"{until.Year}" }, $"/retention/review?id={review.Id}");
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await noReason.Content.ReadAsStringAsync()).QuerySelector("#Reason-error")!.TextContent.ShouldContain("Say why");
        var past = await dpo.PostFormAsync(url, new() { ["Reason"] = "Sibling's case still open", ["Until.Day"] = "1", ["Until.Month"] = "1", ["Until.Year"] = "2020" }, $"/retention/review?id={review.Id}");
        Clients.Parse(await past.Content.ReadAsStringAsync()).QuerySelector("#Until-error")!.TextContent.ShouldContain("future");
        (await ReviewOfAsync(report.Id))!.Status.ShouldBe(RetentionReviewStatus.Due);

        var kept = await dpo.PostFormAsync(url, new() { ["Reason"] = "Sibling's case still open", ["Until.Day"] = $"{until.Day}", ["Until.Month"] = $"{until.Month}", ["Until.Year"] = $"{until.Year}" }, $"/retention/review?id={review.Id}");

        kept.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = (await ReviewOfAsync(report.Id))!;
        stored.Status.ShouldBe(RetentionReviewStatus.Extended);
        stored.ExtendedUntil.ShouldBe(until);
        stored.ExtensionReason.ShouldBe("Sibling's case still open");
        var queue = await dpo.GetDocumentAsync("/retention");
        queue.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("kept until");
        queue.QuerySelector($"#due #review-{review.Id}").ShouldBeNull();
        queue.QuerySelector($"#extended #review-{review.Id}").ShouldNotBeNull();
        // Extended, it cannot be disposed of until it comes back.
        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.OK);

        // When the date comes the record is back in the queue.
        await app.AsSystemAsync(db => db.RetentionReviews.Where(r => r.Id == review.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.ExtendedUntil, DateOnly.FromDateTime(DateTime.UtcNow))));
        await FindDueAsync(dpo);
        (await ReviewOfAsync(report.Id))!.Status.ShouldBe(RetentionReviewStatus.Due);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    public async Task SetSchedule_PeriodNotAboveZero_RefusedAndUnchanged(string period)
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await DpoAsync(p);
        var before = await app.AsSystemAsync((db, _) => db.RetentionSchedules.AsNoTracking().SingleAsync(s => s.RecordType == RetentionRecordType.MeetingItem));

        var response = await dpo.PostFormAsync("/retention/schedule?type=MeetingItem", new() { ["Period"] = period, ["Unit"] = "Years", ["Trigger"] = "Closure" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector("#Period-error").ShouldNotBeNull();
        var after = await app.AsSystemAsync((db, _) => db.RetentionSchedules.AsNoTracking().SingleAsync(s => s.RecordType == RetentionRecordType.MeetingItem));
        after.Period.ShouldBe(before.Period);
        after.Trigger.ShouldBe(before.Trigger);
    }

    [Fact]
    public async Task SetSchedule_PartnershipAdmin_SavesAndAuditsTheChange()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var practitioner = await app.SignInAsync(await p.UserAsync(p.Hub));
        (await practitioner.GetAsync("/retention/schedules")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await admin.GetAsync("/retention/schedule?type=NoSuchRecord")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var response = await admin.PostFormAsync("/retention/schedule?type=Consent", new() { ["Period"] = "18", ["Unit"] = "Months", ["Trigger"] = "TwentyFifthBirthday", ["Basis"] = "Partnership policy 2026" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await admin.GetDocumentAsync("/retention/schedules");
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Consent: kept 18 months from the 25th birthday");
        page.QuerySelector("#schedule-Consent")!.TextContent.ShouldContain("18 months from the 25th birthday");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.Subject.StartsWith("retention.schedule Consent") && a.Basis == "partnership admin"))).ShouldBeTrue();
    }

    [Fact]
    public async Task Retention_NotTheDpo_IsForbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var practitioner = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        (await practitioner.GetAsync("/retention")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await practitioner.GetAsync("/dpo")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var dpo = await DpoAsync(p);
        (await dpo.GetAsync($"/retention/review?id={Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await dpo.GetAsync($"/retention/dispose?id={Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Dispose_PoliceFlagRemovedLongAgo_RemovesItsEvidence()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await p.YoungPersonAsync("Orla", "Vance", new DateOnly(2010, 4, 4));
        var flag = new PersonFlag
        {
            PersonId = child.Id,
            Kind = FlagKind.GangAssociated,
            Evidence = $"Evidence {marker}",
            OwnerOrganisationId = p.Police.Id,
            CategoryCode = RecordCategories.PoliceIntelligence,
            SetAt = DateTimeOffset.UtcNow.AddYears(-3),
            ReviewOn = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(-3).AddMonths(3),
            Status = FlagStatus.Removed,
            ReviewOutcome = $"Removed {marker}",
            ReviewedAt = DateTimeOffset.UtcNow.AddYears(-2),
        };
        await app.AsSystemAsync(async db =>
        {
            db.PersonFlags.Add(flag);
            await db.SaveChangesAsync();
        });
        var dpo = await DpoAsync(p);
        await FindDueAsync(dpo);
        var review = (await ReviewOfAsync(flag.Id)).ShouldNotBeNull();
        review.RecordType.ShouldBe(RetentionRecordType.PoliceFlag);

        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
    }

    [Fact]
    public async Task EndOverdue_TeamPlaceLongPastItsReview_EndedAndAudited_WithinGraceKept()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Pia", "Wren", new DateOnly(2011, 5, 5));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        Involvement Place(Organisation org, DateOnly review) => new()
        {
            PersonId = child.Id,
            OrganisationId = org.Id,
            Source = InvolvementSource.TeamAroundFamily,
            SourceId = Guid.NewGuid(),
            Reason = "Team",
            StartDate = today.AddMonths(-6),
            ReviewOn = review,
            AddedAt = DateTimeOffset.UtcNow.AddMonths(-6),
        };
        var lapsed = Place(p.Health, today.AddDays(-40));
        var late = Place(p.Housing, today.AddDays(-5));
        await app.AsSystemAsync(async db =>
        {
            db.Involvements.AddRange(lapsed, late);
            await db.SaveChangesAsync();
        });
        var health = await app.SignInAsync(await p.UserAsync(p.Health));
        var housing = await app.SignInAsync(await p.UserAsync(p.Housing));
        (await health.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ended = await app.AsSystemAsync((_, services) => services.GetRequiredService<Waypoint.Features.Retention.ReviewOverdueGrants>().EndOverdueAsync(CancellationToken.None));

        ended.ShouldBeGreaterThanOrEqualTo(1);
        await app.AsSystemAsync(async db =>
        {
            (await db.Involvements.SingleAsync(i => i.Id == lapsed.Id)).EndDate.ShouldBe(today.AddDays(-1));
            (await db.Involvements.SingleAsync(i => i.Id == late.Id)).EndDate.ShouldBeNull();
            (await db.AuditEntries.AnyAsync(a => a.PersonId == child.Id && a.Subject.Contains("ended (review due"))).ShouldBeTrue();
        });
        (await health.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await housing.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Dashboard_Dpo_ShowsRetentionAndBreakGlassCountsAndTheLastCheck()
    {
        var p = await TestPartnership.CreateAsync(app);
        await RetentionWorld.ClosedCaseAsync(app, p, Marker(), DateTimeOffset.UtcNow.AddYears(-7));
        var dpo = await DpoAsync(p);
        await FindDueAsync(dpo);
        (await dpo.PostFormAsync("/audit/verify", [])).StatusCode.ShouldBe(HttpStatusCode.OK);
        var expected = await app.AsSystemAsync((db, _) => db.RetentionReviews.CountAsync(r => r.Status == RetentionReviewStatus.Due));

        var page = await dpo.GetDocumentAsync("/dpo");

        var due = int.Parse(page.QuerySelector("#retention-due")!.TextContent.Trim()) + int.Parse(page.QuerySelector("#retention-overdue")!.TextContent.Trim());
        due.ShouldBe(expected);
        page.QuerySelector("#break-glass-unreviewed").ShouldNotBeNull();
        page.QuerySelector("#audit-verified")!.TextContent.ShouldContain("Last checked");
    }
}

public sealed class RetentionTestsOnSqlite(SqliteApp app) : RetentionTests(app), IClassFixture<SqliteApp>;

public sealed class RetentionTestsOnPostgres(PostgresApp app) : RetentionTests(app), IClassFixture<PostgresApp>;
