using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

public sealed record WorldPeriod(Guid OrganisationOrAreaId, DateOnly Start, DateOnly? End)
{
    public bool IsCurrent(DateOnly today) => Start <= today && (End is null || End >= today);
}

/// <summary>A person of the world with every relationship the world gave them, for the expectations.</summary>
public sealed record WorldPerson(Guid Id, string GivenName, string FamilyName, DateOnly DateOfBirth, Guid WardId,
    IReadOnlyList<WorldPeriod> Enrolments, IReadOnlyList<WorldPeriod> Involvements)
{
    public override string ToString() => $"{GivenName} {FamilyName}";
}

/// <summary>One case of the matrix: a person set up with (or without) a relationship to the persona.</summary>
public sealed record AccessCase(string Description, WorldPerson Person, bool WithRelationship);

/// <summary>A user of one organisation type and role, signed in through the pages and the token endpoint.</summary>
public sealed record Persona(string Key, TestUser User, Organisation Organisation, string[] Roles, IReadOnlyList<WorldPeriod> Grants,
    string FamilyName, DateOnly DateOfBirth, IReadOnlyList<AccessCase> Cases)
{
    public HttpClient Pages { get; set; } = null!;
    public HttpClient Api { get; set; } = null!;

    /// <summary>The partnership functions granted, with the area each covers (hub triage decides who sees referrals and cases).</summary>
    public IReadOnlyList<(PartnershipFunction Function, Guid AreaId, WorldPeriod Period)> Functions { get; init; } = [];

    /// <summary>Analysts see aggregates only (DESIGN.md): never a person, whatever their organisation's relationships.</summary>
    public bool AggregatesOnly => Roles.Contains(Identity.Roles.Analyst) && Roles.Length == 1;
}

/// <summary>
/// One partnership shared by every test of a matrix class, built once: a user for each persona
/// and, for each, people with and without a relationship to them. Tests only read, so sharing it
/// is safe; each persona has its own user, so audit rows never mix between tests.
/// </summary>
public abstract partial class AccessWorld(WaypointApp app) : IAsyncLifetime
{
    /// <summary>
    /// Each persona signs in once and keeps its session for the whole class: on a loaded machine the
    /// class outlives the product's 20-minute idle time-out, and a persona idle that long was signed
    /// out mid-run (home answering 302), so the world's sessions last the run.
    /// </summary>
    internal static readonly TimeSpan SessionsLast = TimeSpan.FromHours(12);

    public static readonly string[] PersonaKeys =
    [
        "school-practitioner", "police-practitioner", "local-authority-practitioner", "youth-practitioner", "housing-practitioner",
        "health-practitioner", "social-care-practitioner", "charity-practitioner", "family-centre-practitioner",
        "organisation-admin", "partnership-admin", "data-protection-officer", "analyst",
        "hub-triage-for-district", "inclusion-officer-for-county", "partnership-role-ended",
        "closed-case-team", "meeting-invitee", "service-provider",
    ];

    // Distinct surnames (no shared three-letter start or sound-alike key) so a persona's search finds only its own cases.
    private static readonly string[] FamilyNames =
    [
        "Ashworth", "Blackwood", "Carrington", "Dunmore", "Ellesmere", "Fairweather", "Greenhalgh", "Hollingsworth",
        "Ingleby", "Jessop", "Kettleborough", "Lockwood", "Merriweather", "Northcott", "Oldroyd", "Pemberton",
        "Rushworth", "Stanworth", "Thistlewood",
    ];

    private static readonly string[] GivenNames = ["Zara", "Quentin", "Yusuf", "Umar", "Xanthe", "Valentina", "Wilhelmina", "Rosalind", "Octavia", "Peregrine", "Seraphina"];

    // Personas whose involvements the app's own processes make (an agenda issued, a referral sent):
    // the world declares the periods it expects and checks the processes made exactly those.
    private static readonly HashSet<string> GrantedByProcess = ["meeting-invitee", "service-provider"];

    private readonly Dictionary<string, Persona> personas = [];
    private readonly List<WorldPerson> people = [];
    private readonly Dictionary<Guid, Guid?> parentOf = [];

    public WaypointApp App => app;
    public TestPartnership Partnership { get; private set; } = null!;
    public DateOnly Today { get; } = DateOnly.FromDateTime(DateTime.UtcNow);
    public IReadOnlyList<PersonRoute> Routes { get; private set; } = [];
    public IReadOnlyList<string> UnsupportedRoutes { get; private set; } = [];
    public IReadOnlyList<WorldPerson> People => people;
    public IReadOnlyList<AppRoute> AllRoutes { get; private set; } = [];
    public IReadOnlyList<string> UnsupportedAllRoutes { get; private set; } = [];
    public Organisation ElsewhereTrust { get; private set; } = null!;
    public Area ElsewhereWard { get; private set; } = null!;
    public Persona this[string key] => personas[key];

    public async ValueTask InitializeAsync()
    {
        await app.InitializeAsync();
        Routes = PersonRoutes.Discover(app.Services, out var unsupported);
        UnsupportedRoutes = unsupported;
        AllRoutes = AppRoutes.Discover(app.Services, out var unsupportedAll);
        UnsupportedAllRoutes = unsupportedAll;
        await BuildAsync();
        await BuildRecordsAsync();
        AddServiceReferralRecords();
    }

    public async ValueTask DisposeAsync()
    {
        await app.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// The basis label the audit row should carry, or null where the persona must not see the
    /// person. Written from DESIGN.md's rules, independently of the app's policy.
    /// </summary>
    public string? ExpectedBasis(Persona persona, WorldPerson person)
    {
        if (persona.AggregatesOnly)
            return null;
        var bases = new List<string>();
        if (person.Enrolments.Any(e => e.OrganisationOrAreaId == persona.Organisation.Id && e.IsCurrent(Today)))
            bases.Add("enrolment");
        if (person.Involvements.Any(i => i.OrganisationOrAreaId == persona.Organisation.Id && i.IsCurrent(Today)))
            bases.Add("involvement");
        var areas = AreaAndAncestors(person.WardId).ToHashSet();
        if (persona.Grants.Any(g => areas.Contains(g.OrganisationOrAreaId) && g.IsCurrent(Today)))
            bases.Add("partnership role");
        return bases.Count == 0 ? null : string.Join(", ", bases);
    }

    /// <summary>Whether the persona works at a school where the person is enrolled now (the school-record forms' rule).</summary>
    public bool IsCurrentSchoolOf(Persona persona, WorldPerson person) =>
        persona.Organisation.Type == OrganisationType.School
        && person.Enrolments.Any(e => e.OrganisationOrAreaId == persona.Organisation.Id && e.IsCurrent(Today));

    private IEnumerable<Guid> AreaAndAncestors(Guid areaId)
    {
        for (Guid? id = areaId; id is { } current; id = parentOf.GetValueOrDefault(current))
            yield return current;
    }

    private async Task BuildAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var elsewhere = await TestPartnership.CreateAsync(app);
        Partnership = p;
        foreach (var area in new[] { p.County, p.District, p.OtherDistrict, p.Ward, p.OtherWard, elsewhere.County, elsewhere.District, elsewhere.OtherDistrict, elsewhere.Ward, elsewhere.OtherWard })
            parentOf[area.Id] = area.ParentId;

        var schoolC = new Organisation { Name = $"School C {p.Suffix}", Type = OrganisationType.School, AreaId = p.County.Id, Phase = SchoolPhase.Secondary };
        var office = new Organisation { Name = $"Partnership office {p.Suffix}", Type = OrganisationType.LocalAuthorityTeam, AreaId = p.County.Id };
        var inclusion = new Organisation { Name = $"Inclusion team {p.Suffix}", Type = OrganisationType.LocalAuthorityTeam, AreaId = p.County.Id };
        var elsewhereTrust = new Organisation { Name = $"Elsewhere Trust {p.Suffix}", Type = OrganisationType.Charity, AreaId = p.County.Id };
        ElsewhereTrust = elsewhereTrust;
        ElsewhereWard = elsewhere.Ward;
        await app.AsSystemAsync(async db =>
        {
            db.Organisations.AddRange(schoolC, office, inclusion, elsewhereTrust);
            await db.SaveChangesAsync();
        });

        var current = new WorldPeriod(Guid.Empty, Today.AddDays(-30), null);
        var ended = new WorldPeriod(Guid.Empty, Today.AddDays(-90), Today.AddDays(-1));
        var future = new WorldPeriod(Guid.Empty, Today.AddDays(7), null);
        var index = 0;

        async Task AddAsync(string key, Organisation org, string[] roles, IReadOnlyList<(PartnershipFunction Function, Area Area, WorldPeriod Period)> grants,
            params (string Description, bool With, Area? Ward, (Organisation School, WorldPeriod Period)[] Enrolments, (Organisation Org, WorldPeriod Period)[] Involvements)[] cases)
        {
            var user = await app.CreateUserAsync(org, roles);
            var worldGrants = new List<WorldPeriod>();
            var functions = new List<(PartnershipFunction, Guid, WorldPeriod)>();
            await app.AsSystemAsync(async db =>
            {
                foreach (var g in grants)
                {
                    functions.Add((g.Function, g.Area.Id, g.Period));
                    db.PartnershipRoleGrants.Add(new PartnershipRoleGrant { UserId = user.Id, Function = g.Function, AreaId = g.Area.Id, StartDate = g.Period.Start, EndDate = g.Period.End });
                    worldGrants.Add(g.Period with { OrganisationOrAreaId = g.Area.Id });
                }
                await db.SaveChangesAsync();
            });
            var familyName = FamilyNames[index];
            var dob = new DateOnly(2009, 1, 10).AddDays(index * 17);
            index++;
            var accessCases = new List<AccessCase>();
            for (var c = 0; c < cases.Length; c++)
            {
                var spec = cases[c];
                var person = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = GivenNames[c],
                    FamilyName = familyName,
                    DateOfBirth = dob,
                    AreaId = (spec.Ward ?? p.OtherWard).Id,
                    OwnerOrganisationId = p.Hub.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                await app.AsSystemAsync(async db =>
                {
                    db.People.Add(person);
                    foreach (var (school, period) in spec.Enrolments)
                        db.Enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = school.Id, StartDate = period.Start, EndDate = period.End, YearGroup = 10 });
                    foreach (var (involved, period) in GrantedByProcess.Contains(key) ? [] : spec.Involvements)
                        db.Involvements.Add(new Involvement
                        {
                            PersonId = person.Id,
                            OrganisationId = involved.Id,
                            Source = InvolvementSource.Explicit,
                            Reason = spec.Description,
                            StartDate = period.Start,
                            EndDate = period.End,
                            ReviewOn = period.End is null ? period.Start.AddYears(1) : null,
                            AddedAt = DateTimeOffset.UtcNow,
                        });
                    await db.SaveChangesAsync();
                });
                var worldPerson = new WorldPerson(person.Id, person.GivenName, familyName, dob, person.AreaId,
                    spec.Enrolments.Select(e => e.Period with { OrganisationOrAreaId = e.School.Id }).ToList(),
                    spec.Involvements.Select(i => i.Period with { OrganisationOrAreaId = i.Org.Id }).ToList());
                people.Add(worldPerson);
                accessCases.Add(new AccessCase(spec.Description, worldPerson, spec.With));
            }
            personas[key] = new Persona(key, user, org, roles, worldGrants, familyName, dob, accessCases) { Functions = functions };
        }

        (string, bool, Area?, (Organisation, WorldPeriod)[], (Organisation, WorldPeriod)[]) Case(string description, bool with, Area? ward = null,
            (Organisation, WorldPeriod)[]? enrolments = null, (Organisation, WorldPeriod)[]? involvements = null) =>
            (description, with, ward, enrolments ?? [], involvements ?? []);

        string[] practitioner = [Roles.Practitioner];
        (PartnershipFunction, Area, WorldPeriod)[] none = [];

        Task SchoolAsync(string key, Organisation school, string[] roles) => AddAsync(key, school, roles, none,
            Case("current enrolment", true, enrolments: [(school, current)]),
            Case("current involvement", true, involvements: [(school, current)]),
            Case("ended enrolment", false, enrolments: [(school, ended)]),
            Case("enrolment not yet started", false, enrolments: [(school, future)]),
            Case("ended involvement", false, involvements: [(school, ended)]),
            Case("enrolled at another school", false, enrolments: [(p.OtherSchool, current)]));

        Task OrganisationAsync(string key, Organisation org, string[] roles, params (string, bool, Area?, (Organisation, WorldPeriod)[], (Organisation, WorldPeriod)[])[] extra) =>
            AddAsync(key, org, roles, none,
            [
                Case("current involvement", true, involvements: [(org, current)]),
                Case("ended involvement", false, involvements: [(org, ended)]),
                Case("involvement not yet started", false, involvements: [(org, future)]),
                Case("involved with another organisation", false, involvements: [(elsewhereTrust, current)]),
                Case("enrolled at a school", false, enrolments: [(p.OtherSchool, current)]),
                .. extra,
            ]);

        await SchoolAsync("school-practitioner", p.School, practitioner);
        await OrganisationAsync("police-practitioner", p.Police, practitioner);
        await OrganisationAsync("local-authority-practitioner", p.Hub, practitioner,
            Case("lives where a colleague's partnership role reaches", false, ward: p.Ward));
        await OrganisationAsync("youth-practitioner", p.Youth, practitioner);
        await OrganisationAsync("housing-practitioner", p.Housing, practitioner);
        await OrganisationAsync("health-practitioner", p.Health, practitioner);
        await OrganisationAsync("social-care-practitioner", p.SocialCare, practitioner);
        await OrganisationAsync("charity-practitioner", p.Charity, practitioner);
        await OrganisationAsync("family-centre-practitioner", p.FamilyCentre, practitioner);
        await SchoolAsync("organisation-admin", schoolC, [Roles.OrganisationAdmin]);
        await OrganisationAsync("partnership-admin", office, [Roles.PartnershipAdmin],
            Case("lives in the partnership, no relationship", false, ward: p.Ward));
        await OrganisationAsync("data-protection-officer", office, [Roles.DataProtectionOfficer],
            Case("lives in the partnership, no relationship", false, ward: p.Ward));
        await AddAsync("analyst", office, [Roles.Analyst], none,
            Case("organisation involved, but analysts see aggregates only", false, involvements: [(office, current)]),
            Case("ended involvement", false, involvements: [(office, ended)]),
            Case("lives in the partnership, no relationship", false, ward: p.Ward));
        await AddAsync("hub-triage-for-district", p.Hub, practitioner, [(PartnershipFunction.HubTriage, p.District, current)],
            Case("lives in a ward of the district", true, ward: p.Ward),
            Case("current involvement", true, involvements: [(p.Hub, current)]),
            Case("lives in another district", false, ward: p.OtherWard),
            Case("lives in another county", false, ward: elsewhere.Ward));
        await AddAsync("inclusion-officer-for-county", inclusion, practitioner, [(PartnershipFunction.InclusionOfficer, p.County, current)],
            Case("lives in the county, first district", true, ward: p.Ward),
            Case("lives in the county, second district", true, ward: p.OtherWard),
            Case("lives in another county", false, ward: elsewhere.Ward));
        await AddAsync("partnership-role-ended", p.Hub, practitioner, [(PartnershipFunction.HubTriage, p.County, ended)],
            Case("lives in the area of a role that has ended", false, ward: p.Ward),
            Case("lives in another county", false, ward: elsewhere.Ward));

        // Issue 16: a closed case's team keeps its access until the closure's clock runs out, then loses it.
        var closedCaseTeam = await ClosedCaseTeamAsync(p);
        await AddAsync("closed-case-team", closedCaseTeam, practitioner, none,
            Case("team of a case closed, the clock running", true, involvements: [(closedCaseTeam, ClosureClockRunning)]),
            Case("team of a case closed, the clock run out", false, involvements: [(closedCaseTeam, ClosureClockRunOut)]));
        await CloseTheTeamsCasesAsync(personas["closed-case-team"], closedCaseTeam, p.Youth);

        // Issue 12: an organisation invited to meetings sees the children of an issued agenda while its access runs.
        var (invitee, chair) = await AgendaOrganisationsAsync(p);
        await AddAsync("meeting-invitee", invitee, practitioner, none, AgendaCases(invitee));
        await RunTheMeetingsAsync(personas["meeting-invitee"], chair);

        // Issue 14: a service's provider sees the young people referred to it while the referral is active, and for a set time after it ends.
        var provider = await ProviderAsync(p);
        await AddAsync("service-provider", provider, practitioner, none, ReferralCases(provider));
        await ReferToTheProviderAsync(personas["service-provider"], chair);

        if (!personas.Keys.Order().SequenceEqual(PersonaKeys.Order()))
            throw new InvalidOperationException("World error: the personas built are not the ones PersonaKeys lists.");
        foreach (var persona in personas.Values)
        {
            // The world must say what it means: a case declared "with" is one the rules let the persona see.
            foreach (var c in persona.Cases)
                if ((ExpectedBasis(persona, c.Person) is not null) != c.WithRelationship)
                    throw new InvalidOperationException($"World error: {persona.Key} / {c.Description} is declared {(c.WithRelationship ? "with" : "without")} a relationship but the rules say otherwise.");
            var user = persona.User;
            persona.Pages = await app.SignInAsync(user);
            persona.Api = await app.ApiClientAsync(user);
        }
    }
}

public sealed class SqliteAccessWorld() : AccessWorld(new SqliteApp { SessionIdleTimeout = AccessWorld.SessionsLast });

public sealed class PostgresAccessWorld() : AccessWorld(new PostgresApp { SessionIdleTimeout = AccessWorld.SessionsLast });
