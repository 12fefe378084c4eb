using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Merge;

/// <summary>A set of columns that may hold a given value once (a unique index, its filter if any): the rule a merge must not break.</summary>
public sealed record UniqueRule(string Name, IReadOnlyList<string> Columns, string? Filter);

/// <summary>Rows that belong to a row of a person table (an attendance record's code counts): collapsed with it, kept whole with it.</summary>
public sealed record DependentTable(string Table, string Column, IReadOnlyList<string> Columns);

/// <summary>
/// A column that points at a person, with what a merge needs to move it: the table's key (rows are
/// journalled by it), its columns (a collapsed row is kept whole), the unique rules that include
/// it (rows that would repeat the survivor's are collapsed) and the table's other person columns
/// (a row linking the two would become a link to oneself).
/// </summary>
public sealed record PersonColumn(
    string Table, string Column, string KeyColumn, string KeyStoreType, IReadOnlyList<string> Columns,
    IReadOnlyList<UniqueRule> UniqueRules, IReadOnlyList<string> OtherPersonColumns, IReadOnlyList<DependentTable> Dependents)
{
    public string Name => $"{Table}.{Column}";
}

/// <summary>
/// Every column of every table that points at a person, read from the EF model's foreign keys (so
/// a table added later is moved by a merge without anyone remembering to list it). Computed once
/// per model.
/// </summary>
public static class PersonTables
{
    /// <summary>
    /// Rows that repeat one of the survivor's without a unique index saying so: the same identifier
    /// recorded on both entries is one identifier, kept once.
    /// </summary>
    private static readonly Dictionary<string, string[][]> LogicalKeys = new()
    {
        ["PersonIdentifiers"] = [["PersonId", "Scheme", "Value"]],
    };

    /// <summary>
    /// Columns that hold a person's id with no foreign key to People (written before the rule, or
    /// kept loose on purpose): a merge moves them too. PersonTablesTests fails on any other.
    /// </summary>
    private static readonly Dictionary<string, string> LooseColumns = new()
    {
        ["MeetingActions.PersonId"] = "a meeting's action about a child",
        ["PupilMatchReviews.EnrolledPersonId"] = "the pupil an import's match review enrolled",
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IModel, IReadOnlyList<PersonColumn>> Cache = [];

    public static IReadOnlyList<PersonColumn> Of(WaypointDbContext db)
    {
        // The design-time model keeps the index filters the runtime model may drop.
        var model = db.GetService<IDesignTimeModel>().Model;
        return Cache.GetValue(model, Find);
    }

    /// <summary>A table's columns, as a collapsed row is put back; null for a table the model no longer has.</summary>
    public static IReadOnlyList<string>? ColumnsOf(WaypointDbContext db, string table) =>
        db.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables.FirstOrDefault(t => t.Name == table)?.Columns.Select(c => c.Name).ToList();

    /// <summary>Whether any table's rows belong to rows of this one.</summary>
    public static bool HasDependents(WaypointDbContext db, string table) =>
        db.GetService<IDesignTimeModel>().Model.GetRelationalModel().Tables.Any(t => t.ForeignKeyConstraints.Any(f => f.PrincipalTable.Name == table));

    private static IReadOnlyList<PersonColumn> Find(IModel model)
    {
        var relational = model.GetRelationalModel();
        var people = model.FindEntityType(typeof(Person))!.GetTableName()!;
        var dependents = relational.Tables.SelectMany(t => t.ForeignKeyConstraints)
            .ToLookup(f => f.PrincipalTable.Name, f => f.Columns.Count == 1
                ? new DependentTable(f.Table.Name, f.Columns[0].Name, f.Table.Columns.Select(c => c.Name).ToList())
                : throw new NotSupportedException($"{f.Table.Name}: a foreign key over several columns"));
        var found = new List<PersonColumn>();
        foreach (var table in relational.Tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            var personColumns = table.ForeignKeyConstraints
                .Where(f => f.PrincipalTable.Name == people)
                .Select(f => f.Columns.Count == 1
                    ? f.Columns[0].Name
                    : throw new NotSupportedException($"{table.Name}: a foreign key to {people} over several columns"))
                .Concat(LooseColumns.Keys.Where(k => k.StartsWith(table.Name + ".", StringComparison.Ordinal)).Select(k => k[(table.Name.Length + 1)..]))
                .Distinct().OrderBy(c => c, StringComparer.Ordinal).ToList();
            if (personColumns.Count == 0)
                continue;
            var key = table.PrimaryKey ?? throw new NotSupportedException($"{table.Name} has no primary key for a merge to journal rows by");
            if (key.Columns.Count != 1)
                throw new NotSupportedException($"{table.Name}: a merge journals rows by a single-column key");
            foreach (var column in personColumns)
            {
                if (key.Columns[0].Name == column)
                    throw new NotSupportedException($"{table.Name}.{column} is its key: a merge cannot move it");
                var rules = table.Indexes.Where(i => i.IsUnique)
                    .Select(i => new UniqueRule(i.Name, i.Columns.Select(c => c.Name).ToList(), i.Filter))
                    .Concat(table.UniqueConstraints.Where(u => !u.GetIsPrimaryKey()).Select(u => new UniqueRule(u.Name, u.Columns.Select(c => c.Name).ToList(), null)))
                    .Concat((LogicalKeys.GetValueOrDefault(table.Name) ?? []).Select(k => new UniqueRule($"{table.Name} logical key", k, null)))
                    .Where(r => r.Columns.Contains(column))
                    .ToList();
                found.Add(new PersonColumn(
                    table.Name, column, key.Columns[0].Name, key.Columns[0].StoreType,
                    table.Columns.Select(c => c.Name).ToList(), rules,
                    personColumns.Where(c => c != column).ToList(), dependents[table.Name].ToList()));
            }
        }
        return found;
    }
}
