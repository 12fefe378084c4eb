using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Waypoint.Data;

/// <summary>
/// The statements a request has sent through EF, counted when something has put a
/// <see cref="StatementCount"/> on the request (the statements-per-request budget tests);
/// otherwise a null check per command. The audit's own appends run apart from the request, in
/// groups (AuditAppender), and are not counted here.
/// </summary>
public sealed class StatementCount
{
    private int count;

    public int Count => Volatile.Read(ref count);

    internal void Add() => Interlocked.Increment(ref count);
}

internal sealed class StatementCounter(IHttpContextAccessor http) : DbCommandInterceptor
{
    private void Count() => http.HttpContext?.Features.Get<StatementCount>()?.Add();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Count();
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Count();
        return ValueTask.FromResult(result);
    }
}
