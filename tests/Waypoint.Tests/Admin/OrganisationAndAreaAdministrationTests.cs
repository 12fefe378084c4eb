using System.Net;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Admin;

/// <summary>Organisations and areas as the partnership administrator keeps them, and who may reach the administration pages at all.</summary>
public abstract class OrganisationAndAreaAdministrationTests(WaypointApp app)
{
    private static readonly string[] PartnershipAdminPages =
    [
        "/admin/organisations", "/admin/organisations/new", "/admin/areas", "/admin/areas/new",
        "/admin/agreement", "/admin/agreement/versions", "/admin/agreement/draft",
    ];

    [Fact]
    public async Task AdminPages_Practitioner_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        foreach (var url in PartnershipAdminPages.Concat(["/admin", "/admin/users", "/admin/users/new", $"/admin/organisations/{p.School.Id}", $"/admin/users/{Guid.NewGuid()}"]))
        {
            var response = await client.GetAsync(url);
            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
            (await response.DocumentAsync()).QuerySelector("h1")!.TextContent.ShouldBe("You do not have access to this page", url);
        }
        var post = await client.PostFormAsync("/admin/organisations/new", new() { ["Input.Name"] = $"Sneaky {p.Suffix}", ["Input.Type"] = "Charity", ["Input.AreaId"] = p.County.Id.ToString() }, formPage: "/account");
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.Organisations.AnyAsync(o => o.Name == $"Sneaky {p.Suffix}"))).ShouldBeFalse();
    }

    [Fact]
    public async Task AdminPages_OrganisationAdmin_OnlyUsersAndLanding()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School, Roles.OrganisationAdmin));

        (await client.GetAsync("/admin")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/admin/users")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetAsync("/admin/users/new")).StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var url in PartnershipAdminPages)
            (await client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
        var landing = await client.GetDocumentAsync("/admin");
        landing.QuerySelectorAll("main a").Select(a => a.GetAttribute("href")).ShouldBe(["/admin/users", "/admin/safeguarding-lead"]);
    }

    [Fact]
    public async Task CreateOrganisation_UrnNotSixDigits_ShowsMessageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var name = $"Short URN School {p.Suffix}";

        var response = await client.PostFormAsync("/admin/organisations/new", School(name, "12345", p));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.DocumentAsync();
        page.ErrorSummary().ShouldBe(["The URN must be 6 digits, for example 137245"]);
        page.QuerySelector("#Urn-error")!.TextContent.ShouldContain("6 digits");
        page.QuerySelector("#Urn")!.GetAttribute("value").ShouldBe("12345");
        (await OrganisationsNamedAsync(name)).ShouldBe(0);
    }

    [Fact]
    public async Task CreateOrganisation_DuplicateUrn_ShowsMessageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var urn = UniqueUrn();
        var first = await client.PostFormAsync("/admin/organisations/new", School($"First School {p.Suffix}", urn, p));
        first.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var second = await client.PostFormAsync("/admin/organisations/new", School($"Second School {p.Suffix}", urn, p));

        second.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await second.DocumentAsync()).ErrorSummary().ShouldBe([$"URN {urn} already belongs to First School {p.Suffix}"]);
        (await app.AsSystemAsync((db, _) => db.Organisations.CountAsync(o => o.Urn == urn))).ShouldBe(1);
        (await OrganisationsNamedAsync($"Second School {p.Suffix}")).ShouldBe(0);
    }

    [Fact]
    public async Task CreateOrganisation_OverLongNameAndBadDfeNumber_ShowsMessagesAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var name = $"{p.Suffix} {new string('x', 160)}";
        var fields = School(name, UniqueUrn(), p);
        fields["Input.DfeNumber"] = "928/401";

        var response = await client.PostFormAsync("/admin/organisations/new", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.DocumentAsync();
        page.QuerySelector("#Name-error")!.TextContent.ShouldContain("The name must be 160 characters or fewer");
        page.QuerySelector("#DfeNumber-error")!.TextContent.ShouldContain("must be 7 digits");
        page.ErrorSummary().Count.ShouldBe(2);
        (await app.AsSystemAsync((db, _) => db.Organisations.AnyAsync(o => o.Name.StartsWith(p.Suffix)))).ShouldBeFalse();
    }

    [Fact]
    public async Task CreateOrganisation_Police_ListedUnderPoliceOnlyWithTypeFields()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var client = await app.SignInAsync(admin);
        var name = $"Neighbourhood Team {p.Suffix}";

        var response = await client.PostFormAsync("/admin/organisations/new", new()
        {
            ["Input.Name"] = name,
            ["Input.Type"] = "Police",
            ["Input.AreaId"] = p.District.Id.ToString(),
            ["Input.PoliceForce"] = "Nenshire Constabulary",
            ["Input.PoliceUnit"] = "Early intervention",
            ["Input.Urn"] = "999999",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = await app.AsSystemAsync((db, _) => db.Organisations.AsNoTracking().SingleAsync(o => o.Name == name));
        stored.Type.ShouldBe(OrganisationType.Police);
        stored.PoliceForce.ShouldBe("Nenshire Constabulary");
        stored.Urn.ShouldBeNull();
        response.Headers.Location!.OriginalString.ShouldBe($"/admin/organisations/{stored.Id}");
        (await client.GetDocumentAsync("/admin/organisations?type=Police")).QuerySelectorAll("tbody a").Select(a => a.TextContent).ShouldContain(name);
        (await client.GetDocumentAsync("/admin/organisations?type=School")).QuerySelectorAll("tbody a").Select(a => a.TextContent).ShouldNotContain(name);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.Subject == $"admin.organisation {stored.Id} created" && a.UserId == admin.Id && a.Basis == "partnership admin"))).ShouldBe(1);
    }

    [Fact]
    public async Task DeactivateOrganisation_ItsUsers_RefusedAtOnceAndAfterReactivationNeedANewToken()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var member = await p.UserAsync(p.Charity);
        var api = await app.ApiClientAsync(member);
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var deactivated = await client.PostFormAsync($"/admin/organisations/{p.Charity.Id}?handler=Deactivate", new(), formPage: $"/admin/organisations/{p.Charity.Id}");

        deactivated.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var reactivated = await client.PostFormAsync($"/admin/organisations/{p.Charity.Id}?handler=Reactivate", new(), formPage: $"/admin/organisations/{p.Charity.Id}");
        reactivated.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await api.GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        (await (await app.ApiClientAsync(member)).GetAsync("/api/v1/me")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AddArea_WardDirectlyInCounty_RefusedAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var name = $"Stray Ward {p.Suffix}";

        var ward = await client.PostFormAsync("/admin/areas/new", new() { ["Kind"] = "Ward", ["parent"] = p.County.Id.ToString(), ["Name"] = name });
        var district = await client.PostFormAsync("/admin/areas/new", new() { ["Kind"] = "District", ["Name"] = name });

        ward.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ward.DocumentAsync()).ErrorSummary().ShouldBe(["A ward must sit in a district: select its district"]);
        (await district.DocumentAsync()).ErrorSummary().ShouldBe(["A district must sit in a county: select its county"]);
        (await app.AsSystemAsync((db, _) => db.Areas.AnyAsync(a => a.Name == name))).ShouldBeFalse();
    }

    [Fact]
    public async Task AddArea_WardInDistrict_AppearsUnderItInTheTree()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var name = $"New Ward {p.Suffix}";

        var response = await client.PostFormAsync("/admin/areas/new", new() { ["Kind"] = "Ward", ["parent"] = p.OtherDistrict.Id.ToString(), ["Name"] = name, ["Code"] = "E05000001" }, formPage: $"/admin/areas/new?parent={p.OtherDistrict.Id}");
        var duplicate = await client.PostFormAsync("/admin/areas/new", new() { ["Kind"] = "Ward", ["parent"] = p.OtherDistrict.Id.ToString(), ["Name"] = name.ToUpperInvariant() });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var tree = await client.GetDocumentAsync("/admin/areas");
        var districtItem = tree.QuerySelectorAll("#area-tree li").Single(li => li.QuerySelector("h3")?.TextContent.Contains(p.OtherDistrict.Name) == true);
        districtItem.QuerySelectorAll("ul li").Select(li => li.TextContent).ShouldContain(t => t.Contains(name) && t.Contains("E05000001"));
        (await duplicate.DocumentAsync()).ErrorSummary().ShouldHaveSingleItem().ShouldContain("already a ward called");
        (await app.AsSystemAsync((db, _) => db.Areas.CountAsync(a => a.ParentId == p.OtherDistrict.Id))).ShouldBe(2);
    }

    private static Dictionary<string, string> School(string name, string urn, TestPartnership p) => new()
    {
        ["Input.Name"] = name,
        ["Input.Type"] = "School",
        ["Input.AreaId"] = p.District.Id.ToString(),
        ["Input.Urn"] = urn,
        ["Input.Phase"] = "Primary",
    };

    // Random across the app's shared database: one clash in 900,000, far below the chance of anything else going wrong.
    private static string UniqueUrn() => RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString();

    private Task<int> OrganisationsNamedAsync(string name) =>
        app.AsSystemAsync((db, _) => db.Organisations.CountAsync(o => o.Name == name));
}

public sealed class OrganisationAndAreaAdministrationTestsOnSqlite(SqliteApp app) : OrganisationAndAreaAdministrationTests(app), IClassFixture<SqliteApp>;

public sealed class OrganisationAndAreaAdministrationTestsOnPostgres(PostgresApp app) : OrganisationAndAreaAdministrationTests(app), IClassFixture<PostgresApp>;
