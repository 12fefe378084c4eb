using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>One labelled value of a compiled record.</summary>
public sealed record CompiledField(string Label, string Value);

/// <summary>
/// One record held about the person, as the copy shows it: its kind, the agency that holds it and
/// its fields as text. <see cref="Key"/> ("CaseNote:0193…") names it for redactions and police release.
/// </summary>
public sealed record CompiledRecord(string Key, string RecordType, string Agency, Guid? OwnerOrganisationId, bool Police, DateOnly? On, IReadOnlyList<CompiledField> Fields);

/// <summary>Everything held about one person when the DPO compiled it.</summary>
public sealed record SubjectAccessCompilation(Guid PersonId, string PersonName, DateOnly? DateOfBirth, DateTimeOffset CompiledAt, IReadOnlyList<CompiledRecord> Records)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static SubjectAccessCompilation FromJson(string json) => JsonSerializer.Deserialize<SubjectAccessCompilation>(json, Json)!;
}

/// <summary>
/// Compiles everything the partnership holds about a person, across every agency, for a
/// subject-access request. The data-protection officer has no relationship with the person, so
/// each read goes past the access policy by name (the DPO's legitimate need under article 15), and
/// the compilation is audited against the person. Fields are taken from the entity model, so a
/// column added to a record later is in the copy without anyone remembering to add it here;
/// internal ids, search keys and serialized payloads are left out, and ids of organisations and
/// staff become their names.
/// </summary>
public sealed class SubjectAccessCompiler(WaypointDbContext db, AuditTrail audit, TimeProvider clock)
{
    /// <summary>The record type of the audit of who viewed the record.</summary>
    public const string ViewedBy = "Who viewed the record";

    private static readonly HashSet<string> LeftOut = new(StringComparer.Ordinal)
    {
        "SearchGivenName", "SearchFamilyName", "GivenNameKey", "FamilyNameKey", "SearchFamilyPrefix", "CategoryCode", "Version", "IsLatest",
    };

    private Dictionary<Guid, (string Name, OrganisationType Type)> organisations = [];
    private Dictionary<Guid, string> staff = [];

    public async Task<SubjectAccessCompilation> CompileAsync(Guid personId, CancellationToken ct)
    {
        var person = await db.Unfiltered<Person>("subject access: the data-protection officer compiles the person's register entry (article 15; audited)")
            .AsNoTracking().SingleAsync(p => p.Id == personId, ct);
        organisations = await db.Organisations.AsNoTracking().ToDictionaryAsync(o => o.Id, o => (o.Name, o.Type), ct);
        staff = await db.Users.AsNoTracking().ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var records = new List<CompiledRecord>();
        void AddAll<T>(IEnumerable<T> rows, string type, Func<T, Guid?> owner, Func<T, DateOnly?> on, Func<T, IEnumerable<CompiledField>>? extra = null, Func<T, string>? key = null) where T : class
        {
            foreach (var row in rows)
                records.Add(Record(row, type, owner(row), on(row), extra?.Invoke(row), key?.Invoke(row)));
        }

        AddAll([person], "Register entry", p => p.OwnerOrganisationId, p => DateOnly.FromDateTime(p.CreatedAt.UtcDateTime));
        if (person.HouseholdId is { } householdId)
        {
            var household = await db.Unfiltered<Household>("subject access: the person's address, compiled by the data-protection officer (article 15; audited)")
                .AsNoTracking().Where(h => h.Id == householdId).ToListAsync(ct);
            AddAll(household, "Address", h => h.OwnerOrganisationId, _ => null);
        }
        AddAll(await db.Unfiltered<PersonIdentifier>("subject access: the person's identifiers, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Identifier", x => x.OwnerOrganisationId, _ => null);

        var links = await db.Unfiltered<PersonRelationship>("subject access: the person's family links, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId || x.RelatedPersonId == personId).ToListAsync(ct);
        var relatedIds = links.Select(l => l.PersonId == personId ? l.RelatedPersonId : l.PersonId).Distinct().ToList();
        var related = await db.Unfiltered<Person>("subject access: the names of the person's family, shown in their family links for the DPO to redact (article 15; audited)")
            .AsNoTracking().Where(p => relatedIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.GivenName + " " + p.FamilyName, ct);
        AddAll(links, "Family link", x => x.OwnerOrganisationId, _ => null, l =>
        {
            var other = l.PersonId == personId ? l.RelatedPersonId : l.PersonId;
            var how = l.PersonId == personId ? $"{Words(l.Kind.ToString())} of this person" : $"this person is their {Words(l.Kind.ToString()).ToLowerInvariant()}";
            return [new("Related person", related.GetValueOrDefault(other, "someone no longer in the register")), new("Relationship", how)];
        });

        AddAll(await db.Unfiltered<Enrolment>("subject access: the person's school enrolments, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "School enrolment", x => x.SchoolId, x => x.StartDate);
        AddAll(await db.Unfiltered<AttendanceRecord>("subject access: the person's attendance, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Attendance", x => x.SchoolId, x => x.PeriodStart);
        AddAll(await db.Unfiltered<Suspension>("subject access: the person's suspensions and exclusions, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Suspension or exclusion", x => x.SchoolId, _ => null);
        AddAll(await db.Unfiltered<BehaviourIncident>("subject access: the person's behaviour incidents, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Behaviour incident", x => x.SchoolId, _ => null);
        AddAll(await db.Unfiltered<ManagedMove>("subject access: the person's managed moves, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Managed move", x => x.OwnerOrganisationId, _ => null);
        AddAll(await db.Unfiltered<PartTimeTimetable>("subject access: the person's part-time timetables, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Part-time timetable", x => x.OwnerOrganisationId, _ => null);
        AddAll(await db.Unfiltered<Alert>("subject access: early-warning alerts about the person, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Early-warning alert", x => x.SchoolId, x => x.TriggeredOn);

        AddAll(await db.Unfiltered<Referral>("subject access: reports to the hub about the person, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Report to the hub", x => x.ReporterOrganisationId, x => Day(x.ReportedAt));
        var cases = await db.Unfiltered<Case>("subject access: the person's cases, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct);
        AddAll(cases, "Case", x => x.LeadOrganisationId, x => Day(x.OpenedAt));
        var caseIds = cases.Select(c => c.Id).ToList();
        var leadOf = cases.ToDictionary(c => c.Id, c => c.LeadOrganisationId);
        AddAll(await db.Unfiltered<CaseGoal>("subject access: the goals of the person's cases, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => caseIds.Contains(x.CaseId)).ToListAsync(ct), "Case goal", x => leadOf[x.CaseId], x => Day(x.CreatedAt));
        AddAll(await db.Unfiltered<CaseAction>("subject access: the actions of the person's cases, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => caseIds.Contains(x.CaseId)).ToListAsync(ct), "Case action", x => x.OwnerOrganisationId, x => Day(x.CreatedAt));
        AddAll(await db.Unfiltered<CaseNote>("subject access: the notes on the person's cases, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => caseIds.Contains(x.CaseId)).ToListAsync(ct), "Case note", x => x.OwnerOrganisationId, x => Day(x.At));
        AddAll(await db.Unfiltered<CaseReview>("subject access: the reviews of the person's cases, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => caseIds.Contains(x.CaseId)).ToListAsync(ct), "Case review", x => leadOf[x.CaseId], x => x.HeldOn);

        var items = await db.Unfiltered<AgendaItem>("subject access: the person's items at multi-agency meetings, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct);
        var meetingIds = items.Select(i => i.MeetingId).Distinct().ToList();
        var organiserOf = await (from m in db.Set<Meeting>().AsNoTracking()
                                 join s in db.Set<MeetingSeries>().AsNoTracking() on m.SeriesId equals s.Id
                                 where meetingIds.Contains(m.Id)
                                 select new { m.Id, s.OrganiserOrganisationId, m.Date }).ToDictionaryAsync(m => m.Id, ct);
        AddAll(items, "Meeting item and decision", x => organiserOf.GetValueOrDefault(x.MeetingId)?.OrganiserOrganisationId, x => organiserOf.GetValueOrDefault(x.MeetingId)?.Date);
        AddAll(await db.Unfiltered<MeetingAction>("subject access: actions agreed at meetings about the person, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Meeting action", x => x.OwnerOrganisationId, x => Day(x.CreatedAt));

        AddAll(await db.Unfiltered<ConsentRecord>("subject access: the person's consent records, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Consent", x => x.AskedByOrganisationId, x => x.AskedOn);
        AddAll(await db.Unfiltered<ServiceReferral>("subject access: the person's referrals to services, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Service referral", x => x.ReferrerOrganisationId, x => Day(x.SentAt));
        AddAll(await db.Unfiltered<RiskScore>("subject access: the person's risk scores, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Risk score", _ => null, x => Day(x.ComputedAt));
        AddAll(await db.Unfiltered<ProcessingRestriction>("subject access: restrictions of the person's processing, compiled by the data-protection officer (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Restriction of processing", _ => null, x => Day(x.RecordedAt));

        var occurrences = await (from link in db.Unfiltered<OccurrencePerson>("subject access: the police occurrences the person is linked to, held back until the force releases them (article 15; audited)").AsNoTracking()
                                 join o in db.Unfiltered<Occurrence>("subject access: police occurrences linked to the person, held back until the force releases them (article 15; audited)").AsNoTracking()
                                     on link.OccurrenceId equals o.Id
                                 where link.PersonId == personId
                                 select new { o, link.Role }).ToListAsync(ct);
        AddAll(occurrences, "Police occurrence", x => x.o.OwnerOrganisationId, x => x.o.OccurredOn, x => [.. Fields(x.o), new("Role in the occurrence", Words(x.Role.ToString()))],
            x => $"Occurrence:{x.o.Id}");
        AddAll(await db.Unfiltered<PersonFlag>("subject access: police flags on the person, held back until the force releases them (article 15; audited)")
            .AsNoTracking().Where(x => x.PersonId == personId).ToListAsync(ct), "Police flag", x => x.OwnerOrganisationId, x => Day(x.SetAt));

        records.AddRange(await ViewedAsync(personId, ct));

        var now = clock.GetUtcNow();
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Export, "subject-access.compile", $"data-protection officer: subject access, {records.Count} records compiled"), ct);
        return new SubjectAccessCompilation(personId, person.GivenName + " " + person.FamilyName, person.DateOfBirth, now, records);
    }

    /// <summary>
    /// Who looked at the person's record: by organisation and role and day, counted; staff named
    /// only where the partnership's setting says so (their names are personal data of their own).
    /// </summary>
    private async Task<IEnumerable<CompiledRecord>> ViewedAsync(Guid personId, CancellationToken ct)
    {
        var nameStaff = await db.SubjectAccessSettings.AsNoTracking().Select(s => s.NameStaffInAudit).FirstOrDefaultAsync(ct);
        var rows = await db.AuditEntries.AsNoTracking()
            .Where(a => a.PersonId == personId && (a.Action == AuditAction.Read || a.Action == AuditAction.ListedInSearch || a.Action == AuditAction.Export || a.Action == AuditAction.BreakGlass))
            .Select(a => new { a.OccurredAt, a.UserId, a.OrganisationId, a.Action })
            .ToListAsync(ct);
        var userIds = rows.Where(r => r.UserId != null).Select(r => r.UserId!.Value).Distinct().ToList();
        var roles = (await (from ur in db.UserRoles join r in db.Roles on ur.RoleId equals r.Id where userIds.Contains(ur.UserId) select new { ur.UserId, r.Name })
                .ToListAsync(ct))
            .GroupBy(x => x.UserId).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(x => Identity.Roles.Describe(x.Name!)).Order(StringComparer.Ordinal)));
        return rows
            .GroupBy(r => new
            {
                Day = DateOnly.FromDateTime(r.OccurredAt.UtcDateTime),
                r.OrganisationId,
                Role = r.UserId is { } u ? roles.GetValueOrDefault(u, "Staff") : "Waypoint itself",
                Staff = nameStaff && r.UserId is { } s ? staff.GetValueOrDefault(s) : null,
                r.Action,
            })
            .OrderBy(g => g.Key.Day).ThenBy(g => g.Key.OrganisationId)
            .Select((g, i) =>
            {
                var fields = new List<CompiledField>
                {
                    new("Date", g.Key.Day.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)),
                    new("Organisation", OrganisationName(g.Key.OrganisationId)),
                    new("Role", g.Key.Role),
                    new("What was done", g.Key.Action switch
                    {
                        AuditAction.ListedInSearch => "Listed in a search",
                        AuditAction.Export => "Exported or printed",
                        AuditAction.BreakGlass => "Emergency access (break-glass)",
                        _ => "Viewed",
                    }),
                    new("Times", g.Count().ToString(CultureInfo.InvariantCulture)),
                };
                if (g.Key.Staff is { } name)
                    fields.Insert(3, new CompiledField("Member of staff", name));
                return new CompiledRecord($"Viewed:{i}", ViewedBy, OrganisationName(g.Key.OrganisationId), g.Key.OrganisationId, false, g.Key.Day, fields);
            })
            .ToList();
    }

    private CompiledRecord Record(object row, string type, Guid? owner, DateOnly? on, IEnumerable<CompiledField>? extra, string? key)
    {
        var entity = db.Model.FindEntityType(row.GetType());
        key ??= entity?.FindPrimaryKey()?.Properties is [var id] ? $"{row.GetType().Name}:{id.PropertyInfo?.GetValue(row)}" : throw new InvalidOperationException($"No key for {row.GetType().Name}");
        var fields = extra?.ToList() ?? Fields(row).ToList();
        if (extra is not null && entity is not null)
            fields.InsertRange(0, Fields(row));
        var isPolice = owner is { } o && organisations.TryGetValue(o, out var org) && org.Type == OrganisationType.Police
            || row.GetType().GetProperty("CategoryCode")?.GetValue(row) is string category && category.StartsWith("police", StringComparison.Ordinal);
        return new CompiledRecord(key, type, OrganisationName(owner), owner, isPolice, on, fields);
    }

    /// <summary>The row's columns as labelled text, from the entity model.</summary>
    private IEnumerable<CompiledField> Fields(object row)
    {
        var entity = db.Model.FindEntityType(row.GetType());
        if (entity is null)
            yield break;
        foreach (var property in entity.GetProperties())
        {
            if (property.IsShadowProperty() || property.PropertyInfo is null || LeftOut.Contains(property.Name) || property.Name.EndsWith("Json", StringComparison.Ordinal))
                continue;
            var value = property.PropertyInfo.GetValue(row);
            var type = Nullable.GetUnderlyingType(property.ClrType) ?? property.ClrType;
            if (type == typeof(Guid))
            {
                if (Reference(property, value as Guid?) is { } reference)
                    yield return reference;
                continue;
            }
            if (type == typeof(byte[]))
                continue;
            yield return new CompiledField(Words(property.Name), Text(value));
        }
    }

    // Organisations and staff by name; other ids (the record's own, a person's, a case's) are internal.
    private CompiledField? Reference(IProperty property, Guid? id)
    {
        var name = property.Name;
        if (name.EndsWith("OrganisationId", StringComparison.Ordinal) || name is "SchoolId" or "ConsentAgencyId")
            return id is null ? null : new CompiledField(Words(name[..^2]), OrganisationName(id));
        if (name.EndsWith("UserId", StringComparison.Ordinal) || name.EndsWith("PractitionerId", StringComparison.Ordinal))
            return id is { } u && staff.TryGetValue(u, out var who) ? new CompiledField(Words(name[..^2].Replace("User", "", StringComparison.Ordinal).Trim()) is { Length: > 0 } l ? l + " (staff)" : "Staff", who) : null;
        return null;
    }

    private string OrganisationName(Guid? id) => id is { } o && organisations.TryGetValue(o, out var org) ? org.Name : "The partnership";

    private static DateOnly Day(DateTimeOffset at) => DateOnly.FromDateTime(at.UtcDateTime);

    private static string Text(object? value) => value switch
    {
        null => "",
        DateOnly d => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture),
        bool b => b ? "Yes" : "No",
        Enum e => Words(e.ToString()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>"WhatIsKnown" as "What is known".</summary>
    public static string Words(string pascal)
    {
        var s = new StringBuilder(pascal.Length + 8);
        for (var i = 0; i < pascal.Length; i++)
        {
            var c = pascal[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(pascal[i - 1]) || i + 1 < pascal.Length && char.IsLower(pascal[i + 1])))
                s.Append(' ');
            s.Append(i > 0 && char.IsUpper(c) && i + 1 < pascal.Length && char.IsLower(pascal[i + 1]) ? char.ToLowerInvariant(c) : c);
        }
        return s.ToString();
    }
}
