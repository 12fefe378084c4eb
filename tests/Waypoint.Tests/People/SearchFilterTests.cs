using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// The search page's filters (school, kind of person, open case, open alerts) and sort orders: each
/// filter narrows only on records the reader may see, so it never finds, counts or hints at someone
/// (or something about someone) the access policy hides; counts stay exact past the first page.
/// </summary>
public abstract class SearchFilterTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, TestUser Dsl, string Family, List<Person> Pupils, List<Person> Hidden, Person Parent);

    /// <summary>
    /// 30 pupils of one family name at School A (Child00 the oldest, Child29 the youngest), an adult of
    /// the same name School A knows through an involvement, and 3 pupils of that name at School B
    /// whom School A's safeguarding lead may not see.
    /// </summary>
    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        // URNs, as the register holds them for every school: the picker tells schools apart by them.
        var urn = Random.Shared.Next(100_000, 999_998);
        p.School.Urn = urn.ToString();
        p.OtherSchool.Urn = (urn + 1).ToString();
        await app.AsSystemAsync(async db =>
        {
            await db.Organisations.Where(o => o.Id == p.School.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, p.School.Urn));
            await db.Organisations.Where(o => o.Id == p.OtherSchool.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, p.OtherSchool.Urn));
        });
        var family = $"Filter{p.Suffix}";
        var pupils = new List<Person>();
        for (var i = 0; i < 30; i++)
            pupils.Add(await p.YoungPersonAsync($"Child{i:00}", family, Today.AddYears(-14).AddDays(i * 7), enrolledAt: p.School));
        var hidden = new List<Person>();
        for (var i = 0; i < 3; i++)
            hidden.Add(await p.YoungPersonAsync($"Hidden{i}", family, Today.AddYears(-13), enrolledAt: p.OtherSchool));
        var parent = new Person
        {
            Kind = PersonKind.Adult,
            GivenName = "Parent",
            FamilyName = family,
            DateOfBirth = Today.AddYears(-40),
            AreaId = p.Ward.Id,
            OwnerOrganisationId = p.School.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await app.AsSystemAsync(async db =>
        {
            db.People.Add(parent);
            await db.SaveChangesAsync();
        });
        await p.InvolveAsync(parent, p.School);
        return new World(p, await p.UserAsync(p.School), family, pupils, hidden, parent);
    }

    private Task AlertAsync(Person pupil, Organisation school, AlertStatus status = AlertStatus.New) =>
        app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(new Alert
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"filter-test:{pupil.Id}:{status}",
                TriggeredOn = Today.AddDays(-2),
                Figures = "2 suspensions",
                ThresholdValue = 2,
                Status = status,
                RaisedAt = DateTimeOffset.UtcNow.AddDays(-2),
            });
            await db.SaveChangesAsync();
        });

    /// <summary>An open case led by the youth service, which School A is not on the team of.</summary>
    private Task CaseAsync(Person child, TestPartnership p, Guid openedBy, CaseStatus status = CaseStatus.Open) =>
        app.AsSystemAsync(async db =>
        {
            db.Cases.Add(new Waypoint.Domain.Case
            {
                PersonId = child.Id,
                LeadOrganisationId = p.Youth.Id,
                Level = TriageOutcome.EarlyHelp,
                Status = status,
                OpenedAt = DateTimeOffset.UtcNow.AddDays(-5),
                OpenedByUserId = openedBy,
                NextReviewOn = Today.AddMonths(3),
            });
            await db.SaveChangesAsync();
        });

    private static List<string> Names(IHtmlDocument page) =>
        page.QuerySelectorAll("#search-results tbody tr td:first-child a").Select(a => a.TextContent.Trim()).ToList();

    private static string Heading(IHtmlDocument page) => page.QuerySelector("#results")!.TextContent;

    [Fact]
    public async Task SchoolFilter_OwnSchool_ExactCountPastOnePageAndEveryPupilOnce()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var first = await client.GetDocumentAsync($"/people?Name={w.Family}&School={w.P.School.Id}");

        Heading(first).ShouldBe("30 people found");
        first.QuerySelector("#results-range")!.TextContent.ShouldBe("Showing 1 to 25 of 30, best match first.");
        var option = first.QuerySelector($"#School option[value='{w.P.School.Id}']")!;
        option.HasAttribute("selected").ShouldBeTrue();
        option.TextContent.ShouldBe($"School A {w.P.Suffix} (URN {w.P.School.Urn})");
        var next = first.QuerySelector(".govuk-pagination__next a")!.GetAttribute("href")!;
        next.ShouldContain($"School={w.P.School.Id}");
        var second = await client.GetDocumentAsync(next);
        var names = Names(first).Concat(Names(second)).ToList();
        names.Count.ShouldBe(30);
        names.Distinct().Count().ShouldBe(30);
        names.ShouldNotContain($"Parent {w.Family}");
        first.QuerySelector("#search-results tbody tr td:last-child")!.TextContent.ShouldBe("Name, at the school chosen");
    }

    [Fact]
    public async Task SchoolFilter_WithoutName_ListsThePupilsThere()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync($"/people?School={w.P.School.Id}");

        Heading(page).ShouldBe("30 people found");
        Names(page).ShouldAllBe(n => n.StartsWith("Child"));
    }

    [Fact]
    public async Task SchoolFilter_SchoolWhosePupilsAreHidden_FindsAndCountsNoOne()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var named = await client.GetDocumentAsync($"/people?Name={w.Family}&School={w.P.OtherSchool.Id}");
        var bare = await client.GetDocumentAsync($"/people?School={w.P.OtherSchool.Id}");

        Heading(named).ShouldBe("No people found");
        Heading(bare).ShouldBe("No people found");
        named.Body!.TextContent.ShouldNotContain("Hidden");
        var listed = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == w.Dsl.Id && a.Subject == "people.search").Select(a => a.PersonId).ToListAsync());
        listed.ShouldBeEmpty();
    }

    [Fact]
    public async Task SchoolFilter_NotASchool_RefusedWithAMessage()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync($"/people?Name={w.Family}&School={w.P.Police.Id}");

        page.QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("Choose a school from the list");
        page.QuerySelector("#search-results").ShouldBeNull();
    }

    [Fact]
    public async Task KindFilter_Adults_OnlyTheParent()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var adults = await client.GetDocumentAsync($"/people?Name={w.Family}&Kind=Adult");
        var young = await client.GetDocumentAsync($"/people?Name={w.Family}&Kind=YoungPerson");

        Names(adults).ShouldBe([$"Parent {w.Family}"]);
        Heading(young).ShouldBe("30 people found");
    }

    [Fact]
    public async Task KindFilterAlone_IsNotASearch()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync("/people?Kind=YoungPerson");

        page.QuerySelector("#results").ShouldBeNull();
    }

    [Fact]
    public async Task OpenAlertsFilter_OnlyOpenAlertsTheReaderMaySee()
    {
        var w = await WorldAsync();
        await AlertAsync(w.Pupils[1], w.P.School);
        await AlertAsync(w.Pupils[2], w.P.School, AlertStatus.Acknowledged);
        await AlertAsync(w.Pupils[3], w.P.School, AlertStatus.Closed);
        await AlertAsync(w.Hidden[0], w.P.OtherSchool);
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync($"/people?Name={w.Family}&OpenAlerts=true");

        Heading(page).ShouldBe("2 people found");
        Names(page).ShouldBe([$"Child01 {w.Family}", $"Child02 {w.Family}"], ignoreOrder: true);
        page.QuerySelector("#search-results .wp-open-work")!.TextContent.ShouldBe("1 open alert");
    }

    [Fact]
    public async Task OpenCaseFilter_CaseTheReaderMayNotSee_NeitherFoundNorHinted()
    {
        var w = await WorldAsync();
        var hub = await w.P.UserAsync(w.P.Hub);
        await CaseAsync(w.Pupils[5], w.P, hub.Id);
        await CaseAsync(w.Pupils[6], w.P, hub.Id, CaseStatus.Closed);
        var school = await app.SignInAsync(w.Dsl);
        var youth = await app.SignInAsync(await w.P.UserAsync(w.P.Youth));
        await w.P.InvolveAsync(w.Pupils[5], w.P.Youth);

        // School A sees the pupil but not the youth service's case: the filter finds no one, and the
        // plain search says nothing of the case.
        var bySchool = await school.GetDocumentAsync($"/people?Name={w.Family}&OpenCase=true");
        var plain = await school.GetDocumentAsync($"/people?Name=Child05%20{w.Family}");
        // The youth service leads the case: it finds the child by it.
        var byLead = await youth.GetDocumentAsync($"/people?Name={w.Family}&OpenCase=true");

        Heading(bySchool).ShouldBe("No people found");
        Names(plain).ShouldContain($"Child05 {w.Family}");
        plain.QuerySelector("#search-results .wp-open-work").ShouldBeNull();
        Names(byLead).ShouldBe([$"Child05 {w.Family}"]);
        byLead.QuerySelector("#search-results .wp-open-work")!.TextContent.ShouldBe("Open case");
    }

    [Fact]
    public async Task Sort_ByAge_YoungestOrOldestFirstAcrossPages()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Dsl);

        var youngest = await client.GetDocumentAsync($"/people?Name={w.Family}&Kind=YoungPerson&Sort=YoungestFirst");
        var oldest = await client.GetDocumentAsync($"/people?Name={w.Family}&Kind=YoungPerson&Sort=OldestFirst");
        var oldestSecond = await client.GetDocumentAsync(oldest.QuerySelector(".govuk-pagination__next a")!.GetAttribute("href")!);

        Names(youngest).First().ShouldBe($"Child29 {w.Family}");
        youngest.QuerySelector("#results-range")!.TextContent.ShouldEndWith("youngest first.");
        Names(oldest).ShouldBe(Enumerable.Range(0, 25).Select(i => $"Child{i:00} {w.Family}").ToList());
        Names(oldestSecond).ShouldBe(Enumerable.Range(25, 5).Select(i => $"Child{i:00} {w.Family}").ToList());
        youngest.QuerySelector("#Sort option[value='YoungestFirst']")!.HasAttribute("selected").ShouldBeTrue();
    }

    [Fact]
    public async Task Sort_BySchool_SchoolsInOrderAndNoneLast()
    {
        var w = await WorldAsync();
        // The inclusion officer covers the county and education flows to the council: both schools' pupils, and the parent with no school.
        var officer = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.County);
        var client = await app.SignInAsync(officer);

        var page = await client.GetDocumentAsync($"/people?Name={w.Family}&Sort=School");
        var last = await client.GetDocumentAsync(page.QuerySelector(".govuk-pagination__next a")!.GetAttribute("href")!);

        Heading(page).ShouldBe("34 people found");
        var schools = page.QuerySelectorAll("#search-results tbody tr").Concat(last.QuerySelectorAll("#search-results tbody tr"))
            .Select(r => r.QuerySelectorAll("td")[2].TextContent.Trim()).ToList();
        schools.Count.ShouldBe(34);
        schools.Take(30).ShouldAllBe(s => s.StartsWith($"School A {w.P.Suffix}"));
        schools.Skip(30).Take(3).ShouldAllBe(s => s.StartsWith($"School B {w.P.Suffix}"));
        schools.Last().ShouldBe("None you may see");
    }

    [Fact]
    public async Task Api_Filters_SameRulesAsThePage()
    {
        var w = await WorldAsync();
        await AlertAsync(w.Pupils[1], w.P.School);
        await AlertAsync(w.Hidden[0], w.P.OtherSchool);
        var api = await app.ApiClientAsync(w.Dsl);

        var alerts = await api.GetStringAsync($"/api/v1/people?name={w.Family}&openAlerts=true");
        var hiddenSchool = await api.GetStringAsync($"/api/v1/people?schoolId={w.P.OtherSchool.Id}");
        var adults = await api.GetStringAsync($"/api/v1/people?name={w.Family}&kind=Adult");

        using var found = System.Text.Json.JsonDocument.Parse(alerts);
        found.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ShouldBe([w.Pupils[1].Id]);
        hiddenSchool.ShouldBe("[]");
        using var adult = System.Text.Json.JsonDocument.Parse(adults);
        adult.RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetGuid()).ShouldBe([w.Parent.Id]);
    }

    [Fact]
    public async Task FilteredExport_HoldsOnlyTheFilteredAndAuditsThemAsExported()
    {
        var w = await WorldAsync();
        await AlertAsync(w.Pupils[1], w.P.School);
        await AlertAsync(w.Hidden[0], w.P.OtherSchool);
        var client = await app.SignInAsync(w.Dsl);

        var page = await client.GetDocumentAsync($"/people?Name={w.Family}&OpenAlerts=true");
        var link = page.QuerySelector("#search-exports a[href*='format=csv']")!.GetAttribute("href")!;
        link.ShouldContain("OpenAlerts=true");
        var text = Encoding.UTF8.GetString(await client.GetByteArrayAsync(link));

        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines.Length.ShouldBe(2);
        lines[1].ShouldStartWith($"Child01 {w.Family},");
        lines[1].ShouldContain(",No,1,\"Name, open alerts\"");
        var exported = await app.AsSystemAsync((db, _) => db.AuditEntries
            .Where(a => a.UserId == w.Dsl.Id && a.Action == AuditAction.Export && a.Subject == "people.search.export").Select(a => a.PersonId).ToListAsync());
        exported.ShouldBe([w.Pupils[1].Id]);
    }
}

public sealed class SearchFilterTestsOnSqlite(SqliteApp app) : SearchFilterTests(app), IClassFixture<SqliteApp>;

public sealed class SearchFilterTestsOnPostgres(PostgresApp app) : SearchFilterTests(app), IClassFixture<PostgresApp>;
