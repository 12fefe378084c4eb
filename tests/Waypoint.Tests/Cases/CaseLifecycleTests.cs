using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Cases;

/// <summary>
/// A case's whole life over HTTP — report, triage, case, team, family, plan, actions, notes,
/// review, transfer, step up and down, leaving, close, reopen — with the access each step grants
/// and removes, and the refusals that keep bad input out.
/// </summary>
public abstract class CaseLifecycleTests(WaypointApp app)
{
    private sealed record World(TestPartnership P, Person Child, Person Mother, TestUser Hub, TestUser Youth, Guid CaseId);

    private static string Today(int days = 0) => DateOnly.FromDateTime(DateTime.UtcNow).AddDays(days).ToString("yyyy-MM-dd");

    private static Dictionary<string, string> Date(string prefix, string isoDate)
    {
        var d = DateOnly.Parse(isoDate, System.Globalization.CultureInfo.InvariantCulture);
        return new() { [$"{prefix}.Day"] = d.Day.ToString(), [$"{prefix}.Month"] = d.Month.ToString(), [$"{prefix}.Year"] = d.Year.ToString() };
    }

    private static Dictionary<string, string> Form(params Dictionary<string, string>[] parts) =>
        parts.SelectMany(p => p).ToDictionary(kv => kv.Key, kv => kv.Value);

    /// <summary>A child living with their mother, reported by the school and triaged to early help led by the youth service.</summary>
    private async Task<World> OpenCaseAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Jade", $"Corr{p.Suffix}", new DateOnly(2012, 5, 2), enrolledAt: p.School);
        var mother = new Person { Kind = PersonKind.Adult, GivenName = "Dana", FamilyName = $"Corr{p.Suffix}", DateOfBirth = new DateOnly(1988, 1, 30), AreaId = p.Ward.Id, OwnerOrganisationId = p.Hub.Id, CreatedAt = DateTimeOffset.UtcNow };
        await app.AsSystemAsync(async db =>
        {
            var home = new Household { AddressLine1 = "4 Mill Lane", Town = "Brackton", Postcode = "NN1 1AA", AreaId = p.Ward.Id, OwnerOrganisationId = p.Hub.Id };
            db.Households.Add(home);
            mother.HouseholdId = home.Id;
            db.People.Add(mother);
            var tracked = await db.People.FirstAsync(x => x.Id == child.Id);
            tracked.HouseholdId = home.Id;
            db.PersonRelationships.Add(new PersonRelationship { PersonId = child.Id, RelatedPersonId = mother.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.Hub.Id, CategoryCode = RecordCategories.Family });
            await db.SaveChangesAsync();
        });
        var reporter = await app.SignInAsync(await p.UserAsync(p.School));
        var reported = await reporter.PostFormAsync($"/people/{child.Id}/report-concern", new()
        {
            ["Categories"] = "RiskOfExclusion",
            ["WhatIsKnown"] = "Second suspension this term; mother asks for help.",
            ["ImmediateRisk"] = "false",
            ["LawfulBasis"] = "PublicTask",
        });
        reported.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var referralId = reported.LocationPath().Split('/')[2];
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        (await (await app.SignInAsync(hubUser)).PostFormAsync($"/referrals/{referralId}", new()
        {
            ["Outcome"] = "EarlyHelp",
            ["Rationale"] = "Early help with the family, led by the youth service.",
            ["LeadOrganisationId"] = p.Youth.Id.ToString(),
        })).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var caseId = await app.AsSystemAsync((db, _) => db.Cases.Where(c => c.PersonId == child.Id).Select(c => c.Id).SingleAsync());
        return new World(p, child, mother, hubUser, await p.UserAsync(p.Youth), caseId);
    }

    private static async Task<IHtmlDocument> RefusedAsync(HttpResponseMessage response)
    {
        response.StatusCode.ShouldBe(HttpStatusCode.OK, "a refused form shows the page again with its errors");
        return Clients.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<string> Errors(IHtmlDocument page) => page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent.Trim());

    private Task<Waypoint.Domain.Case> CaseAsync(Guid id) => app.AsSystemAsync((db, _) => db.Cases.AsNoTracking().SingleAsync(c => c.Id == id));

    [Fact]
    public async Task Path_ReportTriageTeamFamilyPlanNotesReviewTransferStepUpDownCloseReopen()
    {
        var w = await OpenCaseAsync();
        var p = w.P;
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Youth);
        var healthUser = await p.UserAsync(p.Health);
        var health = await app.SignInAsync(healthUser);

        // Team: the health service joins and sees the child and the case; not yet the mother.
        (await lead.PostFormAsync($"{url}?handler=AddMember", new() { ["OrganisationId"] = p.Health.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await health.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await health.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Family: the mother is offered from the household and relationships; linking her lets the whole team see her.
        var page = await lead.GetDocumentAsync(url);
        page.QuerySelectorAll("#FamilyPersonId option").Select(o => o.GetAttribute("value")).ShouldContain(w.Mother.Id.ToString());
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Mother.Id && a.Subject == "case.family-candidates"))).ShouldBeGreaterThan(0, "naming a relative to the lead is recorded");
        var stranger = await p.YoungPersonAsync("Ola", $"Other{p.Suffix}", new DateOnly(2011, 1, 1));
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=AddFamily", new() { ["FamilyPersonId"] = stranger.Id.ToString() }, url)))
            .ShouldBe(["Select a member of the child's family or household"]);
        (await lead.PostFormAsync($"{url}?handler=AddFamily", new() { ["FamilyPersonId"] = w.Mother.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await lead.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await health.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "family members linked to the case are the team's to see");
        (await health.GetDocumentAsync(url)).QuerySelector("#family-members")!.TextContent.ShouldContain($"Dana Corr{p.Suffix}");

        // Plan and actions: a goal, an action serving it; owners outside the team refused.
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=AddGoal", new() { ["GoalText"] = " " }, url))).ShouldBe(["Describe the goal"]);
        (await lead.PostFormAsync($"{url}?handler=AddGoal", new() { ["GoalText"] = "Jade attends every day for the rest of term" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var goalId = await app.AsSystemAsync((db, _) => db.CaseGoals.Where(g => g.CaseId == w.CaseId).Select(g => g.Id).SingleAsync());
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=AddAction",
            Form(new() { ["ActionDescription"] = "Home visit", ["ActionOwner"] = p.Police.Id.ToString() }, Date("ActionDue", Today(7))), url)))
            .ShouldBe(["The owner must be the lead organisation or in the team"]);
        var tooFar = DateOnly.FromDateTime(DateTime.UtcNow).AddYears(2).AddDays(1);
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=AddAction",
            Form(new() { ["ActionDescription"] = "Home visit", ["ActionOwner"] = p.Health.Id.ToString() }, Date("ActionDue", tooFar.ToString("yyyy-MM-dd"))), url)))
            .ShouldBe([$"The due date must be between 1 January 1900 and {tooFar.AddDays(-1):d MMMM yyyy}"], "an action is due within two years: a date further off is a slip");
        (await lead.PostFormAsync($"{url}?handler=AddAction",
            Form(new() { ["ActionDescription"] = "School nurse check-in weekly", ["ActionOwner"] = p.Health.Id.ToString(), ["ActionGoal"] = goalId.ToString() }, Date("ActionDue", Today(7))), url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.CaseActions.SingleAsync(a => a.CaseId == w.CaseId))).GoalId.ShouldBe(goalId);

        // Notes: a health note stays with health and social care under the agreement; the lead sees that one is withheld.
        Errors(await RefusedAsync(await health.PostFormAsync($"{url}?handler=AddNote", new() { ["NoteCategory"] = RecordCategories.PoliceIntelligence, ["NoteText"] = "x" }, url)))
            .ShouldBe(["Select what kind of information the note holds", "Select the lawful basis for sharing the note with the team"], ignoreOrder: true);
        (await health.PostFormAsync($"{url}?handler=AddNote", new() { ["NoteCategory"] = RecordCategories.Health, ["NoteBasis"] = "PublicTask", ["NoteText"] = "Asthma review overdue; GP contacted." }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await lead.PostFormAsync($"{url}?handler=AddNote", new() { ["NoteCategory"] = RecordCategories.CaseWork, ["NoteBasis"] = "PublicTask", ["NoteText"] = "Met Jade and her mother at home." }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var leadPage = await lead.GetDocumentAsync(url);
        leadPage.QuerySelector("#note-list")!.TextContent.ShouldContain("Met Jade and her mother at home.");
        leadPage.QuerySelector("#note-list")!.TextContent.ShouldNotContain("Asthma");
        leadPage.QuerySelector("#notes-withheld")!.TextContent.ShouldContain("1 note is in categories the sharing agreement does not share");
        var healthPage = await health.GetDocumentAsync(url);
        healthPage.QuerySelector("#note-list")!.TextContent.ShouldContain("Asthma review overdue");
        healthPage.QuerySelector("#note-list")!.TextContent.ShouldContain("Met Jade and her mother at home.");

        // Review: dates checked, then held with the next date set.
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=SetReview", Date("ReviewOn", Today(-1)), url))).ShouldBe(["The review date must be today or in the future"]);
        (await lead.PostFormAsync($"{url}?handler=SetReview", Date("ReviewOn", Today(14)), url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=RecordReview",
            Form(Date("ReviewHeld", Today()), Date("ReviewNext", Today()), new() { ["ReviewSummary"] = "Attendance up." }), url)))
            .ShouldBe(["The next review must be after this one"]);
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=RecordReview", Date("ReviewHeld", Today(1)), url)))
            .ShouldBe(["The review date must be today or in the past", "Say how the case stands", "Enter the date of the next review"], ignoreOrder: true);
        (await lead.PostFormAsync($"{url}?handler=RecordReview",
            Form(Date("ReviewHeld", Today()), Date("ReviewNext", Today(28)), new() { ["ReviewSummary"] = "Attendance up to 93%; goal on track." }), url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await CaseAsync(w.CaseId)).NextReviewOn.ShouldBe(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(28));
        (await app.AsSystemAsync((db, _) => db.CaseReviews.CountAsync(r => r.CaseId == w.CaseId))).ShouldBe(1);

        // Transfer: refused outside the agreement; declined (the offer's access ends); then accepted.
        var departed = new Organisation { Name = $"Closed Charity {p.Suffix}", Type = OrganisationType.Charity, AreaId = p.County.Id, IsActive = false };
        await app.AsSystemAsync(async db => { db.Organisations.Add(departed); await db.SaveChangesAsync(); });
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=OfferLead", new() { ["TransferTo"] = departed.Id.ToString(), ["TransferReason"] = "They know the family", ["TransferBasis"] = "PublicTask" }, url)))
            .ShouldBe([$"{departed.Name} is outside the sharing agreement for case work: choose a partner the agreement covers"]);
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=OfferLead", new() { ["TransferTo"] = p.FamilyCentre.Id.ToString() }, url)))
            .ShouldBe(["Say why the lead should move", "Select the lawful basis for sharing the case with the organisation"], ignoreOrder: true);
        var centre = await app.SignInAsync(await p.UserAsync(p.FamilyCentre));
        (await centre.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await lead.PostFormAsync($"{url}?handler=OfferLead", new() { ["TransferTo"] = p.FamilyCentre.Id.ToString(), ["TransferReason"] = "The family centre runs the parenting group the family chose.", ["TransferBasis"] = "PublicTask" }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await centre.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, "an agency offered the lead reads the case to decide");
        var notesBefore = await app.AsSystemAsync((db, _) => db.CaseNotes.CountAsync(n => n.CaseId == w.CaseId));
        Errors(await RefusedAsync(await centre.PostFormAsync($"{url}?handler=AddNote", new() { ["NoteCategory"] = RecordCategories.CaseWork, ["NoteBasis"] = "PublicTask", ["NoteText"] = "Before deciding" }, url)))
            .ShouldBe(["Only the lead organisation, the team around the family or the hub adds to the case"], "reading to decide is not joining the team");
        (await app.AsSystemAsync((db, _) => db.CaseNotes.CountAsync(n => n.CaseId == w.CaseId))).ShouldBe(notesBefore);
        (await centre.GetDocumentAsync("/my-work")).QuerySelector("#my-offers")!.TextContent.ShouldContain($"Jade Corr{p.Suffix}");
        Errors(await RefusedAsync(await centre.PostFormAsync($"{url}?handler=DeclineLead", [], url))).ShouldBe(["Say why your organisation declines the lead"]);
        (await health.PostFormAsync($"{url}?handler=AcceptLead", [], url)).StatusCode.ShouldBe(HttpStatusCode.OK, "only the agency offered the lead accepts it");
        (await centre.PostFormAsync($"{url}?handler=DeclineLead", new() { ["DeclineReason"] = "No capacity until spring." }, url)).LocationPath().ShouldBe("/my-work");
        (await centre.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound, "declining ends the access the offer gave");
        (await centre.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var charityUser = await p.UserAsync(p.Charity);
        var charity = await app.SignInAsync(charityUser);
        (await lead.PostFormAsync($"{url}?handler=OfferLead", new() { ["TransferTo"] = p.Charity.Id.ToString(), ["TransferReason"] = "The mentoring charity is best placed to lead.", ["TransferBasis"] = "PublicTask" }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await charity.PostFormAsync($"{url}?handler=AcceptLead", [], url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var transferred = await CaseAsync(w.CaseId);
        transferred.LeadOrganisationId.ShouldBe(p.Charity.Id);
        transferred.LeadPractitionerId.ShouldBe(charityUser.Id);
        (await charity.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the new lead sees the family linked to the case");
        (await lead.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, "the old lead stays in the team");
        (await lead.PostFormAsync($"{url}?handler=AddGoal", new() { ["GoalText"] = "Another goal" }, url)).StatusCode.ShouldBe(HttpStatusCode.OK, "the old lead no longer manages the case");

        // Step up to children's social care, which steps it down again to early help led by the youth service.
        var socialCare = await app.SignInAsync(await p.UserAsync(p.SocialCare));
        (await socialCare.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        Errors(await RefusedAsync(await charity.PostFormAsync($"{url}?handler=StepUp", new() { ["StepUpTo"] = p.Health.Id.ToString() }, url)))
            .ShouldBe(["Select the children's social care team", "Give the rationale for stepping up"], ignoreOrder: true);
        (await charity.PostFormAsync($"{url}?handler=StepUp", new() { ["StepUpTo"] = p.SocialCare.Id.ToString(), ["StepUpRationale"] = "Disclosure of harm at home: threshold for statutory assessment met." }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var steppedUp = await CaseAsync(w.CaseId);
        steppedUp.Status.ShouldBe(CaseStatus.Closed);
        steppedUp.ClosureReason.ShouldBe(CaseClosureReason.SteppedUp);
        (await socialCare.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, "the social care team reads the case stepped up to it");
        (await charity.PostFormAsync($"{url}?handler=StepDown", new() { ["StepDownLead"] = p.Youth.Id.ToString(), ["StepDownRationale"] = "x" }, url))
            .StatusCode.ShouldBe(HttpStatusCode.OK, "only social care or the hub steps a case down");
        (await socialCare.PostFormAsync($"{url}?handler=StepDown", new() { ["StepDownLead"] = p.Youth.Id.ToString(), ["StepDownRationale"] = "Assessment complete; early help can continue the work." }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var steppedDown = await CaseAsync(w.CaseId);
        steppedDown.Status.ShouldBe(CaseStatus.Open);
        steppedDown.Level.ShouldBe(TriageOutcome.EarlyHelp);
        steppedDown.LeadOrganisationId.ShouldBe(p.Youth.Id);

        // Leaving: the health service leaves and loses the child, the case and the mother.
        var healthMember = await app.AsSystemAsync((db, _) => db.CaseMembers.Where(m => m.CaseId == w.CaseId && m.OrganisationId == p.Health.Id && m.LeftAt == null).Select(m => m.Id).SingleAsync());
        (await lead.PostFormAsync($"{url}?handler=RemoveMember", new() { ["MemberId"] = healthMember.ToString(), ["Confirmed"] = "true" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        foreach (var path in new[] { url, $"/people/{w.Child.Id}", $"/people/{w.Mother.Id}" })
            (await health.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.NotFound, path);

        // Close and reopen.
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=Close", [], url))).ShouldBe(["Select why the case is closing"]);
        (await lead.PostFormAsync($"{url}?handler=Close", new() { ["ClosureReason"] = "OutcomesMet", ["Confirmed"] = "true" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        Errors(await RefusedAsync(await lead.PostFormAsync($"{url}?handler=Reopen", [], url))).ShouldBe(["Say why the case is reopening"]);
        (await lead.PostFormAsync($"{url}?handler=Reopen", new() { ["ReopenReason"] = "Suspended again" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await CaseAsync(w.CaseId)).Status.ShouldBe(CaseStatus.Open);

        var history = (await lead.GetDocumentAsync(url)).QuerySelector("#history")!.TextContent;
        foreach (var line in new[] { "joined the team", "Family member linked: parent", "Goal set", "Review held", "declined the lead", "accepted the lead", "Stepped up to", "Stepped down to early help", "left the team", "Closed: Outcomes met", "Reopened: Suspended again" })
            history.ShouldContain(line);
        // A note leaves no history line: one would tell readers the agreement withholds it from that a note exists, its category and its author.
        history.ShouldNotContain("Note added");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Child.Id && a.Subject == "case" && a.Action == AuditAction.Read))).ShouldBeGreaterThan(10);
    }

    [Fact]
    public async Task ProcessGrants_ReportTeamOfferStepUp_EachHasAnEndOrAReviewThatMovesWithTheCaseAndIsAudited()
    {
        var w = await OpenCaseAsync();
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Youth);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        (await lead.PostFormAsync($"{url}?handler=AddMember", new() { ["OrganisationId"] = w.P.Health.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await lead.PostFormAsync($"{url}?handler=OfferLead", new() { ["TransferTo"] = w.P.FamilyCentre.Id.ToString(), ["TransferReason"] = "They run the parenting group.", ["TransferBasis"] = "PublicTask" }, url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var grants = await app.AsSystemAsync((db, _) => db.Involvements.AsNoTracking().Where(i => i.PersonId == w.Child.Id && i.Source != InvolvementSource.Explicit).ToListAsync());
        grants.Select(g => g.Source).ShouldBe([InvolvementSource.Referral, InvolvementSource.TeamAroundFamily, InvolvementSource.TeamAroundFamily, InvolvementSource.CaseTransfer], ignoreOrder: true);
        grants.ShouldAllBe(g => g.EndDate != null || g.ReviewOn != null);
        grants.Single(g => g.Source == InvolvementSource.Referral).EndDate.ShouldBe(today.AddMonths(12).AddDays(-1), "the reporter follows the outcome for a year");
        grants.Single(g => g.Source == InvolvementSource.CaseTransfer).EndDate.ShouldBe(today.AddDays(28), "an unanswered offer lapses");
        grants.Where(g => g.Source == InvolvementSource.TeamAroundFamily).ShouldAllBe(g => g.EndDate == null && g.ReviewOn == today.AddMonths(3));

        var next = today.AddDays(40);
        (await lead.PostFormAsync($"{url}?handler=RecordReview", Form(Date("ReviewHeld", Today()), new() { ["ReviewSummary"] = "Attending the group." }, Date("ReviewNext", next.ToString("yyyy-MM-dd"))), url))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.Involvements.Where(i => i.SourceId == w.CaseId && i.Source == InvolvementSource.TeamAroundFamily).Select(i => i.ReviewOn).ToListAsync()))
            .ShouldAllBe(r => r == next, "the team's places are reviewed with the case");

        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == w.Child.Id && a.Subject.StartsWith("grant:")).Select(a => a.Subject).ToListAsync());
        audited.ShouldContain(a => a.StartsWith("grant:Referral "));
        audited.ShouldContain(a => a.StartsWith($"grant:TeamAroundFamily {w.P.Health.Id} review "));
        audited.ShouldContain(a => a.StartsWith($"grant:CaseTransfer {w.P.FamilyCentre.Id} until "));

        // The database holds the rule too: a grant with neither an end nor a review is refused.
        await Should.ThrowAsync<DbUpdateException>(() => app.AsSystemAsync(async db =>
        {
            db.Involvements.Add(new Involvement { PersonId = w.Child.Id, OrganisationId = w.P.Charity.Id, Source = InvolvementSource.Explicit, Reason = "Open-ended", StartDate = today, AddedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task Closure_TeamKeepsAccessForTheSetDaysThenLosesIt_ReopeningByTheHubRestoresIt()
    {
        var w = await OpenCaseAsync();
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Youth);
        var nurse = await app.SignInAsync(await w.P.UserAsync(w.P.Health));
        (await lead.PostFormAsync($"{url}?handler=AddMember", new() { ["OrganisationId"] = w.P.Health.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await lead.PostFormAsync($"{url}?handler=AddFamily", new() { ["FamilyPersonId"] = w.Mother.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        (await lead.PostFormAsync($"{url}?handler=Close", new() { ["ClosureReason"] = "OutcomesMet", ["Confirmed"] = "true" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var places = await app.AsSystemAsync((db, _) => db.Involvements.AsNoTracking().Where(i => i.SourceId == w.CaseId).ToListAsync());
        places.Count.ShouldBe(4, "the lead and the nurse's service, each on the child and the mother");
        places.ShouldAllBe(i => i.EndDate == today.AddDays(TriageSettings.DefaultCaseAccessDaysAfterClosure), "closing starts the clock the partnership set");
        (await nurse.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, "the team keeps the closed case while the clock runs");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Mother.Id && a.Subject.EndsWith("(case closed)")))).ShouldBe(2);

        // The days pass (the end dates moved to yesterday, as the clock would).
        await app.AsSystemAsync(db => db.Involvements.Where(i => i.SourceId == w.CaseId).ExecuteUpdateAsync(u => u.SetProperty(i => i.EndDate, today.AddDays(-1))));
        foreach (var client in new[] { lead, nurse })
        {
            (await client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await client.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }

        var hub = await app.SignInAsync(w.Hub);
        (await hub.PostFormAsync($"{url}?handler=Reopen", new() { ["ReopenReason"] = "A new exclusion: the family asked for help again." }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        foreach (var client in new[] { lead, nurse })
        {
            (await client.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK, "reopening gives the team its places back");
            (await client.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }
        (await app.AsSystemAsync((db, _) => db.Involvements.Where(i => i.SourceId == w.CaseId && i.EndDate == null).CountAsync())).ShouldBe(4);
    }

    [Fact]
    public async Task Closure_DaysAfterClosureSetting_ZeroOrTooManyRefused()
    {
        var w = await OpenCaseAsync();
        var admin = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Waypoint.Identity.Roles.PartnershipAdmin));
        foreach (var days in new[] { "0", "-5", "366", "ninety" })
        {
            var refused = await admin.PostFormAsync("/admin/triage", new() { ["DecisionWorkingDays"] = "1", ["CaseAccessDaysAfterClosure"] = days });
            Errors(await RefusedAsync(refused)).ShouldBe(["Enter a whole number of days from 1 to 365"], days);
        }
        (await app.AsSystemAsync((db, _) => db.TriageSettings.Select(t => (int?)t.CaseAccessDaysAfterClosure).FirstOrDefaultAsync()) ?? TriageSettings.DefaultCaseAccessDaysAfterClosure)
            .ShouldBe(TriageSettings.DefaultCaseAccessDaysAfterClosure);
    }

    [Fact]
    public async Task FamilyMember_Unlinked_TeamLosesThem()
    {
        var w = await OpenCaseAsync();
        var url = $"/cases/{w.CaseId}";
        var lead = await app.SignInAsync(w.Youth);
        (await lead.PostFormAsync($"{url}?handler=AddFamily", new() { ["FamilyPersonId"] = w.Mother.Id.ToString() }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await lead.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == w.Mother.Id && a.Action == AuditAction.Create && a.Subject == "case.family"))).ShouldBe(1);

        var linkId = await app.AsSystemAsync((db, _) => db.CaseFamilyMembers.Where(f => f.CaseId == w.CaseId).Select(f => f.Id).SingleAsync());
        (await lead.PostFormAsync($"{url}?handler=RemoveFamily", new() { ["FamilyLinkId"] = linkId.ToString(), ["Confirmed"] = "true" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await lead.GetAsync($"/people/{w.Mother.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await lead.GetAsync($"/people/{w.Child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "unlinking a family member leaves the child's own access alone");
    }

    [Fact]
    public async Task OverdueReview_MarkedOnTheCaseAndInMyWork()
    {
        var w = await OpenCaseAsync();
        await app.AsSystemAsync(async db =>
        {
            await db.Cases.Where(c => c.Id == w.CaseId).ExecuteUpdateAsync(s => s.SetProperty(c => c.NextReviewOn, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2)));
        });
        var lead = await app.SignInAsync(w.Youth);

        (await lead.GetDocumentAsync($"/cases/{w.CaseId}")).QuerySelector("#next-review")!.TextContent.ShouldContain("Overdue");
        (await lead.GetDocumentAsync("/my-work")).QuerySelector("#my-cases")!.TextContent.ShouldContain("Review overdue");
    }
}

public sealed class CaseLifecycleTestsOnSqlite(SqliteApp app) : CaseLifecycleTests(app), IClassFixture<SqliteApp>;

public sealed class CaseLifecycleTestsOnPostgres(PostgresApp app) : CaseLifecycleTests(app), IClassFixture<PostgresApp>;
