using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Waypoint.Features.Notifications;
using Waypoint.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Waypoint.Tests.Browser;

/// <summary>A notice reaches a practitioner: the badge in the menu, the list, and the notice's own link. Axe checks each page.</summary>
[Collection(BrowserCollection.Name)]
public sealed class NotificationJourneyTests(BrowserApp app)
{
    [Fact]
    public async Task Notice_FromBadgeToList_OpensWhatItIsAboutAndClearsTheBadge()
    {
        var p = await TestPartnership.CreateAsync(app);
        var user = await p.UserAsync(p.Youth);
        await app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<INotifier>().NotifyAsync(
                new Notice([user.Id], "A referral you sent has an outcome", "The hub decided: advice and signposting.", "/account", "test"), CancellationToken.None);
            return true;
        });
        await using var browser = await BrowserSession.StartAsync(app.RootUri);
        var page = browser.Page;
        await browser.SignInAsync(user);

        var menu = page.GetByRole(AriaRole.Navigation, new() { Name = "Menu" });
        var notifications = menu.GetByRole(AriaRole.Link, new() { Name = "Notifications 1 unread" });
        await browser.FollowAsync(notifications);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Notifications");
        await Expect(page.GetByText("The hub decided: advice and signposting.")).ToBeVisibleAsync();

        await browser.FollowAsync(page.GetByRole(AriaRole.Link, new() { Name = "A referral you sent has an outcome" }));
        await Expect(page).ToHaveURLAsync(new Regex("/account$"));
        await Expect(menu.GetByRole(AriaRole.Link, new() { Name = "Notifications", Exact = true })).ToBeVisibleAsync();
    }
}
