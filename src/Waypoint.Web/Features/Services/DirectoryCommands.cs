namespace Waypoint.Features.Services;

/// <summary><c>services-import file.csv|file.json</c>: the directory import from the server's command line, as the system (the audit says "operator command").</summary>
public static class DirectoryCommands
{
    public static async Task<int> ImportAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter errors, CancellationToken ct)
    {
        var path = args.LastOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        if (path is null)
        {
            errors.WriteLine("Usage: services-import <directory.csv | open-referral.json>");
            return 1;
        }
        if (!File.Exists(path))
        {
            errors.WriteLine($"{path}: no such file.");
            return 1;
        }
        var transfer = services.GetRequiredService<DirectoryTransfer>();
        var fileName = Path.GetFileName(path);
        await using var file = File.OpenRead(path);
        var outcome = ImportModel.IsJson(fileName, null)
            ? await transfer.ImportOpenReferralAsync(file, fileName, ct)
            : await transfer.ImportCsvAsync(file, fileName, ct);
        if (outcome.Summary is { } summary)
        {
            output.WriteLine(DirectoryTransferText.Outcome(fileName, summary) + ".");
            return 0;
        }
        errors.WriteLine($"{fileName} was not imported: nothing was changed. Correct {(outcome.Problems.Count == 1 ? "this problem" : $"these {outcome.Problems.Count} problems")} and send the whole file again:");
        foreach (var p in outcome.Problems)
            errors.WriteLine($"  {p}");
        return 2;
    }
}
