namespace Waypoint.Shell;

/// <summary>Checks for required free text on forms.</summary>
public static class FormText
{
    /// <summary>The message for required text that is missing or too long, or null when it will do.</summary>
    public static string? Problem(string? value, int maxLength, string whenMissing, string name) =>
        string.IsNullOrWhiteSpace(value) ? whenMissing
        : value.Trim().Length > maxLength ? $"{name} must be {maxLength:N0} characters or fewer"
        : null;
}
