using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

// Subject access (issue 16, item 3). The request's PersonId is not a foreign key (see SubjectAccessRequest).

internal sealed class SubjectAccessRequestConfiguration : IEntityTypeConfiguration<SubjectAccessRequest>
{
    public void Configure(EntityTypeBuilder<SubjectAccessRequest> b)
    {
        b.Property(x => x.RequesterName).HasMaxLength(SubjectAccessRequest.MaxRequesterLength);
        b.Property(x => x.ExtensionReason).HasMaxLength(SubjectAccessRequest.MaxReasonLength);
        b.Ignore(x => x.IsExtended);
        b.Ignore(x => x.DueOn);
        b.HasIndex(x => x.PersonId);
        b.HasIndex(x => new { x.Status, x.ReceivedOn });
        b.HasMany<SubjectAccessRedaction>().WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<SubjectAccessPoliceItem>().WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany<SubjectAccessIssue>().WithOne().HasForeignKey(x => x.RequestId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SubjectAccessRedactionConfiguration : IEntityTypeConfiguration<SubjectAccessRedaction>
{
    public void Configure(EntityTypeBuilder<SubjectAccessRedaction> b)
    {
        b.Property(x => x.ItemKey).HasMaxLength(80);
        b.Property(x => x.Text).HasMaxLength(SubjectAccessRedaction.MaxTextLength);
        b.Property(x => x.Why).HasMaxLength(200);
        b.HasIndex(x => new { x.RequestId, x.Decision });
    }
}

internal sealed class SubjectAccessPoliceItemConfiguration : IEntityTypeConfiguration<SubjectAccessPoliceItem>
{
    public void Configure(EntityTypeBuilder<SubjectAccessPoliceItem> b)
    {
        b.Property(x => x.ItemKey).HasMaxLength(80);
        b.Property(x => x.Exemption).HasMaxLength(SubjectAccessPoliceItem.MaxExemptionLength);
        b.HasIndex(x => new { x.RequestId, x.ItemKey }).IsUnique();
        b.HasIndex(x => new { x.OwnerOrganisationId, x.Decision });
    }
}

internal sealed class SubjectAccessIssueConfiguration : IEntityTypeConfiguration<SubjectAccessIssue>
{
    public void Configure(EntityTypeBuilder<SubjectAccessIssue> b)
    {
        b.HasIndex(x => x.RequestId);
        b.HasIndex(x => x.KeepUntil);
    }
}

internal sealed class SubjectAccessSettingsConfiguration : IEntityTypeConfiguration<SubjectAccessSettings>
{
    public void Configure(EntityTypeBuilder<SubjectAccessSettings> b)
    {
        b.Property(x => x.Id).ValueGeneratedNever();
        b.HasData(new SubjectAccessSettings { Id = SubjectAccessSettings.SingletonId });
    }
}
