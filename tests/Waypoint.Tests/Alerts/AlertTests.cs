using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Alerts;
using Waypoint.Features.Schools;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Alerts;

/// <summary>
/// Early-warning alerts end to end on the default thresholds: raised from school records however
/// they arrive, once per trigger, sent to the school's safeguarding lead and the inclusion team,
/// worked in the inbox with every step audited, and seen only by those who may see the pupil's
/// education records.
/// </summary>
public abstract class AlertTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private sealed record World(TestPartnership P, Person Pupil, TestUser Lead, TestUser Inclusion);

    /// <summary>A pupil at School A in District A, the school's named safeguarding lead and an inclusion officer for the district.</summary>
    private async Task<World> WorldAsync(string givenName)
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync(givenName, $"Pupil{p.Suffix}", new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var lead = await p.UserAsync(p.School);
        await NameLeadAsync(p.School, lead);
        var inclusion = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        return new World(p, pupil, lead, inclusion);
    }

    private Task NameLeadAsync(Organisation school, TestUser? lead) =>
        app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == school.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.SafeguardingLeadUserId, lead == null ? null : lead.Id)));

    private Task AddSuspensionAsync(Person pupil, Organisation school, DateOnly start, int sessions, ExclusionKind kind = ExclusionKind.Suspension) =>
        app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                Kind = kind,
                StartDate = start,
                Sessions = kind == ExclusionKind.Suspension ? sessions : null,
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

    private Task AddAttendanceAsync(Person pupil, Organisation school, DateOnly start, DateOnly end, int possible, int missed) =>
        app.AsSystemAsync(async db =>
        {
            db.AttendanceRecords.Add(new AttendanceRecord
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                PeriodStart = start,
                PeriodEnd = end,
                SessionsPossible = possible,
                SessionsPresent = possible - missed,
                UnauthorisedAbsence = missed,
                RecordedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

    /// <summary>What an import does once its rows are committed.</summary>
    private Task RecordsChangedAsync(params Person[] pupils) =>
        app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<SchoolRecordsChanged>().NotifyAsync(pupils.Select(p => p.Id).ToList(), CancellationToken.None);
            return true;
        });

    private Task<int> EvaluateAsync(params Person[] pupils) =>
        app.AsSystemAsync((_, services) => services.GetRequiredService<AlertEvaluator>().EvaluateAsync(pupils.Select(p => p.Id).ToList(), CancellationToken.None));

    private Task<List<Alert>> AlertsAsync(Person pupil, AlertRule? rule = null) =>
        app.AsSystemAsync((db, _) => db.Alerts.Include(a => a.Events).Where(a => a.PersonId == pupil.Id && (rule == null || a.Rule == rule)).ToListAsync());

    private async Task<Alert> PermanentExclusionAlertAsync(World w)
    {
        await AddSuspensionAsync(w.Pupil, w.P.School, Today.AddDays(-3), 0, ExclusionKind.PermanentExclusion);
        await RecordsChangedAsync(w.Pupil);
        return (await AlertsAsync(w.Pupil, AlertRule.PermanentExclusion)).ShouldHaveSingleItem();
    }

    private Task<List<Notification>> NoticesAsync(TestUser user) =>
        app.AsSystemAsync((db, _) => db.Notifications.Where(n => n.UserId == user.Id).ToListAsync());

    private Task<List<AuditEntry>> AuditAsync(TestUser? user, Guid? personId) =>
        app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.UserId == (user == null ? null : user.Id) && a.PersonId == personId).OrderBy(a => a.Id).ToListAsync());

    private static Dictionary<string, string> SuspensionForm(int sessions, int daysAgo = 0)
    {
        var today = Today.AddDays(-daysAgo);
        return new()
        {
            ["Start.Day"] = today.Day.ToString(),
            ["Start.Month"] = today.Month.ToString(),
            ["Start.Year"] = today.Year.ToString(),
            ["Sessions"] = sessions.ToString(),
            ["Outcome"] = "NotReviewed",
            ["Reasons[0]"] = "PA",
        };
    }

    [Fact]
    public async Task RecordSuspension_SecondInTheRollingTerm_OneAlertToTheSchoolsLeadAndTheDistrictsInclusionTeam()
    {
        var w = await WorldAsync("Ada");
        var elsewhere = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.OtherDistrict);
        var hubTriage = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.HubTriage, w.P.District);
        var teacher = await w.P.UserAsync(w.P.School);
        var school = await app.SignInAsync(teacher);

        (await school.PostFormAsync($"/people/{w.Pupil.Id}/school/suspensions/new", SuspensionForm(2))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AlertsAsync(w.Pupil)).ShouldBeEmpty();
        (await school.PostFormAsync($"/people/{w.Pupil.Id}/school/suspensions/new", SuspensionForm(2, daysAgo: 1))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var alert = (await AlertsAsync(w.Pupil)).ShouldHaveSingleItem();
        alert.Rule.ShouldBe(AlertRule.RepeatedSuspensions);
        alert.SchoolId.ShouldBe(w.P.School.Id);
        alert.Status.ShouldBe(AlertStatus.New);
        alert.ThresholdValue.ShouldBe(2);
        alert.TriggerKey.ShouldStartWith($"repeated-suspensions:{w.Pupil.Id:N}:");
        alert.Figures.ShouldContain("2 suspensions in the rolling term");
        alert.Events.ShouldHaveSingleItem().Kind.ShouldBe(AlertEventKind.Raised);
        foreach (var told in new[] { w.Lead, w.Inclusion })
        {
            var notice = (await NoticesAsync(told)).ShouldHaveSingleItem();
            notice.Kind.ShouldBe("alert");
            notice.Link.ShouldBe($"/alerts/{alert.Id}");
            notice.Subject.ShouldBe("New alert: repeated suspensions");
            notice.Body.ShouldContain(w.P.School.Name);
            (notice.Subject + notice.Body).ShouldNotContain(w.Pupil.FamilyName);
        }
        foreach (var notTold in new[] { elsewhere, hubTriage, teacher })
            (await NoticesAsync(notTold)).ShouldBeEmpty();
        (await AuditAsync(null, w.Pupil.Id)).ShouldContain(a => a.Action == AuditAction.Create && a.Subject == "alert");
    }

    [Fact]
    public async Task RecordSuspension_FiveThenSixDaysInTheTerm_AlertOnlyOnceTheTotalPassesFive()
    {
        var w = await WorldAsync("Ben");
        var school = await app.SignInAsync(await w.P.UserAsync(w.P.School));

        await school.PostFormAsync($"/people/{w.Pupil.Id}/school/suspensions/new", SuspensionForm(10));
        (await AlertsAsync(w.Pupil, AlertRule.SuspensionDaysInTerm)).ShouldBeEmpty();
        await school.PostFormAsync($"/people/{w.Pupil.Id}/school/suspensions/new", SuspensionForm(2, daysAgo: 1));

        var alert = (await AlertsAsync(w.Pupil, AlertRule.SuspensionDaysInTerm)).ShouldHaveSingleItem();
        alert.Figures.ShouldStartWith("6 days of suspension in the");
        alert.Figures.ShouldContain("(12 sessions), more than the threshold of 5 days");
    }

    [Fact]
    public async Task RecordPermanentExclusion_BySchool_AlertRaisedAtOnce()
    {
        var w = await WorldAsync("Cal");
        var school = await app.SignInAsync(await w.P.UserAsync(w.P.School));
        var form = SuspensionForm(0);
        form.Remove("Sessions");
        form["Outcome"] = "Pending";

        (await school.PostFormAsync($"/people/{w.Pupil.Id}/school/exclusions/new", form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var alert = (await AlertsAsync(w.Pupil)).ShouldHaveSingleItem();
        alert.Rule.ShouldBe(AlertRule.PermanentExclusion);
        alert.Figures.ShouldBe($"Permanently excluded from {Today.ToString("d MMMM yyyy", System.Globalization.CultureInfo.InvariantCulture)}.");
        (await NoticesAsync(w.Lead)).ShouldHaveSingleItem().Subject.ShouldBe("New alert: permanent exclusion");
    }

    [Fact]
    public async Task ImportedAttendance_NinePointNineAgainstTenPercentAbsence_OnlyTenPercentIsPersistent()
    {
        var w = await WorldAsync("Dee");
        var other = await w.P.YoungPersonAsync("Eve", $"Pupil{w.P.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: w.P.School);
        await AddAttendanceAsync(w.Pupil, w.P.School, Today, Today, 1000, 99);
        await AddAttendanceAsync(other, w.P.School, Today, Today, 1000, 100);

        await RecordsChangedAsync(w.Pupil, other);

        (await AlertsAsync(w.Pupil, AlertRule.PersistentAbsence)).ShouldBeEmpty();
        var alert = (await AlertsAsync(other, AlertRule.PersistentAbsence)).ShouldHaveSingleItem();
        alert.Figures.ShouldStartWith("10.0% of possible sessions missed");
        alert.Figures.ShouldContain("100 of 1000 sessions. The threshold is 10%.");
    }

    [Fact]
    public async Task ImportedAttendance_FallOfNinePointNineAgainstTenPoints_OnlyTenPointsAlerts()
    {
        var w = await WorldAsync("Fay");
        var other = await w.P.YoungPersonAsync("Gus", $"Pupil{w.P.Suffix}", new DateOnly(2011, 4, 4), enrolledAt: w.P.School);
        foreach (var (pupil, missedRecently) in new[] { (w.Pupil, 99), (other, 100) })
        {
            await AddAttendanceAsync(pupil, w.P.School, Today.AddDays(-52), Today.AddDays(-48), 1000, 0);
            await AddAttendanceAsync(pupil, w.P.School, Today.AddDays(-6), Today.AddDays(-2), 1000, missedRecently);
        }

        await RecordsChangedAsync(w.Pupil, other);

        (await AlertsAsync(w.Pupil, AlertRule.AttendanceFall)).ShouldBeEmpty();
        (await AlertsAsync(other, AlertRule.AttendanceFall)).ShouldHaveSingleItem().Figures.ShouldContain("a fall of 10.0 points");
    }

    [Fact]
    public async Task Evaluate_OldTrigger_RaisesNothing()
    {
        var w = await WorldAsync("Hal");
        await AddSuspensionAsync(w.Pupil, w.P.School, Today.AddDays(-(AlertEvaluator.RecentDays + 1)), 0, ExclusionKind.PermanentExclusion);

        (await EvaluateAsync(w.Pupil)).ShouldBe(0);

        (await AlertsAsync(w.Pupil)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Evaluate_TwiceAndThenFourAtOnce_OneAlertPerTriggerAndOneNoticeEach()
    {
        var w = await WorldAsync("Ivy");
        await AddSuspensionAsync(w.Pupil, w.P.School, Today.AddDays(-20), 2);
        await AddSuspensionAsync(w.Pupil, w.P.School, Today.AddDays(-10), 2);

        (await EvaluateAsync(w.Pupil)).ShouldBe(1);
        (await EvaluateAsync(w.Pupil)).ShouldBe(0);
        await RecordsChangedAsync(w.Pupil);

        await AddSuspensionAsync(w.Pupil, w.P.School, Today, 0, ExclusionKind.PermanentExclusion);
        var raised = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => EvaluateAsync(w.Pupil))));

        raised.Sum().ShouldBe(1);
        var alerts = await AlertsAsync(w.Pupil);
        alerts.Select(a => a.Rule).ShouldBe([AlertRule.RepeatedSuspensions, AlertRule.PermanentExclusion], ignoreOrder: true);
        alerts.ShouldAllBe(a => a.Events.Count == 1);
        var notices = await NoticesAsync(w.Inclusion);
        notices.Count.ShouldBe(2);
        notices.Select(n => n.Link).Distinct().Count().ShouldBe(2);
    }

    [Fact]
    public async Task InsertIfAbsent_SameTriggerKeyTwice_TheDatabaseRefusesTheSecond()
    {
        var w = await WorldAsync("Jo");
        Alert Make() => new()
        {
            PersonId = w.Pupil.Id,
            SchoolId = w.P.School.Id,
            Rule = AlertRule.PermanentExclusion,
            TriggerKey = $"permanent-exclusion:{w.Pupil.Id:N}:test",
            Figures = "Test",
            RaisedAt = DateTimeOffset.UtcNow,
        };

        var first = await app.AsSystemAsync((_, services) => services.GetRequiredService<AlertRaiser>().InsertIfAbsentAsync(Make(), CancellationToken.None));
        var second = await app.AsSystemAsync((_, services) => services.GetRequiredService<AlertRaiser>().InsertIfAbsentAsync(Make(), CancellationToken.None));

        first.ShouldBeTrue();
        second.ShouldBeFalse();
        (await AlertsAsync(w.Pupil)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Raise_LeadNotNamedInactiveOrGrantEnded_OnlyThoseWhoMaySeeItAreTold()
    {
        var w = await WorldAsync("Kit");
        await NameLeadAsync(w.P.School, null);
        var ended = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.County);
        await app.AsSystemAsync(db => db.PartnershipRoleGrants.Where(g => g.UserId == ended.Id).ExecuteUpdateAsync(s => s.SetProperty(g => g.EndDate, Today.AddDays(-1))));
        var county = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.County);
        var inactive = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.Ward);
        await app.AsSystemAsync(db => db.Users.Where(u => u.Id == inactive.Id).ExecuteUpdateAsync(s => s.SetProperty(u => u.IsActive, false)));
        // A lead at another school is no recipient of this school's alert.
        var otherLead = await w.P.UserAsync(w.P.OtherSchool);
        await NameLeadAsync(w.P.OtherSchool, otherLead);

        await PermanentExclusionAlertAsync(w);

        (await NoticesAsync(w.Inclusion)).Count.ShouldBe(1);
        (await NoticesAsync(county)).Count.ShouldBe(1);
        foreach (var user in new[] { w.Lead, ended, inactive, otherLead })
            (await NoticesAsync(user)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Inbox_InclusionOfficer_AcknowledgesAssignsNotesAndClosesEachStepAudited()
    {
        var w = await WorldAsync("Lou");
        var alert = await PermanentExclusionAlertAsync(w);
        var colleague = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.InclusionOfficer, w.P.County);
        var withoutGrant = await w.P.UserAsync(w.P.Hub);
        var client = await app.SignInAsync(w.Inclusion);
        var page = $"/alerts/{alert.Id}";

        var inbox = await client.GetDocumentAsync("/alerts");
        inbox.QuerySelector("#alert-list")!.TextContent.ShouldContain($"Lou Pupil{w.P.Suffix}");
        inbox.QuerySelector("a[href='/alerts'] .moj-notification-badge")!.TextContent.ShouldStartWith("1");
        var opened = await client.GetDocumentAsync(page);
        opened.QuerySelector("#alert-figures")!.TextContent.ShouldStartWith("Permanently excluded from");
        opened.QuerySelector("#alert-status")!.TextContent.Trim().ShouldBe("New");

        (await client.PostFormAsync($"{page}?handler=Acknowledge", new(), page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.PostFormAsync($"{page}?handler=Assign", new() { ["AssignTo"] = withoutGrant.Id.ToString() }, page)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.PostFormAsync($"{page}?handler=Assign", new() { ["AssignTo"] = colleague.Id.ToString() }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var noteRefused = Clients.Parse(await (await client.PostFormAsync($"{page}?handler=Note", new() { ["Note"] = " " }, page)).Content.ReadAsStringAsync());
        noteRefused.QuerySelector("#Note-error")!.TextContent.ShouldContain("Enter the note");
        (await client.PostFormAsync($"{page}?handler=Note", new() { ["Note"] = "Spoke to the head of year" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var closeRefused = Clients.Parse(await (await client.PostFormAsync($"{page}?handler=Close", new() { ["CloseNote"] = "" }, page)).Content.ReadAsStringAsync());
        closeRefused.QuerySelector("#CloseNote-error")!.TextContent.ShouldContain("Say why the alert is being closed");
        (await client.PostFormAsync($"{page}?handler=Close", new() { ["CloseNote"] = "Alternative provision in place" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var stored = (await AlertsAsync(w.Pupil)).ShouldHaveSingleItem();
        stored.Status.ShouldBe(AlertStatus.Closed);
        stored.ClosedAt.ShouldNotBeNull();
        stored.AssignedToUserId.ShouldBe(colleague.Id);
        stored.Events.OrderBy(e => e.At).ThenBy(e => e.Id).Select(e => e.Kind).ShouldBe(
            [AlertEventKind.Raised, AlertEventKind.Acknowledged, AlertEventKind.Assigned, AlertEventKind.NoteAdded, AlertEventKind.Closed]);
        stored.Events.Where(e => e.Kind != AlertEventKind.Raised).ShouldAllBe(e => e.UserId == w.Inclusion.Id);
        stored.Events.Single(e => e.Kind == AlertEventKind.Closed).Note.ShouldBe("Alternative provision in place");
        var audit = await AuditAsync(w.Inclusion, w.Pupil.Id);
        audit.ShouldContain(a => a.Action == AuditAction.ListedInSearch && a.Subject == "alerts" && a.Basis == "partnership role");
        audit.ShouldContain(a => a.Action == AuditAction.Read && a.Subject == "alert" && a.Basis == "partnership role");
        audit.Where(a => a.Action == AuditAction.Update).Select(a => a.Subject).ShouldBe(["alert.acknowledge", "alert.assign", "alert.note", "alert.close"]);
        var assigned = (await NoticesAsync(colleague)).Where(n => n.Kind == "alert-assigned").ShouldHaveSingleItem();
        assigned.Link.ShouldBe(page);

        var history = (await client.GetDocumentAsync(page)).QuerySelector("#alert-history")!.TextContent;
        history.ShouldContain("Spoke to the head of year");
        history.ShouldContain("Alternative provision in place");
        (await client.GetDocumentAsync("/alerts")).QuerySelector("#no-alerts").ShouldNotBeNull();
        (await client.GetDocumentAsync("/alerts?show=closed")).QuerySelector("#alert-list")!.TextContent.ShouldContain($"Lou Pupil{w.P.Suffix}");
    }

    [Fact]
    public async Task Visibility_AnotherSchoolOrAPartnerWithoutEducation_SeeNoAlertAndAreRefusedWithAnAuditedDenial()
    {
        var w = await WorldAsync("Max");
        var alert = await PermanentExclusionAlertAsync(w);
        await w.P.InvolveAsync(w.Pupil, w.P.Housing, "Tenancy support");
        var housing = await w.P.UserAsync(w.P.Housing);
        var otherSchool = await w.P.UserAsync(w.P.OtherSchool);
        var teacher = await w.P.UserAsync(w.P.School);

        foreach (var outsider in new[] { housing, otherSchool })
        {
            var client = await app.SignInAsync(outsider);
            (await client.GetDocumentAsync("/alerts")).QuerySelector("#no-alerts").ShouldNotBeNull();
            var response = await client.GetAsync($"/alerts/{alert.Id}");
            response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            (await response.Content.ReadAsStringAsync()).ShouldNotContain(w.Pupil.FamilyName);
            var acknowledge = await client.PostFormAsync($"/alerts/{alert.Id}?handler=Acknowledge", new(), "/alerts");
            acknowledge.StatusCode.ShouldBe(HttpStatusCode.NotFound);
            var denials = (await AuditAsync(outsider, w.Pupil.Id)).Where(a => a.Action == AuditAction.Denied).ToList();
            denials.Count.ShouldBe(2);
            denials.ShouldAllBe(d => d.Subject.StartsWith("alert") && d.Subject.EndsWith(alert.Id.ToString()));
            var api = await app.ApiClientAsync(outsider);
            (await api.GetFromJsonAsync<JsonElement[]>("/api/v1/alerts"))!.ShouldBeEmpty();
            (await api.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        }
        (await AlertsAsync(w.Pupil)).Single().Status.ShouldBe(AlertStatus.New);

        var nobody = Guid.NewGuid();
        var school = await app.SignInAsync(teacher);
        (await school.GetAsync($"/alerts/{nobody}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await AuditAsync(teacher, null)).ShouldContain(a => a.Action == AuditAction.Denied && a.Subject == $"alert {nobody}" && a.Basis == "no such alert");
        (await school.GetAsync($"/alerts/{alert.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AuditAsync(teacher, w.Pupil.Id)).ShouldContain(a => a.Action == AuditAction.Read && a.Subject == "alert" && a.Basis == "enrolment");
    }

    [Fact]
    public async Task Api_ListAndAcknowledge_OpenAlertsOnlyAndRefusesAClosedOne()
    {
        var w = await WorldAsync("Ned");
        var alert = await PermanentExclusionAlertAsync(w);
        var api = await app.ApiClientAsync(w.Inclusion);

        var listed = (await api.GetFromJsonAsync<JsonElement[]>("/api/v1/alerts"))!.Single(a => a.GetProperty("id").GetGuid() == alert.Id);
        listed.GetProperty("rule").GetString().ShouldBe("PermanentExclusion");
        listed.GetProperty("status").GetString().ShouldBe("New");
        listed.GetProperty("pupil").GetString().ShouldBe($"Ned Pupil{w.P.Suffix}");
        var acknowledged = await api.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null);
        acknowledged.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await acknowledged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString().ShouldBe("Acknowledged");
        (await api.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AlertsAsync(w.Pupil)).Single().Events.Count(e => e.Kind == AlertEventKind.Acknowledged).ShouldBe(1);
        (await AuditAsync(w.Inclusion, w.Pupil.Id)).ShouldContain(a => a.Action == AuditAction.Update && a.Subject == "api:alert.acknowledge" && a.Channel == "api");

        await app.AsSystemAsync(db => db.Alerts.Where(a => a.Id == alert.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AlertStatus.Closed)));
        var closed = await api.PostAsync($"/api/v1/alerts/{alert.Id}/acknowledge", null);
        closed.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await api.GetFromJsonAsync<JsonElement[]>("/api/v1/alerts"))!.ShouldNotContain(a => a.GetProperty("id").GetGuid() == alert.Id);
    }

    [Fact]
    public async Task TopTen_NomineeWithAnOpenAlert_ShowsTheCountLinkingToTheirAlerts()
    {
        var w = await WorldAsync("Oli");
        var alert = await PermanentExclusionAlertAsync(w);
        var calm = await w.P.YoungPersonAsync("Pip", $"Pupil{w.P.Suffix}", new DateOnly(2011, 5, 5), enrolledAt: w.P.School);
        await app.AsSystemAsync(async db =>
        {
            db.TopTenNominations.AddRange(
                new TopTenNomination { PersonId = w.Pupil.Id, SchoolId = w.P.School.Id, Rank = 1, Reason = "Excluded", NominatedAt = DateTimeOffset.UtcNow },
                new TopTenNomination { PersonId = calm.Id, SchoolId = w.P.School.Id, Rank = 2, Reason = "Watching", NominatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var school = await app.SignInAsync(w.Lead);

        var list = await school.GetDocumentAsync("/schools/top-ten");

        var link = list.QuerySelector($"a[href='/alerts?person={w.Pupil.Id}']").ShouldNotBeNull();
        link.TextContent.ShouldStartWith("1");
        list.QuerySelector($"a[href='/alerts?person={calm.Id}']").ShouldBeNull();
        var alerts = await school.GetDocumentAsync($"/alerts?person={w.Pupil.Id}");
        alerts.QuerySelectorAll("#alert-list tbody tr").Length.ShouldBe(1);
        alerts.QuerySelector($"#alert-list a[href='/alerts/{alert.Id}']").ShouldNotBeNull();
    }

    [Fact]
    public async Task Raise_OpenCaseWithALeadPractitioner_TheLeadIsToldToo()
    {
        var w = await WorldAsync("Cass");
        var caseLead = await w.P.UserAsync(w.P.Hub);
        await app.AsSystemAsync(async db =>
        {
            var @case = new Waypoint.Domain.Case
            {
                PersonId = w.Pupil.Id,
                LeadOrganisationId = w.P.Hub.Id,
                LeadPractitionerId = caseLead.Id,
                Level = TriageOutcome.EarlyHelp,
                Status = CaseStatus.Open,
                OpenedAt = DateTimeOffset.UtcNow,
                OpenedByUserId = caseLead.Id,
            };
            db.Cases.Add(@case);
            db.Involvements.Add(new Involvement
            {
                PersonId = w.Pupil.Id,
                OrganisationId = w.P.Hub.Id,
                Source = InvolvementSource.TeamAroundFamily,
                SourceId = @case.Id,
                Reason = "Leads the child's case",
                StartDate = Today.AddDays(-10),
                ReviewOn = Today.AddMonths(3),
                AddedByUserId = caseLead.Id,
                AddedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });

        var alert = await PermanentExclusionAlertAsync(w);

        (await NoticesAsync(caseLead)).ShouldContain(n => n.Link == $"/alerts/{alert.Id}");
        (await NoticesAsync(w.Lead)).ShouldContain(n => n.Link == $"/alerts/{alert.Id}");
    }
}

public sealed class AlertTestsOnSqlite(SqliteApp app) : AlertTests(app), IClassFixture<SqliteApp>;

public sealed class AlertTestsOnPostgres(PostgresApp app) : AlertTests(app), IClassFixture<PostgresApp>;
