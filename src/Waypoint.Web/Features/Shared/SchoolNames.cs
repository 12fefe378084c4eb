namespace Waypoint.Features.Shared;

/// <summary>A school as pickers and tables name it: with its URN, since two schools can share a name.</summary>
public static class SchoolNames
{
    public static string WithUrn(string name, string? urn) => urn is null ? name : $"{name} (URN {urn})";
}
