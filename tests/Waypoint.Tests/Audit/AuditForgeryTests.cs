using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Audit;

/// <summary>
/// The forgeries of issue 10, each tried as someone with the database but not the audit key, and
/// each detected with the first broken entry named; then the app role's limits on PostgreSQL, and
/// a write and its audit rows committing together or not at all.
/// </summary>
public abstract class AuditForgeryTests(WaypointApp app)
{
    [Fact]
    public async Task Verify_RowsDeletedAndChainRecomputed_NamesFirstRecomputedEntry()
    {
        var (client, teacher, rows) = await WriteSomeRowsAsync();
        await app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent(null, AuditAction.Read, "test.after", "test"));
            return true;
        });
        var from = rows[0].Id;
        var snapshot = await AuditTampering.RowsFromAsync(app, from);
        var firstKept = snapshot.First(r => r.UserId != teacher.Id).Id;

        // Everything the teacher did disappears, and the chain is relinked around the gap with plain SHA-256.
        await AuditTampering.WithoutTriggersAsync(app, async db =>
        {
            await db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"UserId\" = {teacher.Id} AND \"Id\" >= {from}");
            await AuditTampering.RecomputeFromAsync(db, from, attackersKey: null);
        });
        try
        {
            var result = await VerifyAsync(client);

            result.IsIntact.ShouldBeFalse();
            // Two true answers, depending on whether the anchor service had anchored the deleted rows
            // before the forgery: an anchored row missing, or the first recomputed row unkeyed.
            if (result.Problem!.Contains("is missing from the log", StringComparison.Ordinal))
                rows.Select(r => (long?)r.Id).ShouldContain(result.FirstBrokenId);
            else
            {
                result.FirstBrokenId.ShouldBe(firstKept, result.Problem);
                result.Problem.ShouldContain("without the audit key");
            }
        }
        finally
        {
            await AuditTampering.RestoreAsync(app, from, snapshot);
        }
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task Verify_DeniedRowTurnedIntoRead_NamesThatEntry()
    {
        var (client, teacher, _) = await WriteSomeRowsAsync();
        var teacherApi = await app.ApiClientAsync(teacher);
        (await teacherApi.GetAsync($"/api/v1/people/{Guid.NewGuid()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var denied = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.UserId == teacher.Id && a.Action == AuditAction.Denied).OrderBy(a => a.Id).LastAsync());

        await AuditTampering.WithoutTriggersAsync(app, db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Action\" = 'Read' WHERE \"Id\" = {denied.Id}"));
        try
        {
            var result = await VerifyAsync(client);

            result.IsIntact.ShouldBeFalse();
            result.FirstBrokenId.ShouldBe(denied.Id);
            result.Problem!.ShouldContain("changed after it was written");
        }
        finally
        {
            await AuditTampering.WithoutTriggersAsync(app, db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Action\" = 'Denied' WHERE \"Id\" = {denied.Id}"));
        }
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
    }

    /// <summary>The app's own role may insert: a row forged through it links to the head, but cannot carry the key.</summary>
    [Fact]
    public async Task Verify_ForgedRowAppended_NamesTheForgedEntry()
    {
        var (client, teacher, _) = await WriteSomeRowsAsync();
        var forged = await app.AsSystemAsync(async (db, _) =>
        {
            var head = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).FirstAsync();
            var row = new AuditEntry
            {
                OccurredAt = head.OccurredAt,
                UserId = teacher.Id,
                OrganisationId = teacher.OrganisationId,
                PersonId = Guid.NewGuid(),
                Action = AuditAction.Read,
                Subject = "person",
                Basis = "enrolment",
                Channel = "ui",
                PreviousHash = head.Hash,
                Hash = "",
            };
            row.Hash = AuditTampering.SomeoneElsesKey().Sign(AuditChain.Canonical(row));
            db.AuditEntries.Add(row);
            await db.SaveChangesAsync();
            return row;
        });
        try
        {
            var result = await VerifyAsync(client);

            result.IsIntact.ShouldBeFalse();
            result.FirstBrokenId.ShouldBe(forged.Id);
            result.Problem!.ShouldContain("does not hold");
        }
        finally
        {
            await AuditTampering.RestoreAsync(app, forged.Id, []);
        }
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task Verify_TailCutAfterAnchor_NamesAnchorAndCountsMissingRows()
    {
        var (client, _, rows) = await WriteSomeRowsAsync();
        var anchor = (await app.Services.GetRequiredService<AuditAnchors>().WriteAsync(force: true))!;
        var snapshot = await AuditTampering.RowsFromAsync(app, rows[1].Id);
        var cut = snapshot.Count(r => r.Id <= anchor.Id);

        await AuditTampering.WithoutTriggersAsync(app, db => db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEntries\" WHERE \"Id\" >= {rows[1].Id}"));
        try
        {
            var result = await VerifyAsync(client);

            result.IsIntact.ShouldBeFalse();
            result.FirstBrokenId.ShouldBe(anchor.Id);
            result.Problem!.ShouldContain("end of the log was cut");
            result.Problem!.ShouldContain($"{cut:N0} of them are missing");
            result.LastAnchor!.Id.ShouldBe(anchor.Id);
        }
        finally
        {
            await AuditTampering.RestoreAsync(app, rows[1].Id, snapshot);
        }
        (await VerifyAsync(client)).IsIntact.ShouldBeTrue();
    }

    [Fact]
    public async Task Verify_WrongKey_FailsAtFirstKeyedEntry()
    {
        await WriteSomeRowsAsync();

        var result = await app.AsSystemAsync(async (db, _) => await AuditChainVerifier.VerifyAsync(db, AuditTampering.SomeoneElsesKey(), new AnchorFile("none", [], 0)));
        var first = await app.AsSystemAsync((db, _) => db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync());

        result.IsIntact.ShouldBeFalse();
        result.FirstBrokenId.ShouldBe(first);
        result.Problem!.ShouldContain("which this server does not hold");
    }

    [Fact]
    public async Task Anchor_Written_IsSignedAndNamesTheHead()
    {
        await WriteSomeRowsAsync();
        var anchors = app.Services.GetRequiredService<AuditAnchors>();

        var anchor = await anchors.WriteAsync(force: true);

        var head = await app.AsSystemAsync((db, _) => db.AuditEntries.OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash }).FirstAsync());
        anchor.ShouldNotBeNull();
        anchor.Id.ShouldBeGreaterThanOrEqualTo(head.Id - 1); // the sign-in of a later request may have extended the chain
        var file = await anchors.ReadAsync();
        file.Path.ShouldStartWith(app.DataFolder);
        file.Anchors.ShouldContain(anchor);
        file.Unverifiable.ShouldBe(0);
        var verified = await app.AsSystemAsync((_, services) => services.GetRequiredService<AuditVerification>().VerifyAsync());
        verified.IsIntact.ShouldBeTrue(verified.Problem);
        verified.AnchorsChecked.ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task Anchor_LineAlteredInFile_IsNotTrusted()
    {
        await WriteSomeRowsAsync();
        var anchors = app.Services.GetRequiredService<AuditAnchors>();
        var anchor = (await anchors.WriteAsync(force: true))!;
        var forged = anchor with { Id = anchor.Id + 1000, Count = anchor.Count + 1000 };

        await File.AppendAllTextAsync(anchors.Path, System.Text.Json.JsonSerializer.Serialize(forged) + "\n");
        try
        {
            var file = await anchors.ReadAsync();

            file.Unverifiable.ShouldBe(1);
            file.Anchors.ShouldNotContain(a => a.Id == forged.Id);
        }
        finally
        {
            AuditTampering.ForgetAnchors(app);
        }
    }

    [Fact]
    public async Task KeyFile_NoKeyConfigured_GeneratedOnceOutsideTheDatabase()
    {
        // A keyed row of its own, whichever test of the class runs first.
        await WriteSomeRowsAsync();
        var keys = app.Services.GetRequiredService<AuditKeys>();
        var path = Path.Combine(app.DataFolder, "audit.key");

        File.Exists(path).ShouldBeTrue();
        var again = AuditKeys.Load(new AuditOptions(), app.DataFolder);
        again.Current.Id.ShouldBe(keys.Current.Id);
        var stored = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Hash.StartsWith(AuditKeys.Prefix)).Select(a => a.Hash).FirstAsync());
        AuditKeys.KeyIdOf(stored).ShouldBe(keys.Current.Id);
    }

    [Fact]
    public async Task SaveChanges_AuditInsertFails_DataChangeRolledBack()
    {
        var (person, teacher) = await PupilAndTeacherAsync();
        await RefuseAuditSubjectAsync("test.refuse");
        try
        {
            await Should.ThrowAsync<Exception>(() => app.AsUserAsync(teacher, async (db, services) =>
            {
                var tracked = await db.People.SingleAsync(p => p.Id == person.Id);
                tracked.GivenName = "Changed";
                await services.GetRequiredService<PersonAccess>().AuditWriteAsync(person.Id, AuditAction.Update, "test.refuse");
                return await db.SaveChangesAsync();
            }));
        }
        finally
        {
            await AllowAuditSubjectAsync();
        }

        var stored = await app.AsSystemAsync((db, _) => db.People.AsNoTracking().SingleAsync(p => p.Id == person.Id));
        stored.GivenName.ShouldBe(person.GivenName);
    }

    [Fact]
    public async Task SaveChanges_WriteWithStagedAudit_SavesBothWithBasis()
    {
        var (person, teacher) = await PupilAndTeacherAsync();

        await app.AsUserAsync(teacher, async (db, services) =>
        {
            var tracked = await db.People.SingleAsync(p => p.Id == person.Id);
            tracked.GivenName = "Changed";
            await services.GetRequiredService<PersonAccess>().AuditWriteAsync(person.Id, AuditAction.Update, "test.atomic");
            return await db.SaveChangesAsync();
        });

        var (stored, row) = await app.AsSystemAsync(async (db, _) => (
            await db.People.AsNoTracking().SingleAsync(p => p.Id == person.Id),
            await db.AuditEntries.AsNoTracking().SingleAsync(a => a.PersonId == person.Id && a.Subject == "test.atomic")));
        stored.GivenName.ShouldBe("Changed");
        row.UserId.ShouldBe(teacher.Id);
        row.Action.ShouldBe(AuditAction.Update);
        row.Basis.ShouldNotBe("none");
    }

    [Fact]
    public async Task SaveChanges_PersonWriteWithoutAudit_Refused()
    {
        var (person, teacher) = await PupilAndTeacherAsync();

        var refused = await Should.ThrowAsync<InvalidOperationException>(() => app.AsUserAsync(teacher, async (db, _) =>
        {
            var tracked = await db.People.SingleAsync(p => p.Id == person.Id);
            tracked.GivenName = "Unaudited";
            return await db.SaveChangesAsync();
        }));

        refused.Message.ShouldContain("no audit row staged");
        var stored = await app.AsSystemAsync((db, _) => db.People.AsNoTracking().SingleAsync(p => p.Id == person.Id));
        stored.GivenName.ShouldBe(person.GivenName);
    }

    [Fact]
    public void AuditOptions_KeyNotBase64OfThirtyTwoBytes_Refused()
    {
        var validator = new AuditOptionsValidator();

        validator.Validate(null, new AuditOptions { Key = Convert.ToBase64String(new byte[16]) }).Failed.ShouldBeTrue();
        validator.Validate(null, new AuditOptions { Key = "not base64!" }).FailureMessage!.ShouldContain("Audit:Key");
        validator.Validate(null, new AuditOptions { Key = Convert.ToBase64String(new byte[32]) }).Succeeded.ShouldBeTrue();
    }

    private async Task<(Domain.Person Person, TestUser Teacher)> PupilAndTeacherAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ava", $"Marsh{p.Suffix}", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        return (pupil, await p.UserAsync(p.School));
    }

    private Task RefuseAuditSubjectAsync(string subject) => app.Kind == DatabaseKind.Postgres
        ? AuditTampering.AsOwnerAsync(app, $"ALTER TABLE \"AuditEntries\" ADD CONSTRAINT test_refuse CHECK (\"Subject\" <> '{subject}') NOT VALID")
        : AuditTampering.AsOwnerAsync(app, $"CREATE TRIGGER test_refuse BEFORE INSERT ON AuditEntries WHEN NEW.Subject = '{subject}' BEGIN SELECT RAISE(ABORT, 'refused for the test'); END;");

    private Task AllowAuditSubjectAsync() => app.Kind == DatabaseKind.Postgres
        ? AuditTampering.AsOwnerAsync(app, "ALTER TABLE \"AuditEntries\" DROP CONSTRAINT test_refuse")
        : AuditTampering.AsOwnerAsync(app, "DROP TRIGGER test_refuse");

    /// <summary>Audit rows from using the app: three API searches by a teacher; and a DPO's client for the verifier.</summary>
    private async Task<(HttpClient Dpo, TestUser Teacher, IReadOnlyList<AuditEntry> Rows)> WriteSomeRowsAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupil = await p.YoungPersonAsync("Ava", $"Marsh{p.Suffix}", new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var teacher = await p.UserAsync(p.School);
        var dpo = await app.ApiClientAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        var api = await app.ApiClientAsync(teacher);
        for (var i = 0; i < 3; i++)
            (await api.GetAsync($"/api/v1/people?name=Marsh{p.Suffix}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var rows = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().Where(a => a.UserId == teacher.Id && a.PersonId == pupil.Id).OrderBy(a => a.Id).ToListAsync());
        rows.Count.ShouldBe(3);
        return (dpo, teacher, rows);
    }

    private static async Task<ChainVerification> VerifyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/api/v1/audit/verify");
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<ChainVerification>())!;
    }
}

public sealed class AuditForgeryTestsOnSqlite(AuditSqliteApp app) : AuditForgeryTests(app), IClassFixture<AuditSqliteApp>;

public sealed class AuditForgeryTestsOnPostgres(AuditPostgresApp app) : AuditForgeryTests(app), IClassFixture<AuditPostgresApp>
{
    private readonly AuditPostgresApp app = app;

    /// <summary>The app's role does not own the audit table: it cannot switch the triggers off, nor change, remove or empty rows.</summary>
    [Theory]
    [InlineData("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER")]
    [InlineData("ALTER TABLE \"AuditEntries\" DISABLE TRIGGER audit_no_update_or_delete")]
    [InlineData("UPDATE \"AuditEntries\" SET \"Action\" = 'Read' WHERE \"Action\" = 'Denied'")]
    [InlineData("DELETE FROM \"AuditEntries\"")]
    [InlineData("TRUNCATE \"AuditEntries\"")]
    [InlineData("ALTER TABLE \"AuditEntries\" OWNER TO CURRENT_USER")]
    public async Task AppRole_ChangesToAuditTable_RefusedByPrivileges(string sql)
    {
        var refused = await Should.ThrowAsync<PostgresException>(() => app.AsSystemAsync(db => db.Database.ExecuteSqlRawAsync(sql)));

        refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
    }

    /// <summary>An owner can still go around the triggers; the keyed hash is what then gives the edit away.</summary>
    [Fact]
    public async Task Verify_OwnerDisablesTriggersAndEditsRow_NamesThatEntry()
    {
        var p = await TestPartnership.CreateAsync(app);
        var dpo = await app.ApiClientAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));
        // A row of its own to tamper with, whichever test of the class runs first.
        await app.AsSystemAsync(async (_, services) =>
        {
            await services.GetRequiredService<AuditTrail>().RecordAsync(new AuditEvent(null, AuditAction.Read, "test.target", "test"));
            return true;
        });
        var target = await app.AsSystemAsync((db, _) => db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).FirstAsync());

        await AuditTampering.AsOwnerAsync(app,
            $"BEGIN; ALTER TABLE \"AuditEntries\" DISABLE TRIGGER USER; UPDATE \"AuditEntries\" SET \"Basis\" = 'nothing to see' WHERE \"Id\" = {target.Id}; " +
            "ALTER TABLE \"AuditEntries\" ENABLE TRIGGER USER; COMMIT;");
        try
        {
            var response = await dpo.GetFromJsonAsync<ChainVerification>("/api/v1/audit/verify");

            response!.IsIntact.ShouldBeFalse();
            response.FirstBrokenId.ShouldBe(target.Id);
        }
        finally
        {
            await AuditTampering.WithoutTriggersAsync(app, db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditEntries\" SET \"Basis\" = {target.Basis} WHERE \"Id\" = {target.Id}"));
        }
    }
}
