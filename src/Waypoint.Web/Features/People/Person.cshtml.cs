using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed class PersonModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public PersonDetailsView? Person { get; private set; }
    public int? Age { get; private set; }
    public Schools.SchoolRecordsView? SchoolRecords { get; private set; }
    public PersonSummaryView? Summary { get; private set; }

    /// <summary>The person's cases and reports the reader may see (the policy's filters decide).</summary>
    public IReadOnlyList<(Guid Id, string Text, bool Open)> Cases { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Text, bool Awaiting)> Referrals { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        Person = await PersonDetails.LoadAsync(db, access, id, "person", ct);
        if (Person is null)
            return await Merge.MergedEntries.SurvivorOfAsync(db, id, ct) is { } survivor ? Redirect($"/people/{survivor}") : NotFound();
        SchoolRecords = await Schools.SchoolRecords.LoadAsync(db, id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        Summary = await PersonSummaryCard.LoadAsync(db, id, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime), ct);
        Cases = (await db.Cases.AsNoTracking().Where(c => c.PersonId == id).OrderByDescending(c => c.OpenedAt)
                .Select(c => new { c.Id, c.Level, Lead = c.LeadOrganisation!.Name, c.OpenedAt, c.Status }).ToListAsync(ct))
            .Select(c => (c.Id, $"{Features.Referrals.TriageLabels.Describe(c.Level)} led by {c.Lead}, opened {c.OpenedAt:d MMMM yyyy}", c.Status == CaseStatus.Open)).ToList();
        Referrals = (await db.Referrals.AsNoTracking().Where(r => r.PersonId == id).OrderByDescending(r => r.ReportedAt)
                .Select(r => new { r.Id, Reporter = r.ReporterOrganisation!.Name, r.ReportedAt, r.Status }).ToListAsync(ct))
            .Select(r => (r.Id, $"Reported by {r.Reporter} on {r.ReportedAt:d MMMM yyyy}", r.Status == ReferralStatus.AwaitingTriage)).ToList();
        if (Person.DateOfBirth is { } dob)
        {
            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            Age = Ages.On(dob, today);
        }
        return Page();
    }

    public static string Describe(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.Upn => "Unique pupil number (UPN)",
        IdentifierScheme.PoliceReference => "Police reference",
        IdentifierScheme.LocalId => "Local id",
        _ => scheme.ToString(),
    };
}
