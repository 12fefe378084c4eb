using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Access;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>
/// Base for the pages that act on one person (edit, identifiers, family, address, team): the
/// person is opened through the access policy first, so an invisible person is a 404 and every
/// look is audited before any form is shown or any change made.
/// </summary>
public abstract class PersonPageModel(PersonAccess access) : PageModel
{
    [BindProperty(SupportsGet = true)] public Guid Id { get; set; }
    public Person? Person { get; private set; }
    public Dictionary<string, string> Errors { get; } = [];

    protected PersonAccess Access => access;

    /// <summary>Opens the person for this page; false means answer 404.</summary>
    protected async Task<bool> OpenAsync(string subject, CancellationToken ct)
    {
        Person = await access.OpenAsync(Id, subject, ct);
        return Person is not null;
    }

    protected IActionResult BackToPerson() => Redirect($"/people/{Id}");
}
