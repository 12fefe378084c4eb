using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Services;

/// <summary>The services directory: kept by the partnership admin and the inclusion team, searched by every partner.</summary>
public abstract class ServiceDirectoryTests(WaypointApp app)
{
    [Fact]
    public async Task AddService_PartnershipAdmin_StoredShownWithBannerAndAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var client = await app.SignInAsync(admin);
        var name = $"Step Forward {p.Suffix}";

        var response = await client.PostFieldsAsync("/services/new", ServiceData.Form(p, name));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = await app.AsSystemAsync((db, _) => db.Set<Service>().Include(s => s.Needs).Include(s => s.Areas).SingleAsync(s => s.Name == name));
        response.LocationPath().ShouldBe($"/services/{stored.Id}");
        stored.Places.ShouldBe(12);
        stored.Occupied.ShouldBe(3);
        stored.Needs.Count.ShouldBe(2);
        stored.Areas.Single().AreaId.ShouldBe(p.District.Id);
        stored.NextReviewOn.ShouldBe(new DateOnly(2027, 9, 1));
        var page = await client.GetDocumentAsync($"/services/{stored.Id}");
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain($"{name} added to the directory");
        page.QuerySelector("#capacity")!.TextContent.ShouldContain("9 free");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.UserId == admin.Id && a.Subject == $"service {stored.Id} added" && a.PersonId == null)))
            .ShouldBeTrue();
    }

    [Fact]
    public async Task AddService_BadInput_EachFieldNamedAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        var name = $"Broken {p.Suffix}";
        var fields = ServiceData.Form(p, name)
            .With("Input.Places", "-1")
            .With("Input.MinimumAge", "16").With("Input.MaximumAge", "11")
            .With("Input.NextReviewOn.Year", "2026").With("Input.NextReviewOn.Month", "8")
            .With("Input.ApRegistration", "Registered")
            .With("Input.Website", "not a url");

        var response = await client.PostFieldsAsync("/services/new", fields);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await response.DocumentAsync();
        page.ErrorSummary().ShouldBe([
            "The maximum age (11) must be the same as or more than the minimum age (16)",
            "Places cannot be below zero",
            "Enter the Ofsted URN of a registered provider (6 or 7 digits)",
            "The next review must be after the last review",
            "Enter the website's full address, starting https://",
        ], ignoreOrder: true);
        page.QuerySelector("#Places")!.GetAttribute("value").ShouldBe("-1");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(s => s.Name == name))).ShouldBeFalse();
    }

    [Fact]
    public async Task AddService_Practitioner_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var name = $"Sneaky {p.Suffix}";

        (await client.GetAsync("/services/new")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var post = await client.PostFieldsAsync("/services/new", ServiceData.Form(p, name));

        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(s => s.Name == name))).ShouldBeFalse();
    }

    [Fact]
    public async Task AddService_InclusionOfficer_Stored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County);
        var client = await app.SignInAsync(officer);
        var name = $"Commissioned AP {p.Suffix}";

        var response = await client.PostFieldsAsync("/services/new", ServiceData.Form(p, name).With("Input.ApRegistration", "Registered").With("Input.OfstedUrn", "149999"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stored = await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Name == name));
        stored.ApRegistration.ShouldBe(ApRegistration.Registered);
        stored.OfstedUrn.ShouldBe("149999");
    }

    [Fact]
    public async Task EditService_OrganisationAdmin_OwnServiceOnly()
    {
        var p = await TestPartnership.CreateAsync(app);
        var own = await app.AddServiceAsync(p, "Own");
        var other = await app.AddServiceAsync(p, "Other", s => s.ProviderOrganisationId = p.Youth.Id);
        var client = await app.SignInAsync(await p.UserAsync(p.Charity, Roles.OrganisationAdmin));

        (await client.GetAsync($"/services/{other.Id}/edit")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var response = await client.SubmitAsync($"/services/{own.Id}/edit", "#service-form", f => f.Set("Input.Places", "20"));

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == own.Id))).Places.ShouldBe(20);
        (await client.GetDocumentAsync($"/services/{own.Id}")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("changed");
    }

    [Fact]
    public async Task Suspend_AsksFirstThenSuspendsWithBanner()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "To suspend");
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        var ask = await client.GetDocumentAsync($"/services/{service.Id}/suspend");
        ask.QuerySelector("h1")!.TextContent.ShouldBe($"Suspend {service.Name}?");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == service.Id))).QaStatus.ShouldBe(ServiceQaStatus.Approved);

        var response = await client.SubmitAsync($"/services/{service.Id}/suspend", "#suspend-form");

        response.LocationPath().ShouldBe($"/services/{service.Id}");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().SingleAsync(s => s.Id == service.Id))).QaStatus.ShouldBe(ServiceQaStatus.Suspended);
        var page = await client.GetDocumentAsync($"/services/{service.Id}");
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("suspended");
    }

    [Fact]
    public async Task Remove_AsksFirstThenRemoves()
    {
        var p = await TestPartnership.CreateAsync(app);
        var service = await app.AddServiceAsync(p, "To remove");
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));

        (await client.GetDocumentAsync($"/services/{service.Id}/remove")).QuerySelector("h1")!.TextContent.ShouldContain("Remove");
        var response = await client.SubmitAsync($"/services/{service.Id}/remove", "#remove-form");

        response.LocationPath().ShouldBe("/services");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(s => s.Id == service.Id))).ShouldBeFalse();
        (await client.GetAsync($"/services/{service.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Directory_Practitioner_FiltersByNeedAgeAreaAndPlacesTogether()
    {
        var p = await TestPartnership.CreateAsync(app);
        var match = await app.AddServiceAsync(p, "Match");
        await app.AddServiceAsync(p, "Wrong need", s => s.Needs[0].TaxonomyTermId = ServiceData.PersistentAbsence);
        await app.AddServiceAsync(p, "Too old", s => s.MinimumAge = 15);
        await app.AddServiceAsync(p, "Other district", s => s.Areas[0].AreaId = p.OtherDistrict.Id);
        await app.AddServiceAsync(p, "Full", s => s.Occupied = s.Places);
        var county = await app.AddServiceAsync(p, "County wide", s => s.Areas[0].AreaId = p.County.Id);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var all = await client.GetDocumentAsync($"/services?Search={p.Suffix}");
        all.QuerySelectorAll("#results h3").Length.ShouldBe(6);
        var page = await client.GetDocumentAsync($"/services?Search={p.Suffix}&Need={ServiceData.RiskOfExclusion}&Age=13&Area={p.Ward.Id}&HasPlaces=true");

        page.QuerySelectorAll("#results h3 a").Select(a => a.TextContent).ShouldBe([county.Name, match.Name], ignoreOrder: true);
    }

    [Fact]
    public async Task Directory_AgeNotANumber_MessageNotError()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await client.GetAsync("/services?Age=twelve");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.DocumentAsync()).ErrorSummary().ShouldBe(["Age must be a whole number from 0 to 25"]);
    }
}

public sealed class ServiceDirectoryTestsOnSqlite(SqliteApp app) : ServiceDirectoryTests(app), IClassFixture<SqliteApp>;

public sealed class ServiceDirectoryTestsOnPostgres(PostgresApp app) : ServiceDirectoryTests(app), IClassFixture<PostgresApp>;
