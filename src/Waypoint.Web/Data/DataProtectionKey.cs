namespace Waypoint.Data;

/// <summary>ASP.NET Core data-protection keys kept in the database so that several app instances share them.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }
    public required string FriendlyName { get; set; }
    public required string Xml { get; set; }
}
