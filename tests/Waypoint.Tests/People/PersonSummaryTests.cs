using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.People;

/// <summary>
/// The person page's "At a glance" card: the open case and its lead, open alerts, the top-10
/// standing and consent, each only as far as the reader may see it.
/// </summary>
public abstract class PersonSummaryTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The case world's child with an open alert at School A, rank 2 on its top 10 for 3 days, and the youth worker as lead practitioner.</summary>
    private async Task<(CaseWorld W, TestUser Dsl)> WorldAsync()
    {
        var w = await CaseWorld.OpenAsync(app);
        var dsl = await w.P.UserAsync(w.P.School);
        await app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(new Alert
            {
                PersonId = w.Child.Id,
                SchoolId = w.P.School.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"summary:{w.Child.Id}",
                TriggeredOn = Today.AddDays(-1),
                Figures = "2 suspensions",
                ThresholdValue = 2,
                Status = AlertStatus.New,
                RaisedAt = DateTimeOffset.UtcNow,
            });
            db.TopTenNominations.Add(new TopTenNomination
            {
                PersonId = w.Child.Id,
                SchoolId = w.P.School.Id,
                Rank = 2,
                Reason = "Two suspensions",
                NominatedAt = DateTimeOffset.UtcNow.AddDays(-3),
                NominatedByUserId = dsl.Id,
            });
            await db.SaveChangesAsync();
            await db.Cases.Where(c => c.Id == w.CaseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.LeadPractitionerId, w.Lead.Id));
        });
        return (w, dsl);
    }

    private static string Row(AngleSharp.Html.Dom.IHtmlDocument page, string id) =>
        string.Join(' ', page.QuerySelector($"#{id} .govuk-summary-list__value")!.TextContent.Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries));

    [Fact]
    public async Task PersonPage_SchoolReader_SeesAlertsAndTopTenButNotTheCaseItIsNotIn()
    {
        var (w, dsl) = await WorldAsync();
        var client = await app.SignInAsync(dsl);

        var page = await client.GetDocumentAsync($"/people/{w.Child.Id}");

        Row(page, "glance-alerts").ShouldBe("1 open alert");
        page.QuerySelector("#glance-alerts a")!.GetAttribute("href").ShouldBe($"/alerts?person={w.Child.Id}");
        Row(page, "glance-top-ten").ShouldBe($"Rank 2 at School A {w.P.Suffix}, on the list for 3 days");
        Row(page, "glance-case").ShouldBe("None you may see");
        Row(page, "glance-consent").ShouldStartWith("None recorded that you may see");
    }

    [Fact]
    public async Task PersonPage_CaseLead_SeesTheOpenCaseLeadAndReview()
    {
        var (w, _) = await WorldAsync();
        var client = await app.SignInAsync(w.Lead);

        var page = await client.GetDocumentAsync($"/people/{w.Child.Id}");

        var text = Row(page, "glance-case");
        text.ShouldStartWith("Early help");
        text.ShouldContain($"Led by Youth Service {w.P.Suffix} (Test user ");
        text.ShouldContain($"Review {Today.AddMonths(3):d MMMM yyyy}");
        page.QuerySelector("#glance-case a")!.GetAttribute("href").ShouldBe($"/cases/{w.CaseId}");
        page.QuerySelector(".govuk-grid-column-one-third #at-a-glance").ShouldNotBeNull();
    }

    /// <summary>
    /// The person page reads the card's parts of the person it opened by the person's id, each with
    /// its filter's rule (PersonAccess's AlertsOf, TopTenNominationsOf, CasesOf, ConsentRecordsOf):
    /// for every kind of reader it must show exactly what the query filters show, no more and no less.
    /// </summary>
    [Fact]
    public async Task OpenedPersonsCard_EveryReader_SameAsThroughTheFilters()
    {
        var (w, dsl) = await WorldAsync();
        var p = w.P;
        var today = Today;
        var olderCaseId = Guid.CreateVersion7();
        var police = await p.UserAsync(p.Police);
        var social = await p.UserAsync(p.SocialCare);
        var charity = await p.UserAsync(p.Charity);
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District);
        var inclusion = await p.PartnershipUserAsync(p.Health, PartnershipFunction.InclusionOfficer, p.County);
        var otherSchool = await p.UserAsync(p.OtherSchool);
        await p.InvolveAsync(w.Child, p.Police);
        await p.InvolveAsync(w.Child, p.SocialCare);
        await app.AsSystemAsync(async db =>
        {
            var now = DateTimeOffset.UtcNow;
            // An older open case led by social care; the charity is on the youth service's case through its team around the family.
            db.Cases.Add(new Waypoint.Domain.Case { Id = olderCaseId, PersonId = w.Child.Id, LeadOrganisationId = p.SocialCare.Id, Level = TriageOutcome.TargetedSupport, Status = CaseStatus.Open, OpenedAt = now.AddDays(-20), OpenedByUserId = hub.Id, NextReviewOn = today.AddDays(5) });
            db.Involvements.Add(new Involvement { PersonId = w.Child.Id, OrganisationId = p.Charity.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = w.CaseId, Reason = "Mentoring", StartDate = today.AddDays(-1), ReviewOn = today.AddMonths(1), AddedByUserId = hub.Id, AddedAt = now });
            // An alert raised by the other school's records (the child's earlier school), and consent asked by the police (newer) and the youth service.
            db.Alerts.Add(new Alert { PersonId = w.Child.Id, SchoolId = p.OtherSchool.Id, Rule = AlertRule.RepeatedSuspensions, TriggerKey = $"summary-other:{w.Child.Id}", TriggeredOn = today, Figures = "3 suspensions", ThresholdValue = 2, Status = AlertStatus.New, RaisedAt = now });
            db.ConsentRecords.Add(new ConsentRecord { PersonId = w.Child.Id, AskedByOrganisationId = p.Youth.Id, ForOrganisationId = p.Youth.Id, AskedByUserId = w.Lead.Id, AskedOn = today.AddDays(-2), AnsweredBy = "Parent", Scope = "Youth work", Outcome = ConsentOutcome.Given, RecordedAt = now });
            db.ConsentRecords.Add(new ConsentRecord { PersonId = w.Child.Id, AskedByOrganisationId = p.Police.Id, ForOrganisationId = p.Police.Id, AskedByUserId = police.Id, AskedOn = today.AddDays(-1), AnsweredBy = "Parent", Scope = "Diversion", Outcome = ConsentOutcome.Refused, RecordedAt = now });
            await db.SaveChangesAsync();
        });

        async Task<(PersonSummaryView? Filtered, PersonSummaryView? Opened)> BothAsync(TestUser? reader)
        {
            async Task<(PersonSummaryView?, PersonSummaryView?)> Read(Waypoint.Data.WaypointDbContext db, IServiceProvider services)
            {
                var filtered = await PersonSummaryCard.LoadAsync(db, w.Child.Id, today);
                var access = services.GetRequiredService<Waypoint.Access.PersonAccess>();
                var opened = await access.OpenExplainedAsync(w.Child.Id, "test.summary");
                return (filtered, opened is null ? null : await PersonSummaryCard.LoadAsync(db, access, opened, today));
            }
            return reader is null ? await app.AsSystemAsync(Read) : await app.AsUserAsync(reader, Read);
        }

        // As a meeting's pack opens its children (many at once, audited in one append), in a request of its own.
        async Task<PersonSummaryView?> OpenedWithOthersAsync(TestUser? reader)
        {
            async Task<PersonSummaryView?> Read(Waypoint.Data.WaypointDbContext db, IServiceProvider services)
            {
                var access = services.GetRequiredService<Waypoint.Access.PersonAccess>();
                var opened = await access.OpenManyAsync([w.Child.Id, Guid.CreateVersion7()], Waypoint.Audit.AuditAction.Read, "test.summary.pack");
                return opened.TryGetValue(w.Child.Id, out var child) ? await PersonSummaryCard.LoadAsync(db, access, child, today) : null;
            }
            return reader is null ? await app.AsSystemAsync(Read) : await app.AsUserAsync(reader, Read);
        }

        // As the person page reads it: in the statement that reads the person's records (the card's consent chosen in the app).
        async Task<PersonSummaryView?> WithTheRecordsAsync(TestUser? reader)
        {
            async Task<PersonSummaryView?> Read(Waypoint.Data.WaypointDbContext db, IServiceProvider services)
            {
                var access = services.GetRequiredService<Waypoint.Access.PersonAccess>();
                return await PersonDetails.OpenAsync(db, access, w.Child.Id, "test.summary.page", cardOn: today) is { } page ? page.Card : null;
            }
            return reader is null ? await app.AsSystemAsync(Read) : await app.AsUserAsync(reader, Read);
        }

        var readers = new (string Name, TestUser? User)[]
        {
            ("school", dsl), ("case lead", w.Lead), ("police, involved", police), ("social care, older case", social),
            ("charity, team around the family", charity), ("hub triage", hub), ("inclusion officer", inclusion), ("system", null),
        };
        var seen = new Dictionary<string, PersonSummaryView>();
        foreach (var (name, user) in readers)
        {
            var (filtered, opened) = await BothAsync(user);
            opened.ShouldNotBeNull(name);
            opened.ShouldBe(filtered, name);
            (await OpenedWithOthersAsync(user)).ShouldBe(filtered, $"{name}, opened with others");
            (await WithTheRecordsAsync(user)).ShouldBe(filtered, $"{name}, read with the records");
            seen[name] = opened;
        }
        // Nobody opens a person they may not see.
        (await BothAsync(otherSchool)).ShouldBe((null, null));
        (await OpenedWithOthersAsync(otherSchool)).ShouldBeNull();
        (await WithTheRecordsAsync(otherSchool)).ShouldBeNull();
        // The rules differ by reader, so the comparison above compared something.
        seen["hub triage"].OpenCase!.Id.ShouldBe(w.CaseId);
        seen["charity, team around the family"].OpenCase!.Id.ShouldBe(w.CaseId);
        seen["social care, older case"].OpenCase!.Id.ShouldBe(olderCaseId);
        seen["inclusion officer"].OpenCase.ShouldBeNull();
        seen["police, involved"].OpenCase.ShouldBeNull();
        seen["police, involved"].Consent!.ForOrganisation.ShouldBe(p.Police.Name);
        seen["system"].OpenAlerts.ShouldBe(2);

        // Every type's case work reaches every type by default, so the consent's rule is compared where the agreement
        // withholds some: without the police's case work reaching schools, the school is shown the youth service's older
        // consent, the newest it may see, on every path.
        await TestAgreement.PublishWithoutAsync(app, r => r.OwnerType == OrganisationType.Police && r.ReaderType == OrganisationType.School
            && r.CategoryCode == RecordCategories.CaseWork);
        try
        {
            var (filtered, opened) = await BothAsync(dsl);
            filtered!.Consent!.ForOrganisation.ShouldBe(p.Youth.Name);
            opened.ShouldBe(filtered);
            (await OpenedWithOthersAsync(dsl)).ShouldBe(filtered, "opened with others, police case work withheld");
            (await WithTheRecordsAsync(dsl)).ShouldBe(filtered, "read with the records, police case work withheld");
        }
        finally
        {
            await TestAgreement.PublishWithAsync(app, (OrganisationType.Police, OrganisationType.School, RecordCategories.CaseWork));
        }
    }
}

public sealed class PersonSummaryTestsOnSqlite(SqliteApp app) : PersonSummaryTests(app), IClassFixture<SqliteApp>;

public sealed class PersonSummaryTestsOnPostgres(PostgresApp app) : PersonSummaryTests(app), IClassFixture<PostgresApp>;
