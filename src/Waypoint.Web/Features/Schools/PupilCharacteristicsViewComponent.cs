using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;

namespace Waypoint.Features.Schools;

/// <summary>
/// The pupil characteristics in the person page's school records: those the reader may see through
/// the filter (its own school's, or where the agreement lets the category flow), and the link to
/// record them for a school where the pupil is enrolled now. The caller has opened the person.
/// </summary>
public sealed class PupilCharacteristicsViewComponent(WaypointDbContext db) : ViewComponent
{
    public sealed record Held(string School, string Sex, string Ethnicity, string Sen, string Fsm, DateTimeOffset UpdatedAt);

    public sealed record Section(Guid PersonId, bool CanRecord, IReadOnlyList<Held> Held);

    public async Task<IViewComponentResult> InvokeAsync(Guid personId, bool canRecord)
    {
        var ct = HttpContext.RequestAborted;
        var rows = await db.PupilCharacteristics.AsNoTracking().Where(c => c.PersonId == personId)
            .OrderBy(c => c.School!.Name)
            .Select(c => new { School = c.School!.Name, c.Sex, c.Ethnicity, c.SenProvision, c.FsmEligible, c.UpdatedAt })
            .ToListAsync(ct);
        var held = rows.Select(r => new Held(r.School, CharacteristicLabels.Sex(r.Sex), EthnicityCodes.Describe(r.Ethnicity),
            CharacteristicLabels.Sen(r.SenProvision), CharacteristicLabels.Fsm(r.FsmEligible), r.UpdatedAt)).ToList();
        return View("/Features/Schools/_PupilCharacteristics.cshtml", new Section(personId, canRecord, held));
    }
}
