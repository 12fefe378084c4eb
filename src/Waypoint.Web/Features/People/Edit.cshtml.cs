using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.People;

/// <summary>
/// A person's details. The ward decides which partnership roles (hub, inclusion officer) reach the
/// person, so moving it is a grant: only a partnership role may, and the move is audited as one (<see cref="GrantRules.MayMoveAreaAsync"/>).
/// </summary>
public sealed class EditModel(WaypointDbContext db, PersonAccess access, GrantRules grants, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty] public string? GivenName { get; set; }
    [BindProperty] public string? FamilyName { get; set; }
    [BindProperty] public string? PreferredName { get; set; }
    [BindProperty] public DateInput Dob { get; set; } = new();
    [BindProperty] public Sex Sex { get; set; }
    [BindProperty] public Guid? WardId { get; set; }
    public IReadOnlyList<Choice> Wards { get; private set; } = [];
    public bool MayMoveArea { get; private set; }

    /// <summary>Whether the reader is shown (and so may change) the register's sex: <see cref="PersonAccess.ShowsRegisterSex"/>.</summary>
    public bool ShowsSex { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.edit", ct) is { } refused)
            return refused;
        MayMoveArea = await grants.MayMoveAreaAsync(Opened!, ct);
        ShowsSex = PersonAccess.ShowsRegisterSex(Opened!, await Access.FlowsAsync(ct));
        (GivenName, FamilyName, PreferredName, Dob, Sex, WardId) =
            (Person!.GivenName, Person.FamilyName, Person.PreferredName, DateInput.From(Person.DateOfBirth), ShowsSex ? Person.Sex : Sex.Unknown, Person.AreaId);
        Wards = await Lookups.WardsAsync(db, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (await OpenForAsync(PersonOperations.Write, "person.edit", ct) is { } refused)
            return refused;
        MayMoveArea = await grants.MayMoveAreaAsync(Opened!, ct);
        ShowsSex = PersonAccess.ShowsRegisterSex(Opened!, await Access.FlowsAsync(ct));
        if (!MayMoveArea)
            WardId = Person!.AreaId;
        var (dob, dobError) = Dob.Read("Date of birth", DateRange.Birth(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)));
        foreach (var (k, v) in RegisterPerson.ValidateDetails(Person!.Kind, GivenName, FamilyName, PreferredName, dob, WardId))
            Errors[k] = v;
        if (dobError is not null)
            Errors["DateOfBirth"] = dobError;
        if (Errors.Count == 0 && !await db.Areas.AnyAsync(a => a.Id == WardId && a.Kind == AreaKind.Ward, ct))
            Errors["WardId"] = "Select the ward the person lives in";
        if (Errors.Count > 0)
        {
            Wards = await Lookups.WardsAsync(db, ct);
            return Page();
        }
        var person = await db.People.FirstAsync(p => p.Id == Id, ct);
        person.GivenName = GivenName!.Trim();
        person.FamilyName = FamilyName!.Trim();
        person.PreferredName = string.IsNullOrWhiteSpace(PreferredName) ? null : PreferredName.Trim();
        person.DateOfBirth = dob;
        // A reader not shown the sex neither sees nor changes it: the register keeps its value.
        if (ShowsSex)
            person.Sex = Sex;
        var moved = person.AreaId != WardId!.Value;
        var from = person.AreaId;
        person.AreaId = WardId!.Value;
        await Access.AuditWriteAsync(Id, AuditAction.Update, moved ? $"grant:area {from} to {WardId}" : "person.details", ct);
        await db.SaveChangesAsync(ct);
        TempData["Confirmation"] = "The details have been saved";
        return BackToPerson();
    }
}
