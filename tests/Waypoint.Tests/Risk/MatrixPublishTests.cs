using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;

namespace Waypoint.Tests.Risk;

/// <summary>
/// A new version of the risk matrix: prepared as a draft with a change note, refused when a factor
/// would read victims into offending, published only by the data-protection officer; every score is
/// then recomputed and names the version that produced it.
/// </summary>
public abstract class MatrixPublishTests(WaypointApp app)
{
    /// <summary>The form's fields as the browser would send them (checked boxes only).</summary>
    public static Dictionary<string, string> FormFields(IHtmlDocument page, string formSelector = "form#matrix-draft")
    {
        var form = page.QuerySelector(formSelector)!;
        var fields = new Dictionary<string, string>();
        var multi = new Dictionary<string, List<string>>();
        foreach (var input in form.QuerySelectorAll("input").OfType<IHtmlInputElement>())
        {
            if (string.IsNullOrEmpty(input.Name) || input.Name == "__RequestVerificationToken" || (input.Type is "checkbox" or "radio" && !input.IsChecked))
                continue;
            if (!multi.TryGetValue(input.Name, out var values))
                multi[input.Name] = values = [];
            values.Add(input.Value);
        }
        foreach (var t in form.QuerySelectorAll("textarea").OfType<IHtmlTextAreaElement>())
            multi[t.Name!] = [t.Value];
        foreach (var s in form.QuerySelectorAll("select").OfType<IHtmlSelectElement>())
            multi[s.Name!] = [s.Value ?? ""];
        // Repeated names (roles) are sent indexed, which model binding reads as the same list.
        foreach (var (name, values) in multi)
        {
            if (values.Count == 1)
                fields[name] = values[0];
            else
                for (var i = 0; i < values.Count; i++)
                    fields[$"{name}[{i}]"] = values[i];
        }
        return fields;
    }

    [Fact]
    public async Task Draft_OffendingFactorReadingVictims_RefusedNamingTheFieldAndNothingSaved()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var fields = FormFields(await admin.GetDocumentAsync("/risk/matrix/draft"));
        fields["ChangeNote"] = "Adds a victim factor";
        fields["NewFactor.Name"] = "Victim of robbery";
        fields["NewFactor.Source"] = "Occurrences";
        fields["NewFactor.Kind"] = "Offending";
        fields["NewFactor.Weight"] = "11";
        fields["NewFactor.LookBackMonths"] = "12";
        fields["NewFactor.MinimumCount"] = "1";
        fields["NewFactor.Roles"] = "Victim";

        var response = await admin.PostFormAsync("/risk/matrix/draft", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelector("#NewFactor-Roles-error")!.TextContent.ShouldContain("cannot read victim");
        page.QuerySelector("#NewFactor-Weight-error")!.TextContent.ShouldContain("between 1 and 10");
        (await app.AsSystemAsync((db, _) => db.RiskMatrixVersions.CountAsync(v => v.Status == RiskMatrixStatus.Draft))).ShouldBe(0);
    }

    [Fact]
    public async Task Publish_DraftSignedOffByTheOfficer_RetiresTheOldVersionAndScoresNameTheNewOne()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        (await OccurrenceImportTests.PostFileAsync(await app.ApiClientAsync(w.Officer), OccurrenceImportTests.Line(w, $"M-{w.P.Suffix}"))).StatusCode.ShouldBe(HttpStatusCode.OK);
        var before = await app.AsSystemAsync((db, _) => db.RiskScores.Where(s => s.PersonId == w.Child.Id && s.IsLatest).Select(s => new { s.Offending, s.MatrixVersion!.Number }).SingleAsync());
        before.Offending.ShouldBe(4);

        var admin = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Roles.PartnershipAdmin));
        var fields = FormFields(await admin.GetDocumentAsync("/risk/matrix/draft"));
        var weight = fields.Single(f => f.Value == "Suspect or offender in a violence offence in 12 months").Key.Replace(".Name", ".Weight");
        fields[weight] = "6";
        fields["ChangeNote"] = "Violence weighs more after the partnership's review";
        (await admin.PostFormAsync("/risk/matrix/draft", fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await admin.GetDocumentAsync("/risk/matrix")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Draft saved");
        (await admin.GetAsync("/risk/matrix/publish")).StatusCode.ShouldNotBe(HttpStatusCode.OK);

        var dpo = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Roles.DataProtectionOfficer));
        var draft = await dpo.GetDocumentAsync("/risk/matrix/publish");
        draft.QuerySelector("h1")!.TextContent.ShouldContain($"Publish version {before.Number + 1}");
        draft.Body!.TextContent.ShouldContain("Violence weighs more");
        (await dpo.PostFormAsync("/risk/matrix/publish", new())).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var matrix = await dpo.GetDocumentAsync("/risk/matrix");
        matrix.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain($"Version {before.Number + 1} published");
        matrix.QuerySelector("#published")!.TextContent.ShouldContain($"version {before.Number + 1}");
        matrix.QuerySelector("#retired")!.TextContent.ShouldContain($"Version {before.Number}");

        // The recompute runs in the background: waiting for the runner (the worker may already have taken it) stands in for time passing.
        matrix.QuerySelector("#recompute").ShouldNotBeNull();
        await app.Services.GetRequiredService<RiskRecomputeRunner>().RunPendingAsync(TestContext.Current.CancellationToken);
        (await dpo.GetDocumentAsync("/risk/matrix")).QuerySelector("#recompute")!.TextContent.ShouldContain($"Every score recomputed by version {before.Number + 1}");
        var after = await app.AsSystemAsync((db, _) => db.RiskScores.Where(s => s.PersonId == w.Child.Id && s.IsLatest).Select(s => new { s.Offending, s.MatrixVersion!.Number }).SingleAsync());
        after.Offending.ShouldBe(6);
        after.Number.ShouldBe(before.Number + 1);
        (await app.AsSystemAsync((db, _) => db.RiskMatrixVersions.CountAsync(v => v.Status == RiskMatrixStatus.Published))).ShouldBe(1);
        var officer = await app.SignInAsync(w.Officer);
        (await officer.GetDocumentAsync($"/people/{w.Child.Id}/risk")).Body!.TextContent.ShouldContain($"matrix version {before.Number + 1}");
        (await officer.GetAsync("/risk/matrix")).StatusCode.ShouldNotBe(HttpStatusCode.OK);
    }
}

public sealed class MatrixPublishTestsOnSqlite(SqliteApp app) : MatrixPublishTests(app), IClassFixture<SqliteApp>;

public sealed class MatrixPublishTestsOnPostgres(PostgresApp app) : MatrixPublishTests(app), IClassFixture<PostgresApp>;
