using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>
/// Base for the pages that act on one person (edit, identifiers, family, address, team): the
/// person is opened through the access policy first, so an invisible person is a 404 and every
/// look is audited before any form is shown or any change made; a change asks for its named
/// operation (write or grant), refused with 403 when the reader's access does not allow it.
/// </summary>
public abstract class PersonPageModel(PersonAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public Person? Person { get; private set; }
    public OpenedPerson? Opened { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    protected PersonAccess Access => access;

    /// <summary>Opens the person for this page; false means answer 404.</summary>
    protected async Task<bool> OpenAsync(string subject, CancellationToken ct)
    {
        Opened = await access.OpenExplainedAsync(Id, subject, ct);
        Person = Opened?.Person;
        return Person is not null;
    }

    /// <summary>Opens the person for an operation: null to go on, or the 404 or 403 to answer.</summary>
    protected async Task<IActionResult?> OpenForAsync(PersonOperation operation, string subject, CancellationToken ct)
    {
        var (outcome, opened) = await access.OpenForAsync(Id, operation, subject, ct);
        Opened = opened;
        Person = opened?.Person;
        return outcome switch
        {
            AccessOutcome.Allowed => null,
            AccessOutcome.NotFound => NotFound(),
            _ => Forbid(),
        };
    }

    /// <summary>Back to the section of the person page the change shows on, where the success banner waits.</summary>
    protected IActionResult BackToPerson(PersonSection section = PersonSection.Summary) => Redirect(PersonPages.Url(Id, section));
}
