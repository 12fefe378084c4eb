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

    // axe's colour-contrast rule skips what it cannot be sure of, and it passed white buttons on a
    // white page. This reads the colours the browser computed for every visible control and checks
    // each: its text is not the colour behind it, text contrast is at least 4.5:1 (WCAG 1.4.3), and
    // where the control has a boundary of its own (border, fill or shadow) the strongest of them
    // reaches 3:1 against what surrounds it (WCAG 1.4.11). A control with no boundary reads by its
    // text alone, which the text check covers.
    private const string ContrastRun = """
        () => {
          const parse = c => {
            const m = c.match(/rgba?\(([^)]+)\)/);
            if (!m) return null;
            const p = m[1].split(/[ ,\/]+/).filter(x => x).map(Number);
            return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
          };
          const over = (top, under) => ({
            r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
            b: top.b * top.a + under.b * (1 - top.a), a: 1 });
          const backgroundOf = el => {
            const layers = [];
            for (let e = el; e; e = e.parentElement) {
              const c = parse(getComputedStyle(e).backgroundColor);
              if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
            }
            return layers.reduceRight((under, top) => over(top, under), { r: 255, g: 255, b: 255, a: 1 });
          };
          const lum = c => {
            const ch = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
            return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
          };
          const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
          const hex = c => "#" + [c.r, c.g, c.b].map(v => Math.round(v).toString(16).padStart(2, "0")).join("");
          const describe = el => {
            const text = (el.innerText || el.value || el.getAttribute("aria-label") || el.name || el.id || "").trim().replace(/\s+/g, " ").slice(0, 60);
            return `<${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).trim().split(/\s+/).join(".") : ""}> "${text}"`;
          };
          const problems = [];
          const controls = document.querySelectorAll("button, a.govuk-button, a[role=button], input:not([type=hidden]), select, textarea");
          for (const el of controls) {
            if (el.disabled) continue;
            const box = el.getBoundingClientRect();
            if (box.width <= 1 || box.height <= 1) continue;
            if (!el.checkVisibility({ opacityProperty: true, visibilityProperty: true })) continue;
            const style = getComputedStyle(el);
            if (style.clipPath !== "none" && style.clipPath.startsWith("inset(50%")) continue;
            const behind = backgroundOf(el);
            const text = parse(style.color);
            if (!text) continue;
            const shown = over(text, behind);
            const textRatio = ratio(shown, behind);
            if (hex(shown) === hex(behind))
              problems.push(`${describe(el)}: text ${hex(shown)} is the colour of its background`);
            else if (textRatio < 4.5)
              problems.push(`${describe(el)}: text ${hex(shown)} on ${hex(behind)} is ${textRatio.toFixed(2)}:1, under 4.5:1`);
            const around = el.parentElement ? backgroundOf(el.parentElement) : { r: 255, g: 255, b: 255, a: 1 };
            const edges = [];
            const borderWidth = Math.max(...["Top", "Right", "Bottom", "Left"].map(s => parseFloat(style[`border${s}Width`]) || 0));
            if (borderWidth > 0 && style.borderTopStyle !== "none") {
              for (const s of ["Top", "Right", "Bottom", "Left"]) {
                const c = parse(style[`border${s}Color`]);
                if (c && c.a > 0 && (parseFloat(style[`border${s}Width`]) || 0) > 0) edges.push(ratio(over(c, around), around));
              }
            }
            const fill = parse(style.backgroundColor);
            if (fill && fill.a > 0) edges.push(ratio(over(fill, around), around));
            const shadow = style.boxShadow && style.boxShadow !== "none" ? parse(style.boxShadow) : null;
            if (shadow && shadow.a > 0) edges.push(ratio(over(shadow, around), around));
            const visibleEdges = edges.filter(r => r > 1.01);
            if (visibleEdges.length > 0 && Math.max(...visibleEdges) < 3)
              problems.push(`${describe(el)}: its boundary reaches only ${Math.max(...visibleEdges).toFixed(2)}:1 against ${hex(around)}, under 3:1`);
          }
          return { problems, height: Math.round(document.documentElement.scrollHeight) };
        }
        """;

    private static readonly Lazy<string> AxeSource = new(ReadAxe);

    private readonly IPlaywright playwright;
    private readonly IBrowserContext context;
    private readonly string profile;
    private readonly List<string> checkedPages = [];
    private readonly List<(string Url, int Height)> pageHeights = [];
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

    /// <summary>Each checked page's full height in CSS pixels at the session's 1280 px width: a smoke figure for long pages.</summary>
    public IReadOnlyList<(string Url, int Height)> PageHeights => pageHeights;

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

    /// <summary>Presses a key that loads a page (Enter on a focused link or submit button), then checks that page.</summary>
    public Task PressToLoadAsync(string key) => NavigateAsync(() => Page.Keyboard.PressAsync(key));

    /// <summary>
    /// Moves the focus with Tab alone, as someone without a mouse does, until <paramref name="target"/>
    /// has it; fails when it is never reached (not focusable, hidden, or trapped behind something).
    /// </summary>
    public async Task TabToAsync(ILocator target, int limit = 400)
    {
        for (var i = 0; i < limit; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
                return;
        }
        Assert.Fail($"Tab never reached {target} on {Page.Url} in {limit} presses.");
    }

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

    /// <summary>Opens the GOV.UK details whose summary reads <paramref name="summary"/> (a form revealed on demand), if it is closed.</summary>
    public async Task RevealAsync(string summary)
    {
        var details = Page.Locator("details.govuk-details").Filter(new() { Has = Page.Locator("summary", new() { HasText = summary }) });
        if (await details.GetAttributeAsync("open") is null)
            await details.Locator("summary").ClickAsync();
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
        var contrast = await Page.EvaluateAsync<ContrastResult>(ContrastRun);
        lock (loads)
            documentsChecked = documentsLoaded;
        checkedPages.Add(Page.Url);
        pageHeights.Add((Page.Url, contrast.Height));
        if (violations.Length > 0)
            Assert.Fail($"axe found {violations.Length} WCAG 2.2 AA violation(s) on {Page.Url}:{Environment.NewLine}- " +
                string.Join(Environment.NewLine + "- ", violations));
        if (contrast.Problems.Length > 0)
            Assert.Fail($"{contrast.Problems.Length} control(s) on {Page.Url} fail the colour check:{Environment.NewLine}- " +
                string.Join(Environment.NewLine + "- ", contrast.Problems));
    }

    /// <summary>Runs the colour check alone on the page as it stands (after script has changed it, say).</summary>
    public async Task<string[]> ContrastProblemsAsync() => (await Page.EvaluateAsync<ContrastResult>(ContrastRun)).Problems;

    // Playwright fills the result by its setters, so a class with a parameterless constructor.
    private sealed class ContrastResult
    {
        public string[] Problems { get; set; } = [];
        public int Height { get; set; }
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

    /// <summary>
    /// Adds every page this session checked, with its height at 1280 px, to
    /// .artifacts/test-results/page-heights.tsv (scripts/test.sh empties that folder first), so each
    /// run leaves the smoke figure for every page a journey visits. Browser tests run one at a time.
    /// </summary>
    private void RecordPageHeights()
    {
        if (pageHeights.Count == 0)
            return;
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (!File.Exists(Path.Combine(folder.FullName, "Waypoint.slnx")))
                continue;
            var results = Directory.CreateDirectory(Path.Combine(folder.FullName, ".artifacts", "test-results"));
            File.AppendAllLines(Path.Combine(results.FullName, "page-heights.tsv"),
                pageHeights.Select(h => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{h.Height}\t{new Uri(h.Url).PathAndQuery}")));
            return;
        }
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
        RecordPageHeights();
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
