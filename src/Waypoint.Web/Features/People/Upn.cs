namespace Waypoint.Features.People;

/// <summary>
/// The DfE unique pupil number: a check letter then twelve characters (LA number, establishment
/// number, year, serial; the last may be a letter in a temporary UPN). The check letter is the
/// weighted sum of characters 2–13 (weights 2–13) modulo 23, as a letter of <see cref="Letters"/>.
/// </summary>
public static class Upn
{
    private const string Letters = "ABCDEFGHJKLMNPQRTUVWXYZ";

    public static string Normalise(string value) => value.Trim().ToUpperInvariant();

    /// <summary>Null if valid, else what is wrong in words a user can act on.</summary>
    public static string? Validate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
            return "Enter a UPN";
        var upn = Normalise(value);
        if (upn.Length != 13)
            return $"A UPN has 13 characters; this has {upn.Length}";
        if (!Letters.Contains(upn[0]))
            return "A UPN starts with a check letter (A to Z, without I, O or S)";
        for (var i = 1; i < 12; i++)
            if (!char.IsAsciiDigit(upn[i]))
                return $"Character {i + 1} of a UPN must be a digit";
        if (!char.IsAsciiDigit(upn[12]) && !Letters.Contains(upn[12]))
            return "The last character of a UPN must be a digit or a letter (not I, O or S)";
        var expected = CheckLetter(upn.AsSpan(1));
        return upn[0] == expected ? null : $"The check letter of this UPN should be {expected}, not {upn[0]}: check it was copied correctly";
    }

    public static bool IsValid(string? value) => Validate(value) is null;

    /// <summary>The check letter for the twelve characters after it.</summary>
    public static char CheckLetter(ReadOnlySpan<char> body)
    {
        if (body.Length != 12)
            throw new ArgumentException("A UPN body has twelve characters.", nameof(body));
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            var c = body[i];
            var v = char.IsAsciiDigit(c) ? c - '0' : Letters.IndexOf(c);
            sum += v * (i + 2);
        }
        return Letters[sum % 23];
    }

    /// <summary>A valid UPN for a local authority number, establishment number, year of allocation and serial.</summary>
    public static string Create(int laNumber, int establishment, int year, int serial)
    {
        var body = $"{laNumber:000}{establishment:0000}{year % 100:00}{serial % 1000:000}";
        return CheckLetter(body) + body;
    }
}
