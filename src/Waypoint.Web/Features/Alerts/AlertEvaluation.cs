using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Notifications;
using Waypoint.Features.Schools;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Alerts;

/// <summary>An alert the rules call for: its trigger key decides whether it already exists.</summary>
public sealed record AlertCandidate(Guid PersonId, EarlyWarning Warning, int ThresholdValue)
{
    public string TriggerKey => AlertEvaluator.TriggerKey(Warning.Rule, PersonId, Warning.Period);
}

/// <summary>
/// Runs the early-warning rules over pupils' school records and raises what they call for. Runs
/// as the system (a pupil's records from every school count, whoever's change set it off), in
/// batches. Idempotent: an alert is keyed by its trigger, so running again, or twice at once,
/// raises nothing new.
/// </summary>
public sealed class AlertEvaluator(WaypointDbContext db, AlertRaiser raiser, TimeProvider clock)
{
    public const int BatchSize = 500;

    /// <summary>
    /// Early warnings look forward: a trigger dated more than a rolling term before the run is
    /// history, not a warning, and raises nothing (an import of last year's records stays quiet).
    /// </summary>
    public const int RecentDays = RepeatedSuspensionRule.RollingTermDays;

    /// <summary>How far back records are read: the academic year so far, or the rolling windows behind a recent trigger, whichever is longer.</summary>
    private const int LookBackDays = 400;

    public static string TriggerKey(AlertRule rule, Guid personId, string period) =>
        $"{AlertRules.Of(rule).Slug}:{personId:N}:{period}";

    /// <summary>Evaluates the given pupils; returns how many alerts were raised.</summary>
    public async Task<int> EvaluateAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        if (!db.Reader.IsSystem)
            throw new InvalidOperationException("Alerts are evaluated as the system: every school's records count.");
        var settings = (await AlertRules.LoadAsync(db, ct)).Where(s => s.Enabled).ToList();
        if (settings.Count == 0)
            return 0;
        var raised = 0;
        foreach (var chunk in personIds.Distinct().Chunk(BatchSize))
        {
            // A person who restricted processing is not alerted on (issue 16): the one predicate.
            var restricted = await db.RestrictedPeople().Where(id => chunk.Contains(id)).ToListAsync(ct);
            var batch = chunk.Except(restricted).ToArray();
            if (batch.Length > 0)
                raised += await EvaluateBatchAsync(batch, settings, ct);
        }
        return raised;
    }

    /// <summary>Evaluates every pupil with recent school records (the daily run and <c>alerts evaluate</c>).</summary>
    public async Task<int> EvaluateEveryoneAsync(CancellationToken ct)
    {
        if (!db.Reader.IsSystem)
            throw new InvalidOperationException("Alerts are evaluated as the system: every school's records count.");
        var since = Today.AddDays(-LookBackDays);
        var ids = await db.Suspensions.AsNoTracking().Where(s => s.StartDate >= since).Select(s => s.PersonId)
            .Union(db.AttendanceRecords.AsNoTracking().Where(a => a.PeriodEnd >= since).Select(a => a.PersonId))
            .ToListAsync(ct);
        return await EvaluateAsync(ids.Order().ToList(), ct);
    }

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private async Task<int> EvaluateBatchAsync(Guid[] ids, IReadOnlyList<AlertSetting> settings, CancellationToken ct)
    {
        var today = Today;
        var since = today.AddDays(-LookBackDays);
        var suspensions = (await db.Suspensions.AsNoTracking().Where(s => ids.Contains(s.PersonId) && s.StartDate >= since).ToListAsync(ct))
            .ToLookup(s => s.PersonId, SuspensionFacts.Of);
        var attendance = (await db.AttendanceRecords.AsNoTracking().Where(a => ids.Contains(a.PersonId) && a.PeriodEnd >= since)
                .Select(a => new { a.PersonId, a.SchoolId, a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.AuthorisedAbsence, a.UnauthorisedAbsence })
                .ToListAsync(ct))
            .ToLookup(a => a.PersonId, a => new AttendancePeriodFacts(a.SchoolId, a.PeriodStart, a.PeriodEnd, a.SessionsPossible, a.AuthorisedAbsence + a.UnauthorisedAbsence));

        var candidates = new List<AlertCandidate>();
        foreach (var id in ids)
        {
            foreach (var setting in settings)
            {
                IEnumerable<EarlyWarning> warnings = setting.Rule switch
                {
                    AlertRule.RepeatedSuspensions => RepeatedSuspensionRule.Evaluate(suspensions[id], setting.Value),
                    AlertRule.SuspensionDaysInTerm => SuspensionDaysInTermRule.Evaluate(suspensions[id], setting.Value),
                    AlertRule.PersistentAbsence => PersistentAbsenceRule.Evaluate(attendance[id], setting.Value, today) is { } w ? [w] : [],
                    AlertRule.AttendanceFall => AttendanceFallRule.Evaluate(attendance[id], setting.Value) is { } w ? [w] : [],
                    AlertRule.PermanentExclusion => PermanentExclusionRule.Evaluate(suspensions[id]),
                    _ => [],
                };
                candidates.AddRange(warnings.Where(w => w.TriggeredOn >= today.AddDays(-RecentDays))
                    .Select(w => new AlertCandidate(id, w, setting.Value)));
            }
        }
        if (candidates.Count == 0)
            return 0;
        var keys = candidates.Select(c => c.TriggerKey).ToList();
        var existing = (await db.Alerts.AsNoTracking().Where(a => keys.Contains(a.TriggerKey)).Select(a => a.TriggerKey).ToListAsync(ct)).ToHashSet();
        var raised = 0;
        foreach (var candidate in candidates.Where(c => !existing.Contains(c.TriggerKey)))
        {
            if (await raiser.RaiseAsync(candidate, ct) is not null)
                raised++;
        }
        return raised;
    }
}

/// <summary>
/// Stores one alert if its trigger has none yet, then audits it and tells its recipients. The
/// unique index on the trigger key is what guarantees one alert per trigger: an evaluation that
/// loses a race to another gets the database's refusal, which here means "already raised".
/// </summary>
public sealed class AlertRaiser(WaypointDbContext db, AlertRecipients recipients, INotifier notifier, AuditTrail audit, TimeProvider clock)
{
    public async Task<Alert?> RaiseAsync(AlertCandidate candidate, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var alert = new Alert
        {
            PersonId = candidate.PersonId,
            SchoolId = candidate.Warning.SchoolId,
            Rule = candidate.Warning.Rule,
            TriggerKey = candidate.TriggerKey,
            TriggeredOn = candidate.Warning.TriggeredOn,
            Figures = candidate.Warning.Figures.Length <= Alert.MaxFiguresLength ? candidate.Warning.Figures : candidate.Warning.Figures[..Alert.MaxFiguresLength],
            ThresholdValue = candidate.ThresholdValue,
            Status = AlertStatus.New,
            RaisedAt = now,
        };
        alert.Events.Add(new AlertEvent { AlertId = alert.Id, Kind = AlertEventKind.Raised, At = now });
        audit.StageWrite(new AuditEvent(alert.PersonId, AuditAction.Create, "alert", "system: early-warning rule"));
        if (!await InsertIfAbsentAsync(alert, ct))
            return null;
        var users = await recipients.ForAsync(alert, ct);
        if (users.Count > 0)
        {
            var school = await db.Organisations.AsNoTracking().Where(o => o.Id == alert.SchoolId).Select(o => o.Name).FirstAsync(ct);
            var rule = AlertRules.Of(alert.Rule).Name.ToLowerInvariant();
            await notifier.NotifyAsync(new Notice(users, $"New alert: {rule}", $"A new alert about a pupil at {school}: {rule}.", $"/alerts/{alert.Id}", "alert"), ct);
        }
        return alert;
    }

    /// <summary>True when this call stored the alert; false when one with its trigger key was already there.</summary>
    public async Task<bool> InsertIfAbsentAsync(Alert alert, CancellationToken ct)
    {
        db.Alerts.Add(alert);
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (IsDuplicateTrigger(e))
        {
            return false;
        }
        finally
        {
            // A refused insert must not ride along with the next save (the notices'); a stored one needs no tracking.
            db.ChangeTracker.Clear();
        }
    }

    private static bool IsDuplicateTrigger(DbUpdateException e) => e.InnerException switch
    {
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation && pg.ConstraintName?.Contains(nameof(Alert.TriggerKey), StringComparison.Ordinal) == true,
        // SQLITE_CONSTRAINT_UNIQUE, naming the column ("UNIQUE constraint failed: Alerts.TriggerKey").
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067 && sqlite.Message.Contains(nameof(Alert.TriggerKey), StringComparison.Ordinal),
        _ => false,
    };
}

/// <summary>
/// Evaluates the pupils whose school records just changed (manual entry, imports). In a scope of
/// its own as the system: the writer's reader may not see the pupil's other schools' records.
/// </summary>
public sealed class EarlyWarningOnRecordsChanged(IServiceScopeFactory scopes, ILogger<EarlyWarningOnRecordsChanged> log) : ISchoolRecordsChangedHandler
{
    public async Task HandleAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.ActAsSystem("the early-warning rules run for every pupil, as the system");
        try
        {
            await scope.ServiceProvider.GetRequiredService<AlertEvaluator>().EvaluateAsync(personIds, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The records are already saved and must stay so; the daily run raises whatever this missed.
            log.LogError(e, "Early-warning evaluation failed after a change to the school records of {Count} pupils", personIds.Count);
        }
    }
}
