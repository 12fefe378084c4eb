using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class ServiceConfiguration : IEntityTypeConfiguration<Service>
{
    public void Configure(EntityTypeBuilder<Service> b)
    {
        b.Property(x => x.Name).HasMaxLength(Service.MaxNameLength);
        b.Property(x => x.Description).HasMaxLength(Service.MaxDescriptionLength);
        b.Property(x => x.HowToRefer).HasMaxLength(Service.MaxHowToReferLength);
        b.Property(x => x.Cost).HasMaxLength(Service.MaxShortTextLength);
        b.Property(x => x.ContactName).HasMaxLength(Service.MaxNameLength);
        b.Property(x => x.Email).HasMaxLength(Service.MaxNameLength);
        b.Property(x => x.Phone).HasMaxLength(40);
        b.Property(x => x.Website).HasMaxLength(Service.MaxShortTextLength);
        b.Property(x => x.OpeningTimes).HasMaxLength(Service.MaxShortTextLength);
        b.Property(x => x.OfstedUrn).HasMaxLength(7);
        b.Ignore(x => x.HasPlaces);
        b.HasOne(x => x.ProviderOrganisation).WithMany().HasForeignKey(x => x.ProviderOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Areas).WithOne().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Needs).WithOne().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Cascade);
        // The feed lists published services by name; the directory filters by provider.
        b.HasIndex(x => new { x.QaStatus, x.Name });
        b.HasIndex(x => x.ProviderOrganisationId);
        b.ToTable("Services", t =>
        {
            t.HasCheckConstraint("CK_Services_Places", "\"Places\" >= 0 AND \"Occupied\" >= 0 AND \"WaitingList\" >= 0");
            t.HasCheckConstraint("CK_Services_Ages", "\"MinimumAge\" IS NULL OR \"MaximumAge\" IS NULL OR \"MinimumAge\" <= \"MaximumAge\"");
        });
    }
}

internal sealed class ServiceAreaConfiguration : IEntityTypeConfiguration<ServiceArea>
{
    public void Configure(EntityTypeBuilder<ServiceArea> b)
    {
        b.ToTable("ServiceAreas");
        b.HasKey(x => new { x.ServiceId, x.AreaId });
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.AreaId);
    }
}

internal sealed class ServiceNeedConfiguration : IEntityTypeConfiguration<ServiceNeed>
{
    public void Configure(EntityTypeBuilder<ServiceNeed> b)
    {
        b.ToTable("ServiceNeeds");
        b.HasKey(x => new { x.ServiceId, x.TaxonomyTermId });
        b.HasOne(x => x.Term).WithMany().HasForeignKey(x => x.TaxonomyTermId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.TaxonomyTermId);
    }
}

internal sealed class TaxonomyConfiguration : IEntityTypeConfiguration<Taxonomy>
{
    public void Configure(EntityTypeBuilder<Taxonomy> b)
    {
        b.ToTable("Taxonomies");
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.Uri).HasMaxLength(500);
        b.Property(x => x.Version).HasMaxLength(40);
        b.HasData(NeedsTaxonomy.Taxonomy);
    }
}

internal sealed class TaxonomyTermConfiguration : IEntityTypeConfiguration<TaxonomyTerm>
{
    public void Configure(EntityTypeBuilder<TaxonomyTerm> b)
    {
        b.ToTable("TaxonomyTerms");
        b.Property(x => x.Code).HasMaxLength(60);
        b.Property(x => x.Name).HasMaxLength(200);
        b.Property(x => x.Description).HasMaxLength(1000);
        b.Property(x => x.TermUri).HasMaxLength(500);
        b.HasOne(x => x.Taxonomy).WithMany().HasForeignKey(x => x.TaxonomyId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.TaxonomyId, x.Code }).IsUnique();
        b.HasData(NeedsTaxonomy.Terms);
    }
}

/// <summary>
/// The needs taxonomy the directory ships with: the needs the partnership's early-intervention
/// work meets. Fixed ids, so that the published feed's taxonomy and term ids never change.
/// </summary>
public static class NeedsTaxonomy
{
    public static readonly Guid Id = new("0193a3c0-0000-7000-8000-000000000001");

    public static readonly Taxonomy Taxonomy = new()
    {
        Id = Id,
        Name = "Waypoint needs",
        Description = "The needs of children, young people and families that services in the directory meet.",
        Uri = "https://waypoint.example/taxonomies/needs",
        Version = "1",
    };

    private static TaxonomyTerm Term(int n, string code, string name, string description) => new()
    {
        Id = new Guid($"0193a3c0-0000-7000-8000-0000000001{n:D2}"),
        TaxonomyId = Id,
        Code = code,
        Name = name,
        Description = description,
    };

    public static readonly TaxonomyTerm[] Terms =
    [
        Term(1, "risk-of-exclusion", "Risk of exclusion", "Pupils at risk of suspension or permanent exclusion from school"),
        Term(2, "persistent-absence", "Persistent absence", "Children missing a tenth or more of their schooling"),
        Term(3, "semh", "Social, emotional and mental health", "Social, emotional and mental health needs"),
        Term(4, "criminal-exploitation", "Criminal exploitation", "Children at risk of criminal exploitation, including county lines"),
        Term(5, "youth-violence", "Serious youth violence", "Children involved in or at risk of serious youth violence"),
        Term(6, "substance-misuse", "Substance misuse", "Children or parents misusing drugs or alcohol"),
        Term(7, "domestic-abuse", "Domestic abuse", "Children living with domestic abuse at home"),
        Term(8, "young-carers", "Young carers", "Children who care for a family member"),
        Term(9, "parenting", "Parenting support", "Parents who need help with their children's behaviour or routines"),
        Term(10, "send", "Special educational needs", "Children with special educational needs or disabilities"),
        Term(11, "neet-risk", "Risk of not being in education, employment or training", "Young people at risk of leaving education without a next step"),
        Term(12, "out-of-education", "Out of education", "Children without a school place or suitable full-time education"),
    ];
}

internal sealed class ServiceReferralConfiguration : IEntityTypeConfiguration<ServiceReferral>
{
    public void Configure(EntityTypeBuilder<ServiceReferral> b)
    {
        b.ToTable("ServiceReferrals");
        b.Property(x => x.Reason).HasMaxLength(ServiceReferral.MaxTextLength);
        b.Property(x => x.EligibilityOverrideReason).HasMaxLength(Service.MaxShortTextLength);
        b.Property(x => x.DeclineReason).HasMaxLength(ServiceReferral.MaxTextLength);
        b.Property(x => x.Outcome).HasMaxLength(ServiceReferral.MaxTextLength);
        b.Ignore(x => x.IsOpen);
        b.Property(x => x.Version).IsConcurrencyToken();
        // Cascade, as every other record about a person: a register entry disposed of as a whole takes its
        // service referrals with it (Restrict refused the delete). A merge still moves them, by the foreign key.
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        // The links back are context only: a referral outlives its case or agenda item.
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.Service).WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.ProviderOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.ReferrerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Involvement>().WithMany().HasForeignKey(x => x.InvolvementId).OnDelete(DeleteBehavior.SetNull);
        // The provider's inbox, the service's capacity, and a person's referrals.
        b.HasIndex(x => new { x.ProviderOrganisationId, x.Status });
        b.HasIndex(x => new { x.ServiceId, x.Status });
        b.HasIndex(x => x.PersonId);
    }
}
