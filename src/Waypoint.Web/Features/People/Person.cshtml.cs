using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed class PersonModel(WaypointDbContext db, PersonAccess access, Shell.CurrentUserSummary currentUser, TimeProvider clock) : PageModel
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
        if (!await LoadAsync(id, "person", ct))
            return await Merge.MergedEntries.SurvivorOfAsync(db, id, ct) is { } survivor ? Redirect($"/people/{survivor}") : NotFound();
        return Page();
    }

    /// <summary>
    /// The page as a PDF made on the server (searchable text, the protective marking, who printed
    /// it and when): opened through the same policy and read audit as the page, and the copy
    /// recorded as an export.
    /// </summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, "person.pdf", ct))
            return NotFound();
        await access.AuditShownAsync([id], Waypoint.Audit.AuditAction.Export, "person.pdf", ct);
        var user = await currentUser.GetAsync();
        var organisation = user?.OrganisationName ?? "your organisation";
        var now = clock.GetUtcNow();
        var pdf = PersonPrint.Build(this, organisation).Render($"{user?.DisplayName}, {organisation}", now);
        return File(pdf, "application/pdf", $"person-{now.UtcDateTime:yyyy-MM-dd}.pdf");
    }

    private async Task<bool> LoadAsync(Guid id, string subject, CancellationToken ct)
    {
        Person = await PersonDetails.LoadAsync(db, access, id, subject, ct);
        if (Person is null)
            return false;
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
        return true;
    }

    public static string Describe(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.Upn => "Unique pupil number (UPN)",
        IdentifierScheme.PoliceReference => "Police reference",
        IdentifierScheme.LocalId => "Local id",
        _ => scheme.ToString(),
    };
}
