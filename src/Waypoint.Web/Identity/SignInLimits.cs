using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Waypoint.Identity;

/// <summary>
/// How many sign-in attempts (password, authenticator code, API token) are allowed in a window:
/// per network address, against one person guessing at many accounts, and per account, against
/// many addresses guessing at one (lockout alone stops only wrong passwords of real accounts,
/// and would say which accounts are real).
/// </summary>
public sealed class SignInLimitOptions
{
    public const string Section = "SignInLimits";

    [Range(1, 1_000_000, ErrorMessage = "SignInLimits:PerAddressPermits must be from {1} to {2}")] public int PerAddressPermits { get; set; } = 20;
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "SignInLimits:PerAddressWindow must be from {1} to {2}")] public TimeSpan PerAddressWindow { get; set; } = TimeSpan.FromMinutes(1);
    [Range(1, 1_000_000, ErrorMessage = "SignInLimits:PerAccountPermits must be from {1} to {2}")] public int PerAccountPermits { get; set; } = 10;
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "SignInLimits:PerAccountWindow must be from {1} to {2}")] public TimeSpan PerAccountWindow { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>The per-account limit, checked by the handlers once they know which account is meant.</summary>
public sealed class SignInThrottle(IOptions<SignInLimitOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<string> accounts = PartitionedRateLimiter.Create<string, string>(account =>
        RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.Value.PerAccountPermits,
            Window = options.Value.PerAccountWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>Null when the attempt may go ahead; otherwise how long until the account may be tried again.</summary>
    public TimeSpan? TryAttempt(string email)
    {
        // Keyed by the address as typed (normalised), known or not, so that the limit says nothing about which accounts exist.
        using var lease = accounts.AttemptAcquire(email.Trim().ToUpperInvariant());
        if (lease.IsAcquired)
            return null;
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : options.Value.PerAccountWindow;
    }

    public void Dispose() => accounts.Dispose();
}

public static class SignInLimits
{
    /// <summary>The rate-limiter policy on the sign-in pages and the token endpoint: attempts per network address.</summary>
    public const string PerAddressPolicy = "sign-in-per-address";

    private const string RetryAfterItem = "Waypoint.SignInRetryAfter";

    public static IServiceCollection AddWaypointSignInLimits(this IServiceCollection services, IConfiguration config)
    {
        services.AddOptions<SignInLimitOptions>().Bind(config.GetSection(SignInLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(PerAddressPolicy, http =>
            {
                // Showing the form is not an attempt.
                if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
                    return RateLimitPartition.GetNoLimiter("read");
                var limits = http.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(AddressKey(http.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.PerAddressPermits,
                    Window = limits.PerAddressWindow,
                    QueueLimit = 0,
                    AutoReplenishment = true,
                });
            });
            o.OnRejected = (context, _) =>
            {
                var retry = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after
                    : context.HttpContext.RequestServices.GetRequiredService<IOptions<SignInLimitOptions>>().Value.PerAddressWindow;
                return new ValueTask(RefuseAsync(context.HttpContext, retry));
            };
        });
        return services;
    }

    /// <summary>"Too many attempts. Try again in 15 minutes."</summary>
    public static string Message(TimeSpan retryAfter)
    {
        var minutes = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalMinutes));
        return $"Too many attempts. Try again in {minutes} minute{(minutes == 1 ? "" : "s")}.";
    }

    /// <summary>Sets 429 and Retry-After; the API gets a problem, a page gets the error page (which reads the wait from <see cref="RetryAfter"/>).</summary>
    public static async Task RefuseAsync(HttpContext http, TimeSpan retryAfter)
    {
        SetRetryAfter(http, retryAfter);
        if (http.Request.Path.StartsWithSegments("/api"))
            await Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts.", detail: Message(retryAfter)).ExecuteAsync(http);
    }

    /// <summary>Sets 429 and the Retry-After header (whole seconds, rounded up).</summary>
    public static void SetRetryAfter(HttpContext http, TimeSpan retryAfter)
    {
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        http.Items[RetryAfterItem] = retryAfter;
    }

    /// <summary>The wait set by a refusal earlier in this request, for the error page.</summary>
    public static TimeSpan? RetryAfter(HttpContext http) => http.Items.TryGetValue(RetryAfterItem, out var value) ? value as TimeSpan? : null;

    /// <summary>An IPv6 client usually holds a whole /64, so it is limited as one.</summary>
    internal static string AddressKey(IPAddress? address)
    {
        if (address is null)
            return "unknown";
        if (address.IsIPv4MappedToIPv6)
            address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && !IPAddress.IsLoopback(address))
            return new IPAddress([.. address.GetAddressBytes()[..8], 0, 0, 0, 0, 0, 0, 0, 0]).ToString();
        return address.ToString();
    }
}
