using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Consent;

/// <summary>The family's consent to early help: recording answers, current consent, the case's history, the API and the partnership's consent rates.</summary>
public abstract class ConsentTests(WaypointApp app)
{
    private sealed record World(TestPartnership P, Person Child, TestUser Officer);

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Noor", $"Hale{p.Suffix}", new DateOnly(2011, 5, 2), enrolledAt: p.School);
        await p.InvolveAsync(child, p.Police, "Seen with older youths at a known address");
        return new World(p, child, await p.UserAsync(p.Police));
    }

    private static Dictionary<string, string> Answer(Organisation forAgency, string outcome = "Given", DateOnly? askedOn = null, string scope = "Share school and police information with the youth service for early help.",
        string answeredBy = "Mother, Dana Hale", string method = "HomeVisit", DateOnly? expiresOn = null, Guid? caseId = null)
    {
        var asked = askedOn ?? Today.AddDays(-2);
        var form = new Dictionary<string, string>
        {
            ["ForOrganisationId"] = forAgency.Id.ToString(),
            ["Method"] = method,
            ["AskedOn.Day"] = asked.Day.ToString(CultureInfo.InvariantCulture),
            ["AskedOn.Month"] = asked.Month.ToString(CultureInfo.InvariantCulture),
            ["AskedOn.Year"] = asked.Year.ToString(CultureInfo.InvariantCulture),
            ["AnsweredBy"] = answeredBy,
            ["Outcome"] = outcome,
            ["Scope"] = scope,
        };
        if (expiresOn is { } e)
        {
            form["ExpiresOn.Day"] = e.Day.ToString(CultureInfo.InvariantCulture);
            form["ExpiresOn.Month"] = e.Month.ToString(CultureInfo.InvariantCulture);
            form["ExpiresOn.Year"] = e.Year.ToString(CultureInfo.InvariantCulture);
        }
        if (caseId is { } c)
            form["CaseId"] = c.ToString();
        return form;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient client, Person child, Dictionary<string, string> form) =>
        await client.PostFormAsync($"/people/{child.Id}/consent", form);

    private static async Task<List<string>> ErrorsOfAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.Title!.ShouldStartWith("Error: ");
        return page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent).ToList();
    }

    private Task<int> StoredAsync(Person child) => app.AsSystemAsync((db, _) => db.ConsentRecords.CountAsync(r => r.PersonId == child.Id));

    [Fact]
    public async Task RecordGiven_ThenWithdrawn_CurrentConsentFollowsTheLatestAnswer()
    {
        var w = await WorldAsync();
        var officer = await app.SignInAsync(w.Officer);

        var given = await PostAsync(officer, w.Child, Answer(w.P.Youth, expiresOn: Today.AddYears(1)));

        given.StatusCode.ShouldBe(HttpStatusCode.Redirect, await given.Content.ReadAsStringAsync());
        given.LocationPath().ShouldBe($"/people/{w.Child.Id}/consent");
        var record = await app.AsSystemAsync((db, _) => db.ConsentRecords.SingleAsync(r => r.PersonId == w.Child.Id));
        record.AskedByOrganisationId.ShouldBe(w.P.Police.Id);
        record.AskedByUserId.ShouldBe(w.Officer.Id);
        record.ForOrganisationId.ShouldBe(w.P.Youth.Id);
        record.Outcome.ShouldBe(ConsentOutcome.Given);
        record.Method.ShouldBe(ConsentMethod.HomeVisit);
        record.AnsweredBy.ShouldBe("Mother, Dana Hale");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == w.Officer.Id && a.PersonId == w.Child.Id && a.Action == AuditAction.Create && a.Subject == "consent")))
            .ShouldBe(1);
        var page = await officer.GetDocumentAsync($"/people/{w.Child.Id}/consent");
        var current = page.QuerySelector("#current-consent tbody")!.QuerySelectorAll("tr").ShouldHaveSingleItem();
        current.QuerySelector("th")!.TextContent.ShouldBe(w.P.Youth.Name);
        current.QuerySelector(".govuk-tag")!.TextContent.ShouldBe("Consent given");
        page.QuerySelectorAll("#consent-history tbody tr").Length.ShouldBe(1);
        (await officer.GetDocumentAsync($"/people/{w.Child.Id}")).QuerySelectorAll($"a[href='/people/{w.Child.Id}/consent']").Select(a => a.TextContent).ShouldContain("Consent to early help");

        var withdrawn = await PostAsync(officer, w.Child, Answer(w.P.Youth, outcome: "Withdrawn", askedOn: Today, scope: "", method: "Telephone"));

        withdrawn.StatusCode.ShouldBe(HttpStatusCode.Redirect, await withdrawn.Content.ReadAsStringAsync());
        page = await officer.GetDocumentAsync($"/people/{w.Child.Id}/consent");
        page.QuerySelector("#current-consent tbody tr .govuk-tag")!.TextContent.ShouldBe("Consent withdrawn");
        page.QuerySelectorAll("#consent-history tbody tr").Length.ShouldBe(2);
        (await StoredAsync(w.Child)).ShouldBe(2);
    }

    [Fact]
    public async Task Withdrawn_NoEarlierConsentGiven_RefusedWithTheMessage()
    {
        var w = await WorldAsync();
        var officer = await app.SignInAsync(w.Officer);
        (await PostAsync(officer, w.Child, Answer(w.P.Youth, outcome: "Refused", scope: ""))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var afterRefusal = await PostAsync(officer, w.Child, Answer(w.P.Youth, outcome: "Withdrawn", askedOn: Today));
        var never = await PostAsync(officer, w.Child, Answer(w.P.Health, outcome: "Withdrawn", askedOn: Today));

        (await ErrorsOfAsync(afterRefusal)).ShouldBe([$"Consent for {w.P.Youth.Name} can only be withdrawn when the latest answer recorded for {w.P.Youth.Name} was consent given"]);
        (await ErrorsOfAsync(never)).ShouldBe([$"Consent for {w.P.Health.Name} can only be withdrawn when the latest answer recorded for {w.P.Health.Name} was consent given"]);
        (await StoredAsync(w.Child)).ShouldBe(1);
    }

    [Fact]
    public async Task Record_InvalidAnswers_EveryMessageAndNothingStored()
    {
        var w = await WorldAsync();
        var officer = await app.SignInAsync(w.Officer);

        var empty = await PostAsync(officer, w.Child, []);
        (await ErrorsOfAsync(empty)).ShouldBe([
            "Select the agency the consent is for",
            "Select how the family was asked",
            "Enter the date the family was asked",
            "Enter who in the family answered",
            "Select the family's answer",
        ]);

        var wrong = await PostAsync(officer, w.Child, Answer(w.P.Youth, askedOn: Today.AddDays(1), expiresOn: Today, scope: new string('s', 1001), answeredBy: new string('a', 201)));
        (await ErrorsOfAsync(wrong)).ShouldBe([
            "The date the family was asked must be today or in the past",
            "Who in the family answered must be 200 characters or fewer",
            "What the consent covers must be 1,000 characters or fewer",
            "The date consent expires must be after the date the family was asked",
        ]);

        var noScope = await PostAsync(officer, w.Child, Answer(w.P.Youth, scope: "  "));
        (await ErrorsOfAsync(noScope)).ShouldBe(["Enter what the consent covers"]);

        var sameDay = await PostAsync(officer, w.Child, Answer(w.P.Youth, askedOn: Today.AddDays(-3), expiresOn: Today.AddDays(-3)));
        (await ErrorsOfAsync(sameDay)).ShouldBe(["The date consent expires must be after the date the family was asked"]);

        var halfDate = Answer(w.P.Youth);
        halfDate.Remove("AskedOn.Month");
        halfDate["ExpiresOn.Day"] = "31";
        halfDate["ExpiresOn.Month"] = "2";
        halfDate["ExpiresOn.Year"] = "2030";
        (await ErrorsOfAsync(await PostAsync(officer, w.Child, halfDate))).ShouldBe([
            "The date the family was asked must include a month",
            "The date consent expires must be a real date",
        ]);

        var agencyUnknown = Answer(w.P.Youth);
        agencyUnknown["ForOrganisationId"] = Guid.NewGuid().ToString();
        (await ErrorsOfAsync(await PostAsync(officer, w.Child, agencyUnknown))).ShouldBe(["Select the agency the consent is for"]);

        (await StoredAsync(w.Child)).ShouldBe(0);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Child.Id && a.Action == AuditAction.Create))).ShouldBe(0);
    }

    [Fact]
    public async Task ReaderWhoCannotSeeThePerson_NotFoundAndOneDeniedRowOnPageAndApi()
    {
        var w = await WorldAsync();
        var outsider = await w.P.UserAsync(w.P.Housing);
        var pages = await app.SignInAsync(outsider);
        var api = await app.ApiClientAsync(outsider);

        (await pages.GetAsync($"/people/{w.Child.Id}/consent")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var posted = await pages.PostFormAsync($"/people/{w.Child.Id}/consent", Answer(w.P.Housing), formPage: "/people");
        posted.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var read = await api.GetAsync($"/api/v1/people/{w.Child.Id}/consent");
        read.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        read.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await read.Content.ReadAsStringAsync()).ShouldNotName("Noor");
        (await api.PostAsJsonAsync($"/api/v1/people/{w.Child.Id}/consent", new { forOrganisationId = w.P.Housing.Id, method = "Letter", askedOn = Today.AddDays(-1), answeredBy = "Father", outcome = "Refused" }))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == outsider.Id && a.PersonId == w.Child.Id).ToListAsync());
        audited.ShouldAllBe(a => a.Action == AuditAction.Denied);
        audited.Count(a => a.Subject == "consent").ShouldBe(2, "one for the page, one for the refused post");
        audited.Count(a => a.Subject == "api:consent").ShouldBe(1);
        audited.Count(a => a.Subject == "api:consent.new").ShouldBe(1);
        (await StoredAsync(w.Child)).ShouldBe(0);
    }

    [Fact]
    public async Task CaseLinkedAnswer_AddsTheCaseEvent_OtherPersonsCaseRefused()
    {
        var w = await WorldAsync();
        var other = await w.P.YoungPersonAsync("Ivo", $"Hale{w.P.Suffix}", new DateOnly(2012, 2, 2), enrolledAt: w.P.School);
        await w.P.InvolveAsync(other, w.P.Police);
        Waypoint.Domain.Case CaseOf(Person person) => new()
        {
            PersonId = person.Id,
            LeadOrganisationId = w.P.Police.Id,
            Level = TriageOutcome.EarlyHelp,
            Status = CaseStatus.Open,
            OpenedAt = DateTimeOffset.UtcNow.AddDays(-7),
            OpenedByUserId = w.Officer.Id,
        };
        var @case = CaseOf(w.Child);
        var otherCase = CaseOf(other);
        await app.AsSystemAsync(async db =>
        {
            db.Cases.AddRange(@case, otherCase);
            await db.SaveChangesAsync();
        });
        var officer = await app.SignInAsync(w.Officer);
        var form = await officer.GetDocumentAsync($"/people/{w.Child.Id}/consent?caseId={@case.Id}");
        form.QuerySelector("input[type=hidden][name=CaseId]")!.GetAttribute("value").ShouldBe(@case.Id.ToString());

        var wrongCase = await PostAsync(officer, w.Child, Answer(w.P.Youth, caseId: otherCase.Id));
        (await ErrorsOfAsync(wrongCase)).ShouldBe(["The case must be one of this person's cases that you may see"]);
        var posted = await PostAsync(officer, w.Child, Answer(w.P.Youth, caseId: @case.Id));

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect, await posted.Content.ReadAsStringAsync());
        (await app.AsSystemAsync((db, _) => db.ConsentRecords.Where(r => r.PersonId == w.Child.Id).Select(r => r.CaseId).SingleAsync())).ShouldBe(@case.Id);
        var events = await app.AsSystemAsync((db, _) => db.CaseEvents.Where(e => e.CaseId == @case.Id).Select(e => e.Text).ToListAsync());
        events.ShouldBe([$"Consent given for {w.P.Youth.Name}"]);
        (await app.AsSystemAsync((db, _) => db.CaseEvents.CountAsync(e => e.CaseId == otherCase.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Api_RecordsListsAndAnswersValidationProblems()
    {
        var w = await WorldAsync();
        var api = await app.ApiClientAsync(w.Officer);

        var invalid = await api.PostAsJsonAsync($"/api/v1/people/{w.Child.Id}/consent", new { method = "Letter", askedOn = Today.AddDays(3), outcome = "Given" });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        invalid.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(await invalid.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        problem.EnumerateObject().Select(e => e.Name).ShouldBe(["forOrganisationId", "askedOn", "answeredBy", "scope"]);
        problem.GetProperty("askedOn")[0].GetString().ShouldBe("The date the family was asked must be today or in the past");
        (await StoredAsync(w.Child)).ShouldBe(0);

        var created = await api.PostAsJsonAsync($"/api/v1/people/{w.Child.Id}/consent",
            new { forOrganisationId = w.P.Youth.Id, method = "Letter", askedOn = Today.AddDays(-1), answeredBy = "Father, Sam Hale", outcome = "Given", scope = "Early help with the youth service" });
        created.StatusCode.ShouldBe(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());

        var list = await api.GetAsync($"/api/v1/people/{w.Child.Id}/consent");
        list.StatusCode.ShouldBe(HttpStatusCode.OK);
        var body = JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement;
        body.GetProperty("givenName").GetString().ShouldBe("Noor");
        var current = body.GetProperty("current").EnumerateArray().ShouldHaveSingleItem();
        current.GetProperty("forOrganisation").GetString().ShouldBe(w.P.Youth.Name);
        current.GetProperty("outcome").GetString().ShouldBe("Given");
        current.GetProperty("inForce").GetBoolean().ShouldBeTrue();
        body.GetProperty("history").GetArrayLength().ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == w.Officer.Id && a.PersonId == w.Child.Id && a.Action == AuditAction.Read && a.Subject == "api:consent")))
            .ShouldBe(1);
    }

    [Fact]
    public async Task CurrentConsent_PastItsExpiry_ShownExpired()
    {
        var w = await WorldAsync();
        await app.AsSystemAsync(async db =>
        {
            db.ConsentRecords.Add(Record(w.Child, w.P.Police, w.Officer, ConsentOutcome.Given, Today.AddYears(-2), forAgency: w.P.Youth, expiresOn: Today.AddDays(-1)));
            await db.SaveChangesAsync();
        });
        var page = await (await app.SignInAsync(w.Officer)).GetDocumentAsync($"/people/{w.Child.Id}/consent");
        page.QuerySelector("#current-consent tbody tr .govuk-tag")!.TextContent.ShouldBe("Consent given, expired");
    }

    private static ConsentRecord Record(Person person, Organisation askedBy, TestUser user, ConsentOutcome outcome, DateOnly askedOn,
        ConsentMethod method = ConsentMethod.HomeVisit, Organisation? forAgency = null, DateOnly? expiresOn = null) => new()
        {
            PersonId = person.Id,
            AskedByOrganisationId = askedBy.Id,
            AskedByUserId = user.Id,
            ForOrganisationId = (forAgency ?? askedBy).Id,
            Method = method,
            AskedOn = askedOn,
            AnsweredBy = "Parent",
            Outcome = outcome,
            Scope = outcome == ConsentOutcome.Given ? "Early help" : "",
            ExpiresOn = expiresOn,
            RecordedAt = DateTimeOffset.UtcNow,
        };

    [Fact]
    public async Task Report_TwoAgencies_RatesWithdrawalsApartPeriodAndCsv()
    {
        var w = await WorldAsync();
        var p = w.P;
        var schoolUser = await p.UserAsync(p.School);
        // Only this test records answers in 2019 (each fixture has a database of its own), so the method table is exact for that year.
        const int year = 2019;
        var inRange = new DateOnly(year, 3, 14);
        await app.AsSystemAsync(async db =>
        {
            db.ConsentRecords.AddRange(
                Record(w.Child, p.Police, w.Officer, ConsentOutcome.Given, inRange, ConsentMethod.HomeVisit),
                Record(w.Child, p.Police, w.Officer, ConsentOutcome.Given, inRange, ConsentMethod.HomeVisit),
                Record(w.Child, p.Police, w.Officer, ConsentOutcome.Given, inRange, ConsentMethod.Telephone),
                Record(w.Child, p.Police, w.Officer, ConsentOutcome.Refused, inRange, ConsentMethod.Telephone),
                Record(w.Child, p.Police, w.Officer, ConsentOutcome.Withdrawn, inRange.AddDays(30), ConsentMethod.Letter),
                Record(w.Child, p.School, schoolUser, ConsentOutcome.Given, inRange, ConsentMethod.InPerson),
                Record(w.Child, p.School, schoolUser, ConsentOutcome.Refused, inRange.AddDays(1), ConsentMethod.InPerson),
                // Before the period: counted only without the filter.
                Record(w.Child, p.Police, w.Officer, ConsentOutcome.Refused, new DateOnly(year - 1, 12, 31), ConsentMethod.Email));
            await db.SaveChangesAsync();
        });
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        var period = $"From.Day=1&From.Month=1&From.Year={year}&To.Day=31&To.Month=12&To.Year={year}";

        var page = await analyst.GetDocumentAsync($"/reports/consent?{period}");

        string[] Cells(AngleSharp.Dom.IElement row) => row.QuerySelectorAll("th, td").Select(c => c.TextContent.Trim()).ToArray();
        AngleSharp.Dom.IElement RowOf(string table, string group) =>
            page.QuerySelectorAll($"#{table} tbody tr").Single(r => r.QuerySelector("th")?.TextContent.Trim() == group);
        Cells(RowOf("by-agency", p.Police.Name)).ShouldBe([p.Police.Name, "Police", "5", "3", "1", "1", "75%"]);
        Cells(RowOf("by-agency", p.School.Name)).ShouldBe([p.School.Name, "School", "2", "1", "1", "0", "50%"]);
        Cells(RowOf("by-method", "Home visit")).ShouldBe(["Home visit", "2", "2", "0", "0", "100%"]);
        Cells(RowOf("by-method", "Telephone")).ShouldBe(["Telephone", "2", "1", "1", "0", "50%"]);
        Cells(RowOf("by-method", "Letter")).ShouldBe(["Letter", "1", "0", "0", "1", "—"]);
        Cells(RowOf("by-method", "Email")).ShouldBe(["Email", "0", "0", "0", "0", "—"]);
        page.QuerySelector("#period")!.TextContent.ShouldBe($"Answers from families asked from 1 January {year} to 31 December {year}.");
        page.Body!.TextContent.ShouldNotContain("Noor");

        var all = await analyst.GetDocumentAsync("/reports/consent");
        Cells(all.QuerySelectorAll("#by-agency tbody tr").Single(r => r.QuerySelector("th")?.TextContent.Trim() == p.Police.Name))
            .ShouldBe([p.Police.Name, "Police", "6", "3", "2", "1", "60%"]);

        page.QuerySelector("a[href^='/reports/consent.csv']")!.GetAttribute("href").ShouldBe($"/reports/consent.csv?{period}");
        var csv = await analyst.GetAsync($"/reports/consent.csv?{period}");
        csv.StatusCode.ShouldBe(HttpStatusCode.OK);
        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n");
        lines[0].ShouldBe("Breakdown,Group,Type,Answers recorded,Given,Refused,Withdrawn,Consent rate (%)");
        lines.ShouldContain($"Agency that asked,{p.Police.Name},Police,5,3,1,1,75");
        lines.ShouldContain($"Agency that asked,{p.School.Name},School,2,1,1,0,50");
        lines.ShouldContain("How asked,Letter,,1,0,0,1,");
        lines.ShouldNotContain(l => l.Contains("Noor"));
    }

    [Fact]
    public async Task Report_PeriodEndingBeforeItStarts_Message()
    {
        var p = await TestPartnership.CreateAsync(app);
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));

        var page = await analyst.GetDocumentAsync("/reports/consent?From.Day=1&From.Month=6&From.Year=2024&To.Day=1&To.Month=5&To.Year=2024");

        page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent).ShouldBe(["The end date must be the same as or after the start date"]);
        page.QuerySelector("#by-agency").ShouldBeNull();
        (await analyst.GetAsync("/reports/consent.csv?From.Day=1&From.Month=6&From.Year=2024&To.Day=1&To.Month=5&To.Year=2024")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Report_WhoMaySeeIt_PartnershipRolesAdminsAndAnalystsOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        var practitioner = await app.SignInAsync(await p.UserAsync(p.Police));
        var orgAdmin = await app.SignInAsync(await p.UserAsync(p.School, Roles.OrganisationAdmin));
        var hub = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County));
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));

        foreach (var refused in new[] { practitioner, orgAdmin })
        {
            (await refused.GetAsync("/reports/consent")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await refused.GetAsync("/reports/consent.csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        foreach (var allowed in new[] { hub, admin, analyst })
        {
            (await allowed.GetAsync("/reports/consent")).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await allowed.GetAsync("/reports/consent.csv")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await app.Anonymous().GetAsync("/reports/consent")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}

public sealed class ConsentTestsOnSqlite(SqliteApp app) : ConsentTests(app), IClassFixture<SqliteApp>;

public sealed class ConsentTestsOnPostgres(PostgresApp app) : ConsentTests(app), IClassFixture<PostgresApp>;
