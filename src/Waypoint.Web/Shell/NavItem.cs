namespace Waypoint.Shell;

/// <param name="Count">A number that needs the user (unread notices, open alerts); shown as a badge when above zero.</param>
public sealed record NavItem(string Text, string Href, bool Active, int Count = 0, string CountLabel = "");

/// <summary>What the _TextField partial needs for one GOV.UK text input.</summary>
public sealed record TextField(string Id, string Name, string Label, string? Value, string? Error, string CssClass = "", string Autocomplete = "off", string Type = "text");

/// <summary>What the _SelectField partial needs for one GOV.UK select.</summary>
public sealed record SelectField(string Id, string Name, string Label, string Prompt, IReadOnlyList<(string Value, string Text)> Options, string? Selected, string? Error);

/// <summary>A set of GOV.UK radios; the first input carries the field's id so the error summary links to it.</summary>
public sealed record RadiosField(string Name, string Legend, IReadOnlyList<(string Value, string Text)> Options, string? Selected, string? Error, bool Inline = false);
