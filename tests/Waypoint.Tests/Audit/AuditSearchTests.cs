using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>The data-protection officer's audit search and export, on each provider.</summary>
public abstract class AuditSearchTests(WaypointApp app)
{
    [Fact]
    public async Task AuditPages_NotDpo_Return403()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Practitioner, Roles.PartnershipAdmin));

        foreach (var url in new[] { "/audit", "/audit/export", "/audit/verify", "/audit/break-glass", $"/audit/break-glass/{Guid.NewGuid()}" })
            (await client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden, url);
        (await client.PostFormAsync("/audit/verify", [], formPage: "/people")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Search_ByPerson_ShowsNamesJoinedAndIsItselfAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (pupil, teacher) = await PupilReadByTeacherAsync(p);
        var teacherName = await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == teacher.Id).Select(u => u.DisplayName).SingleAsync());
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var client = await app.SignInAsync(dpo);

        var page = await client.GetDocumentAsync($"/audit?personId={pupil.Id}");

        var rows = Rows(page);
        var expected = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == pupil.Id).OrderByDescending(a => a.Id).Select(a => a.Id).ToListAsync());
        rows.Select(r => r.Id).ShouldBe(expected.Where(id => id <= rows[0].Id));
        var read = rows.Single(r => r.Text.Contains("api:person"));
        read.Text.ShouldContain(teacherName);
        read.Text.ShouldContain($"School A {p.Suffix}");
        read.Text.ShouldContain("enrolment");
        read.Text.ShouldContain(pupil.Id.ToString());
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == dpo.Id).ToListAsync());
        audited.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            a => a.Subject.ShouldBe("audit.search"),
            a => a.PersonId.ShouldBe(pupil.Id),
            a => a.Action.ShouldBe(AuditAction.Read));
    }

    [Fact]
    public async Task Search_InvalidFilters_ShowsErrorsAndReadsNothing()
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var client = await app.SignInAsync(dpo);

        var page = await client.GetDocumentAsync("/audit?personId=not-an-id&user=nobody@test.invalid&from.day=31&from.month=2&from.year=2025&action=Sneak");

        page.QuerySelector(".govuk-error-summary").ShouldNotBeNull();
        page.QuerySelector("#PersonId-error")!.TextContent.ShouldContain("person id");
        page.QuerySelector("#User-error")!.TextContent.ShouldContain("No account");
        page.QuerySelector("#From-error")!.TextContent.ShouldContain("real date");
        page.QuerySelector("#Action-error").ShouldNotBeNull();
        page.QuerySelector("#results").ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.UserId == dpo.Id))).ShouldBeFalse();
    }

    [Fact]
    public async Task Search_DateRangeBeforeTheEntries_FindsNone()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (pupil, _) = await PupilReadByTeacherAsync(p);
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        var yesterday = DateTime.UtcNow.AddDays(-1);
        var today = DateTime.UtcNow;

        var before = await client.GetDocumentAsync($"/audit?personId={pupil.Id}&to.day={yesterday.Day}&to.month={yesterday.Month}&to.year={yesterday.Year}");
        var during = await client.GetDocumentAsync($"/audit?personId={pupil.Id}&from.day={today.Day}&from.month={today.Month}&from.year={today.Year}");

        before.QuerySelector("#results")!.TextContent.ShouldBe("No entries found");
        Rows(during).ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Search_MoreThanAPage_PagesThroughOlderAndNewerEntries()
    {
        var p = await TestPartnership.CreateAsync(app);
        var teacher = await p.UserAsync(p.School);
        var subject = Guid.NewGuid();
        await app.AsUserAsync(teacher, async (_, services) =>
        {
            var events = Enumerable.Range(1, 60).Select(i => new AuditEvent(subject, AuditAction.Read, $"test.{i}", "enrolment")).ToList();
            await services.GetRequiredService<AuditTrail>().RecordAsync(events);
            return true;
        });
        var client = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        var first = await client.GetDocumentAsync($"/audit?personId={subject}&user={Uri.EscapeDataString(teacher.Email)}");
        var second = await client.GetDocumentAsync(Link(first, "next")!);
        var back = await client.GetDocumentAsync(Link(second, "prev")!);

        Rows(first).Select(r => r.Subject).ShouldBe(Enumerable.Range(11, 50).Reverse().Select(i => $"test.{i}"));
        Link(first, "prev").ShouldBeNull();
        Rows(second).Count.ShouldBe(10);
        Rows(second).Select(r => r.Subject).ShouldBe(Enumerable.Range(1, 10).Reverse().Select(i => $"test.{i}"));
        Link(second, "next").ShouldBeNull();
        Rows(back).Select(r => r.Id).ShouldBe(Rows(first).Select(r => r.Id));
        Link(second, "prev")!.ShouldContain($"user={Uri.EscapeDataString(teacher.Email)}");
    }

    [Fact]
    public async Task Export_ByUserAndAction_SendsHeaderAndMatchingRowsAndIsAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (pupil, teacher) = await PupilReadByTeacherAsync(p);
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var client = await app.SignInAsync(dpo);

        var response = await client.GetAsync($"/audit/export?user={Uri.EscapeDataString(teacher.Email)}&action=ListedInSearch");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        response.Content.Headers.ContentDisposition!.DispositionType.ShouldBe("attachment");
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("Id,OccurredAtUtc,UserId,User,OrganisationId,Organisation,Action,Subject,Basis,Channel,PersonId");
        var expected = await app.AsSystemAsync((db, _) => db.AuditEntries
            .Where(a => a.UserId == teacher.Id && a.Action == AuditAction.ListedInSearch).OrderByDescending(a => a.Id).Select(a => a.Id).ToListAsync());
        expected.ShouldNotBeEmpty();
        lines[1..].Select(l => long.Parse(l.Split(',')[0])).ShouldBe(expected);
        var fields = lines[1].Split(',');
        fields[2].ShouldBe(teacher.Id.ToString());
        fields[5].ShouldBe($"School A {p.Suffix}");
        fields[6].ShouldBe("ListedInSearch");
        fields[7].ShouldBe("api:people.search");
        fields[10].ShouldBe(pupil.Id.ToString());
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == dpo.Id).ToListAsync());
        audited.ShouldHaveSingleItem().Action.ShouldBe(AuditAction.Export);
    }

    [Fact]
    public void CsvField_FormulaOrSeparator_IsDefusedAndQuoted()
    {
        Features.Audit.AuditSearch.CsvField("=HYPERLINK(\"x\")").ShouldBe("\"'=HYPERLINK(\"\"x\"\")\"");
        Features.Audit.AuditSearch.CsvField("Smith, Jo").ShouldBe("\"Smith, Jo\"");
        Features.Audit.AuditSearch.CsvField("plain").ShouldBe("plain");
        Features.Audit.AuditSearch.CsvField(null).ShouldBe("");
    }

    /// <summary>A pupil at the partnership's school, found by an API search and then read by a teacher there.</summary>
    private async Task<(Domain.Person Pupil, TestUser Teacher)> PupilReadByTeacherAsync(TestPartnership p)
    {
        var pupil = await p.YoungPersonAsync("Lena", $"Ford{p.Suffix}", new DateOnly(2011, 5, 5), enrolledAt: p.School);
        var teacher = await p.UserAsync(p.School);
        var api = await app.ApiClientAsync(teacher);
        (await api.GetAsync($"/api/v1/people?name=Ford{p.Suffix}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.GetAsync($"/api/v1/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        return (pupil, teacher);
    }

    private static List<(long Id, string Subject, string Text)> Rows(IHtmlDocument page) =>
        page.QuerySelectorAll("table.govuk-table tbody tr")
            .Select(tr => (long.Parse(tr.Id!["entry-".Length..]), tr.QuerySelectorAll("td")[3].TextContent.Trim(), tr.TextContent))
            .ToList();

    private static string? Link(IHtmlDocument page, string rel) => page.QuerySelector($"nav.govuk-pagination a[rel={rel}]")?.GetAttribute("href");
}

public sealed class AuditSearchTestsOnSqlite(SqliteApp app) : AuditSearchTests(app), IClassFixture<SqliteApp>;

public sealed class AuditSearchTestsOnPostgres(PostgresApp app) : AuditSearchTests(app), IClassFixture<PostgresApp>;
