using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Features.Services;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// Issue 10's reproductions about writes ("Grants nobody checks", "Facts that leak"): what decides
/// who may see a child is changed only by those the rules allow, and a refused or hidden thing
/// is never described.
/// </summary>
public abstract class GrantTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);
    private static int nextUrn;

    [Fact]
    public async Task EnrolmentsImport_NameAndDateOfBirthWithoutUpn_DoesNotMakeTheChildVisible()
    {
        var p = await TestPartnership.CreateAsync(app);
        var urn = (700000 + Interlocked.Increment(ref nextUrn) * 13 % 99999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn)));
        var child = await p.YoungPersonAsync("Imogen", $"Thackeray{p.Suffix}", new DateOnly(2011, 5, 6), enrolledAt: p.OtherSchool);
        var dsl = await p.UserAsync(p.School);
        var client = await app.SignInAsync(dsl);
        (await client.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "arranged: the school cannot see the child");
        var csv = $"UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n,{child.FamilyName},Imogen,2011-05-06,F,{urn},{Today.AddDays(-7):yyyy-MM-dd},,9,C\n";

        // The worker applies a queued file as its uploader (ImportJobs), as this does.
        await app.AsUserAsync(dsl, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(ImportKind.Enrolments, new MemoryStream(Encoding.UTF8.GetBytes(csv)), "enrolments.csv", p.School.Id, null, CancellationToken.None));

        (await client.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a name and birthday match grants nothing by itself");
        (await app.AsSystemAsync((db, _) => db.Enrolments.CountAsync(e => e.PersonId == child.Id && e.SchoolId == p.School.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Team_NurseWithBreakGlass_CannotAddOrganisationsAndAccessEndsWithTheBreakGlass()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Juniper", $"Ashcombe{p.Suffix}", new DateOnly(2012, 2, 2), enrolledAt: p.School);
        var nurse = await app.SignInAsync(await p.UserAsync(p.Health));
        var glass = await nurse.PostFormAsync($"/people/{child.Id}/break-glass", new() { ["Reason"] = "Child presented at A&E, safeguarding check" });
        glass.StatusCode.ShouldBe(HttpStatusCode.Redirect, "arranged: break-glass opens the record");
        (await nurse.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var statuses = new List<int>();
        foreach (var org in new[] { p.Health, p.Charity })
        {
            var added = await nurse.PostFormAsync($"/people/{child.Id}/team/new", new()
            {
                ["OrganisationId"] = org.Id.ToString(),
                ["Reason"] = "Ongoing support",
                ["Start.Day"] = "1",
                ["Start.Month"] = "1",
                ["Start.Year"] = Today.AddYears(-1).Year.ToString(),
            });
            statuses.Add((int)added.StatusCode);
        }
        await app.AsSystemAsync(db => db.BreakGlassGrants.Where(b => b.PersonId == child.Id).ExecuteUpdateAsync(s => s.SetProperty(b => b.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        (await app.AsSystemAsync((db, _) => db.Involvements.CountAsync(i => i.PersonId == child.Id))).ShouldBe(0, "a break-glass reader grants nothing");
        statuses.ShouldAllBe(s => s == 403 || s == 404);
        (await nurse.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "time-limited access ends with the break-glass");
        var charity = await app.SignInAsync(await p.UserAsync(p.Charity));
        (await charity.GetAsync($"/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("themselves")]
    [InlineData("the data-protection officer")]
    public async Task AddFunction_PartnershipAdminToThemselvesOrTheDpo_IsRefusedAndGrantsNothing(string whom)
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var dpo = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        var target = whom == "themselves" ? admin : dpo;
        var client = await app.SignInAsync(admin);
        var page = Clients.Parse(await (await client.GetAsync($"/admin/users/{target.Id}")).Content.ReadAsStringAsync());
        var fields = Forms.Fields(page, "AddFunction", "grant") ?? [];
        fields["Function.Function"] = nameof(PartnershipFunction.HubTriage);
        fields["Function.AreaId"] = p.County.Id.ToString();
        fields["Start.Day"] = Today.Day.ToString();
        fields["Start.Month"] = Today.Month.ToString();
        fields["Start.Year"] = Today.Year.ToString();

        var response = await client.PostFormAsync($"/admin/users/{target.Id}?handler=AddFunction", fields, $"/admin/users/{target.Id}");

        (await app.AsSystemAsync((db, _) => db.PartnershipRoleGrants.CountAsync(g => g.UserId == target.Id))).ShouldBe(0,
            $"the partnership admin gave {whom} a partnership function (answer {(int)response.StatusCode})");
    }

    [Fact]
    public async Task Address_PostForAHiddenAddress_DoesNotOverwriteItForAnyResident()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Lowenna", $"Penhallow{p.Suffix}", new DateOnly(2011, 7, 7), enrolledAt: p.School);
        var sibling = await p.YoungPersonAsync("Morwenna", $"Penhallow{p.Suffix}", new DateOnly(2013, 7, 7));
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        // The first agreement lets family records flow everywhere; this app's agreement withholds the police's from schools.
        await TestAgreement.PublishWithoutAsync(app, r => r.CategoryCode == RecordCategories.Family
            && r.OwnerType == OrganisationType.Police && r.ReaderType == OrganisationType.School);
        Household? hidden = null;
        foreach (var owner in new[] { p.Police })
        {
            var household = new Household { AddressLine1 = $"1 Secret Row {owner.Type}", Town = "Hidetown", Postcode = "NN8 1AB", AreaId = p.Ward.Id, OwnerOrganisationId = owner.Id };
            await app.AsSystemAsync(async db =>
            {
                db.Households.Add(household);
                await db.SaveChangesAsync();
                await db.People.Where(x => x.Id == pupil.Id || x.Id == sibling.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.HouseholdId, household.Id));
            });
            if (!(await (await client.GetAsync($"/people/{pupil.Id}/address")).Content.ReadAsStringAsync()).Contains("Secret Row", StringComparison.Ordinal))
            {
                hidden = household;
                break;
            }
        }
        hidden.ShouldNotBeNull("arranged: an address the school may not see (no owner type found whose family records are withheld from schools)");

        var response = await client.PostFormAsync($"/people/{pupil.Id}/address", new()
        {
            ["AddressLine1"] = "2 Overwritten Street",
            ["Town"] = "Elsewhere",
            ["Postcode"] = "NN1 1AA",
        });

        var stored = await app.AsSystemAsync((db, _) => db.Households.AsNoTracking().SingleAsync(h => h.Id == hidden.Id));
        stored.AddressLine1.ShouldBe(hidden.AddressLine1, $"the hidden address was overwritten for every resident (answer {(int)response.StatusCode})");
    }

    [Fact]
    public async Task Edit_ReaderNotAllowedToMovePeople_CannotChangeTheirArea()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Nerys", $"Trevelyan{p.Suffix}", new DateOnly(2011, 8, 8), enrolledAt: p.School, ward: p.Ward);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var page = Clients.Parse(await (await client.GetAsync($"/people/{pupil.Id}/edit")).Content.ReadAsStringAsync());
        var fields = Forms.Fields(page, null, "edit");
        fields.ShouldNotBeNull("arranged: the school may open the edit form");
        fields["WardId"] = p.OtherWard.Id.ToString();

        var response = await client.PostFormAsync($"/people/{pupil.Id}/edit", fields);

        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == pupil.Id).Select(x => x.AreaId).SingleAsync()))
            .ShouldBe(p.Ward.Id, $"a school practitioner moved the pupil to another district, which decides who sees them (answer {(int)response.StatusCode})");
    }

    [Theory]
    [InlineData("Close")]
    [InlineData("Acknowledge")]
    public async Task Alert_AnotherAgency_CannotActOnASchoolsAlert(string handler)
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ottilie", $"Rosewarne{p.Suffix}", new DateOnly(2011, 9, 9), enrolledAt: p.School);
        await p.InvolveAsync(pupil, p.Police);
        var alert = new Alert
        {
            PersonId = pupil.Id,
            SchoolId = p.School.Id,
            Rule = AlertRule.RepeatedSuspensions,
            TriggerKey = $"grant-test:{pupil.Id}",
            TriggeredOn = Today,
            Figures = "3 suspensions",
            ThresholdValue = 3,
            Status = AlertStatus.New,
            RaisedAt = DateTimeOffset.UtcNow,
        };
        await app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(alert);
            await db.SaveChangesAsync();
        });
        var police = await app.SignInAsync(await p.UserAsync(p.Police));

        var response = await police.PostFormAsync($"/alerts/{alert.Id}?handler={handler}", new() { ["CloseNote"] = "Not ours to close" }, "/account");

        var stored = await app.AsSystemAsync((db, _) => db.Alerts.AsNoTracking().SingleAsync(a => a.Id == alert.Id));
        stored.Status.ShouldBe(AlertStatus.New, $"the police closed or acknowledged the school's alert (answer {(int)response.StatusCode})");
        ((int)response.StatusCode).ShouldBeOneOf(403, 404);
    }

    [Fact]
    public async Task PoliceIntelligenceNote_NonPoliceReaders_SeeNeitherItsCategoryNorItsAuthor()
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Petroc", $"Carlyon{p.Suffix}", new DateOnly(2010, 10, 10), enrolledAt: p.School);
        await p.InvolveAsync(child, p.Police);
        await p.InvolveAsync(child, p.Youth);
        var officer = await p.UserAsync(p.Police);
        var @case = new Waypoint.Domain.Case { PersonId = child.Id, LeadOrganisationId = p.Hub.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = DateTimeOffset.UtcNow, OpenedByUserId = officer.Id };
        await app.AsSystemAsync(async db =>
        {
            db.Cases.Add(@case);
            foreach (var org in new[] { p.School, p.Police, p.Youth })
                db.Involvements.Add(new Involvement { PersonId = child.Id, OrganisationId = org.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = @case.Id, Reason = "Team", StartDate = Today.AddDays(-5), ReviewOn = Today.AddMonths(3), AddedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });

        // Written as the officer would, so that the case's history records it too.
        var police = await app.SignInAsync(officer);
        var noted = await police.PostFormAsync($"/cases/{@case.Id}?handler=AddNote", new()
        {
            ["NoteCategory"] = RecordCategories.PoliceIntelligence,
            ["NoteBasis"] = nameof(LawfulBasis.PublicTask),
            ["NoteText"] = "Seen with an older associate near the station",
        }, $"/cases/{@case.Id}");
        ((int)noted.StatusCode).ShouldBe(302, "arranged: the officer adds a police intelligence note");
        (await app.AsSystemAsync((db, _) => db.CaseNotes.CountAsync(n => n.CaseId == @case.Id))).ShouldBe(1);

        var failures = new List<string>();
        foreach (var org in new[] { p.School, p.Youth })
        {
            var client = await app.SignInAsync(await p.UserAsync(org));
            var api = await app.ApiClientAsync(await p.UserAsync(org));
            foreach (var (who, url) in new[] { (client, $"/cases/{@case.Id}"), (client, $"/people/{child.Id}/chronology"), (api, $"/api/v1/people/{child.Id}/chronology") })
            {
                var response = await who.GetAsync(url);
                var body = await response.Content.ReadAsStringAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                    failures.Add($"{url} as {org.Type}: {(int)response.StatusCode}");
                foreach (var telltale in new[] { "police intelligence", "police-intelligence", "Seen with an older associate", p.Police.Name })
                    if (body.Contains(telltale, StringComparison.OrdinalIgnoreCase))
                        failures.Add($"{url} as {org.Type}: shows \"{telltale}\"");
                // Withheld notes are counted on the pages, so that the team knows to ask.
                if (!url.StartsWith("/api/", StringComparison.Ordinal)
                    && Clients.Parse(body).QuerySelector("#notes-withheld")?.TextContent.Contains("1 ", StringComparison.Ordinal) != true)
                    failures.Add($"{url} as {org.Type}: the withheld note is not counted");
            }
        }
        failures.ShouldBeEmpty();
    }

    [Fact]
    public async Task AddIdentifier_ValueHeldBySomeoneTheReaderCannotSee_DoesNotSayItIsRecordedForAnotherPerson()
    {
        var p = await TestPartnership.CreateAsync(app);
        // A police reference (any shape of letters, digits, hyphens and slashes) the police hold for a child the school cannot see.
        var reference = $"NN/{p.Suffix.ToUpperInvariant()}/26";
        var holder = await p.YoungPersonAsync("Hidden", $"Holder{p.Suffix}", new DateOnly(2010, 1, 1), enrolledAt: p.OtherSchool);
        await app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.Add(new PersonIdentifier
            {
                PersonId = holder.Id,
                Scheme = IdentifierScheme.PoliceReference,
                Value = reference,
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceGeneral,
            });
            await db.SaveChangesAsync();
        });
        var pupil = await p.YoungPersonAsync("Seen", $"Pupil{p.Suffix}", new DateOnly(2010, 2, 2), enrolledAt: p.School);
        var client = await app.SignInAsync(await p.UserAsync(p.School));
        var before = await app.AsSystemAsync((db, _) => db.AuditEntries.MaxAsync(a => (long?)a.Id)) ?? 0;

        var response = await client.PostFormAsync($"/people/{pupil.Id}/identifiers/new", new() { ["Scheme"] = nameof(IdentifierScheme.PoliceReference), ["Value"] = reference });
        var body = await response.Content.ReadAsStringAsync();

        response.StatusCode.ShouldBe(HttpStatusCode.OK, "arranged: a duplicate across the register is refused, with a message");
        body.ShouldNotContain("already recorded for another person");
        body.ShouldNotName(holder.FamilyName);
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Id > before).ToListAsync());
        audited.ShouldNotBeEmpty("a duplicate check across the register is audited");
    }

    [Fact]
    public async Task MyWork_PeopleItLists_AreEachAudited()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Senara", $"Tregenza{p.Suffix}", new DateOnly(2011, 11, 11), enrolledAt: p.School);
        var dsl = await p.UserAsync(p.School);
        await app.AsSystemAsync(async db =>
        {
            db.Alerts.Add(new Alert
            {
                PersonId = pupil.Id,
                SchoolId = p.School.Id,
                Rule = AlertRule.PersistentAbsence,
                TriggerKey = $"mywork:{pupil.Id}",
                TriggeredOn = Today,
                Figures = "88%",
                ThresholdValue = 90,
                Status = AlertStatus.New,
                RaisedAt = DateTimeOffset.UtcNow,
                AssignedToUserId = dsl.Id,
            });
            await db.SaveChangesAsync();
        });
        var client = await app.SignInAsync(dsl);
        var before = await app.AsSystemAsync((db, _) => db.AuditEntries.MaxAsync(a => (long?)a.Id)) ?? 0;

        var body = await (await client.GetAsync("/my-work")).Content.ReadAsStringAsync();

        body.ShouldContain(pupil.FamilyName, customMessage: "arranged: My work lists the pupil's alert");
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.Id > before && a.PersonId == pupil.Id && a.UserId == dsl.Id && (a.Action == AuditAction.Read || a.Action == AuditAction.ListedInSearch))))
            .ShouldBeTrue("My work names the pupil without auditing it");
    }

    [Fact]
    public async Task LapseUnanswered_ReferralLapsingOnItsGrantsLastDay_EndsTheProvidersAccessWithIt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Briony", $"Lapsewood{p.Suffix}", new DateOnly(2012, 3, 3), enrolledAt: p.School);
        var dsl = await p.UserAsync(p.School);
        var provider = await app.SignInAsync(await p.UserAsync(p.Charity));
        var service = new Service { ProviderOrganisationId = p.Charity.Id, Name = $"Lapse mentoring {p.Suffix}", Description = "Mentoring", HowToRefer = "Waypoint", Places = 5, CreatedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow };
        await app.AsSystemAsync(async db =>
        {
            db.Add(service);
            await db.SaveChangesAsync();
        });
        // Sent the decision days ago to the hour, by the referral's own code run as on that day.
        var referralId = await app.AsUserAsync(dsl, async (_, services) =>
        {
            var clock = new ShiftedClock(-GrantRules.ServiceReferralDecisionDays);
            var referrals = ActivatorUtilities.CreateInstance<ServiceReferrals>(services, clock, ActivatorUtilities.CreateInstance<GrantRules>(services, clock));
            var (_, person) = await services.GetRequiredService<PersonAccess>().OpenForAsync(pupil.Id, PersonOperations.Grant, "service-referral.new");
            var (referral, errors) = await referrals.SendAsync(person!, new SendServiceReferral(pupil.Id, service.Id, "Mentoring", ServiceReferralUrgency.Routine, LawfulBasis.PublicTask, null, null), CancellationToken.None);
            errors.ShouldBeEmpty();
            return referral!.Id;
        });
        (await provider.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "arranged: the last day of the grant the unanswered referral gave");

        (await app.AsSystemAsync((_, services) => services.GetRequiredService<ServiceDailyCheck>().LapseUnansweredAsync(CancellationToken.None))).ShouldBeGreaterThanOrEqualTo(1);

        (await app.AsSystemAsync((db, _) => db.Set<ServiceReferral>().Where(r => r.Id == referralId).Select(r => r.Status).SingleAsync())).ShouldBe(ServiceReferralStatus.Lapsed);
        (await provider.GetAsync($"/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a lapsed referral gives the provider no standing access, as a declined one");
        (await app.AsSystemAsync((db, _) => db.Involvements.Where(i => i.SourceId == referralId).Select(i => i.EndDate).SingleAsync())).ShouldBe(Today.AddDays(-1));
    }
}

public sealed class GrantTestsOnSqlite(SqliteApp app) : GrantTests(app), IClassFixture<SqliteApp>;

public sealed class GrantTestsOnPostgres(PostgresApp app) : GrantTests(app), IClassFixture<PostgresApp>;
