using System.Net;
using Shouldly;
using Waypoint.Tests.Access;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Home;

/// <summary>
/// Every persona of the access world gets a home page whose every link opens for them: no link
/// answers 403 or 404, because each is shown on the rule its page applies.
/// </summary>
public abstract class HomeLinksTests(AccessWorld world)
{
    public static TheoryData<string> Personas => new(AccessWorld.PersonaKeys);

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Home_EveryLinkFollowed_NoneRefusedOrMissing(string key)
    {
        var persona = world[key];
        var home = await persona.Pages.GetDocumentAsync("/");
        var links = home.QuerySelectorAll("a[href^='/']").Select(a => a.GetAttribute("href")!.Split('#')[0])
            .Where(href => href.Length > 0).Distinct().ToList();

        links.ShouldContain("/account");
        foreach (var link in links)
        {
            var response = await persona.Pages.GetAsync(link);
            var status = (int)response.StatusCode;
            status.ShouldBeLessThan(400, $"{key} follows {link} from home");
            if (status is >= 300 and < 400)
                response.LocationPath().ShouldNotStartWith("/sign-in", Case.Sensitive, $"{key} follows {link} from home");
        }
    }

    [Theory]
    [InlineData("police-practitioner", "/schools/dashboard")]
    [InlineData("police-practitioner", "/schools/top-ten")]
    [InlineData("school-practitioner", "/reports/consent")]
    [InlineData("analyst", "/people/new")]
    [InlineData("analyst", "/people")]
    [InlineData("analyst", "/my-work")]
    [InlineData("partnership-role-ended", "/hub")]
    public async Task Home_PageTheRoleCannotUse_NotLinked(string key, string path)
    {
        var home = await world[key].Pages.GetDocumentAsync("/");

        home.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!.Split('#')[0]).ShouldNotContain(path);
    }

    [Theory]
    [InlineData("hub-triage-for-district", "/hub")]
    [InlineData("hub-triage-for-district", "/schools/top-ten")]
    [InlineData("school-practitioner", "/schools/dashboard")]
    [InlineData("school-practitioner", "/schools/imports")]
    [InlineData("analyst", "/reports/consent")]
    [InlineData("data-protection-officer", "/audit")]
    [InlineData("organisation-admin", "/admin")]
    public async Task Home_PageTheRoleUses_Linked(string key, string path)
    {
        var home = await world[key].Pages.GetDocumentAsync("/");

        home.QuerySelectorAll("main a[href]").Select(a => a.GetAttribute("href")!.Split('#')[0]).ShouldContain(path);
    }
}

public sealed class HomeLinksTestsOnSqlite(SqliteAccessWorld world) : HomeLinksTests(world), IClassFixture<SqliteAccessWorld>;

public sealed class HomeLinksTestsOnPostgres(PostgresAccessWorld world) : HomeLinksTests(world), IClassFixture<PostgresAccessWorld>;
