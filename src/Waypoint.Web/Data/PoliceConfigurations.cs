using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class OccurrenceConfiguration : IEntityTypeConfiguration<Occurrence>
{
    public void Configure(EntityTypeBuilder<Occurrence> b)
    {
        b.Property(x => x.PoliceReference).HasMaxLength(Occurrence.MaxReferenceLength);
        b.Property(x => x.OffenceGroup).HasMaxLength(80);
        b.Property(x => x.OffenceSubGroup).HasMaxLength(80);
        b.Property(x => x.Location).HasMaxLength(Occurrence.MaxTextLength);
        b.Property(x => x.Outcome).HasMaxLength(Occurrence.MaxTextLength);
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        // A force's reference names one occurrence: a file sent twice finds it again rather than adding it twice.
        b.HasIndex(x => new { x.OwnerOrganisationId, x.PoliceReference }).IsUnique();
        b.HasIndex(x => x.OccurredOn);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.People).WithOne(x => x.Occurrence).HasForeignKey(x => x.OccurrenceId).OnDelete(DeleteBehavior.Cascade);
        b.ToTable("Occurrences", t => t.HasCheckConstraint("CK_Occurrences_OffenceOrIncident",
            "(\"OffenceSubGroup\" IS NULL) <> (\"IncidentType\" IS NULL)"));
    }
}

internal sealed class OccurrencePersonConfiguration : IEntityTypeConfiguration<OccurrencePerson>
{
    public void Configure(EntityTypeBuilder<OccurrencePerson> b)
    {
        b.ToTable("OccurrencePeople");
        b.HasIndex(x => new { x.OccurrenceId, x.PersonId, x.Role }).IsUnique();
        b.HasIndex(x => x.PersonId);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OccurrenceMatchReviewConfiguration : IEntityTypeConfiguration<OccurrenceMatchReview>
{
    public void Configure(EntityTypeBuilder<OccurrenceMatchReview> b)
    {
        b.Property(x => x.FileName).HasMaxLength(200);
        b.Property(x => x.PersonPoliceReference).HasMaxLength(40);
        b.Property(x => x.GivenName).HasMaxLength(100);
        b.Property(x => x.FamilyName).HasMaxLength(100);
        b.HasIndex(x => new { x.OwnerOrganisationId, x.Status });
        b.HasOne(x => x.Occurrence).WithMany().HasForeignKey(x => x.OccurrenceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.CandidatePersonId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.LinkedPersonId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PersonFlagConfiguration : IEntityTypeConfiguration<PersonFlag>
{
    public void Configure(EntityTypeBuilder<PersonFlag> b)
    {
        b.Property(x => x.Evidence).HasMaxLength(PersonFlag.MaxEvidenceLength);
        b.Property(x => x.ReviewOutcome).HasMaxLength(PersonFlag.MaxEvidenceLength);
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        b.HasIndex(x => new { x.PersonId, x.Status });
        b.HasIndex(x => x.ReviewOn);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RiskMatrixVersionConfiguration : IEntityTypeConfiguration<RiskMatrixVersion>
{
    public void Configure(EntityTypeBuilder<RiskMatrixVersion> b)
    {
        b.Property(x => x.Name).HasMaxLength(RiskMatrixVersion.MaxNameLength);
        b.Property(x => x.ChangeNote).HasMaxLength(RiskMatrixVersion.MaxChangeNoteLength);
        b.HasIndex(x => x.Number).IsUnique();
        b.HasMany(x => x.Factors).WithOne().HasForeignKey(x => x.MatrixVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RiskFactorConfiguration : IEntityTypeConfiguration<RiskFactor>
{
    public void Configure(EntityTypeBuilder<RiskFactor> b)
    {
        b.Property(x => x.Name).HasMaxLength(RiskFactor.MaxNameLength);
        b.Property(x => x.Roles).HasMaxLength(120);
        b.Property(x => x.OffenceGroup).HasMaxLength(80);
        b.Ignore(x => x.RoleList);
        b.ToTable("RiskFactors", t => t.HasCheckConstraint("CK_RiskFactors_Weight", "\"Weight\" BETWEEN 1 AND 10"));
    }
}

internal sealed class RiskScoreConfiguration : IEntityTypeConfiguration<RiskScore>
{
    public void Configure(EntityTypeBuilder<RiskScore> b)
    {
        b.Ignore(x => x.IsHigh);
        b.HasIndex(x => new { x.PersonId, x.IsLatest });
        b.HasIndex(x => new { x.IsLatest, x.OffendingBand });
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.MatrixVersion).WithMany().HasForeignKey(x => x.MatrixVersionId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class CohortReviewConfiguration : IEntityTypeConfiguration<CohortReview>
{
    public void Configure(EntityTypeBuilder<CohortReview> b)
    {
        b.Property(x => x.Rationale).HasMaxLength(CohortReview.MaxRationaleLength);
        b.HasIndex(x => new { x.PersonId, x.ReviewedAt });
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<RiskScore>().WithMany().HasForeignKey(x => x.ScoreId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class StreetCrimeCountConfiguration : IEntityTypeConfiguration<StreetCrimeCount>
{
    public void Configure(EntityTypeBuilder<StreetCrimeCount> b)
    {
        b.Property(x => x.Force).HasMaxLength(80);
        b.Property(x => x.LsoaCode).HasMaxLength(12);
        b.Property(x => x.LsoaName).HasMaxLength(80);
        b.Property(x => x.Category).HasMaxLength(60);
        // A file replaces a force's month; the page reads a month across forces.
        b.HasIndex(x => new { x.Force, x.Month, x.LsoaCode, x.Category }).IsUnique();
        b.HasIndex(x => new { x.Month, x.LsoaCode });
    }
}

internal sealed class LsoaWardConfiguration : IEntityTypeConfiguration<LsoaWard>
{
    public void Configure(EntityTypeBuilder<LsoaWard> b)
    {
        b.HasKey(x => x.LsoaCode);
        b.Property(x => x.LsoaCode).HasMaxLength(12);
        b.HasOne<Area>().WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PlaceOfConcernConfiguration : IEntityTypeConfiguration<PlaceOfConcern>
{
    public void Configure(EntityTypeBuilder<PlaceOfConcern> b)
    {
        b.Property(x => x.Name).HasMaxLength(PlaceOfConcern.MaxNameLength);
        b.Property(x => x.Evidence).HasMaxLength(PlaceOfConcern.MaxEvidenceLength);
        b.Property(x => x.ReviewOutcome).HasMaxLength(PlaceOfConcern.MaxEvidenceLength);
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        b.HasIndex(x => new { x.AreaId, x.Status });
        b.HasIndex(x => x.ReviewOn);
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PlaceOfConcernLinkConfiguration : IEntityTypeConfiguration<PlaceOfConcernLink>
{
    public void Configure(EntityTypeBuilder<PlaceOfConcernLink> b)
    {
        b.Property(x => x.Evidence).HasMaxLength(PlaceOfConcern.MaxEvidenceLength);
        b.Property(x => x.ReviewOutcome).HasMaxLength(PlaceOfConcern.MaxEvidenceLength);
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        b.HasIndex(x => new { x.PersonId, x.Status });
        b.HasIndex(x => new { x.PlaceId, x.Status });
        b.HasOne(x => x.Place).WithMany(p => p.Links).HasForeignKey(x => x.PlaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RiskSettingsConfiguration : IEntityTypeConfiguration<RiskSettings>
{
    public void Configure(EntityTypeBuilder<RiskSettings> b) => b.Property(x => x.Id).ValueGeneratedNever();
}

internal sealed class RiskRecomputeJobConfiguration : IEntityTypeConfiguration<RiskRecomputeJob>
{
    public void Configure(EntityTypeBuilder<RiskRecomputeJob> b)
    {
        b.Property(x => x.Error).HasMaxLength(400);
        // One job per version: publishing twice, or a retry, cannot queue a second run.
        b.HasIndex(x => x.MatrixVersionId).IsUnique();
        b.HasIndex(x => x.Status);
    }
}
