using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Identity;

namespace Waypoint.Tests.Infrastructure;

/// <summary>
/// The real app over HTTP on a real, new database of one provider. Tests isolate themselves by
/// building their own partnership (<see cref="TestPartnership"/>) with unique names, so one app
/// can serve every test of a class.
/// </summary>
public abstract class WaypointApp(DatabaseKind kind) : WebApplicationFactory<Program>, IAsyncLifetime
{
    private TestDatabase? database;

    public DatabaseKind Kind => kind;

    /// <summary>This app's data folder: its audit key file and anchor file live here, outside the database.</summary>
    public string DataFolder { get; } = Path.Combine(Path.GetTempPath(), $"waypoint-data-{Guid.NewGuid():N}");

    /// <summary>PostgreSQL only: the owner role's connection (the app itself connects as a role that may only insert into and read the audit log).</summary>
    public string? OwnerConnectionString => database?.OwnerConnectionString;

    /// <summary>Where this app's e-mail lands (a pickup folder of its own).</summary>
    public string MailFolder { get; } = Path.Combine(Path.GetTempPath(), $"waypoint-mail-{Guid.NewGuid():N}");

    /// <summary>Configuration a subclass adds for its tests.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>Set by subclasses that need a real port (browser tests).</summary>
    protected virtual bool UseRealServer => false;

    public async ValueTask InitializeAsync()
    {
        database = await TestDatabase.CreateAsync(kind);
        if (UseRealServer)
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            StartServer();
        }
        else
        {
            _ = Server; // boots the app: migrations and reference data run now, not in the first test
        }
    }

    /// <summary>The real address when <see cref="UseRealServer"/> is on.</summary>
    public Uri RootUri => new(Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", kind == DatabaseKind.Postgres ? "Postgres" : "Sqlite");
        builder.UseSetting("ConnectionStrings:Waypoint", database!.ConnectionString);
        if (database.OwnerConnectionString is { } owner)
            builder.UseSetting("ConnectionStrings:WaypointOwner", owner);
        builder.UseSetting("Waypoint:DataFolder", DataFolder);
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Email:PickupDirectory", MailFolder);
        // Every test signs in from the one in-process address; the limits' own tests set real ones.
        builder.UseSetting("SignInLimits:PerAddressPermits", "1000000");
        builder.UseSetting("SignInLimits:PerAccountPermits", "1000000");
        foreach (var (key, value) in Settings)
            builder.UseSetting(key, value);
        if (SessionIdleTimeout is { } idle)
            builder.ConfigureServices(services => services.PostConfigure<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme, o => o.ExpireTimeSpan = idle));
    }

    /// <summary>
    /// The sign-in session's idle time-out in place of the product's 20 minutes, for a fixture that
    /// signs its users in once and uses their sessions for longer than that (a slow machine).
    /// </summary>
    public TimeSpan? SessionIdleTimeout { get; init; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (database is not null)
            await database.DisposeAsync();
        if (Directory.Exists(MailFolder))
            Directory.Delete(MailFolder, recursive: true);
        if (Directory.Exists(DataFolder))
            Directory.Delete(DataFolder, recursive: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Runs work against the database as the system (past the access policy): for arranging and inspecting.</summary>
    public async Task<T> AsSystemAsync<T>(Func<WaypointDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = Reader.System;
        return await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), scope.ServiceProvider);
    }

    /// <summary>
    /// An import job once a worker has recorded its outcome, waited on through the workers' own
    /// signal (<see cref="ImportWorker.FinishedAsync"/>), not polled: this host's worker and those of
    /// <paramref name="otherHosts"/> (another host on the same database may take the job). Fails the
    /// test if no worker has finished it within <paramref name="wait"/> (30 seconds unless said).
    /// </summary>
    public async Task<ImportJob> ImportFinishedAsync(Guid jobId, TimeSpan? wait = null, params IServiceProvider[] otherHosts)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(30));
        using var finished = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var workers = otherHosts.Prepend(Services).Select(host => host.GetRequiredService<ImportWorker>().FinishedAsync(jobId, finished.Token)).ToList();
        var first = await Task.WhenAny(workers);
        await finished.CancelAsync();
        if (first.IsCanceled)
            throw new TimeoutException($"Import job {jobId} was not finished by any worker within {(wait ?? TimeSpan.FromSeconds(30)).TotalSeconds} s.");
        await first;
        var job = await AsSystemAsync((db, _) => db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == jobId));
        if (job.Status is ImportStatus.Queued or ImportStatus.Running)
            throw new InvalidOperationException($"Import job {jobId} was signalled finished but reads {job.Status}.");
        return job;
    }

    public Task AsSystemAsync(Func<WaypointDbContext, Task> work) =>
        AsSystemAsync<bool>(async (db, _) =>
        {
            await work(db);
            return true;
        });

    /// <summary>Runs work as a given user, as the access policy sees them (for data-layer tests).</summary>
    public async Task<T> AsUserAsync<T>(TestUser user, Func<WaypointDbContext, IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ReaderContext>().Current = new Reader(user.Id, user.OrganisationId, user.OrganisationType, IsSystem: false);
        return await work(scope.ServiceProvider.GetRequiredService<WaypointDbContext>(), scope.ServiceProvider);
    }

    /// <summary>A new account in an organisation with a TOTP secret already enrolled.</summary>
    public Task<TestUser> CreateUserAsync(Organisation organisation, params string[] roles) =>
        AsSystemAsync(async (db, services) =>
        {
            var users = services.GetRequiredService<UserManager<WaypointUser>>();
            var email = $"user-{Guid.NewGuid():N}@test.invalid";
            var secret = Base32Secret();
            var user = new WaypointUser
            {
                UserName = email,
                Email = email,
                EmailConfirmed = true,
                DisplayName = $"Test user {email[5..13]}",
                OrganisationId = organisation.Id,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            Ensure(await users.CreateAsync(user, TestUser.DefaultPassword));
            if (roles.Length > 0)
                Ensure(await users.AddToRolesAsync(user, roles));
            Ensure(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", secret));
            Ensure(await users.SetTwoFactorEnabledAsync(user, true));
            return new TestUser(user.Id, email, TestUser.DefaultPassword, secret, organisation.Id, organisation.Type);
        });

    private static string Base32Secret()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        return new string(bytes.Select(b => alphabet[b % 32]).ToArray());
    }

    private static void Ensure(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}

public sealed class SqliteApp() : WaypointApp(DatabaseKind.Sqlite);

public sealed class PostgresApp() : WaypointApp(DatabaseKind.Postgres);

public sealed record TestUser(Guid Id, string Email, string Password, string TotpSecret, Guid OrganisationId, OrganisationType OrganisationType)
{
    public const string DefaultPassword = "violet-harbour-compass";

    private static readonly Dictionary<Guid, long> LastStepHandedOut = [];

    /// <summary>
    /// A code the server has not seen for this user. It accepts each code once, from two 30-second
    /// steps either side of now, so this is the current step's code, or a later step's when that one
    /// was handed out already: three sign-ins of one user a step before the clock has to move on.
    /// </summary>
    public string CurrentCode()
    {
        lock (LastStepHandedOut)
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30;
            var step = LastStepHandedOut.TryGetValue(Id, out var last) ? Math.Max(now, last + 1) : now;
            if (step > now + 2)
                throw new InvalidOperationException($"{Email} has signed in more often than the server accepts codes (each once, two steps ahead at most): sign in once and reuse the client.");
            LastStepHandedOut[Id] = step;
            return Totp.Code(TotpSecret, DateTimeOffset.FromUnixTimeSeconds(step * 30));
        }
    }
}
