using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Meetings;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Meetings;

/// <summary>
/// The agenda's further sources and the consent a meeting seeks: a hub report marked for the next
/// meeting, the reviewed high-risk cohort (never a restricted person), and a decision to seek
/// consent making an outstanding request that the family's answer resolves.
/// </summary>
public abstract class MeetingSourcesTests(WaypointApp app)
{
    private static DateOnly Today => MeetingWorld.Today;

    private static Task<IReadOnlyList<AgendaCandidate>> CandidatesAsync(MeetingWorld w, Guid meetingId) =>
        w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.CandidatesAsync(meeting, CancellationToken.None));

    [Fact]
    public async Task MarkForMeeting_HubMarksReport_ChairSeesItAsSourceNamingTheReport()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today.AddDays(7));
        var triager = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.HubTriage, w.P.District);
        var reportedAt = DateTimeOffset.UtcNow.AddDays(-1);
        var referralId = await app.AsSystemAsync(async (db, _) =>
        {
            var referral = new Referral
            {
                PersonId = w.Pupil.Id,
                ReporterUserId = w.Officer.Id,
                ReporterOrganisationId = w.P.Police.Id,
                AreaId = w.Pupil.AreaId,
                Categories = nameof(ConcernCategory.GangInvolvementOrExploitation),
                WhatIsKnown = "Seen with older youths after school; secret detail",
                LawfulBasis = LawfulBasis.PublicTask,
                ReportedAt = reportedAt,
                DecisionDueBy = reportedAt.AddDays(1),
                Status = ReferralStatus.AwaitingTriage,
            };
            db.Referrals.Add(referral);
            await db.SaveChangesAsync();
            return referral.Id;
        });
        (await CandidatesAsync(w, meetingId)).ShouldNotContain(c => c.Source == AgendaItemSource.HubReferral);

        var hub = await app.SignInAsync(triager);
        var url = $"/referrals/{referralId}";
        var page = await hub.GetDocumentAsync(url);
        page.QuerySelector("#SeriesId").ShouldNotBeNull();
        var empty = await hub.SubmitAsync(url, "form[action$='MarkForMeeting']", f => f.Set("SeriesId", ""));
        empty.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await empty.DocumentAsync()).ErrorSummary().ShouldBe(["Select the meeting series covering the child's area"]);

        var marked = await hub.SubmitAsync(url, "form[action$='MarkForMeeting']", f => f.Set("SeriesId", w.SeriesId.ToString()));
        marked.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var after = await hub.GetDocumentAsync(url);
        after.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("Report marked for the next early-intervention meeting");
        after.QuerySelector("#marked-for-meeting")!.TextContent.ShouldContain($"Cluster {w.P.Suffix}");
        (await app.AsSystemAsync((db, _) => db.Set<MeetingReferralMark>().CountAsync(m => m.ReferralId == referralId))).ShouldBe(1);

        var candidate = (await CandidatesAsync(w, meetingId)).Single(c => c.Source == AgendaItemSource.HubReferral);
        candidate.PersonId.ShouldBe(w.Pupil.Id);
        candidate.Why.ShouldContain($"Hub report of {reportedAt:d MMMM yyyy}");
        candidate.Why.ShouldContain("Gang");
        candidate.Why.ShouldNotContain("secret detail");
        var chair = await app.SignInAsync(w.Chair);
        (await chair.GetDocumentAsync($"/meetings/{meetingId}")).Body!.TextContent.ShouldContain("Hub report marked for the meeting");

        // On the agenda, the mark has done its work: the next meeting is not offered the report again.
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) =>
            meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.HubReferral, candidate.Why, CancellationToken.None))).ShouldBeEmpty();
        var nextId = await w.ScheduleAsync(Today.AddDays(35));
        (await CandidatesAsync(w, nextId)).ShouldNotContain(c => c.Source == AgendaItemSource.HubReferral);
    }

    [Fact]
    public async Task MarkForMeeting_ReporterWhoCannotDecide_HasNoFormAndIsRefused()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var referralId = await app.AsSystemAsync(async (db, _) =>
        {
            var referral = new Referral
            {
                PersonId = w.Pupil.Id,
                ReporterUserId = w.Officer.Id,
                ReporterOrganisationId = w.P.Police.Id,
                AreaId = w.Pupil.AreaId,
                Categories = nameof(ConcernCategory.MissingEpisodes),
                WhatIsKnown = "Missing twice",
                ReportedAt = DateTimeOffset.UtcNow,
                DecisionDueBy = DateTimeOffset.UtcNow.AddDays(1),
                Status = ReferralStatus.AwaitingTriage,
            };
            db.Referrals.Add(referral);
            await db.SaveChangesAsync();
            return referral.Id;
        });
        // The reporter's organisation sees its own report (as reporting gives it), but only the hub decides it.
        await w.P.InvolveAsync(w.Pupil, w.P.Police, "Reported a concern");
        var reporter = await app.SignInAsync(w.Officer);
        (await reporter.GetAsync($"/referrals/{referralId}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await reporter.GetDocumentAsync($"/referrals/{referralId}")).QuerySelector("#SeriesId").ShouldBeNull();
        var refused = await reporter.PostFormAsync($"/referrals/{referralId}?handler=MarkForMeeting", new() { ["SeriesId"] = w.SeriesId.ToString() }, $"/referrals/{referralId}");
        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.Set<MeetingReferralMark>().CountAsync(m => m.ReferralId == referralId))).ShouldBe(0);
    }

    [Fact]
    public async Task Candidates_ReviewedHighRiskCohort_OfferedButNeverARestrictedPerson()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var restricted = await w.P.YoungPersonAsync("Ora", $"Restricted{w.P.Suffix}", Today.AddYears(-14), enrolledAt: w.P.School);
        var unreviewed = await w.P.YoungPersonAsync("Pip", $"Unreviewed{w.P.Suffix}", Today.AddYears(-14), enrolledAt: w.P.School);
        var meetingId = await w.ScheduleAsync(Today.AddDays(7));
        await app.AsSystemAsync(async db =>
        {
            var matrix = await db.Set<RiskMatrixVersion>().OrderBy(v => v.Number).Select(v => v.Id).FirstAsync();
            foreach (var person in new[] { w.Pupil, restricted, unreviewed })
            {
                var score = new RiskScore
                {
                    PersonId = person.Id,
                    MatrixVersionId = matrix,
                    ComputedAt = DateTimeOffset.UtcNow.AddDays(-3),
                    Offending = 10,
                    Vulnerability = 40,
                    OffendingBand = RiskBand.Low,
                    VulnerabilityBand = RiskBand.High,
                    IsLatest = true,
                    ContributionsJson = "[]",
                };
                db.RiskScores.Add(score);
                if (person != unreviewed)
                    db.CohortReviews.Add(new CohortReview
                    {
                        PersonId = person.Id,
                        ScoreId = score.Id,
                        Decision = CohortDecision.Accepted,
                        Rationale = "Reviewed at the panel",
                        ReviewedByUserId = w.Chair.Id,
                        ReviewedByOrganisationId = w.P.Hub.Id,
                        ReviewedAt = DateTimeOffset.UtcNow.AddDays(-2),
                    });
            }
            db.ProcessingRestrictions.Add(new ProcessingRestriction
            {
                PersonId = restricted.Id,
                Reason = "The family challenged the profiling",
                RecordedAt = DateTimeOffset.UtcNow,
                RecordedByUserId = w.Chair.Id,
            });
            await db.SaveChangesAsync();
        });

        var cohort = (await CandidatesAsync(w, meetingId)).Where(c => c.Source == AgendaItemSource.RiskCohort).ToList();
        cohort.Select(c => c.PersonId).ShouldBe([w.Pupil.Id]);
        cohort[0].Why.ShouldContain("reviewed high-risk cohort");
        cohort[0].Why.ShouldContain("vulnerability high");

        // Someone who may not see the children is offered none of them.
        var outsider = await app.AsUserAsync(w.YouthWorker, async (db, services) =>
        {
            var meeting = await db.Set<Meeting>().Include(m => m.Series).Include(m => m.Invitees).FirstAsync(m => m.Id == meetingId);
            return await services.GetRequiredService<MeetingSources>().RiskCohortAsync(meeting, db.Areas.Select(a => a.Id), CancellationToken.None);
        });
        outsider.ShouldBeEmpty();
    }

    [Fact]
    public async Task SeekConsent_Decision_MakesAnOutstandingRequestThatTheAnswerResolves()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today);
        await w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.TopTen, "Number 1 on School A's top 10", CancellationToken.None)).ShouldBeEmpty();
            (await meetings.IssueAgendaAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return true;
        });
        var itemId = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId).Select(i => i.Id).SingleAsync());
        var wrongPerson = await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.DecideAsync(meeting, itemId,
            new DecisionInput(null, MeetingDecisionKind.SeekConsentForEarlyHelp, w.P.Police.Id, [], w.YouthWorker.Id), CancellationToken.None));
        wrongPerson.Keys.ShouldBe(["ConsentUserId"]);
        (await w.AsAsync(w.Chair, meetingId, (meetings, meeting) => meetings.DecideAsync(meeting, itemId,
            new DecisionInput("Family not known to services", MeetingDecisionKind.SeekConsentForEarlyHelp, w.P.Police.Id, [], w.Officer.Id), CancellationToken.None)))
            .ShouldBeEmpty();

        var request = await app.AsSystemAsync((db, _) => db.ConsentRequests.SingleAsync(r => r.AgendaItemId == itemId));
        request.AskingOrganisationId.ShouldBe(w.P.Police.Id);
        request.AskingUserId.ShouldBe(w.Officer.Id);
        request.DueOn.ShouldBe(Today.AddDays(MeetingWork.ConsentVisitDays));
        request.ResolvedAt.ShouldBeNull();

        var police = await app.SignInAsync(w.Officer);
        var work = await police.GetDocumentAsync("/my-work");
        work.QuerySelector("#my-consent-requests")!.TextContent.ShouldContain(w.Pupil.GivenName);
        var consentUrl = $"/people/{w.Pupil.Id}/consent?requestId={request.Id}";
        (await police.GetDocumentAsync(consentUrl)).QuerySelector("#outstanding-requests")!.TextContent.ShouldContain($"Police {w.P.Suffix}");

        // The youth service may see the child (the agenda) but was not asked: it cannot answer the police's request.
        var youth = await app.SignInAsync(w.YouthWorker);
        var notAsked = await youth.PostFormAsync(consentUrl, Answer(w, request.Id, "Refused"), consentUrl);
        notAsked.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await notAsked.DocumentAsync()).ErrorSummary().ShouldContain("Only the agency asked to visit the family can record their answer to the request");

        var answered = await police.PostFormAsync(consentUrl, Answer(w, request.Id, "Refused"), consentUrl);
        answered.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var resolved = await app.AsSystemAsync((db, _) => db.ConsentRequests.SingleAsync(r => r.Id == request.Id));
        resolved.Outcome.ShouldBe(ConsentOutcome.Refused);
        resolved.ConsentRecordId.ShouldNotBeNull();
        (await app.AsSystemAsync((db, _) => db.Set<MeetingAction>().SingleAsync(a => a.Id == request.VisitActionId))).CompletedAt.ShouldNotBeNull();
        (await police.GetDocumentAsync("/my-work")).QuerySelector("#no-consent-requests").ShouldNotBeNull();

        var twice = await police.PostFormAsync(consentUrl, Answer(w, request.Id, "Given"), consentUrl);
        twice.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await twice.DocumentAsync()).ErrorSummary().Single().ShouldStartWith("The family's answer to this request was already recorded");

        var chair = await app.SignInAsync(w.Chair);
        (await chair.GetDocumentAsync($"/meetings/series/{w.SeriesId}")).QuerySelector("#outcomes")!.TextContent.ShouldContain($"Police {w.P.Suffix}: 0 of 1 given");
    }

    [Fact]
    public async Task CorrectMinutes_AfterApproval_NewVersionKeepsTheEarlierWordingAndThePdfSaysSo()
    {
        var w = await MeetingWorld.CreateAsync(app);
        var meetingId = await w.ScheduleAsync(Today);
        await w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.AddItemAsync(meeting, w.Pupil.Id, AgendaItemSource.TopTen, "Number 1 on School A's top 10", CancellationToken.None)).ShouldBeEmpty();
            (await meetings.IssueAgendaAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return true;
        });
        var itemId = await app.AsSystemAsync((db, _) => db.Set<AgendaItem>().Where(i => i.MeetingId == meetingId).Select(i => i.Id).SingleAsync());
        await w.AsAsync(w.Chair, meetingId, async (meetings, meeting) =>
        {
            (await meetings.DecideAsync(meeting, itemId, new DecisionInput("Mentoring agreed with the school", MeetingDecisionKind.SingleAgencySupport, null, []), CancellationToken.None)).ShouldBeEmpty();
            (await meetings.ApproveMinutesAsync(meeting, CancellationToken.None)).ShouldBeEmpty();
            return true;
        });
        var chair = await app.SignInAsync(w.Chair);
        var police = await app.SignInAsync(w.Officer);
        var correctUrl = $"/meetings/{meetingId}/minutes/correct?itemId={itemId}";
        (await police.GetAsync(correctUrl)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var noReason = await chair.SubmitAsync(correctUrl, "#correct-form", f => f.Set("Discussion", "Mentoring agreed with the youth service"));
        noReason.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await noReason.DocumentAsync()).ErrorSummary().ShouldBe(["Say why the minutes are corrected"]);
        var corrected = await chair.SubmitAsync(correctUrl, "#correct-form", f =>
        {
            f.Set("Discussion", "Mentoring agreed with the youth service");
            f.Set("Reason", "The youth service, not the school, will mentor");
        });
        corrected.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var page = await chair.GetDocumentAsync($"/meetings/{meetingId}");
        page.QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("now version 2");
        var versions = page.QuerySelector("#minutes-version-list")!.TextContent;
        versions.ShouldContain("Version 2");
        versions.ShouldContain("Before: Mentoring agreed with the school");
        versions.ShouldContain("After: Mentoring agreed with the youth service");
        var kept = await app.AsSystemAsync((db, _) => db.Set<MinutesCorrection>().SingleAsync(c => c.MeetingId == meetingId));
        kept.Version.ShouldBe(2);
        kept.PreviousDiscussion.ShouldBe("Mentoring agreed with the school");

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await (await police.GetAsync($"/meetings/{meetingId}/minutes.pdf")).Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", pdf.GetPages().Select(p => string.Join(" ", p.GetWords().Select(x => x.Text))));
        text.ShouldContain("Version 2: corrected on");
        text.ShouldContain("Mentoring agreed with the youth service");
        text.ShouldNotContain("with the school");
    }

    private static Dictionary<string, string> Answer(MeetingWorld w, Guid requestId, string outcome) => new()
    {
        ["RequestId"] = requestId.ToString(),
        ["ForOrganisationId"] = w.P.Youth.Id.ToString(),
        ["Method"] = "HomeVisit",
        ["AskedOn.Day"] = Today.Day.ToString(),
        ["AskedOn.Month"] = Today.Month.ToString(),
        ["AskedOn.Year"] = Today.Year.ToString(),
        ["AnsweredBy"] = "Parent",
        ["Outcome"] = outcome,
        ["Scope"] = "Early help with the youth service",
    };
}

public sealed class MeetingSourcesTestsOnSqlite(SqliteApp app) : MeetingSourcesTests(app), IClassFixture<SqliteApp>;

public sealed class MeetingSourcesTestsOnPostgres(PostgresApp app) : MeetingSourcesTests(app), IClassFixture<PostgresApp>;
