using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Services;

/// <summary>
/// Imports services into the directory from the documented CSV or an Open Referral UK JSON feed:
/// for the directory's keepers (any provider) and organisation administrators (their own).
/// </summary>
[RequestSizeLimit(DirectoryTransfer.MaxFileBytes + 64 * 1024)]
[RequestFormLimits(MultipartBodyLengthLimit = DirectoryTransfer.MaxFileBytes + 64 * 1024)]
public sealed class ImportModel(ServiceDirectory directory, DirectoryTransfer transfer) : PageModel
{
    [BindProperty] public IFormFile? Upload { get; set; }

    public Dictionary<string, string> Errors { get; } = [];
    public IReadOnlyList<ImportProblem> Problems { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await directory.MayAddAsync(ct) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await directory.MayAddAsync(ct))
            return Forbid();
        if (Upload is null || Upload.Length == 0)
            Errors[nameof(Upload)] = "Choose a directory CSV file or an Open Referral UK JSON file";
        else if (Upload.Length > DirectoryTransfer.MaxFileBytes)
            Errors[nameof(Upload)] = "The file must be 5 MB or smaller";
        if (Errors.Count > 0)
            return Page();
        var fileName = Path.GetFileName(Upload!.FileName);
        await using var stream = Upload.OpenReadStream();
        var outcome = IsJson(fileName, Upload.ContentType)
            ? await transfer.ImportOpenReferralAsync(stream, fileName, ct)
            : await transfer.ImportCsvAsync(stream, fileName, ct);
        if (outcome.Summary is { } summary)
        {
            TempData["Confirmation"] = DirectoryTransferText.Outcome(fileName, summary);
            return Redirect("/services");
        }
        Problems = outcome.Problems;
        Errors[nameof(Upload)] = $"The file was not imported and nothing was changed: correct the {Problems.Count} problem{(Problems.Count == 1 ? "" : "s")} below and send the whole file again";
        return Page();
    }

    public static bool IsJson(string fileName, string? contentType) =>
        fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || contentType?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;
}
