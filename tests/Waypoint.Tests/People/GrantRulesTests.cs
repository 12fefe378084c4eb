using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// What decides who may see a child cannot be changed by people who should not change it: the
/// reproductions of issue 10's "grants nobody checks", each on both databases.
/// </summary>
public abstract class GrantRulesTests(WaypointApp app)
{
    private const string GoodReason = "Police called: the child was found alone at night and may be at risk.";
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static Dictionary<string, string> TeamForm(Organisation organisation, DateOnly? start, DateOnly? end)
    {
        var form = new Dictionary<string, string> { ["OrganisationId"] = organisation.Id.ToString(), ["Reason"] = "Support at home" };
        if (start is { } s)
            (form["Start.Day"], form["Start.Month"], form["Start.Year"]) = (s.Day.ToString(), s.Month.ToString(), s.Year.ToString());
        if (end is { } e)
            (form["End.Day"], form["End.Month"], form["End.Year"]) = (e.Day.ToString(), e.Month.ToString(), e.Year.ToString());
        return form;
    }

    private Task<int> InvolvementsAsync(Person person) =>
        app.AsSystemAsync((db, _) => db.Involvements.CountAsync(i => i.PersonId == person.Id));

    [Fact]
    public async Task AddToTeam_BreakGlassReader_RefusedAndNothingOutlivesTheBreakGlass()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Nia", "Rook", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var nurse = await app.SignInAsync(await p.UserAsync(p.Health));
        var charity = await app.SignInAsync(await p.UserAsync(p.Charity));
        (await nurse.PostFormAsync($"/people/{pupil.Id}/break-glass", new() { ["Reason"] = GoodReason })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await nurse.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await nurse.GetAsync($"/people/{pupil.Id}/team/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        foreach (var org in new[] { p.Health, p.Charity })
        {
            var response = await nurse.PostFormAsync($"/people/{pupil.Id}/team/new", TeamForm(org, Today, Today.AddMonths(1)), formPage: $"/people/{pupil.Id}");
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, org.Name);
        }
        (await InvolvementsAsync(pupil)).ShouldBe(0);

        // The break-glass runs out (its expiry moved to the past, as the clock would).
        await app.AsSystemAsync(db => db.BreakGlassGrants.Where(b => b.PersonId == pupil.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        (await nurse.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await charity.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AddToTeam_OwnOrganisationBackDatedOrWithoutEnd_RefusedWithMessagesAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ola", "Finch", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var url = $"/people/{pupil.Id}/team/new";

        var cases = new (Dictionary<string, string> Form, string Message)[]
        {
            (TeamForm(p.School, Today, Today.AddMonths(1)), "cannot add itself"),
            (TeamForm(p.Youth, Today.AddDays(-30), Today.AddMonths(1)), "never back-dated"),
            (TeamForm(p.Youth, Today, null), "Enter the date the access ends"),
            (TeamForm(p.Youth, Today, Today.AddMonths(13)), "at most 12 months"),
        };
        foreach (var (form, message) in cases)
        {
            var response = await school.PostFormAsync(url, form);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, message);
            Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain(message);
        }
        (await InvolvementsAsync(pupil)).ShouldBe(0);
    }

    [Fact]
    public async Task AddToTeam_WithinTheRules_GrantedUntilItsEndAndAuditedAsAGrant()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Pia", "Lark", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var schoolUser = await p.UserAsync(p.School);
        var school = await app.SignInAsync(schoolUser);
        var youth = await app.SignInAsync(await p.UserAsync(p.Youth));

        var response = await school.PostFormAsync($"/people/{pupil.Id}/team/new", TeamForm(p.Youth, Today, Today.AddMonths(2)));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await school.GetDocumentAsync(response.Headers.Location!.OriginalString);
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("added to the team");
        (await youth.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var grant = await app.AsSystemAsync((db, _) => db.Involvements.SingleAsync(i => i.PersonId == pupil.Id));
        grant.EndDate.ShouldBe(Today.AddMonths(2));
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == pupil.Id && a.UserId == schoolUser.Id
            && a.Action == AuditAction.Create && a.Subject.StartsWith("grant:team")))).ShouldBe(1);
    }

    [Fact]
    public async Task AddFunction_ToOwnAccountOrTheDataProtectionOfficer_RefusedAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var adminUser = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var admin = await app.SignInAsync(adminUser);
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);

        foreach (var target in new[] { adminUser, dpo })
        {
            var response = await admin.PostFormAsync($"/admin/users/{target.Id}?handler=AddFunction", new()
            {
                ["Function.Function"] = nameof(PartnershipFunction.HubTriage),
                ["Function.AreaId"] = p.County.Id.ToString(),
                ["Start.Day"] = Today.Day.ToString(),
                ["Start.Month"] = Today.Month.ToString(),
                ["Start.Year"] = Today.Year.ToString(),
                ["End.Day"] = Today.AddMonths(1).Day.ToString(),
                ["End.Month"] = Today.AddMonths(1).Month.ToString(),
                ["End.Year"] = Today.AddMonths(1).Year.ToString(),
            }, formPage: $"/admin/users/{target.Id}");

            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("cannot");
        }
        (await app.AsSystemAsync((db, _) => db.PartnershipRoleGrants.CountAsync(g => g.UserId == adminUser.Id || g.UserId == dpo.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Address_HiddenByTheAgreement_PostRefusedAndNoResidentChanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Rae", "Holt", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var sibling = await p.YoungPersonAsync("Sam", "Holt", new DateOnly(2014, 4, 4));
        var household = new Household { AddressLine1 = "9 Quiet Lane", Town = "Brackton", Postcode = "NN8 2CD", AreaId = p.Ward.Id, OwnerOrganisationId = p.Health.Id };
        await app.AsSystemAsync(async db =>
        {
            db.Households.Add(household);
            await db.SaveChangesAsync();
            await db.People.Where(x => x.Id == pupil.Id || x.Id == sibling.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.HouseholdId, household.Id));
        });
        // This partnership's agreement keeps health's family records from schools.
        await TestAgreement.PublishWithoutAsync(app, r => r.CategoryCode == RecordCategories.Family
            && r.OwnerType == OrganisationType.Health && r.ReaderType == OrganisationType.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var form = await school.GetDocumentAsync($"/people/{pupil.Id}/address");
        form.Body!.TextContent.ShouldNotContain("Quiet Lane");
        var response = await school.PostFormAsync($"/people/{pupil.Id}/address", new() { ["AddressLine1"] = "1 Other Road", ["Town"] = "Brackton", ["Postcode"] = "NN8 1AB" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("not shared with your organisation");
        (await app.AsSystemAsync((db, _) => db.Households.AsNoTracking().SingleAsync(h => h.Id == household.Id))).AddressLine1.ShouldBe("9 Quiet Lane");
    }

    [Fact]
    public async Task Address_Changed_AuditedAgainstEveryResident()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Tam", "Vale", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var sibling = await p.YoungPersonAsync("Uma", "Vale", new DateOnly(2014, 4, 4));
        var household = new Household { AddressLine1 = "3 Mill Row", Town = "Brackton", Postcode = "NN8 3EF", AreaId = p.Ward.Id, OwnerOrganisationId = p.School.Id };
        await app.AsSystemAsync(async db =>
        {
            db.Households.Add(household);
            await db.SaveChangesAsync();
            await db.People.Where(x => x.Id == pupil.Id || x.Id == sibling.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.HouseholdId, household.Id));
        });
        var schoolUser = await p.UserAsync(p.School);
        var school = await app.SignInAsync(schoolUser);

        var response = await school.PostFormAsync($"/people/{pupil.Id}/address", new() { ["AddressLine1"] = "4 Mill Row", ["Town"] = "Brackton", ["Postcode"] = "NN8 3EF" });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == schoolUser.Id && a.Subject == "person.address" && a.Action == AuditAction.Update)
            .Select(a => a.PersonId).ToListAsync());
        audited.ShouldBe(new Guid?[] { pupil.Id, sibling.Id }, ignoreOrder: true);
    }

    [Fact]
    public async Task Edit_WardBySchool_KeptAndOnlyAPartnershipRoleMovesIt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Vic", "Wren", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        await app.AsSystemAsync(db => db.People.Where(x => x.Id == pupil.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.OwnerOrganisationId, p.Hub.Id)));
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var hub = await app.SignInAsync(hubUser);
        Dictionary<string, string> Form(Area ward) => new()
        {
            ["GivenName"] = "Vic",
            ["FamilyName"] = "Wren",
            ["Dob.Day"] = "4",
            ["Dob.Month"] = "4",
            ["Dob.Year"] = "2012",
            ["Sex"] = "",
            ["WardId"] = ward.Id.ToString(),
        };

        (await school.GetDocumentAsync($"/people/{pupil.Id}/edit")).QuerySelector("#ward-fixed").ShouldNotBeNull();
        (await school.PostFormAsync($"/people/{pupil.Id}/edit", Form(p.OtherWard))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.People.AsNoTracking().SingleAsync(x => x.Id == pupil.Id))).AreaId.ShouldBe(p.Ward.Id);

        (await hub.PostFormAsync($"/people/{pupil.Id}/edit", Form(p.OtherWard))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.People.AsNoTracking().SingleAsync(x => x.Id == pupil.Id))).AreaId.ShouldBe(p.OtherWard.Id);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == pupil.Id && a.UserId == hubUser.Id && a.Subject.StartsWith("grant:area")))).ShouldBe(1);
    }

    [Fact]
    public async Task Alert_AnotherAgencyThatMayReadIt_CannotCloseOrAcknowledgeIt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Wes", "Yale", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        await p.InvolveAsync(pupil, p.Police);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.PermanentExclusion,
                StartDate = Today.AddDays(-3),
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<SchoolRecordsChanged>().NotifyAsync([pupil.Id], CancellationToken.None);
            return true;
        });
        var alert = await app.AsSystemAsync((db, _) => db.Alerts.SingleAsync(a => a.PersonId == pupil.Id));
        var police = await app.SignInAsync(await p.UserAsync(p.Police));
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var page = await police.GetDocumentAsync($"/alerts/{alert.Id}");
        page.QuerySelector("#not-addressed").ShouldNotBeNull();
        page.QuerySelector("#Acknowledge").ShouldBeNull();
        (await police.PostFormAsync($"/alerts/{alert.Id}?handler=Close", new() { ["CloseNote"] = "Not ours" }, formPage: $"/alerts/{alert.Id}"))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await police.PostFormAsync($"/alerts/{alert.Id}?handler=Acknowledge", [], formPage: $"/alerts/{alert.Id}"))
            .StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == alert.Id))).Status.ShouldBe(AlertStatus.New);

        (await school.PostFormAsync($"/alerts/{alert.Id}?handler=Acknowledge", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == alert.Id))).Status.ShouldBe(AlertStatus.Acknowledged);
    }
}

public sealed class GrantRulesTestsOnSqlite(SqliteApp app) : GrantRulesTests(app), IClassFixture<SqliteApp>;

public sealed class GrantRulesTestsOnPostgres(PostgresApp app) : GrantRulesTests(app), IClassFixture<PostgresApp>;
