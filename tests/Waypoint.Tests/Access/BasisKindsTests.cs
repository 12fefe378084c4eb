using Shouldly;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// A list's read audit records the kinds of basis on which the reader sees each person it names
/// (issue 18): asked as EXISTS in one statement (<see cref="AccessPolicy.BasisKindsManyAsync"/>), they
/// must say exactly what the full explanation (<see cref="AccessPolicy.ExplainManyAsync"/>) says, for
/// every kind of reader and relationship: own school's enrolment, own organisation's involvement (ended
/// or current), a partnership grant over the district, break-glass, none, the system.
/// </summary>
public abstract class BasisKindsTests(WaypointApp app)
{
    [Fact]
    public async Task BasisKinds_EveryReader_SameLabelsAsTheFullExplanation()
    {
        var p = await TestPartnership.CreateAsync(app);
        var enrolled = await p.YoungPersonAsync("Kind", $"Enrolled{p.Suffix}", new DateOnly(2012, 3, 1), enrolledAt: p.School);
        var involved = await p.YoungPersonAsync("Kind", $"Involved{p.Suffix}", new DateOnly(2012, 3, 2), enrolledAt: p.OtherSchool);
        var ended = await p.YoungPersonAsync("Kind", $"Ended{p.Suffix}", new DateOnly(2012, 3, 3), ward: p.OtherWard);
        var glass = await p.YoungPersonAsync("Kind", $"Glass{p.Suffix}", new DateOnly(2012, 3, 4), ward: p.OtherWard);
        await p.InvolveAsync(involved, p.Youth);
        await p.InvolveAsync(enrolled, p.Youth);
        await p.InvolveAsync(ended, p.Youth, endDate: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-3));
        var youth = await p.UserAsync(p.Youth);
        await app.AsSystemAsync(async db =>
        {
            db.BreakGlassGrants.Add(new BreakGlassGrant { PersonId = glass.Id, UserId = youth.Id, OrganisationId = p.Youth.Id, Reason = "Test: urgent safeguarding", GrantedAt = DateTimeOffset.UtcNow, ExpiresAt = DateTimeOffset.UtcNow.AddHours(4) });
            await db.SaveChangesAsync();
        });
        var ids = new[] { enrolled.Id, involved.Id, ended.Id, glass.Id, Guid.NewGuid() };
        var readers = new (string Name, TestUser? User)[]
        {
            ("school", await p.UserAsync(p.School)),
            ("youth service", youth),
            ("hub over the district", await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.District)),
            ("police", await p.UserAsync(p.Police)),
            ("system", null),
        };

        var seen = new HashSet<string>();
        foreach (var (name, user) in readers)
        {
            async Task<(Dictionary<Guid, string> Kinds, Dictionary<Guid, string> Full)> Read(Waypoint.Data.WaypointDbContext db, IServiceProvider _)
            {
                var kinds = await AccessPolicy.BasisKindsManyAsync(db, ids);
                var full = await AccessPolicy.ExplainManyAsync(db, ids);
                return (ids.ToDictionary(id => id, id => Labels(kinds.GetValueOrDefault(id))), ids.ToDictionary(id => id, id => Labels(full.GetValueOrDefault(id))));
            }
            var (kinds, full) = user is null ? await app.AsSystemAsync(Read) : await app.AsUserAsync(user, Read);

            kinds.ShouldBe(full, $"reader: {name}");
            seen.UnionWith(kinds.Values);
        }
        // The arrangement reaches every kind, alone and together, so the comparison above means something.
        seen.ShouldContain("enrolment");
        seen.ShouldContain("involvement");
        seen.ShouldContain("partnership role");
        seen.ShouldContain("break-glass");
        seen.ShouldContain("system");
        seen.ShouldContain("");
    }

    private static string Labels(IReadOnlyList<AccessBasis>? bases) =>
        string.Join(", ", (bases ?? []).Select(b => b.AuditLabel).Distinct());
}

public sealed class BasisKindsTestsOnSqlite(SqliteApp app) : BasisKindsTests(app), IClassFixture<SqliteApp>;

public sealed class BasisKindsTestsOnPostgres(PostgresApp app) : BasisKindsTests(app), IClassFixture<PostgresApp>;
