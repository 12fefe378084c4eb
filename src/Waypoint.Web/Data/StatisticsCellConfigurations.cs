using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class StatisticsCellCountConfiguration : IEntityTypeConfiguration<StatisticsCellCount>
{
    public void Configure(EntityTypeBuilder<StatisticsCellCount> b)
    {
        b.HasKey(x => new { x.AreaId, x.ViaWard, x.Phase });
        b.Property(x => x.Phase).HasMaxLength(40);
        // No foreign key to the area: the rows are counts, counted again whenever the register changes.
    }
}
