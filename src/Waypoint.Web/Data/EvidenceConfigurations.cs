using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class ExclusionDayCountConfiguration : IEntityTypeConfiguration<ExclusionDayCount>
{
    public void Configure(EntityTypeBuilder<ExclusionDayCount> b)
    {
        b.HasKey(x => new { x.SchoolId, x.Date, x.Kind, x.ReasonCode });
        b.Property(x => x.ReasonCode).HasMaxLength(2);
        b.HasIndex(x => new { x.AcademicYear, x.SchoolId });
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ExclusionPupilCountConfiguration : IEntityTypeConfiguration<ExclusionPupilCount>
{
    public void Configure(EntityTypeBuilder<ExclusionPupilCount> b)
    {
        b.HasKey(x => new { x.SchoolId, x.AcademicYear, x.Term });
        b.HasIndex(x => new { x.AcademicYear, x.Term });
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class CensusHeadcountConfiguration : IEntityTypeConfiguration<CensusHeadcount>
{
    public void Configure(EntityTypeBuilder<CensusHeadcount> b)
    {
        b.HasKey(x => new { x.SchoolId, x.AcademicYear });
        b.HasIndex(x => x.AcademicYear);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StatisticsPublicationConfiguration : IEntityTypeConfiguration<StatisticsPublication>
{
    public void Configure(EntityTypeBuilder<StatisticsPublication> b)
    {
        b.Ignore(x => x.IsRevision);
        b.HasIndex(x => new { x.AcademicYear, x.Version }).IsUnique();
        b.Property(x => x.RevisionNote).HasMaxLength(1000);
        b.HasOne<Identity.WaypointUser>().WithMany().HasForeignKey(x => x.PublishedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
