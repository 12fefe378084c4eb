using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Shell;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Services;

/// <summary>What an import did: how many services it added, changed and found already as the file says.</summary>
public sealed record DirectoryImportSummary(int Services, int Added, int Changed, int Unchanged)
{
    public override string ToString() =>
        $"{Services} service{(Services == 1 ? "" : "s")} read: {Added} added, {Changed} changed, {Unchanged} unchanged";
}

public sealed record DirectoryImportOutcome(DirectoryImportSummary? Summary, IReadOnlyList<ImportProblem> Problems);

/// <summary>
/// The directory in and out as files: the documented CSV (docs/services.md, "Directory files"),
/// which the export writes and the import reads back unchanged, and an Open Referral UK feed's
/// JSON (HSDS 3.0 services, a page of them as <c>/services</c> answers, a list or one service).
/// An import is all or nothing: every line is checked with the form's own rules first, every
/// problem is named with its line (or item) and column (or field), and only a file with none is
/// saved, in one transaction. A service is matched by its id, else by provider and name, so that
/// sending the same file again changes nothing.
/// </summary>
public sealed class DirectoryTransfer(WaypointDbContext db, ServiceDirectory directory, AuditTrail audit, TimeProvider clock)
{
    public const int MaxFileBytes = 5 * 1024 * 1024;
    public const int MaxServices = 5000;
    private const char ListSeparator = ';';

    /// <summary>The columns of the directory file, in order. Only name and provider are needed in the header of a file to import; a column left out keeps what is stored (or the form's default).</summary>
    public static readonly string[] Columns =
    [
        "id", "name", "provider", "description", "how_to_refer", "minimum_age", "maximum_age", "threshold", "needs", "areas",
        "places", "occupied", "waiting_list", "cost", "contact_name", "email", "phone", "website", "opening_times",
        "qa_status", "last_reviewed_on", "next_review_on", "ap_registration", "ofsted_urn",
    ];

    private static readonly Dictionary<string, string> ColumnOfField = new(StringComparer.Ordinal)
    {
        [nameof(ServiceInput.ProviderOrganisationId)] = "provider",
        [nameof(ServiceInput.Name)] = "name",
        [nameof(ServiceInput.Description)] = "description",
        [nameof(ServiceInput.HowToRefer)] = "how_to_refer",
        [nameof(ServiceInput.MinimumAge)] = "minimum_age",
        [nameof(ServiceInput.MaximumAge)] = "maximum_age",
        [nameof(ServiceInput.Threshold)] = "threshold",
        [nameof(ServiceInput.NeedIds)] = "needs",
        [nameof(ServiceInput.AreaIds)] = "areas",
        [nameof(ServiceInput.Places)] = "places",
        [nameof(ServiceInput.Occupied)] = "occupied",
        [nameof(ServiceInput.WaitingList)] = "waiting_list",
        [nameof(ServiceInput.Cost)] = "cost",
        [nameof(ServiceInput.ContactName)] = "contact_name",
        [nameof(ServiceInput.Email)] = "email",
        [nameof(ServiceInput.Phone)] = "phone",
        [nameof(ServiceInput.Website)] = "website",
        [nameof(ServiceInput.OpeningTimes)] = "opening_times",
        [nameof(ServiceInput.QaStatus)] = "qa_status",
        [nameof(ServiceInput.LastReviewedOn)] = "last_reviewed_on",
        [nameof(ServiceInput.NextReviewOn)] = "next_review_on",
        [nameof(ServiceInput.ApRegistration)] = "ap_registration",
        [nameof(ServiceInput.OfstedUrn)] = "ofsted_urn",
    };

    // The Open Referral field each form field came from, to name it in a problem.
    private static readonly Dictionary<string, string> OrukFieldOfField = new(StringComparer.Ordinal)
    {
        [nameof(ServiceInput.ProviderOrganisationId)] = "organization",
        [nameof(ServiceInput.Name)] = "name",
        [nameof(ServiceInput.Description)] = "description",
        [nameof(ServiceInput.HowToRefer)] = "application_process",
        [nameof(ServiceInput.MinimumAge)] = "minimum_age",
        [nameof(ServiceInput.MaximumAge)] = "maximum_age",
        [nameof(ServiceInput.NeedIds)] = "attributes",
        [nameof(ServiceInput.AreaIds)] = "service_areas",
        [nameof(ServiceInput.Cost)] = "fees",
        [nameof(ServiceInput.ContactName)] = "contacts",
        [nameof(ServiceInput.Email)] = "email",
        [nameof(ServiceInput.Phone)] = "phones",
        [nameof(ServiceInput.Website)] = "url",
        [nameof(ServiceInput.OpeningTimes)] = "schedules",
        [nameof(ServiceInput.QaStatus)] = "status",
        [nameof(ServiceInput.LastReviewedOn)] = "assured_date",
        [nameof(ServiceInput.NextReviewOn)] = "assured_date",
    };

    /// <summary>The directory (or the services a search found) as the documented file, ready for <see cref="ExportFile"/>.</summary>
    public async Task<ExportTable> ExportAsync(ServiceSearch search, CancellationToken ct)
    {
        var filtered = await directory.FilterAsync(directory.Services.AsNoTracking(), search, ct);
        var services = await filtered.Include(s => s.ProviderOrganisation).Include(s => s.Areas).ThenInclude(a => a.Area).Include(s => s.Needs).ThenInclude(n => n.Term)
            .AsSplitQuery().OrderBy(s => s.Name).ThenBy(s => s.Id).ToListAsync(ct);
        var rows = services.Select(s => (IReadOnlyList<object?>)
        [
            s.Id.ToString(), s.Name, s.ProviderOrganisation!.Name, s.Description, s.HowToRefer, s.MinimumAge, s.MaximumAge, ServiceLabels.Of(s.Threshold),
            string.Join(ListSeparator, s.Needs.Select(n => n.Term!.Code).Order(StringComparer.Ordinal)),
            string.Join(ListSeparator, s.Areas.Select(a => a.Area!.Name).Order(StringComparer.Ordinal)),
            s.Places, s.Occupied, s.WaitingList, s.Cost, s.ContactName, s.Email, s.Phone, s.Website, s.OpeningTimes,
            ServiceLabels.Of(s.QaStatus), s.LastReviewedOn, s.NextReviewOn, ApLabel(s.ApRegistration), s.OfstedUrn,
        ]).ToList();
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Export, $"services directory exported ({rows.Count} service{(rows.Count == 1 ? "" : "s")})", "directory reader"), ct);
        return new ExportTable("Services directory", Columns, rows);
    }

    /// <summary>A row as it was read: its line, the id it names, and its values by column (a column missing from the header is absent, which keeps what is stored).</summary>
    private sealed record Row(int Line, string Where, string? Id, IReadOnlyDictionary<string, string> Values, Func<string, string> FieldName);

    public async Task<DirectoryImportOutcome> ImportCsvAsync(Stream content, string fileName, CancellationToken ct)
    {
        var (rows, problems) = ReadCsv(content, fileName);
        if (problems.Count > 0)
            return new DirectoryImportOutcome(null, problems);
        var lookups = await LoadAsync(ct);
        var inputs = new List<(Row Row, ServiceInput? Input, Guid? Id)>();
        foreach (var row in rows)
            inputs.Add((row, FromCsv(row, lookups, fileName, problems), ParseId(row, fileName, problems)));
        return await ApplyAsync(fileName, inputs, fromFeed: false, problems, lookups, ct);
    }

    public async Task<DirectoryImportOutcome> ImportOpenReferralAsync(Stream content, string fileName, CancellationToken ct)
    {
        var problems = new List<ImportProblem>();
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(content, new JsonDocumentOptions { MaxDepth = 32 }, ct);
        }
        catch (JsonException e)
        {
            return new DirectoryImportOutcome(null, [new ImportProblem(fileName, e.LineNumber is { } l ? (int)l + 1 : null, null, "This is not valid JSON.")]);
        }
        using (document)
        {
            var root = document.RootElement;
            JsonElement.ArrayEnumerator? items = root.ValueKind switch
            {
                JsonValueKind.Array => root.EnumerateArray(),
                JsonValueKind.Object when root.TryGetProperty("contents", out var c) && c.ValueKind == JsonValueKind.Array => c.EnumerateArray(),
                _ => null,
            };
            var services = items is { } list ? list.ToList() : root.ValueKind == JsonValueKind.Object ? [root] : [];
            var path = items is null ? (Func<int, string>)(_ => "the service") : root.ValueKind == JsonValueKind.Array ? i => $"service [{i}]" : i => $"contents[{i}]";
            if (services.Count == 0)
                return new DirectoryImportOutcome(null, [new ImportProblem(fileName, null, null, "The file holds no services: send an Open Referral UK service, a list of them, or a page as /services answers.")]);
            if (services.Count > MaxServices)
                return new DirectoryImportOutcome(null, [new ImportProblem(fileName, null, null, $"The file holds {services.Count} services: send at most {MaxServices} at once.")]);
            var lookups = await LoadAsync(ct);
            var inputs = new List<(Row Row, ServiceInput? Input, Guid? Id)>();
            for (var i = 0; i < services.Count; i++)
            {
                var row = new Row(i + 1, path(i), null, new Dictionary<string, string>(), f => OrukFieldOfField.GetValueOrDefault(f, f));
                var (input, id) = FromOpenReferral(services[i], row, lookups, fileName, problems);
                inputs.Add((row, input, id));
            }
            return await ApplyAsync(fileName, inputs, fromFeed: true, problems, lookups, ct);
        }
    }

    private sealed record Known(
        ServiceDirectory.Lookups Lookups,
        Dictionary<string, Guid> Providers,
        Dictionary<Guid, Guid> ServiceProvider,
        Dictionary<string, Guid> Areas,
        Dictionary<string, Guid> Needs);

    private async Task<Known> LoadAsync(CancellationToken ct)
    {
        var lookups = await directory.LookupsAsync(ct);
        // Every organisation, not only the reader's, so that one outside the reader's remit is named as such rather than as unknown.
        var providers = (await db.Organisations.AsNoTracking().Where(o => o.IsActive).Select(o => new { o.Id, o.Name }).ToListAsync(ct))
            .GroupBy(o => o.Name.Trim(), StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Id, StringComparer.OrdinalIgnoreCase);
        var areas = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var a in await db.Areas.AsNoTracking().Select(a => new { a.Id, a.Name, a.Code }).ToListAsync(ct))
        {
            areas.TryAdd(a.Name.Trim(), a.Id);
            if (a.Code is { Length: > 0 } code)
                areas.TryAdd(code.Trim(), a.Id);
            areas.TryAdd(a.Id.ToString(), a.Id);
        }
        var needs = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var t in await db.Set<TaxonomyTerm>().AsNoTracking().Select(t => new { t.Id, t.Code, t.Name }).ToListAsync(ct))
        {
            needs.TryAdd(t.Code, t.Id);
            needs.TryAdd(t.Name, t.Id);
            needs.TryAdd(t.Id.ToString(), t.Id);
        }
        var owners = await directory.Services.AsNoTracking().Select(s => new { s.Id, s.ProviderOrganisationId }).ToDictionaryAsync(s => s.Id, s => s.ProviderOrganisationId, ct);
        return new Known(lookups, providers, owners, areas, needs);
    }

    private async Task<DirectoryImportOutcome> ApplyAsync(string fileName, List<(Row Row, ServiceInput? Input, Guid? Id)> inputs, bool fromFeed,
        List<ImportProblem> problems, Known known, CancellationToken ct)
    {
        if (inputs.Count == 0 && problems.Count == 0)
            problems.Add(new ImportProblem(fileName, null, null, "The file has a header but no services."));
        // Match every line to the service it is about before anything is changed: by id, else by provider and name.
        var existing = await directory.Services.Include(s => s.Areas).Include(s => s.Needs).AsSplitQuery().ToListAsync(ct);
        var byKey = existing.GroupBy(s => Key(s.ProviderOrganisationId, s.Name)).ToDictionary(g => g.Key, g => g.First());
        var seen = new Dictionary<Guid, Row>();
        var seenKeys = new Dictionary<string, Row>(StringComparer.OrdinalIgnoreCase);
        var plan = new List<(Row Row, ServiceInput Input, Service? Target, Guid? NewId)>();
        foreach (var (row, input, id) in inputs)
        {
            if (input is null)
                continue;
            var target = id is { } given ? existing.FirstOrDefault(s => s.Id == given) : null;
            if (target is null && input.ProviderOrganisationId is { } provider && input.Name?.Trim() is { Length: > 0 } name)
                target = byKey.GetValueOrDefault(Key(provider, name));
            var key = input.ProviderOrganisationId is { } p && input.Name?.Trim() is { Length: > 0 } n ? Key(p, n) : null;
            var first = target is not null && seen.TryGetValue(target.Id, out var byId) ? byId
                : key is not null && seenKeys.TryGetValue(key, out var byName) ? byName : null;
            if (first is not null)
            {
                problems.Add(Problem(fileName, row, null, $"This is the same service as {first.Where}: each service may be in the file once."));
                continue;
            }
            if (target is not null)
                seen[target.Id] = row;
            if (key is not null)
                seenKeys[key] = row;
            if (target is not null && !await directory.MayEditAsync(target.ProviderOrganisationId, ct))
            {
                problems.Add(Problem(fileName, row, row.FieldName(nameof(ServiceInput.ProviderOrganisationId)), $"\"{target.Name}\" is another organisation's service: you may not change it."));
                continue;
            }
            plan.Add((row, input, target, target is null ? id : null));
        }

        int added = 0, changed = 0, unchanged = 0;
        var touched = new List<(Service Service, bool IsNew)>();
        foreach (var (row, input, target, newId) in plan)
        {
            if (target is null && fromFeed)
            {
                // A feed says nothing of the partnership's own assurance, thresholds or places: a new service waits for the directory's keepers.
                input.QaStatus ??= ServiceQaStatus.UnderReview;
                input.Threshold ??= ServiceThreshold.EarlyHelp;
                input.Places ??= "0";
            }
            var service = target ?? new Service { Id = newId ?? Guid.CreateVersion7(), Name = "", Description = "", HowToRefer = "", CreatedAt = clock.GetUtcNow() };
            if (target is not null)
                Fill(input, target);
            var before = target is null ? null : Fingerprint(ServiceInput.From(target));
            var (updatedAt, updatedBy) = (service.UpdatedAt, service.UpdatedByUserId);
            var errors = await directory.ApplyAsync(service, input, ct, known.Lookups);
            foreach (var (field, message) in errors)
                problems.Add(Problem(fileName, row, row.FieldName(field), message));
            if (errors.Count > 0)
                continue;
            if (target is null)
            {
                if (known.ServiceProvider.ContainsKey(service.Id))
                {
                    problems.Add(Problem(fileName, row, row.FieldName("id"), "A service with this id is in the directory but you may not change it."));
                    continue;
                }
                db.Add(service);
                touched.Add((service, true));
                added++;
            }
            else if (Fingerprint(ServiceInput.From(service)) == before)
            {
                (service.UpdatedAt, service.UpdatedByUserId) = (updatedAt, updatedBy);
                unchanged++;
            }
            else
            {
                touched.Add((service, false));
                changed++;
            }
        }
        if (problems.Count > 0)
        {
            db.ChangeTracker.Clear();
            return new DirectoryImportOutcome(null, problems.OrderBy(p => p.Line ?? 0).ToList());
        }
        var basis = await directory.BasisAsync(ct);
        foreach (var (service, isNew) in touched)
            await audit.RecordAsync(new AuditEvent(null, isNew ? AuditAction.Create : AuditAction.Update, $"service {service.Id} {(isNew ? "added" : "changed")} by import of {Trim(fileName)}", basis), ct);
        var summary = new DirectoryImportSummary(inputs.Count, added, changed, unchanged);
        await audit.RecordAsync(new AuditEvent(null, AuditAction.Update, $"services directory import of {Trim(fileName)}: {summary}", basis), ct);
        await db.SaveChangesAsync(ct);
        return new DirectoryImportOutcome(summary, []);
    }

    private static string Trim(string fileName)
    {
        var name = Path.GetFileName(fileName);
        return name.Length > 80 ? name[..80] : name;
    }

    private static string Key(Guid provider, string name) => $"{provider:N}/{name.Trim().ToLowerInvariant()}";

    private static ImportProblem Problem(string fileName, Row row, string? field, string message) =>
        row.Values.Count > 0 || row.Where.StartsWith("line", StringComparison.Ordinal)
            ? new ImportProblem(fileName, row.Line, field is null ? null : $"column {field}", message)
            : new ImportProblem(fileName, null, field, message) { Record = row.Where };

    /// <summary>What the file leaves out keeps what is stored: a column missing from the header, or a field the Open Referral shape has no place for.</summary>
    private static void Fill(ServiceInput input, Service stored)
    {
        var from = ServiceInput.From(stored);
        foreach (var property in typeof(ServiceInput).GetProperties())
        {
            var value = property.GetValue(input);
            var empty = value is null || value is List<Guid> { Count: 0 } || value is DateInput { Day: null, Month: null, Year: null };
            if (empty)
                property.SetValue(input, property.GetValue(from));
        }
    }

    private static string Fingerprint(ServiceInput input)
    {
        input.AreaIds.Sort();
        input.NeedIds.Sort();
        return JsonSerializer.Serialize(input);
    }

    private static Guid? ParseId(Row row, string fileName, List<ImportProblem> problems)
    {
        if (row.Id is not { Length: > 0 } text)
            return null;
        if (Guid.TryParse(text, out var id))
            return id;
        problems.Add(Problem(fileName, row, "id", $"\"{Clip(text)}\" is not a service id: leave it empty for a new service"));
        return null;
    }

    // ---- CSV ----

    private static (List<Row> Rows, List<ImportProblem> Problems) ReadCsv(Stream content, string fileName)
    {
        var problems = new List<ImportProblem>();
        var rows = new List<Row>();
        var options = new CsvReaderOptions
        {
            Separator = ',',
            HasHeader = true,
            TrackLineNumbers = true,
            SkipEmptyLines = true,
            IncludeValuesInExceptions = false,
            OnMalformedRecord = r => problems.Add(new ImportProblem(fileName, (int)r.LineNumber, null, "This row is not valid CSV: check its quote marks.")),
        };
        using var csv = CsvReader.Create(content, options, leaveOpen: true);
        csv.ReadHeader();
        if (csv.Headers.Count == 0 || csv.Headers.All(string.IsNullOrWhiteSpace))
        {
            problems.Add(new ImportProblem(fileName, 1, null, $"The file is empty: its first line must name the columns ({string.Join(",", Columns)})."));
            return (rows, problems);
        }
        var header = csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        foreach (var unknown in header.Where(h => !Columns.Contains(h)).Distinct())
            problems.Add(new ImportProblem(fileName, 1, $"column {Clip(unknown)}", $"This is not a column of the directory file. The columns are: {string.Join(", ", Columns)}."));
        foreach (var twice in header.GroupBy(h => h).Where(g => g.Count() > 1))
            problems.Add(new ImportProblem(fileName, 1, $"column {twice.Key}", "This column is named twice."));
        foreach (var needed in new[] { "name", "provider" }.Where(c => !header.Contains(c)))
            problems.Add(new ImportProblem(fileName, 1, $"column {needed}", "The header must have this column."));
        if (problems.Count > 0)
            return (rows, problems);
        while (csv.Read())
        {
            var line = (int)csv.LineNumber;
            if (csv.FieldCount != header.Count)
            {
                problems.Add(new ImportProblem(fileName, line, null, $"This row has {csv.FieldCount} values but the header has {header.Count} columns."));
                continue;
            }
            if (rows.Count >= MaxServices)
            {
                problems.Add(new ImportProblem(fileName, line, null, $"A file may hold at most {MaxServices} services."));
                break;
            }
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Count; i++)
                values[header[i]] = Unneutralise(csv.GetString(i).Replace("\0", "").Trim());
            rows.Add(new Row(line, $"line {line}", values.GetValueOrDefault("id"), values, f => ColumnOfField.GetValueOrDefault(f, f)));
        }
        return (rows, problems);
    }

    /// <summary>The export puts an apostrophe before a cell a spreadsheet would run as a formula; reading it back takes it off again.</summary>
    private static string Unneutralise(string value) =>
        value.Length > 1 && value[0] == '\'' && value[1] is '=' or '+' or '-' or '@' ? value[1..] : value;

    private static ServiceInput? FromCsv(Row row, Known known, string fileName, List<ImportProblem> problems)
    {
        var v = row.Values;
        var before = problems.Count;
        string? Get(string column) => v.TryGetValue(column, out var value) ? value : null;
        var input = new ServiceInput
        {
            Name = Get("name"),
            Description = Get("description"),
            HowToRefer = Get("how_to_refer"),
            MinimumAge = Get("minimum_age"),
            MaximumAge = Get("maximum_age"),
            Places = Get("places"),
            Occupied = Get("occupied"),
            WaitingList = Get("waiting_list"),
            Cost = Get("cost"),
            ContactName = Get("contact_name"),
            Email = Get("email"),
            Phone = Get("phone"),
            Website = Get("website"),
            OpeningTimes = Get("opening_times"),
            OfstedUrn = Get("ofsted_urn"),
        };
        var provider = Get("provider");
        if (string.IsNullOrEmpty(provider))
            problems.Add(Problem(fileName, row, "provider", "Name the organisation that provides the service"));
        else if (known.Providers.TryGetValue(provider, out var providerId))
            input.ProviderOrganisationId = providerId;
        else
            problems.Add(Problem(fileName, row, "provider", $"\"{Clip(provider)}\" is not an organisation of the partnership"));
        if (Get("threshold") is { Length: > 0 } threshold)
            input.Threshold = Label(threshold, Enum.GetValues<ServiceThreshold>(), ServiceLabels.Of, "threshold", row, fileName, problems);
        if (Get("qa_status") is { Length: > 0 } qa)
            input.QaStatus = Label(qa, Enum.GetValues<ServiceQaStatus>(), ServiceLabels.Of, "qa_status", row, fileName, problems);
        if (Get("ap_registration") is { Length: > 0 } ap)
            input.ApRegistration = Label(ap, Enum.GetValues<ApRegistration>(), ApLabel, "ap_registration", row, fileName, problems);
        if (Get("needs") is { } needs)
            input.NeedIds = Terms(needs, known.Needs, "needs", "a need of the directory's taxonomy (its code or name)", row, fileName, problems);
        if (Get("areas") is { } areas)
            input.AreaIds = Terms(areas, known.Areas, "areas", "an area of the partnership (its name or code)", row, fileName, problems);
        if (Get("last_reviewed_on") is { } last)
            input.LastReviewedOn = Date(last, "last_reviewed_on", row, fileName, problems);
        if (Get("next_review_on") is { } next)
            input.NextReviewOn = Date(next, "next_review_on", row, fileName, problems);
        return problems.Count > before ? null : input;
    }

    private static T? Label<T>(string text, T[] values, Func<T, string> label, string column, Row row, string fileName, List<ImportProblem> problems) where T : struct, Enum
    {
        foreach (var value in values)
            if (string.Equals(label(value), text, StringComparison.OrdinalIgnoreCase) || string.Equals(value.ToString(), text, StringComparison.OrdinalIgnoreCase))
                return value;
        problems.Add(Problem(fileName, row, column, $"\"{Clip(text)}\" is not one of: {string.Join(", ", values.Select(label))}"));
        return null;
    }

    private static List<Guid> Terms(string text, Dictionary<string, Guid> known, string column, string what, Row row, string fileName, List<ImportProblem> problems)
    {
        var ids = new List<Guid>();
        foreach (var part in text.Split(ListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (known.TryGetValue(part, out var id))
                ids.Add(id);
            else
                problems.Add(Problem(fileName, row, column, $"\"{Clip(part)}\" is not {what}; separate several with a semicolon"));
        }
        return ids;
    }

    private static DateInput Date(string text, string column, Row row, string fileName, List<ImportProblem> problems)
    {
        if (text.Length == 0)
            return new DateInput { Day = "" }; // an empty cell clears the date; a missing column keeps it
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            return DateInput.From(date);
        problems.Add(Problem(fileName, row, column, $"\"{Clip(text)}\" is not a date written as YYYY-MM-DD"));
        return new DateInput();
    }

    private static string ApLabel(ApRegistration r) => r switch
    {
        ApRegistration.NotApplicable => "Not applicable",
        ApRegistration.Registered => "Registered",
        _ => "Unregistered",
    };

    private static string Clip(string value) => value.Length > 60 ? value[..60] + "…" : value;

    // ---- Open Referral UK JSON ----

    private static (ServiceInput? Input, Guid? Id) FromOpenReferral(JsonElement service, Row row, Known known, string fileName, List<ImportProblem> problems)
    {
        var before = problems.Count;
        void Refuse(string? field, string message) => problems.Add(Problem(fileName, row, field, message));
        if (service.ValueKind != JsonValueKind.Object)
        {
            Refuse(null, "This is not a service object.");
            return (null, null);
        }
        string? Text(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String && p.GetString()!.Replace("\0", "").Trim() is { Length: > 0 } s ? s : null;
        IEnumerable<JsonElement> Array(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Array ? p.EnumerateArray() : [];
        string? Number(string name)
        {
            if (!service.TryGetProperty(name, out var p) || p.ValueKind == JsonValueKind.Null)
                return null;
            if (p.ValueKind == JsonValueKind.Number && p.TryGetDecimal(out var d) && d == decimal.Truncate(d))
                return ((long)d).ToString(CultureInfo.InvariantCulture);
            Refuse(name, "This must be a whole number of years.");
            return null;
        }

        Guid? id = null;
        var idText = Text(service, "id");
        if (idText is null)
            Refuse("id", "Every Open Referral service must have an id (a UUID).");
        else if (Guid.TryParse(idText, out var parsed))
            id = parsed;
        else
            Refuse("id", $"\"{Clip(idText)}\" is not a UUID.");

        var input = new ServiceInput
        {
            Name = Text(service, "name"),
            Description = Text(service, "description"),
            MinimumAge = Number("minimum_age"),
            MaximumAge = Number("maximum_age"),
            Email = Text(service, "email"),
            Website = Text(service, "url"),
            Cost = Text(service, "fees") ?? Text(service, "fees_description")
                ?? Array(service, "cost_options").Select(c => Text(c, "amount_description") ?? Text(c, "option")).FirstOrDefault(c => c is not null),
            ContactName = Array(service, "contacts").Select(c => Text(c, "title") ?? Text(c, "name")).FirstOrDefault(c => c is not null),
            Phone = Array(service, "phones").Concat(Array(service, "contacts").SelectMany(c => Array(c, "phones")))
                .Select(p => Text(p, "number")).FirstOrDefault(p => p is not null),
            OpeningTimes = Schedules(Array(service, "schedules").ToList(), Text),
        };
        if (input.Name is null)
            Refuse("name", "Every Open Referral service must have a name.");

        // The provider: the nested organization by name, else organization_id when it is an organisation of the partnership.
        var organization = service.TryGetProperty("organization", out var o) ? o : default;
        var orgName = Text(organization, "name");
        if (orgName is not null && known.Providers.TryGetValue(orgName, out var providerId))
            input.ProviderOrganisationId = providerId;
        else if (Text(service, "organization_id") is { } orgId && Guid.TryParse(orgId, out var oid) && known.Providers.ContainsValue(oid))
            input.ProviderOrganisationId = oid;
        else if (orgName is not null)
            Refuse("organization.name", $"\"{Clip(orgName)}\" is not an organisation of the partnership: add it first, or correct its name.");
        else
            Refuse("organization", "Name the service's organization (organization.name) as an organisation of the partnership.");

        input.HowToRefer = Text(service, "application_process") ?? HowToReferFrom(input);
        // A feed's "active" does not approve a service: assurance is the partnership's own. A closed one goes under review, a defunct one is suspended.
        input.QaStatus = Text(service, "status")?.ToLowerInvariant() switch
        {
            "active" or null => null,
            "inactive" or "temporarily closed" => ServiceQaStatus.UnderReview,
            "defunct" => ServiceQaStatus.Suspended,
            var other => Fail(other),
        };
        ServiceQaStatus? Fail(string other)
        {
            Refuse("status", $"\"{Clip(other)}\" is not an Open Referral status (active, inactive, defunct or temporarily closed).");
            return null;
        }
        if (Text(service, "assured_date") is { } assured)
        {
            if (DateOnly.TryParseExact(assured.Length >= 10 ? assured[..10] : assured, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                input.LastReviewedOn = DateInput.From(date);
            else
                Refuse("assured_date", $"\"{Clip(assured)}\" is not a date written as YYYY-MM-DD.");
        }
        if (Text(service, "accreditations") is { } accreditations && UrnIn(accreditations) is { } urn)
        {
            input.ApRegistration = ApRegistration.Registered;
            input.OfstedUrn = urn;
        }

        // Areas by name, or by the code in the area's uri; needs by the term's id, code or name.
        var areaNames = Array(service, "service_areas").Select(a => (Name: Text(a, "name") ?? Text(a, "service_area"), Uri: Text(a, "uri"))).ToList();
        foreach (var (name, uri) in areaNames)
        {
            var code = uri?.TrimEnd('/').Split('/')[^1];
            if (name is not null && known.Areas.TryGetValue(name, out var area) || code is not null && known.Areas.TryGetValue(code, out area))
                input.AreaIds.Add(area);
            else
                Refuse("service_areas", $"\"{Clip(name ?? uri ?? "")}\" is not an area of the partnership: name areas as the partnership does.");
        }
        foreach (var attribute in Array(service, "attributes"))
        {
            var term = attribute.TryGetProperty("taxonomy_term", out var t) ? t : default;
            var keys = new[] { Text(attribute, "taxonomy_term_id"), Text(term, "id"), Text(term, "code"), Text(term, "term"), Text(term, "name") };
            var match = keys.Where(k => k is not null).Select(k => known.Needs.TryGetValue(k!, out var need) ? need : (Guid?)null).FirstOrDefault(n => n is not null);
            if (match is { } need)
                input.NeedIds.Add(need);
        }
        return (problems.Count > before ? null : input, id);
    }

    private static string? Schedules(List<JsonElement> schedules, Func<JsonElement, string, string?> text)
    {
        var parts = schedules.Select(s => text(s, "description") ?? (text(s, "opens_at") is { } opens && text(s, "closes_at") is { } closes
            ? $"{text(s, "byday") ?? ""} {opens} to {closes}".Trim() : null)).Where(p => p is not null).Distinct().ToList();
        var joined = string.Join("; ", parts);
        return joined.Length == 0 ? null : joined.Length > Service.MaxShortTextLength ? joined[..Service.MaxShortTextLength] : joined;
    }

    private static string HowToReferFrom(ServiceInput input)
    {
        var ways = new List<string>();
        if (input.Email is not null)
            ways.Add($"email {input.Email}");
        if (input.Phone is not null)
            ways.Add($"telephone {input.Phone}");
        if (input.Website is not null)
            ways.Add($"see {input.Website}");
        return ways.Count == 0 ? "Contact the provider." : $"Contact the service: {string.Join(", ", ways)}.";
    }

    private static string? UrnIn(string text)
    {
        var at = text.IndexOf("URN", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return null;
        var digits = new string(text[(at + 3)..].SkipWhile(c => !char.IsAsciiDigit(c)).TakeWhile(char.IsAsciiDigit).ToArray());
        return digits.Length is 6 or 7 ? digits : null;
    }
}

public static class DirectoryTransferText
{
    /// <summary>The summary line an import page or command prints.</summary>
    public static string Outcome(string fileName, DirectoryImportSummary summary) => $"{Path.GetFileName(fileName)} imported: {summary}";

    public static byte[] Template() => Encoding.UTF8.GetBytes(string.Join(",", DirectoryTransfer.Columns) + "\r\n");
}
