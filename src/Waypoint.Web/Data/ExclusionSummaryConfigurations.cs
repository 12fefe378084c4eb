using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class ExclusionMonthCountConfiguration : IEntityTypeConfiguration<ExclusionMonthCount>
{
    public void Configure(EntityTypeBuilder<ExclusionMonthCount> b)
    {
        b.HasKey(x => new { x.SchoolId, x.Month, x.Kind });
        b.HasIndex(x => new { x.Month, x.SchoolId });
        b.HasIndex(x => new { x.AcademicYear, x.SchoolId });
        // As the day rows: a school removed takes its counts with it.
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExclusionReasonDayCountConfiguration : IEntityTypeConfiguration<ExclusionReasonDayCount>
{
    public void Configure(EntityTypeBuilder<ExclusionReasonDayCount> b)
    {
        b.HasKey(x => new { x.Date, x.Kind, x.ReasonCode });
        b.Property(x => x.ReasonCode).HasMaxLength(2);
        b.HasIndex(x => x.AcademicYear);
    }
}

internal sealed class ExclusionAreaMonthCountConfiguration : IEntityTypeConfiguration<ExclusionAreaMonthCount>
{
    public void Configure(EntityTypeBuilder<ExclusionAreaMonthCount> b)
    {
        // Month first: the dashboard reads a range of months for the areas of one county.
        b.HasKey(x => new { x.Month, x.AreaId, x.Phase, x.Kind });
        b.Property(x => x.Phase).HasMaxLength(40);
        // No foreign key to the area: the rows are counts, and an area is not removed while schools are in it.
    }
}

internal sealed class ExclusionAreaDayCountConfiguration : IEntityTypeConfiguration<ExclusionAreaDayCount>
{
    public void Configure(EntityTypeBuilder<ExclusionAreaDayCount> b)
    {
        b.HasKey(x => new { x.Date, x.AreaId, x.Phase, x.Kind });
        b.Property(x => x.Phase).HasMaxLength(40);
    }
}

internal sealed class ExclusionSchoolToDateConfiguration : IEntityTypeConfiguration<ExclusionSchoolToDate>
{
    public void Configure(EntityTypeBuilder<ExclusionSchoolToDate> b)
    {
        b.HasKey(x => x.SchoolId);
        // As the day rows: a school removed takes its counts with it.
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}
