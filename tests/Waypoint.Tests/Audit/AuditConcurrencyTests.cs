using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>
/// Reads audited by many requests at once: their rows are appended in groups (one transaction for
/// the requests of the moment), and the chain must come out whole with every row once.
/// </summary>
public abstract class AuditConcurrencyTests(WaypointApp app)
{
    [Fact]
    public async Task PersonReads_ManyAtOnce_EachAuditedOnceAndChainIntact()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupils = new List<Person>();
        for (var i = 0; i < 5; i++)
            pupils.Add(await p.YoungPersonAsync($"Kit{i}", $"Crowd{p.Suffix}", new DateOnly(2012, 5, 1 + i), enrolledAt: p.School));
        var readers = new List<(TestUser User, HttpClient Client)>();
        for (var i = 0; i < 4; i++)
        {
            var user = await p.UserAsync(p.School);
            readers.Add((user, await app.ApiClientAsync(user)));
        }

        var responses = await Task.WhenAll(readers.SelectMany(r => pupils.Select(pupil => r.Client.GetAsync($"/api/v1/people/{pupil.Id}"))));

        responses.ShouldAllBe(r => r.StatusCode == HttpStatusCode.OK);
        var userIds = readers.Select(r => (Guid?)r.User.Id).ToList();
        var rows = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking()
            .Where(a => userIds.Contains(a.UserId) && a.Action == AuditAction.Read)
            .Select(a => new { a.UserId, a.PersonId }).ToListAsync());
        rows.Count.ShouldBe(readers.Count * pupils.Count);
        rows.Distinct().Count().ShouldBe(readers.Count * pupils.Count, "each reader's look at each pupil once");
        var verified = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        verified.IsIntact.ShouldBeTrue(verified.Problem);
    }
}

public sealed class AuditConcurrencyTestsOnSqlite(AuditSqliteApp app) : AuditConcurrencyTests(app), IClassFixture<AuditSqliteApp>;

public sealed class AuditConcurrencyTestsOnPostgres(AuditPostgresApp app) : AuditConcurrencyTests(app), IClassFixture<AuditPostgresApp>;
