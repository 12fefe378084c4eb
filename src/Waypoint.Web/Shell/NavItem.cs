namespace Waypoint.Shell;

/// <param name="Count">A number that needs the user (unread notices, open alerts); shown as a badge when above zero.</param>
public sealed record NavItem(string Text, string Href, bool Active, int Count = 0, string CountLabel = "")
{
    /// <summary>The largest number a badge shows; above it, "99+" (so a count on every page can stop there).</summary>
    public const int MaxShown = 99;

    public string CountText => Count > MaxShown ? $"{MaxShown}+" : Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What the _TextField partial needs for one GOV.UK text input.</summary>
public sealed record TextField(string Id, string Name, string Label, string? Value, string? Error, string CssClass = "", string Autocomplete = "off", string Type = "text");

/// <summary>What the _SelectField partial needs for one GOV.UK select.</summary>
public sealed record SelectField(string Id, string Name, string Label, string Prompt, IReadOnlyList<(string Value, string Text)> Options, string? Selected, string? Error);

/// <summary>A set of GOV.UK radios; the first input carries the field's id so the error summary links to it.</summary>
public sealed record RadiosField(string Name, string Legend, IReadOnlyList<(string Value, string Text)> Options, string? Selected, string? Error, bool Inline = false);
