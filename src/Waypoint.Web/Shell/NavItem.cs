namespace Waypoint.Shell;

public sealed record NavItem(string Text, string Href, bool Active);

/// <summary>What the _TextField partial needs for one GOV.UK text input.</summary>
public sealed record TextField(string Id, string Name, string Label, string? Value, string? Error, string CssClass = "", string Autocomplete = "off", string Type = "text");
