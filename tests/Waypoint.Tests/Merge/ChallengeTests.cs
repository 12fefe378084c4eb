using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Merge;

/// <summary>
/// Rectification and objection (issue 16, item 4): a challenge recorded against one record, shown
/// with the record to everyone who can see it, resolved by the record's owner only.
/// </summary>
public abstract class ChallengeTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static Dictionary<string, string> Raise(string recordKey, string kind, string statement) => new()
    {
        ["RecordKey"] = recordKey,
        ["Kind"] = kind,
        ["RaisedBy"] = "Mrs Adeyemi, mother",
        ["Statement"] = statement,
        ["RaisedOn.Day"] = Today.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RaisedOn.Month"] = Today.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RaisedOn.Year"] = Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    [Fact]
    public async Task Resolve_RegisterNameCorrected_ShownUntilResolvedThenCorrectedWithHistoryAndSearchKeys()
    {
        var p = await TestPartnership.CreateAsync(app);
        var person = await p.YoungPersonAsync("Tolu", $"Adeyemy{p.Suffix}", new DateOnly(2012, 2, 2), enrolledAt: p.School);
        await p.InvolveAsync(person, p.Youth);
        var youth = await app.SignInAsync(await p.UserAsync(p.Youth));
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var raised = await youth.PostFormAsync($"/people/{person.Id}/challenges/new", Raise("register:FamilyName", "Accuracy", "The family name is spelt Adeyemi, with an i"));
        raised.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // Everyone who can see the record is told; the owner (the school that recorded the person) alone resolves.
        (await school.GetDocumentAsync($"/people/{person.Id}")).QuerySelector("#challenges")!.TextContent.ShouldContain("spelt Adeyemi");
        (await youth.GetDocumentAsync($"/people/{person.Id}")).QuerySelector("#challenges")!.TextContent.ShouldContain("accuracy is challenged");
        var challenge = await app.AsSystemAsync((db, _) => db.RecordChallenges.SingleAsync(c => c.PersonId == person.Id));
        challenge.OwnerOrganisationId.ShouldBe(p.School.Id);
        (await youth.GetAsync($"/data-protection/challenges/resolve?challenge={challenge.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await school.GetDocumentAsync("/data-protection/challenges")).QuerySelector("#challenges")!.TextContent.ShouldContain(person.Id.ToString());
        var resolveUrl = $"/data-protection/challenges/resolve?challenge={challenge.Id}";
        var fields = new Dictionary<string, string> { ["Outcome"] = "Corrected", ["Correction"] = $"Adeyemi{p.Suffix}" };

        var asked = await school.PostFormAsync(resolveUrl, fields);
        (await asked.DocumentAsync()).QuerySelector("h1")!.TextContent.ShouldBe("Correct the record?");
        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == person.Id).Select(x => x.FamilyName).SingleAsync())).ShouldBe($"Adeyemy{p.Suffix}", "nothing changes before the confirmation");
        fields["Confirmed"] = "true";
        (await school.PostFormAsync(resolveUrl, fields)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var after = await app.AsSystemAsync((db, _) => db.People.SingleAsync(x => x.Id == person.Id));
        after.FamilyName.ShouldBe($"Adeyemi{p.Suffix}");
        after.SearchFamilyName.ShouldBe(Waypoint.Features.People.NameKeys.Normalise($"Adeyemi{p.Suffix}"), "the search keys, the name's copies, follow");
        var resolved = await app.AsSystemAsync((db, _) => db.RecordChallenges.SingleAsync(c => c.Id == challenge.Id));
        resolved.Outcome.ShouldBe(ChallengeOutcome.Corrected);
        resolved.ValueBefore.ShouldBe($"Adeyemy{p.Suffix}");
        (await youth.GetDocumentAsync($"/people/{person.Id}")).QuerySelector("#challenges").ShouldBeNull();
        var audit = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == person.Id && a.Subject.StartsWith("challenge.")).Select(a => a.Subject).ToListAsync());
        audit.ShouldContain(s => s.StartsWith("challenge.raise Accuracy RegisterEntry.FamilyName"));
        audit.ShouldContain(s => s.StartsWith("challenge.resolve Accuracy RegisterEntry.FamilyName: Corrected"));
        audit.ShouldAllBe(s => !s.Contains("Adeyem") && !s.Contains("spelt"));
    }

    [Fact]
    public async Task Resolve_PoliceFlagKeptWithStatement_StatementShownOnlyToThoseWhoSeeTheFlag()
    {
        var p = await TestPartnership.CreateAsync(app);
        var person = await p.YoungPersonAsync("Remi", $"Flagged{p.Suffix}", new DateOnly(2010, 7, 7), enrolledAt: p.School);
        await p.InvolveAsync(person, p.Police);
        var officer = await p.UserAsync(p.Police);
        var flagId = await app.AsSystemAsync(async (db, _) =>
        {
            var flag = new PersonFlag
            {
                PersonId = person.Id,
                Kind = FlagKind.GangAssociated,
                Evidence = "Seen with a known group",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceIntelligence,
                SetByUserId = officer.Id,
                SetAt = DateTimeOffset.UtcNow,
                ReviewOn = Today.AddMonths(3),
            };
            db.PersonFlags.Add(flag);
            await db.SaveChangesAsync();
            return flag.Id;
        });
        var police = await app.SignInAsync(officer);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        (await police.PostFormAsync($"/people/{person.Id}/challenges/new", Raise($"flag:{flagId}", "Accuracy", "He was at football practice that day"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var challenge = await app.AsSystemAsync((db, _) => db.RecordChallenges.SingleAsync(c => c.PersonId == person.Id));
        var resolveUrl = $"/data-protection/challenges/resolve?challenge={challenge.Id}";
        var noReason = await police.PostFormAsync(resolveUrl, new() { ["Outcome"] = "KeptWithStatement", ["Confirmed"] = "true" });
        (await noReason.DocumentAsync()).ErrorSummary().ShouldBe(["Say why the record is kept as it is: the person's statement is shown beside it"]);
        (await police.PostFormAsync(resolveUrl, new() { ["Outcome"] = "KeptWithStatement", ["Answer"] = "Two officers' accounts agree", ["Confirmed"] = "true" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var policePage = (await police.GetDocumentAsync($"/people/{person.Id}")).QuerySelector("#challenges")!.TextContent;
        policePage.ShouldContain("football practice");
        policePage.ShouldContain("Two officers' accounts agree");
        (await school.GetDocumentAsync($"/people/{person.Id}")).QuerySelector("#challenges").ShouldBeNull("the school cannot see police intelligence, nor a challenge to it");
        (await app.AsSystemAsync((db, _) => db.PersonFlags.Where(f => f.Id == flagId).Select(f => f.Evidence).SingleAsync())).ShouldBe("Seen with a known group");
    }

    [Fact]
    public async Task Resolve_ObjectionUpheld_ProcessingRestrictedAndCountedOnTheDashboard()
    {
        var p = await TestPartnership.CreateAsync(app);
        var person = await p.YoungPersonAsync("Sade", $"Objects{p.Suffix}", new DateOnly(2011, 8, 8), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        var before = await OpenCountAsync(dpo);

        (await school.PostFormAsync($"/people/{person.Id}/challenges/new", Raise("register:DateOfBirth", "Objection", "We object to her birthday being used to profile her"))).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await OpenCountAsync(dpo)).ShouldBe(before + 1);
        var challenge = await app.AsSystemAsync((db, _) => db.RecordChallenges.SingleAsync(c => c.PersonId == person.Id));
        var resolveUrl = $"/data-protection/challenges/resolve?challenge={challenge.Id}";
        (await dpo.GetAsync(resolveUrl)).StatusCode.ShouldBe(HttpStatusCode.OK, "the DPO sees every challenge");
        (await dpo.PostFormAsync(resolveUrl, new() { ["Outcome"] = "ObjectionUpheld", ["Confirmed"] = "true" })).StatusCode.ShouldBe(HttpStatusCode.Forbidden, "only the owner resolves");

        (await school.PostFormAsync(resolveUrl, new() { ["Outcome"] = "ObjectionUpheld", ["Confirmed"] = "true" })).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await app.AsSystemAsync((db, _) => db.ProcessingRestrictions.CountAsync(r => r.PersonId == person.Id && r.LiftedAt == null))).ShouldBe(1);
        (await OpenCountAsync(dpo)).ShouldBe(before);
    }

    [Fact]
    public async Task Raise_BadInput_RefusedWithReasonsAndNothingRecorded()
    {
        var p = await TestPartnership.CreateAsync(app);
        var person = await p.YoungPersonAsync("Bola", $"Garbled{p.Suffix}", new DateOnly(2013, 9, 9), enrolledAt: p.School);
        var school = await app.SignInAsync(await p.UserAsync(p.School));

        var response = await school.PostFormAsync($"/people/{person.Id}/challenges/new", new()
        {
            ["RecordKey"] = $"note:{Guid.NewGuid()}",
            ["Kind"] = "",
            ["RaisedBy"] = "",
            ["Statement"] = new string('x', 2001),
            ["RaisedOn.Day"] = "31",
            ["RaisedOn.Month"] = "2",
            ["RaisedOn.Year"] = "2026",
        });

        var page = await response.DocumentAsync();
        response.StatusCode.ShouldBe(HttpStatusCode.OK, page.Title);
        page.ErrorSummary().Count.ShouldBe(5, string.Join("; ", page.ErrorSummary()));
        (await app.AsSystemAsync((db, _) => db.RecordChallenges.CountAsync(c => c.PersonId == person.Id))).ShouldBe(0);
        var stranger = await app.SignInAsync(await p.UserAsync(p.Housing));
        (await stranger.GetAsync($"/people/{person.Id}/challenges/new")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    private static async Task<int> OpenCountAsync(HttpClient dpo)
    {
        var text = (await dpo.GetDocumentAsync("/dpo")).QuerySelector("#challenges-open")!.TextContent.Trim();
        return int.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
    }
}

public sealed class ChallengeTestsOnSqlite(SqliteApp app) : ChallengeTests(app), IClassFixture<SqliteApp>;

public sealed class ChallengeTestsOnPostgres(PostgresApp app) : ChallengeTests(app), IClassFixture<PostgresApp>;
