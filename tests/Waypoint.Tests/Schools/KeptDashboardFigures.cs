namespace Waypoint.Tests.Schools;

/// <summary>
/// The test classes that read or drop the dashboard's figures kept for the whole process
/// (<c>ExclusionFigures</c>' static caches): one runs <c>ExclusionFigures.ForgetKept()</c> to time a cold read, and
/// another asserts what a write in one county leaves kept. Run in one collection, one after the other, so that the
/// first never empties the caches while the second is between its write and its assertion (seen once in a run).
/// </summary>
public static class KeptDashboardFigures
{
    public const string Name = "The dashboard's kept figures";
}
