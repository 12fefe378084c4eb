using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Risk;

namespace Waypoint.Features.Police;

/// <summary>An occurrence as typed on the page, before it is checked.</summary>
public sealed record OccurrenceForm(string? Reference, DateOnly? OccurredOn, string? Offence, string? Incident, Guid? WardId, string? Location,
    string? Latitude, string? Longitude, string? Outcome, bool Intelligence);

/// <summary>
/// One occurrence entered on the page, checked by the import's rules (the same messages), and
/// people added to it one at a time by a person who chose them from the register: nobody is
/// matched for them, so nothing here goes to the review queue.
/// </summary>
public sealed class OccurrenceEntry(WaypointDbContext db, PersonAccess access, AuditTrail audit, RiskScoring scoring, TimeProvider clock)
{
    /// <summary>Records the occurrence for the reader's force; every problem by field, or the new occurrence's id.</summary>
    public async Task<(Guid? Id, Dictionary<string, string> Errors)> RecordAsync(OccurrenceForm form, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var reference = Text(form.Reference, Occurrence.MaxReferenceLength, "PoliceReference", "Enter the police reference", errors);
        if (form.OccurredOn is not { } on)
            errors.TryAdd("OccurredOn", "Enter the date of the occurrence");
        else if (on > today)
            errors["OccurredOn"] = $"The occurrence date {on:yyyy-MM-dd} is in the future";
        var offence = HomeOfficeOffences.Find(form.Offence);
        if (!string.IsNullOrWhiteSpace(form.Offence) && offence is null)
            errors["Offence"] = "Choose a Home Office offence sub-group";
        IncidentType? incident = Enum.TryParse<IncidentType>(form.Incident, out var i) && Enum.IsDefined(i) ? i : null;
        if (!string.IsNullOrWhiteSpace(form.Incident) && incident is null)
            errors["Incident"] = "Choose a kind of incident";
        if (!string.IsNullOrWhiteSpace(form.Offence) && !string.IsNullOrWhiteSpace(form.Incident))
            errors.TryAdd("Offence", "Give an offence or an incident type, not both");
        if (string.IsNullOrWhiteSpace(form.Offence) && string.IsNullOrWhiteSpace(form.Incident))
            errors["Offence"] = "Give the offence (a Home Office sub-group) or, for a non-crime incident, the incident type";
        if (form.WardId is { } ward && !await db.Areas.AnyAsync(a => a.Id == ward && a.Kind == AreaKind.Ward, ct))
            errors["WardId"] = "Choose a ward of the partnership";
        var latitude = Coordinate(form.Latitude, 90, "Latitude", "latitude", errors);
        var longitude = Coordinate(form.Longitude, 180, "Longitude", "longitude", errors);
        if (!errors.ContainsKey("Latitude") && !errors.ContainsKey("Longitude") && (latitude is null) != (longitude is null))
            errors["Latitude"] = "Give both latitude and longitude, or neither";
        var location = Text(form.Location, Occurrence.MaxTextLength, "Location", null, errors);
        var outcome = Text(form.Outcome, Occurrence.MaxTextLength, "Outcome", null, errors);
        var force = db.Reader.OrganisationId;
        if (reference is not null && await db.Occurrences.AnyAsync(o => o.OwnerOrganisationId == force && o.PoliceReference == reference, ct))
            errors["PoliceReference"] = $"Your force already has occurrence {reference}: open it from the list to add people";
        if (errors.Count > 0)
            return (null, errors);

        var occurrence = new Occurrence
        {
            PoliceReference = reference!,
            OccurredOn = form.OccurredOn!.Value,
            OffenceGroup = offence?.Group,
            OffenceSubGroup = offence?.Code,
            IncidentType = incident,
            AreaId = form.WardId,
            Location = location,
            Latitude = latitude,
            Longitude = longitude,
            Outcome = outcome,
            OwnerOrganisationId = force,
            CategoryCode = form.Intelligence ? RecordCategories.PoliceIntelligence : RecordCategories.PoliceGeneral,
            RecordedAt = clock.GetUtcNow(),
            RecordedByUserId = db.Reader.UserId,
        };
        db.Occurrences.Add(occurrence);
        audit.StageWrite(new AuditEvent(null, AuditAction.Create, $"police:occurrence {occurrence.Id} entered", "police"));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Entered twice at once: the unique reference index decided.
            return (null, new() { ["PoliceReference"] = $"Your force already has occurrence {reference}: open it from the list to add people" });
        }
        return (occurrence.Id, errors);
    }

    /// <summary>Links a person the reader chose (and may write to) in a role the occurrence may have; the problem by field, or none.</summary>
    public async Task<Dictionary<string, string>> AddPersonAsync(Occurrence occurrence, Guid? personId, OccurrenceRole? role, CancellationToken ct)
    {
        var errors = new Dictionary<string, string>();
        var allowed = HomeOfficeOffences.RolesFor(occurrence.IncidentType);
        if (personId is null)
            errors["Person"] = "Choose the person";
        if (role is not { } r || !Enum.IsDefined(r))
            errors["Role"] = "Choose the person's role";
        else if (!allowed.Contains(r))
            errors["Role"] = $"A {PoliceLabels.Describe(r)} cannot be named in {(occurrence.IncidentType is { } it ? $"a {PoliceLabels.Describe(it).ToLowerInvariant()} incident" : "a crime")}. Roles allowed: {string.Join(", ", allowed.Select(PoliceLabels.Describe))}";
        if (errors.Count > 0)
            return errors;
        var (outcome, _) = await access.OpenForAsync(personId!.Value, PersonOperations.Write, $"police:occurrence {occurrence.Id}", ct);
        if (outcome == AccessOutcome.NotFound)
            errors["Person"] = "Choose someone from the list";
        else if (outcome == AccessOutcome.Forbidden)
            errors["Person"] = "You may not link this person: ask the early-help hub";
        else if (await db.OccurrencePeople.AnyAsync(l => l.OccurrenceId == occurrence.Id && l.PersonId == personId && l.Role == role, ct))
            errors["Person"] = $"This person is already linked to the occurrence as {PoliceLabels.Describe(role!.Value)}";
        if (errors.Count > 0)
            return errors;
        db.OccurrencePeople.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = personId.Value, Role = role!.Value });
        await access.AuditWriteAsync(personId.Value, AuditAction.Create, $"police:occurrence {occurrence.Id} {role}", ct);
        await db.SaveChangesAsync(ct);
        await scoring.RecomputeAsync([personId.Value], ct);
        return errors;
    }

    private static string? Text(string? value, int max, string field, string? requiredMessage, Dictionary<string, string> errors)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0)
        {
            if (requiredMessage is not null)
                errors[field] = requiredMessage;
            return null;
        }
        if (v.Length > max)
            errors[field] = $"This is {v.Length} characters long; the most allowed is {max}";
        else if (v.Any(char.IsControl))
            errors[field] = "This contains a control character, which is not allowed";
        else
            return v;
        return null;
    }

    private static double? Coordinate(string? value, double limit, string field, string name, Dictionary<string, string> errors)
    {
        var v = value?.Trim() ?? "";
        if (v.Length == 0)
            return null;
        if (!double.TryParse(v, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d) || Math.Abs(d) > limit)
        {
            errors[field] = $"\"{v}\" is not a {name} (a number between -{limit} and {limit})";
            return null;
        }
        return d;
    }
}
