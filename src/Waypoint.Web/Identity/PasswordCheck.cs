using Microsoft.AspNetCore.Identity;

namespace Waypoint.Identity;

/// <summary>
/// The password step shared by the sign-in page and the token endpoint. Every refusal costs one
/// password-hash verification, as a wrong password for a real account does: an unknown, inactive,
/// locked or password-less account is checked against a dummy hash, so the time taken does not
/// tell a stranger which e-mail addresses have accounts.
/// </summary>
public sealed class PasswordCheck(UserManager<WaypointUser> users, SignInManager<WaypointUser> signIn, IPasswordHasher<WaypointUser> hasher, DummyPasswordHash dummy)
{
    /// <summary>The account when the password is right and the account may sign in; otherwise null (a wrong password counts towards lockout).</summary>
    public async Task<WaypointUser?> CheckAsync(string email, string password)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        // CheckPasswordSignInAsync answers a locked account without hashing, so it is refused here, at the same cost.
        if (user is null || !user.IsActive || user.PasswordHash is null || await users.IsLockedOutAsync(user))
        {
            dummy.Verify(hasher, password);
            return null;
        }
        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        return result.Succeeded ? user : null;
    }
}

/// <summary>A hash of a random password, made once with the app's own hasher so verifying against it costs what a real verification costs.</summary>
public sealed class DummyPasswordHash
{
    private static readonly WaypointUser Nobody = new() { DisplayName = "" };
    private readonly Lock gate = new();
    private string? hash;

    public void Verify(IPasswordHasher<WaypointUser> hasher, string password)
    {
        lock (gate)
            hash ??= hasher.HashPassword(Nobody, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24)));
        _ = hasher.VerifyHashedPassword(Nobody, hash, password);
    }
}
