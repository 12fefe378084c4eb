using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Services;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The directory in and out as files: the documented CSV (round trip), an Open Referral UK feed's JSON, and the XLSX list.</summary>
public abstract class DirectoryTransferTests(WaypointApp app)
{
    private const string Header = "id,name,provider,description,how_to_refer,minimum_age,maximum_age,threshold,needs,areas,places,occupied,waiting_list,qa_status,next_review_on";

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string file, string name)
    {
        var form = await client.GetDocumentAsync("/services/import");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Clients.AntiforgeryToken(form.DocumentElement.OuterHtml)!), "__RequestVerificationToken" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(file)), "Upload", name },
        };
        return await client.PostAsync("/services/import", content);
    }

    private static string Line(TestPartnership p, string name, string places = "8", string id = "", string provider = "", string next = "2027-09-01") =>
        $"{id},{name},{(provider.Length > 0 ? provider : p.Charity.Name)},Mentoring after school,Email the team,11,16,Targeted,risk-of-exclusion;Persistent absence,{p.District.Name},{places},0,0,Approved,{next}";

    [Fact]
    public async Task ExportThenImport_SameFile_NothingChanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var first = await app.AddServiceAsync(p, "Round trip one", s => s.Description = "=HYPERLINK(\"https://evil.example\")");
        await app.AddServiceAsync(p, "Round trip two", s => { s.OfstedUrn = "149999"; s.ApRegistration = ApRegistration.Registered; s.NextReviewOn = new DateOnly(2027, 3, 1); });
        var updatedAt = first.UpdatedAt;
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var export = await admin.GetAsync($"/services?handler=Export&format=Csv&Search={p.Suffix}");

        export.StatusCode.ShouldBe(HttpStatusCode.OK);
        export.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        var csv = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        csv.Split("\r\n")[0].ShouldBe(string.Join(",", DirectoryTransfer.Columns));
        csv.ShouldContain("'=HYPERLINK");
        var response = await UploadAsync(admin, csv, "directory.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetDocumentAsync("/services")).QuerySelector(".govuk-notification-banner--success")!.TextContent
            .ShouldContain("directory.csv imported: 2 services read: 0 added, 0 changed, 2 unchanged");
        var stored = await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == first.Id));
        stored.Description.ShouldBe("=HYPERLINK(\"https://evil.example\")");
        stored.UpdatedAt.ShouldBe(updatedAt, TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task ImportCsv_NewAndChanged_StoredAuditedAndSentAgainUnchanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var existing = await app.AddServiceAsync(p, "Existing");
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var client = await app.SignInAsync(admin);
        var file = string.Join("\n", Header, Line(p, $"New mentoring {p.Suffix}"), Line(p, existing.Name, places: "25"));

        var response = await UploadAsync(client, file, "services.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetDocumentAsync("/services")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("1 added, 1 changed, 0 unchanged");
        var added = await app.AsSystemAsync((db, _) => db.Set<Service>().Include(s => s.Needs).Include(s => s.Areas).SingleAsync(s => s.Name == $"New mentoring {p.Suffix}"));
        added.Needs.Select(n => n.TaxonomyTermId).ShouldBe([ServiceData.RiskOfExclusion, ServiceData.PersistentAbsence], ignoreOrder: true);
        added.Areas.Single().AreaId.ShouldBe(p.District.Id);
        added.Threshold.ShouldBe(ServiceThreshold.Targeted);
        added.NextReviewOn.ShouldBe(new DateOnly(2027, 9, 1));
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == existing.Id))).Places.ShouldBe(25);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == admin.Id && a.Subject.Contains("by import of services.csv")).Select(a => a.Subject).ToListAsync()))
            .ShouldBe([$"service {added.Id} added by import of services.csv", $"service {existing.Id} changed by import of services.csv"], ignoreOrder: true);

        (await UploadAsync(client, file, "services.csv")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetDocumentAsync("/services")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("0 added, 0 changed, 2 unchanged");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().CountAsync(s => s.Name == $"New mentoring {p.Suffix}"))).ShouldBe(1);
    }

    [Fact]
    public async Task ImportCsv_BadLines_EachNamedByLineAndColumnAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var existing = await app.AddServiceAsync(p, "Untouched");
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var file = string.Join("\n", Header,
            Line(p, $"Good line {p.Suffix}"),
            Line(p, existing.Name, places: "-1"),
            Line(p, $"Unknown provider {p.Suffix}", provider: "Nobody Ltd"),
            Line(p, $"Bad date {p.Suffix}", next: "1/9/2027"),
            Line(p, $"good LINE {p.Suffix}"));

        var response = await UploadAsync(client, file, "broken.csv");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.DocumentAsync();
        page.QuerySelector("#Upload-error")!.TextContent.ShouldContain("nothing was changed");
        page.QuerySelectorAll("#problems li").Select(li => li.TextContent).ShouldBe([
            "broken.csv, line 3, column places: Places cannot be below zero",
            "broken.csv, line 4, column provider: \"Nobody Ltd\" is not an organisation of the partnership",
            "broken.csv, line 5, column next_review_on: \"1/9/2027\" is not a date written as YYYY-MM-DD",
            "broken.csv, line 6: This is the same service as line 2: each service may be in the file once.",
        ]);
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(s => s.Name == $"Good line {p.Suffix}"))).ShouldBeFalse();
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == existing.Id))).Places.ShouldBe(10);
    }

    [Fact]
    public async Task ImportCsv_WrongHeader_HeaderNamedNothingRead()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var response = await UploadAsync(client, "name,colour\nA,blue", "odd.csv");

        var problems = (await response.DocumentAsync()).QuerySelectorAll("#problems li").Select(li => li.TextContent).ToList();
        problems.ShouldContain(t => t.StartsWith("odd.csv, line 1, column colour: This is not a column of the directory file"));
        problems.ShouldContain("odd.csv, line 1, column provider: The header must have this column.");
    }

    [Fact]
    public async Task ImportCsv_Practitioner_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        (await client.GetAsync("/services/import")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var api = await app.ApiClientAsync(await p.UserAsync(p.School));
        using var content = new MultipartFormDataContent { { new StringContent(string.Join("\n", Header, Line(p, $"Sneaky {p.Suffix}"))), "file", "s.csv" } };
        (await api.PostAsync("/api/v1/services/import", content)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(s => s.Name == $"Sneaky {p.Suffix}"))).ShouldBeFalse();
    }

    [Fact]
    public async Task ImportCsv_OrganisationAdminOthersService_RefusedByLine()
    {
        var p = await TestPartnership.CreateAsync(app);
        var other = await app.AddServiceAsync(p, "Youth's own", s => s.ProviderOrganisationId = p.Youth.Id);
        var client = await app.SignInAsync(await p.UserAsync(p.Charity, Roles.OrganisationAdmin));

        var response = await UploadAsync(client, string.Join("\n", Header, Line(p, other.Name, id: other.Id.ToString(), provider: p.Youth.Name)), "mine.csv");

        (await response.DocumentAsync()).QuerySelector("#problems")!.TextContent.ShouldContain("line 2, column provider");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == other.Id))).Places.ShouldBe(10);
    }

    /// <summary>A page of services as an Open Referral UK publisher writes it (HSDS 3.0 UK: the shape of the standard's own service example).</summary>
    private static string OrukPage(TestPartnership p, Guid serviceId, string status = "active") => $$"""
        {
          "total_items": 1, "total_pages": 1, "page_number": 1, "size": 1, "first_page": true, "last_page": true, "empty": false,
          "contents": [
            {
              "id": "{{serviceId}}",
              "organization_id": "5d6f7a81-2b3c-4d4e-8f90-a1b2c3d4e5f6",
              "name": "Step Forward alternative provision {{p.Suffix}}",
              "description": "Part-time vocational programme for pupils in Years 9 to 11 at risk of exclusion.",
              "url": "https://stepforward.example.org.uk",
              "email": "referrals@stepforward.example.org.uk",
              "status": "{{status}}",
              "fees": "Commissioned by the council: no charge to families.",
              "accreditations": "Registered independent school, Ofsted URN 149999",
              "minimum_age": 13, "maximum_age": 16,
              "assured_date": "2026-01-15",
              "assurer_email": "inclusion@council.example.gov.uk",
              "last_modified": "2026-02-01T09:30:00Z",
              "organization": { "id": "5d6f7a81-2b3c-4d4e-8f90-a1b2c3d4e5f6", "name": "{{p.Charity.Name}}", "description": "Community interest company running alternative provision." },
              "contacts": [ { "id": "7e1d2c3b-4a59-4687-9abc-def012345678", "service_id": "{{serviceId}}", "name": "Referrals team", "title": "Referrals coordinator" } ],
              "schedules": [ { "id": "8f2e3d4c-5b6a-4798-8bcd-ef0123456789", "service_id": "{{serviceId}}", "freq": "WEEKLY", "byday": "MO,TU,WE,TH,FR", "opens_at": "09:00", "closes_at": "15:00", "description": "Term time only, 09:00 to 15:00" } ],
              "service_areas": [ { "id": "9a3f4e5d-6c7b-48a9-9cde-f01234567890", "service_id": "{{serviceId}}", "name": "{{p.District.Name}}", "extent_type": "other" } ],
              "cost_options": [ { "id": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "service_id": "{{serviceId}}", "option": "Commissioned place", "amount": 0, "amount_description": "No charge to families" } ],
              "languages": [ { "id": "e1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "service_id": "{{serviceId}}", "name": "English", "code": "en" } ],
              "attributes": [ { "id": "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e", "link_id": "{{serviceId}}", "taxonomy_term_id": "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f", "link_type": "need",
                                "taxonomy_term": { "id": "c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f", "name": "Risk of exclusion", "description": "Pupils at risk of suspension or permanent exclusion", "taxonomy_id": "d4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80" } } ]
            }
          ]
        }
        """;

    private static MultipartFormDataContent File(string body, string name) =>
        new() { { new StringContent(body, Encoding.UTF8, "application/json"), "file", name } };

    [Fact]
    public async Task ImportOpenReferral_PublisherPage_AddedUnderReviewThenUnchanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var api = await app.ApiClientAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var id = Guid.NewGuid();

        var response = await api.PostAsync("/api/v1/services/import", File(OrukPage(p, id), "council-feed.json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<DirectoryImportSummary>()).ShouldBe(new DirectoryImportSummary(1, 1, 0, 0));
        var stored = await app.AsSystemAsync((db, _) => db.Set<Service>().Include(s => s.Needs).Include(s => s.Areas).SingleAsync(s => s.Id == id));
        stored.Name.ShouldBe($"Step Forward alternative provision {p.Suffix}");
        stored.ProviderOrganisationId.ShouldBe(p.Charity.Id);
        stored.QaStatus.ShouldBe(ServiceQaStatus.UnderReview);
        stored.Places.ShouldBe(0);
        (stored.MinimumAge, stored.MaximumAge).ShouldBe((13, 16));
        stored.ApRegistration.ShouldBe(ApRegistration.Registered);
        stored.OfstedUrn.ShouldBe("149999");
        stored.LastReviewedOn.ShouldBe(new DateOnly(2026, 1, 15));
        stored.ContactName.ShouldBe("Referrals coordinator");
        stored.OpeningTimes.ShouldBe("Term time only, 09:00 to 15:00");
        stored.Cost.ShouldBe("Commissioned by the council: no charge to families.");
        stored.HowToRefer.ShouldContain("referrals@stepforward.example.org.uk");
        stored.Needs.Single().TaxonomyTermId.ShouldBe(ServiceData.RiskOfExclusion);
        stored.Areas.Single().AreaId.ShouldBe(p.District.Id);

        var again = await api.PostAsync("/api/v1/services/import", File(OrukPage(p, id), "council-feed.json"));
        (await again.Content.ReadFromJsonAsync<DirectoryImportSummary>()).ShouldBe(new DirectoryImportSummary(1, 0, 0, 1));

        var defunct = await api.PostAsync("/api/v1/services/import", File(OrukPage(p, id, "defunct"), "council-feed.json"));
        (await defunct.Content.ReadFromJsonAsync<DirectoryImportSummary>()).ShouldBe(new DirectoryImportSummary(1, 0, 1, 0));
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == id))).QaStatus.ShouldBe(ServiceQaStatus.Suspended);
    }

    [Fact]
    public async Task ImportOpenReferral_UnknownOrganisationAndArea_NamedByItemAndField()
    {
        var p = await TestPartnership.CreateAsync(app);
        var api = await app.ApiClientAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var id = Guid.NewGuid();
        var body = OrukPage(p, id).Replace(p.Charity.Name, "Elsewhere CIC").Replace(p.District.Name, "Atlantis").Replace("\"minimum_age\": 13", "\"minimum_age\": \"thirteen\"");

        var response = await api.PostAsync("/api/v1/services/import", File(body, "feed.json"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problems = (await response.Content.ReadFromJsonAsync<Microsoft.AspNetCore.Mvc.ValidationProblemDetails>())!.Errors["file"];
        problems.ShouldContain("feed.json, contents[0], minimum_age: This must be a whole number of years.");
        problems.ShouldContain("feed.json, contents[0], organization.name: \"Elsewhere CIC\" is not an organisation of the partnership: add it first, or correct its name.");
        problems.ShouldContain("feed.json, contents[0], service_areas: \"Atlantis\" is not an area of the partnership: name areas as the partnership does.");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(s => s.Id == id))).ShouldBeFalse();

        (await api.PostAsync("/api/v1/services/import", File("{\"contents\": [", "broken.json"))).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ImportOpenReferral_OwnFeedServiceBackIn_Unchanged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "Published", s => s.LastReviewedOn = new DateOnly(2026, 9, 1));
        var api = await app.ApiClientAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var published = await app.Anonymous().GetStringAsync($"/openreferral/v3/services/{service.Id}");

        var response = await api.PostAsync("/api/v1/services/import", File(published, "ours.json"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        (await response.Content.ReadFromJsonAsync<DirectoryImportSummary>())!.Added.ShouldBe(0);
    }

    [Fact]
    public async Task ExportXlsx_ListWithFormulaCell_NeutralisedAndAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        await app.AddServiceAsync(p, "Spreadsheet", s => s.Cost = "+44 free");
        var admin = await p.UserAsync(p.School);
        var client = await app.SignInAsync(admin);

        var response = await client.GetAsync($"/services?handler=Export&format=Xlsx&Search={p.Suffix}");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentDisposition!.FileName!.ShouldEndWith(".xlsx");
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = stream.Query(useHeaderRow: true).Cast<IDictionary<string, object?>>().ToList();
        rows.Single()["name"].ShouldBe($"Spreadsheet {p.Suffix}");
        rows.Single()["cost"].ShouldBe("'+44 free");
        Convert.ToInt32(rows.Single()["places"], System.Globalization.CultureInfo.InvariantCulture).ShouldBe(10);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.UserId == admin.Id && a.Action == AuditAction.Export && a.Subject == "services directory exported (1 service)")))
            .ShouldBeTrue();
    }

    [Fact]
    public async Task ImportCommand_CsvFile_ImportsThenNamesProblemLine()
    {
        var p = await TestPartnership.CreateAsync(app);
        var path = Path.Combine(Path.GetTempPath(), $"services-{Guid.NewGuid():N}.csv");
        try
        {
            await System.IO.File.WriteAllTextAsync(path, string.Join("\n", Header, Line(p, $"From the shell {p.Suffix}")));
            var (code, output) = await RunAsync([path]);
            code.ShouldBe(0, output);
            output.ShouldContain("1 added, 0 changed, 0 unchanged");
            (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.Subject.StartsWith("services directory import of services-") && a.Basis == "operator command"))).ShouldBeTrue();

            await System.IO.File.WriteAllTextAsync(path, string.Join("\n", Header, Line(p, $"Broken from the shell {p.Suffix}", places: "lots")));
            (code, output) = await RunAsync([path]);
            code.ShouldBe(2);
            output.ShouldContain("line 2, column places: Places must be a whole number from 0 to 10000");
        }
        finally
        {
            System.IO.File.Delete(path);
        }

        Task<(int, string)> RunAsync(string[] args) => app.AsSystemAsync(async (_, services) =>
        {
            var output = new StringWriter();
            var code = await DirectoryCommands.ImportAsync(services, args, output, output, CancellationToken.None);
            return (code, output.ToString());
        });
    }
}

public sealed class DirectoryTransferTestsOnSqlite(SqliteApp app) : DirectoryTransferTests(app), IClassFixture<SqliteApp>;

public sealed class DirectoryTransferTestsOnPostgres(PostgresApp app) : DirectoryTransferTests(app), IClassFixture<PostgresApp>;
