using System.Reflection;
using Microsoft.AspNetCore.Identity;

namespace Waypoint.Identity;

/// <summary>Refuses passwords on a list of those most often chosen and breached (NCSC password guidance).</summary>
public sealed class DenyListPasswordValidator : IPasswordValidator<WaypointUser>
{
    private static readonly Lazy<HashSet<string>> Denied = new(Load);

    public Task<IdentityResult> ValidateAsync(UserManager<WaypointUser> manager, WaypointUser user, string? password)
    {
        if (password is null)
            return Task.FromResult(IdentityResult.Success);
        var normalised = password.Trim().ToLowerInvariant();
        if (IsCommon(normalised)
            || (user.Email is { } email && normalised.Contains(email.Split('@')[0].ToLowerInvariant(), StringComparison.Ordinal) && email.Split('@')[0].Length >= 4))
        {
            return Task.FromResult(IdentityResult.Failed(new IdentityError
            {
                Code = "PasswordTooCommon",
                Description = "Choose a password that is harder to guess: this one is commonly used or contains your email name. Three random words work well.",
            }));
        }
        return Task.FromResult(IdentityResult.Success);
    }

    public static bool IsCommon(string password)
    {
        var p = password.Trim().ToLowerInvariant();
        if (Denied.Value.Contains(p))
            return true;
        // "password1234", "qwerty123456!": a common word padded with digits or symbols is still common.
        var core = p.TrimEnd("0123456789!?.*#@$".ToCharArray());
        return core.Length >= 4 && Denied.Value.Contains(core);
    }

    private static HashSet<string> Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Waypoint.Identity.common-passwords.txt")
            ?? throw new InvalidOperationException("The common-password list is missing from the build.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
            if (line.Length > 0 && !line.StartsWith('#'))
                set.Add(line.Trim().ToLowerInvariant());
        return set;
    }
}
