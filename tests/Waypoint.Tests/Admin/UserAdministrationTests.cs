using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Admin;

/// <summary>Accounts as administrators manage them, over HTTP: who reaches which account, and what each change does to sessions and tokens.</summary>
public abstract class UserAdministrationTests(WaypointApp app)
{
    private const string NewPassword = "quartz-meadow-lantern";

    [Fact]
    public async Task DeactivateUser_SignedInAndTokenHolder_BothRefusedAtOnce()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var adminClient = await app.SignInAsync(admin);
        var target = await p.UserAsync(p.School);
        var browser = await app.SignInAsync(target);
        var api = await app.ApiClientAsync(target);
        (await browser.GetAsync("/people")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var response = await adminClient.PostFormAsync($"/admin/users/{target.Id}?handler=Deactivate", new(), formPage: $"/admin/users/{target.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await browser.GetAsync("/people");
        page.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        page.Headers.Location!.OriginalString.ShouldStartWith("/sign-in");
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await Should.ThrowAsync<InvalidOperationException>(() => app.SignInAsync(target));
        var stored = await app.AsSystemAsync((db, _) => db.Users.AsNoTracking().SingleAsync(u => u.Id == target.Id));
        stored.IsActive.ShouldBeFalse();
        stored.DeactivatedAt.ShouldNotBeNull();
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.UserId == admin.Id && a.Subject.StartsWith("admin.user")).ToListAsync());
        var row = audited.ShouldHaveSingleItem();
        row.Subject.ShouldBe($"admin.user {target.Id} deactivated");
        row.Basis.ShouldBe("partnership admin");
        row.PersonId.ShouldBeNull();
    }

    [Fact]
    public async Task ReactivateUser_Deactivated_CanSignInAgain()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.School, Roles.OrganisationAdmin));
        var target = await p.UserAsync(p.School);
        await admin.PostFormAsync($"/admin/users/{target.Id}?handler=Deactivate", new(), formPage: $"/admin/users/{target.Id}");

        var response = await admin.PostFormAsync($"/admin/users/{target.Id}?handler=Reactivate", new(), formPage: $"/admin/users/{target.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var client = await app.SignInAsync(target);
        (await client.GetAsync("/people")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var basis = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.Subject == $"admin.user {target.Id} reactivated").Select(a => a.Basis).SingleAsync());
        basis.ShouldBe("organisation admin");
    }

    [Fact]
    public async Task OrganisationAdmin_OtherOrganisationsUser_NotListedAndNotFound()
    {
        var p = await TestPartnership.CreateAsync(app);
        var orgAdmin = await p.UserAsync(p.School, Roles.OrganisationAdmin);
        var colleague = await p.UserAsync(p.School);
        var outsider = await p.UserAsync(p.OtherSchool);
        var client = await app.SignInAsync(orgAdmin);

        var list = await client.GetDocumentAsync("/admin/users");
        var detail = await client.GetAsync($"/admin/users/{outsider.Id}");
        var deactivate = await client.PostFormAsync($"/admin/users/{outsider.Id}?handler=Deactivate", new(), formPage: $"/admin/users/{colleague.Id}");
        var roles = await client.PostFormAsync($"/admin/users/{outsider.Id}?handler=Roles", new() { ["Roles"] = Roles.OrganisationAdmin }, formPage: $"/admin/users/{colleague.Id}");

        list.QuerySelectorAll("tbody a[href^='/admin/users/']").Select(a => a.GetAttribute("href")).Order()
            .ShouldBe(new[] { $"/admin/users/{orgAdmin.Id}", $"/admin/users/{colleague.Id}" }.Order());
        detail.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        deactivate.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        roles.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var stored = await app.AsSystemAsync((db, _) => db.Users.AsNoTracking().SingleAsync(u => u.Id == outsider.Id));
        stored.IsActive.ShouldBeTrue();
        (await RolesOfAsync(outsider.Id)).ShouldBe([Roles.Practitioner]);
    }

    [Fact]
    public async Task OrganisationAdmin_GrantsPartnershipAdmin_RefusedAndNothingChanges()
    {
        var p = await TestPartnership.CreateAsync(app);
        var orgAdmin = await p.UserAsync(p.School, Roles.OrganisationAdmin);
        var colleague = await p.UserAsync(p.School);
        var client = await app.SignInAsync(orgAdmin);
        var email = $"new-{p.Suffix}@test.invalid";

        var created = await client.PostFormAsync("/admin/users/new", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Pat Example",
            ["Input.OrganisationId"] = p.School.Id.ToString(),
            ["Input.Roles"] = Roles.PartnershipAdmin,
            ["Input.Password"] = NewPassword,
        });
        var otherOrganisation = await client.PostFormAsync("/admin/users/new", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Pat Example",
            ["Input.OrganisationId"] = p.OtherSchool.Id.ToString(),
            ["Input.Roles"] = Roles.Practitioner,
            ["Input.Password"] = NewPassword,
        });
        var promoted = await client.PostFormAsync($"/admin/users/{colleague.Id}?handler=Roles", new() { ["Roles"] = Roles.PartnershipAdmin }, formPage: $"/admin/users/{colleague.Id}");
        var newForm = await client.GetDocumentAsync("/admin/users/new");

        created.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await created.DocumentAsync()).QuerySelector("#Roles-error")!.TextContent.ShouldContain("Only a partnership administrator can grant the partnership administrator role");
        otherOrganisation.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await otherOrganisation.DocumentAsync()).ErrorSummary().ShouldContain("You can add accounts only to your own organisation");
        promoted.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await promoted.DocumentAsync()).QuerySelector("#Roles-error")!.TextContent.ShouldContain("Only a partnership administrator");
        (await app.AsSystemAsync((db, _) => db.Users.AnyAsync(u => u.Email == email))).ShouldBeFalse();
        (await RolesOfAsync(colleague.Id)).ShouldBe([Roles.Practitioner]);
        newForm.QuerySelectorAll("input[name='Input.Roles']").Select(i => i.GetAttribute("value")).ShouldNotContain(Roles.PartnershipAdmin);
        newForm.QuerySelectorAll("input[name='Input.Roles']").Select(i => i.GetAttribute("value")).ShouldNotContain(Roles.DataProtectionOfficer);
    }

    [Fact]
    public async Task CreateUser_ValidForm_FirstSignInEnrolsAuthenticator()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var client = await app.SignInAsync(admin);
        var email = $"youth-worker-{p.Suffix}@test.invalid";

        var response = await client.SubmitAsync("/admin/users/new", "main form", fields =>
        {
            fields.Set("Input.Email", email);
            fields.Set("Input.DisplayName", "Jo Rivers");
            fields.Set("Input.JobTitle", "Youth worker");
            fields.Set("Input.OrganisationId", p.Youth.Id.ToString());
            fields.Set("Input.Password", NewPassword);
            fields.Add(new("Input.Roles", Roles.OrganisationAdmin));
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        var stored = await app.AsSystemAsync((db, _) => db.Users.AsNoTracking().SingleAsync(u => u.Email == email));
        response.Headers.Location!.OriginalString.ShouldBe($"/admin/users/{stored.Id}");
        stored.OrganisationId.ShouldBe(p.Youth.Id);
        stored.TwoFactorEnabled.ShouldBeFalse();
        (await RolesOfAsync(stored.Id)).Order().ShouldBe(new[] { Roles.OrganisationAdmin, Roles.Practitioner }.Order());
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject.StartsWith($"admin.user {stored.Id} created") && a.UserId == admin.Id))).ShouldBe(1);

        var newcomer = app.Anonymous();
        var password = await newcomer.PostFormAsync("/sign-in", new() { ["Email"] = email, ["Password"] = NewPassword });
        password.Headers.Location!.OriginalString.ShouldStartWith("/sign-in/enrol");
        var enrol = await newcomer.GetDocumentAsync("/sign-in/enrol");
        var key = enrol.QuerySelector(".govuk-inset-text code")!.TextContent.Replace(" ", "", StringComparison.Ordinal);
        var enrolled = await newcomer.PostFormAsync("/sign-in/enrol", new() { ["Code"] = Totp.Code(key) });
        enrolled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await newcomer.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task CreateUser_CommonPassword_ShowsMessageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var email = $"common-{p.Suffix}@test.invalid";

        var response = await client.PostFormAsync("/admin/users/new", new()
        {
            ["Input.Email"] = email,
            ["Input.DisplayName"] = "Sam Common",
            ["Input.OrganisationId"] = p.Health.Id.ToString(),
            ["Input.Roles"] = Roles.Practitioner,
            ["Input.Password"] = "password123456",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.DocumentAsync();
        page.QuerySelector("#Password-error")!.TextContent.ShouldContain("commonly used");
        page.QuerySelector("#Password")!.GetAttribute("value").ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.Users.AnyAsync(u => u.Email == email))).ShouldBeFalse();
    }

    [Fact]
    public async Task ResetAuthenticator_SignedInUser_SignedOutAndMustEnrolAgain()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var target = await p.UserAsync(p.Police);
        var browser = await app.SignInAsync(target);

        var response = await client.PostFormAsync($"/admin/users/{target.Id}?handler=ResetAuthenticator", new(), formPage: $"/admin/users/{target.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await browser.GetAsync("/people")).Headers.Location!.OriginalString.ShouldStartWith("/sign-in");
        var (enabled, key) = await app.AsSystemAsync(async (db, services) =>
        {
            var users = services.GetRequiredService<UserManager<WaypointUser>>();
            var user = await users.FindByIdAsync(target.Id.ToString());
            return (user!.TwoFactorEnabled, await users.GetAuthenticatorKeyAsync(user));
        });
        enabled.ShouldBeFalse();
        key.ShouldNotBe(target.TotpSecret);
        var again = app.Anonymous();
        var password = await again.PostFormAsync("/sign-in", new() { ["Email"] = target.Email, ["Password"] = target.Password });
        password.Headers.Location!.OriginalString.ShouldStartWith("/sign-in/enrol");
    }

    [Fact]
    public async Task AddFunction_HubTriageOverDistrict_UserSeesPeopleLivingThereUntilEnded()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var person = await p.YoungPersonAsync("Ellis", "Marsh", new DateOnly(2012, 4, 4), ward: p.Ward);
        var hubUser = await p.UserAsync(p.Hub);
        var api = await app.ApiClientAsync(hubUser);
        (await api.GetAsync($"/api/v1/people/{person.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var added = await admin.PostFormAsync($"/admin/users/{hubUser.Id}?handler=AddFunction", new()
        {
            ["Function.Function"] = nameof(PartnershipFunction.HubTriage),
            ["Function.AreaId"] = p.District.Id.ToString(),
            ["Start.Day"] = today.Day.ToString(),
            ["Start.Month"] = today.Month.ToString(),
            ["Start.Year"] = today.Year.ToString(),
            ["End.Day"] = today.AddMonths(6).Day.ToString(),
            ["End.Month"] = today.AddMonths(6).Month.ToString(),
            ["End.Year"] = today.AddMonths(6).Year.ToString(),
        }, formPage: $"/admin/users/{hubUser.Id}");

        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync());
        (await api.GetAsync($"/api/v1/people/{person.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var grant = await app.AsSystemAsync((db, _) => db.PartnershipRoleGrants.AsNoTracking().SingleAsync(g => g.UserId == hubUser.Id));
        grant.AreaId.ShouldBe(p.District.Id);

        // Ending a function asks first and changes nothing until confirmed.
        var asked = await admin.PostFormAsync($"/admin/users/{hubUser.Id}?handler=EndFunction", new() { ["grantId"] = grant.Id.ToString() }, formPage: $"/admin/users/{hubUser.Id}");
        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector("#confirm-end-function").ShouldNotBeNull();
        (await api.GetAsync($"/api/v1/people/{person.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var ended = await admin.PostFormAsync($"/admin/users/{hubUser.Id}?handler=EndFunction", new() { ["grantId"] = grant.Id.ToString(), ["Confirmed"] = "true" }, formPage: $"/admin/users/{hubUser.Id}");

        ended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await api.GetAsync($"/api/v1/people/{person.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AddFunction_EndBeforeStart_ShowsMessageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var target = await p.UserAsync(p.Hub);

        var response = await admin.PostFormAsync($"/admin/users/{target.Id}?handler=AddFunction", new()
        {
            ["Function.Function"] = nameof(PartnershipFunction.InclusionOfficer),
            ["Function.AreaId"] = p.County.Id.ToString(),
            ["Start.Day"] = "10",
            ["Start.Month"] = "3",
            ["Start.Year"] = (DateTime.UtcNow.Year + 1).ToString(),
            ["End.Day"] = "9",
            ["End.Month"] = "3",
            ["End.Year"] = (DateTime.UtcNow.Year + 1).ToString(),
        }, formPage: $"/admin/users/{target.Id}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.DocumentAsync()).ErrorSummary().ShouldBe(["The end date must be the same as or after the start date"]);
        (await app.AsSystemAsync((db, _) => db.PartnershipRoleGrants.AnyAsync(g => g.UserId == target.Id))).ShouldBeFalse();
    }

    private Task<List<string>> RolesOfAsync(Guid userId) =>
        app.AsSystemAsync((db, _) => (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == userId select r.Name!).ToListAsync());
}

public sealed class UserAdministrationTestsOnSqlite(SqliteApp app) : UserAdministrationTests(app), IClassFixture<SqliteApp>;

public sealed class UserAdministrationTestsOnPostgres(PostgresApp app) : UserAdministrationTests(app), IClassFixture<PostgresApp>;
