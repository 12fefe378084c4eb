using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Data;

internal sealed class AreaConfiguration : IEntityTypeConfiguration<Area>
{
    public void Configure(EntityTypeBuilder<Area> b)
    {
        b.Property(x => x.Name).HasMaxLength(120);
        b.Property(x => x.Code).HasMaxLength(12);
        b.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(x => x.Name).HasMaxLength(160);
        b.Property(x => x.Urn).HasMaxLength(6);
        b.Property(x => x.DfeNumber).HasMaxLength(8);
        b.Property(x => x.PoliceForce).HasMaxLength(120);
        b.Property(x => x.PoliceUnit).HasMaxLength(120);
        b.HasIndex(x => x.Urn).IsUnique();
        b.HasIndex(x => x.Name);
        // Also on lower("Name"), "IX_Organisations_LowerName" (migration Wave21dOrganisationsLowerNameIndex, both providers):
        // the dashboard's shared-names read asks lower("Name") IN a page's names. EF's model cannot hold an expression index,
        // so the migration creates it in SQL; a SQLite table rebuild of Organisations must create it again.
        // The inclusion dashboard reads the districts and phases a county's schools fall in (issue 15): by area, the phase and type in the index.
        b.HasIndex(x => new { x.AreaId, x.Phase, x.Type });
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.SafeguardingLeadUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class PartnershipRoleGrantConfiguration : IEntityTypeConfiguration<PartnershipRoleGrant>
{
    public void Configure(EntityTypeBuilder<PartnershipRoleGrant> b)
    {
        b.HasIndex(x => x.UserId);
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<WaypointUser>
{
    public void Configure(EntityTypeBuilder<WaypointUser> b)
    {
        b.Property(x => x.DisplayName).HasMaxLength(120);
        b.Property(x => x.JobTitle).HasMaxLength(120);
        b.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PersonConfiguration : IEntityTypeConfiguration<Person>
{
    public void Configure(EntityTypeBuilder<Person> b)
    {
        b.Property(x => x.GivenName).HasMaxLength(100);
        b.Property(x => x.FamilyName).HasMaxLength(100);
        b.Property(x => x.PreferredName).HasMaxLength(100);
        b.Property(x => x.MiddleNames).HasMaxLength(200);
        b.Property(x => x.PreferredFamilyName).HasMaxLength(100);
        b.Property(x => x.SearchGivenName).HasMaxLength(100);
        b.Property(x => x.SearchFamilyName).HasMaxLength(100);
        b.Property(x => x.GivenNameKey).HasMaxLength(20);
        b.Property(x => x.FamilyNameKey).HasMaxLength(20);
        b.HasIndex(x => x.FamilyNameKey);
        b.HasIndex(x => x.GivenNameKey);
        // Search matches name prefixes (LIKE 'abc%'). PostgreSQL answers that from a b-tree only
        // with the pattern operator class when the database collation is not C; without these a
        // search at a million people walks the whole table (bench/README.md). SQLite ignores them.
        b.HasIndex(x => x.SearchFamilyName).HasOperators("varchar_pattern_ops");
        b.HasIndex(x => x.SearchGivenName).HasOperators("varchar_pattern_ops");
        // Search's best matches among more people than it sorts (PersonSearch.ExactFirstAsync): everyone
        // named exactly as typed, read in name order and only as far as the page reaches.
        b.HasIndex(x => new { x.SearchFamilyName, x.SearchGivenName, x.Id }).HasDatabaseName("IX_People_SearchNames_Ordered");
        b.HasIndex(x => new { x.SearchGivenName, x.SearchFamilyName, x.Id }).HasDatabaseName("IX_People_SearchGivenFamily_Ordered");
        b.Property(x => x.SearchFamilyPrefix).HasMaxLength(3);
        // Date of birth leads both: search by birthday uses either, and the duplicate rules look a
        // birthday up with a sound-alike key or a name's first letters (PupilMatcher).
        b.HasIndex(x => new { x.DateOfBirth, x.FamilyNameKey });
        b.HasIndex(x => new { x.DateOfBirth, x.SearchFamilyPrefix });
        b.HasIndex(x => x.AreaId);
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Household).WithMany().HasForeignKey(x => x.HouseholdId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Identifiers).WithOne(x => x.Person).HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HouseholdConfiguration : IEntityTypeConfiguration<Household>
{
    public void Configure(EntityTypeBuilder<Household> b)
    {
        b.Property(x => x.AddressLine1).HasMaxLength(120);
        b.Property(x => x.AddressLine2).HasMaxLength(120);
        b.Property(x => x.Town).HasMaxLength(80);
        b.Property(x => x.Postcode).HasMaxLength(10);
        b.HasOne<Area>().WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PersonIdentifierConfiguration : IEntityTypeConfiguration<PersonIdentifier>
{
    public void Configure(EntityTypeBuilder<PersonIdentifier> b)
    {
        b.Property(x => x.Value).HasMaxLength(40);
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        b.HasIndex(x => new { x.Scheme, x.Value });
        // A UPN is one pupil's for life: two people holding one is a duplicate to merge, never two children.
        b.HasIndex(x => x.Value).IsUnique().HasFilter("\"Scheme\" = 'Upn'").HasDatabaseName("IX_PersonIdentifiers_Upn");
        b.HasIndex(x => x.PersonId);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class PersonRelationshipConfiguration : IEntityTypeConfiguration<PersonRelationship>
{
    public void Configure(EntityTypeBuilder<PersonRelationship> b)
    {
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        b.HasIndex(x => x.PersonId);
        b.HasIndex(x => x.RelatedPersonId);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.RelatedPerson).WithMany().HasForeignKey(x => x.RelatedPersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class EnrolmentConfiguration : IEntityTypeConfiguration<Enrolment>
{
    public void Configure(EntityTypeBuilder<Enrolment> b)
    {
        b.Ignore(x => x.OwnerOrganisationId);
        b.Ignore(x => x.CategoryCode);
        b.HasIndex(x => new { x.PersonId, x.SchoolId });
        b.HasIndex(x => new { x.SchoolId, x.PersonId });
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.SenPrimaryNeed).HasMaxLength(4);
        b.Property(x => x.EnrolStatus).HasMaxLength(1);
        b.Property(x => x.LeavingReason).HasMaxLength(EnrolmentLimits.LeavingReasonLength);
    }
}

internal sealed class PupilCharacteristicsConfiguration : IEntityTypeConfiguration<PupilCharacteristics>
{
    public void Configure(EntityTypeBuilder<PupilCharacteristics> b)
    {
        b.Ignore(x => x.OwnerOrganisationId);
        b.Ignore(x => x.CategoryCode);
        b.HasIndex(x => new { x.PersonId, x.SchoolId }).IsUnique();
        b.HasIndex(x => x.SchoolId);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Sex).HasConversion<string>().HasMaxLength(10);
        b.Property(x => x.Ethnicity).HasMaxLength(4);
        b.Property(x => x.SenProvision).HasMaxLength(1);
    }
}

internal sealed class PupilCharacteristicsChangeConfiguration : IEntityTypeConfiguration<PupilCharacteristicsChange>
{
    public void Configure(EntityTypeBuilder<PupilCharacteristicsChange> b)
    {
        b.Ignore(x => x.OwnerOrganisationId);
        b.Ignore(x => x.CategoryCode);
        b.HasIndex(x => new { x.PersonId, x.SchoolId, x.ChangedAt });
        b.HasIndex(x => x.SchoolId);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.School).WithMany().HasForeignKey(x => x.SchoolId).OnDelete(DeleteBehavior.Restrict);
        b.Property(x => x.Source).HasMaxLength(PupilCharacteristicsChange.SourceLength);
        b.Property(x => x.Field).HasMaxLength(30);
        b.Property(x => x.From).HasMaxLength(PupilCharacteristicsChange.ValueLength);
        b.Property(x => x.To).HasMaxLength(PupilCharacteristicsChange.ValueLength);
    }
}

internal sealed class InvolvementConfiguration : IEntityTypeConfiguration<Involvement>
{
    public void Configure(EntityTypeBuilder<Involvement> b)
    {
        b.Property(x => x.Reason).HasMaxLength(500);
        b.ToTable(t => t.HasCheckConstraint("CK_Involvements_EndOrReview", "\"EndDate\" IS NOT NULL OR \"ReviewOn\" IS NOT NULL"));
        b.HasIndex(x => new { x.PersonId, x.OrganisationId });
        b.HasIndex(x => new { x.OrganisationId, x.PersonId });
        // The Case filter's "a current involvement of the reader's organisation sourced from the case" (issue 18, wave
        // 18e): without it PostgreSQL hashed every involvement of a non-hub reader's organisation (a youth service, a
        // school) on each statement through the Case filter; with it, a case is one probe. The case's team, a lead's
        // transfer and retention read the involvements by their source too.
        b.HasIndex(x => new { x.SourceId, x.OrganisationId });
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class BreakGlassGrantConfiguration : IEntityTypeConfiguration<BreakGlassGrant>
{
    public void Configure(EntityTypeBuilder<BreakGlassGrant> b)
    {
        b.Property(x => x.Reason).HasMaxLength(1000);
        b.Property(x => x.ReviewNote).HasMaxLength(1000);
        b.HasIndex(x => new { x.PersonId, x.UserId });
        b.HasIndex(x => x.ReviewedAt);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RecordCategoryConfiguration : IEntityTypeConfiguration<RecordCategory>
{
    public void Configure(EntityTypeBuilder<RecordCategory> b)
    {
        b.HasKey(x => x.Code);
        b.Property(x => x.Code).HasMaxLength(40);
        b.Property(x => x.Name).HasMaxLength(80);
        b.Property(x => x.Description).HasMaxLength(500);
    }
}

internal sealed class SharingAgreementVersionConfiguration : IEntityTypeConfiguration<SharingAgreementVersion>
{
    public void Configure(EntityTypeBuilder<SharingAgreementVersion> b)
    {
        b.Property(x => x.Title).HasMaxLength(200);
        b.Property(x => x.Summary).HasMaxLength(2000);
        b.HasIndex(x => x.Number).IsUnique();
        b.HasMany(x => x.Rules).WithOne(x => x.AgreementVersion).HasForeignKey(x => x.AgreementVersionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SharingRuleConfiguration : IEntityTypeConfiguration<SharingRule>
{
    public void Configure(EntityTypeBuilder<SharingRule> b)
    {
        b.Property(x => x.CategoryCode).HasMaxLength(40);
        b.HasIndex(x => new { x.AgreementVersionId, x.ReaderType, x.OwnerType, x.CategoryCode }).IsUnique();
        b.HasOne<RecordCategory>().WithMany().HasForeignKey(x => x.CategoryCode).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(x => x.Subject).HasMaxLength(200);
        b.Property(x => x.Basis).HasMaxLength(200);
        b.Property(x => x.Channel).HasMaxLength(10);
        b.Property(x => x.PreviousHash).HasMaxLength(64);
        b.Property(x => x.Hash).HasMaxLength(64);
        b.HasIndex(x => x.OccurredAt);
        b.HasIndex(x => new { x.PersonId, x.OccurredAt });
        b.HasIndex(x => new { x.UserId, x.OccurredAt });
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.Property(x => x.FriendlyName).HasMaxLength(200);
    }
}
