using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.People;

/// <summary>
/// Find a person: every match the reader may see, counted truly and paged, each with their age,
/// school and why they matched; narrowed by school (named with its URN), kind of person, an open
/// case or open alerts, and sorted by match, name, age or school. The filters run through the
/// access policy like the search. The page's results are audited as listed, an export's (every result) as exported.
/// </summary>
public sealed class IndexModel(WaypointDbContext db, PersonAccess access, TimeProvider clock) : PageModel
{
    public const int PageSize = 25;

    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public string? Identifier { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput Dob { get; set; } = new();
    [BindProperty(SupportsGet = true)] public Guid? School { get; set; }
    [BindProperty(SupportsGet = true)] public PersonKind? Kind { get; set; }
    [BindProperty(SupportsGet = true)] public bool OpenCase { get; set; }
    [BindProperty(SupportsGet = true)] public bool OpenAlerts { get; set; }
    [BindProperty(SupportsGet = true)] public PersonSearchSort Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    /// <summary>The partnership's schools for the filter, each named with its URN (two schools can share a name).</summary>
    public IReadOnlyList<(Guid Id, string Name)> Schools { get; private set; } = [];
    public Dictionary<string, string> Errors { get; } = [];
    public PersonSearchPage Results { get; private set; } = new([], 0, false, 0);
    public bool Searched { get; private set; }
    public DateOnly Today { get; private set; }

    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Schools = await SchoolsAsync(ct);
        if (Read() is not { } query)
            return;
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        Results = await PersonSearch.PageAsync(db, query, (PageNumber - 1) * PageSize, PageSize, Today, ct);
        PageNumber = Results.Skip / PageSize + 1;
        await access.AuditListedAsync(Results.Results.Select(r => r.Hit.Id).ToList(), "people.search", ct);
    }

    /// <summary>Every result of the search (not just this page) as CSV or XLSX, each person audited as exported.</summary>
    public async Task<IActionResult> OnGetExportAsync(ExportFormat format, CancellationToken ct)
    {
        Schools = await SchoolsAsync(ct);
        if (Read() is not { } query)
            return BadRequest();
        var all = await PersonSearch.PageAsync(db, query, 0, PersonSearch.CountLimit, Today, ct);
        await access.AuditShownAsync(all.Results.Select(r => r.Hit.Id).ToList(), Waypoint.Audit.AuditAction.Export, "people.search.export", ct);
        var table = new ExportTable("People found", ["Name", "Date of birth", "Age", "School now", "Ward", "Type", "Open case", "Open alerts", "Why it matched"],
            all.Results.Select(r => (IReadOnlyList<object?>)[$"{r.Hit.GivenName} {r.Hit.FamilyName}", r.Hit.DateOfBirth, r.AgeOn(Today), r.School, r.Hit.Ward,
                r.Hit.Kind == PersonKind.YoungPerson ? "Young person" : "Adult", r.OpenCase, r.OpenAlerts, r.Why]).ToList());
        return ExportFile.Of(table, format, "people-found", Today);
    }

    /// <summary>The partnership's schools, open ones only, by name and then URN.</summary>
    private async Task<IReadOnlyList<(Guid Id, string Name)>> SchoolsAsync(CancellationToken ct) =>
        (await db.Organisations.AsNoTracking().Where(o => o.Type == OrganisationType.School && o.IsActive)
            .OrderBy(o => o.Name).ThenBy(o => o.Urn)
            .Select(o => new { o.Id, o.Name, o.Urn }).ToListAsync(ct))
        .Select(o => (o.Id, o.Urn is null ? o.Name : $"{o.Name} (URN {o.Urn})")).ToList();

    /// <summary>How the page names each order.</summary>
    public static string Describe(PersonSearchSort sort) => sort switch
    {
        PersonSearchSort.Name => "Name",
        PersonSearchSort.YoungestFirst => "Age, youngest first",
        PersonSearchSort.OldestFirst => "Age, oldest first",
        PersonSearchSort.School => "School",
        _ => "Best match",
    };

    /// <summary>The query typed, or null when there is none to run (nothing typed, or a field refused).</summary>
    private PersonSearchQuery? Read()
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var (dob, dobError) = Dob.Read("Date of birth", DateRange.Birth(Today));
        if (dobError is not null)
            Errors["DateOfBirth"] = dobError;
        if (Name?.Length > 200)
            Errors["Name"] = "Name must be 200 characters or fewer";
        if (Identifier?.Length > 40)
            Errors["Identifier"] = "An identifier is at most 40 characters";
        if (School is { } school && Schools.All(s => s.Id != school))
            Errors["School"] = "Choose a school from the list";
        var query = new PersonSearchQuery(Name, dob, Identifier)
        {
            SchoolId = School,
            Kind = Kind,
            HasOpenCase = OpenCase,
            HasOpenAlerts = OpenAlerts,
            Sort = Sort,
        };
        // A kind of person alone is everyone of that kind, not a search: it waits for something that narrows.
        Searched = !query.IsEmpty || Errors.Count > 0;
        return !Searched || Errors.Count > 0 ? null : query;
    }

    /// <summary>This search's address with another page, or another handler and format.</summary>
    public string Link(int? page = null, ExportFormat? export = null)
    {
        var parts = new List<string>();
        if (export is { } format)
            parts.Add($"handler=Export&format={format.ToString().ToLowerInvariant()}");
        void Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
                parts.Add($"{key}={Uri.EscapeDataString(value)}");
        }
        Add("Name", Name);
        Add("Identifier", Identifier);
        Add("Dob.Day", Dob.Day);
        Add("Dob.Month", Dob.Month);
        Add("Dob.Year", Dob.Year);
        Add("School", School?.ToString());
        Add("Kind", Kind?.ToString());
        if (OpenCase)
            parts.Add("OpenCase=true");
        if (OpenAlerts)
            parts.Add("OpenAlerts=true");
        if (Sort != PersonSearchSort.BestMatch)
            parts.Add($"Sort={Sort}");
        if (page is > 1)
            parts.Add($"p={page}"); // not "page": Razor Pages routes by that name
        return "/people?" + string.Join("&", parts);
    }
}
