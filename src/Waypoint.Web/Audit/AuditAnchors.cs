using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Audit;

/// <summary>The head of the chain at a moment, with how many entries it then held, signed with the audit key.</summary>
public sealed record AuditAnchor(
    [property: JsonPropertyName("id")] long Id,
    [property: JsonPropertyName("hash")] string Hash,
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("at")] DateTimeOffset At,
    [property: JsonPropertyName("key")] string KeyId,
    [property: JsonPropertyName("mac")] string Mac)
{
    internal string Canonical => string.Join('\u001f', "anchor", Id.ToString(CultureInfo.InvariantCulture), Hash,
        Count.ToString(CultureInfo.InvariantCulture), At.UtcTicks.ToString(CultureInfo.InvariantCulture));
}

/// <summary>The anchors read back from the file: those signed by a key this server holds, and how many lines were not.</summary>
public sealed record AnchorFile(string Path, IReadOnlyList<AuditAnchor> Anchors, int Unverifiable);

/// <summary>
/// Writes the head of the audit chain outside the database, to an append-only file (one JSON line
/// an anchor) and to the log, so that rows cut from the end of the log, or a log rebuilt from
/// scratch, no longer match what was seen before. Several instances may write to one file:
/// each line stands alone. Holds ids, hashes and counts, never personal data.
/// </summary>
public sealed class AuditAnchors(AuditKeys keys, IOptions<AuditOptions> options, AuditPaths paths, IServiceScopeFactory scopes, TimeProvider clock, ILogger<AuditAnchors> log)
{
    private static readonly SemaphoreSlim FileLock = new(1, 1);
    private readonly SemaphoreSlim wake = new(0, 1);
    private readonly Lock state = new();
    private AuditAnchor? lastWritten;
    private DateTimeOffset lastWrittenAt = DateTimeOffset.MinValue;

    public string Path => paths.AnchorPath;

    /// <summary>Called after an append commits: wakes the writer when the last anchor is older than the interval (cheap; no I/O here).</summary>
    internal void Offer(AuditHead head)
    {
        lock (state)
        {
            if (lastWritten?.Id == head.Id || clock.GetUtcNow() - lastWrittenAt < options.Value.AnchorInterval)
                return;
        }
        if (wake.CurrentCount == 0)
        {
            try
            {
                wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    internal Task WaitForWakeAsync(TimeSpan timeout, CancellationToken ct) => wake.WaitAsync(timeout, ct);

    /// <summary>Anchors the current head unless this process anchored that same head already (or <paramref name="force"/>). Returns the anchor written, if any.</summary>
    public async Task<AuditAnchor?> WriteAsync(CancellationToken ct = default, bool force = false)
    {
        await using var scope = scopes.CreateSystemScope("audit anchor: reads the head of the chain and counts its entries");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var head = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Id).Select(a => new { a.Id, a.Hash }).FirstOrDefaultAsync(ct);
        if (head is null)
            return null;
        AuditAnchor? previous;
        lock (state)
            previous = lastWritten;
        if (!force && previous?.Id == head.Id && previous.Hash == head.Hash)
            return null;
        // Counted on from this process's last anchor, so that a large log is not counted whole every few
        // minutes; counted whole (archived months by their seals) when a month was archived since then.
        var archivedSince = previous is null ? 0 : await db.AuditPeriods.LongCountAsync(p => p.LastId > previous.Id, ct);
        var count = previous is not null && previous.Id < head.Id && archivedSince == 0
            ? previous.Count + await db.AuditEntries.LongCountAsync(a => a.Id > previous.Id && a.Id <= head.Id, ct)
            : await db.AuditPeriods.SumAsync(p => p.Count, ct) + await db.AuditEntries.LongCountAsync(a => a.Id <= head.Id, ct);
        var anchor = Sign(head.Id, head.Hash, count, clock.GetUtcNow());
        await AppendAsync(anchor, ct);
        lock (state)
        {
            lastWritten = anchor;
            lastWrittenAt = anchor.At;
        }
        log.LogInformation("Audit anchor: entry {AuditEntryId}, {AuditEntryCount} entries, hash {AuditHash}, key {AuditKeyId}", anchor.Id, anchor.Count, anchor.Hash, anchor.KeyId);
        return anchor;
    }

    internal AuditAnchor Sign(long id, string hash, long count, DateTimeOffset at)
    {
        var unsigned = new AuditAnchor(id, hash, count, at, keys.Current.Id, "");
        return unsigned with { Mac = AuditKeys.Base64Url(keys.Current.Mac(unsigned.Canonical)) };
    }

    internal async Task AppendAsync(AuditAnchor anchor, CancellationToken ct)
    {
        var line = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(anchor) + "\n");
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!);
        await FileLock.WaitAsync(ct);
        try
        {
            // One write of a whole line in append mode: lines from several instances interleave but never mix.
            await using var file = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            await file.WriteAsync(line, ct);
            file.Flush(flushToDisk: true);
        }
        finally
        {
            FileLock.Release();
        }
    }

    /// <summary>Every anchor in the file whose signature holds; lines that do not parse or verify are counted, not trusted.</summary>
    public async Task<AnchorFile> ReadAsync(CancellationToken ct = default)
    {
        if (!File.Exists(Path))
            return new AnchorFile(Path, [], 0);
        var anchors = new List<AuditAnchor>();
        var unverifiable = 0;
        await using var file = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(file);
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            AuditAnchor? anchor = null;
            try
            {
                anchor = JsonSerializer.Deserialize<AuditAnchor>(line);
            }
            catch (JsonException)
            {
            }
            if (anchor is not null && keys.Find(anchor.KeyId) is { } key
                && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(AuditKeys.Base64Url(key.Mac(anchor.Canonical))), Encoding.ASCII.GetBytes(anchor.Mac ?? "")))
                anchors.Add(anchor);
            else
                unverifiable++;
        }
        return new AnchorFile(Path, anchors, unverifiable);
    }
}

/// <summary>Anchors the head every <c>Audit:AnchorInterval</c> (default two minutes), and sooner after an append when the last anchor is older than that.</summary>
public sealed class AuditAnchorService(AuditAnchors anchors, IOptions<AuditOptions> options, ILogger<AuditAnchorService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await anchors.WriteAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "The audit head could not be anchored; trying again at the next interval");
            }
            try
            {
                await anchors.WaitForWakeAsync(options.Value.AnchorInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>Where the audit key file and anchors live by default: the app's data folder, beside the SQLite file, never in the database.</summary>
public sealed record AuditPaths(string DataFolder, string AnchorPath);
