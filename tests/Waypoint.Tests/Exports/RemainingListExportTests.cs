using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;
using Waypoint.Tests.Services;

namespace Waypoint.Tests.Exports;

/// <summary>
/// The lists that were last to get CSV and XLSX (service referrals, the police lists, the
/// administration lists, the risk oversight history): each file holds what the page lists to the
/// same readers, with formula-like cells neutralised; person-level files audit each person as
/// exported; a role that cannot open the page cannot take the file.
/// </summary>
public abstract class RemainingListExportTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static List<IDictionary<string, object?>> Sheet(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
    }

    private static async Task<string> CsvAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());
    }

    private Task<List<AuditEntry>> AuditAsync(TestUser user, string subject) =>
        app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.UserId == user.Id && a.Subject.StartsWith(subject)).ToListAsync());

    private sealed record ReferralWorld(TestPartnership P, Person Child, TestUser Dsl, TestUser Provider);

    /// <summary>School A refers its pupil to a charity's service whose name looks like a formula; the charity may see the child through the referral.</summary>
    private async Task<ReferralWorld> ReferralWorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Ana", $"Referred{p.Suffix}", Today.AddYears(-13), enrolledAt: p.School);
        var dsl = await p.UserAsync(p.School);
        var provider = await p.UserAsync(p.Charity);
        var service = await app.AddServiceAsync(p, "=Mentoring");
        await p.InvolveAsync(child, p.Charity, "Service referral");
        await app.AsSystemAsync(async db =>
        {
            db.Add(new ServiceReferral
            {
                PersonId = child.Id,
                ServiceId = service.Id,
                ProviderOrganisationId = p.Charity.Id,
                ReferrerUserId = dsl.Id,
                ReferrerOrganisationId = p.School.Id,
                Reason = "Needs a mentor",
                Urgency = ServiceReferralUrgency.Urgent,
                Status = ServiceReferralStatus.Sent,
                SentAt = DateTimeOffset.UtcNow.AddDays(-1),
                UpdatedAt = DateTimeOffset.UtcNow.AddDays(-1),
            });
            await db.SaveChangesAsync();
        });
        return new ReferralWorld(p, child, dsl, provider);
    }

    [Fact]
    public async Task ServiceReferralsExport_Csv_BothSidesNeutralisedAndAuditedPerChild()
    {
        var w = await ReferralWorldAsync();
        var school = await app.SignInAsync(w.Dsl);
        var charity = await app.SignInAsync(w.Provider);

        var page = await school.GetDocumentAsync("/service-referrals");
        var made = await CsvAsync(school, page.QuerySelector("#referral-exports a[href*='format=csv']")!.GetAttribute("href")!);
        var incoming = await CsvAsync(charity, "/service-referrals?handler=Export&format=csv");

        made.ShouldStartWith("\uFEFFList,Young person,Service,Other organisation,Sent,Status,Urgency,Last changed\r\n");
        made.ShouldContain($"Made by your organisation,Ana Referred{w.P.Suffix},'=Mentoring {w.P.Suffix},Charity {w.P.Suffix},");
        incoming.ShouldContain($"To answer or start,Ana Referred{w.P.Suffix},'=Mentoring {w.P.Suffix},School A {w.P.Suffix},");
        incoming.ShouldContain(",sent,Urgent,");
        (await AuditAsync(w.Dsl, "service-referrals.export")).ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            a => a.Action.ShouldBe(AuditAction.Export),
            a => a.PersonId.ShouldBe(w.Child.Id));
        (await AuditAsync(w.Provider, "service-referrals.export")).ShouldHaveSingleItem().PersonId.ShouldBe(w.Child.Id);
    }

    [Fact]
    public async Task ServiceReferralsExport_Xlsx_ReadsBackAndAnOutsiderGetsNoRowsNorAudit()
    {
        var w = await ReferralWorldAsync();
        var school = await app.SignInAsync(w.Dsl);
        var housingUser = await w.P.UserAsync(w.P.Housing);
        var housing = await app.SignInAsync(housingUser);

        var rows = Sheet(await school.GetByteArrayAsync("/service-referrals?handler=Export&format=xlsx"));
        var outsider = await CsvAsync(housing, "/service-referrals?handler=Export&format=csv");

        var row = rows.ShouldHaveSingleItem();
        row["Young person"].ShouldBe($"Ana Referred{w.P.Suffix}");
        row["Service"].ShouldBe($"'=Mentoring {w.P.Suffix}");
        row["Urgency"].ShouldBe("Urgent");
        outsider.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(1);
        (await AuditAsync(housingUser, "service-referrals")).ShouldBeEmpty();
    }

    [Fact]
    public async Task PoliceOccurrencesExport_OfficerGetsTheForcesOccurrences_OthersNotFound()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"X-{w.P.Suffix}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var officer = await app.SignInAsync(w.Officer);
        var schoolUser = await app.SignInAsync(await w.P.UserAsync(w.P.School));

        var page = await officer.GetDocumentAsync("/police");
        var csv = await CsvAsync(officer, page.QuerySelector("#occurrence-exports a[href*='format=csv']")!.GetAttribute("href")!);
        var rows = Sheet(await officer.GetByteArrayAsync("/police?handler=Export&format=xlsx"));

        csv.ShouldStartWith("\uFEFFReference,Occurred on,What,Ward,Location,Outcome,Category,People linked\r\n");
        csv.ShouldContain($"X-{w.P.Suffix},{Today.AddDays(-10):yyyy-MM-dd},");
        var row = rows.ShouldHaveSingleItem();
        row["Reference"].ShouldBe($"X-{w.P.Suffix}");
        row["Occurred on"].ShouldBe(Today.AddDays(-10).ToDateTime(TimeOnly.MinValue));
        Convert.ToInt32(row["People linked"]).ShouldBe(1);
        var audited = await AuditAsync(w.Officer, "police:occurrences export");
        audited.Count.ShouldBe(2);
        audited.ShouldAllBe(a => a.Action == AuditAction.Export && a.PersonId == null);
        (await schoolUser.GetAsync("/police?handler=Export&format=csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PoliceReviewsExport_WaitingNameListed_OthersNotFound()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var api = await app.ApiClientAsync(w.Officer);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, $"Q-{w.P.Suffix}", personRef: "", role: "offender"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var officer = await app.SignInAsync(w.Officer);
        var hub = await app.SignInAsync(w.HubWorker);

        var page = await officer.GetDocumentAsync("/police/reviews");
        var rows = Sheet(await officer.GetByteArrayAsync(page.QuerySelector("#review-exports a[href*='format=xlsx']")!.GetAttribute("href")!));

        var row = rows.ShouldHaveSingleItem();
        row["Name in the file"].ShouldBe($"Kai {w.Child.FamilyName}");
        row["Role"].ShouldBe("offender");
        row["Occurrence"].ShouldBe($"Q-{w.P.Suffix}");
        row["Status"].ShouldBe("Waiting");
        (await AuditAsync(w.Officer, "police:reviews export")).ShouldHaveSingleItem().PersonId.ShouldBeNull();
        (await hub.GetAsync("/police/reviews?handler=Export&format=csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PlacesExport_ReaderWhoMayNotRecordPlaces_NotFound()
    {
        var p = await TestPartnership.CreateAsync(app);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        (await school.GetAsync("/police/places")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await school.GetAsync("/police/places?handler=Export&format=csv")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UsersExport_PartnershipAdmin_EveryAccountFoundNeutralisedAndAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var target = await p.UserAsync(p.School);
        await app.AsSystemAsync(db => db.Users.Where(u => u.Id == target.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.DisplayName, "=HYPERLINK(\"x\")")));
        await p.UserAsync(p.School);
        var client = await app.SignInAsync(admin);

        var page = await client.GetDocumentAsync($"/admin/users?organisation={p.School.Id}");
        var csv = await CsvAsync(client, page.QuerySelector("#user-exports a[href*='format=csv']")!.GetAttribute("href")!);
        var rows = Sheet(await client.GetByteArrayAsync($"/admin/users?handler=Export&format=xlsx&organisation={p.School.Id}"));

        csv.ShouldStartWith("\uFEFFName,Email,Job title,Organisation,Roles,Active,Authenticator set up\r\n");
        csv.ShouldContain($"\"'=HYPERLINK(\"\"x\"\")\",{target.Email},");
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => (string)r["Organisation"]! == $"School A {p.Suffix}");
        rows.ShouldContain(r => (string)r["Name"]! == "'=HYPERLINK(\"x\")");
        var audited = await AuditAsync(admin, "admin.users export");
        audited.Count.ShouldBe(2);
        audited.ShouldAllBe(a => a.Action == AuditAction.Export && a.PersonId == null && a.Subject == "admin.users export (2 accounts)");
    }

    [Fact]
    public async Task UsersExport_OrganisationAdmin_OnlyTheirOwnOrganisationWhateverTheyAsk()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.School, Roles.OrganisationAdmin);
        var other = await p.UserAsync(p.OtherSchool);
        var client = await app.SignInAsync(admin);

        var csv = await CsvAsync(client, $"/admin/users?handler=Export&format=csv&organisation={p.OtherSchool.Id}");

        csv.ShouldContain(admin.Email);
        csv.ShouldNotContain(other.Email);
    }

    [Fact]
    public async Task AdminExports_Practitioner_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        foreach (var url in new[] { "/admin/users", "/admin/organisations", "/admin/areas", "/admin/agreement/versions" })
            (await client.GetAsync($"{url}?handler=Export&format=csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
        // An organisation administrator runs accounts, not the partnership's lists.
        var orgAdmin = await app.SignInAsync(await p.UserAsync(p.School, Roles.OrganisationAdmin));
        (await orgAdmin.GetAsync("/admin/organisations?handler=Export&format=xlsx")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PartnershipListsExport_OrganisationsAreasAndVersions_AsThePagesList()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var organisations = Sheet(await client.GetByteArrayAsync("/admin/organisations?handler=Export&format=xlsx&type=School"));
        var areas = await CsvAsync(client, "/admin/areas?handler=Export&format=csv");
        var versions = await CsvAsync(client, "/admin/agreement/versions?handler=Export&format=csv");

        organisations.ShouldAllBe(r => (string)r["Type"]! == "School");
        organisations.Where(r => ((string)r["Name"]!).EndsWith(p.Suffix)).Select(r => (string)r["Name"]!).ShouldBe([$"School A {p.Suffix}", $"School B {p.Suffix}"]);
        areas.ShouldContain($"\r\nWard A {p.Suffix},Ward,,County {p.Suffix},District A {p.Suffix},Yes\r\n");
        areas.ShouldContain($"\r\nDistrict B {p.Suffix},District,,County {p.Suffix},,Yes\r\n");
        versions.ShouldStartWith("\uFEFFVersion,Title,Current,In force from,In force until,Rules\r\n");
        versions.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).ShouldContain(l => l.Contains(",Yes,"));
    }

    [Fact]
    public async Task RiskOversightExport_EachPersonInItAuditedAsExported()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Kai", $"Overseen{p.Suffix}", Today.AddYears(-15), enrolledAt: p.School);
        var officer = await p.UserAsync(p.Police);
        await app.AsSystemAsync(async db =>
        {
            db.PersonFlags.Add(new PersonFlag
            {
                PersonId = child.Id,
                Kind = FlagKind.GangAssociated,
                Evidence = "Seen with a group",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceIntelligence,
                SetByUserId = officer.Id,
                SetAt = DateTimeOffset.UtcNow.AddMonths(-4),
                ReviewOn = Today.AddDays(-1),
                Status = FlagStatus.Active,
            });
            await db.SaveChangesAsync();
        });
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var client = await app.SignInAsync(dpo);

        var csv = await CsvAsync(client, "/risk/oversight?handler=Export&format=csv");
        var rows = Sheet(await client.GetByteArrayAsync("/risk/oversight?handler=Export&format=xlsx"));

        csv.ShouldStartWith("\uFEFFsection,when,person,what,who,organisation,detail\r\n");
        csv.ShouldContain($"flag,,{child.Id},Gang-associated lapsed,,Police {p.Suffix},review by {Today.AddDays(-1):yyyy-MM-dd}");
        rows.ShouldContain(r => (string)r["section"]! == "flag" && (string)r["person"]! == child.Id.ToString());
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking()
            .Where(a => a.UserId == dpo.Id && a.PersonId == child.Id && a.Subject == "risk:oversight export").ToListAsync());
        audited.Count.ShouldBe(2);
        audited.ShouldAllBe(a => a.Action == AuditAction.Export && a.Basis == "data-protection officer");
        (await (await app.SignInAsync(officer)).GetAsync("/risk/oversight?handler=Export&format=csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

public sealed class RemainingListExportTestsOnSqlite(SqliteApp app) : RemainingListExportTests(app), IClassFixture<SqliteApp>;

public sealed class RemainingListExportTestsOnPostgres(PostgresApp app) : RemainingListExportTests(app), IClassFixture<PostgresApp>;
