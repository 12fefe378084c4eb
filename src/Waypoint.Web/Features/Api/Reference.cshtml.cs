using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Waypoint.Features.Api;

/// <summary>The readable API reference: public, like the OpenAPI document it sits beside.</summary>
[AllowAnonymous]
public sealed class ReferenceModel(IApiDescriptionGroupCollectionProvider apiExplorer) : PageModel
{
    public IReadOnlyList<ApiOperation> Operations { get; private set; } = [];
    public string BaseUrl { get; private set; } = "";

    public void OnGet()
    {
        Operations = ApiReference.Describe(apiExplorer);
        BaseUrl = $"{Request.Scheme}://{Request.Host}";
    }
}
