using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Identity;

namespace Waypoint.Tests.Access;

/// <summary>
/// A keyed record of the world (a case, a report, an alert, a notice, an import...), with the facts
/// that decide who may see it, so the matrix can call every route keyed by it for every persona.
/// </summary>
public sealed record WorldRecord(KeyKind Kind, Guid Id, WorldPerson? Person, string Description)
{
    public Guid? OrganisationId { get; init; }
    public Guid? AreaId { get; init; }
    public Guid? UserId { get; init; }

    public override string ToString() => $"{Kind} {Id} ({Description}{(Person is null ? "" : ", " + Person)})";
}

public abstract partial class AccessWorld
{
    private readonly List<WorldRecord> records = [];
    private readonly Dictionary<string, List<WorldRecord>> recordsOf = [];
    private readonly Dictionary<string, WorldPerson> writeTargets = [];
    private HashSet<(string Category, OrganisationType Owner, OrganisationType Reader)> flows = [];

    public IReadOnlyList<WorldRecord> Records => records;

    /// <summary>The keyed records a persona's matrix calls: those about its own people, and the shared ones (notices, imports).</summary>
    public IReadOnlyList<WorldRecord> RecordsFor(Persona persona) => recordsOf[persona.Key];

    /// <summary>
    /// A person no persona may see, with a case, a report and an alert of their own, one per persona:
    /// the writes of the matrix aim at these, so that a write wrongly let through changes nobody the
    /// read tests look at.
    /// </summary>
    public WorldPerson WriteTarget(Persona persona) => writeTargets[persona.Key];

    public IReadOnlyList<WorldRecord> WriteRecordsFor(Persona persona) =>
        records.Where(r => r.Person == writeTargets[persona.Key]).ToList();

    /// <summary>
    /// Whether the persona may read a keyed record, written from DESIGN.md's rules (and each
    /// filter's documented rule) independently of the app's policy.
    /// </summary>
    public bool MayRead(Persona persona, WorldRecord record)
    {
        var personVisible = record.Person is not null && ExpectedBasis(persona, record.Person) is not null;
        return record.Kind switch
        {
            KeyKind.Person => personVisible,
            KeyKind.Case => personVisible && (record.OrganisationId == persona.Organisation.Id || HubTriageCovers(persona, record.Person!.WardId)),
            KeyKind.Referral => personVisible && (record.OrganisationId == persona.Organisation.Id || HubTriageCovers(persona, record.AreaId!.Value)),
            KeyKind.Alert => personVisible && (record.OrganisationId == persona.Organisation.Id
                || flows.Contains((RecordCategories.Education, OrganisationType.School, persona.Organisation.Type))),
            KeyKind.Notification => record.UserId == persona.User.Id,
            KeyKind.Import => persona.Organisation.Type == OrganisationType.School && record.OrganisationId == persona.Organisation.Id,
            // A service referral: its two parties (here one organisation both referred and provides), while the young person is visible to them.
            KeyKind.ServiceReferral => personVisible && record.OrganisationId == persona.Organisation.Id,
            _ => throw new InvalidOperationException($"The world has no rule for reading a {record.Kind}."),
        };
    }

    /// <summary>
    /// Whether the persona may change a record it can read. Known for the records whose rule is
    /// written down (issue 10: an alert is acted on by the school it is addressed to); null where
    /// the matrix does not know and only checks the record cannot be changed unseen.
    /// </summary>
    public bool? MayWrite(Persona persona, WorldRecord record) => record.Kind switch
    {
        // An alert is acted on by the organisations it is addressed to: the school whose records raised
        // it, the inclusion team covering the pupil, and the lead organisation of the pupil's open case.
        KeyKind.Alert => MayRead(persona, record) && (record.OrganisationId == persona.Organisation.Id
            || FunctionCovers(persona, PartnershipFunction.InclusionOfficer, record.Person!.WardId)
            || records.Any(c => c.Kind == KeyKind.Case && c.Person?.Id == record.Person!.Id && c.OrganisationId == persona.Organisation.Id)),
        _ => null,
    };

    public bool HubTriageCovers(Persona persona, Guid areaId) => FunctionCovers(persona, PartnershipFunction.HubTriage, areaId);

    public bool FunctionCovers(Persona persona, PartnershipFunction function, Guid areaId)
    {
        var areas = AreaAndAncestors(areaId).ToHashSet();
        return persona.Functions.Any(f => f.Function == function && areas.Contains(f.AreaId) && f.Period.IsCurrent(Today));
    }

    public bool Flows(string category, OrganisationType owner, OrganisationType reader) => flows.Contains((category, owner, reader));

    private async Task BuildRecordsAsync()
    {
        var p = Partnership;
        flows = await app.AsSystemAsync(async (db, _) =>
        {
            var restricted = await db.RecordCategories.AsNoTracking().Where(c => c.RestrictedTo != null).ToDictionaryAsync(c => c.Code, c => c.RestrictedTo!.Value);
            var rules = await db.SharingRules.AsNoTracking().Where(s => s.AgreementVersion!.IsCurrent).Select(s => new { s.CategoryCode, s.OwnerType, s.ReaderType }).ToListAsync();
            return rules.Where(r => !restricted.TryGetValue(r.CategoryCode, out var only) || only == r.ReaderType)
                .Select(r => (r.CategoryCode, r.OwnerType, r.ReaderType)).ToHashSet();
        });

        var index = 0;
        foreach (var persona in personas.Values.OrderBy(x => Array.IndexOf(PersonaKeys, x.Key)))
        {
            var own = new List<WorldRecord>();
            var org = persona.Organisation;
            var school = org.Type == OrganisationType.School ? org : p.School;
            var firstVisible = persona.Cases.FirstOrDefault(c => c.WithRelationship)?.Person;

            // Every person of the persona's cases has a case its organisation leads, a report it made
            // and an alert of a school: open to the persona exactly while the person is.
            foreach (var c in persona.Cases)
                own.AddRange(await RecordsAboutAsync(c.Person, org, school, c.Description));
            // A person the persona may see, with records of other organisations: the case and report
            // stay closed unless a hub grant covers them; the alert flows as the agreement says.
            if (firstVisible is not null)
                own.AddRange(await RecordsAboutAsync(firstVisible, ElsewhereTrust, p.OtherSchool, "records of other organisations about a person the persona may see"));

            var target = await AddPersonAsync("Wilberforce", $"Quarrington{index++:D2}", new DateOnly(2014, 6, 1), ElsewhereWard.Id);
            writeTargets[persona.Key] = target;
            await RecordsAboutAsync(target, org, school, "write target: a person nobody in the matrix may see");
            recordsOf[persona.Key] = own;
        }

        // Notices: each persona's own, and its neighbour's (which it must not open).
        var keys = PersonaKeys;
        var notices = new Dictionary<string, WorldRecord>();
        await app.AsSystemAsync(async db =>
        {
            foreach (var key in keys)
            {
                var n = new Notification
                {
                    UserId = personas[key].User.Id,
                    Kind = "matrix",
                    Subject = "A notice for the access matrix",
                    Body = "Nothing personal.",
                    Link = "/",
                    CreatedAt = DateTimeOffset.UtcNow,
                    Email = EmailDelivery.NotRequired,
                };
                db.Notifications.Add(n);
                notices[key] = new WorldRecord(KeyKind.Notification, n.Id, null, $"notice of {key}") { UserId = n.UserId };
            }
            await db.SaveChangesAsync();
        });
        for (var i = 0; i < keys.Length; i++)
        {
            recordsOf[keys[i]].Add(notices[keys[i]]);
            recordsOf[keys[i]].Add(notices[keys[(i + 1) % keys.Length]]);
        }
        records.AddRange(notices.Values);

        // Imports: one for the practitioners' school, one for the organisation admin's.
        var imports = new List<WorldRecord>();
        await app.AsSystemAsync(async db =>
        {
            foreach (var key in new[] { "school-practitioner", "organisation-admin" })
            {
                var job = new ImportJob
                {
                    SenderOrganisationId = personas[key].Organisation.Id,
                    UploadedByUserId = personas[key].User.Id,
                    FileName = "matrix.csv",
                    Kind = ImportKind.Behaviour,
                    Status = ImportStatus.Rejected,
                    FileBytes = 10,
                    Percent = 100,
                    QueuedAt = DateTimeOffset.UtcNow,
                    StartedAt = DateTimeOffset.UtcNow,
                    FinishedAt = DateTimeOffset.UtcNow,
                    ProblemsJson = "[]",
                };
                db.ImportJobs.Add(job);
                imports.Add(new WorldRecord(KeyKind.Import, job.Id, null, $"import of {key}'s school") { OrganisationId = job.SenderOrganisationId });
            }
            await db.SaveChangesAsync();
        });
        records.AddRange(imports);
        foreach (var key in keys)
            recordsOf[key].AddRange(imports);

        // Every person of every persona is itself a keyed record.
        foreach (var persona in personas.Values)
            recordsOf[persona.Key].InsertRange(0, persona.Cases.Select(c => new WorldRecord(KeyKind.Person, c.Person.Id, c.Person, c.Description)));
    }

    private async Task<WorldPerson> AddPersonAsync(string given, string family, DateOnly dob, Guid wardId)
    {
        var person = new Person
        {
            Kind = PersonKind.YoungPerson,
            GivenName = given,
            FamilyName = family,
            DateOfBirth = dob,
            AreaId = wardId,
            OwnerOrganisationId = Partnership.Hub.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        await app.AsSystemAsync(async db =>
        {
            db.People.Add(person);
            await db.SaveChangesAsync();
        });
        return new WorldPerson(person.Id, given, family, dob, wardId, [], []);
    }

    private async Task<List<WorldRecord>> RecordsAboutAsync(WorldPerson person, Organisation org, Organisation school, string description)
    {
        var made = new List<WorldRecord>();
        await app.AsSystemAsync(async db =>
        {
            var reporter = await db.Users.Where(u => u.OrganisationId == org.Id).Select(u => (Guid?)u.Id).FirstOrDefaultAsync() ?? Guid.Empty;
            var now = DateTimeOffset.UtcNow;
            var @case = new Case
            {
                PersonId = person.Id,
                LeadOrganisationId = org.Id,
                Level = TriageOutcome.EarlyHelp,
                Status = CaseStatus.Open,
                OpenedAt = now.AddDays(-20),
                OpenedByUserId = reporter,
            };
            var referral = new Referral
            {
                PersonId = person.Id,
                ReporterUserId = reporter,
                ReporterOrganisationId = org.Id,
                AreaId = person.WardId,
                Categories = nameof(ConcernCategory.RiskOfExclusion),
                WhatIsKnown = "Matrix report: missing lessons.",
                LawfulBasis = LawfulBasis.PublicTask,
                ReportedAt = now.AddDays(-2),
                DecisionDueBy = now.AddDays(1),
                Status = ReferralStatus.AwaitingTriage,
            };
            var alert = new Alert
            {
                PersonId = person.Id,
                SchoolId = school.Id,
                Rule = AlertRule.RepeatedSuspensions,
                TriggerKey = $"matrix:{person.Id}:{school.Id}",
                TriggeredOn = Today.AddDays(-3),
                Figures = "3 suspensions in 10 weeks",
                ThresholdValue = 3,
                Status = AlertStatus.New,
                RaisedAt = now.AddDays(-3),
            };
            alert.Events.Add(new AlertEvent { AlertId = alert.Id, Kind = AlertEventKind.Raised, At = alert.RaisedAt });
            var service = new Service
            {
                ProviderOrganisationId = org.Id,
                Name = $"Matrix service of {org.Name}",
                Description = "Matrix",
                HowToRefer = "Matrix",
                Places = 5,
                CreatedAt = now,
                UpdatedAt = now,
            };
            // Made by the organisation to its own service, with no grant: it opens to the organisation exactly while the person does.
            var serviceReferral = new ServiceReferral
            {
                PersonId = person.Id,
                ServiceId = service.Id,
                ProviderOrganisationId = org.Id,
                ReferrerUserId = reporter,
                ReferrerOrganisationId = org.Id,
                Reason = "Matrix referral to a service",
                LawfulBasis = LawfulBasis.PublicTask,
                Status = ServiceReferralStatus.Sent,
                SentAt = now.AddDays(-1),
                UpdatedAt = now.AddDays(-1),
            };
            db.Add(service);
            db.Add(serviceReferral);
            db.Cases.Add(@case);
            // An action on the case, so that the case's action export has a row to name the child in.
            db.CaseActions.Add(new CaseAction
            {
                CaseId = @case.Id,
                Description = "Matrix action: check attendance weekly.",
                OwnerOrganisationId = org.Id,
                DueOn = Today.AddDays(7),
                Status = CaseActionStatus.Open,
                CreatedAt = now,
            });
            db.Referrals.Add(referral);
            db.Alerts.Add(alert);
            await db.SaveChangesAsync();
            made.Add(new WorldRecord(KeyKind.Case, @case.Id, person, $"{description}: case led by {org.Name}") { OrganisationId = org.Id });
            made.Add(new WorldRecord(KeyKind.Referral, referral.Id, person, $"{description}: report by {org.Name}") { OrganisationId = org.Id, AreaId = person.WardId });
            made.Add(new WorldRecord(KeyKind.Alert, alert.Id, person, $"{description}: alert of {school.Name}") { OrganisationId = school.Id });
            made.Add(new WorldRecord(KeyKind.ServiceReferral, serviceReferral.Id, person, $"{description}: service referral by {org.Name}") { OrganisationId = org.Id });
        });
        records.AddRange(made);
        return made;
    }

    /// <summary>
    /// Every row of every table but the audit trail's, as the system reader sees it: a write that
    /// was refused must leave this exactly as it was.
    /// </summary>
    public Task<Dictionary<string, HashSet<string>>> SnapshotAsync() =>
        app.AsSystemAsync((db, _) =>
        {
            var tables = new Dictionary<string, HashSet<string>>();
            foreach (var type in db.Model.GetEntityTypes().Where(t => !t.IsOwned() && t.FindPrimaryKey() is not null && !t.HasSharedClrType))
            {
                if (type.ClrType == typeof(AuditEntry) || type.ClrType == typeof(DataProtectionKey) || type.ClrType.Name.Contains("Token", StringComparison.Ordinal))
                    continue;
                var set = (IQueryable<object>)typeof(DbContext).GetMethod(nameof(DbContext.Set), Type.EmptyTypes)!.MakeGenericMethod(type.ClrType).Invoke(db, null)!;
                var rows = new HashSet<string>();
                foreach (var row in set.ToList())
                {
                    var entry = db.Entry(row);
                    var text = new StringBuilder();
                    foreach (var property in type.GetProperties())
                    {
                        // Sign-in bookkeeping moves on its own (concurrency stamps of the signed-in users).
                        if (property.Name is "ConcurrencyStamp" or "SecurityStamp" or "LastAuthenticatorStep")
                            continue;
                        var value = entry.Property(property.Name).CurrentValue;
                        text.Append(property.Name).Append('=').Append(value is byte[] bytes ? Convert.ToHexString(bytes) : value?.ToString()).Append("; ");
                    }
                    rows.Add(text.ToString());
                }
                tables[type.DisplayName()] = rows;
            }
            return Task.FromResult(tables);
        });

    /// <summary>What changed between two snapshots, one line a row, for the failure message.</summary>
    public static List<string> Differences(Dictionary<string, HashSet<string>> before, Dictionary<string, HashSet<string>> after)
    {
        var lines = new List<string>();
        foreach (var (table, rows) in after)
        {
            var old = before.GetValueOrDefault(table) ?? [];
            lines.AddRange(rows.Except(old).Select(r => $"{table} now has: {Shorten(r)}"));
            lines.AddRange(old.Except(rows).Select(r => $"{table} no longer has: {Shorten(r)}"));
        }
        return lines;
    }

    private static string Shorten(string row) => row.Length <= 400 ? row : row[..400] + "...";
}

public abstract partial class AccessWorld
{
    private readonly Dictionary<string, Dictionary<string, string>?> forms = [];
    private readonly List<string> formless = [];

    public IEnumerable<Persona> AllPersonas => PersonaKeys.Select(k => personas[k]);

    /// <summary>Write routes whose page showed no form for them to any persona tried (posted with the token only).</summary>
    public IReadOnlyList<string> Formless => formless;

    /// <summary>
    /// The fields a browser would post to a page write, read from the form on the page of a record
    /// some persona may see (the first few tried); {tag} in filled boxes becomes the request's tag.
    /// </summary>
    public async Task<Dictionary<string, string>?> FormFieldsAsync(AppRoute route, string tag)
    {
        if (!forms.TryGetValue(route.Name, out var fields))
        {
            var pageRoute = route with { Verb = "GET", Handler = null };
            var tries = 0;
            foreach (var persona in AllPersonas)
            {
                var keys = route.Key == KeyKind.None
                    ? [(Guid?)null]
                    : RecordsFor(persona).Where(r => r.Kind == route.Key && MayRead(persona, r)).Select(r => (Guid?)r.Id).Take(2).ToList();
                foreach (var id in keys)
                {
                    var response = await persona.Pages.GetAsync(pageRoute.UrlFor(id));
                    if (response.StatusCode != System.Net.HttpStatusCode.OK)
                        continue;
                    tries++;
                    fields = Forms.Fields(Infrastructure.Clients.Parse(await response.Content.ReadAsStringAsync()), route.Handler, "{tag}");
                    if (fields is not null || tries >= 6)
                        break;
                }
                if (fields is not null || tries >= 6)
                    break;
            }
            forms[route.Name] = fields;
            if (fields is null)
                formless.Add(route.Name);
        }
        return fields?.ToDictionary(f => f.Key, f => f.Value.Replace("{tag}", tag));
    }
}
