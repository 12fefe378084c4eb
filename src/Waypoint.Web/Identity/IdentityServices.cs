using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Waypoint.Data;

namespace Waypoint.Identity;

public static class Policies
{
    public const string PartnershipAdmin = "PartnershipAdmin";
    public const string OrganisationAdmin = "OrganisationAdmin";
    public const string DataProtection = "DataProtection";
    public const string Api = "Api";
}

public static class IdentityServices
{
    public const string SmartScheme = "WaypointSmart";
    public const string BearerScheme = "Bearer";

    public static IServiceCollection AddWaypointIdentity(this IServiceCollection services, IConfiguration config, IHostEnvironment env)
    {
        services.AddIdentity<WaypointUser, WaypointRole>(o =>
            {
                // NCSC: length over complexity, and a deny-list of passwords people commonly choose.
                o.Password.RequiredLength = 12;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 4;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.User.RequireUniqueEmail = true;
                // Each authenticator code once: sign-in, enrolment and the API token all verify through it.
                o.Tokens.AuthenticatorTokenProvider = OneTimeAuthenticatorTokenProvider.Name;
            })
            .AddEntityFrameworkStores<WaypointDbContext>()
            .AddDefaultTokenProviders()
            .AddTokenProvider<OneTimeAuthenticatorTokenProvider>(OneTimeAuthenticatorTokenProvider.Name)
            .AddPasswordValidator<DenyListPasswordValidator>();

        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "waypoint";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = env.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            o.LoginPath = "/sign-in";
            o.LogoutPath = "/sign-out";
            // Idle time-out: a session left alone for 20 minutes ends.
            o.ExpireTimeSpan = TimeSpan.FromMinutes(20);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => ApiAwareRedirect(ctx, StatusCodes.Status401Unauthorized);
            // A refusal is answered where it happens: a 403 (the error page explains it), never a
            // redirect to a page that would answer 200 and hide the refusal from clients and tests.
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddAuthentication(o =>
            {
                // AddIdentity set these to the cookie; requests with a bearer token must use the token.
                o.DefaultScheme = SmartScheme;
                o.DefaultAuthenticateScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
                o.DefaultForbidScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie or bearer token", o => o.ForwardDefaultSelector = ctx =>
                ctx.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    ? BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1));

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.PartnershipAdmin, p => p.RequireRole(Roles.PartnershipAdmin))
            .AddPolicy(Policies.OrganisationAdmin, p => p.RequireRole(Roles.OrganisationAdmin, Roles.PartnershipAdmin))
            .AddPolicy(Policies.DataProtection, p => p.RequireRole(Roles.DataProtectionOfficer))
            .AddPolicy(Policies.Api, p => p.AddAuthenticationSchemes(BearerScheme).RequireAuthenticatedUser());

        services.AddSingleton<PendingSignIn>();
        services.AddSingleton<SignInCache>();
        services.AddSingleton<DummyPasswordHash>();
        services.AddScoped<PasswordCheck>();
        services.AddWaypointSignInLimits(config);
        return services;
    }

    private static Task ApiAwareRedirect(RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }
        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
