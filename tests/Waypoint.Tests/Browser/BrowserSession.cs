using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Browser;

/// <summary>
/// One Chromium with a fresh profile, driving the app like a person would. Every page load goes
/// through <see cref="OpenAsync"/> or <see cref="FollowAsync"/>, which check the page with axe;
/// a page that loads any other way fails the next navigation, so no page escapes the check.
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumVariable = "WAYPOINT_CHROMIUM";
    private const string DebianChromium = "/usr/bin/chromium";
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(30);

    // The WCAG 2.2 AA rules; axe's "best-practice" rules are advice, not the standard we promise.
    private const string AxeRun = """
        async () => {
          if (typeof axe === "undefined") throw new Error("axe-core is not on the page");
          const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] } });
          const where = n => `${n.target.join(" ")} ${n.html.slice(0, 120)}: ${(n.failureSummary ?? "").replace(/\s+/g, " ").trim()}`;
          return result.violations.map(v => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.map(where).join("\n    ")}`);
        }
        """;

    private static readonly Lazy<string> AxeSource = new(ReadAxe);

    private readonly IPlaywright playwright;
    private readonly IBrowserContext context;
    private readonly string profile;
    private readonly List<string> checkedPages = [];
    private readonly Lock loads = new();
    private int documentsLoaded;
    private int documentsChecked;
    private TaskCompletionSource? nextLoad;

    private BrowserSession(IPlaywright playwright, IBrowserContext context, IPage page, string profile)
    {
        this.playwright = playwright;
        this.context = context;
        this.profile = profile;
        Page = page;
        Page.Load += (_, _) =>
        {
            lock (loads)
            {
                documentsLoaded++;
                nextLoad?.TrySetResult();
            }
        };
    }

    public IPage Page { get; }

    /// <summary>The address of every page axe has checked, in order.</summary>
    public IReadOnlyList<string> CheckedPages => checkedPages;

    public static async Task<BrowserSession> StartAsync(Uri root)
    {
        var chromium = ChromiumPath();
        var axe = AxeSource.Value;
        var profile = Directory.CreateTempSubdirectory("waypoint-chromium-").FullName;
        var playwright = await Playwright.CreateAsync();
        try
        {
            var context = await playwright.Chromium.LaunchPersistentContextAsync(profile, new BrowserTypeLaunchPersistentContextOptions
            {
                ExecutablePath = chromium,
                Headless = true,
                Args =
                [
                    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                ],
                BaseURL = root.ToString(),
                Locale = "en-GB",
                TimezoneId = "Europe/London",
                ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
            });
            context.SetDefaultTimeout((float)LoadTimeout.TotalMilliseconds);
            // An init script runs outside the page's content security policy, which rightly forbids
            // inline script; so axe is present on every page without weakening the CSP under test.
            await context.AddInitScriptAsync(axe);
            var page = context.Pages.Count > 0 ? context.Pages[0] : await context.NewPageAsync();
            return new BrowserSession(playwright, context, page, profile);
        }
        catch
        {
            playwright.Dispose();
            Directory.Delete(profile, recursive: true);
            throw;
        }
    }

    /// <summary>Goes to a path of the app and checks the page it ends on.</summary>
    public async Task<IResponse?> OpenAsync(string path)
    {
        IResponse? response = null;
        await NavigateAsync(async () => response = await Page.GotoAsync(path));
        return response;
    }

    /// <summary>Clicks a link or a submit button that loads a page, then checks that page.</summary>
    public Task FollowAsync(ILocator target) => NavigateAsync(() => target.ClickAsync());

    /// <summary>Signs in through the real pages: password, then the code from the authenticator.</summary>
    public async Task SignInAsync(TestUser user)
    {
        await OpenAsync("/sign-in");
        await Page.GetByLabel("Email address").FillAsync(user.Email);
        await Page.GetByLabel("Password").FillAsync(user.Password);
        await FollowAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Continue" }));
        await Assertions.Expect(Page).ToHaveURLAsync(new Regex("/sign-in/code(\\?|$)"));
        await Page.GetByLabel("Enter your security code").FillAsync(user.CurrentCode());
        await FollowAsync(Page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }));
    }

    /// <summary>Checks that a form came back with the GOV.UK error summary, focused, holding each message as a link.</summary>
    public async Task ExpectErrorSummaryAsync(params string[] messages)
    {
        var summary = Page.Locator(".govuk-error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        foreach (var message in messages)
            await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = message })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Waits until <paramref name="shown"/> is on the page, where the app's own script may have
    /// loaded a new page meanwhile (an import reloads its page when it finishes), and checks the
    /// page then showing like any other.
    /// </summary>
    public async Task ExpectShownAfterScriptAsync(ILocator shown)
    {
        await Assertions.Expect(shown).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Page.WaitForLoadStateAsync(LoadState.Load);
        await CheckAccessibilityAsync();
    }

    private async Task NavigateAsync(Func<Task> navigate)
    {
        EnsureEveryPageChecked();
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (loads)
            nextLoad = loaded;
        await navigate();
        await loaded.Task.WaitAsync(LoadTimeout);
        lock (loads)
            nextLoad = null;
        await CheckAccessibilityAsync();
    }

    private async Task CheckAccessibilityAsync()
    {
        var violations = await Page.EvaluateAsync<string[]>(AxeRun);
        lock (loads)
            documentsChecked = documentsLoaded;
        checkedPages.Add(Page.Url);
        if (violations.Length > 0)
            Assert.Fail($"axe found {violations.Length} WCAG 2.2 AA violation(s) on {Page.Url}:{Environment.NewLine}- " +
                string.Join(Environment.NewLine + "- ", violations));
    }

    private void EnsureEveryPageChecked()
    {
        lock (loads)
        {
            if (documentsLoaded != documentsChecked)
                Assert.Fail($"{Page.Url} was loaded without going through {nameof(OpenAsync)} or {nameof(FollowAsync)}, so axe never checked it.");
        }
    }

    private static string ChromiumPath()
    {
        var configured = Environment.GetEnvironmentVariable(ChromiumVariable);
        var path = string.IsNullOrWhiteSpace(configured) ? DebianChromium : configured;
        if (!File.Exists(path))
            throw new InvalidOperationException(
                $"Chromium is needed for the browser tests and was not found at {path}. Install it (Debian: apt-get install chromium) " +
                $"or set {ChromiumVariable} to its path; scripts/test.sh does both.");
        return path;
    }

    private static string ReadAxe()
    {
        const string relative = "src/Waypoint.Web/node_modules/axe-core/axe.min.js";
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, relative);
            if (File.Exists(candidate))
                return File.ReadAllText(candidate);
        }
        throw new InvalidOperationException(
            $"axe-core was not found at {relative} above {AppContext.BaseDirectory}. Build src/Waypoint.Web, which runs npm ci, and run again.");
    }

    public async ValueTask DisposeAsync()
    {
        await context.CloseAsync();
        playwright.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be flushing its profile as it exits; the temp folder is the OS's to clean.
        }
    }
}
