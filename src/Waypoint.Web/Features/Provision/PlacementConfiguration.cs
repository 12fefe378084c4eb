using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Features.Provision;

internal sealed class ProvisionPlacementConfiguration : IEntityTypeConfiguration<ProvisionPlacement>
{
    public void Configure(EntityTypeBuilder<ProvisionPlacement> b)
    {
        b.ToTable("ProvisionPlacements", t => t.HasCheckConstraint("CK_ProvisionPlacements_Dates", "\"EndDate\" IS NULL OR \"EndDate\" >= \"StartDate\""));
        b.Property(x => x.HoursPerWeek).HasPrecision(4, 1);
        b.Property(x => x.Note).HasMaxLength(ProvisionPlacement.MaxNoteLength);
        b.Ignore(x => x.CategoryCode);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.Service).WithMany().HasForeignKey(x => x.ServiceId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        // A pupil's placements (the person page, the overlap check, the sixth-day watch).
        b.HasIndex(x => new { x.PersonId, x.StartDate });
        b.HasIndex(x => x.ServiceId);
    }
}

internal sealed class SixthDayAlertConfiguration : IEntityTypeConfiguration<SixthDayAlert>
{
    public void Configure(EntityTypeBuilder<SixthDayAlert> b)
    {
        b.ToTable("SixthDayAlerts");
        b.HasKey(x => x.SuspensionId);
        b.HasOne<Suspension>().WithMany().HasForeignKey(x => x.SuspensionId).OnDelete(DeleteBehavior.Cascade);
    }
}
