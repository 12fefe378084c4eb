using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Merge;

/// <summary>Why a merge or an unmerge was refused, in words for the administrator.</summary>
public sealed class MergeRefused(string reason) : Exception(reason);

/// <summary>
/// Merges two register entries found to be one person, and takes a merge back. Every column that
/// points at a person (<see cref="PersonTables"/>) is moved in one transaction, each row moved or
/// collapsed written to the merge's journal, so that an unmerge within 30 days puts every row back
/// as it was. The statements are raw SQL built from the EF model (names from the model only, values
/// as parameters): a merge moves rows of every type at once, past the policy, for the partnership.
/// </summary>
public sealed class PersonMerger(WaypointDbContext db, AuditTrail audit, ReaderContext reader, TimeProvider clock)
{
    public const string Subject = "person.merge";

    public async Task<PersonMerge> MergeAsync(Guid survivorId, Guid mergedId, CancellationToken ct = default)
    {
        if (survivorId == mergedId)
            throw new MergeRefused("A person cannot be merged with themselves: choose two different register entries.");
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var pair = await db.Unfiltered<Person>("a partnership administrator merges two register entries; both are read whole, whoever may see them")
            .Where(p => p.Id == survivorId || p.Id == mergedId).ToListAsync(ct);
        var survivor = pair.SingleOrDefault(p => p.Id == survivorId) ?? throw new MergeRefused("The entry to keep is not in the register.");
        var merged = pair.SingleOrDefault(p => p.Id == mergedId) ?? throw new MergeRefused("The entry to merge away is not in the register.");
        foreach (var p in pair.Where(p => p.MergedIntoId is not null))
            throw new MergeRefused($"{Name(p)} was already merged into another entry: merge with that entry instead.");
        var pending = await db.PersonMerges.AsNoTracking()
            .Where(m => m.UnmergedAt == null && (m.SurvivorId == survivorId || m.MergedId == survivorId || m.SurvivorId == mergedId || m.MergedId == mergedId))
            .ToListAsync(ct);
        if (pending.FirstOrDefault(m => m.IsPending(now)) is { } open)
            throw new MergeRefused($"A merge made on {open.MergedAt:d MMMM yyyy} involving one of these entries can still be taken back until {open.UnmergeUntil:d MMMM yyyy}: " +
                "unmerge it first, or merge after then, so that each merge can be taken back exactly.");
        await RefuseConflictingUpnsAsync(survivor, merged, ct);

        var merge = new PersonMerge { SurvivorId = survivorId, MergedId = mergedId, MergedAt = now, MergedByUserId = reader.Current.UserId };
        var rollups = await RollupsBeforeAsync([survivorId, mergedId], ct);
        var sequence = 0;
        foreach (var column in PersonTables.Of(db))
        {
            var collapsed = new HashSet<string>();
            var keys = (await SelfLinksAsync(column, mergedId, survivorId, ct)).ToList();
            foreach (var rule in column.UniqueRules)
                keys.AddRange(await CollisionsAsync(column, rule, mergedId, survivorId, ct));
            foreach (var key in keys.Where(collapsed.Add))
            {
                var steps = await CollapseAsync(column, key, sequence + 1, ct);
                merge.Steps.AddRange(steps);
                sequence += steps.Count;
            }
            foreach (var key in await KeysAsync(column, mergedId, ct))
                merge.Steps.Add(new PersonMergeStep { Sequence = ++sequence, Kind = MergeStepKind.Moved, TableName = column.Table, ColumnName = column.Column, RowKey = key });
            await ExecuteAsync($"UPDATE {Q(column.Table)} SET {Q(column.Column)} = {{0}} WHERE {Q(column.Column)} = {{1}}", ct, survivorId, mergedId);
        }
        await rollups.AfterAsync(db, ct);
        merged.MergedIntoId = survivorId;
        db.PersonMerges.Add(merge);
        audit.StageWrite(new AuditEvent(survivorId, AuditAction.Update, Subject, $"partnership administrator: kept, merge {merge.Id}"));
        audit.StageWrite(new AuditEvent(mergedId, AuditAction.Update, Subject, $"partnership administrator: merged away, merge {merge.Id}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return merge;
    }

    public async Task<PersonMerge> UnmergeAsync(Guid mergeId, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var merge = await db.PersonMerges.Include(m => m.Steps).SingleOrDefaultAsync(m => m.Id == mergeId, ct)
            ?? throw new MergeRefused("There is no such merge.");
        if (merge.UnmergedAt is not null)
            throw new MergeRefused($"This merge was already taken back on {merge.UnmergedAt:d MMMM yyyy}.");
        if (now >= merge.UnmergeUntil)
            throw new MergeRefused($"A merge can be taken back for {PersonMerge.UnmergeWindowDays} days; this one's time ended on {merge.UnmergeUntil:d MMMM yyyy}.");
        var columns = PersonTables.Of(db).ToDictionary(c => c.Name);
        var rollups = await RollupsBeforeAsync([merge.SurvivorId, merge.MergedId], ct);
        foreach (var step in merge.Steps.OrderByDescending(s => s.Sequence))
        {
            if (step.Kind == MergeStepKind.Collapsed)
            {
                var tableColumns = PersonTables.ColumnsOf(db, step.TableName)
                    ?? throw new MergeRefused($"The journal names a table, {step.TableName}, that no longer exists: this merge cannot be taken back automatically.");
                await InsertAsync(step.TableName, tableColumns, step.RowJson!, ct);
                continue;
            }
            var column = columns.GetValueOrDefault($"{step.TableName}.{step.ColumnName}")
                ?? throw new MergeRefused($"The journal names {step.TableName}.{step.ColumnName}, which no longer points at a person: this merge cannot be taken back automatically.");
            await ExecuteAsync($"UPDATE {Q(column.Table)} SET {Q(column.Column)} = {{0}} WHERE {Q(column.KeyColumn)} = {KeyParameter(column, 1)} AND {Q(column.Column)} = {{2}}",
                ct, merge.MergedId, step.RowKey, merge.SurvivorId);
        }
        await rollups.AfterAsync(db, ct);
        var merged = await db.Unfiltered<Person>("a partnership administrator takes back a merge; the merged-away entry is hidden from every reader until then")
            .SingleAsync(p => p.Id == merge.MergedId, ct);
        merged.MergedIntoId = null;
        merge.UnmergedAt = now;
        merge.UnmergedByUserId = reader.Current.UserId;
        audit.StageWrite(new AuditEvent(merge.SurvivorId, AuditAction.Update, Subject, $"partnership administrator: unmerged, merge {merge.Id}"));
        audit.StageWrite(new AuditEvent(merge.MergedId, AuditAction.Update, Subject, $"partnership administrator: restored, merge {merge.Id}"));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return merge;
    }

    /// <summary>
    /// What the two entries count in the evidence rollups, read before the rows move. The moves are
    /// raw SQL the change tracker never sees, so the rollups take the difference here: two entries'
    /// suspensions at one school become one pupil's, and "pupils suspended" must count them once
    /// (and twice again after an unmerge).
    /// </summary>
    private async Task<Evidence.RollupUpkeep> RollupsBeforeAsync(Guid[] people, CancellationToken ct)
    {
        var slices = new Evidence.RollupSlices();
        slices.Pupils.UnionWith(people);
        slices.People.UnionWith(people); // the per-person evidence rollups of both entries (issue 15)
        return await Evidence.RollupUpkeep.BeforeAsync(db, slices, ct);
    }

    /// <summary>How many rows of each kind point at a person, for the side-by-side comparison.</summary>
    public async Task<IReadOnlyList<(string Table, string Column, int Count)>> CountsAsync(Guid personId, CancellationToken ct = default)
    {
        var counts = new List<(string, string, int)>();
        foreach (var column in PersonTables.Of(db))
        {
            var n = await db.RawSql<int>("a merge's comparison counts each kind of record of both entries, past the policy, for the partnership administrator",
                    Sql($"SELECT COUNT(*) AS \"Value\" FROM {Q(column.Table)} WHERE {Q(column.Column)} = {{0}}", personId))
                .ToListAsync(ct);
            counts.Add((column.Table, column.Column, n.Single()));
        }
        return counts;
    }

    private async Task RefuseConflictingUpnsAsync(Person survivor, Person merged, CancellationToken ct)
    {
        var upns = await db.Unfiltered<PersonIdentifier>("a merge compares the two entries' UPNs, which a pupil holds one of for life")
            .AsNoTracking().Where(i => (i.PersonId == survivor.Id || i.PersonId == merged.Id) && i.Scheme == IdentifierScheme.Upn)
            .Select(i => new { i.PersonId, i.Value }).ToListAsync(ct);
        var kept = upns.Where(u => u.PersonId == survivor.Id).Select(u => u.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var away = upns.Where(u => u.PersonId == merged.Id).Select(u => u.Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        if (kept.Count > 0 && away.Count > 0 && !kept.SetEquals(away))
            throw new MergeRefused("The two entries hold different UPNs. A UPN is one pupil's for life, so these are two children, or one UPN is wrong: " +
                "have the school correct it before merging.");
    }

    /// <summary>Rows linking the two entries (a family relationship between them) would link the survivor to itself.</summary>
    private async Task<List<string>> SelfLinksAsync(PersonColumn column, Guid mergedId, Guid survivorId, CancellationToken ct)
    {
        if (column.OtherPersonColumns.Count == 0)
            return [];
        var others = string.Join(" OR ", column.OtherPersonColumns.Select(c => $"{Q(c)} = {{1}}"));
        return await ReadKeysAsync(Sql($"SELECT {KeyText(column, "t")} AS \"Value\" FROM {Q(column.Table)} AS t WHERE {Q(column.Column)} = {{0}} AND ({others})", mergedId, survivorId), ct);
    }

    /// <summary>The merged-away entry's rows that would repeat one of the survivor's under a unique rule (the same identifier, the same imported row).</summary>
    private Task<List<string>> CollisionsAsync(PersonColumn column, UniqueRule rule, Guid mergedId, Guid survivorId, CancellationToken ct)
    {
        var rows = rule.Filter is null ? Q(column.Table) : $"(SELECT * FROM {Q(column.Table)} WHERE {rule.Filter})";
        var same = string.Join("", rule.Columns.Where(c => c != column.Column).Select(c => $" AND s.{Q(c)} = d.{Q(c)}"));
        return ReadKeysAsync(Sql(
            $"SELECT {KeyText(column, "d")} AS \"Value\" FROM {rows} AS d WHERE d.{Q(column.Column)} = {{0}} " +
            $"AND EXISTS (SELECT 1 FROM {rows} AS s WHERE s.{Q(column.Column)} = {{1}}{same})", mergedId, survivorId), ct);
    }

    private Task<List<string>> KeysAsync(PersonColumn column, Guid personId, CancellationToken ct) =>
        ReadKeysAsync(Sql($"SELECT {KeyText(column, "t")} AS \"Value\" FROM {Q(column.Table)} AS t WHERE {Q(column.Column)} = {{0}} ORDER BY 1", personId), ct);

    /// <summary>
    /// Removes a row that repeats one of the survivor's, journalling it whole, with the rows that
    /// belong to it (first, so that an unmerge, walking backwards, inserts them after it).
    /// </summary>
    private async Task<List<PersonMergeStep>> CollapseAsync(PersonColumn column, string key, int sequence, CancellationToken ct)
    {
        var steps = new List<PersonMergeStep>();
        foreach (var dependent in column.Dependents)
        {
            var rows = await db.RawSql<string>("a merge keeps the rows of a row it collapses whole, to put them back if the merge is taken back",
                    Sql($"SELECT {RowJson(dependent.Columns, "t")} AS \"Value\" FROM {Q(dependent.Table)} AS t WHERE t.{Q(dependent.Column)} = {KeyParameter(column, 0)}", key))
                .ToListAsync(ct);
            // One level is kept whole; rows of rows would need the journal to follow them further.
            if (rows.Count > 0 && PersonTables.HasDependents(db, dependent.Table))
                throw new MergeRefused($"Both entries hold the same {Describe(column.Table)} record, and it has records of its own: " +
                    "remove the repeated one from the entry to merge away first.");
            steps.AddRange(rows.Select(json => new PersonMergeStep
            {
                Sequence = sequence + steps.Count,
                Kind = MergeStepKind.Collapsed,
                TableName = dependent.Table,
                ColumnName = dependent.Column,
                RowKey = key,
                RowJson = json,
            }));
            await ExecuteAsync($"DELETE FROM {Q(dependent.Table)} WHERE {Q(dependent.Column)} = {KeyParameter(column, 0)}", ct, key);
        }
        var json = (await db.RawSql<string>("a merge keeps a row it collapses whole, to put it back if the merge is taken back",
                Sql($"SELECT {RowJson(column.Columns, "t")} AS \"Value\" FROM {Q(column.Table)} AS t WHERE {Q(column.KeyColumn)} = {KeyParameter(column, 0)}", key))
            .ToListAsync(ct)).Single();
        await ExecuteAsync($"DELETE FROM {Q(column.Table)} WHERE {Q(column.KeyColumn)} = {KeyParameter(column, 0)}", ct, key);
        steps.Add(new PersonMergeStep
        {
            Sequence = sequence + steps.Count,
            Kind = MergeStepKind.Collapsed,
            TableName = column.Table,
            ColumnName = column.Column,
            RowKey = key,
            RowJson = json,
        });
        return steps;
    }

    private Task InsertAsync(string table, IReadOnlyList<string> columns, string json, CancellationToken ct)
    {
        if (db.IsPostgres)
            return ExecuteAsync($"INSERT INTO {Q(table)} SELECT * FROM json_populate_record(NULL::{Q(table)}, CAST({{0}} AS json))", ct, json);
        var names = string.Join(", ", columns.Select(Q));
        var values = string.Join(", ", columns.Select(c => $"json_extract({{0}}, '$.\"{c}\"')"));
        return ExecuteAsync($"INSERT INTO {Q(table)} ({names}) SELECT {values}", ct, json);
    }

    /// <summary>The SQL that reads one row whole as JSON, each value as the database holds it.</summary>
    internal string RowJson(IReadOnlyList<string> columns, string alias) => db.IsPostgres
        ? $"CAST(row_to_json({alias}) AS text)"
        : $"json_object({string.Join(", ", columns.Select(c => $"'{c}', {alias}.{Q(c)}"))})";

    internal static string KeyText(PersonColumn column, string alias) => $"CAST({alias}.{Q(column.KeyColumn)} AS TEXT)";

    private string KeyParameter(PersonColumn column, int index) => db.IsPostgres ? $"CAST({{{index}}} AS {column.KeyStoreType})" : $"{{{index}}}";

    private Task<List<string>> ReadKeysAsync(FormattableString sql, CancellationToken ct) =>
        db.RawSql<string>("a merge finds every row of every kind that points at either entry, past the policy, to move or collapse it", sql).ToListAsync(ct);

    private Task<int> ExecuteAsync(string format, CancellationToken ct, params object[] args) => db.Database.ExecuteSqlAsync(Sql(format, args), ct);

    private static FormattableString Sql(string format, params object[] args) => FormattableStringFactory.Create(format, args);

    internal static string Q(string name) => $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static string Name(Person p) => $"{p.GivenName} {p.FamilyName}";

    public static string Describe(string table) => System.Text.RegularExpressions.Regex.Replace(table, "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();
}
