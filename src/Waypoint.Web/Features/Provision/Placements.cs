using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Services;

namespace Waypoint.Features.Provision;

/// <summary>A placement as entered on the page or sent to the API.</summary>
public sealed record RecordPlacement(Guid PersonId, Guid? ServiceId, DateOnly? StartDate, DateOnly? EndDate, PlacementBasis? Basis, decimal? HoursPerWeek, string? Note = null);

public sealed record PlacementView(Guid Id, Guid PersonId, Guid ServiceId, string Service, DateOnly StartDate, DateOnly? EndDate, PlacementBasis Basis,
    decimal HoursPerWeek, string? Note, string RecordedBy, DateTimeOffset RecordedAt)
{
    /// <summary>The organisation that recorded it (the end link is shown to it).</summary>
    [System.Text.Json.Serialization.JsonIgnore] public Guid OwnerOrganisationId { get; init; }
}

/// <summary>
/// Placements in alternative provision. The council's inclusion team (and the partnership
/// administrators) place any pupil they may see; a school places a pupil it has suspended. Every
/// write is audited against the pupil; a refused one changes nothing and names the field.
/// </summary>
public sealed class Placements(WaypointDbContext db, PersonAccess access, ServiceDirectory directory, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Whether the reader may record or end placements for the pupil (already opened by the caller).</summary>
    public async Task<bool> MayPlaceAsync(Guid personId, CancellationToken ct)
    {
        if (await directory.ReaderMaintainsDirectoryAsync(ct))
            return true;
        var org = db.Reader.OrganisationId;
        // Through the school-record filter: the reader's own school's suspension of this pupil.
        return await db.Set<Suspension>().AnyAsync(s => s.PersonId == personId && s.SchoolId == org && s.Kind == ExclusionKind.Suspension, ct);
    }

    public async Task<(ProvisionPlacement? Placement, Dictionary<string, string> Errors)> RecordAsync(OpenedPerson person, RecordPlacement input, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var service = input.ServiceId is { } sid ? await db.Set<Service>().AsNoTracking().FirstOrDefaultAsync(s => s.Id == sid, ct) : null;
        if (service is null)
            errors["ServiceId"] = "Select a service from the directory";
        else if (service.QaStatus == ServiceQaStatus.Suspended)
            errors["ServiceId"] = $"{service.Name} is suspended and takes no placements";
        if (input.StartDate is not { } start)
            errors["StartDate"] = "Enter the date the placement starts";
        else if (start.Year < SchoolDays.FirstYear || start > Today.AddYears(1))
            errors["StartDate"] = $"The start date must be between 1 January {SchoolDays.FirstYear} and a year from today";
        if (input.EndDate is { } end && input.StartDate is { } from && end < from)
            errors["EndDate"] = "The end date must be the same as or after the start date";
        if (input.Basis is not { } basis || !Enum.IsDefined(basis))
            errors["Basis"] = "Select full-time or part-time";
        if (input.HoursPerWeek is not { } hours)
            errors["HoursPerWeek"] = "Enter the hours a week";
        else if (hours < ProvisionPlacement.MinHours || hours > ProvisionPlacement.MaxHours || decimal.Round(hours, 1) != hours)
            errors["HoursPerWeek"] = $"Hours a week must be between {ProvisionPlacement.MinHours} and {ProvisionPlacement.MaxHours:0}, to one decimal place";
        if ((input.Note?.Trim().Length ?? 0) > ProvisionPlacement.MaxNoteLength)
            errors["Note"] = $"The note must be {ProvisionPlacement.MaxNoteLength} characters or fewer";
        if (!errors.ContainsKey("StartDate") && !errors.ContainsKey("EndDate") && !errors.ContainsKey("Basis")
            && await OverlappingFullTimeAsync(person.Id, input.StartDate!.Value, input.EndDate, null, ct) is { } clash)
            errors["StartDate"] = clash;
        if (errors.Count > 0)
            return (null, errors);

        var placement = new ProvisionPlacement
        {
            PersonId = person.Id,
            ServiceId = service!.Id,
            StartDate = input.StartDate!.Value,
            EndDate = input.EndDate,
            Basis = input.Basis!.Value,
            HoursPerWeek = input.HoursPerWeek!.Value,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            OwnerOrganisationId = db.Reader.OrganisationId,
            RecordedByUserId = db.Reader.UserId,
            RecordedAt = clock.GetUtcNow(),
        };
        db.Add(placement);
        await access.AuditWriteAsync(person.Id, AuditAction.Create, $"placement:recorded {placement.Id} at {service.Id}", ct);
        await db.SaveChangesAsync(ct);
        return (placement, errors);
    }

    /// <summary>The placement, through the filter; null (a 404) when the reader may not see it, audited as a refusal against its pupil.</summary>
    public async Task<ProvisionPlacement?> OpenAsync(Guid id, string subject, CancellationToken ct)
    {
        var placement = await db.Set<ProvisionPlacement>().Include(p => p.Service).FirstOrDefaultAsync(p => p.Id == id, ct);
        if (placement is null)
        {
            var personId = await db.Unfiltered<ProvisionPlacement>("the pupil of a refused placement, for the refusal's audit row alone")
                .Where(p => p.Id == id).Select(p => (Guid?)p.PersonId).FirstOrDefaultAsync(ct);
            if (personId is { } refused)
                await access.AuditDeniedAsync(refused, subject, ct);
            return null;
        }
        return await access.OpenExplainedAsync(placement.PersonId, subject, ct) is null ? null : placement;
    }

    /// <summary>Ends a placement on a date (not before its start); a placement already ended earlier keeps its end.</summary>
    public async Task<Dictionary<string, string>> EndAsync(ProvisionPlacement placement, DateOnly? on, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        if (!await MayPlaceAsync(placement.PersonId, ct))
            errors["EndDate"] = "Only the inclusion team, or the school that suspended the pupil, ends a placement";
        else if (on is not { } end)
            errors["EndDate"] = "Enter the date the placement ended";
        else if (end < placement.StartDate)
            errors["EndDate"] = "The end date must be the same as or after the start date";
        else if (placement.EndDate is { } ended && ended <= Today)
            errors["EndDate"] = $"The placement already ended on {ended:d MMMM yyyy}";
        if (errors.Count > 0)
            return errors;
        placement.EndDate = on;
        placement.EndedAt = clock.GetUtcNow();
        placement.EndedByUserId = db.Reader.UserId;
        await access.AuditWriteAsync(placement.PersonId, AuditAction.Update, $"placement:ended {placement.Id}", ct);
        await db.SaveChangesAsync(ct);
        return errors;
    }

    public async Task<List<PlacementView>> ForPersonAsync(Guid personId, CancellationToken ct) =>
        (await db.Set<ProvisionPlacement>().AsNoTracking().Where(p => p.PersonId == personId).OrderByDescending(p => p.StartDate)
            .Select(p => new { p.Id, p.PersonId, p.ServiceId, Service = p.Service!.Name, p.StartDate, p.EndDate, p.Basis, p.HoursPerWeek, p.Note, By = p.OwnerOrganisation!.Name, p.RecordedAt, p.OwnerOrganisationId })
            .ToListAsync(ct))
        .Select(p => new PlacementView(p.Id, p.PersonId, p.ServiceId, p.Service, p.StartDate, p.EndDate, p.Basis, p.HoursPerWeek, p.Note, p.By, p.RecordedAt)
        {
            OwnerOrganisationId = p.OwnerOrganisationId,
        }).ToList();

    public async Task<PlacementView> ViewAsync(ProvisionPlacement p, CancellationToken ct)
    {
        var by = await db.Organisations.AsNoTracking().Where(o => o.Id == p.OwnerOrganisationId).Select(o => o.Name).FirstOrDefaultAsync(ct);
        var service = p.Service?.Name ?? await db.Set<Service>().AsNoTracking().Where(s => s.Id == p.ServiceId).Select(s => s.Name).FirstAsync(ct);
        return new PlacementView(p.Id, p.PersonId, p.ServiceId, service, p.StartDate, p.EndDate, p.Basis, p.HoursPerWeek, p.Note, by ?? "", p.RecordedAt);
    }

    /// <summary>
    /// A pupil has one full-time education at a time: no placement may overlap a full-time one
    /// (a pupil on a part-time timetable may have several part-time placements). The check runs past the filters (the
    /// pupil's placements recorded by others count too) and names no provider.
    /// </summary>
    private async Task<string?> OverlappingFullTimeAsync(Guid personId, DateOnly start, DateOnly? end, Guid? except, CancellationToken ct)
    {
        var last = end ?? DateOnly.MaxValue;
        var clash = await db.Unfiltered<ProvisionPlacement>("a new placement is checked against the pupil's full-time placements recorded by any organisation; only dates are read")
            .AsNoTracking()
            .Where(p => p.PersonId == personId && p.Id != except && p.Basis == PlacementBasis.FullTime
                && p.StartDate <= last && (p.EndDate == null || p.EndDate >= start))
            .OrderBy(p => p.StartDate).Select(p => new { p.StartDate, p.EndDate }).FirstOrDefaultAsync(ct);
        return clash is null ? null
            : $"The pupil has a full-time placement from {clash.StartDate:d MMMM yyyy}{(clash.EndDate is { } e ? $" to {e:d MMMM yyyy}" : "")}: end it first, or start this one after it";
    }

    public static string Describe(PlacementBasis basis) => basis == PlacementBasis.FullTime ? "Full-time" : "Part-time";
}
