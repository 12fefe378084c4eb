using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Admin;

/// <summary>
/// The information-sharing agreement as the partnership administrator changes it. The agreement is
/// one for the whole app, so each test first publishes the state it needs rather than relying on
/// what an earlier test left behind.
/// </summary>
public abstract class AgreementAdministrationTests(WaypointApp app)
{
    private const string EducationFromSchoolToPolice = "education:School:Police";
    private const string IntelligenceFromPoliceToSchool = "police-intelligence:Police:School";

    [Fact]
    public async Task Publish_VersionStoppingEducationToPolice_PoliceLoseUpnAndOldVersionIsKept()
    {
        var p = await TestPartnership.CreateAsync(app);
        var upn = Waypoint.Features.People.Upn.Create(928, 4001, 12, 321);
        var pupil = await p.YoungPersonAsync("Rhea", "Stone", new DateOnly(2011, 5, 5), enrolledAt: p.School, upn: upn);
        await p.InvolveAsync(pupil, p.Police);
        var police = await app.ApiClientAsync(await p.UserAsync(p.Police));
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await PublishAsync(admin, allowed => allowed.Add(new("Input.Allowed", EducationFromSchoolToPolice)));
        (await IdentifiersSeenAsync(police, pupil.Id)).ShouldBe([upn]);
        var before = await app.AsSystemAsync((db, _) => db.SharingAgreementVersions.AsNoTracking().SingleAsync(v => v.IsCurrent));

        var published = await PublishAsync(admin, allowed => allowed.RemoveAll(f => f.Value == EducationFromSchoolToPolice));

        published.Headers.Location!.OriginalString.ShouldBe("/admin/agreement");
        (await IdentifiersSeenAsync(police, pupil.Id)).ShouldBeEmpty();
        var versions = await app.AsSystemAsync((db, _) => db.SharingAgreementVersions.AsNoTracking().Include(v => v.Rules).ToListAsync());
        var old = versions.Single(v => v.Id == before.Id);
        old.IsCurrent.ShouldBeFalse();
        old.InForceFrom.ShouldBe(before.InForceFrom);
        old.Rules.ShouldContain(r => r.CategoryCode == "education" && r.OwnerType == OrganisationType.School && r.ReaderType == OrganisationType.Police);
        var current = versions.Where(v => v.IsCurrent).ShouldHaveSingleItem();
        current.Number.ShouldBeGreaterThan(before.Number);
        current.InForceFrom.ShouldNotBeNull();
        current.Rules.ShouldNotContain(r => r.CategoryCode == "education" && r.OwnerType == OrganisationType.School && r.ReaderType == OrganisationType.Police);
        current.Rules.Count.ShouldBe(old.Rules.Count - 1);
        var history = await admin.GetDocumentAsync($"/admin/agreement/versions/{before.Number}");
        history.QuerySelector("#rule-education-School-Police")!.TextContent.Trim().ShouldBe("Yes");
        var now = await admin.GetDocumentAsync("/admin/agreement");
        now.QuerySelector("#rule-education-School-Police .govuk-visually-hidden")!.TextContent.ShouldBe("No");
    }

    [Fact]
    public async Task SaveDraft_AllButOneRuleUnticked_SavedWithoutAnError()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await StartDraftAsync(admin);

        // As the fuzz test found it: a draft posted with a single rule left ticked (issue 10, "never a 500").
        var response = await admin.PostFormAsync("/admin/agreement/draft", new()
        {
            ["Input.Title"] = "Information-sharing agreement, version 2",
            ["Input.Summary"] = "Only schools' education records, between schools",
            ["Input.Allowed"] = "education:School:School",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        (await DraftRulesAsync()).Count.ShouldBe(1);

        // Ticked again, the rules are added back (new rows, not updates of rows that are gone).
        var all = (await app.AsSystemAsync((db, _) => db.SharingRules.AsNoTracking().Where(r => r.AgreementVersion!.IsCurrent).ToListAsync()))
            .Select(r => $"{r.CategoryCode}:{r.OwnerType}:{r.ReaderType}").ToList();
        var again = await admin.PostAsync("/admin/agreement/draft", new FormUrlEncodedContent(
            all.Select(a => new KeyValuePair<string, string>("Input.Allowed", a))
                .Append(new("Input.Title", "Information-sharing agreement, version 2"))
                .Append(new("__RequestVerificationToken", Clients.AntiforgeryToken(await (await admin.GetAsync("/admin/agreement/draft")).Content.ReadAsStringAsync())!))));
        again.StatusCode.ShouldBe(HttpStatusCode.Redirect, await again.Content.ReadAsStringAsync());
        (await DraftRulesAsync()).ShouldBe(all, ignoreOrder: true);
    }

    [Fact]
    public async Task SaveDraft_PoliceIntelligenceToSchool_RejectedAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await StartDraftAsync(admin);
        var draftBefore = await DraftRulesAsync();
        var currentBefore = await app.AsSystemAsync((db, _) => db.SharingAgreementVersions.AsNoTracking().Where(v => v.IsCurrent).Select(v => v.Id).SingleAsync());

        var saved = await admin.SubmitAsync("/admin/agreement/draft", "#draft-form", f => f.Add(new("Input.Allowed", IntelligenceFromPoliceToSchool)));
        var published = await admin.SubmitAsync("/admin/agreement/draft", "#draft-form", f => f.Add(new("Input.Allowed", IntelligenceFromPoliceToSchool)), "button[formaction]");

        foreach (var response in new[] { saved, published })
        {
            response.StatusCode.ShouldBe(HttpStatusCode.OK);
            var page = await response.DocumentAsync();
            page.ErrorSummary().ShouldBe(["Police intelligence may only ever be seen by police: it cannot flow to school"]);
            page.QuerySelector("#category-police-intelligence-error").ShouldNotBeNull();
        }
        (await DraftRulesAsync()).ShouldBe(draftBefore, ignoreOrder: true);
        (await app.AsSystemAsync((db, _) => db.SharingAgreementVersions.AsNoTracking().Where(v => v.IsCurrent).Select(v => v.Id).SingleAsync())).ShouldBe(currentBefore);
        (await app.AsSystemAsync((db, _) => db.SharingRules.AnyAsync(r => r.CategoryCode == "police-intelligence" && r.ReaderType != OrganisationType.Police))).ShouldBeFalse();
    }

    [Fact]
    public async Task DraftEditor_EveryCheckbox_HasItsOwnLabelAndEveryGridACaption()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        await StartDraftAsync(admin);

        var page = await admin.GetDocumentAsync("/admin/agreement/draft");

        var boxes = page.QuerySelectorAll("#draft-form input[type=checkbox]");
        boxes.Length.ShouldBeGreaterThan(0);
        foreach (var box in boxes)
            page.QuerySelector($"label[for='{box.Id}']")!.TextContent.Trim().ShouldNotBeNullOrEmpty();
        boxes.Select(b => b.Id).Distinct().Count().ShouldBe(boxes.Length);
        var tables = page.QuerySelectorAll("#draft-form table");
        tables.Length.ShouldBe(Waypoint.Data.ReferenceData.Categories.Count);
        tables.ShouldAllBe(t => t.QuerySelector("caption") != null);
        // Police intelligence outside the police is not even offered.
        page.QuerySelector($"#rule-police-intelligence-Police-School").ShouldBeNull();
        page.QuerySelector("[style]").ShouldBeNull();
    }

    [Fact]
    public async Task AgreementPages_OrganisationAdmin_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var orgAdmin = await app.SignInAsync(await p.UserAsync(p.School, Roles.OrganisationAdmin));
        var draftsBefore = await app.AsSystemAsync((db, _) => db.SharingAgreementVersions.CountAsync());

        var draft = await orgAdmin.PostFormAsync("/admin/agreement?handler=Draft", new(), formPage: "/admin/users/new");

        (await orgAdmin.GetAsync("/admin/agreement")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await orgAdmin.GetAsync("/admin/agreement/versions")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        draft.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.SharingAgreementVersions.CountAsync())).ShouldBe(draftsBefore);
    }

    /// <summary>Drafts a new version as the page offers it, or carries on with the draft an earlier test left.</summary>
    private static async Task StartDraftAsync(HttpClient admin)
    {
        var page = await admin.GetDocumentAsync("/admin/agreement");
        if (page.QuerySelector("a[href='/admin/agreement/draft']") is not null)
            return;
        var response = await admin.SubmitAsync("/admin/agreement", "form[action='/admin/agreement?handler=Draft']");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/admin/agreement/draft");
    }

    /// <summary>Drafts a version from the one in force, changes its ticks, and publishes it.</summary>
    private static async Task<HttpResponseMessage> PublishAsync(HttpClient admin, Action<List<KeyValuePair<string, string>>> change)
    {
        await StartDraftAsync(admin);
        var response = await admin.SubmitAsync("/admin/agreement/draft", "#draft-form", change, "button[formaction]");
        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return response;
    }

    private async Task<List<string>> DraftRulesAsync() =>
        (await app.AsSystemAsync((db, _) => db.SharingRules.AsNoTracking().Where(r => r.AgreementVersion!.InForceFrom == null).ToListAsync()))
            .Select(r => $"{r.CategoryCode}:{r.OwnerType}:{r.ReaderType}").ToList();

    private static async Task<List<string?>> IdentifiersSeenAsync(HttpClient client, Guid personId)
    {
        var person = await client.GetFromJsonAsync<JsonElement>($"/api/v1/people/{personId}");
        return person.GetProperty("identifiers").EnumerateArray().Select(i => i.GetProperty("value").GetString()).ToList();
    }
}

public sealed class AgreementAdministrationTestsOnSqlite(SqliteApp app) : AgreementAdministrationTests(app), IClassFixture<SqliteApp>;

public sealed class AgreementAdministrationTestsOnPostgres(PostgresApp app) : AgreementAdministrationTests(app), IClassFixture<PostgresApp>;
