using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>One request: its clock, compiling what is held, the extension for a complex request, and the way to review and issue.</summary>
[DataProtectionOfficerOnly]
public sealed class RequestModel(WaypointDbContext db, SubjectAccessWork work, TimeProvider clock) : PageModel
{
    public sealed record AgencyCount(string Agency, int Records, int Police);

    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    [BindProperty] public string? ExtensionReason { get; set; }

    public SubjectAccessRequest SarRequest { get; private set; } = null!;
    public RegisterMatch? Person { get; private set; }
    public DateOnly Today { get; private set; }
    public IReadOnlyList<AgencyCount> Agencies { get; private set; } = [];
    public int RecordCount { get; private set; }
    public Dictionary<RedactionDecision, int> Redactions { get; private set; } = [];
    public Dictionary<PoliceReleaseDecision, int> PoliceItems { get; private set; } = [];
    public SubjectAccessIssue? Issue { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostCompileAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        if (SarRequest.Status == SubjectAccessStatus.Issued)
        {
            Errors["compile"] = "This request has been answered: its copy was issued and is kept as it was sent";
            return Page();
        }
        var tracked = await db.SubjectAccessRequests.SingleAsync(r => r.Id == Id, ct);
        var compilation = await work.CompileAsync(tracked, ct);
        TempData["Confirmation"] = $"Compiled {compilation.Records.Count} records held about the person. Review the proposed redactions before issuing.";
        return Redirect($"/subject-access/request?id={Id}");
    }

    public async Task<IActionResult> OnPostExtendAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
            return NotFound();
        var reason = ExtensionReason?.Trim();
        if (SarRequest.Status == SubjectAccessStatus.Issued)
            Errors["ExtensionReason"] = "This request has been answered";
        else if (SarRequest.IsExtended)
            Errors["ExtensionReason"] = "The time has already been extended: it can be extended once, by two months";
        else if (Shell.FormText.Problem(reason, SubjectAccessRequest.MaxReasonLength, "Enter why the request is complex (the requester must be told within the first month)", "The reason") is { } problem)
            Errors["ExtensionReason"] = problem;
        if (Errors.Count > 0)
            return Page();
        var tracked = await db.SubjectAccessRequests.SingleAsync(r => r.Id == Id, ct);
        await work.ExtendAsync(tracked, reason!, ct);
        TempData["Confirmation"] = $"Time extended. The answer is now due by {tracked.DueOn:d MMMM yyyy}. Tell the requester why, within the first month.";
        return Redirect($"/subject-access/request?id={Id}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var request = await db.SubjectAccessRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == Id, ct);
        if (request is null)
            return false;
        SarRequest = request;
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        Person = await work.InRegisterAsync(request.PersonId, ct);
        if (request.CompiledJson is { } json)
        {
            var compilation = SubjectAccessCompilation.FromJson(json);
            RecordCount = compilation.Records.Count;
            Agencies = compilation.Records.GroupBy(r => r.Agency).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new AgencyCount(g.Key, g.Count(), g.Count(r => r.Police))).ToList();
        }
        Redactions = (await db.SubjectAccessRedactions.AsNoTracking().Where(r => r.RequestId == Id).GroupBy(r => r.Decision)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).ToDictionary(x => x.Key, x => x.Count);
        PoliceItems = (await db.SubjectAccessPoliceItems.AsNoTracking().Where(r => r.RequestId == Id).GroupBy(r => r.Decision)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).ToDictionary(x => x.Key, x => x.Count);
        Issue = await db.SubjectAccessIssues.AsNoTracking().Where(i => i.RequestId == Id).OrderByDescending(i => i.IssuedAt)
            .Select(i => new SubjectAccessIssue { Id = i.Id, IssuedAt = i.IssuedAt, KeepUntil = i.KeepUntil, Pdf = Array.Empty<byte>(), Zip = Array.Empty<byte>(), RedactionsJson = "" })
            .FirstOrDefaultAsync(ct);
        return true;
    }
}
