using Microsoft.EntityFrameworkCore;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.Schools.Imports;

/// <summary>A heading the school has told Waypoint about, as the headings page lists it.</summary>
public sealed record SavedHeading(Guid Id, ImportKind Kind, string Heading, string? Column, DateTimeOffset SetAt);

/// <summary>
/// The headings a school's MIS writes that the alias table does not know, saved by the school
/// (<see cref="ImportColumnMapping"/>): read here for every CSV import of the school, and kept
/// only by the school's own users. Nothing here is about a person.
/// </summary>
public static class ImportHeadings
{
    /// <summary>The CSV kinds (a CTF's elements are fixed by its specification).</summary>
    public static IReadOnlyList<ImportKind> Kinds { get; } = [ImportKind.Enrolments, ImportKind.Attendance, ImportKind.Suspensions, ImportKind.Behaviour];

    /// <summary>The choice "not needed: pass it over" (a blank choice is no choice).</summary>
    public const string PassOver = "-";

    public static IReadOnlyList<string> Columns(ImportKind kind) => kind switch
    {
        ImportKind.Enrolments => EnrolmentCsv.Columns,
        ImportKind.Attendance => AttendanceCsv.Columns,
        ImportKind.Suspensions => SuspensionCsv.Columns,
        ImportKind.Behaviour => BehaviourCsv.Columns,
        _ => [],
    };

    public static async Task<IReadOnlyDictionary<string, string?>> MappingAsync(WaypointDbContext db, Guid schoolId, ImportKind kind, CancellationToken ct) =>
        await db.ImportColumnMappings.AsNoTracking().Where(m => m.SchoolId == schoolId && m.Kind == kind)
            .ToDictionaryAsync(m => m.NormalisedHeading, m => m.Column, ct);

    public static async Task<IReadOnlyList<SavedHeading>> ListAsync(WaypointDbContext db, Guid schoolId, CancellationToken ct) =>
        await db.ImportColumnMappings.AsNoTracking().Where(m => m.SchoolId == schoolId)
            .OrderBy(m => m.Kind).ThenBy(m => m.Heading)
            .Select(m => new SavedHeading(m.Id, m.Kind, m.Heading, m.Column, m.SetAt))
            .ToListAsync(ct);

    /// <summary>Saves (or changes) what a heading is for the reader's school; the errors by field, empty when saved.</summary>
    /// <param name="column">A documented column of the kind, or <see cref="PassOver"/>.</param>
    public static async Task<Dictionary<string, string>> SaveAsync(WaypointDbContext db, ImportKind? kind, string? heading, string? column, DateTimeOffset now, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        heading = heading?.Trim();
        if (kind is not { } k || !Kinds.Contains(k))
            errors["Kind"] = "Select the kind of file the heading is in";
        if (string.IsNullOrEmpty(heading))
            errors["Heading"] = "Enter the heading as your system writes it";
        else if (heading.Length > ImportColumnMapping.MaxHeadingLength)
            errors["Heading"] = $"The heading can be at most {ImportColumnMapping.MaxHeadingLength} characters";
        else if (CsvColumnAliases.Normalise(heading).Length == 0)
            errors["Heading"] = "The heading must have at least one letter or digit";
        if (column is null)
            errors["Column"] = "Select what the column is, or that it should be passed over";
        if (errors.Count > 0)
            return errors;

        var columns = Columns(kind!.Value);
        if (column != PassOver && !columns.Contains(column, StringComparer.Ordinal))
            errors["Column"] = $"Select one of the columns of {ImportLabels.Files(kind.Value)}";
        else if (CsvColumnAliases.Canonical(heading!, columns) is { } known)
            errors["Heading"] = $"\"{heading}\" is already read as {known}: there is nothing to save";
        if (errors.Count > 0)
            return errors;

        var reader = db.Reader;
        var key = CsvColumnAliases.Normalise(heading!);
        var held = await db.ImportColumnMappings.FirstOrDefaultAsync(m => m.SchoolId == reader.OrganisationId && m.Kind == kind && m.NormalisedHeading == key, ct);
        if (held is null)
        {
            held = new ImportColumnMapping { SchoolId = reader.OrganisationId, Kind = kind.Value, Heading = heading!, NormalisedHeading = key };
            db.ImportColumnMappings.Add(held);
        }
        (held.Heading, held.Column, held.SetByUserId, held.SetAt) = (heading!, column == PassOver ? null : column, reader.UserId, now);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public static async Task<SavedHeading?> FindAsync(WaypointDbContext db, Guid id, CancellationToken ct)
    {
        var school = db.Reader.OrganisationId;
        return await db.ImportColumnMappings.AsNoTracking().Where(m => m.Id == id && m.SchoolId == school)
            .Select(m => new SavedHeading(m.Id, m.Kind, m.Heading, m.Column, m.SetAt)).FirstOrDefaultAsync(ct);
    }

    /// <summary>Forgets a heading of the reader's school; false when there is none with that id.</summary>
    public static async Task<bool> RemoveAsync(WaypointDbContext db, Guid id, CancellationToken ct)
    {
        var school = db.Reader.OrganisationId;
        return await db.ImportColumnMappings.Where(m => m.Id == id && m.SchoolId == school).ExecuteDeleteAsync(ct) > 0;
    }
}
