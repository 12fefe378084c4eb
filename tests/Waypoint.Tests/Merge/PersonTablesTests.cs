using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Merge;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Merge;

/// <summary>
/// A merge moves every column the model knows points at a person. These fail when a table is added
/// that a merge would miss (a person id with no foreign key) or could not move (a person id in a key).
/// </summary>
public abstract class PersonTablesTests(WaypointApp app)
{
    /// <summary>Columns that hold a person's id without pointing at them for a merge to move, and why.</summary>
    private static readonly Dictionary<string, string> NotMoved = new()
    {
        ["AuditEntries.PersonId"] = "the hash-chained log says who was touched when; a merge adds rows against both entries and rewrites none",
        ["AuditArchive.PersonId"] = "archived months of the same log: append-only, sealed, never rewritten",
        ["SubjectAccessRequests.PersonId"] = "the record of what was asked and issued about an entry; a merge or disposal must not move or remove it",
        ["RiskRecomputeJobs.LastPersonId"] = "a recompute job's cursor (how far it got), not a record about the person",
        ["PersonMerges.SurvivorId"] = "a merge's own record",
        ["PersonMerges.MergedId"] = "a merge's own record",
        ["People.MergedIntoId"] = "the merged-away entry's pointer, set by the merge itself",
        ["ViolencePupilSpan.PersonId"] = "an evidence rollup: a merge recounts both entries' rows from the raw rows rather than moving them",
        ["ViolencePersonYear.PersonId"] = "an evidence rollup: a merge recounts both entries' rows from the raw rows rather than moving them",
        ["OutcomeRollupRows.PersonId"] = "the joint outcomes rollup: a merge recomputes both entries' rows from the raw rows rather than moving them",
    };

    [Fact]
    public async Task PersonTables_EveryPersonForeignKey_MovableByMerge()
    {
        var columns = await app.AsSystemAsync((db, _) => Task.FromResult(PersonTables.Of(db)));

        columns.Select(c => c.Name).ShouldContain("PersonIdentifiers.PersonId");
        columns.Select(c => c.Name).ShouldContain("PersonRelationships.RelatedPersonId");
        columns.Select(c => c.Name).ShouldContain("Enrolments.PersonId");
        columns.Select(c => c.Name).ShouldContain("Cases.PersonId");
        columns.Select(c => c.Name).ShouldContain("Involvements.PersonId");
        columns.Select(c => c.Name).ShouldContain("PersonFlags.PersonId");
        columns.ShouldAllBe(c => c.KeyColumn != c.Column);
    }

    [Fact]
    public async Task PersonTables_PersonIdColumnWithoutForeignKey_IsListedWithReason()
    {
        var unhandled = await app.AsSystemAsync((db, _) =>
        {
            var moved = PersonTables.Of(db).Select(c => c.Name).ToHashSet();
            var all = db.Model.GetRelationalModel().Tables
                .SelectMany(t => t.Columns.Where(c => (Nullable.GetUnderlyingType(c.PropertyMappings.First().Property.ClrType) ?? c.PropertyMappings.First().Property.ClrType) == typeof(Guid))
                    .Where(c => c.Name.EndsWith("PersonId", StringComparison.Ordinal) || c.Name is "MergedId" or "SurvivorId" or "MergedIntoId")
                    .Select(c => $"{t.Name}.{c.Name}"))
                .ToList();
            return Task.FromResult(all.Where(c => !moved.Contains(c) && !NotMoved.ContainsKey(c)).ToList());
        });

        unhandled.ShouldBeEmpty("a person id with no foreign key to People is not moved by a merge: add the foreign key, or list it here with why");
    }
}

public sealed class PersonTablesTestsOnSqlite(SqliteApp app) : PersonTablesTests(app), IClassFixture<SqliteApp>;
