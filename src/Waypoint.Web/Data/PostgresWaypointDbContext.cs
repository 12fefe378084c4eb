using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Waypoint.Access;

namespace Waypoint.Data;

public sealed class PostgresWaypointDbContext : WaypointDbContext
{
    /// <summary>The pool's constructor (its only public one): the context has no reader until leased.</summary>
    public PostgresWaypointDbContext(DbContextOptions<PostgresWaypointDbContext> options) : base(options)
    {
    }

    internal PostgresWaypointDbContext(DbContextOptions<PostgresWaypointDbContext> options, ReaderContext reader, TimeProvider clock) : base(options, reader, clock)
    {
    }

    public override bool IsPostgres => true;

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasPostgresExtension("pg_trgm");
    }
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresWaypointDbContext>
{
    public PostgresWaypointDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresWaypointDbContext>().UseNpgsql("Host=localhost;Database=waypoint_design").Options,
            PastTheFilters.SystemReaderContext("the EF tools build the model at design time, with no reader"), TimeProvider.System);
}
