using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Features.People;
using Waypoint.Shell;

namespace Waypoint.Features.Chronology;

/// <summary>
/// A person's chronology across agencies, filtered by kind and date, printable as a document. The
/// person is opened (and the look audited) once; every entry then comes through the policy's filters.
/// </summary>
public sealed class IndexModel(PersonAccess access, Chronology chronology, CurrentUserSummary currentUser, TimeProvider clock) : PersonPageModel(access)
{
    [BindProperty(SupportsGet = true)] public List<ChronologyKind> Kinds { get; set; } = [];
    [BindProperty(SupportsGet = true)] public DateInput From { get; set; } = new();
    [BindProperty(SupportsGet = true)] public DateInput To { get; set; } = new();
    [BindProperty(SupportsGet = true)] public ChronologyOrder Order { get; set; }

    public IReadOnlyList<ChronologyEntry> Entries { get; private set; } = [];
    public int NotesWithheld { get; private set; }
    public bool Filtered { get; private set; }
    public string PrintedBy { get; private set; } = "";
    public string Organisation { get; private set; } = "";
    public DateTimeOffset PrintedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await OpenAsync("chronology", ct))
            return NotFound();
        var user = await currentUser.GetAsync();
        PrintedBy = user?.DisplayName ?? "";
        Organisation = user?.OrganisationName ?? "";
        PrintedAt = clock.GetUtcNow();

        var (from, to, errors) = DateInput.ReadRange(From, To, "The 'from' date", "The 'to' date", ChronologyFilter.OutOfOrder);
        foreach (var (field, message) in errors)
            Errors[field] = message;
        if (Errors.Count > 0)
            return Page();

        var kinds = Kinds.Distinct().ToList();
        Filtered = kinds.Count > 0 || from is not null || to is not null;
        Entries = await chronology.BuildAsync(Id, new ChronologyFilter(kinds, from, to, Order), ct);
        NotesWithheld = await chronology.WithheldNotesAsync(Id, ct);
        return Page();
    }
}
