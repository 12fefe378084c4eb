namespace Waypoint.Data;

/// <summary>
/// A query compiled with <c>EF.CompileAsyncQuery</c>, once per database provider: a compiled query keeps
/// the SQL of the first context it ran with, and one process can hold both providers (the tests run the
/// same pages on SQLite and PostgreSQL side by side). The access policy's query filters apply to a
/// compiled query as to any other, with each request's reader (issue 18: the pages opened all day skip
/// walking and looking up their expression trees on every visit).
/// </summary>
public sealed class ProviderCompiled<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly Lazy<TQuery> postgres = new(compile);
    private readonly Lazy<TQuery> sqlite = new(compile);

    public TQuery For(WaypointDbContext db) => db.IsPostgres ? postgres.Value : sqlite.Value;
}
