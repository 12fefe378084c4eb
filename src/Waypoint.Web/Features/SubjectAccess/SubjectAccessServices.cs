using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Features.SubjectAccess;

public static class SubjectAccessServices
{
    public static IServiceCollection AddWaypointSubjectAccess(this IServiceCollection services)
    {
        services.AddScoped<SubjectAccessCompiler>();
        services.AddScoped<ThirdPartyFinder>();
        services.AddScoped<SubjectAccessWork>();
        return services;
    }
}

/// <summary>
/// Subject-access pages are the data-protection officer's alone. Anyone else gets 404, as if the
/// pages did not exist (a 403 would tell them where everyone's records are compiled), and the
/// attempt is recorded in the audit log.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class DataProtectionOfficerOnlyAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        if (context.HttpContext.User.IsInRole(Roles.DataProtectionOfficer))
        {
            await next();
            return;
        }
        await Refuse(context, "not a data-protection officer");
    }

    internal static async Task Refuse(PageHandlerExecutingContext context, string why)
    {
        var audit = context.HttpContext.RequestServices.GetRequiredService<AuditTrail>();
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Denied, $"subject-access:{context.HttpContext.Request.Method} {context.HttpContext.Request.Path}", why));
        context.Result = new NotFoundResult();
    }
}

/// <summary>The police release step is for users of a police force only; anyone else gets 404, recorded.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class PoliceOnlyAttribute : Attribute, IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var reader = context.HttpContext.RequestServices.GetRequiredService<ReaderContext>().Current;
        if (!reader.IsSystem && reader.OrganisationType == OrganisationType.Police && reader.OrganisationId != Guid.Empty && !reader.AggregatesOnly)
        {
            await next();
            return;
        }
        await DataProtectionOfficerOnlyAttribute.Refuse(context, "not a police force's user");
    }
}
