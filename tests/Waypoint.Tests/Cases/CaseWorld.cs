using Microsoft.EntityFrameworkCore;
using Waypoint.Domain;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Cases;

/// <summary>
/// A child living with their mother, with an early-help case led by the youth service, written
/// straight to the database as the hub's triage would leave it (the browser tests cannot sign in
/// over the in-memory client, so the case is not made through the pages here).
/// </summary>
public sealed record CaseWorld(TestPartnership P, Person Child, Person Mother, TestUser Lead, Guid CaseId)
{
    public static async Task<CaseWorld> OpenAsync(WaypointApp app)
    {
        var p = await TestPartnership.CreateAsync(app);
        var child = await p.YoungPersonAsync("Jade", $"Corr{p.Suffix}", new DateOnly(2012, 5, 2), enrolledAt: p.School);
        var mother = new Person { Kind = PersonKind.Adult, GivenName = "Dana", FamilyName = $"Corr{p.Suffix}", DateOfBirth = new DateOnly(1988, 1, 30), AreaId = p.Ward.Id, OwnerOrganisationId = p.Hub.Id, CreatedAt = DateTimeOffset.UtcNow };
        var hubUser = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var caseId = Guid.CreateVersion7();
        await app.AsSystemAsync(async db =>
        {
            var home = new Household { AddressLine1 = "4 Mill Lane", Town = "Brackton", Postcode = "NN1 1AA", AreaId = p.Ward.Id, OwnerOrganisationId = p.Hub.Id };
            db.Households.Add(home);
            mother.HouseholdId = home.Id;
            db.People.Add(mother);
            var tracked = await db.People.FirstAsync(x => x.Id == child.Id);
            tracked.HouseholdId = home.Id;
            db.PersonRelationships.Add(new PersonRelationship { PersonId = child.Id, RelatedPersonId = mother.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.Hub.Id, CategoryCode = RecordCategories.Family });
            var now = DateTimeOffset.UtcNow;
            var today = DateOnly.FromDateTime(now.UtcDateTime);
            db.Cases.Add(new Case { Id = caseId, PersonId = child.Id, LeadOrganisationId = p.Youth.Id, Level = TriageOutcome.EarlyHelp, Status = CaseStatus.Open, OpenedAt = now, OpenedByUserId = hubUser.Id, NextReviewOn = today.AddMonths(3) });
            db.Involvements.Add(new Involvement { PersonId = child.Id, OrganisationId = p.Youth.Id, Source = InvolvementSource.TeamAroundFamily, SourceId = caseId, Reason = "Leads the child's case", StartDate = today, ReviewOn = today.AddMonths(3), AddedByUserId = hubUser.Id, AddedAt = now });
            await db.SaveChangesAsync();
        });
        return new CaseWorld(p, child, mother, await p.UserAsync(p.Youth), caseId);
    }
}
