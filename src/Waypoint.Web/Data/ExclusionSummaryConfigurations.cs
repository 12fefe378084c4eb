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
        // As the register's columns (Organisation's configuration).
        b.Property(x => x.Name).HasMaxLength(160);
        b.Property(x => x.Urn).HasMaxLength(6);
        // The school table's orders, each an index walk (wave 23b): by name (either way: the index walked
        // backwards), and by each count column largest or smallest first with ties in name, URN, key order.
        // The table's count of the schools of a county's (or a district's) areas.
        b.HasIndex(x => new { x.AreaId, x.IsSchool }).HasDatabaseName("IX_ExclusionSchoolToDates_AreaId");
        b.HasIndex(x => new { x.Name, x.Urn, x.SchoolId }).HasDatabaseName("IX_ExclusionSchoolToDates_Name");
        b.HasIndex(x => new { x.SuspensionsThisYear, x.Name, x.Urn, x.SchoolId }).HasDatabaseName("IX_ExclusionSchoolToDates_SuspensionsThisYear");
        b.HasIndex(x => new { x.SuspensionsThisYear, x.Name, x.Urn, x.SchoolId }, "IX_ExclusionSchoolToDates_SuspensionsThisYear_Desc").IsDescending(true, false, false, false);
        b.HasIndex(x => new { x.SuspensionsLastYear, x.Name, x.Urn, x.SchoolId }).HasDatabaseName("IX_ExclusionSchoolToDates_SuspensionsLastYear");
        b.HasIndex(x => new { x.SuspensionsLastYear, x.Name, x.Urn, x.SchoolId }, "IX_ExclusionSchoolToDates_SuspensionsLastYear_Desc").IsDescending(true, false, false, false);
        b.HasIndex(x => new { x.ExclusionsThisYear, x.Name, x.Urn, x.SchoolId }).HasDatabaseName("IX_ExclusionSchoolToDates_ExclusionsThisYear");
        b.HasIndex(x => new { x.ExclusionsThisYear, x.Name, x.Urn, x.SchoolId }, "IX_ExclusionSchoolToDates_ExclusionsThisYear_Desc").IsDescending(true, false, false, false);
        b.HasIndex(x => new { x.ExclusionsLastYear, x.Name, x.Urn, x.SchoolId }).HasDatabaseName("IX_ExclusionSchoolToDates_ExclusionsLastYear");
        b.HasIndex(x => new { x.ExclusionsLastYear, x.Name, x.Urn, x.SchoolId }, "IX_ExclusionSchoolToDates_ExclusionsLastYear_Desc").IsDescending(true, false, false, false);
    }
}
