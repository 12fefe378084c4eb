using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.People;

/// <summary>
/// Links a relative already in the register (found by search, so only people the reader may see)
/// or adds a new one. A new relative is the reader's organisation's record, with an involvement
/// so that they stay visible to it.
/// </summary>
public sealed class AddFamilyMemberModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty] public RelationshipKind? Kind { get; set; }
    [BindProperty] public string? Who { get; set; }
    [BindProperty] public string? GivenName { get; set; }
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public DateInput Dob { get; set; } = new();
    [BindProperty] public bool SameHousehold { get; set; } = true;
    public IReadOnlyList<PersonSearchHit> Candidates { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.family", ct) is { } refused)
            return refused;
        FamilyName ??= Person!.FamilyName;
        await FindCandidatesAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.family", ct) is { } refused)
            return refused;
        await FindCandidatesAsync(ct);
        if (Kind is null)
            Errors["Kind"] = "Select how they are related";
        var reader = db.Reader;
        var now = clock.GetUtcNow();
        Guid relatedId;
        if (Who == "new")
        {
            var kind = Kind is RelationshipKind.Sibling or RelationshipKind.HalfSibling ? PersonKind.YoungPerson : PersonKind.Adult;
            var (dob, dobError) = Dob.Read("Date of birth", DateRange.Birth(DateOnly.FromDateTime(now.UtcDateTime)));
            foreach (var (k, v) in RegisterPerson.ValidateDetails(kind, GivenName, FamilyName, null, dob, Person!.AreaId))
                Errors[k] = v;
            if (dobError is not null)
                Errors["DateOfBirth"] = dobError;
            if (Errors.Count > 0)
                return Page();
            var relative = new Person
            {
                Kind = kind,
                GivenName = GivenName!.Trim(),
                FamilyName = FamilyName!.Trim(),
                DateOfBirth = dob,
                AreaId = Person.AreaId,
                HouseholdId = SameHousehold ? Person.HouseholdId : null,
                OwnerOrganisationId = reader.OrganisationId,
                CreatedAt = now,
            };
            db.People.Add(relative);
            db.Involvements.Add(new Involvement
            {
                PersonId = relative.Id,
                OrganisationId = reader.OrganisationId,
                Source = InvolvementSource.Explicit,
                Reason = "Family member of a young person we are involved with",
                StartDate = DateOnly.FromDateTime(now.UtcDateTime),
                EndDate = GrantRules.DefaultEnd(DateOnly.FromDateTime(now.UtcDateTime)),
                AddedByUserId = reader.UserId,
                AddedAt = now,
            });
            relatedId = relative.Id;
        }
        else if (Guid.TryParse(Who, out var existing) && existing != Id && await db.People.AnyAsync(p => p.Id == existing, ct))
        {
            relatedId = existing;
        }
        else
        {
            Errors["RelatedPersonId"] = "Choose who the family member is, or add someone new";
            return Page();
        }
        if (Errors.Count > 0)
            return Page();
        if (await db.Unfiltered<PersonRelationship>("a relationship is recorded once, whichever organisation recorded it").AnyAsync(r => r.PersonId == Id && r.RelatedPersonId == relatedId && r.Kind == Kind, ct))
        {
            Errors["RelatedPersonId"] = "This relationship is already recorded";
            return Page();
        }
        db.PersonRelationships.Add(new PersonRelationship
        {
            PersonId = Id,
            RelatedPersonId = relatedId,
            Kind = Kind!.Value,
            OwnerOrganisationId = reader.OrganisationId,
            CategoryCode = RecordCategories.Family,
        });
        await Access.AuditWriteAsync(Id, AuditAction.Create, "person.family", ct);
        await Access.AuditWriteAsync(relatedId, Who == "new" ? AuditAction.Create : AuditAction.Update, "person.family", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "The family member has been added";
        return BackToPerson(PersonSection.Family);
    }

    private async Task FindCandidatesAsync(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Search) || Search.Length > 200)
            return;
        Candidates = (await PersonSearch.SearchAsync(db, new PersonSearchQuery(Search, null, null, 10), ct)).Where(h => h.Id != Id).ToList();
        await Access.AuditListedAsync(Candidates.Select(c => c.Id).ToList(), "person.family.search", ct);
    }
}
