using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Waypoint.Access;
using Waypoint.Data;

namespace Waypoint.Identity;

/// <summary>
/// Turns the signed-in principal into the <see cref="Reader"/> the access policy uses, and ends
/// the session or token at once if the account was deactivated or signed out everywhere (the
/// security stamp changed) — checked on every request, cookie or bearer alike.
/// </summary>
/// <remarks>
/// On a page marked <see cref="FoldsSignInCheckAttribute"/> (a GET), when an earlier request found this account with the same
/// security stamp, the check rides on the page's first statement instead of a round trip of its own (issue 18): the reader is
/// made from what that request found (<see cref="SignInCache"/>), and the person's open reads the account's state in the same
/// statement (one snapshot), which <see cref="ReaderContext.Deferred"/> then holds against the token before anything is
/// answered: refused as here when the account, its organisation or the session is no longer valid; read afresh, and the
/// person opened again, when the account changed in a way the stamp does not show. A page that never reaches the open is
/// checked after its handler, before its result (<see cref="SignInCheckFilter"/>).
/// </remarks>
public sealed class ReaderMiddleware(RequestDelegate next)
{
    /// <summary>The account's state as the open's statement reads it (<see cref="AccountState"/>), with its roles.</summary>
    private sealed record AccountRow(AccountState State, List<string> Roles);

    private static readonly CompiledPerModel<Func<WaypointDbContext, Guid, Task<AccountRow?>>> AccountQuery = new(() => EF.CompileAsyncQuery(CompiledQueryGuard.Checked<Func<WaypointDbContext, Guid, AccountRow?>>(
        (WaypointDbContext db, Guid userId) => db.Users.AsNoTracking()
            .Where(u => u.Id == userId)
            .Select(u => new AccountRow(
                new AccountState(u.IsActive, u.SecurityStamp, u.ConcurrencyStamp, u.OrganisationId, u.Organisation!.Type, u.Organisation.IsActive, u.DisplayName, u.Email,
                    u.Organisation.Name),
                (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where ur.UserId == u.Id select r.Name!).ToList()))
            .FirstOrDefault())));

    public async Task InvokeAsync(HttpContext http, ReaderContext readerContext, Shell.CurrentUserSummary currentUser, WaypointDbContext db, IOptions<IdentityOptions> identity,
        SignInCache cache)
    {
        // A re-executed request (the error page) in the same scope checks afresh.
        readerContext.Deferred = null;
        if (http.User.Identity?.IsAuthenticated == true
            && Guid.TryParse(http.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            var stamp = http.User.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
            if (stamp is not null && HttpMethods.IsGet(http.Request.Method)
                && http.GetEndpoint()?.Metadata.GetMetadata<FoldsSignInCheckAttribute>() is not null
                && cache.Find(userId, stamp) is { } known)
            {
                readerContext.Current = known.Reader;
                readerContext.Deferred = new Deferred(readerContext, currentUser, db, cache, userId, stamp, known);
                try
                {
                    await next(http);
                }
                catch (SignInRevokedException) when (!http.Response.HasStarted)
                {
                    http.Response.Clear();
                    await RefuseAsync(http);
                }
                catch (SignInStaleException) when (!http.Response.HasStarted)
                {
                    // Found out of date after a handler that never opened a person: asked again, to be answered with the fresh account.
                    http.Response.Clear();
                    http.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                    http.Response.Headers.Location = http.Request.GetEncodedPathAndQuery();
                }
                return;
            }
            // The account, its organisation and its roles in one statement, compiled once (issue 18: on every request).
            var user = await AccountQuery.For(db)(db, userId);
            if (!Holds(user, stamp))
            {
                cache.Forget(userId);
                await RefuseAsync(http);
                return;
            }
            Use(readerContext, currentUser, cache, userId, stamp!, user!);
        }
        await next(http);
    }

    private static bool Holds(AccountRow? user, string? stamp) =>
        user is not null && user.State.IsActive && user.State.OrganisationActive && user.State.SecurityStamp == stamp;

    /// <summary>The reader and the shell's facts from a check that held; remembered for the next request with the same stamp.</summary>
    private static SignInCache.Known Use(ReaderContext readerContext, Shell.CurrentUserSummary currentUser, SignInCache cache, Guid userId, string stamp, AccountRow user)
    {
        // Roles from the database, not the token's claims, so a changed role applies at once.
        var (state, roles) = user;
        var known = new SignInCache.Known(stamp, state.ConcurrencyStamp,
            new Reader(userId, state.OrganisationId, state.OrganisationType, IsSystem: false, Roles.SeeAggregatesOnly(roles)), roles.ToHashSet());
        cache.Remember(userId, known);
        readerContext.Current = known.Reader;
        // The page shell shows the same facts; handing them over saves it two queries a page.
        currentUser.Use(new Shell.UserSummary(userId, state.DisplayName, state.Email ?? "", state.OrganisationId, state.OrganisationName, known.Roles));
        return known;
    }

    /// <summary>
    /// Revoked: refuse outright rather than carry on as anonymous, so no later authentication step can bring the old cookie or
    /// token back to life.
    /// </summary>
    private static async Task RefuseAsync(HttpContext http)
    {
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            http.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await Results.Problem(statusCode: 401, title: "Signed out", detail: "This token is no longer valid: the account was deactivated or signed out everywhere.").ExecuteAsync(http);
            return;
        }
        await http.SignOutAsync(IdentityConstants.ApplicationScheme);
        http.Response.Redirect("/sign-in");
    }

    /// <summary>The check this request owes, made from the state the folding statement read, or in a statement of its own.</summary>
    private sealed class Deferred(ReaderContext readerContext, Shell.CurrentUserSummary currentUser, WaypointDbContext db, SignInCache cache,
        Guid userId, string stamp, SignInCache.Known known) : DeferredSignInCheck
    {
        public override Guid UserId => userId;

        public override async Task<bool> CompleteAsync(AccountState? state, CancellationToken ct)
        {
            if (state is not null)
            {
                if (!state.IsActive || !state.OrganisationActive || state.SecurityStamp != stamp)
                    Refuse();
                // The roles are remembered per (stamp, concurrency stamp): every change through the account's manager moves the
                // latter (roles added or removed), every change to what the account may do the former. The organisation too.
                if (state.ConcurrencyStamp == known.ConcurrencyStamp && state.OrganisationId == known.Reader.OrganisationId
                    && state.OrganisationType == known.Reader.OrganisationType)
                {
                    readerContext.Deferred = null;
                    currentUser.Use(new Shell.UserSummary(userId, state.DisplayName, state.Email ?? "", state.OrganisationId, state.OrganisationName, known.Roles));
                    return true;
                }
            }
            // No row came back (the person hidden), or the account changed: the check in a statement of its own, as on any page.
            var used = readerContext.Current;
            var user = await AccountQuery.For(db)(db, userId);
            if (!Holds(user, stamp))
                Refuse();
            readerContext.Deferred = null;
            return Use(readerContext, currentUser, cache, userId, stamp, user!).Reader == used;
        }

        private void Refuse()
        {
            cache.Forget(userId);
            readerContext.Deferred = null;
            readerContext.Current = Reader.Anonymous;
            throw new SignInRevokedException();
        }
    }
}

/// <summary>
/// What a sign-in check that held found, per account and security stamp, for the pages whose first statement makes the check
/// (<see cref="FoldsSignInCheckAttribute"/>). Never trusted alone: that statement reads the account's state each time.
/// </summary>
public sealed class SignInCache
{
    // What is remembered holds only while both stamps hold: every change the app makes to an account's roles goes through
    // UserManager (UserAdministration, the seeder, the commands), which moves the concurrency stamp. A role row written straight
    // into the database moves neither, and the person page would not see it until a stamp moves: never write roles that way.
    /// <summary>Beyond this many accounts the memory starts again (each is read afresh once).</summary>
    private const int MaxAccounts = 20_000;

    public sealed record Known(string SecurityStamp, string? ConcurrencyStamp, Reader Reader, IReadOnlySet<string> Roles);

    private readonly ConcurrentDictionary<Guid, Known> accounts = new();

    public Known? Find(Guid userId, string stamp) =>
        accounts.TryGetValue(userId, out var known) && known.SecurityStamp == stamp ? known : null;

    public void Remember(Guid userId, Known known)
    {
        if (accounts.Count >= MaxAccounts)
            accounts.Clear();
        accounts[userId] = known;
    }

    public void Forget(Guid userId) => accounts.TryRemove(userId, out _);
}

/// <summary>
/// Marks a page (its GETs) whose first statement is the person's open, which makes the request's sign-in check in the same
/// round trip (<see cref="ReaderMiddleware"/>). Only for pages that open the person before anything else is read or written.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = true)]
public sealed class FoldsSignInCheckAttribute : Attribute;

/// <summary>The reader was found out of date after a handler that had not opened a person with the fresh one.</summary>
public sealed class SignInStaleException() : Exception("The reader was out of date.");

/// <summary>
/// The check a marked page still owes once its handler has run (it never reached the open): made before the result is
/// written, so nothing is answered unchecked.
/// </summary>
public sealed class SignInCheckFilter(ReaderContext readerContext) : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        await next();
        await CompleteAsync(readerContext, context.HttpContext.RequestAborted);
    }

    internal static async Task CompleteAsync(ReaderContext readerContext, CancellationToken ct)
    {
        if (readerContext.Deferred is { } owed && !await owed.CompleteAsync(null, ct))
            throw new SignInStaleException();
    }

    /// <summary>The same for a minimal API endpoint: <c>.FoldSignInCheck()</c>.</summary>
    internal static async ValueTask<object?> CompleteAfterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        await CompleteAsync(context.HttpContext.RequestServices.GetRequiredService<ReaderContext>(), context.HttpContext.RequestAborted);
        return result;
    }
}

public static class SignInCheckEndpoints
{
    /// <summary>Lets a GET endpoint whose first statement is the person's open make the sign-in's check (see <see cref="ReaderMiddleware"/>).</summary>
    public static RouteHandlerBuilder FoldSignInCheck(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new FoldsSignInCheckAttribute()).AddEndpointFilter(SignInCheckFilter.CompleteAfterAsync);
}
