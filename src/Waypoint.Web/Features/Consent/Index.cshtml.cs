using Microsoft.AspNetCore.Mvc;
using Waypoint.Access;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Shell;

namespace Waypoint.Features.Consent;

/// <summary>
/// A person's consent to early help: where it stands for each agency, every answer the reader may
/// see, and the form to record the family's latest answer. Opened from the person page, or from a
/// case with <c>?caseId=</c> so the answer is also noted in the case's history.
/// </summary>
public sealed class IndexModel(PersonAccess access, ConsentWork work) : PersonPageModel(access)
{
    [BindProperty(SupportsGet = true)] public Guid? CaseId { get; set; }
    [BindProperty] public Guid? ForOrganisationId { get; set; }

    /// <summary>The outstanding request the answer resolves (preselected from My work).</summary>
    [BindProperty(SupportsGet = true)] public Guid? RequestId { get; set; }
    [BindProperty] public ConsentMethod? Method { get; set; }
    [BindProperty] public DateInput AskedOn { get; set; } = new();
    [BindProperty] public string? AnsweredBy { get; set; }
    [BindProperty] public ConsentOutcome? Outcome { get; set; }
    [BindProperty] public string? Scope { get; set; }
    [BindProperty] public DateInput ExpiresOn { get; set; } = new();

    public IReadOnlyList<ConsentRow> History { get; private set; } = [];
    public IReadOnlyList<CurrentConsent> Current { get; private set; } = [];
    public IReadOnlyList<(string Value, string Text)> Agencies { get; private set; } = [];
    public bool Recorded { get; private set; }
    public IReadOnlyList<OutstandingRequest> Outstanding { get; private set; } = [];

    /// <summary>The outstanding requests the reader's organisation was asked to make, which its answer may resolve.</summary>
    public IReadOnlyList<(string Value, string Text)> Answerable { get; private set; } = [];
    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.UtcNow);

    public async Task<IActionResult> OnGetAsync(bool? recorded, CancellationToken ct)
    {
        if (!await OpenAsync("consent", ct))
            return NotFound();
        Recorded = recorded == true;
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await OpenAsync("consent", ct))
            return NotFound();
        // Consent is recorded when it is asked, or soon after: an answer from years ago is not today's consent.
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var (askedOn, askedOnError) = AskedOn.Read("The date the family was asked", DateRange.NoEarlierThan(today.AddYears(-2), today));
        var (expiresOn, expiresOnError) = ExpiresOn.Read("The date consent expires", DateRange.NoLaterThan(today.AddYears(5), today));
        var answer = new ConsentAnswer(ForOrganisationId, Method, askedOn, AnsweredBy, Outcome, Scope, expiresOn, CaseId, RequestId);
        // A date that cannot be read stops the save as surely as any other message.
        var errors = askedOnError is null && expiresOnError is null
            ? (await work.RecordAsync(Person!, answer, ct)).Errors
            : await work.ValidateAsync(Person!, answer, ct);
        if (errors.Count == 0)
            return Redirect($"/people/{Id}/consent?recorded=true");
        foreach (var (field, message) in errors)
            Errors[field] = message;
        if (askedOnError is not null)
            Errors["AskedOn"] = askedOnError;
        if (expiresOnError is not null)
            Errors["ExpiresOn"] = expiresOnError;
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        History = await work.HistoryAsync(Id, ct);
        Current = work.Current(History);
        Agencies = await work.AgenciesAsync(ct);
        Outstanding = await work.OutstandingAsync(Id, ct);
        Answerable = Outstanding.Where(r => work.MayAnswer(r)).Select(r => (r.Id.ToString(),
            r.Meeting is null ? $"Due {r.DueOn:d MMMM yyyy}" : $"{r.Meeting}, {r.MeetingDate:d MMMM yyyy} (due {r.DueOn:d MMMM yyyy})")).ToList();
    }
}
