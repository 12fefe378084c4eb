using System.IO.Compression;
using System.Net;
using System.Text;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.SubjectAccess;
using Waypoint.Identity;
using Waypoint.Shell.Exports;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.SubjectAccess;

/// <summary>A person with records held by five agencies and the police, a sibling named in them, and the markers each record's text carries.</summary>
internal sealed record SubjectAccessWorld(TestPartnership P, Person Child, Person Sibling, string SiblingUpn, string Marker, Guid OccurrenceId)
{
    public string School => $"{Marker}school";
    public string Youth => $"{Marker}youth";
    public string Health => $"{Marker}health";
    public string FamilyCentre => $"{Marker}family";
    public string SocialCare => $"{Marker}social";
    public string PoliceOccurrence => $"{Marker}occurrence";
    public string PoliceFlag => $"{Marker}flag";
    public string SiblingName => $"{Sibling.GivenName} {Sibling.FamilyName}";

    // Letters only: name matching folds digits away.
    public static string Letters() => new(Guid.NewGuid().ToString("N")[..10].Select(c => (char)('a' + Convert.ToInt32(c.ToString(), 16))).ToArray());

    public static async Task<SubjectAccessWorld> CreateAsync(WaypointApp app)
    {
        var p = await TestPartnership.CreateAsync(app);
        var m = Letters();
        var family = "Brook" + m;
        var child = await p.YoungPersonAsync("Kai", family, new DateOnly(2012, 4, 4), p.School, upn: "K" + Letters().ToUpperInvariant());
        var siblingUpn = "S" + Letters().ToUpperInvariant();
        var sibling = await p.YoungPersonAsync("Sam", family, new DateOnly(2014, 6, 6), p.School, upn: siblingUpn);
        var opened = DateTimeOffset.UtcNow.AddMonths(-3);
        var occurrence = new Occurrence
        {
            PoliceReference = "OC" + m,
            OccurredOn = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(-2),
            IncidentType = IncidentType.ConcernForSafety,
            Outcome = $"{m}occurrence outcome",
            OwnerOrganisationId = p.Police.Id,
            CategoryCode = RecordCategories.PoliceGeneral,
            RecordedAt = opened,
        };
        await app.AsSystemAsync(async db =>
        {
            db.PersonRelationships.Add(new PersonRelationship { PersonId = child.Id, RelatedPersonId = sibling.Id, Kind = RelationshipKind.Sibling, OwnerOrganisationId = p.School.Id, CategoryCode = RecordCategories.Family });
            db.BehaviourIncidents.Add(new BehaviourIncident
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                OccurredOn = DateOnly.FromDateTime(opened.UtcDateTime),
                Severity = 2,
                Description = $"{m}school incident in the yard; {sibling.GivenName} {family} was there",
                RecordedAt = opened,
            });
            db.Suspensions.Add(new Suspension { PersonId = child.Id, SchoolId = p.School.Id, StartDate = DateOnly.FromDateTime(opened.UtcDateTime), Sessions = 2, ReasonCode1 = "PA", RecordedAt = opened });
            var theCase = new Domain.Case { PersonId = child.Id, LeadOrganisationId = p.Youth.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = opened };
            db.Cases.Add(theCase);
            db.CaseNotes.Add(new CaseNote
            {
                CaseId = theCase.Id,
                PersonId = child.Id,
                OwnerOrganisationId = p.Youth.Id,
                CategoryCode = RecordCategories.CaseWork,
                At = opened,
                Text = $"{m}youth note: Kai argued with {sibling.GivenName} {family} (UPN {siblingUpn}); Sam then went to bed",
            });
            db.CaseGoals.Add(new CaseGoal { CaseId = theCase.Id, Text = $"{m}youth goal: back in school full time", CreatedAt = opened });
            db.CaseActions.Add(new CaseAction { CaseId = theCase.Id, Description = $"{m}health action: sleep clinic", OwnerOrganisationId = p.Health.Id, DueOn = DateOnly.FromDateTime(opened.UtcDateTime).AddDays(30), CreatedAt = opened });
            db.ConsentRecords.Add(new ConsentRecord
            {
                PersonId = child.Id,
                AskedByOrganisationId = p.FamilyCentre.Id,
                ForOrganisationId = p.FamilyCentre.Id,
                AskedOn = DateOnly.FromDateTime(opened.UtcDateTime),
                AnsweredBy = "Parent",
                Scope = $"{m}family sharing with the family centre",
                RecordedAt = opened,
            });
            db.Referrals.Add(new Referral
            {
                PersonId = child.Id,
                ReporterOrganisationId = p.SocialCare.Id,
                AreaId = p.Ward.Id,
                Categories = nameof(ConcernCategory.Other),
                WhatIsKnown = $"{m}social report: worries at home",
                ReportedAt = opened.AddDays(-3),
                DecisionDueBy = opened,
                Status = ReferralStatus.Decided,
                Outcome = TriageOutcome.EarlyHelp,
                DecidedAt = opened,
                CaseId = theCase.Id,
            });
            db.Occurrences.Add(occurrence);
            db.OccurrencePeople.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = child.Id, Role = OccurrenceRole.Witness });
            db.PersonFlags.Add(new PersonFlag
            {
                PersonId = child.Id,
                Kind = FlagKind.CriminalExploitationRisk,
                Evidence = $"{m}flag evidence",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceIntelligence,
                SetAt = opened,
                ReviewOn = DateOnly.FromDateTime(DateTime.UtcNow).AddMonths(3),
            });
            await db.SaveChangesAsync();
        });
        return new SubjectAccessWorld(p, child, sibling, siblingUpn, m, occurrence.Id);
    }
}

/// <summary>Subject access (issue 16, item 3): recording, compiling, redacting, police release and issuing, on each provider.</summary>
public abstract class SubjectAccessTests(WaypointApp app)
{
    private static string Letters() => SubjectAccessWorld.Letters();

    private Task<SubjectAccessWorld> WorldAsync() => SubjectAccessWorld.CreateAsync(app);

    private async Task<HttpClient> DpoAsync(TestPartnership p) => await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

    private static async Task<Guid> RecordAsync(HttpClient dpo, Guid personId, DateOnly receivedOn)
    {
        var recorded = await dpo.PostFormAsync("/subject-access/new", new()
        {
            ["Person"] = personId.ToString(),
            ["RequesterName"] = "Jo Requester",
            ["Relationship"] = "Parent",
            ["ReceivedOn.Day"] = receivedOn.Day.ToString(),
            ["ReceivedOn.Month"] = receivedOn.Month.ToString(),
            ["ReceivedOn.Year"] = receivedOn.Year.ToString(),
        }, $"/subject-access/new?person={personId}");
        recorded.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        return Guid.Parse(recorded.Headers.Location!.ToString().Split("id=")[1]);
    }

    private static async Task CompileAsync(HttpClient dpo, Guid id)
    {
        var compiled = await dpo.PostFormAsync($"/subject-access/request?id={id}&handler=Compile", [], $"/subject-access/request?id={id}");
        compiled.StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    /// <summary>Confirms every proposed redaction as the page offers it (redact), as a DPO who checked them would.</summary>
    private static async Task ConfirmRedactionsAsync(HttpClient dpo, Guid id)
    {
        var page = await dpo.GetDocumentAsync($"/subject-access/redactions?id={id}");
        var fields = page.QuerySelectorAll("input[type=radio]:checked").OfType<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value);
        fields.ShouldNotBeEmpty();
        (await dpo.PostFormAsync($"/subject-access/redactions?id={id}&handler=Decide", fields, $"/subject-access/redactions?id={id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }

    private async Task<SubjectAccessIssue> IssueAsync(HttpClient dpo, Guid id)
    {
        var confirm = await dpo.GetDocumentAsync($"/subject-access/issue?id={id}");
        confirm.QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        var issued = await dpo.PostFormAsync($"/subject-access/issue?id={id}", []);
        issued.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await dpo.GetDocumentAsync($"/subject-access/request?id={id}")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("has been issued");
        return await app.AsSystemAsync((db, _) => db.SubjectAccessIssues.AsNoTracking().SingleAsync(i => i.RequestId == id));
    }

    private static string PdfText(byte[] bytes, out int pages, out int markedPages)
    {
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var texts = pdf.GetPages().Select(p => ContentOrderTextExtractor.GetText(p)).ToList();
        pages = texts.Count;
        markedPages = texts.Count(t => t.Contains(PrintedDocument.OfficialSensitive, StringComparison.Ordinal));
        // Wrapped lines come back on lines of their own: compare text as words.
        return System.Text.RegularExpressions.Regex.Replace(string.Join(" ", texts), @"\s+", " ");
    }

    private static Dictionary<string, string> Csvs(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    [Fact]
    public async Task Issue_PersonWithRecordsFromFiveAgencies_CopyHoldsEachAgencyWithThirdPartiesRedactedAndNoPolice()
    {
        var w = await WorldAsync();
        var teacher = await app.SignInAsync(await w.P.UserAsync(w.P.School));
        (await teacher.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var dpo = await DpoAsync(w.P);
        var id = await RecordAsync(dpo, w.Child.Id, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3));
        await CompileAsync(dpo, id);

        var refused = await dpo.GetDocumentAsync($"/subject-access/issue?id={id}");
        refused.QuerySelector("#refusal")!.TextContent.ShouldContain("not been checked");
        await ConfirmRedactionsAsync(dpo, id);
        var issue = await IssueAsync(dpo, id);

        var text = PdfText(issue.Pdf, out var pages, out var marked);
        marked.ShouldBe(pages);
        foreach (var agencyText in new[] { w.School, w.Youth, w.Health, w.FamilyCentre, w.SocialCare })
            text.ShouldContain(agencyText);
        foreach (var agency in new[] { w.P.School, w.P.Youth, w.P.Health, w.P.FamilyCentre, w.P.SocialCare })
            text.ShouldContain(agency.Name);
        text.ShouldContain(RedactedText.Marker);
        text.ShouldNotContain(w.SiblingName, Shouldly.Case.Insensitive);
        text.ShouldNotContain(w.SiblingUpn);
        text.ShouldNotContain("Sam ");
        text.ShouldNotContain(w.PoliceOccurrence);
        text.ShouldNotContain(w.PoliceFlag);
        text.ShouldContain("Kai argued with");

        var csvs = Csvs(issue.Zip);
        csvs.Keys.ShouldContain("case-note.csv");
        csvs.Keys.ShouldContain("behaviour-incident.csv");
        csvs.Keys.ShouldContain("consent.csv");
        csvs.Keys.ShouldContain("report-to-the-hub.csv");
        csvs.Keys.ShouldContain("case-action.csv");
        csvs.Keys.ShouldContain("who-viewed-the-record.csv");
        csvs.Keys.ShouldNotContain("police-occurrence.csv");
        csvs.Keys.ShouldNotContain("police-flag.csv");
        // Who looked: the school and the role, not the member of staff (the partnership's default).
        csvs["who-viewed-the-record.csv"].ShouldContain(w.P.School.Name);
        csvs["who-viewed-the-record.csv"].ShouldContain("Practitioner");
        csvs["who-viewed-the-record.csv"].ShouldNotContain("Member of staff");
        csvs["case-note.csv"].ShouldContain(w.Youth);
        csvs["case-note.csv"].ShouldContain(RedactedText.Marker);
        var all = string.Concat(csvs.Values);
        all.ShouldNotContain(w.SiblingName, Shouldly.Case.Insensitive);
        all.ShouldNotContain(w.SiblingUpn);
        all.ShouldNotContain(w.PoliceOccurrence);

        // The kept copy is what the DPO downloads, and the download and the issue are audited against the person.
        var download = await dpo.GetAsync($"/subject-access/download?id={issue.Id}&format=pdf");
        download.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await download.Content.ReadAsByteArrayAsync()).ShouldBe(issue.Pdf);
        issue.KeepUntil.ShouldBe(DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2), "the default schedule keeps an issued copy two years from issue");
        issue.RedactionsJson.ShouldContain(w.SiblingUpn);
        var audit = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.PersonId == w.Child.Id).Select(a => a.Subject).ToListAsync());
        audit.ShouldContain("subject-access.compile");
        audit.ShouldContain("subject-access.issued");
        audit.ShouldContain("subject-access.download");
    }

    [Fact]
    public async Task PoliceRelease_ForceReleasesOccurrenceAndWithholdsFlag_CopyHoldsOnlyTheReleased()
    {
        var w = await WorldAsync();
        var dpo = await DpoAsync(w.P);
        var id = await RecordAsync(dpo, w.Child.Id, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3));
        await CompileAsync(dpo, id);
        var police = await app.SignInAsync(await w.P.UserAsync(w.P.Police));

        // The DPO cannot release police records, and the police page is not there for them.
        (await dpo.GetAsync("/subject-access/police")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var items = await app.AsSystemAsync((db, _) => db.SubjectAccessPoliceItems.AsNoTracking().Where(x => x.RequestId == id).ToListAsync());
        items.Count.ShouldBe(2);
        items.ShouldAllBe(x => x.Decision == PoliceReleaseDecision.Pending && x.OwnerOrganisationId == w.P.Police.Id);
        var page = await police.GetDocumentAsync("/subject-access/police");
        page.Body!.TextContent.ShouldContain(w.PoliceOccurrence);
        var occurrence = items.Single(x => x.ItemKey == $"Occurrence:{w.OccurrenceId}");
        var flag = items.Single(x => x != occurrence);

        var noReason = await police.PostFormAsync("/subject-access/police", new() { ["Item"] = flag.Id.ToString(), ["Decision"] = "Withheld", ["Exemption"] = "" });
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await police.PostFormAsync("/subject-access/police", new() { ["Item"] = occurrence.Id.ToString(), ["Decision"] = "Released" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await police.PostFormAsync("/subject-access/police", new()
        {
            ["Item"] = flag.Id.ToString(),
            ["Decision"] = "Withheld",
            ["Exemption"] = "DPA 2018 schedule 2 paragraph 2: prevention or detection of crime",
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        await ConfirmRedactionsAsync(dpo, id);
        var issue = await IssueAsync(dpo, id);
        var text = PdfText(issue.Pdf, out _, out _);
        text.ShouldContain(w.PoliceOccurrence);
        text.ShouldContain(w.P.Police.Name);
        text.ShouldNotContain(w.PoliceFlag);
        Csvs(issue.Zip).Keys.ShouldContain("police-occurrence.csv");
        Csvs(issue.Zip).Keys.ShouldNotContain("police-flag.csv");
    }

    [Fact]
    public async Task Redactions_ManualRedactionAndKeptProposal_AppliedAsDecided()
    {
        var w = await WorldAsync();
        var dpo = await DpoAsync(w.P);
        var id = await RecordAsync(dpo, w.Child.Id, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-1));
        await CompileAsync(dpo, id);
        var proposals = await app.AsSystemAsync((db, _) => db.SubjectAccessRedactions.AsNoTracking().Where(r => r.RequestId == id).ToListAsync());
        proposals.ShouldContain(r => r.Kind == RedactionKind.ThirdPartyName && r.Text == w.SiblingName && r.Decision == RedactionDecision.Proposed);
        proposals.ShouldContain(r => r.Kind == RedactionKind.ThirdPartyIdentifier && r.Text == w.SiblingUpn);
        proposals.ShouldContain(r => r.Kind == RedactionKind.ThirdPartyName && r.Text == "Sam");
        proposals.ShouldNotContain(r => r.Text.Contains("Kai"));

        // Keep the sibling's first name in; redact the rest; add the goal's wording by hand.
        var fields = proposals.ToDictionary(r => $"Decisions[{r.Id}]", r => r.Text == "Sam" ? "Keep" : "Redact");
        (await dpo.PostFormAsync($"/subject-access/redactions?id={id}&handler=Decide", fields, $"/subject-access/redactions?id={id}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var notThere = await dpo.PostFormAsync($"/subject-access/redactions?id={id}&handler=Add", new() { ["Record"] = "all", ["Text"] = "words in no record" }, $"/subject-access/redactions?id={id}");
        notThere.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await notThere.Content.ReadAsStringAsync()).ShouldContain("not in any record");
        (await dpo.PostFormAsync($"/subject-access/redactions?id={id}&handler=Add", new() { ["Record"] = "all", ["Text"] = "full time" }, $"/subject-access/redactions?id={id}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var issue = await IssueAsync(dpo, id);
        var text = PdfText(issue.Pdf, out _, out _);
        text.ShouldContain("Sam then went to bed");
        text.ShouldNotContain(w.SiblingName, Shouldly.Case.Insensitive);
        text.ShouldNotContain("full time");
        text.ShouldContain("back in school");
    }

    [Fact]
    public async Task Record_PersonNotInRegister_RefusedWithTheReasonAndNothingStored()
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await DpoAsync(p);
        var nobody = Guid.CreateVersion7();

        var response = await dpo.PostFormAsync("/subject-access/new", new()
        {
            ["Person"] = nobody.ToString(),
            ["RequesterName"] = "Jo Requester",
            ["Relationship"] = "Self",
            ["ReceivedOn.Day"] = "1",
            ["ReceivedOn.Month"] = DateTime.UtcNow.Month.ToString(),
            ["ReceivedOn.Year"] = DateTime.UtcNow.Year.ToString(),
        }, "/subject-access/new");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).ShouldContain("There is no one in the register with this id");
        (await app.AsSystemAsync((db, _) => db.SubjectAccessRequests.AnyAsync(r => r.PersonId == nobody))).ShouldBeFalse();
        var search = await dpo.GetDocumentAsync($"/subject-access/new?Name=Nobody{Letters()}");
        search.QuerySelector("#no-matches").ShouldNotBeNull();
    }

    [Fact]
    public async Task Search_PersonByName_ListedAndAudited()
    {
        var w = await WorldAsync();
        var dpo = await DpoAsync(w.P);

        var page = await dpo.GetDocumentAsync($"/subject-access/new?Name=Kai+{w.Child.FamilyName}");

        page.QuerySelector("#matches")!.TextContent.ShouldContain($"Kai {w.Child.FamilyName}");
        page.QuerySelector("#matches")!.TextContent.ShouldNotContain("Sam");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.PersonId == w.Child.Id && a.Action == AuditAction.ListedInSearch && a.Subject == "subject-access.search")))
            .ShouldBeTrue();
    }

    /// <summary>The DPO dashboard's subject-access figures (issue 16, item 7): open, due within 7 days, overdue, counted from the day each was received.</summary>
    [Fact]
    public async Task Dashboard_RequestsCountedOpenDueSoonAndOverdueByTheirClocks()
    {
        var w = await WorldAsync();
        var dpo = await DpoAsync(w.P);
        async Task<(int Open, int Due, int Overdue)> FiguresAsync()
        {
            var page = await dpo.GetDocumentAsync("/dpo");
            int Read(string id) => int.Parse(page.QuerySelector(id)!.TextContent.Trim());
            return (Read("#subject-access-open"), Read("#subject-access-due"), Read("#subject-access-overdue"));
        }
        var before = await FiguresAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // Due a month after receipt: received a month less three days ago is due in three days.
        var soon = today.AddMonths(-1).AddDays(3);
        (today.DayNumber - soon.AddMonths(1).DayNumber).ShouldBeInRange(-7, -1);

        await RecordAsync(dpo, w.Child.Id, today);
        (await FiguresAsync()).ShouldBe((before.Open + 1, before.Due, before.Overdue), "received today: due in a month");
        await RecordAsync(dpo, w.Child.Id, soon);
        (await FiguresAsync()).ShouldBe((before.Open + 2, before.Due + 1, before.Overdue));
        var late = await RecordAsync(dpo, w.Child.Id, today.AddDays(-40));
        (await FiguresAsync()).ShouldBe((before.Open + 3, before.Due + 1, before.Overdue + 1));

        // Extended by two months, the late one is no longer overdue.
        (await dpo.PostFormAsync($"/subject-access/request?id={late}&handler=Extend", new() { ["ExtensionReason"] = "Records from six agencies and the police" }, $"/subject-access/request?id={late}"))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await FiguresAsync()).ShouldBe((before.Open + 3, before.Due + 1, before.Overdue));
    }

    [Fact]
    public async Task Request_ReceivedFortyDaysAgo_ShownOverdueOnItsPageAndTheDashboard()
    {
        var w = await WorldAsync();
        var dpo = await DpoAsync(w.P);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var received = today.AddDays(-40);
        var id = await RecordAsync(dpo, w.Child.Id, received);

        var page = await dpo.GetDocumentAsync($"/subject-access/request?id={id}");

        page.QuerySelector("#due-on")!.TextContent.ShouldBe(received.AddMonths(1).ToString("d MMMM yyyy"));
        page.QuerySelector("#request")!.TextContent.ShouldContain($"Overdue by {today.DayNumber - received.AddMonths(1).DayNumber} days");
        var dashboard = await dpo.GetDocumentAsync("/dpo");
        int.Parse(dashboard.QuerySelector("#subject-access-overdue")!.TextContent).ShouldBeGreaterThanOrEqualTo(1);

        var extended = await dpo.PostFormAsync($"/subject-access/request?id={id}&handler=Extend", new() { ["ExtensionReason"] = "Records from six agencies and the police" }, $"/subject-access/request?id={id}");
        extended.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await dpo.GetDocumentAsync($"/subject-access/request?id={id}");
        after.QuerySelector("#due-on")!.TextContent.ShouldBe(received.AddMonths(3).ToString("d MMMM yyyy"));
    }

    [Fact]
    public async Task Pages_NotTheDataProtectionOfficer_NotFoundAndTheAttemptAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var practitioner = await p.UserAsync(p.Youth);
        var client = await app.SignInAsync(practitioner);

        foreach (var url in new[] { "/subject-access", "/subject-access/new", $"/subject-access/request?id={Guid.NewGuid()}", "/subject-access/settings" })
            (await client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, url);

        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.UserId == practitioner.Id && a.Action == AuditAction.Denied && a.Subject == "subject-access:GET /subject-access")))
            .ShouldBeTrue();
    }
}

public sealed class SubjectAccessTestsOnSqlite(SqliteApp app) : SubjectAccessTests(app), IClassFixture<SqliteApp>;

public sealed class SubjectAccessTestsOnPostgres(PostgresApp app) : SubjectAccessTests(app), IClassFixture<PostgresApp>;

/// <summary>The statutory clock (UK GDPR article 12(3)), as the ICO counts it.</summary>
public sealed class SubjectAccessClockTests
{
    [Theory]
    [InlineData("2027-01-31", "2027-02-28")]
    [InlineData("2028-01-31", "2028-02-29")]
    [InlineData("2027-01-15", "2027-02-15")]
    [InlineData("2027-03-31", "2027-04-30")]
    [InlineData("2027-12-31", "2028-01-31")]
    public void DueOn_NotExtended_SameDateNextMonthOrItsLastDay(string received, string due) =>
        SubjectAccessClock.DueOn(DateOnly.Parse(received), extended: false).ShouldBe(DateOnly.Parse(due));

    [Theory]
    [InlineData("2027-01-31", "2027-04-30")]
    [InlineData("2027-11-30", "2028-02-29")]
    public void DueOn_Extended_ThreeMonthsFromReceipt(string received, string due) =>
        SubjectAccessClock.DueOn(DateOnly.Parse(received), extended: true).ShouldBe(DateOnly.Parse(due));

    [Fact]
    public void DaysLeft_PastTheDueDay_Negative()
    {
        SubjectAccessClock.DaysLeft(new DateOnly(2027, 2, 28), new DateOnly(2027, 3, 2)).ShouldBe(-2);
        SubjectAccessClock.DaysLeft(new DateOnly(2027, 2, 28), new DateOnly(2027, 2, 28)).ShouldBe(0);
    }

    [Fact]
    public void Runs_RedactedNameAndIdentifier_ReplacedByTheMarkerOnlyAsWholeWords()
    {
        IReadOnlyList<RedactionRule> rules = [new("CaseNote:1", "Sam Reed", true), new(null, "UPN123", true)];

        RedactedText.Apply("Sam Reed and Samantha; UPN123, UPN1234", "CaseNote:1", rules).ShouldBe("[redacted] and Samantha; [redacted], UPN1234");
        RedactedText.Apply("Sam Reed", "CaseNote:2", rules).ShouldBe("Sam Reed");
    }
}
