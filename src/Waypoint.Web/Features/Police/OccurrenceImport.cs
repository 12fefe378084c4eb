using System.Globalization;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Risk;
using Waypoint.Features.Schools.Imports;

namespace Waypoint.Features.Police;

/// <summary>One line of an occurrences file: the occurrence (repeated on each of its lines) and one person's part in it.</summary>
public sealed record OccurrenceLine(int Line, string Reference, DateOnly OccurredOn, OffenceSubGroup? Offence, IncidentType? Incident, Guid? WardId,
    string? Location, double? Latitude, double? Longitude, string? Outcome, bool Intelligence,
    string? PersonReference, string GivenName, string FamilyName, DateOnly? DateOfBirth, OccurrenceRole Role);

/// <summary>What an applied file changed.</summary>
public sealed record OccurrenceImportSummary(int Lines, int OccurrencesAdded, int OccurrencesChanged, int OccurrencesUnchanged, int LinksAdded, int LinksUnchanged, int SentToReview, int ScoresChanged);

public sealed record OccurrenceImportOutcome(OccurrenceImportSummary? Summary, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// Imports a force's occurrences file (docs/police-and-risk.md): all or nothing, idempotent by the
/// force's police reference, every problem named by line and column. People are matched by the
/// police reference the register holds; anyone else named goes to the review queue with the
/// register's likely match by its duplicate rules, and is never linked automatically.
/// </summary>
public sealed class OccurrenceImport(WaypointDbContext db, AuditTrail audit, RiskScoring scoring, TimeProvider clock)
{
    public const int MaxFileBytes = 16 * 1024 * 1024;

    public static readonly string[] Columns =
    [
        "police_reference", "occurred_on", "offence", "incident_type", "ward_code", "location", "latitude", "longitude", "outcome", "category",
        "person_police_reference", "given_name", "family_name", "date_of_birth", "role",
    ];

    private static readonly string[] Optional = ["location", "latitude", "longitude", "outcome", "category", "person_police_reference", "date_of_birth", "ward_code", "incident_type", "offence"];

    /// <summary>Applies a file for a police organisation (the reader's own, or the one a command names).</summary>
    public Task<OccurrenceImportOutcome> ApplyAsync(Stream content, string fileName, Guid forceId, Guid userId, CancellationToken ct) =>
        ApplyAsync(content, fileName, forceId, userId, null, ct);

    /// <summary>
    /// As above, telling <paramref name="progress"/> where it has got to (the background job of a
    /// file sent from the page). On SQLite the apply holds the database's write lock, which a
    /// progress update (another connection) would wait for, so there it reports only between steps.
    /// </summary>
    public async Task<OccurrenceImportOutcome> ApplyAsync(Stream content, string fileName, Guid forceId, Guid userId, ImportProgress? progress, CancellationToken ct)
    {
        progress ??= (_, _) => Task.CompletedTask;
        await progress(5, "Reading and checking the file");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var wards = await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.Ward && a.Code != null).Select(a => new { a.Id, a.Code }).ToListAsync(ct);
        var wardByCode = wards.GroupBy(w => w.Code!, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var (lines, problems) = Parse(content, fileName, today, wardByCode);
        if (problems.Count > 0)
            return new OccurrenceImportOutcome(null, problems);
        if (lines.Count == 0)
            return new OccurrenceImportOutcome(null, [new ImportProblem(fileName, null, null, "The file has a header but no occurrences.")]);

        await progress(20, "Matching people and saving");
        ImportProgress during = db.Database.IsSqlite() ? (_, _) => Task.CompletedTask : progress;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var outcome = await ApplyLinesAsync(lines, fileName, forceId, userId, during, ct);
            await tx.CommitAsync(ct);
            await progress(85, "Recomputing risk scores");
            var scores = await scoring.RecomputeAsync(outcome.Touched, ct);
            return new OccurrenceImportOutcome(outcome.Summary with { ScoresChanged = scores }, []);
        });
    }

    /// <summary>Reads and checks every line; nothing is looked up in the register yet.</summary>
    public static (List<OccurrenceLine> Lines, List<ImportProblem> Problems) Parse(Stream content, string fileName, DateOnly today, IReadOnlyDictionary<string, Guid> wardByCode)
    {
        var problems = new List<ImportProblem>();
        var lines = new List<OccurrenceLine>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = record => problems.Add(new ImportProblem(fileName, (int)record.LineNumber, null, "This row is not valid CSV: check its quote marks.")),
        };
        using var csv = CsvReader.Create(content, options, leaveOpen: true);
        csv.ReadHeader();
        var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF')).ToList();
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            if (!Columns.Contains(header[i], StringComparer.OrdinalIgnoreCase))
                problems.Add(new ImportProblem(fileName, 1, "header", $"The column \"{header[i]}\" is not one of the columns of an occurrences file ({string.Join(",", Columns)})."));
            else if (!index.TryAdd(header[i], i))
                problems.Add(new ImportProblem(fileName, 1, "header", $"The column \"{header[i]}\" appears more than once."));
        }
        foreach (var missing in Columns.Except(Optional).Where(c => !index.ContainsKey(c)))
            problems.Add(new ImportProblem(fileName, 1, "header", $"The column \"{missing}\" is missing."));
        if (!index.ContainsKey("offence") && !index.ContainsKey("incident_type"))
            problems.Add(new ImportProblem(fileName, 1, "header", "The file needs an offence column or an incident_type column."));
        if (problems.Count > 0)
            return (lines, problems);

        var firstOfReference = new Dictionary<string, OccurrenceLine>(StringComparer.OrdinalIgnoreCase);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (csv.FieldCount != header.Count)
            {
                problems.Add(new ImportProblem(fileName, line, null, $"This row has {csv.FieldCount} values but the header has {header.Count} columns."));
                continue;
            }
            var before = problems.Count;
            string Raw(string c) => index.TryGetValue(c, out var i) ? csv.GetString(i).Trim() : "";
            void Problem(string column, string message) => problems.Add(new ImportProblem(fileName, line, $"column {column}", message));
            string? Text(string column, int max, bool required)
            {
                var v = Raw(column);
                if (v.Length == 0)
                {
                    if (required)
                        Problem(column, "This cannot be blank");
                    return null;
                }
                if (v.Length > max)
                {
                    Problem(column, $"This is {v.Length} characters long; the most allowed is {max}");
                    return null;
                }
                if (v.Any(char.IsControl))
                {
                    Problem(column, "This contains a control character, which is not allowed");
                    return null;
                }
                return v;
            }
            DateOnly? Date(string column, bool required)
            {
                var v = Raw(column);
                if (v.Length == 0)
                {
                    if (required)
                        Problem(column, "Enter the date as YYYY-MM-DD");
                    return null;
                }
                if (!DateOnly.TryParseExact(v, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                {
                    Problem(column, $"\"{v}\" is not a date written as YYYY-MM-DD");
                    return null;
                }
                return d;
            }
            double? Coordinate(string column, double limit)
            {
                var v = Raw(column);
                if (v.Length == 0)
                    return null;
                if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || !double.IsFinite(d) || Math.Abs(d) > limit)
                {
                    Problem(column, $"\"{v}\" is not a {column} (a number between -{limit} and {limit})");
                    return null;
                }
                return d;
            }

            var reference = Text("police_reference", Occurrence.MaxReferenceLength, true);
            var occurredOn = Date("occurred_on", true);
            if (occurredOn is { } on && on > today)
                Problem("occurred_on", $"The occurrence date {on:yyyy-MM-dd} is in the future");
            var offenceText = Raw("offence");
            var offence = HomeOfficeOffences.Find(offenceText);
            if (offenceText.Length > 0 && offence is null)
                Problem("offence", $"\"{offenceText}\" is not a Home Office offence sub-group. Use one of: {string.Join(", ", HomeOfficeOffences.SubGroups.Select(s => s.Code))}");
            var incidentText = Raw("incident_type");
            IncidentType? incident = null;
            if (incidentText.Length > 0)
            {
                if (ParseEnum<IncidentType>(incidentText) is { } i)
                    incident = i;
                else
                    Problem("incident_type", $"\"{incidentText}\" is not an incident type. Use one of: missing person, concern for safety, antisocial behaviour");
            }
            if (offenceText.Length > 0 && incidentText.Length > 0)
                Problem("offence", "Give an offence or an incident type, not both");
            if (offenceText.Length == 0 && incidentText.Length == 0)
                Problem("offence", "Give the offence (a Home Office sub-group) or, for a non-crime incident, the incident type");
            Guid? ward = null;
            var wardText = Raw("ward_code");
            if (wardText.Length > 0)
            {
                if (wardByCode.TryGetValue(wardText, out var w))
                    ward = w;
                else
                    Problem("ward_code", $"\"{wardText}\" is not the code of a ward in the partnership");
            }
            var latitude = Coordinate("latitude", 90);
            var longitude = Coordinate("longitude", 180);
            if ((latitude is null) != (longitude is null) && problems.Count == before)
                Problem("latitude", "Give both latitude and longitude, or neither");
            var location = Text("location", Occurrence.MaxTextLength, false);
            var outcome = Text("outcome", Occurrence.MaxTextLength, false);
            var categoryText = Raw("category");
            var intelligence = false;
            if (categoryText.Equals("intelligence", StringComparison.OrdinalIgnoreCase) || categoryText.Equals(RecordCategories.PoliceIntelligence, StringComparison.OrdinalIgnoreCase))
                intelligence = true;
            else if (categoryText.Length > 0 && !categoryText.Equals("general", StringComparison.OrdinalIgnoreCase) && !categoryText.Equals(RecordCategories.PoliceGeneral, StringComparison.OrdinalIgnoreCase))
                Problem("category", $"\"{categoryText}\" is not a category: use general or intelligence");
            var personReference = Text("person_police_reference", 40, false);
            var given = Text("given_name", CsvImportRow.MaxNameLength, true);
            var family = Text("family_name", CsvImportRow.MaxNameLength, true);
            var dob = Date("date_of_birth", false);
            if (dob is { } born && born > today)
                Problem("date_of_birth", "The date of birth is in the future");
            var roleText = Raw("role");
            OccurrenceRole? role = ParseEnum<OccurrenceRole>(roleText);
            if (role is null)
                Problem("role", roleText.Length == 0 ? "Enter the person's role" : $"\"{roleText}\" is not a role. Use one of: victim, witness, suspect, offender, missing person, subject of concern");
            else if (problems.Count == before && !HomeOfficeOffences.RolesFor(incident).Contains(role.Value))
                Problem("role", $"A {PoliceLabels.Describe(role.Value)} cannot be named in {(incident is { } it ? $"a {PoliceLabels.Describe(it).ToLowerInvariant()} incident" : "a crime")}. Roles allowed: {string.Join(", ", HomeOfficeOffences.RolesFor(incident).Select(PoliceLabels.Describe))}");
            if (problems.Count > before)
                continue;

            var parsed = new OccurrenceLine(line, reference!, occurredOn!.Value, offence, incident, ward, location, latitude, longitude, outcome, intelligence,
                personReference, given!, family!, dob, role!.Value);
            if (firstOfReference.TryGetValue(parsed.Reference, out var first))
            {
                if (first.OccurredOn != parsed.OccurredOn || first.Offence != parsed.Offence || first.Incident != parsed.Incident || first.WardId != parsed.WardId
                    || first.Intelligence != parsed.Intelligence || first.Outcome != parsed.Outcome || first.Location != parsed.Location)
                {
                    Problem("police_reference", $"This occurrence is described differently on line {first.Line}: its date, offence, ward, location, outcome and category must be the same on every line");
                    continue;
                }
                if (lines.Any(l => l.Reference.Equals(parsed.Reference, StringComparison.OrdinalIgnoreCase) && l.Role == parsed.Role
                        && l.GivenName.Equals(parsed.GivenName, StringComparison.OrdinalIgnoreCase) && l.FamilyName.Equals(parsed.FamilyName, StringComparison.OrdinalIgnoreCase) && l.DateOfBirth == parsed.DateOfBirth))
                {
                    Problem("role", "This person is named in this role in this occurrence on an earlier line");
                    continue;
                }
            }
            else
            {
                firstOfReference[parsed.Reference] = parsed;
            }
            lines.Add(parsed);
        }
        return (lines, [.. problems.OrderBy(p => p.Line ?? 0)]);
    }

    private static T? ParseEnum<T>(string text) where T : struct, Enum
    {
        var squashed = new string(text.Where(char.IsLetter).ToArray());
        return squashed.Length > 0 && Enum.TryParse<T>(squashed, ignoreCase: true, out var value) && Enum.IsDefined(value) ? value : null;
    }

    private sealed record Applied(OccurrenceImportSummary Summary, IReadOnlyCollection<Guid> Touched);

    private async Task<Applied> ApplyLinesAsync(List<OccurrenceLine> lines, string fileName, Guid forceId, Guid userId, ImportProgress progress, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var references = lines.Select(l => l.Reference).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var existing = await db.Unfiltered<Occurrence>("a force's import finds its own occurrences by reference, whoever they name").Include(o => o.People)
            .Where(o => o.OwnerOrganisationId == forceId && references.Contains(o.PoliceReference)).ToListAsync(ct);
        var byReference = existing.ToDictionary(o => o.PoliceReference, StringComparer.OrdinalIgnoreCase);

        var personReferences = lines.Select(l => l.PersonReference).OfType<string>().Distinct().ToList();
        var holders = await db.Unfiltered<PersonIdentifier>("an import matches people by the police reference the register holds; the force learns only linked or sent to review")
            .Where(i => i.Scheme == IdentifierScheme.PoliceReference && personReferences.Contains(i.Value))
            .Select(i => new { i.Value, i.PersonId, i.Person!.DateOfBirth }).ToListAsync(ct);
        var holderOf = holders.GroupBy(h => h.Value).Where(g => g.Select(h => h.PersonId).Distinct().Count() == 1).ToDictionary(g => g.Key, g => g.First());

        int added = 0, changed = 0, unchanged = 0, linksAdded = 0, linksUnchanged = 0, review = 0;
        var touched = new HashSet<Guid>();
        var waiting = await db.Unfiltered<OccurrenceMatchReview>("the import does not queue a name twice").AsNoTracking()
            .Where(r => r.OwnerOrganisationId == forceId && r.Status == OccurrenceMatchStatus.Waiting && existing.Select(o => o.Id).Contains(r.OccurrenceId))
            .Select(r => new { r.OccurrenceId, r.GivenName, r.FamilyName, r.DateOfBirth, r.Role }).ToListAsync(ct);
        var groups = lines.GroupBy(l => l.Reference, StringComparer.OrdinalIgnoreCase).ToList();
        var done = 0;
        foreach (var group in groups)
        {
            // Every 500 occurrences or so, between 20% and 80%.
            if (++done % 500 == 0)
                await progress(20 + 60 * done / groups.Count, $"Matching people and saving: {done:N0} of {groups.Count:N0} occurrences");
            var first = group.First();
            if (!byReference.TryGetValue(first.Reference, out var occurrence))
            {
                occurrence = new Occurrence
                {
                    PoliceReference = first.Reference,
                    OwnerOrganisationId = forceId,
                    CategoryCode = RecordCategories.PoliceGeneral,
                    RecordedAt = now,
                    RecordedByUserId = userId,
                };
                Describe(occurrence, first);
                db.Occurrences.Add(occurrence);
                added++;
            }
            else if (Describe(occurrence, first))
            {
                changed++;
                touched.UnionWith(occurrence.People.Select(p => p.PersonId));
            }
            else
            {
                unchanged++;
            }

            foreach (var line in group)
            {
                var holder = line.PersonReference is { } pr && holderOf.TryGetValue(pr, out var h) ? h : null;
                if (holder is not null && (line.DateOfBirth is null || holder.DateOfBirth is null || holder.DateOfBirth == line.DateOfBirth))
                {
                    if (occurrence.People.Any(p => p.PersonId == holder.PersonId && p.Role == line.Role))
                    {
                        linksUnchanged++;
                        continue;
                    }
                    occurrence.People.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = holder.PersonId, Role = line.Role });
                    audit.StageWrite(new AuditEvent(holder.PersonId, AuditAction.Create, $"police:occurrence {occurrence.Id} {line.Role}", "import"));
                    touched.Add(holder.PersonId);
                    linksAdded++;
                    continue;
                }
                if (waiting.Any(w => w.OccurrenceId == occurrence.Id && w.Role == line.Role && w.DateOfBirth == line.DateOfBirth
                        && w.GivenName.Equals(line.GivenName, StringComparison.OrdinalIgnoreCase) && w.FamilyName.Equals(line.FamilyName, StringComparison.OrdinalIgnoreCase)))
                {
                    linksUnchanged++;
                    continue;
                }
                db.OccurrenceMatchReviews.Add(new OccurrenceMatchReview
                {
                    OccurrenceId = occurrence.Id,
                    OwnerOrganisationId = forceId,
                    FileName = fileName.Length > 200 ? fileName[..200] : fileName,
                    Line = line.Line,
                    PersonPoliceReference = line.PersonReference,
                    GivenName = line.GivenName,
                    FamilyName = line.FamilyName,
                    DateOfBirth = line.DateOfBirth,
                    Role = line.Role,
                    // The register's likely match (or the holder of the reference whose birthday differs), for the reviewer; never linked here.
                    CandidatePersonId = holder?.PersonId ?? await LikelyMatchAsync(line, ct),
                    Status = OccurrenceMatchStatus.Waiting,
                    CreatedAt = now,
                });
                review++;
            }
        }
        // The file's own row in the log (occurrences and names held for review are police records too); each link has its own above.
        audit.StageWrite(new AuditEvent(null, AuditAction.Create, $"police:import {added} added, {changed} changed, {linksAdded} linked, {review} to review", "import"));
        await db.SaveChangesAsync(ct);
        return new Applied(new OccurrenceImportSummary(lines.Count, added, changed, unchanged, linksAdded, linksUnchanged, review, 0), touched);
    }

    /// <summary>Sets the occurrence's description from a line; whether anything changed.</summary>
    private static bool Describe(Occurrence o, OccurrenceLine l)
    {
        var category = l.Intelligence ? RecordCategories.PoliceIntelligence : RecordCategories.PoliceGeneral;
        var changed = o.OccurredOn != l.OccurredOn || o.OffenceSubGroup != l.Offence?.Code || o.IncidentType != l.Incident || o.AreaId != l.WardId
            || o.Location != l.Location || o.Latitude != l.Latitude || o.Longitude != l.Longitude || o.Outcome != l.Outcome || o.CategoryCode != category;
        o.OccurredOn = l.OccurredOn;
        o.OffenceGroup = l.Offence?.Group;
        o.OffenceSubGroup = l.Offence?.Code;
        o.IncidentType = l.Incident;
        o.AreaId = l.WardId;
        o.Location = l.Location;
        o.Latitude = l.Latitude;
        o.Longitude = l.Longitude;
        o.Outcome = l.Outcome;
        o.CategoryCode = category;
        return changed;
    }

    /// <summary>The register's duplicate rules, over every person: the candidate is only offered to a reviewer.</summary>
    private async Task<Guid?> LikelyMatchAsync(OccurrenceLine line, CancellationToken ct) =>
        line.DateOfBirth is not { } dob ? null
            : (await OccurrenceMatching.LikelyMatchesAsync(
                db.Unfiltered<Person>("an import's duplicate check for a name it could not match; the candidate is only offered to a reviewer"),
                line.GivenName, line.FamilyName, dob, ct)).Select(m => (Guid?)m.PersonId).FirstOrDefault();
}
