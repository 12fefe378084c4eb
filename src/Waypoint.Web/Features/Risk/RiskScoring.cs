using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Risk;

/// <summary>
/// The records risk factors read, loaded through whichever reader the context has: the system
/// (scoring, which counts every record) or a reader (the explanation, which shows only their share).
/// One loader for both, so the explanation and the score cannot disagree on what a factor reads.
/// </summary>
public static class RiskFacts
{
    private const int Chunk = 1000;

    public static async Task<Dictionary<Guid, List<RiskFact>>> LoadAsync(WaypointDbContext db, IReadOnlyCollection<Guid> personIds, DateOnly today, CancellationToken ct)
    {
        var since = today.AddMonths(-RiskFactor.MaxLookBackMonths);
        var result = personIds.Distinct().ToDictionary(id => id, _ => new List<RiskFact>());
        foreach (var chunk in result.Keys.Chunk(Chunk))
        {
            foreach (var s in await db.Suspensions.AsNoTracking().Where(s => chunk.Contains(s.PersonId) && s.StartDate > since)
                         .Select(s => new { s.Id, s.PersonId, s.StartDate, s.Kind }).ToListAsync(ct))
                result[s.PersonId].Add(new RiskFact(s.Kind == ExclusionKind.PermanentExclusion ? RiskSource.PermanentExclusions : RiskSource.Suspensions, s.StartDate, s.Id));
            foreach (var a in await db.AttendanceRecords.AsNoTracking().Where(a => chunk.Contains(a.PersonId) && a.PeriodEnd > since)
                         .Select(a => new { a.Id, a.PersonId, a.PeriodEnd, a.SessionsPossible, a.SessionsPresent }).ToListAsync(ct))
                result[a.PersonId].Add(new RiskFact(RiskSource.Attendance, a.PeriodEnd, a.Id, SessionsPossible: a.SessionsPossible, SessionsPresent: a.SessionsPresent));
            foreach (var b in await db.BehaviourIncidents.AsNoTracking().Where(b => chunk.Contains(b.PersonId) && b.OccurredOn > since)
                         .Select(b => new { b.Id, b.PersonId, b.OccurredOn }).ToListAsync(ct))
                result[b.PersonId].Add(new RiskFact(RiskSource.BehaviourIncidents, b.OccurredOn, b.Id));
            foreach (var o in await db.OccurrencePeople.AsNoTracking().Where(l => chunk.Contains(l.PersonId) && l.Occurrence!.OccurredOn > since)
                         .Select(l => new { l.OccurrenceId, l.PersonId, l.Role, l.Occurrence!.OccurredOn, l.Occurrence.OffenceGroup, l.Occurrence.IncidentType }).ToListAsync(ct))
                result[o.PersonId].Add(new RiskFact(RiskSource.Occurrences, o.OccurredOn, o.OccurrenceId, o.Role, o.OffenceGroup, o.IncidentType));
            // A flag counts while it is current, whenever it was set: it is dated today for the look-back.
            foreach (var f in await db.PersonFlags.AsNoTracking().Where(f => chunk.Contains(f.PersonId)).Where(FlagRules.Counts(today))
                         .Select(f => new { f.Id, f.PersonId, f.Kind }).ToListAsync(ct))
                result[f.PersonId].Add(new RiskFact(RiskSource.Flags, today, f.Id, FlagKind: f.Kind));
        }
        return result;
    }
}

/// <summary>
/// Computes and stores scores under the published matrix: for people whose records changed (after
/// an import, an occurrence, a flag), for one person as their page is opened (so that a flag that
/// lapsed at midnight stops counting at once), and for everyone nightly. A new row is kept only
/// when the score changed, so the rows are the score's history.
/// </summary>
public sealed class RiskScoring(IServiceScopeFactory scopes, TimeProvider clock, ILogger<RiskScoring> log)
{
    public async Task<int> RecomputeAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0)
            return 0;
        await using var scope = scopes.CreateSystemScope("risk scores count every record a factor reads; a reader's explanation shows only the records they may see and counts the rest");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var matrix = await PublishedOrStarterAsync(db, ct);
        if (matrix is null)
            return 0;
        var changed = 0;
        foreach (var chunk in personIds.Distinct().Chunk(2000))
            changed += await RecomputeChunkAsync(db, audit, matrix, chunk, ct);
        return changed;
    }

    /// <summary>
    /// A person's score as of now under the published matrix, computed and not stored: what a page
    /// or the API shows, so that a flag that lapsed at midnight or was just removed counts no more
    /// without a read writing anything. Null when no matrix is published.
    /// </summary>
    public async Task<(RiskMatrixVersion Matrix, RiskResult Result)?> ComputeAsync(Guid personId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("a person's score is computed from every record a factor reads; the reader is shown only their share of the records");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        if (await PublishedAsync(db, ct) is not { } matrix)
            return null;
        // A restriction of processing (issue 16) holds on demand too: the one predicate, as the stored scores use.
        if (await db.RestrictedPeople().ContainsAsync(personId, ct))
            return null;
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var facts = await RiskFacts.LoadAsync(db, [personId], today, ct);
        return (matrix, RiskMatrixRules.Score(matrix.Factors, facts[personId], today));
    }

    /// <summary>Whether the person has restricted processing (so is not scored, on demand or stored); read past the filters so that the answer does not depend on the reader.</summary>
    public async Task<bool> IsRestrictedAsync(Guid personId, CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("whether a person restricted processing decides whether they are scored, whoever reads the page");
        return await scope.ServiceProvider.GetRequiredService<WaypointDbContext>().RestrictedPeople().ContainsAsync(personId, ct);
    }

    /// <summary>Publishes the starter matrix when the partnership has no version at all (at start-up, so that no read has to).</summary>
    public async Task EnsureStarterAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("the starter risk matrix is published once for a partnership that has none");
        await PublishedOrStarterAsync(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), ct);
    }

    /// <summary>Every young person, in chunks (the nightly run and the command line).</summary>
    public async Task<int> RecomputeEveryoneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateSystemScope("risk scores count every record a factor reads; a reader's explanation shows only the records they may see and counts the rest");
        var db = scope.ServiceProvider.GetRequiredService<WaypointDbContext>();
        var audit = scope.ServiceProvider.GetRequiredService<AuditTrail>();
        var matrix = await PublishedOrStarterAsync(db, ct);
        if (matrix is null)
            return 0;
        var changed = 0;
        Guid? after = null;
        while (true)
        {
            var q = db.People.AsNoTracking().Where(p => p.Kind == PersonKind.YoungPerson);
            if (after is { } a)
                q = q.Where(p => p.Id.CompareTo(a) > 0);
            var ids = await q.OrderBy(p => p.Id).Select(p => p.Id).Take(2000).ToListAsync(ct);
            if (ids.Count == 0)
                break;
            changed += await RecomputeChunkAsync(db, audit, matrix, ids.ToArray(), ct);
            db.ChangeTracker.Clear();
            after = ids[^1];
        }
        log.LogInformation("Risk scores recomputed: {Changed} changed", changed);
        return changed;
    }

    public static Task<RiskMatrixVersion?> PublishedAsync(WaypointDbContext db, CancellationToken ct) =>
        db.RiskMatrixVersions.AsNoTracking().Include(v => v.Factors).FirstOrDefaultAsync(v => v.Status == RiskMatrixStatus.Published, ct);

    /// <summary>The published matrix; a partnership that has published none starts with the starter matrix, which its admin then replaces.</summary>
    private async Task<RiskMatrixVersion?> PublishedOrStarterAsync(WaypointDbContext db, CancellationToken ct)
    {
        if (await PublishedAsync(db, ct) is { } published)
            return published;
        if (!await db.RiskMatrixVersions.AnyAsync(ct))
        {
            db.RiskMatrixVersions.Add(RiskMatrixRules.Starter(Guid.Empty, clock.GetUtcNow()));
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another instance seeded it first (the version number is unique).
            }
            db.ChangeTracker.Clear();
        }
        return await PublishedAsync(db, ct);
    }

    /// <summary>Scores one chunk of people by the matrix in the system's context, saving the changed scores; the number changed.</summary>
    internal async Task<int> RecomputeChunkAsync(WaypointDbContext db, AuditTrail audit, RiskMatrixVersion matrix, Guid[] ids, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // A person who restricted processing is not scored (issue 16): the one predicate; a score they had leaves the lists.
        var restricted = await db.RestrictedPeople().Where(id => ids.Contains(id)).ToListAsync(ct);
        var withdrawn = 0;
        foreach (var score in await db.RiskScores.Where(s => restricted.Contains(s.PersonId) && s.IsLatest).ToListAsync(ct))
        {
            score.IsLatest = false;
            audit.StageWrite(new AuditEvent(score.PersonId, AuditAction.Update, "risk:score withdrawn (processing restricted)", "process"));
            withdrawn++;
        }
        ids = ids.Except(restricted).ToArray();
        var facts = await RiskFacts.LoadAsync(db, ids, today, ct);
        var latest = await db.RiskScores.Where(s => ids.Contains(s.PersonId) && s.IsLatest).ToDictionaryAsync(s => s.PersonId, ct);
        var changed = withdrawn;
        foreach (var id in ids)
        {
            var result = RiskMatrixRules.Score(matrix.Factors, facts[id], today);
            var json = JsonSerializer.Serialize(result.Contributions);
            latest.TryGetValue(id, out var last);
            if (last is null && result.Offending == 0 && result.Vulnerability == 0)
                continue;
            if (last is not null && last.MatrixVersionId == matrix.Id && last.Offending == result.Offending && last.Vulnerability == result.Vulnerability && last.ContributionsJson == json)
                continue;
            if (last is not null)
                last.IsLatest = false;
            db.RiskScores.Add(new RiskScore
            {
                PersonId = id,
                MatrixVersionId = matrix.Id,
                ComputedAt = clock.GetUtcNow(),
                Offending = result.Offending,
                Vulnerability = result.Vulnerability,
                OffendingBand = matrix.BandOf(result.Offending),
                VulnerabilityBand = matrix.BandOf(result.Vulnerability),
                ContributionsJson = json,
                IsLatest = true,
            });
            audit.StageWrite(new AuditEvent(id, AuditAction.Update, $"risk:score v{matrix.Number} offending {result.Offending} vulnerability {result.Vulnerability}", "process"));
            changed++;
        }
        if (changed > 0)
            await db.SaveChangesAsync(ct);
        return changed;
    }

    public static IReadOnlyList<RiskContribution> ContributionsOf(RiskScore score) =>
        JsonSerializer.Deserialize<List<RiskContribution>>(score.ContributionsJson) ?? [];
}

/// <summary>Recomputes every score once a night (<c>Risk:NightlyAt</c>, UTC, "01:30" unless set; "off" turns it off), for what only time changes.</summary>
public sealed class NightlyRiskScoring(IServiceScopeFactory scopes, IConfiguration config, TimeProvider clock, ILogger<NightlyRiskScoring> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var setting = config["Risk:NightlyAt"] ?? "01:30";
        if (!TimeOnly.TryParse(setting, System.Globalization.CultureInfo.InvariantCulture, out var at))
            return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            var next = new DateTimeOffset(DateOnly.FromDateTime(now.UtcDateTime).ToDateTime(at), TimeSpan.Zero);
            if (next <= now)
                next = next.AddDays(1);
            await Task.Delay(next - now, clock, stoppingToken);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RiskScoring>().RecomputeEveryoneAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Tomorrow's run tries again; the service must not stop the host.
                log.LogError(e, "Nightly risk scoring failed");
            }
        }
    }
}

/// <summary>Publishes the starter matrix as the host starts (awaited, so no request or job meets a partnership without one).</summary>
public sealed class RiskMatrixStarter(RiskScoring scoring) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => scoring.EnsureStarterAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

public static class RiskServices
{
    public static IServiceCollection AddWaypointRisk(this IServiceCollection services)
    {
        services.AddSingleton<RiskScoring>();
        services.AddHostedService<RiskMatrixStarter>();
        services.AddHostedService<NightlyRiskScoring>();
        services.AddSingleton<RiskRecomputeRunner>();
        services.AddHostedService<RiskRecomputeWorker>();
        services.AddScoped<Police.OccurrenceImport>();
        services.AddScoped<Police.StreetCrimeImport>();
        services.AddScoped<Police.MatchReviewQueue>();
        services.AddScoped<Police.OccurrenceEntry>();
        services.AddScoped<RiskExplanation>();
        services.AddScoped<RiskMatrixPublishing>();
        services.AddSingleton<EqualityMonitoring>();
        return services;
    }
}
