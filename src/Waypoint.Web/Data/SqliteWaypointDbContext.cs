using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Waypoint.Access;

namespace Waypoint.Data;

public sealed class SqliteWaypointDbContext : WaypointDbContext
{
    /// <summary>The pool's constructor (its only public one): the context has no reader until leased.</summary>
    public SqliteWaypointDbContext(DbContextOptions<SqliteWaypointDbContext> options) : base(options)
    {
    }

    internal SqliteWaypointDbContext(DbContextOptions<SqliteWaypointDbContext> options, ReaderContext reader, TimeProvider clock) : base(options, reader, clock)
    {
    }

    public override bool IsPostgres => false;

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        base.ConfigureConventions(builder);
        // SQLite cannot order or compare DateTimeOffset natively; store it as UTC ticks.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }
}

internal sealed class UtcTicksConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteWaypointDbContext>
{
    public SqliteWaypointDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteWaypointDbContext>().UseSqlite("Data Source=design.db").Options,
            PastTheFilters.SystemReaderContext("the EF tools build the model at design time, with no reader"), TimeProvider.System);
}
