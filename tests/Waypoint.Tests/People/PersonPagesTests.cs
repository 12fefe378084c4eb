using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>The pages that change a person's record: each opens the person through the policy and audits the change.</summary>
public abstract class PersonPagesTests(WaypointApp app)
{
    [Fact]
    public async Task AddToTeam_AnotherOrganisation_GainsAccessUntilItEndsItsInvolvement()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ella", "Moss", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var youth = await app.SignInAsync(await p.UserAsync(p.Youth));
        (await youth.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var today = DateTime.UtcNow;

        var added = await school.PostFormAsync($"/people/{pupil.Id}/team/new", new()
        {
            ["OrganisationId"] = p.Youth.Id.ToString(),
            ["Reason"] = "Mentoring after school",
            ["Start.Day"] = today.Day.ToString(),
            ["Start.Month"] = today.Month.ToString(),
            ["Start.Year"] = today.Year.ToString(),
            ["End.Day"] = today.AddMonths(3).Day.ToString(),
            ["End.Month"] = today.AddMonths(3).Month.ToString(),
            ["End.Year"] = today.AddMonths(3).Year.ToString(),
        });

        added.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await youth.GetDocumentAsync($"/people/{pupil.Id}");
        page.QuerySelector("#why-visible")!.TextContent.ShouldContain("Mentoring after school");
        var involvementId = await app.AsSystemAsync((db, _) => db.Involvements.Where(i => i.PersonId == pupil.Id && i.OrganisationId == p.Youth.Id).Select(i => i.Id).SingleAsync());

        // Ending asks first, and changes nothing until confirmed.
        var asked = await youth.PostFormAsync($"/people/{pupil.Id}/team/new?handler=End&involvementId={involvementId}", [], formPage: $"/people/{pupil.Id}");
        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector("h1")!.TextContent.ShouldContain("involvement?");
        (await youth.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var ended = await youth.PostFormAsync($"/people/{pupil.Id}/team/new?handler=End&involvementId={involvementId}", new() { ["Confirmed"] = "true" }, formPage: $"/people/{pupil.Id}");

        ended.Headers.Location!.OriginalString.ShouldBe("/people");
        (await youth.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AddTeam_EndBeforeStart_ShowsMessageAndStoresNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Finn", "Cole", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await school.PostFormAsync($"/people/{pupil.Id}/team/new", new()
        {
            ["OrganisationId"] = p.Youth.Id.ToString(),
            ["Reason"] = "Mentoring",
            ["Start.Day"] = "10",
            ["Start.Month"] = "5",
            ["Start.Year"] = "2026",
            ["End.Day"] = "9",
            ["End.Month"] = "5",
            ["End.Year"] = "2026",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await response.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("after the start date");
        (await app.AsSystemAsync((db, _) => db.Involvements.CountAsync(i => i.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task AddIdentifier_UpnHeldByAnotherPerson_RefusedAsLikelyDuplicate()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Waypoint.Features.People.Upn.Create(928, 4001, 12, Random.Shared.Next(0, 999));
        await p.YoungPersonAsync("Gus", "Hale", new DateOnly(2012, 1, 1), enrolledAt: p.OtherSchool, upn: upn);
        var holder = await app.AsSystemAsync((db, _) => db.PersonIdentifiers.Where(i => i.Value == upn).Select(i => i.PersonId).SingleAsync());
        var pupil = await p.YoungPersonAsync("Gus", "Hales", new DateOnly(2012, 1, 1), enrolledAt: p.School);
        var schoolUser = await p.UserAsync(p.School);
        var school = await app.SignInAsync(schoolUser);

        var response = await school.PostFormAsync($"/people/{pupil.Id}/identifiers/new", new() { ["Scheme"] = "Upn", ["Value"] = upn });

        var body = await response.Content.ReadAsStringAsync();
        var message = Clients.Parse(body).QuerySelector(".govuk-error-summary")!.TextContent;
        message.ShouldContain("possible duplicate record exists");
        message.ShouldContain("early-help hub can resolve it");
        body.ShouldNotContain("another person");
        body.ShouldNotContain("Hale<");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == holder && a.UserId == schoolUser.Id && a.Action == AuditAction.DuplicateCheck))).ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.PersonIdentifiers.IgnoreQueryFilters().CountAsync(i => i.PersonId == pupil.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task AddFamilyMember_NewParent_ShownOnBothRecordsAndAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Holly", "Reed", new DateOnly(2013, 2, 2), enrolledAt: p.School);
        var user = await p.UserAsync(p.School);
        var school = await app.SignInAsync(user);

        var response = await school.PostFormAsync($"/people/{pupil.Id}/family/new", new()
        {
            ["Kind"] = "Parent",
            ["Who"] = "new",
            ["GivenName"] = "Joan",
            ["FamilyName"] = "Reed",
            ["SameHousehold"] = "true",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var childPage = await school.GetDocumentAsync($"/people/{pupil.Id}/family");
        var parentLink = childPage.QuerySelectorAll("a").Single(a => a.TextContent == "Joan Reed");
        var parentPage = await school.GetDocumentAsync(parentLink.GetAttribute("href")! + "/family");
        parentPage.Body!.TextContent.ShouldContain("Child");
        parentPage.Body.TextContent.ShouldContain("Holly Reed");
        var writes = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == user.Id && a.Subject == "person.family" && a.Action == AuditAction.Create).CountAsync());
        writes.ShouldBe(2);
    }

    [Fact]
    public async Task EditAndAddress_InvalidInput_NamesFieldsAndChangesNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ivy", "Stone", new DateOnly(2013, 2, 2), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var edit = await school.PostFormAsync($"/people/{pupil.Id}/edit", new()
        {
            ["GivenName"] = "",
            ["FamilyName"] = "Stone",
            ["Dob.Day"] = "31",
            ["Dob.Month"] = "2",
            ["Dob.Year"] = "2013",
            ["WardId"] = p.Ward.Id.ToString(),
        });
        var address = await school.PostFormAsync($"/people/{pupil.Id}/address", new() { ["AddressLine1"] = "1 High Street", ["Town"] = "Brackton", ["Postcode"] = "NOT A CODE" });

        var editErrors = Clients.Parse(await edit.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent;
        editErrors.ShouldContain("Enter the first name");
        editErrors.ShouldContain("real date");
        Clients.Parse(await address.Content.ReadAsStringAsync()).QuerySelector(".govuk-error-summary")!.TextContent.ShouldContain("real postcode");
        var stored = await app.AsSystemAsync((db, _) => db.People.SingleAsync(x => x.Id == pupil.Id));
        stored.GivenName.ShouldBe("Ivy");
        stored.HouseholdId.ShouldBeNull();
    }

    [Fact]
    public async Task Address_Valid_SavedNormalisedAndShown()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Jack", "Frost", new DateOnly(2013, 2, 2), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        await school.PostFormAsync($"/people/{pupil.Id}/address", new() { ["AddressLine1"] = "1 High Street", ["Town"] = "Brackton", ["Postcode"] = "nn81ab" });

        (await school.GetDocumentAsync($"/people/{pupil.Id}")).Body!.TextContent.ShouldContain("NN8 1AB");
    }

    [Fact]
    public async Task SubPages_PersonNotVisible_Return404()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Kit", "Lane", new DateOnly(2013, 2, 2), enrolledAt: p.OtherSchool);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        foreach (var path in new[] { "edit", "identifiers/new", "family/new", "address", "team/new" })
            (await school.GetAsync($"/people/{pupil.Id}/{path}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);
    }

    [Fact]
    public async Task Sections_PersonNotVisible_404AndTheAttemptRecorded()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Kit", "Lane", new DateOnly(2013, 2, 2), enrolledAt: p.OtherSchool);
        var user = await p.UserAsync(p.School);
        var school = await app.SignInAsync(user);

        foreach (var section in PersonSections.Paths)
        {
            var before = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == user.Id && a.PersonId == pupil.Id && a.Action == AuditAction.Denied));

            var response = await school.GetAsync(PersonSections.Url(pupil.Id, section));

            response.StatusCode.ShouldBe(HttpStatusCode.NotFound, section);
            (await response.Content.ReadAsStringAsync()).ShouldNotName("Lane");
            var after = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == user.Id && a.PersonId == pupil.Id && a.Action == AuditAction.Denied));
            after.ShouldBe(before + 1, section);
            (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == user.Id && a.PersonId == pupil.Id && a.Action == AuditAction.Read))).ShouldBe(0, section);
        }
    }

    [Fact]
    public async Task Sections_PersonVisible_EachReadAuditedUnderItsOwnSubjectWithTheIdentityBar()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Waypoint.Features.People.Upn.Create(928, 4003, 13, Random.Shared.Next(0, 999));
        var pupil = await p.YoungPersonAsync("Lola", "Vance", new DateOnly(2013, 3, 3), enrolledAt: p.School, upn: upn);
        var user = await p.UserAsync(p.School);
        var school = await app.SignInAsync(user);
        var subjects = new Dictionary<string, string>
        {
            [""] = "person",
            ["/school"] = "person.school",
            ["/cases"] = "person.cases",
            ["/police-and-risk"] = "person.risk",
            ["/family"] = "person.family-and-team",
        };

        foreach (var section in PersonSections.Paths)
        {
            var page = await school.GetDocumentAsync(PersonSections.Url(pupil.Id, section));

            var bar = page.QuerySelector("#identity-bar")!;
            bar.QuerySelector("h1")!.TextContent.ShouldBe("Lola Vance", section);
            bar.TextContent.ShouldContain("3 March 2013");
            bar.TextContent.ShouldContain(upn);
            bar.TextContent.ShouldContain(p.School.Name);
            bar.QuerySelector("#identity-statuses")!.TextContent.ShouldContain("No open case");
            var current = page.QuerySelectorAll("nav.moj-sub-navigation a[aria-current='page']");
            current.Length.ShouldBe(1, section);
            current[0].GetAttribute("href").ShouldBe(PersonSections.Url(pupil.Id, section));
            (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == user.Id && a.PersonId == pupil.Id
                && a.Action == AuditAction.Read && a.Subject == subjects[section]))).ShouldBe(1, section);
        }
    }

    [Fact]
    public async Task Sections_EachShowsOnlyItsOwnPart()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Mae", "Wren", new DateOnly(2013, 4, 4), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var parts = new Dictionary<string, string>
        {
            [""] = "#person-details",
            ["/school"] = "#school-records",
            ["/cases"] = "#cases-heading",
            ["/police-and-risk"] = "#risk-summary",
            ["/family"] = "#team-heading",
        };

        foreach (var section in PersonSections.Paths)
        {
            var page = await school.GetDocumentAsync(PersonSections.Url(pupil.Id, section));
            foreach (var (other, selector) in parts)
                (page.QuerySelector(selector) is not null).ShouldBe(other == section, $"{selector} on {section}");
        }
    }

    [Fact]
    public async Task Changes_FromThePersonPage_LandOnTheirSectionWithASuccessBanner()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Nia", "Frost", new DateOnly(2013, 5, 5), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var today = DateTime.UtcNow;
        var changes = new (string Form, Dictionary<string, string> Fields, string Section, string Banner)[]
        {
            ("edit", new() { ["GivenName"] = "Nia", ["FamilyName"] = "Frost", ["PreferredName"] = "Ni", ["Dob.Day"] = "5", ["Dob.Month"] = "5", ["Dob.Year"] = "2013", ["WardId"] = p.Ward.Id.ToString() }, "", "The details have been saved"),
            ("identifiers/new", new() { ["Scheme"] = "LocalId", ["Value"] = $"L{p.Suffix}" }, "", "The identifier has been added"),
            ("address", new() { ["AddressLine1"] = "2 Frost Lane", ["Town"] = "Brackton", ["Postcode"] = "NN8 1AB" }, "", "The address has been saved"),
            ("family/new", new() { ["Kind"] = "Parent", ["Who"] = "new", ["GivenName"] = "Rae", ["FamilyName"] = "Frost", ["SameHousehold"] = "true" }, "/family", "The family member has been added"),
            ("team/new", new()
            {
                ["OrganisationId"] = p.Youth.Id.ToString(), ["Reason"] = "Mentoring",
                ["Start.Day"] = today.Day.ToString(), ["Start.Month"] = today.Month.ToString(), ["Start.Year"] = today.Year.ToString(),
                ["End.Day"] = today.AddMonths(3).Day.ToString(), ["End.Month"] = today.AddMonths(3).Month.ToString(), ["End.Year"] = today.AddMonths(3).Year.ToString(),
            }, "/family", "The organisation was added to the team"),
        };

        foreach (var (form, fields, section, banner) in changes)
        {
            var response = await school.PostFormAsync($"/people/{pupil.Id}/{form}", fields);

            response.StatusCode.ShouldBe(HttpStatusCode.Redirect, form);
            response.Headers.Location!.OriginalString.ShouldBe(PersonSections.Url(pupil.Id, section), form);
            var page = await school.GetDocumentAsync(response.Headers.Location.OriginalString);
            page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain(banner, customMessage: form);
            // The banner is shown once, not on the next look.
            (await school.GetDocumentAsync(response.Headers.Location.OriginalString)).QuerySelector(".govuk-notification-banner--success").ShouldBeNull(form);
        }
    }

    [Fact]
    public async Task EndInvolvement_FromTheFamilySection_AsksOnAPageOfItsOwnAndNoKeepsIt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Opal", "Grey", new DateOnly(2013, 6, 6), enrolledAt: p.School);
        await p.InvolveAsync(pupil, p.Youth);
        var youth = await app.SignInAsync(await p.UserAsync(p.Youth));
        var family = await youth.GetDocumentAsync($"/people/{pupil.Id}/family");
        var endForm = family.QuerySelector("#team form")!;

        var asked = await youth.PostFormAsync(endForm.GetAttribute("action")!, [], formPage: $"/people/{pupil.Id}/family");

        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        var confirm = Clients.Parse(await asked.Content.ReadAsStringAsync());
        confirm.QuerySelector("h1")!.TextContent.ShouldContain("involvement?");
        confirm.QuerySelectorAll("a").Single(a => a.TextContent == "No, keep it").GetAttribute("href").ShouldBe($"/people/{pupil.Id}/family");
        (await app.AsSystemAsync((db, _) => db.Involvements.CountAsync(i => i.PersonId == pupil.Id && i.OrganisationId == p.Youth.Id && i.EndDate == null))).ShouldBe(1);
        (await youth.GetAsync($"/people/{pupil.Id}/family")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

public sealed class PersonPagesTestsOnSqlite(SqliteApp app) : PersonPagesTests(app), IClassFixture<SqliteApp>;

public sealed class PersonPagesTestsOnPostgres(PostgresApp app) : PersonPagesTests(app), IClassFixture<PostgresApp>;
