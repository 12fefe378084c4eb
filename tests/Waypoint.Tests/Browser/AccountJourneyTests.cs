using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>
/// A new user's first visit in real Chromium: the public API reference, a mistyped password, setting
/// up the authenticator, their account page and signing out. Every page is checked with axe-core.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class AccountJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task FirstSignIn_WithoutAuthenticator_EnrolsThenReachesAccountAndSignsOut()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await NotYetEnrolledAsync(await p.UserAsync(p.FamilyCentre));
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        var heading = page.GetByRole(AriaRole.Heading, new() { Level = 1 });

        // The reference is public, like the OpenAPI document beside it, so integrators can read it first.
        await browser.OpenAsync("/api-reference");
        await Expect(heading).ToHaveTextAsync("API reference");
        await Expect(page.GetByRole(AriaRole.Table, new() { Name = "Responses of POST /api/v1/token" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" })).ToHaveCountAsync(0);

        await browser.OpenAsync("/sign-in");
        await page.GetByLabel("Email address").FillAsync(user.Email);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));
        await browser.ExpectErrorSummaryAsync("The email address or password is not right");
        await page.GetByLabel("Password").FillAsync(user.Password);
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));

        await Expect(page).ToHaveURLAsync(new Regex("/sign-in/enrol(\\?|$)"));
        await Expect(heading).ToHaveTextAsync("Set up your authenticator app");
        await page.GetByLabel("Code from the app").FillAsync("12345");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm and sign in" }));
        await browser.ExpectErrorSummaryAsync("Enter the 6-digit code your authenticator app shows for Waypoint");
        // The key is shown again after the error; the test's own TOTP stands in for the phone.
        var key = await page.Locator(".govuk-inset-text code").First.InnerTextAsync();
        await page.GetByLabel("Code from the app").FillAsync(Totp.Code(key));
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Confirm and sign in" }));
        await Expect(page).ToHaveURLAsync(app.RootUri.ToString());
        await Expect(page.Locator("header")).ToContainTextAsync(p.FamilyCentre.Name);

        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "API" }));
        await Expect(heading).ToHaveTextAsync("API reference");
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "API" })).ToHaveAttributeAsync("aria-current", "page");

        await browser.FollowAsync(menu.GetByRole(AriaRole.Link, new() { Name = "Your account" }));
        await page.GetByLabel("Current password").FillAsync("not-the-password");
        await page.GetByLabel("New password").FillAsync("copper-lantern-meadow");
        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Change password" }));
        await browser.ExpectErrorSummaryAsync("Your current password is not right");
        await Expect(page.Locator("#CurrentPassword-error")).ToContainTextAsync("Your current password is not right");

        await browser.FollowAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true }));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-out$"));
        await Expect(heading).ToHaveTextAsync("You have signed out");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out", Exact = true })).ToHaveCountAsync(0);
        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "Sign in again" }));
        await Expect(page).ToHaveURLAsync(new Regex("/sign-in$"));
    }

    /// <summary>The account as an administrator leaves it: a password, and no authenticator until the first sign-in.</summary>
    private async Task<TestUser> NotYetEnrolledAsync(TestUser user)
    {
        await app.AsSystemAsync(async (_, services) =>
        {
            var users = services.GetRequiredService<UserManager<WaypointUser>>();
            var account = await users.FindByIdAsync(user.Id.ToString()) ?? throw new InvalidOperationException("The test user has gone.");
            await users.SetTwoFactorEnabledAsync(account, false);
            await users.RemoveAuthenticationTokenAsync(account, "[AspNetUserStore]", "AuthenticatorKey");
            return true;
        });
        return user with { TotpSecret = "" };
    }
}
