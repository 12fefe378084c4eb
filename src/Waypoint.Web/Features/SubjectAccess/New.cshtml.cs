using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Domain;
using Waypoint.Shell;

namespace Waypoint.Features.SubjectAccess;

/// <summary>
/// Records a request: the DPO finds the person it concerns in the register, then says who asked
/// and when. A request about someone not in the register is refused with the reason: there is
/// nothing to compile, and the requester is told that no data is held.
/// </summary>
[DataProtectionOfficerOnly]
public sealed class NewModel(SubjectAccessWork work, TimeProvider clock) : PageModel
{
    public const string NotInRegister = "There is no one in the register with this id. A request about someone the partnership holds nothing on cannot be recorded: tell the requester that no personal data about them is held.";

    [BindProperty(SupportsGet = true)] public string? Name { get; set; }
    [BindProperty(SupportsGet = true)] public DateInput DateOfBirth { get; set; } = new();
    [BindProperty(SupportsGet = true)] public string? Person { get; set; }
    [BindProperty] public string? RequesterName { get; set; }
    [BindProperty] public string? Relationship { get; set; }
    [BindProperty] public DateInput ReceivedOn { get; set; } = new();

    public IReadOnlyList<RegisterMatch>? Matches { get; private set; }
    public RegisterMatch? Chosen { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    public static IReadOnlyList<(string Value, string Text)> Relationships { get; } =
    [
        (nameof(SubjectAccessRelationship.Self), "The person themselves"),
        (nameof(SubjectAccessRelationship.Parent), "A parent or someone with parental responsibility"),
        (nameof(SubjectAccessRelationship.Carer), "A carer"),
        (nameof(SubjectAccessRelationship.Representative), "A solicitor or advocate acting for them"),
        (nameof(SubjectAccessRelationship.Other), "Someone else, with the person's authority"),
    ];

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!string.IsNullOrWhiteSpace(Person))
        {
            if (!Guid.TryParse(Person, out var id) || (Chosen = await work.InRegisterAsync(id, ct)) is null)
                Errors["Person"] = NotInRegister;
            return Page();
        }
        var (dob, dobError) = DateOfBirth.Read("Date of birth", DateRange.Birth(Today));
        if (dobError is not null)
            Errors["DateOfBirth"] = dobError;
        else if (!string.IsNullOrWhiteSpace(Name) || dob is not null)
            Matches = await work.SearchAsync(Name?.Trim(), dob, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!Guid.TryParse(Person, out var personId) || (Chosen = await work.InRegisterAsync(personId, ct)) is null)
        {
            Errors["Person"] = NotInRegister;
            return Page();
        }
        var requester = RequesterName?.Trim();
        if (FormText.Problem(requester, SubjectAccessRequest.MaxRequesterLength, "Enter the name of the person who made the request", "The requester's name") is { } problem)
            Errors["RequesterName"] = problem;
        if (!Enum.TryParse<SubjectAccessRelationship>(Relationship, out var relationship) || !Enum.IsDefined(relationship) || int.TryParse(Relationship, out _))
            Errors["Relationship"] = "Select who made the request";
        var (received, receivedError) = ReceivedOn.Read("Date the request was received", new DateRange(Today.AddYears(-1), Today, Today));
        if (receivedError is not null)
            Errors["ReceivedOn"] = receivedError;
        else if (received is null)
            Errors["ReceivedOn"] = "Enter the date the request was received";
        if (Errors.Count > 0)
            return Page();
        var request = await work.RecordAsync(personId, requester!, relationship, received!.Value, ct);
        TempData["Confirmation"] = $"Request recorded. The answer is due by {request.DueOn:d MMMM yyyy}.";
        return Redirect($"/subject-access/request?id={request.Id}");
    }
}
