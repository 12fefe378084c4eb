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
        // The month a "to date" cuts is read by day (ExclusionMonthCount holds the whole months).
        b.HasIndex(x => new { x.Date, x.SchoolId });
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

internal sealed class DfeExclusionFigureConfiguration : IEntityTypeConfiguration<DfeExclusionFigure>
{
    public void Configure(EntityTypeBuilder<DfeExclusionFigure> b)
    {
        b.HasIndex(x => new { x.AcademicYear, x.Level, x.Name, x.SchoolType }).IsUnique();
        b.HasIndex(x => new { x.Name, x.SchoolType });
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Code).HasMaxLength(9);
        b.Property(x => x.LaNumber).HasMaxLength(3);
        b.Property(x => x.SchoolType).HasMaxLength(20);
        b.Property(x => x.Withheld).HasMaxLength(200);
        b.Property(x => x.PermanentExclusions).HasPrecision(12, 5);
        b.Property(x => x.PermanentExclusionRate).HasPrecision(7, 2);
        b.Property(x => x.SuspensionRate).HasPrecision(7, 2);
        b.Property(x => x.PupilsSuspendedRate).HasPrecision(7, 2);
        b.HasOne<DfeImport>().WithMany().HasForeignKey(x => x.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DfeImportConfiguration : IEntityTypeConfiguration<DfeImport>
{
    public void Configure(EntityTypeBuilder<DfeImport> b)
    {
        b.Property(x => x.FileName).HasMaxLength(260);
        b.Property(x => x.Sha256).HasMaxLength(64);
        b.HasOne<Identity.WaypointUser>().WithMany().HasForeignKey(x => x.ImportedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class BenchmarkAuthorityConfiguration : IEntityTypeConfiguration<BenchmarkAuthority>
{
    public void Configure(EntityTypeBuilder<BenchmarkAuthority> b)
    {
        b.HasKey(x => x.Name);
        b.Property(x => x.Name).HasMaxLength(100);
        b.Property(x => x.Source).HasMaxLength(400);
        b.Property(x => x.Code).HasMaxLength(9);
        b.HasOne<Identity.WaypointUser>().WithMany().HasForeignKey(x => x.ChosenByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class OutcomeMeasureConfiguration : IEntityTypeConfiguration<OutcomeMeasure>
{
    public void Configure(EntityTypeBuilder<OutcomeMeasure> b)
    {
        b.Property(x => x.Name).HasMaxLength(OutcomeMeasure.MaxNameLength);
        b.HasIndex(x => x.Name).IsUnique();
        b.HasOne<Identity.WaypointUser>().WithMany().HasForeignKey(x => x.DefinedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
