using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Performance;

/// <summary>
/// How many statements the pages people open all day send per request: a budget, not a timing
/// (bench/README.md has the timings). Each budget is what the page sends today (2026-12-05; the
/// person page's were two more before its relationships and household were read in one round trip
/// each); a change that adds a round trip has to raise it here, on purpose. The audit's appends are grouped across
/// requests and not counted (StatementCounter). Raised on purpose at the merge of issues 12 and 13: the person
/// page's risk panel (flags and the explained score, 7 statements), its "at a glance" card (1) and My work's
/// meeting actions (1); folding
/// the panel into one projection is the next step of issue 18.
/// </summary>
public abstract class StatementBudgetTests(WaypointApp app)
{
    private StatementSink Sink => app.Services.GetRequiredService<StatementSink>();

    [Theory]
    // Issue 18: an opened person's records read by id in one projection with the agreement's pairs read once, and
    // "why you can see this" in 2 statements instead of 4 to 5 (for the person and again for the relatives' audit):
    // HTML 36 to 30, API 15 to 9. 31: the alternative provision panel (issue 14, one statement: the pupil's placements).
    // Issue 17: the page in sections, each reading only what it shows under the identity bar (the
    // person, the card and the score as of now), each below the whole page's 31: summary and family 20,
    // cases 22 (its cases and reports), school 28 (school records and placements), police and risk 28
    // (the risk panel scores again and reads the flags and cohort review). School 29 (issue 13): the pupil's
    // characteristics, a record of their own since session 12, read for the school that recorded them.
    // Wave 14d, lowered to what the pages send on PostgreSQL: the score's facts in one statement (RiskFactSql, 5 fewer on
    // every section), the reader's grants and the agreement's pairs in the open's statement (2 fewer). SQLite reads those
    // two apart (no lateral join for a collection that does not depend on the person's row): 2 more there.
    // Wave 16a: the signed-in account and its roles in one statement (ReaderMiddleware, compiled), one fewer on every page.
    // Wave 17a: the menu's unread notices and open alerts in one compiled statement (the layout), one fewer on every page.
    // Wave 18c: the score as of now in one statement through the request's context (its facts, the published matrix's id
    // and the restriction; no system scope), and the disputed-records banner's read only when the card's statement finds a
    // challenge it shows; lowered to what each section sends now (3 below the budgets before, which had a little slack).
    // Wave 20a: the sign-in's check in the open's statement (Identity/ReaderMiddleware), one fewer on every section and the API
    // on PostgreSQL; SQLite still checks in a statement of its own (its open reads no account): 3 more there.
    // Wave 25c: the summary card read in the records' statement (OpenedPersonRead), one fewer on every section.
    // Wave 26c: the score's facts (raw SQL) sent in the records' round trip (Data/RidingRead), one fewer on every section.
    [InlineData("html", "", 4)]
    [InlineData("html", "/school", 11)]
    [InlineData("html", "/cases", 6)]
    [InlineData("html", "/police-and-risk", 5)]
    [InlineData("html", "/family", 4)]
    [InlineData("api", "", 3)]
    public async Task PersonPage_SchoolReader_WithinBudget(string channel, string section, int postgresBudget)
    {
        var budget = app.Kind == DatabaseKind.Postgres ? postgresBudget : postgresBudget + 3;
        var (p, pupil, _, _) = await ArrangeAsync();
        var reader = await p.UserAsync(p.School);
        var client = channel == "api" ? await app.ApiClientAsync(reader) : await app.SignInAsync(reader);
        var path = channel == "api" ? $"/api/v1/people/{pupil.Id}" : $"/people/{pupil.Id}{section}";

        var statements = await CountAsync(client, path);

        statements.ShouldBeLessThanOrEqualTo(budget);
    }

    [Fact]
    public async Task CasePage_LeadPractitioner_WithinBudget()
    {
        var (_, _, caseId, hub) = await ArrangeAsync();
        var client = await app.SignInAsync(hub);

        var statements = await CountAsync(client, $"/cases/{caseId}");

        // 35: the actions early-intervention meetings agreed for the child (issue 12) are one more query; the
        // disputed-records banner (issue 16) one more. 30 (issue 18): the organisations read once for every
        // name and list on the page, and the withheld notes counted in one statement.
        // 29 (wave 14e): what the page sends today. 26 (wave 16b): the family candidates in 3 statements, not 5 (the
        // household's address flow decided from the request's agreement pairs, relatives and household named in one read),
        // the lead practitioner named from the practitioners read. SQLite reads the agreement's pairs (for the notes, now
        // read as an opened person's records) and the reader's grants apart from the open: 2 more there.
        // 21 (wave 17b): the team, goals, actions, reviews and the count of notes of the opened case in one compiled
        // statement by its id (a UNION ALL), not five.
        // 16 (wave 21b): the case with the reader's team and offered-lead standings in one statement (RecordAccess), not three;
        // the family links and the pending offer of the lead in the case's UNION ALL; the relatives named only when there are links.
        statements.ShouldBeLessThanOrEqualTo(app.Kind == DatabaseKind.Postgres ? 16 : 18);
    }

    [Fact]
    public async Task MyWork_LeadPractitioner_WithinBudget()
    {
        var (_, _, _, hub) = await ArrangeAsync();
        var client = await app.SignInAsync(hub);

        var statements = await CountAsync(client, "/my-work");

        // 16: the service referrals card (issue 14) is one statement for both of its counts; the consent
        // requests to ask for (issue 12) one more. 14 (issue 18): the hub queue counted, not read. 15 (wave 13g):
        // the cases list is two index-ordered reads (the reader's own, then the others) instead of one sort of every open case.
        // 14 (wave 16b): the read audit's bases asked as EXISTS in one statement (AccessPolicy.BasisKindsManyAsync), the grants with them.
        // 13 (wave 17b): what the page sends today, pinned.
        statements.ShouldBeLessThanOrEqualTo(13);
    }

    // Issue 18, the other pages opened all day, each as the reader with the most to see: the hub
    // practitioner with a county-wide triage grant (hub queue, home, My work) and the school's
    // reader (alerts inbox, home). Budgets are what the pages send today (2026-12-05).
    [Theory]
    // Wave 17c: pinned as sent on 2026-12-06 (hub 8, home 13).
    [InlineData("/hub", 8)]
    // Wave 14e: home's hub queue and reviews due each one statement (a count and a read before), its
    // organisation actions walked a batch of cases at a time (one statement for a handful of cases).
    // Wave 16c: the alerts given to the reader one statement (a count and a list before); the children of home's lists
    // named in one statement through the Person filter rather than a join to the filtered People in each list's read.
    // Wave 26d: 14. Home's count of the people the reader may see is kept until the next write (WriteStamp), no longer a
    // minute whatever was written; the stamp is the process's and the test classes run in parallel, so a write by another
    // class between this test's two visits has the count read again (one statement). The hub queue is kept the same way:
    // when nothing was written the page sends two statements fewer than the budget.
    [InlineData("/", 14)]
    // Wave 16b: My work's read audit asks its bases in one statement (the grants' own statement gone).
    [InlineData("/my-work", 14)]
    public async Task HubPages_CountyHubPractitioner_WithinBudget(string path, int budget)
    {
        var (p, _, _, _) = await ArrangeAsync();
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        await ArrangeQueueAndAlertAsync(p);
        var client = await app.SignInAsync(hub);

        var statements = await CountAsync(client, path);

        statements.ShouldBeLessThanOrEqualTo(budget);
    }

    // Session 12: the inbox's count is one grouped statement (by status and school), its page read a status
    // at a time, its schools from the reader's grants and the counted alerts (no pass over the alerts); home's
    // visible count for a school from its own enrolments and involvements: 15, since the candidates are read in a
    // statement of their own (one query mixing them with People would read People past its filter: an overcount).
    [Theory]
    // Wave 13g: the inbox reads the people the school's own relationships name (and whether the reader holds a
    // partnership function) once, and narrows its count, page and badge to their alerts: two statements more, each small.
    // Wave 14e: the inbox's menu badge is the inbox's own open count (one statement fewer); home's reviews due one statement.
    // Wave 16c: the inbox's schools come with its grouped count (no statement of their own for a reader holding no grant
    // whose own school has alerts); home reads no hub queue for a reader without a triage grant, counts and lists the
    // alerts given to the reader in one statement, and names the children of all its lists in one (none joined per row).
    // Wave 17c: home remembers the reader's count of the people it may see for a minute (the count and the candidates it
    // narrows by were two statements on every visit; the second visit here finds them kept). Pinned as sent on 2026-12-06.
    [InlineData("/alerts", 7)]
    // Wave 26d: 10. The count is kept until the next write, not for a minute: a write by a test class running in parallel
    // between the two visits has it read again (one statement; see the hub's home above).
    [InlineData("/", 10)]
    public async Task SchoolPages_SchoolReader_WithinBudget(string path, int budget)
    {
        var (p, _, _, _) = await ArrangeAsync();
        await ArrangeQueueAndAlertAsync(p);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var statements = await CountAsync(client, path);

        statements.ShouldBeLessThanOrEqualTo(budget);
    }

    /// <summary>Two reports awaiting the hub's decision and an open alert at the school, so neither list is empty.</summary>
    private async Task ArrangeQueueAndAlertAsync(TestPartnership p)
    {
        var reporter = await p.UserAsync(p.School);
        var children = new List<Person>();
        for (var i = 0; i < 2; i++)
            children.Add(await p.YoungPersonAsync($"Queue{i}", $"Budget{p.Suffix}", new DateOnly(2012, 2, 1 + i), enrolledAt: p.School));
        await app.AsSystemAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var child in children)
                db.Referrals.Add(new Referral
                {
                    PersonId = child.Id,
                    ReporterUserId = reporter.Id,
                    ReporterOrganisationId = p.School.Id,
                    AreaId = p.Ward.Id,
                    Categories = "RiskOfExclusion",
                    WhatIsKnown = "A concern",
                    ReportedAt = now.AddHours(-2),
                    DecisionDueBy = now.AddHours(-1),
                    Status = ReferralStatus.AwaitingTriage,
                });
            db.Alerts.Add(new Alert
            {
                PersonId = children[0].Id,
                SchoolId = p.School.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"budget:{children[0].Id}",
                TriggeredOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1),
                Figures = "figures",
                ThresholdValue = 2,
                Status = AlertStatus.New,
                RaisedAt = now,
            });
            await db.SaveChangesAsync();
        });
    }

    private async Task<int> CountAsync(HttpClient client, string path)
    {
        (await client.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.OK, "warm-up");
        var counted = Sink.Expect(path);
        var response = await client.GetAsync(path);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await response.Content.ReadAsStringAsync();
        var statements = await counted.WaitAsync(TimeSpan.FromSeconds(30));
        TestContext.Current.TestOutputHelper?.WriteLine($"{path}: {statements} statements");
        return statements;
    }

    /// <summary>A pupil with a UPN, a parent, a household, the hub involved and an open case the hub leads.</summary>
    private async Task<(TestPartnership P, Person Pupil, Guid CaseId, TestUser Hub)> ArrangeAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var hub = await p.UserAsync(p.Hub);
        var pupil = await p.YoungPersonAsync("Noor", $"Budget{p.Suffix}", new DateOnly(2012, 6, 1), enrolledAt: p.School, upn: $"B{Guid.NewGuid():N}"[..13].ToUpperInvariant());
        await p.InvolveAsync(pupil, p.Hub);
        var caseId = Guid.Empty;
        await app.AsSystemAsync(async db =>
        {
            var parent = new Person
            {
                Kind = PersonKind.Adult,
                GivenName = "Sara",
                FamilyName = $"Budget{p.Suffix}",
                AreaId = p.Ward.Id,
                OwnerOrganisationId = p.School.Id,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            var household = new Household { AreaId = p.Ward.Id, AddressLine1 = "1 Budget Row", Town = "Nenford", Postcode = "NE1 1AA", OwnerOrganisationId = p.School.Id };
            db.Households.Add(household);
            db.People.Add(parent);
            var tracked = await db.People.FindAsync(pupil.Id);
            tracked!.HouseholdId = household.Id;
            parent.HouseholdId = household.Id;
            db.PersonRelationships.Add(new PersonRelationship
            {
                PersonId = parent.Id,
                RelatedPersonId = pupil.Id,
                Kind = RelationshipKind.Parent,
                OwnerOrganisationId = p.School.Id,
                CategoryCode = RecordCategories.Family,
            });
            var @case = new Waypoint.Domain.Case
            {
                PersonId = pupil.Id,
                LeadOrganisationId = p.Hub.Id,
                Level = TriageOutcome.EarlyHelp,
                Status = CaseStatus.Open,
                OpenedAt = DateTimeOffset.UtcNow.AddDays(-5),
                OpenedByUserId = hub.Id,
            };
            db.Cases.Add(@case);
            await db.SaveChangesAsync();
            caseId = @case.Id;
        });
        return (p, pupil, caseId, hub);
    }
}

/// <summary>Puts a <see cref="StatementCount"/> on every request and hands the count to whoever expects the path.</summary>
public sealed class StatementSink
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource<int>> expected = new();

    public Task<int> Expect(string path) =>
        expected.GetOrAdd(path, _ => new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously)).Task;

    internal void Counted(string path, int count)
    {
        if (expected.TryRemove(path, out var waiting))
            waiting.TrySetResult(count);
    }
}

internal sealed class CountStatements(StatementSink sink) : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, nextMiddleware) =>
        {
            var count = new StatementCount();
            context.Features.Set(count);
            await nextMiddleware(context);
            sink.Counted(context.Request.Path.Value ?? "", count.Count);
        });
        next(app);
    };
}

public abstract class CountingApp(DatabaseKind kind) : WaypointApp(kind)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<StatementSink>().AddSingleton<IStartupFilter, CountStatements>());
    }
}

public sealed class CountingSqliteApp() : CountingApp(DatabaseKind.Sqlite);

public sealed class CountingPostgresApp() : CountingApp(DatabaseKind.Postgres);

public sealed class StatementBudgetTestsOnSqlite(CountingSqliteApp app) : StatementBudgetTests(app), IClassFixture<CountingSqliteApp>;

public sealed class StatementBudgetTestsOnPostgres(CountingPostgresApp app) : StatementBudgetTests(app), IClassFixture<CountingPostgresApp>;
