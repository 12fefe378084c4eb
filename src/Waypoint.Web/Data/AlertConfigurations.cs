using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Data;

internal sealed class AlertThresholdConfiguration : IEntityTypeConfiguration<AlertThreshold>
{
    public void Configure(EntityTypeBuilder<AlertThreshold> b)
    {
        b.HasKey(x => x.Rule);
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.UpdatedByUserId).OnDelete(DeleteBehavior.SetNull);
    }
}

internal sealed class AlertConfiguration : IEntityTypeConfiguration<Alert>
{
    public void Configure(EntityTypeBuilder<Alert> b)
    {
        b.MapSchoolRecord();
        b.Ignore(x => x.IsOpen);
        b.Property(x => x.TriggerKey).HasMaxLength(Alert.MaxTriggerKeyLength);
        b.Property(x => x.Figures).HasMaxLength(Alert.MaxFiguresLength);
        // One alert per trigger: the database refuses a second, whoever races to insert it.
        b.HasIndex(x => x.TriggerKey).IsUnique();
        // The inbox (open first) and the counts per pupil (the top 10, the menu badge).
        b.HasIndex(x => new { x.PersonId, x.Status });
        b.HasIndex(x => new { x.SchoolId, x.Status });
        // The inbox's page, a status at a time, newest first (read backwards): the policy is asked of
        // the rows up to the page's end, not of every alert sorted (issue 18).
        b.HasIndex(x => new { x.Status, x.RaisedAt, x.Id });
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.AssignedToUserId).OnDelete(DeleteBehavior.SetNull);
        b.HasMany(x => x.Events).WithOne().HasForeignKey(x => x.AlertId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlertEventConfiguration : IEntityTypeConfiguration<AlertEvent>
{
    public void Configure(EntityTypeBuilder<AlertEvent> b)
    {
        b.Property(x => x.Note).HasMaxLength(AlertEvent.MaxNoteLength);
        b.HasIndex(x => new { x.AlertId, x.At });
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.AssignedToUserId).OnDelete(DeleteBehavior.SetNull);
    }
}
