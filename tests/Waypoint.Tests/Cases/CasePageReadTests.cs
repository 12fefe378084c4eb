using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Cases;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Cases;

/// <summary>
/// The case page reads its family links and the pending offer of its lead with the case's own records, by the opened
/// case's id (wave 21b): what it shows must be what the earlier reads showed — every current link oldest first, the
/// relative named only where the Person filter lets the reader see them, and the one pending offer with its two
/// organisations, reason and lawful basis (never a declined one).
/// </summary>
public abstract class CasePageReadTests(WaypointApp app)
{
    [Fact]
    public async Task FamilyAndOffer_ReadWithTheCasesRecords_ShowWhatTheFiltersShow()
    {
        var w = await CaseWorld.OpenAsync(app);
        var p = w.P;
        var cousin = await p.YoungPersonAsync("Kai", $"Corr{p.Suffix}", new DateOnly(2010, 3, 4));
        var stranger = new Person { Kind = PersonKind.Adult, GivenName = "Lee", FamilyName = $"Far{p.Suffix}", DateOfBirth = new DateOnly(1970, 7, 7), AreaId = p.Ward.Id, OwnerOrganisationId = p.Health.Id, CreatedAt = DateTimeOffset.UtcNow };
        var hub = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.HubTriage, p.County);
        var at = DateTimeOffset.UtcNow.AddDays(-3);
        await app.AsSystemAsync(async db =>
        {
            db.People.Add(stranger);
            // Added out of order, one removed: the page lists the current ones oldest first.
            db.CaseFamilyMembers.Add(new CaseFamilyMember { CaseId = w.CaseId, PersonId = stranger.Id, Relationship = "Uncle", AddedAt = at.AddHours(2) });
            db.CaseFamilyMembers.Add(new CaseFamilyMember { CaseId = w.CaseId, PersonId = w.Mother.Id, Relationship = "Mother", AddedAt = at });
            db.CaseFamilyMembers.Add(new CaseFamilyMember { CaseId = w.CaseId, PersonId = cousin.Id, Relationship = "Cousin", AddedAt = at.AddHours(1), RemovedAt = at.AddHours(3) });
            db.CaseTransfers.Add(new CaseTransfer { CaseId = w.CaseId, FromOrganisationId = p.Youth.Id, ToOrganisationId = p.Health.Id, Reason = "Declined before", LawfulBasis = LawfulBasis.PublicTask, RequestedAt = at, Status = CaseTransferStatus.Declined });
            db.CaseTransfers.Add(new CaseTransfer { CaseId = w.CaseId, FromOrganisationId = p.Youth.Id, ToOrganisationId = p.Hub.Id, Reason = "Needs the hub's lead", LawfulBasis = LawfulBasis.LegitimateInterests, RequestedAt = at.AddHours(4), Status = CaseTransferStatus.Pending });
            await db.SaveChangesAsync();
        });

        foreach (var reader in new[] { w.Lead, hub })
        {
            // The earlier reads, as this reader: the links past the filters by the case, each relative through the Person filter.
            var expected = await app.AsUserAsync(reader, async (db, _) =>
            {
                var links = await db.CaseFamilyMembers.IgnoreQueryFilters().Where(f => f.CaseId == w.CaseId && f.RemovedAt == null).OrderBy(f => f.AddedAt)
                    .Select(f => new { f.PersonId, f.Relationship }).ToListAsync();
                var ids = links.Select(l => l.PersonId).ToList();
                var visible = await db.People.Where(x => ids.Contains(x.Id)).Select(x => new { x.Id, Name = x.GivenName + " " + x.FamilyName }).ToDictionaryAsync(x => x.Id, x => x.Name);
                return links.Select(l => (visible.GetValueOrDefault(l.PersonId) ?? "Someone you may not see") + $" ({l.Relationship.ToLowerInvariant()})").ToList();
            });
            expected.Count.ShouldBe(2);

            var page = await (await app.SignInAsync(reader)).GetDocumentAsync($"/cases/{w.CaseId}");

            page.QuerySelectorAll("#family-members > li")
                .Select(li => Regex.Replace(string.Concat(li.ChildNodes.Where(n => n.NodeName != "FORM").Select(n => n.TextContent)), @"\s+", " ").Trim())
                .ToList().ShouldBe(expected);
            var offer = page.QuerySelector("#transfer-offer")!.TextContent;
            offer.ShouldContain($"{p.Youth.Name} has offered the lead to {p.Hub.Name}.");
            offer.ShouldContain("Why: Needs the hub's lead");
            offer.ShouldContain($"Lawful basis for sharing: {CasePlan.Describe(LawfulBasis.LegitimateInterests)}");
            offer.ShouldNotContain("Declined before");
            var buttons = page.QuerySelectorAll("#transfer-offer button").Select(b => b.TextContent.Trim()).ToList();
            // The organisation offered the lead accepts or declines it; the lead, which offered it, may withdraw it.
            buttons.ShouldBe(reader == hub ? ["Accept the lead", "Decline the lead"] : ["Withdraw the offer"]);
        }
    }
}

public sealed class CasePageReadTestsOnSqlite(SqliteApp app) : CasePageReadTests(app), IClassFixture<SqliteApp>;

public sealed class CasePageReadTestsOnPostgres(PostgresApp app) : CasePageReadTests(app), IClassFixture<PostgresApp>;
