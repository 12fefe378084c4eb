using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Waypoint.Identity;

namespace Waypoint.Features.Api;

public sealed record TokenRequest([property: Required, EmailAddress] string Email, [property: Required] string Password, [property: Required] string Code);

/// <summary><c>POST /api/v1/token</c>: a bearer token for scripts and integrations, for the same credentials as the web sign-in, TOTP included.</summary>
public static class TokenEndpoint
{
    [EnableRateLimiting(SignInLimits.PerAddressPolicy)]
    public static async Task<Results<SignInHttpResult, ProblemHttpResult>> IssueAsync(
        TokenRequest request, HttpContext http, UserManager<WaypointUser> users, SignInManager<WaypointUser> signIn, PasswordCheck passwords, SignInThrottle throttle)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Email)) errors["email"] = ["Enter the account's email address."];
        if (string.IsNullOrWhiteSpace(request.Password)) errors["password"] = ["Enter the password."];
        if (string.IsNullOrWhiteSpace(request.Code) || request.Code.Trim().Length != 6 || !request.Code.Trim().All(char.IsAsciiDigit))
            errors["code"] = ["Enter the 6-digit code from the authenticator app."];
        if (errors.Count > 0)
            return TypedResults.Problem(statusCode: 400, title: "The token request is incomplete.", extensions: new Dictionary<string, object?> { ["errors"] = errors });

        var refused = TypedResults.Problem(statusCode: 401, title: "Sign-in refused.",
            detail: "The email, password or authenticator code is wrong, or the account is locked or inactive.");
        if (throttle.TryAttempt(request.Email) is { } wait)
        {
            SignInLimits.SetRetryAfter(http, wait);
            return TypedResults.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many attempts.", detail: SignInLimits.Message(wait));
        }
        var user = await passwords.CheckAsync(request.Email, request.Password);
        if (user is null || !user.TwoFactorEnabled)
            return refused;
        if (!await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, request.Code.Trim()))
        {
            await users.AccessFailedAsync(user);
            return refused;
        }
        await users.ResetAccessFailedCountAsync(user);
        var principal = await signIn.CreateUserPrincipalAsync(user);
        return TypedResults.SignIn(principal, authenticationScheme: IdentityServices.BearerScheme);
    }
}
