using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features;

[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "statusCode")] public int? Code { get; set; }

    public int Status => Code ?? 500;

    public string Title => Status switch
    {
        404 => "Page not found",
        403 => "You do not have access to this page",
        400 => "Sorry, there is a problem with that request",
        405 => "Sorry, that action is not available on this page",
        429 => "Too many attempts",
        _ => "Sorry, there is a problem with the service",
    };

    /// <summary>When a person's page was refused, the id for the break-glass link.</summary>
    public Guid? RefusedPersonId { get; private set; }

    /// <summary>For a 429: "Too many attempts. Try again in N minutes."</summary>
    public string? RetryMessage => Identity.SignInLimits.RetryAfter(HttpContext) is { } wait ? Identity.SignInLimits.Message(wait) : null;

    /// <summary>For a 400 from a form value no field accepts (see <see cref="Shell.DefinedEnumBinding"/>): what each field said.</summary>
    public IReadOnlyList<string> FieldProblems => Shell.DefinedEnumBinding.Problems(HttpContext);

    public void OnGet()
    {
        var original = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>()?.OriginalPath;
        var parts = original?.Trim('/').Split('/') ?? [];
        if (Status == 404 && parts.Length == 2 && parts[0] == "people" && Guid.TryParse(parts[1], out var id) && User.Identity?.IsAuthenticated == true)
            RefusedPersonId = id;
    }

    public void OnPost()
    {
    }
}
