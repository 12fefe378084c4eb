namespace Waypoint.Tests.Schools.Imports;

/// <summary>The files under Schools/Imports/Files, copied beside the tests by the build.</summary>
internal static class ImportTestFiles
{
    public static string Folder { get; } = Path.Combine(AppContext.BaseDirectory, "Schools", "Imports", "Files");

    public static FileStream Open(string relativePath) => File.OpenRead(Path.Combine(Folder, relativePath));

    public static IEnumerable<string> In(string subfolder) =>
        Directory.EnumerateFiles(Path.Combine(Folder, subfolder)).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal);
}
