using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Chronology;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Chronology;

/// <summary>
/// One chronology per person: every source in one timeline, newest first, each entry linking to
/// its source, holding only what the reader may see under the agreement; a reader who may not see
/// the person gets a 404 and one audited refusal; the date filter and its message.
/// </summary>
public abstract class ChronologyTests(WaypointApp app)
{
    /// <summary>
    /// A pupil of School A reported by the school, decided to early help led by the youth service,
    /// with health and police in the team; a case-work note by the lead, a health note by health and
    /// a police-intelligence note by the police; an action, a review, consent, a suspension, a
    /// behaviour incident, a managed move, a part-time timetable and an early-warning alert.
    /// </summary>
    private sealed record World(TestPartnership P, Person Child, TestUser Hub, Guid ReferralId, Guid CaseId, Guid AlertId,
        Guid HealthNoteId, Guid IntelligenceNoteId, Guid ServiceReferralId);

    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private async Task<World> WorldAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Kai", $"Reed{p.Suffix}", new DateOnly(2011, 3, 9), enrolledAt: p.School);
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var schoolUser = await p.UserAsync(p.School);
        var youthUser = await p.UserAsync(p.Youth);
        var referral = new Referral
        {
            PersonId = child.Id,
            ReporterUserId = schoolUser.Id,
            ReporterOrganisationId = p.School.Id,
            AreaId = p.Ward.Id,
            Categories = "RiskOfExclusion,MentalHealth",
            WhatIsKnown = "Third suspension this term.",
            ImmediateRisk = true,
            ReportedAt = Now.AddDays(-20),
            DecisionDueBy = Now.AddDays(-20),
            Status = ReferralStatus.Decided,
            Outcome = TriageOutcome.EarlyHelp,
            Rationale = "Repeated suspensions: early help led by the youth service.",
            DecidedByUserId = hub.Id,
            DecidedAt = Now.AddDays(-19),
        };
        var @case = new Waypoint.Domain.Case
        {
            PersonId = child.Id,
            LeadOrganisationId = p.Youth.Id,
            Level = TriageOutcome.EarlyHelp,
            Status = CaseStatus.Open,
            ReferralId = referral.Id,
            OpenedAt = Now.AddDays(-19),
            OpenedByUserId = hub.Id,
        };
        referral.CaseId = @case.Id;
        var alert = new Alert
        {
            PersonId = child.Id,
            SchoolId = p.School.Id,
            Rule = AlertRule.RepeatedSuspensions,
            TriggerKey = $"chronology-test:{child.Id}",
            TriggeredOn = Today.AddDays(-30),
            Figures = "2 suspensions in the rolling term",
            ThresholdValue = 2,
            Status = AlertStatus.New,
            RaisedAt = Now.AddDays(-29),
        };
        var healthNote = Note(@case, p.Health, RecordCategories.Health, "CAMHS assessment booked", Now.AddDays(-12));
        var intelligenceNote = Note(@case, p.Police, RecordCategories.PoliceIntelligence, "Seen with a known county-lines runner", Now.AddDays(-11));
        var serviceReferralId = Guid.CreateVersion7();
        await app.AsSystemAsync(async db =>
        {
            db.Referrals.Add(referral);
            db.Cases.Add(@case);
            db.Involvements.Add(TeamInvolvement(@case, p.Youth));
            foreach (var member in new[] { p.Health, p.Police })
            {
                var involvement = TeamInvolvement(@case, member);
                db.Involvements.Add(involvement);
                db.CaseMembers.Add(new CaseMember { CaseId = @case.Id, OrganisationId = member.Id, InvolvementId = involvement.Id, JoinedAt = Now.AddDays(-18) });
            }
            db.CaseEvents.Add(new CaseEvent { CaseId = @case.Id, Text = "Opened by the hub: Early help (opens a case)", ByUserId = hub.Id, At = Now.AddDays(-19) });
            db.CaseEvents.Add(new CaseEvent { CaseId = @case.Id, Text = $"{p.Health.Name} joined the team", ByUserId = youthUser.Id, At = Now.AddDays(-18) });
            db.CaseNotes.AddRange(Note(@case, p.Youth, RecordCategories.CaseWork, "Met Kai at the youth club", Now.AddDays(-14)), healthNote, intelligenceNote);
            db.CaseActions.Add(new CaseAction
            {
                CaseId = @case.Id,
                Description = "Meet Kai after school",
                OwnerOrganisationId = p.Youth.Id,
                DueOn = Today.AddDays(-9),
                Status = CaseActionStatus.Done,
                CreatedAt = Now.AddDays(-15),
                DoneAt = Now.AddDays(-10),
            });
            db.CaseReviews.Add(new CaseReview { CaseId = @case.Id, HeldOn = Today.AddDays(-5), Summary = "Attending more; keep going", NextReviewOn = Today.AddDays(40), ByUserId = youthUser.Id, RecordedAt = Now.AddDays(-5) });
            db.ConsentRecords.Add(new ConsentRecord
            {
                PersonId = child.Id,
                CaseId = @case.Id,
                AskedByOrganisationId = p.Youth.Id,
                AskedByUserId = youthUser.Id,
                ForOrganisationId = p.Youth.Id,
                Method = ConsentMethod.HomeVisit,
                AskedOn = Today.AddDays(-17),
                AnsweredBy = "Mother",
                Outcome = ConsentOutcome.Given,
                Scope = "Sharing with the team around the family",
                RecordedAt = Now.AddDays(-17),
            });
            db.Suspensions.Add(new Suspension
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                Kind = ExclusionKind.Suspension,
                StartDate = Today.AddDays(-31),
                Sessions = 4,
                ReasonCode1 = "VA",
                Outcome = ExclusionOutcome.NotReviewed,
                RecordedAt = Now.AddDays(-31),
            });
            db.BehaviourIncidents.Add(new BehaviourIncident
            {
                PersonId = child.Id,
                SchoolId = p.School.Id,
                OccurredOn = Today.AddDays(-32),
                Category = BehaviourCategory.VerbalAbuseOrThreats,
                Severity = 3,
                Description = "Swore at a teacher in the corridor",
                RecordedAt = Now.AddDays(-32),
            });
            db.ManagedMoves.Add(new ManagedMove { PersonId = child.Id, SchoolId = p.School.Id, ReceivingSchoolId = p.OtherSchool.Id, StartDate = Today.AddDays(-60), EndDate = Today.AddDays(-45), Outcome = ManagedMoveOutcome.ReturnedToHomeSchool, RecordedAt = Now.AddDays(-60) });
            db.PartTimeTimetables.Add(new PartTimeTimetable { PersonId = child.Id, SchoolId = p.School.Id, StartDate = Today.AddDays(-40), SessionsPerWeek = 6, Reason = "Phased return after the managed move", RecordedAt = Now.AddDays(-40) });
            db.Alerts.Add(alert);
            // The hub referred Kai to the charity's mentoring (issue 14): the referral's two sides see its lines.
            var mentoring = new Service { ProviderOrganisationId = p.Charity.Id, Name = $"Mentoring {p.Suffix}", Description = "Mentoring", HowToRefer = "Through Waypoint", Places = 5, CreatedAt = Now, UpdatedAt = Now };
            db.Add(mentoring);
            db.Add(new ServiceReferral { Id = serviceReferralId, PersonId = child.Id, ServiceId = mentoring.Id, ProviderOrganisationId = p.Charity.Id, ReferrerUserId = hub.Id, ReferrerOrganisationId = p.Hub.Id, Reason = "Needs a mentor", Status = ServiceReferralStatus.Sent, SentAt = Now.AddDays(-8), UpdatedAt = Now.AddDays(-8) });
            await db.SaveChangesAsync();
        });
        return new World(p, child, hub, referral.Id, @case.Id, alert.Id, healthNote.Id, intelligenceNote.Id, serviceReferralId);
    }

    private static CaseNote Note(Waypoint.Domain.Case @case, Organisation owner, string category, string text, DateTimeOffset at) => new()
    {
        CaseId = @case.Id,
        PersonId = @case.PersonId,
        OwnerOrganisationId = owner.Id,
        AuthorUserId = Guid.NewGuid(),
        CategoryCode = category,
        LawfulBasis = LawfulBasis.PublicTask,
        Text = text,
        At = at,
    };

    private static Involvement TeamInvolvement(Waypoint.Domain.Case @case, Organisation organisation) => new()
    {
        PersonId = @case.PersonId,
        OrganisationId = organisation.Id,
        Source = InvolvementSource.TeamAroundFamily,
        SourceId = @case.Id,
        Reason = "In the team around the family",
        StartDate = Today.AddDays(-19),
        ReviewOn = Today.AddMonths(3),
        AddedAt = Now.AddDays(-19),
    };

    private static List<IElement> Rows(IHtmlDocument page) => page.QuerySelectorAll("#chronology tbody tr").Cast<IElement>().ToList();

    private static async Task<JsonElement> ApiAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static List<string> Texts(JsonElement document) =>
        document.GetProperty("entries").EnumerateArray().Select(e => $"{e.GetProperty("title").GetString()} | {e.GetProperty("detail").GetString()}").ToList();

    [Fact]
    public async Task Hub_EverySourceNewestFirst_EachLinkingToItsSource()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Hub);
        var person = await client.GetDocumentAsync($"/people/{w.Child.Id}");
        person.QuerySelector($"a[href='/people/{w.Child.Id}/chronology']")!.TextContent.ShouldBe("Chronology");

        var page = await client.GetDocumentAsync($"/people/{w.Child.Id}/chronology");

        page.QuerySelector("h1")!.TextContent.ShouldBe($"Kai Reed{w.P.Suffix}");
        var rows = Rows(page);
        var links = rows.Select(r => (Kind: r.GetAttribute("data-kind")!, Href: r.QuerySelector("a")!.GetAttribute("href")!)).ToList();
        var c = $"/cases/{w.CaseId}";
        var who = $"/people/{w.Child.Id}";
        links.Distinct().ShouldBe(
        [
            ("ConcernReported", $"/referrals/{w.ReferralId}"), ("HubDecision", $"/referrals/{w.ReferralId}"),
            ("CaseHistory", c), ("CaseNote", $"{c}#notes"), ("CaseAction", $"{c}#actions"), ("CaseReview", $"{c}#reviews"),
            ("Consent", $"{who}/consent"), ("Exclusion", $"{who}#suspensions"), ("Behaviour", $"{who}#behaviour"),
            ("ManagedMove", $"{who}#managed-moves"), ("PartTimeTimetable", $"{who}#part-time-timetables"), ("Enrolment", who),
            ("Alert", $"/alerts/{w.AlertId}"), ("ServiceReferral", $"/service-referrals/{w.ServiceReferralId}"),
        ], ignoreOrder: true);
        var dates = rows.Select(r => DateOnly.FromDateTime(DateTime.Parse(r.QuerySelector("time")!.GetAttribute("datetime")!, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        dates.ShouldBe(dates.OrderByDescending(d => d).ToList(), "newest first");
        rows[0].TextContent.ShouldContain("Case reviewed");
        rows[^1].TextContent.ShouldContain($"Joined {w.P.School.Name}");
        var text = string.Join("\n", rows.Select(r => r.TextContent));
        foreach (var expected in new[]
        {
            "Concern reported: immediate risk", "Risk of exclusion from school; Mental health", "Hub decision: Early help (opens a case)",
            $"{w.P.Health.Name} joined the team", "Note: ", "Met Kai at the youth club", "Action agreed", "Action done", "Meet Kai after school",
            "Consent given for early help from", "Suspension, 2 days", "Verbal abuse or threatening behaviour against an adult", "Verbal abuse or threats",
            "Swore at a teacher", $"Managed move to {w.P.OtherSchool.Name} began", "Part-time timetable began", "Early warning: Repeated suspensions",
        })
            text.ShouldContain(expected);
        text.ShouldNotContain("CAMHS", customMessage: "health notes do not flow to the local authority team");
        text.ShouldNotContain("county-lines", customMessage: "police intelligence never leaves the police");
        rows.Count(r => r.GetAttribute("data-kind") == "HubDecision").ShouldBe(1);
        rows.Single(r => r.GetAttribute("data-kind") == "HubDecision").TextContent.ShouldContain(w.P.Hub.Name);

        // The printed document: heading, marking and who printed it; the filters and the button are not printed.
        var hubName = await app.AsSystemAsync((db, _) => db.Users.Where(u => u.Id == w.Hub.Id).Select(u => u.DisplayName).SingleAsync());
        page.QuerySelector("#protective-marking")!.TextContent.ShouldBe("OFFICIAL-SENSITIVE");
        page.QuerySelector("#chronology-subject")!.TextContent.ShouldContain("9 March 2011");
        page.QuerySelector("#printed-by")!.TextContent.ShouldContain($"Printed by {hubName}, {w.P.Hub.Name}, on ");
        page.QuerySelector("#printed-by")!.ClassList.ShouldContain("wp-print-only");
        page.QuerySelector("#chronology-filters")!.ClassList.ShouldContain("wp-no-print");
        var print = page.QuerySelector("button[data-print]")!;
        print.TextContent.ShouldBe("Print this chronology");
        print.GetAttribute("type").ShouldBe("button");
        print.HasAttribute("hidden").ShouldBeTrue("without script the button would do nothing");
        // The button sits with the PDF link in a group that is not printed.
        print.Closest(".wp-no-print").ShouldNotBeNull();
        page.QuerySelectorAll("script:not([src])").Length.ShouldBe(0);
    }

    [Fact]
    public async Task Api_SameEntriesAsThePage_WithThePersonNamed()
    {
        var w = await WorldAsync();
        var client = await app.ApiClientAsync(w.Hub);

        var document = await ApiAsync(client, $"/api/v1/people/{w.Child.Id}/chronology");

        document.GetProperty("name").GetString().ShouldBe($"Kai Reed{w.P.Suffix}");
        var entries = document.GetProperty("entries").EnumerateArray().ToList();
        entries.Select(e => e.GetProperty("kind").GetString()).Distinct().Count().ShouldBe(Enum.GetValues<ChronologyKind>().Length);
        var first = entries[0];
        first.GetProperty("kind").GetString().ShouldBe("CaseReview");
        first.GetProperty("link").GetString().ShouldBe($"/cases/{w.CaseId}#reviews");
        first.GetProperty("on").GetString().ShouldBe(Today.AddDays(-5).ToString("yyyy-MM-dd"));
        var ons = entries.Select(e => DateOnly.Parse(e.GetProperty("on").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        ons.ShouldBe(ons.OrderByDescending(d => d).ToList());

        var oldest = await ApiAsync(client, $"/api/v1/people/{w.Child.Id}/chronology?order=oldest&kind=Exclusion&kind=behaviour");
        oldest.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldBe(["Behaviour", "Exclusion"]);

        var bad = await client.GetAsync($"/api/v1/people/{w.Child.Id}/chronology?from=2026-03-10&to=2026-03-01&kind=Nonsense");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        errors.GetProperty("to")[0].GetString().ShouldBe("The 'to' date must be on or after the 'from' date");
        errors.TryGetProperty("kind", out _).ShouldBeTrue();
    }

    [Fact]
    public async Task Police_InTheTeam_SeesSuspensionAndOwnIntelligence_NotBehaviourNorHealth()
    {
        var w = await WorldAsync();
        var police = await app.ApiClientAsync(await w.P.UserAsync(w.P.Police));

        var texts = Texts(await ApiAsync(police, $"/api/v1/people/{w.Child.Id}/chronology"));

        texts.ShouldContain(t => t.StartsWith("Suspension, 2 days", StringComparison.Ordinal), "education flows from schools to the police");
        texts.ShouldNotContain(t => t.Contains("Swore at a teacher", StringComparison.Ordinal), "behaviour detail flows only to schools and the local authority team");
        texts.ShouldContain(t => t.Contains("county-lines", StringComparison.Ordinal), "the police see their own intelligence");
        texts.ShouldNotContain(t => t.Contains("CAMHS", StringComparison.Ordinal));
        texts.ShouldContain(t => t.Contains("Met Kai at the youth club", StringComparison.Ordinal), "case work flows to every partner in the team");
    }

    [Fact]
    public async Task HealthNote_NotSeenByTheLead_SeenBySocialCareOnlyOnceItSeesTheCase_IntelligenceNeverLeavesPolice()
    {
        var w = await WorldAsync();
        var youth = await app.ApiClientAsync(await w.P.UserAsync(w.P.Youth));
        var health = await app.ApiClientAsync(await w.P.UserAsync(w.P.Health));
        var socialCare = await app.ApiClientAsync(await w.P.UserAsync(w.P.SocialCare));
        var url = $"/api/v1/people/{w.Child.Id}/chronology?kind=CaseNote";

        var lead = Texts(await ApiAsync(youth, url));
        lead.ShouldContain(t => t.Contains("Met Kai at the youth club", StringComparison.Ordinal));
        lead.ShouldNotContain(t => t.Contains("CAMHS", StringComparison.Ordinal), "health records flow only to health and social care");
        lead.ShouldNotContain(t => t.Contains("county-lines", StringComparison.Ordinal));
        var own = Texts(await ApiAsync(health, url));
        own.ShouldContain(t => t.Contains("CAMHS", StringComparison.Ordinal));
        own.ShouldNotContain(t => t.Contains("county-lines", StringComparison.Ordinal));

        await w.P.InvolveAsync(w.Child, w.P.SocialCare, "Assessment of a sibling");
        var outside = await ApiAsync(socialCare, $"/api/v1/people/{w.Child.Id}/chronology");
        Texts(outside).ShouldNotContain(t => t.Contains("CAMHS", StringComparison.Ordinal), "social care sees the child but not the case");
        outside.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("kind").GetString()).ShouldNotContain("CaseHistory");

        await app.AsSystemAsync(async db =>
        {
            var @case = await db.Cases.SingleAsync(c => c.Id == w.CaseId);
            var involvement = TeamInvolvement(@case, w.P.SocialCare);
            db.Involvements.Add(involvement);
            db.CaseMembers.Add(new CaseMember { CaseId = @case.Id, OrganisationId = w.P.SocialCare.Id, InvolvementId = involvement.Id, JoinedAt = Now });
            await db.SaveChangesAsync();
        });
        var inTeam = Texts(await ApiAsync(socialCare, url));
        inTeam.ShouldContain(t => t.Contains("CAMHS", StringComparison.Ordinal), "health records flow to social care once it sees the case");
        inTeam.ShouldNotContain(t => t.Contains("county-lines", StringComparison.Ordinal), "police intelligence never leaves the police");
    }

    [Fact]
    public async Task Outsider_PageAndApi_NotFoundWithExactlyOneDeniedRowEach()
    {
        var w = await WorldAsync();
        var outsider = await w.P.UserAsync(w.P.Housing);
        Task<List<AuditEntry>> RowsAsync() => app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == outsider.Id && a.PersonId == w.Child.Id).ToListAsync());

        var page = await (await app.SignInAsync(outsider)).GetAsync($"/people/{w.Child.Id}/chronology");

        page.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await page.Content.ReadAsStringAsync()).ShouldNotContain(w.Child.FamilyName);
        var rows = await RowsAsync();
        rows.Count.ShouldBe(1);
        rows[0].Action.ShouldBe(AuditAction.Denied);
        rows[0].Subject.ShouldBe("chronology");

        var api = await (await app.ApiClientAsync(outsider)).GetAsync($"/api/v1/people/{w.Child.Id}/chronology");

        api.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await api.Content.ReadAsStringAsync()).ShouldNotContain(w.Child.FamilyName);
        rows = await RowsAsync();
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.Action == AuditAction.Denied);
        rows.Select(r => r.Subject).ShouldBe(["chronology", "api:chronology"], ignoreOrder: true);
    }

    [Fact]
    public async Task Reader_OpensTheChronology_OneReadRowWithItsBasis()
    {
        var w = await WorldAsync();
        var school = await w.P.UserAsync(w.P.School);

        (await (await app.SignInAsync(school)).GetAsync($"/people/{w.Child.Id}/chronology")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var rows = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == school.Id && a.PersonId == w.Child.Id).ToListAsync());
        rows.Count.ShouldBe(1);
        rows[0].Action.ShouldBe(AuditAction.Read);
        rows[0].Subject.ShouldBe("chronology");
        rows[0].Basis.ShouldBe("enrolment");
    }

    [Fact]
    public async Task DateAndKindFilters_NarrowTheEntries_AndAToBeforeFromIsExplained()
    {
        var w = await WorldAsync();
        var client = await app.SignInAsync(w.Hub);
        var from = Today.AddDays(-33);
        var to = Today.AddDays(-30);
        string Range(DateOnly f, DateOnly t) =>
            $"From.Day={f.Day}&From.Month={f.Month}&From.Year={f.Year}&To.Day={t.Day}&To.Month={t.Month}&To.Year={t.Year}";

        var ranged = await client.GetDocumentAsync($"/people/{w.Child.Id}/chronology?{Range(from, to)}&Order=OldestFirst");

        Rows(ranged).Select(r => r.GetAttribute("data-kind")).ShouldBe(["Behaviour", "Exclusion"]);
        ranged.QuerySelector("#chronology caption")!.TextContent.ShouldContain("2 entries, oldest first");
        ranged.QuerySelector("#chronology-filters")!.HasAttribute("open").ShouldBeTrue();

        var kinds = await client.GetDocumentAsync($"/people/{w.Child.Id}/chronology?Kinds=CaseAction&Kinds=Alert");
        Rows(kinds).Select(r => r.GetAttribute("data-kind")).ShouldBe(["CaseAction", "CaseAction", "Alert"]);
        kinds.QuerySelector("#Kinds-CaseAction")!.HasAttribute("checked").ShouldBeTrue();

        var empty = await client.GetDocumentAsync($"/people/{w.Child.Id}/chronology?{Range(Today.AddDays(1), Today.AddDays(2))}");
        empty.QuerySelector("#no-entries")!.TextContent.ShouldBe("Nothing you may see matches these filters.");

        var reversed = await client.GetDocumentAsync($"/people/{w.Child.Id}/chronology?{Range(to, from)}");

        reversed.Title!.ShouldStartWith("Error: ");
        reversed.QuerySelectorAll(".govuk-error-summary__list a").Select(a => (a.TextContent, a.GetAttribute("href")))
            .ShouldBe([("The 'to' date must be on or after the 'from' date", "#To")]);
        reversed.QuerySelector("#To-error")!.TextContent.ShouldContain("The 'to' date must be on or after the 'from' date");
        reversed.QuerySelector("#chronology").ShouldBeNull();

        var half = await client.GetDocumentAsync($"/people/{w.Child.Id}/chronology?From.Day=1&From.Year=2026");
        half.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent).ShouldBe(["The 'from' date must include a month"]);
    }
}

public sealed class ChronologyTestsOnSqlite(SqliteApp app) : ChronologyTests(app), IClassFixture<SqliteApp>;

public sealed class ChronologyTestsOnPostgres(PostgresApp app) : ChronologyTests(app), IClassFixture<PostgresApp>;
