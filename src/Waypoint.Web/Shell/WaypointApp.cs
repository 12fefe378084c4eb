using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Features.Admin;
using Waypoint.Features.Alerts;
using Waypoint.Features.Api;
using Waypoint.Features.Notifications;
using Waypoint.Features.Schools.Imports;
using Waypoint.Identity;

namespace Waypoint.Shell;

public static class WaypointApp
{
    public static IServiceCollection AddWaypoint(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        services.AddWaypointDatabase(config, env);
        services.AddWaypointIdentity(config, env);
        services.AddHttpContextAccessor();
        services.AddWaypointTelemetry(config);
        services.AddWaypointSettings(config);
        services.AddWaypointAccess();
        services.AddScoped<CurrentUserSummary>();
        services.AddScoped<Features.Schools.SchoolRecordsChanged>();
        services.AddScoped<Features.People.RegisterPerson>();
        services.AddScoped<Features.Merge.PersonMerger>();
        services.AddScoped<Features.Demo.DemoPartnershipSeeder>();
        services.AddWaypointAdministration();
        services.AddWaypointNotifications(config);
        services.AddWaypointImports();
        Features.Schools.Imports.ImportOptions.Add(services, config);
        services.AddScoped<Features.Referrals.Triage>();
        services.AddScoped<Features.Cases.CaseWork>();
        services.AddScoped<Features.Cases.CasePlan>();
        services.AddScoped<Features.Cases.CaseLead>();
        services.AddScoped<Features.Consent.ConsentWork>();
        services.AddScoped<Features.Consent.ConsentRates>();
        services.AddScoped<Features.Chronology.Chronology>();
        services.AddScoped<Features.Meetings.MeetingWork>();
        services.AddScoped<Features.Meetings.MeetingSources>();
        services.AddScoped<Features.Meetings.MinutesVersions>();
        services.AddScoped<Features.Meetings.MeetingPack>();
        services.AddScoped<Features.Meetings.SeriesOutcomes>();
        services.AddWaypointAlerts();
        Features.Risk.RiskServices.AddWaypointRisk(services);
        services.AddHostedService<Features.Evidence.DailyCensusRollForward>();
        services.AddSingleton<WakeSignal<Features.Evidence.OutcomeMeasureCalculation>>();
        services.AddSingleton<Features.Evidence.OutcomeMeasureCalculation>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Evidence.OutcomeMeasureCalculation>());
        Features.Services.ServiceDirectoryServices.AddWaypointServiceDirectory(services);
        Features.Retention.RetentionServices.AddWaypointRetention(services, config);
        Features.SubjectAccess.SubjectAccessServices.AddWaypointSubjectAccess(services);
        services.AddOptions<AlertOptions>().Bind(config.GetSection(AlertOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddRouting(o => o.LowercaseUrls = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<BadRequestProblemHandler>();
        // Binding failures in the API become exceptions so that BadRequestProblemHandler can say what was wrong.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new NamedEnumConverter());
            o.SerializerOptions.Converters.Add(new SaneDateConverter());
        });
        services.AddOpenApi("v1");
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "waypoint.af";
            o.Cookie.SecurePolicy = env.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        services.AddRazorPages(o =>
        {
            o.Conventions.AllowAnonymousToFolder("/Public");
            o.Conventions.AllowAnonymousToPage("/SignIn/Index");
            o.Conventions.AllowAnonymousToPage("/SignIn/Code");
            o.Conventions.AllowAnonymousToPage("/SignIn/Enrol");
            o.Conventions.AllowAnonymousToPage("/Error");
            o.Conventions.AllowAnonymousToPage("/SignIn/SignOut");
        }).AddRazorPagesOptions(o => o.RootDirectory = "/Features")
            .AddMvcOptions(o =>
            {
                o.Filters.Add<UnknownHandlerFilter>();
                o.Filters.Add<Identity.SignInCheckFilter>();
            });
        services.AddOptions<Microsoft.AspNetCore.Mvc.MvcOptions>()
            .Configure<ILoggerFactory>((o, loggers) => o.ModelBinderProviders.Insert(0, new DefinedEnumBinding(loggers)));
        services.AddHsts(o => o.MaxAge = TimeSpan.FromDays(365));
        return services;
    }

    public static WebApplication UseWaypoint(this WebApplication app)
    {
        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
            app.UseHsts();
        // The API answers errors with problem details; pages with a page.
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/api"), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), ui =>
        {
            if (!app.Environment.IsDevelopment())
                ui.UseExceptionHandler("/error");
            ui.UseStatusCodePagesWithReExecute("/error", "?statusCode={0}");
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseMiddleware<ReaderMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapWaypointApi();
        Features.Evidence.EvidenceApi.MapEvidenceApi(app);
        app.MapRazorPages();
        return app;
    }
}
