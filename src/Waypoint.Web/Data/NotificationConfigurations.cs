using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Data;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(x => x.Kind).HasMaxLength(40);
        b.Property(x => x.Subject).HasMaxLength(Notification.MaxSubjectLength);
        b.Property(x => x.Body).HasMaxLength(Notification.MaxBodyLength);
        b.Property(x => x.Link).HasMaxLength(400);
        b.Property(x => x.EmailError).HasMaxLength(400);
        b.HasOne<WaypointUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // The inbox (newest of one user's) and the unread count in every page's header.
        b.HasIndex(x => new { x.UserId, x.CreatedAt });
        b.HasIndex(x => new { x.UserId, x.ReadAt });
        // The sender's queue.
        b.HasIndex(x => new { x.Email, x.EmailDueAt });
    }
}
