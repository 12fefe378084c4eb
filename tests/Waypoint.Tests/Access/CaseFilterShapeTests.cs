using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The Case filter asks the Person filter once per case (issue 18): the child's visibility is the join to the
/// case's person, which the hub's area rule reads, not a second EXISTS over the register. Its rules still hold
/// for every kind of reader: a case led by the reader's organisation or the reader's team (an involvement
/// sourced from the case) only while the reader may see the child, every case of a child in the hub's area.
/// And the Person filter asks the area rule before the organisation's relationships (PostgreSQL builds a hashed
/// alternative only when it first reaches it: the hub, whose grant covers the area, never hashes its involvements).
/// </summary>
public abstract class CaseFilterShapeTests(WaypointApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);

    [Fact]
    public async Task CaseFilter_ThePersonFilterOnce_AreaRuleFirst()
    {
        var p = await TestPartnership.CreateAsync(app);
        var reader = await p.UserAsync(p.Youth);

        var (cases, people) = await app.AsUserAsync(reader, (db, _) => Task.FromResult(
            (db.Cases.Where(c => c.Id == Guid.Empty).ToQueryString(), db.People.Where(x => x.Id == Guid.Empty).ToQueryString())));

        // The Person filter's enrolment rule is its own: one per application of the filter.
        Occurrences(cases, "\"Enrolments\"").ShouldBe(1, cases);
        Occurrences(people, "\"Enrolments\"").ShouldBe(1, people);
        people.IndexOf("\"PartnershipRoleGrants\"", StringComparison.Ordinal).ShouldBeLessThan(people.IndexOf("\"Involvements\"", StringComparison.Ordinal), people);
        // In the Case filter the hub's area rule comes before the involvements sourced from the case.
        var caseRules = cases[cases.LastIndexOf("\"BreakGlassGrants\"", StringComparison.Ordinal)..];
        caseRules.IndexOf("'HubTriage'", StringComparison.Ordinal).ShouldBeGreaterThan(-1, cases);
        caseRules.IndexOf("'HubTriage'", StringComparison.Ordinal).ShouldBeLessThan(caseRules.IndexOf("\"SourceId\"", StringComparison.Ordinal), cases);
    }

    [Fact]
    public async Task CaseFilter_EveryRule_StillDecides()
    {
        var p = await TestPartnership.CreateAsync(app);
        var seen = await p.YoungPersonAsync("Shape", $"Seen{p.Suffix}", new DateOnly(2011, 4, 1));
        var unseen = await p.YoungPersonAsync("Shape", $"Unseen{p.Suffix}", new DateOnly(2011, 4, 2), ward: p.OtherWard);
        var team = await p.YoungPersonAsync("Shape", $"Team{p.Suffix}", new DateOnly(2011, 4, 3), ward: p.OtherWard);
        await p.InvolveAsync(seen, p.Youth);
        await p.InvolveAsync(team, p.Youth);
        var officer = await p.UserAsync(p.Hub);
        Waypoint.Domain.Case New(Person child, Organisation lead) => new()
        {
            PersonId = child.Id,
            LeadOrganisationId = lead.Id,
            Level = TriageOutcome.EarlyHelp,
            Status = CaseStatus.Open,
            OpenedAt = DateTimeOffset.UtcNow,
            OpenedByUserId = officer.Id,
        };
        // Led by the youth service: a child it may see, and one it may not (no relationship: hidden whoever leads).
        var ledSeen = New(seen, p.Youth);
        var ledUnseen = New(unseen, p.Youth);
        // Led by the hub: the youth service is on the team of one (an involvement sourced from it), not of the other.
        var onTeam = New(team, p.Hub);
        var notOnTeam = New(seen, p.Hub);
        await app.AsSystemAsync(async db =>
        {
            db.Cases.AddRange(ledSeen, ledUnseen, onTeam, notOnTeam);
            db.Involvements.Add(new Involvement
            {
                PersonId = team.Id,
                OrganisationId = p.Youth.Id,
                Source = InvolvementSource.TeamAroundFamily,
                SourceId = onTeam.Id,
                Reason = "Team",
                StartDate = Today.AddDays(-5),
                ReviewOn = Today.AddMonths(3),
                AddedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        });
        var all = new[] { ledSeen.Id, ledUnseen.Id, onTeam.Id, notOnTeam.Id };
        async Task<List<Guid>> Visible(TestUser user) =>
            await app.AsUserAsync(user, (db, _) => db.Cases.AsNoTracking().Where(c => all.Contains(c.Id)).Select(c => c.Id).ToListAsync());
        // Named through the case's person as a page does (the filter's join and the query's are one).
        async Task<List<string>> Named(TestUser user) =>
            await app.AsUserAsync(user, (db, _) => db.Cases.AsNoTracking().Where(c => all.Contains(c.Id)).Select(c => c.Person!.FamilyName).ToListAsync());

        var youth = await p.UserAsync(p.Youth);
        (await Visible(youth)).ShouldBe([ledSeen.Id, onTeam.Id], ignoreOrder: true);
        (await Named(youth)).ShouldBe([seen.FamilyName, team.FamilyName], ignoreOrder: true);
        // The hub over the child's ward sees every case there, whoever leads; not the other ward's, even one it leads.
        var hubOverWard = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.Ward);
        (await Visible(hubOverWard)).ShouldBe([ledSeen.Id, notOnTeam.Id], ignoreOrder: true);
        // Over the county (both wards): all four.
        var hubOverCounty = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        (await Visible(hubOverCounty)).ShouldBe(all, ignoreOrder: true);
        // A school with no relationship to any of the children: none.
        (await Visible(await p.UserAsync(p.School))).ShouldBeEmpty();
        (await app.AsSystemAsync((db, _) => db.Cases.CountAsync(c => all.Contains(c.Id)))).ShouldBe(4);
    }

    [Fact]
    public async Task Involvements_IndexedBySourceThenOrganisation()
    {
        // The Case filter asks, for a reader that neither leads the case nor is the hub over its area, whether its
        // organisation has a current involvement sourced from the case: by (SourceId, OrganisationId), one probe per
        // case, where without the index PostgreSQL hashed every involvement of the reader's organisation (wave 18e).
        var indexes = await app.AsSystemAsync((db, _) => (db.Database.ProviderName ?? "").Contains("Npgsql", StringComparison.Ordinal)
            ? db.Database.SqlQuery<string>($"SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'Involvements'").ToListAsync()
            : db.Database.SqlQuery<string>($"SELECT sql AS \"Value\" FROM sqlite_master WHERE type = 'index' AND tbl_name = 'Involvements' AND sql IS NOT NULL").ToListAsync());

        indexes.ShouldContain(d => d.Contains("(\"SourceId\", \"OrganisationId\")", StringComparison.Ordinal), string.Join("\n", indexes));
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}

public sealed class CaseFilterShapeTestsOnSqlite(SqliteApp app) : CaseFilterShapeTests(app), IClassFixture<SqliteApp>;

public sealed class CaseFilterShapeTestsOnPostgres(PostgresApp app) : CaseFilterShapeTests(app), IClassFixture<PostgresApp>;
