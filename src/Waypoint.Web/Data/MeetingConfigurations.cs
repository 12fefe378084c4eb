using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class MeetingSeriesConfiguration : IEntityTypeConfiguration<MeetingSeries>
{
    public void Configure(EntityTypeBuilder<MeetingSeries> b)
    {
        b.ToTable("MeetingSeries");
        b.Property(x => x.Name).HasMaxLength(MeetingSeries.MaxNameLength);
        b.HasOne(x => x.Area).WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.OrganiserOrganisation).WithMany().HasForeignKey(x => x.OrganiserOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(x => x.Members).WithOne().HasForeignKey(x => x.SeriesId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Meetings).WithOne(x => x.Series).HasForeignKey(x => x.SeriesId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.Name);
    }
}

internal sealed class MeetingSeriesMemberConfiguration : IEntityTypeConfiguration<MeetingSeriesMember>
{
    public void Configure(EntityTypeBuilder<MeetingSeriesMember> b)
    {
        b.ToTable("MeetingSeriesMembers");
        b.HasKey(x => new { x.SeriesId, x.OrganisationId });
        b.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.OrganisationId);
    }
}

internal sealed class MeetingConfiguration : IEntityTypeConfiguration<Meeting>
{
    public void Configure(EntityTypeBuilder<Meeting> b)
    {
        b.ToTable("Meetings", t => t.HasCheckConstraint("CK_Meetings_Duration", "\"DurationMinutes\" > 0 AND \"DurationMinutes\" <= 480"));
        b.Property(x => x.Place).HasMaxLength(Meeting.MaxPlaceLength);
        b.Property(x => x.OnlineLink).HasMaxLength(Meeting.MaxPlaceLength);
        b.HasMany(x => x.Invitees).WithOne().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Items).WithOne(x => x.Meeting).HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.SeriesId, x.Date });
    }
}

internal sealed class MeetingInviteeConfiguration : IEntityTypeConfiguration<MeetingInvitee>
{
    public void Configure(EntityTypeBuilder<MeetingInvitee> b)
    {
        b.ToTable("MeetingInvitees");
        b.Property(x => x.RemovedReason).HasMaxLength(MeetingInvitee.MaxReasonLength);
        b.Ignore(x => x.IsCurrent);
        b.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        // "What meetings is my organisation invited to" is the common question.
        b.HasIndex(x => new { x.OrganisationId, x.MeetingId });
        b.HasIndex(x => x.MeetingId);
    }
}

internal sealed class AgendaItemConfiguration : IEntityTypeConfiguration<AgendaItem>
{
    public void Configure(EntityTypeBuilder<AgendaItem> b)
    {
        b.ToTable("AgendaItems");
        b.Property(x => x.Why).HasMaxLength(AgendaItem.MaxWhyLength);
        b.Property(x => x.RemovedReason).HasMaxLength(AgendaItem.MaxWhyLength);
        b.Property(x => x.Discussion).HasMaxLength(AgendaItem.MaxDiscussionLength);
        b.Ignore(x => x.IsCurrent);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(x => x.Actions).WithOne().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.MeetingId, x.Position });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class MeetingActionConfiguration : IEntityTypeConfiguration<MeetingAction>
{
    public void Configure(EntityTypeBuilder<MeetingAction> b)
    {
        b.ToTable("MeetingActions");
        b.Property(x => x.Description).HasMaxLength(MeetingAction.MaxDescriptionLength);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        // My work lists an organisation's open actions by due date.
        b.HasIndex(x => new { x.OwnerOrganisationId, x.CompletedAt, x.DueOn });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class MeetingSettingsConfiguration : IEntityTypeConfiguration<MeetingSettings>
{
    public void Configure(EntityTypeBuilder<MeetingSettings> b)
    {
        b.ToTable("MeetingSettings", t => t.HasCheckConstraint("CK_MeetingSettings_Days", "\"AccessDaysAfterMeeting\" >= 0 AND \"AccessDaysAfterMeeting\" <= 90"));
        b.Property(x => x.Id).ValueGeneratedNever();
    }
}

internal sealed class MinutesDownloadConfiguration : IEntityTypeConfiguration<MinutesDownload>
{
    public void Configure(EntityTypeBuilder<MinutesDownload> b)
    {
        b.ToTable("MinutesDownloads");
        b.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.MeetingId, x.DownloadedAt });
    }
}

internal sealed class MeetingReferralMarkConfiguration : IEntityTypeConfiguration<MeetingReferralMark>
{
    public void Configure(EntityTypeBuilder<MeetingReferralMark> b)
    {
        b.ToTable("MeetingReferralMarks");
        b.Property(x => x.Why).HasMaxLength(MeetingReferralMark.MaxWhyLength);
        b.HasOne<Referral>().WithMany().HasForeignKey(x => x.ReferralId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Series).WithMany().HasForeignKey(x => x.SeriesId).OnDelete(DeleteBehavior.Cascade);
        // A report is marked once for a series.
        b.HasIndex(x => new { x.ReferralId, x.SeriesId }).IsUnique();
        b.HasIndex(x => new { x.SeriesId, x.MarkedAt });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class ConsentRequestConfiguration : IEntityTypeConfiguration<ConsentRequest>
{
    public void Configure(EntityTypeBuilder<ConsentRequest> b)
    {
        b.ToTable("ConsentRequests", t => t.HasCheckConstraint("CK_ConsentRequests_Resolved",
            "(\"ResolvedAt\" IS NULL AND \"Outcome\" IS NULL) OR (\"ResolvedAt\" IS NOT NULL AND \"Outcome\" IS NOT NULL)"));
        b.Ignore(x => x.IsOutstanding);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.AskingOrganisation).WithMany().HasForeignKey(x => x.AskingOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<ConsentRecord>().WithMany().HasForeignKey(x => x.ConsentRecordId).OnDelete(DeleteBehavior.SetNull);
        // My work lists an organisation's outstanding requests by due date.
        b.HasIndex(x => new { x.AskingOrganisationId, x.ResolvedAt, x.DueOn });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class MinutesCorrectionConfiguration : IEntityTypeConfiguration<MinutesCorrection>
{
    public void Configure(EntityTypeBuilder<MinutesCorrection> b)
    {
        b.ToTable("MinutesCorrections", t => t.HasCheckConstraint("CK_MinutesCorrections_Version", "\"Version\" >= 2"));
        b.Property(x => x.PreviousDiscussion).HasMaxLength(AgendaItem.MaxDiscussionLength);
        b.Property(x => x.Discussion).HasMaxLength(AgendaItem.MaxDiscussionLength);
        b.Property(x => x.Reason).HasMaxLength(MinutesCorrection.MaxReasonLength);
        b.HasOne<Meeting>().WithMany().HasForeignKey(x => x.MeetingId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<AgendaItem>().WithMany().HasForeignKey(x => x.AgendaItemId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        // One version number per meeting: two chairs correcting at once cannot both make version 3.
        b.HasIndex(x => new { x.MeetingId, x.Version }).IsUnique();
        b.HasIndex(x => x.PersonId);
    }
}
