using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Domain;

namespace Waypoint.Data;

internal sealed class ReferralConfiguration : IEntityTypeConfiguration<Referral>
{
    public void Configure(EntityTypeBuilder<Referral> b)
    {
        b.Ignore(x => x.ConcernCategories);
        b.Property(x => x.Categories).HasMaxLength(300);
        b.Property(x => x.WhatIsKnown).HasMaxLength(Referral.MaxWhatIsKnownLength);
        b.Property(x => x.Rationale).HasMaxLength(Referral.MaxRationaleLength);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.ReporterOrganisation).WithMany().HasForeignKey(x => x.ReporterOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Area>().WithMany().HasForeignKey(x => x.AreaId).OnDelete(DeleteBehavior.Restrict);
        // The hub's queue: what awaits a decision, by area and due time.
        b.HasIndex(x => new { x.Status, x.AreaId, x.DecisionDueBy });
        b.HasIndex(x => x.PersonId);
        b.HasIndex(x => x.ReporterOrganisationId);
    }
}

internal sealed class CaseConfiguration : IEntityTypeConfiguration<Case>
{
    public void Configure(EntityTypeBuilder<Case> b)
    {
        b.ToTable("Cases");
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.LeadOrganisation).WithMany().HasForeignKey(x => x.LeadOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Organisation>().WithMany().HasForeignKey(x => x.SteppedUpToOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => x.PersonId);
        // Home's reviews due (issue 18): the lead's open cases soonest review first, read along the index and stopped at the figure's bound.
        b.HasIndex(x => new { x.LeadOrganisationId, x.Status, x.NextReviewOn });
        // My work's cases (issue 18): the reader's own, newest first, then the other open cases,
        // each read along its index and stopped at the page's end rather than every open case sorted.
        b.HasIndex(x => new { x.LeadPractitionerId, x.Status, x.OpenedAt });
        b.HasIndex(x => new { x.Status, x.OpenedAt, x.Id });
    }
}

internal sealed class CaseMemberConfiguration : IEntityTypeConfiguration<CaseMember>
{
    public void Configure(EntityTypeBuilder<CaseMember> b)
    {
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Organisation).WithMany().HasForeignKey(x => x.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.CaseId, x.OrganisationId });
        b.HasIndex(x => new { x.OrganisationId, x.LeftAt });
    }
}

internal sealed class CaseActionConfiguration : IEntityTypeConfiguration<CaseAction>
{
    public void Configure(EntityTypeBuilder<CaseAction> b)
    {
        b.Property(x => x.Description).HasMaxLength(CaseAction.MaxDescriptionLength);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<CaseGoal>().WithMany().HasForeignKey(x => x.GoalId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(x => new { x.CaseId, x.Status });
        b.HasIndex(x => new { x.OwnerOrganisationId, x.Status, x.DueOn });
    }
}

internal sealed class CaseEventConfiguration : IEntityTypeConfiguration<CaseEvent>
{
    public void Configure(EntityTypeBuilder<CaseEvent> b)
    {
        b.Property(x => x.Text).HasMaxLength(500);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CaseId, x.At });
    }
}

internal sealed class TriageSettingsConfiguration : IEntityTypeConfiguration<TriageSettings>
{
    public void Configure(EntityTypeBuilder<TriageSettings> b)
    {
        b.ToTable("TriageSettings");
        b.Property(x => x.Id).ValueGeneratedNever();
    }
}

internal sealed class CaseFamilyMemberConfiguration : IEntityTypeConfiguration<CaseFamilyMember>
{
    public void Configure(EntityTypeBuilder<CaseFamilyMember> b)
    {
        b.Property(x => x.Relationship).HasMaxLength(100);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CaseId, x.PersonId });
        b.HasIndex(x => x.PersonId);
    }
}

internal sealed class CaseGoalConfiguration : IEntityTypeConfiguration<CaseGoal>
{
    public void Configure(EntityTypeBuilder<CaseGoal> b)
    {
        b.Property(x => x.Text).HasMaxLength(CaseGoal.MaxTextLength);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => x.CaseId);
    }
}

internal sealed class CaseNoteConfiguration : IEntityTypeConfiguration<CaseNote>
{
    public void Configure(EntityTypeBuilder<CaseNote> b)
    {
        b.Property(x => x.Text).HasMaxLength(CaseNote.MaxTextLength);
        b.Property(x => x.CategoryCode).HasMaxLength(50);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Person>().WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.OwnerOrganisation).WithMany().HasForeignKey(x => x.OwnerOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<RecordCategory>().WithMany().HasForeignKey(x => x.CategoryCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.CaseId, x.At });
        b.HasIndex(x => new { x.PersonId, x.At });
    }
}

internal sealed class CaseReviewConfiguration : IEntityTypeConfiguration<CaseReview>
{
    public void Configure(EntityTypeBuilder<CaseReview> b)
    {
        b.Property(x => x.Summary).HasMaxLength(CaseReview.MaxSummaryLength);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.CaseId, x.HeldOn });
    }
}

internal sealed class CaseTransferConfiguration : IEntityTypeConfiguration<CaseTransfer>
{
    public void Configure(EntityTypeBuilder<CaseTransfer> b)
    {
        b.Property(x => x.Reason).HasMaxLength(CaseTransfer.MaxReasonLength);
        b.Property(x => x.Response).HasMaxLength(CaseTransfer.MaxReasonLength);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.FromOrganisation).WithMany().HasForeignKey(x => x.FromOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.ToOrganisation).WithMany().HasForeignKey(x => x.ToOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.CaseId, x.Status });
        // "Transfers awaiting my organisation" on My work.
        b.HasIndex(x => new { x.ToOrganisationId, x.Status });
    }
}

internal sealed class ConsentRecordConfiguration : IEntityTypeConfiguration<ConsentRecord>
{
    public void Configure(EntityTypeBuilder<ConsentRecord> b)
    {
        b.Property(x => x.Scope).HasMaxLength(ConsentRecord.MaxScopeLength);
        b.Property(x => x.AnsweredBy).HasMaxLength(ConsentRecord.MaxAnsweredByLength);
        b.HasOne(x => x.Person).WithMany().HasForeignKey(x => x.PersonId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Case>().WithMany().HasForeignKey(x => x.CaseId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne(x => x.AskedByOrganisation).WithMany().HasForeignKey(x => x.AskedByOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(x => x.ForOrganisation).WithMany().HasForeignKey(x => x.ForOrganisationId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(x => new { x.PersonId, x.AskedOn });
        // The consent-rate report groups by the agency that asked.
        b.HasIndex(x => new { x.AskedByOrganisationId, x.Outcome });
    }
}
