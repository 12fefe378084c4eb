using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Tests.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Data;

/// <summary>
/// <see cref="QueryBatch"/>: several EF queries in one round trip on PostgreSQL, one by one on SQLite, each
/// returning what it returns alone, with its query filters applied (a person the reader may not see is not
/// returned), and a raw statement joining only through PastTheFilters.
/// </summary>
public abstract class QueryBatchTests(WaypointApp app)
{
    private sealed record PersonRow(Guid Id, string GivenName, DateOnly? DateOfBirth, PersonKind Kind);
    private sealed record CaseRow(Guid Id, TriageOutcome Level, DateTimeOffset OpenedAt, DateOnly? NextReviewOn, bool Open);

    private static IQueryable<PersonRow> People(WaypointDbContext db, List<Guid> ids) =>
        db.People.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Id)
            .Select(p => new PersonRow(p.Id, p.GivenName, p.DateOfBirth, p.Kind));

    private static PersonRow ReadPerson(BatchRow r) => new(r.Get<Guid>(0), r.Get<string>(1), r.Get<DateOnly?>(2), r.Get<PersonKind>(3));

    private static IQueryable<CaseRow> Cases(WaypointDbContext db, Guid child) =>
        db.Cases.AsNoTracking().Where(c => c.PersonId == child).OrderBy(c => c.Id)
            .Select(c => new CaseRow(c.Id, c.Level, c.OpenedAt, c.NextReviewOn, c.Status == CaseStatus.Open));

    private static CaseRow ReadCase(BatchRow r) => new(r.Get<Guid>(0), r.Get<TriageOutcome>(1), r.Get<DateTimeOffset>(2), r.Get<DateOnly?>(3), r.Get<bool>(4));

    private static IQueryable<int> CountOfPeople(WaypointDbContext db, Guid userId, List<Guid> ids) =>
        db.Users.Where(u => u.Id == userId).Select(u => db.People.Count(p => ids.Contains(p.Id)));

    [Fact]
    public async Task EachQuery_ReturnsWhatItReturnsAlone()
    {
        var w = await CaseWorld.OpenAsync(app);
        var ids = new List<Guid> { w.Child.Id, w.Mother.Id };
        await app.AsUserAsync(w.Lead, async (db, _) =>
        {
            var batch = new QueryBatch(db);
            var people = batch.Add(People(db, ids), ReadPerson);
            var cases = batch.Add(Cases(db, w.Child.Id), ReadCase);
            var count = batch.Add(CountOfPeople(db, w.Lead.Id, ids), r => r.Get<int>(0));
            var none = batch.Add(People(db, [Guid.NewGuid()]), ReadPerson);
            await batch.RunAsync();

            people.Rows.ShouldBe(await People(db, ids).ToListAsync());
            var alone = await Cases(db, w.Child.Id).ToListAsync();
            alone.ShouldNotBeEmpty();
            cases.Rows.Select(c => (c.Id, c.Level, c.OpenedAt.UtcTicks, c.NextReviewOn, c.Open))
                .ShouldBe(alone.Select(c => (c.Id, c.Level, c.OpenedAt.UtcTicks, c.NextReviewOn, c.Open)));
            cases.Rows[0].Level.ShouldBe(TriageOutcome.EarlyHelp);
            count.Rows.ShouldBe(await CountOfPeople(db, w.Lead.Id, ids).ToListAsync());
            none.Rows.ShouldBeEmpty();
            return true;
        });
    }

    [Fact]
    public async Task TheQueryFilters_StillApply_APersonTheReaderMayNotSeeIsNotReturned()
    {
        var w = await CaseWorld.OpenAsync(app);
        var dsl = await w.P.UserAsync(w.P.School);
        var ids = new List<Guid> { w.Child.Id, w.Mother.Id };
        // The system sees both: the batch below could return the mother, were the filter not in its SQL.
        var everyone = await app.AsSystemAsync(async (db, _) =>
        {
            var batch = new QueryBatch(db);
            var people = batch.Add(People(db, ids), ReadPerson);
            var other = batch.Add(People(db, ids), ReadPerson);
            await batch.RunAsync();
            other.Rows.ShouldBe(people.Rows);
            return people.Rows.Select(p => p.Id).ToList();
        });
        everyone.ShouldBe(ids.Order().ToList());

        var (seen, count) = await app.AsUserAsync(dsl, async (db, _) =>
        {
            var batch = new QueryBatch(db);
            var people = batch.Add(People(db, ids), ReadPerson);
            var counted = batch.Add(CountOfPeople(db, dsl.Id, ids), r => r.Get<int>(0));
            await batch.RunAsync();
            return (people.Rows.Select(p => p.Id).ToList(), counted.FirstOrDefault());
        });
        seen.ShouldBe([w.Child.Id]);
        count.ShouldBe(1);
    }

    [Fact]
    public async Task ARawStatement_JoinsThroughPastTheFilters_AndReadsItsOwnRows()
    {
        var w = await CaseWorld.OpenAsync(app);
        var dsl = await w.P.UserAsync(w.P.School);
        var (raw, filtered) = await app.AsUserAsync(dsl, async (db, _) =>
        {
            var batch = new QueryBatch(db);
            var people = batch.Add(People(db, [w.Child.Id, w.Mother.Id]), ReadPerson);
            var rows = batch.RawSql<Guid>("test: a raw statement's own restriction decides what it reads",
                $"""SELECT "Id" AS "Value" FROM "People" WHERE "Id" = {w.Mother.Id}""", r => r.Get<Guid>(0));
            await batch.RunAsync();
            return (rows.Rows.ToList(), people.Rows.Select(p => p.Id).ToList());
        });
        raw.ShouldBe([w.Mother.Id]);
        filtered.ShouldBe([w.Child.Id]);
    }

    [Fact]
    public async Task ABatch_RunsOnce_AndItsRowsAreThereOnlyAfter()
    {
        var w = await CaseWorld.OpenAsync(app);
        await app.AsUserAsync(w.Lead, async (db, _) =>
        {
            var batch = new QueryBatch(db);
            var people = batch.Add(People(db, [w.Child.Id]), ReadPerson);
            Should.Throw<InvalidOperationException>(() => people.Rows);
            await batch.RunAsync();
            people.Rows.Count.ShouldBe(1);
            await Should.ThrowAsync<InvalidOperationException>(() => batch.RunAsync());
            return true;
        });
    }
}

public sealed class QueryBatchTestsOnSqlite(SqliteApp app) : QueryBatchTests(app), IClassFixture<SqliteApp>;

public sealed class QueryBatchTestsOnPostgres(PostgresApp app) : QueryBatchTests(app), IClassFixture<PostgresApp>;
