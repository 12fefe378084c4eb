using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>
/// The audit log is append-only in the database and tamper-evident through its hash chain. The
/// tampering tests go around the triggers as an attacker with database access would, then put
/// the row back exactly, so the chain is whole again for the other tests on this app.
/// </summary>
public abstract class AuditChainTests(WaypointApp app)
{
    [Fact]
    public async Task VerifyChain_RowTampered_NamesFirstBrokenEntry()
    {
        var (dpo, rows) = await WriteSomeRowsAsync();
        var client = await app.ApiClientAsync(dpo);
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
        var target = rows[1];

        await WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE \"AuditEntries\" SET \"Basis\" = 'nothing to see' WHERE \"Id\" = {target.Id}"));
        try
        {
            var result = await VerifyAsync(client);

            result.IsIntact.ShouldBeFalse();
            result.FirstBrokenId.ShouldBe(target.Id);
            result.Problem!.ShouldContain("changed");
        }
        finally
        {
            await WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync(
                $"UPDATE \"AuditEntries\" SET \"Basis\" = {target.Basis} WHERE \"Id\" = {target.Id}"));
        }
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task VerifyChain_MiddleRowDeleted_NamesEntryAfterTheGap()
    {
        var (dpo, rows) = await WriteSomeRowsAsync();
        var client = await app.ApiClientAsync(dpo);
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
        var removed = rows[1];
        var next = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Id > removed.Id).OrderBy(a => a.Id).Select(a => a.Id).FirstAsync());

        await WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {removed.Id}"));
        try
        {
            var result = await VerifyAsync(client);

            result.IsIntact.ShouldBeFalse();
            result.FirstBrokenId.ShouldBe(next);
            result.Problem!.ShouldContain("removed");
        }
        finally
        {
            await app.AsSystemAsync(async db =>
            {
                db.AuditEntries.Add(removed);
                await db.SaveChangesAsync();
            });
        }
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task AuditTable_UpdateOrDelete_RefusedByDatabase()
    {
        var (_, rows) = await WriteSomeRowsAsync();
        var row = rows[0];

        var update = await Should.ThrowAsync<Exception>(() => app.AsSystemAsync(db =>
            db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Basis\" = 'nothing to see' WHERE \"Id\" = {row.Id}")));
        var delete = await Should.ThrowAsync<Exception>(() => app.AsSystemAsync(db =>
            db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" = {row.Id}")));
        var efUpdate = await Should.ThrowAsync<Exception>(() => app.AsSystemAsync(db =>
            db.AuditEntries.Where(a => a.Id == row.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.Subject, "changed"))));

        // On PostgreSQL the app's role is refused before the triggers run: it has no right to change the table at all.
        var refusal = app.Kind == DatabaseKind.Postgres ? "permission denied" : "append-only";
        update.Message.ShouldContain(refusal);
        delete.Message.ShouldContain(refusal);
        efUpdate.Message.ShouldContain(refusal);
        var stored = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().SingleAsync(a => a.Id == row.Id));
        stored.Basis.ShouldBe(row.Basis);
        stored.Subject.ShouldBe(row.Subject);
    }

    [Fact]
    public async Task VerifyPage_Dpo_RunsTheCheckAndShowsEntryCount()
    {
        var (dpo, _) = await WriteSomeRowsAsync();
        var client = await app.SignInAsync(dpo);

        var response = await client.PostFormAsync("/audit/verify", []);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        var total = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync());
        var shown = page.QuerySelector("#verify-result")!.TextContent;
        shown.ShouldContain("intact: ");
        // The page's own record of the check is written after the count it shows.
        var count = long.Parse(System.Text.RegularExpressions.Regex.Match(shown, @"intact: ([\d,]+) entries").Groups[1].Value.Replace(",", ""));
        count.ShouldBe(total - 1);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.AnyAsync(a => a.UserId == dpo.Id && a.Subject == "audit.verify"))).ShouldBeTrue();
    }

    [Fact]
    public async Task VerifyPage_RowTampered_NamesFirstBrokenEntry()
    {
        var (dpo, rows) = await WriteSomeRowsAsync();
        var client = await app.SignInAsync(dpo);
        var target = rows[2];

        await WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync(
            $"UPDATE \"AuditEntries\" SET \"Subject\" = 'person.hidden' WHERE \"Id\" = {target.Id}"));
        string? firstBroken;
        try
        {
            var response = await client.PostFormAsync("/audit/verify", []);
            var page = Clients.Parse(await response.Content.ReadAsStringAsync());
            firstBroken = page.QuerySelector("#first-broken")?.TextContent;
        }
        finally
        {
            await WithoutTriggersAsync(db => db.Database.ExecuteSqlAsync(
                $"UPDATE \"AuditEntries\" SET \"Subject\" = {target.Subject} WHERE \"Id\" = {target.Id}"));
        }

        firstBroken.ShouldBe(target.Id.ToString());
    }

    /// <summary>The check that <c>verify-audit</c> runs: the verifier on the app's own database, as the system.</summary>
    [Fact]
    public async Task AuditChainVerifier_SystemScope_ChecksEveryEntry()
    {
        await WriteSomeRowsAsync();

        var (result, total) = await app.AsSystemAsync(async (db, _) => (await AuditChainVerifier.VerifyAsync(db), await db.AuditEntries.LongCountAsync()));

        result.IsIntact.ShouldBeTrue(result.Problem);
        result.EntriesChecked.ShouldBe(total);
        result.UnkeyedEntries.ShouldBe(0);
    }

    [Fact]
    public async Task VerifyApi_NotDpo_Returns403()
    {
        var p = await TestPartnership.CreateAsync(app);
        var client = await app.ApiClientAsync(await p.UserAsync(p.Hub));

        (await client.GetAsync("/api/v1/audit/verify")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    /// <summary>Audit rows written by using the app: three API searches by a practitioner, each listing a pupil.</summary>
    private async Task<(TestUser Dpo, IReadOnlyList<AuditEntry> Rows)> WriteSomeRowsAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ava", $"Marsh{p.Suffix}", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var teacher = await p.UserAsync(p.School);
        var api = await app.ApiClientAsync(teacher);
        for (var i = 0; i < 3; i++)
            (await api.GetAsync($"/api/v1/people?name=Marsh{p.Suffix}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.UserId == teacher.Id && a.PersonId == pupil.Id).OrderBy(a => a.Id).ToListAsync());
        rows.Count.ShouldBe(3);
        return (await p.UserAsync(p.Hub, Roles.DataProtectionOfficer), rows);
    }

    private static async Task<ChainVerification> VerifyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/audit/verify");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ChainVerification>())!;
    }

    /// <summary>Runs a change with the append-only triggers out of the way, and puts them back in the same transaction (as the owner on PostgreSQL).</summary>
    private Task WithoutTriggersAsync(Func<WaypointDbContext, Task<int>> change) =>
        AuditTampering.WithoutTriggersAsync(app, async db => (await change(db)).ShouldBe(1));
}

public sealed class AuditChainTestsOnSqlite(AuditSqliteApp app) : AuditChainTests(app), IClassFixture<AuditSqliteApp>;

public sealed class AuditChainTestsOnPostgres(AuditPostgresApp app) : AuditChainTests(app), IClassFixture<AuditPostgresApp>;
