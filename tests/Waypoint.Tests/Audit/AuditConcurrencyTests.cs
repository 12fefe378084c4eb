using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
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

    [Fact]
    public async Task PersonReads_AnotherWriterBetween_EachAuditedOnceAfterTheRealHead()
    {
        // The read audit's appender sends a group chained after the head it wrote last, inserted only if that is still the
        // head under the chain's lock (PostgreSQL). Another writer between two reads moves the head: the next group must
        // then chain after that writer's row, not the appender's last, and every row must be there once.
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Wren", $"Between{p.Suffix}", new DateOnly(2012, 6, 1), enrolledAt: p.School);
        var reader = await p.UserAsync(p.School);
        var client = await app.ApiClientAsync(reader);
        async Task ReadAsync() => (await client.GetAsync($"/api/v1/people/{pupil.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);

        await ReadAsync();
        await ReadAsync();
        var written = await app.AsSystemAsync(async (db, services) =>
        {
            await using var tx = await db.Database.BeginTransactionAsync();
            var head = await services.GetRequiredService<AuditChain>().AppendInTransactionAsync(db,
                [new AuditRow(new AuditEvent(pupil.Id, AuditAction.Update, "person", "test: another writer"), global::Waypoint.Access.Reader.System, "test")],
                db.SaveChangesAsync, CancellationToken.None);
            await tx.CommitAsync();
            return head;
        });
        await ReadAsync();
        await ReadAsync();

        var rows = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking()
            .Where(a => a.PersonId == pupil.Id && (a.UserId == reader.Id || a.Id == written.Id))
            .OrderBy(a => a.Id).Select(a => new { a.Id, a.Action, a.PreviousHash, a.Hash }).ToListAsync());
        rows.Count(r => r.Action == AuditAction.Read).ShouldBe(4);
        var after = rows.SkipWhile(r => r.Id != written.Id).Skip(1).First();
        after.Action.ShouldBe(AuditAction.Read);
        var verified = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db));
        verified.IsIntact.ShouldBeTrue(verified.Problem);
    }
}

public sealed class AuditConcurrencyTestsOnSqlite(AuditSqliteApp app) : AuditConcurrencyTests(app), IClassFixture<AuditSqliteApp>;

public sealed class AuditConcurrencyTestsOnPostgres(AuditPostgresApp app) : AuditConcurrencyTests(app), IClassFixture<AuditPostgresApp>;
