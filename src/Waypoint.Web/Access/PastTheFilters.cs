using Microsoft.EntityFrameworkCore;
using Waypoint.Data;

namespace Waypoint.Access;

/// <summary>
/// The one way past the access policy's query filters. Each use names why it may read what the
/// current reader could not (a count of withheld notes, a job acting for the partnership, the
/// matching of an import), so that every exception to the policy can be listed and reviewed:
/// an architecture test (tests/Waypoint.Tests/Access/PastTheFiltersTests.cs) finds every call
/// and fails on one it has not been told about, and on any IgnoreQueryFilters or switch to the
/// system reader outside this file.
/// </summary>
public static class PastTheFilters
{
    /// <summary>A set read without the access policy's filters, for the stated reason.</summary>
    public static IQueryable<T> Unfiltered<T>(this WaypointDbContext db, string reason) where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return db.Set<T>().IgnoreQueryFilters();
    }

    /// <summary>
    /// A set read without its own filter, for the stated reason, every other set of the query keeping theirs: EF ignores
    /// only the filter named <see cref="AccessPolicy.OwnFilterKey{T}"/> (<c>Unfiltered</c> lifts every filter of the query it
    /// starts). Only a type whose filter the policy names lifts anything; for any other the set stays filtered (fails closed).
    /// The caller applies the rest of the lifted rule itself (the part another set's filter in the same query does not decide).
    /// </summary>
    public static IQueryable<T> WithoutItsFilter<T>(this WaypointDbContext db, string reason) where T : class
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return db.Set<T>().IgnoreQueryFilters([AccessPolicy.OwnFilterKey<T>()]);
    }

    /// <summary>
    /// A raw SQL read, which no query filter reaches, for the stated reason (the import's matching
    /// probes, planner statistics). Its SQL must apply any restriction itself.
    /// </summary>
    public static IQueryable<T> RawSql<T>(this WaypointDbContext db, string reason, FormattableString sql)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return db.Database.SqlQuery<T>(sql);
    }

    /// <summary>
    /// A raw SQL read, for the stated reason, sent in the round trip of the next query the context runs (<see cref="RidingRead{T}"/>):
    /// its rows are there once that query's reader has closed, or null if it did not ride (then read it apart, by <see cref="RawSql{T}"/>).
    /// Its SQL must apply any restriction itself, as <see cref="RawSql{T}"/>'s.
    /// </summary>
    public static RidingRead<T> RawSqlInNextRead<T>(this WaypointDbContext db, string reason, FormattableString sql, Func<System.Data.Common.DbDataReader, T> read)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var ride = new RidingRead<T>(sql, read);
        ride.RideWithNextRead(db);
        return ride;
    }

    /// <summary>
    /// A new service scope whose reader is the system itself (background jobs, seeding, the audit
    /// trail's own appends, commands), for the stated reason. The caller disposes it.
    /// </summary>
    public static AsyncServiceScope CreateSystemScope(this IServiceScopeFactory scopes, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        return scope;
    }

    /// <summary>A reader context for the system alone, for code outside any service scope (the EF design-time factories).</summary>
    public static ReaderContext SystemReaderContext(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return new ReaderContext { Current = Reader.System };
    }

    /// <summary>Makes the system the reader of an existing scope (a command's or a job's own), for the stated reason.</summary>
    public static void ActAsSystem(this IServiceProvider services, string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        services.GetRequiredService<ReaderContext>().Current = Reader.System;
    }
}
