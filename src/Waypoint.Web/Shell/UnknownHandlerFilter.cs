using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace Waypoint.Shell;

/// <summary>
/// A request no handler of a page answers (a POST to a page that only shows, an unknown
/// <c>?handler=</c>) would otherwise render the page with nothing loaded and fail. It is answered
/// 405 with <c>Allow</c>, or 400 for an unknown handler name, after the page's own GET handler has
/// run: a page keyed by a record the reader may not see then answers 404 and audits the refusal
/// exactly as a GET of it does, so a POST is no way to learn which records exist. Form values a
/// field does not accept (<see cref="DefinedEnumBinding"/>) are refused here too, with a 400 page
/// naming the fields, before any handler acts on them.
/// </summary>
public sealed class UnknownHandlerFilter : IAsyncPageFilter
{
    private const string NoHandlerItem = "Waypoint.NoHandler";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context)
    {
        var http = context.HttpContext;
        if (context.HandlerMethod is not null
            || HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method)
            || http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
            return Task.CompletedTask;
        http.Items[NoHandlerItem] = true;
        // Only a page keyed by a record (a {parameter} in its route) needs its GET's access check first;
        // a page without one is refused at once, so a GET that writes its own response (an export
        // streamed to the body) is never run for a POST.
        var keyed = context.ActionDescriptor.AttributeRouteInfo?.Template?.Contains('{', StringComparison.Ordinal) == true;
        context.HandlerMethod = keyed ? context.ActionDescriptor.HandlerMethods.FirstOrDefault(h => h.HttpMethod == "Get" && h.Name is null) : null;
        return Task.CompletedTask;
    }

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var http = context.HttpContext;
        // The error page, re-executed for this request's refusal, shows it; the items that caused it are still set.
        if (http.Features.Get<IStatusCodeReExecuteFeature>() is not null)
        {
            await next();
            return;
        }
        var noHandler = http.Items.ContainsKey(NoHandlerItem);
        if (!noHandler && DefinedEnumBinding.Problems(http).Count > 0)
        {
            context.Result = new StatusCodeResult(StatusCodes.Status400BadRequest);
            return;
        }
        if (!noHandler)
        {
            await next();
            return;
        }
        if (context.HandlerMethod is null)
        {
            context.Result = Refuse(context);
            return;
        }
        var executed = await next();
        if (executed.Exception is null && !IsRefusal(executed.Result) && !http.Response.HasStarted)
        {
            // The GET ran for its access check alone: the record is visible, but nothing of it is shown.
            http.RequestServices.GetRequiredService<Audit.AuditTrail>().DiscardPendingReads();
            executed.Result = Refuse(context);
        }
    }

    /// <summary>What the GET handler answered for a record the reader may not see (or a role they lack) stands.</summary>
    private static bool IsRefusal(IActionResult? result) =>
        result is ForbidResult or ChallengeResult || result is IStatusCodeActionResult { StatusCode: >= 400 };

    private static IActionResult Refuse(FilterContext context)
    {
        var http = context.HttpContext;
        var handlers = ((Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor)context.ActionDescriptor).HandlerMethods;
        // The page takes this method with a named handler, just not the one asked for.
        if (handlers.Any(h => string.Equals(h.HttpMethod, http.Request.Method, StringComparison.OrdinalIgnoreCase)))
            return new StatusCodeResult(StatusCodes.Status400BadRequest);
        var allowed = handlers.Select(h => h.HttpMethod.ToUpperInvariant()).Append("GET").Distinct().ToList();
        if (allowed.Contains("GET"))
            allowed.Insert(allowed.IndexOf("GET") + 1, "HEAD");
        http.Response.Headers.Allow = string.Join(", ", allowed.Distinct());
        return new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
    }
}
