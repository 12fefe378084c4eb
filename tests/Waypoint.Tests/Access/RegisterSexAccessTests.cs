using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The register's sex is a pupil characteristic (issue 13, item 4): the school the young person is on
/// the roll of sees it on the page, through the API and in the PDF; police and other partners who
/// may see the person do not, until the sharing agreement lets pupil characteristics reach them.
/// No export carries it for anyone. A fixture of its own: the test changes the agreement.
/// </summary>
public abstract class RegisterSexAccessTests(WaypointApp app)
{
    private sealed record Seen(bool Page, bool Api, bool Pdf, bool Export);

    [Fact]
    public async Task RegisterSex_SchoolSeesIt_PoliceAndPartnersOnlyWhereTheAgreementSaysSo()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Robin", $"Sexcheck{p.Suffix}", new DateOnly(2012, 4, 9), enrolledAt: p.School);
        await app.AsSystemAsync(db => db.People.Where(x => x.Id == child.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Sex, Sex.Female)));
        await p.InvolveAsync(child, p.Police);
        await p.InvolveAsync(child, p.Youth);
        var school = await p.UserAsync(p.School);
        var police = await p.UserAsync(p.Police);
        var youth = await p.UserAsync(p.Youth);

        // Each user signs in once (the server accepts each TOTP code once) and the clients are reused.
        var clients = new Dictionary<Guid, (HttpClient Web, HttpClient Api)>();
        async Task<(HttpClient Web, HttpClient Api)> ClientsOf(TestUser user) =>
            clients.TryGetValue(user.Id, out var c) ? c : clients[user.Id] = (await app.SignInAsync(user), await app.ApiClientAsync(user));

        async Task<Seen> SeenByAsync(TestUser user)
        {
            var (client, api) = await ClientsOf(user);
            var page = await client.GetDocumentAsync($"/people/{child.Id}");
            var details = page.QuerySelector("#person-details")!;
            details.TextContent.ShouldContain("Robin", customMessage: "the reader sees the person");
            var onPage = details.QuerySelectorAll("dt").Any(dt => dt.TextContent.Trim() == "Sex") || page.Body!.TextContent.Contains("Female", StringComparison.Ordinal);

            var json = JsonDocument.Parse(await api.GetStringAsync($"/api/v1/people/{child.Id}")).RootElement;
            json.GetProperty("givenName").GetString().ShouldBe("Robin");
            var inApi = json.TryGetProperty("sex", out var sex) && sex.ValueKind != JsonValueKind.Null;
            if (inApi)
                sex.ToString().ShouldBeOneOf("Female", "1");

            var pdf = await client.GetAsync(page.QuerySelector("#person-pdf")!.GetAttribute("href")!);
            pdf.StatusCode.ShouldBe(HttpStatusCode.OK);
            using var document = UglyToad.PdfPig.PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync());
            var text = string.Join("\n", document.GetPages().Select(pg => ContentOrderTextExtractor.GetText(pg)));
            text.ShouldContain("Robin");
            var inPdf = text.Contains("Female", StringComparison.Ordinal);

            var csv = Encoding.UTF8.GetString(await client.GetByteArrayAsync($"/people?Name={Uri.EscapeDataString($"Sexcheck{p.Suffix}")}&handler=Export&format=csv"));
            csv.ShouldContain("Robin");
            var inExport = csv.Contains("Female", StringComparison.Ordinal) || csv.Split('\n')[0].Contains("Sex", StringComparison.Ordinal);
            return new Seen(onPage, inApi, inPdf, inExport);
        }

        (await SeenByAsync(school)).ShouldBe(new Seen(Page: true, Api: true, Pdf: true, Export: false));
        (await SeenByAsync(police)).ShouldBe(new Seen(false, false, false, false));
        (await SeenByAsync(youth)).ShouldBe(new Seen(false, false, false, false));

        // The agreement lets pupil characteristics reach youth services from schools: the youth worker sees it, the police still not.
        await TestAgreement.PublishWithAsync(app, (OrganisationType.School, OrganisationType.YouthService, RecordCategories.PupilCharacteristics));
        (await SeenByAsync(youth)).ShouldBe(new Seen(true, true, true, false));
        (await SeenByAsync(police)).ShouldBe(new Seen(false, false, false, false));

        // The change-details form offers the sex only to a reader shown it (a reader not shown it keeps the register's value on saving).
        (await (await ClientsOf(school)).Web.GetDocumentAsync($"/people/{child.Id}/edit")).QuerySelector("#Sex").ShouldNotBeNull();
        var edit = await (await ClientsOf(police)).Web.GetAsync($"/people/{child.Id}/edit");
        if (edit.StatusCode == HttpStatusCode.OK)
            Clients.Parse(await edit.Content.ReadAsStringAsync()).QuerySelector("#Sex").ShouldBeNull();
    }
}

public sealed class RegisterSexAccessTestsOnSqlite(SqliteApp app) : RegisterSexAccessTests(app), IClassFixture<SqliteApp>;

public sealed class RegisterSexAccessTestsOnPostgres(PostgresApp app) : RegisterSexAccessTests(app), IClassFixture<PostgresApp>;
