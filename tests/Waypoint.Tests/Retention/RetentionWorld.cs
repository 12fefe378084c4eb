using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Retention;

/// <summary>Records set up in the past (a case closed years ago, a report decided without a case), each with a marker in every text it holds.</summary>
internal static class RetentionWorld
{
    /// <summary>A closed early-help case with every part a case has, each text carrying <paramref name="marker"/>; the report that opened it and a consent tied to it too.</summary>
    public static async Task<(Person Child, Case Case, Guid ReportId, Guid ConsentId)> ClosedCaseAsync(WaypointApp app, TestPartnership p, string marker, DateTimeOffset closedAt)
    {
        var child = await p.YoungPersonAsync("Tamsin", $"Oakes{marker[..4]}", new DateOnly(2012, 2, 2));
        var opened = closedAt.AddMonths(-6);
        var theCase = new Case
        {
            PersonId = child.Id,
            LeadOrganisationId = p.Youth.Id,
            Level = TriageOutcome.EarlyHelp,
            Status = CaseStatus.Closed,
            OpenedAt = opened,
            ClosedAt = closedAt,
            ClosureReason = CaseClosureReason.OutcomesMet,
        };
        var report = new Referral
        {
            PersonId = child.Id,
            ReporterOrganisationId = p.School.Id,
            AreaId = p.Ward.Id,
            Categories = nameof(ConcernCategory.Other),
            WhatIsKnown = $"Report text {marker}",
            ReportedAt = opened.AddDays(-2),
            DecisionDueBy = opened,
            Status = ReferralStatus.Decided,
            Outcome = TriageOutcome.EarlyHelp,
            Rationale = $"Rationale {marker}",
            DecidedAt = opened,
            CaseId = theCase.Id,
        };
        theCase.ReferralId = report.Id;
        var consent = new ConsentRecord
        {
            PersonId = child.Id,
            CaseId = theCase.Id,
            AskedByOrganisationId = p.Youth.Id,
            ForOrganisationId = p.Youth.Id,
            AskedOn = DateOnly.FromDateTime(opened.UtcDateTime),
            AnsweredBy = "Parent",
            Scope = "Sharing with the team",
            RecordedAt = opened,
        };
        await app.AsSystemAsync(async db =>
        {
            db.Cases.Add(theCase);
            db.Referrals.Add(report);
            db.ConsentRecords.Add(consent);
            var place = new Involvement
            {
                PersonId = child.Id,
                OrganisationId = p.Health.Id,
                Source = InvolvementSource.TeamAroundFamily,
                SourceId = theCase.Id,
                Reason = $"Team {marker}",
                StartDate = DateOnly.FromDateTime(opened.UtcDateTime),
                EndDate = DateOnly.FromDateTime(closedAt.UtcDateTime).AddDays(90),
                AddedAt = opened,
            };
            db.Involvements.Add(place);
            db.Involvements.Add(new Involvement
            {
                PersonId = child.Id,
                OrganisationId = p.School.Id,
                Source = InvolvementSource.Referral,
                SourceId = report.Id,
                Reason = $"Reporter {marker}",
                StartDate = DateOnly.FromDateTime(opened.UtcDateTime),
                EndDate = DateOnly.FromDateTime(opened.UtcDateTime).AddMonths(12),
                AddedAt = opened,
            });
            db.CaseMembers.Add(new CaseMember { CaseId = theCase.Id, OrganisationId = p.Health.Id, InvolvementId = place.Id, JoinedAt = opened, LeftAt = closedAt });
            db.CaseActions.Add(new CaseAction { CaseId = theCase.Id, Description = $"Action {marker}", OwnerOrganisationId = p.Health.Id, DueOn = DateOnly.FromDateTime(opened.UtcDateTime).AddDays(30), CreatedAt = opened });
            db.CaseEvents.Add(new CaseEvent { CaseId = theCase.Id, Text = $"History {marker}", At = opened });
            db.CaseFamilyMembers.Add(new CaseFamilyMember { CaseId = theCase.Id, PersonId = child.Id, Relationship = $"Relationship {marker}", AddedAt = opened });
            db.CaseGoals.Add(new CaseGoal { CaseId = theCase.Id, Text = $"Goal {marker}", CreatedAt = opened });
            db.CaseNotes.Add(new CaseNote { CaseId = theCase.Id, PersonId = child.Id, OwnerOrganisationId = p.Youth.Id, CategoryCode = RecordCategories.CaseWork, Text = $"Note {marker}", At = opened });
            db.CaseReviews.Add(new CaseReview { CaseId = theCase.Id, HeldOn = DateOnly.FromDateTime(opened.UtcDateTime).AddMonths(3), Summary = $"Review {marker}", RecordedAt = opened });
            db.CaseTransfers.Add(new CaseTransfer { CaseId = theCase.Id, FromOrganisationId = p.Youth.Id, ToOrganisationId = p.Health.Id, Reason = $"Transfer {marker}", RequestedAt = opened, Status = CaseTransferStatus.Declined });
            await db.SaveChangesAsync();
        });
        var reader = await app.CreateUserAsync(p.Youth);
        await app.AsSystemAsync(async db =>
        {
            db.Notifications.Add(new Notification { UserId = reader.Id, Kind = "case", Subject = $"Case {marker}", Body = $"Body {marker}", Link = $"/cases/{theCase.Id}", CreatedAt = opened });
            await db.SaveChangesAsync();
        });
        return (child, theCase, report.Id, consent.Id);
    }

    /// <summary>A report the hub decided on without opening a case, with its reporter's grant.</summary>
    public static async Task<Referral> ReportNotTakenFurtherAsync(WaypointApp app, TestPartnership p, string marker, DateTimeOffset decidedAt)
    {
        var child = await p.YoungPersonAsync("Linus", $"Pike{marker[..4]}", new DateOnly(2011, 3, 3));
        var report = new Referral
        {
            PersonId = child.Id,
            ReporterOrganisationId = p.School.Id,
            AreaId = p.Ward.Id,
            Categories = nameof(ConcernCategory.Other),
            WhatIsKnown = $"Report text {marker}",
            ReportedAt = decidedAt.AddDays(-1),
            DecisionDueBy = decidedAt,
            Status = ReferralStatus.Decided,
            Outcome = TriageOutcome.NoFurtherAction,
            Rationale = $"Rationale {marker}",
            DecidedAt = decidedAt,
        };
        await app.AsSystemAsync(async db =>
        {
            db.Referrals.Add(report);
            db.Involvements.Add(new Involvement
            {
                PersonId = child.Id,
                OrganisationId = p.School.Id,
                Source = InvolvementSource.Referral,
                SourceId = report.Id,
                Reason = $"Reporter {marker}",
                StartDate = DateOnly.FromDateTime(decidedAt.UtcDateTime),
                EndDate = DateOnly.FromDateTime(decidedAt.UtcDateTime).AddMonths(12),
                AddedAt = decidedAt,
            });
            await db.SaveChangesAsync();
        });
        return report;
    }

    /// <summary>Every table of the model, every column, read as text: where <paramref name="marker"/> still appears (table names).</summary>
    public static Task<List<string>> TablesHoldingAsync(WaypointApp app, string marker) =>
        app.AsSystemAsync(async (db, _) =>
        {
            var tables = db.Model.GetEntityTypes().Select(t => t.GetTableName()).OfType<string>().Distinct().ToList();
            var found = new List<string>();
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            try
            {
                foreach (var table in tables)
                {
                    await using DbCommand command = connection.CreateCommand();
                    command.CommandText = $"SELECT * FROM \"{table}\"";
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                    {
                        for (var i = 0; i < reader.FieldCount; i++)
                        {
                            if (!reader.IsDBNull(i) && Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture)!.Contains(marker, StringComparison.Ordinal))
                            {
                                found.Add(table);
                                break;
                            }
                        }
                    }
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
            return found.Distinct().ToList();
        });
}
