namespace Waypoint.Features.Schools;

/// <summary>
/// Told after school records of some pupils were added or changed (manual entry, an import), once
/// the change is committed. Early-warning rules listen here, so every way in triggers them alike.
/// </summary>
public interface ISchoolRecordsChangedHandler
{
    Task HandleAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct);
}

/// <summary>Calls every registered handler; what writes school records calls this.</summary>
public sealed class SchoolRecordsChanged(IEnumerable<ISchoolRecordsChangedHandler> handlers)
{
    public async Task NotifyAsync(IReadOnlyCollection<Guid> personIds, CancellationToken ct)
    {
        if (personIds.Count == 0)
            return;
        foreach (var handler in handlers)
            await handler.HandleAsync(personIds, ct);
    }
}
