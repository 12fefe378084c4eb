using Bogus;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Identity;
using Person = Waypoint.Domain.Person;

namespace Waypoint.Features.Demo;

/// <summary>
/// Generates the fictional county of Nenshire: areas, partner organisations, one account per
/// persona, and young people with their families. Deterministic: every id, name and date comes
/// from one seeded random source, so the same seed (and academic year) gives the same data.
/// No real person is in it.
/// </summary>
public sealed class DemoPartnershipSeeder(WaypointDbContext db, UserManager<WaypointUser> users, TimeProvider clock, ILogger<DemoPartnershipSeeder> log,
    Alerts.AlertEvaluator alerts)
{
    public const int DefaultSeed = 20261122;
    private const int LaNumber = 928;
    private const int BatchSize = 5000;
    private const int CopyBatchFamilies = 10_000;

    internal sealed record Plan(int YoungPeople, int Districts, int WardsPerDistrict, int PrimaryPerDistrict, int SecondaryPerDistrict, int SpecialPerDistrict, int ApPerDistrict);

    private static Plan PlanFor(DemoScale scale) => scale switch
    {
        DemoScale.Demo => new Plan(6_000, 3, 4, 9, 3, 1, 1),
        DemoScale.County => new Plan(120_000, 7, 8, 38, 9, 2, 1),
        DemoScale.Million => new Plan(560_000, 12, 10, 110, 25, 4, 2),
        _ => throw new ArgumentOutOfRangeException(nameof(scale)),
    };

    /// <summary>Seeds when no organisation exists yet; false when there was already a partnership.</summary>
    public async Task<bool> SeedIfEmptyAsync(DemoScale scale, CancellationToken ct = default) =>
        await SeedIfEmptyAsync(scale, DefaultSeed, ct);

    public async Task<bool> SeedIfEmptyAsync(DemoScale scale, int seed, CancellationToken ct = default)
    {
        if (await db.Organisations.AnyAsync(ct))
            return false;
        var started = clock.GetTimestamp();
        var generator = new Generator(seed, PlanFor(scale), clock.GetUtcNow());
        var partnership = generator.Partnership();

        db.Areas.AddRange(partnership.Areas);
        db.Organisations.AddRange(partnership.Organisations);
        await db.SaveChangesAsync(ct);
        await CreateAccountsAsync(partnership, ct);

        var people = db.IsPostgres
            ? await CopyFamiliesAsync(generator.Families(partnership), ct)
            : await SaveFamiliesAsync(generator.Families(partnership), ct);
        if (scale == DemoScale.Demo)
        {
            await SaveSchoolRecordsAsync(seed, partnership.Secondaries[0].Id, ct);
            // The early-warning rules over the records just made, so the inbox and the DSL's notices are not empty.
            await alerts.EvaluateEveryoneAsync(ct);
            await SaveReferralsAsync(partnership.Secondaries[0].Id, ct);
        }
        log.LogInformation("Demo partnership ({Scale}) generated: {People} people in {Seconds:F1} s",
            scale, people, clock.GetElapsedTime(started).TotalSeconds);
        return true;
    }

    /// <summary>
    /// Demo scale only: reports in the hub's queue (one urgent, one overdue) from the DSL's school and
    /// the police, and one decided to early help, whose case the youth service leads with the school
    /// in the team and an action, so the hub, the lead and the school each have something to open.
    /// </summary>
    private async Task SaveReferralsAsync(Guid schoolId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var users = await db.Users.AsNoTracking().Where(u => u.Email != null && u.Email.EndsWith(".demo"))
            .ToDictionaryAsync(u => u.Email!, u => (u.Id, u.OrganisationId), ct);
        var (dsl, school) = users["dsl@brackton-academy.demo"];
        var (officer, police) = users["ei.officer@nenshire-police.demo"];
        var (hub, _) = users["hub@nenshire.demo"];
        var (youthWorker, youth) = users["youth.worker@nenshire-youth.demo"];
        var pupils = await db.Enrolments.AsNoTracking().IgnoreQueryFilters().Where(e => e.SchoolId == schoolId)
            .OrderBy(e => e.PersonId).Select(e => new { e.PersonId, e.Person!.AreaId }).Take(4).ToListAsync(ct);
        (string Categories, string Known, bool Urgent, int DaysAgo, Guid By, Guid From)[] reports =
        [
            ("RiskOfExclusion,GangInvolvementOrExploitation", "Third suspension this term; seen with older youths outside school at lunchtime.", false, 0, dsl, school),
            ("MissingEpisodes,GangInvolvementOrExploitation", "Reported missing overnight twice this week; found in another town with unexplained cash.", true, 0, officer, police),
            ("DomesticAbuseAtHome", "Police attended a domestic incident at the home; the child was present and upset.", false, 3, officer, police),
            ("RiskOfExclusion,MentalHealth", "Attendance down to 71% this half term; says she cannot face lessons.", false, 6, dsl, school),
        ];
        for (var i = 0; i < reports.Length && i < pupils.Count; i++)
        {
            var r = reports[i];
            var reported = now.AddDays(-r.DaysAgo);
            var referral = new Referral
            {
                PersonId = pupils[i].PersonId,
                ReporterUserId = r.By,
                ReporterOrganisationId = r.From,
                AreaId = pupils[i].AreaId,
                Categories = r.Categories,
                WhatIsKnown = r.Known,
                ImmediateRisk = r.Urgent,
                LawfulBasis = LawfulBasis.PublicTask,
                ReportedAt = reported,
                DecisionDueBy = r.Urgent ? reported : Referrals.Triage.AddWorkingDays(reported, 1),
                Status = ReferralStatus.AwaitingTriage,
            };
            db.Referrals.Add(referral);
            db.Involvements.Add(new Involvement
            {
                PersonId = referral.PersonId,
                OrganisationId = r.From,
                Source = InvolvementSource.Referral,
                SourceId = referral.Id,
                Reason = "Reported a concern to the early-intervention hub",
                StartDate = DateOnly.FromDateTime(reported.UtcDateTime),
                AddedByUserId = r.By,
                AddedAt = reported,
            });
            if (i < reports.Length - 1)
                continue;
            // The last was decided a few days ago: early help, led by the youth service, with the school in the team.
            var decided = reported.AddDays(1);
            var @case = new Case
            {
                PersonId = referral.PersonId,
                LeadOrganisationId = youth,
                Level = TriageOutcome.EarlyHelp,
                Status = CaseStatus.Open,
                ReferralId = referral.Id,
                OpenedAt = decided,
                OpenedByUserId = hub,
            };
            referral.Status = ReferralStatus.Decided;
            referral.Outcome = TriageOutcome.EarlyHelp;
            referral.Rationale = "Falling attendance and low mood, no statutory threshold met: early help with the youth service leading and the school in the team.";
            referral.DecidedByUserId = hub;
            referral.DecidedAt = decided;
            referral.CaseId = @case.Id;
            db.Cases.Add(@case);
            foreach (var organisation in new[] { youth, school })
            {
                var involvement = new Involvement
                {
                    PersonId = referral.PersonId,
                    OrganisationId = organisation,
                    Source = InvolvementSource.TeamAroundFamily,
                    SourceId = @case.Id,
                    Reason = organisation == youth ? "Leads the child's case" : "In the team around the family",
                    StartDate = DateOnly.FromDateTime(decided.UtcDateTime),
                    AddedByUserId = hub,
                    AddedAt = decided,
                };
                db.Involvements.Add(involvement);
                if (organisation == school)
                    db.CaseMembers.Add(new CaseMember { CaseId = @case.Id, OrganisationId = school, InvolvementId = involvement.Id, JoinedAt = decided });
            }
            db.CaseActions.Add(new CaseAction
            {
                CaseId = @case.Id,
                Description = "Agree a reduced-timetable plan with the family and the head of year",
                OwnerOrganisationId = school,
                DueOn = DateOnly.FromDateTime(now.UtcDateTime).AddDays(7),
                CreatedAt = decided,
            });
            db.CaseEvents.Add(new CaseEvent { CaseId = @case.Id, Text = "Opened by the hub: Early help (opens a case)", ByUserId = hub, At = decided });
            SavePlan(@case, decided, youthWorker, dsl, school, youth);
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>The demo case's plan: a goal the action serves, notes from the lead and the school, a review held and the next one set, and the family's consent.</summary>
    private void SavePlan(Case @case, DateTimeOffset decided, Guid youthWorker, Guid dsl, Guid school, Guid youth)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var goal = new CaseGoal { CaseId = @case.Id, Text = "Back in lessons every day, with a trusted adult to go to at school", Status = GoalStatus.Working, CreatedAt = decided };
        db.CaseGoals.Add(goal);
        db.CaseActions.Add(new CaseAction
        {
            CaseId = @case.Id,
            Description = "Weekly mentoring session after school",
            OwnerOrganisationId = youth,
            DueOn = today.AddDays(3),
            GoalId = goal.Id,
            CreatedAt = decided,
        });
        db.CaseNotes.Add(new CaseNote
        {
            CaseId = @case.Id,
            PersonId = @case.PersonId,
            OwnerOrganisationId = youth,
            AuthorUserId = youthWorker,
            CategoryCode = RecordCategories.CaseWork,
            LawfulBasis = LawfulBasis.PublicTask,
            Text = "First home visit: parent keen for support; agreed to weekly mentoring.",
            At = decided.AddHours(4),
        });
        db.CaseNotes.Add(new CaseNote
        {
            CaseId = @case.Id,
            PersonId = @case.PersonId,
            OwnerOrganisationId = school,
            AuthorUserId = dsl,
            CategoryCode = RecordCategories.Education,
            LawfulBasis = LawfulBasis.PublicTask,
            Text = "Attendance this week 8 of 10 sessions; head of year to meet on Friday.",
            At = decided.AddDays(1),
        });
        db.ConsentRecords.Add(new ConsentRecord
        {
            PersonId = @case.PersonId,
            CaseId = @case.Id,
            AskedByOrganisationId = youth,
            AskedByUserId = youthWorker,
            ForOrganisationId = youth,
            Method = ConsentMethod.HomeVisit,
            AskedOn = DateOnly.FromDateTime(decided.UtcDateTime),
            AnsweredBy = "Parent",
            Outcome = ConsentOutcome.Given,
            Scope = "Early help from the youth service, sharing with the school and the hub for this plan",
            ExpiresOn = DateOnly.FromDateTime(decided.UtcDateTime).AddMonths(12),
            RecordedAt = decided.AddHours(4),
        });
        db.CaseReviews.Add(new CaseReview
        {
            CaseId = @case.Id,
            HeldOn = DateOnly.FromDateTime(decided.UtcDateTime).AddDays(2),
            Summary = "Plan agreed with the family; mentoring started; attendance improving.",
            NextReviewOn = today.AddDays(10),
            ByUserId = youthWorker,
            RecordedAt = decided.AddDays(2),
        });
        @case.NextReviewOn = today.AddDays(10);
        @case.LeadPractitionerId = youthWorker;
    }

    /// <summary>Demo scale only, through EF (a few thousand rows): suspensions, attendance and the DSL's school's top 10.</summary>
    private async Task SaveSchoolRecordsAsync(int seed, Guid dslSchoolId, CancellationToken ct)
    {
        var pupils = await db.Enrolments.AsNoTracking().IgnoreQueryFilters()
            .OrderBy(e => e.PersonId).Select(e => new DemoPupil(e.PersonId, e.SchoolId, e.YearGroup)).ToListAsync(ct);
        var records = new DemoSchoolRecords(seed, DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).Generate(pupils, dslSchoolId);
        // One suspension a pupil, school, day and kind: the natural key imports keep unique.
        db.Suspensions.AddRange(records.Suspensions.DistinctBy(s => (s.PersonId, s.SchoolId, s.StartDate, s.Kind, s.IsLunchtime)));
        db.AttendanceRecords.AddRange(records.Attendance);
        db.TopTenNominations.AddRange(records.Nominations);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private async Task<int> SaveFamiliesAsync(IEnumerable<GeneratedFamily> families, CancellationToken ct)
    {
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var people = 0;
            foreach (var batch in families.Chunk(BatchSize / 4))
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                foreach (var family in batch)
                {
                    db.Households.Add(family.Household);
                    db.People.AddRange(family.Members);
                    db.PersonRelationships.AddRange(family.Relationships);
                    db.Enrolments.AddRange(family.Enrolments);
                    db.Involvements.AddRange(family.Involvements);
                    people += family.Members.Count;
                }
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
                db.ChangeTracker.Clear();
            }
            return people;
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// The same families written with binary COPY: on the 2-core bench machine the Million scale
    /// took 11 minutes through the change tracker and 2.5 with COPY (bench/README.md). Same rows.
    /// </summary>
    private async Task<int> CopyFamiliesAsync(IEnumerable<GeneratedFamily> families, CancellationToken ct)
    {
        var households = new PostgresBulkWriter<Household>(db);
        var persons = new PostgresBulkWriter<Person>(db);
        var identifiers = new PostgresBulkWriter<PersonIdentifier>(db);
        var relationships = new PostgresBulkWriter<PersonRelationship>(db);
        var enrolments = new PostgresBulkWriter<Enrolment>(db);
        var involvements = new PostgresBulkWriter<Involvement>(db);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            var people = 0;
            foreach (var batch in families.Chunk(CopyBatchFamilies))
            {
                var members = batch.SelectMany(f => f.Members).ToList();
                // SaveChanges derives the search keys; COPY bypasses it.
                members.ForEach(WaypointDbContext.SetSearchKeys);
                await using var tx = await connection.BeginTransactionAsync(ct);
                await households.WriteAsync(connection, batch.Select(f => f.Household), ct);
                await persons.WriteAsync(connection, members, ct);
                await identifiers.WriteAsync(connection, members.SelectMany(m => m.Identifiers), ct);
                await relationships.WriteAsync(connection, batch.SelectMany(f => f.Relationships), ct);
                await enrolments.WriteAsync(connection, batch.SelectMany(f => f.Enrolments), ct);
                await involvements.WriteAsync(connection, batch.SelectMany(f => f.Involvements), ct);
                await tx.CommitAsync(ct);
                people += members.Count;
            }
            // Fresh tables have no statistics until autovacuum gets round to them; plans made before then are guesses.
            await using (var analyse = new NpgsqlCommand("""ANALYZE "Households", "People", "PersonIdentifiers", "PersonRelationships", "Enrolments", "Involvements" """, connection))
            {
                analyse.CommandTimeout = 0;
                await analyse.ExecuteNonQueryAsync(ct);
            }
            return people;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private async Task CreateAccountsAsync(GeneratedPartnership partnership, CancellationToken ct)
    {
        foreach (var account in DemoAccounts.All)
        {
            var org = partnership.ByKey[account.OrganisationKey];
            var user = new WaypointUser
            {
                Id = partnership.AccountIds[account.Email],
                UserName = account.Email,
                Email = account.Email,
                EmailConfirmed = true,
                DisplayName = account.DisplayName,
                JobTitle = account.JobTitle,
                OrganisationId = org.Id,
                CreatedAt = clock.GetUtcNow(),
            };
            Check(await users.CreateAsync(user, DemoAccounts.Password), account.Email);
            Check(await users.AddToRolesAsync(user, account.Roles), account.Email);
            // What UserManager.ResetAuthenticatorKeyAsync stores, with the documented demo secret instead of a random one.
            Check(await users.SetAuthenticationTokenAsync(user, "[AspNetUserStore]", "AuthenticatorKey", DemoAccounts.TotpSecret), account.Email);
            Check(await users.SetTwoFactorEnabledAsync(user, true), account.Email);
            if (account.JobTitle == "Designated safeguarding lead")
                org.SafeguardingLeadUserId = user.Id;
            if (account.Function is { } function)
                db.PartnershipRoleGrants.Add(new PartnershipRoleGrant
                {
                    UserId = user.Id,
                    Function = function,
                    AreaId = partnership.County.Id,
                    StartDate = partnership.AcademicYearStart.AddYears(-1),
                });
        }
        await db.SaveChangesAsync(ct);
    }

    private static void Check(IdentityResult result, string email)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException($"Demo account {email}: {string.Join("; ", result.Errors.Select(e => e.Description))}");
    }

    internal sealed record GeneratedPartnership(
        Area County, List<Area> Areas, List<Area> Wards, List<Organisation> Organisations,
        Dictionary<string, Organisation> ByKey, Dictionary<string, Guid> AccountIds, DateOnly AcademicYearStart,
        List<Organisation> Primaries, List<Organisation> Secondaries, List<Organisation> Specials, List<Organisation> AlternativeProvision);

    internal sealed record GeneratedFamily(Household Household, List<Person> Members, List<PersonRelationship> Relationships, List<Enrolment> Enrolments, List<Involvement> Involvements);

    /// <summary>The pure part: builds entities from the seed without touching the database.</summary>
    internal sealed class Generator(int seed, Plan plan, DateTimeOffset now)
    {
        private static readonly string[] DistrictNames = ["Wellmoor", "Brackton", "Eastley", "Fenbury", "Harrowden", "Kingsholm", "Larkfield", "Millbrook", "Norbridge", "Oakhampton", "Ravensby", "Stanwick"];
        private static readonly string[] WardSuffixes = ["North", "South", "East", "West", "Central", "Park", "Fields", "Green", "Hill", "Vale"];

        private readonly Randomizer random = new(seed);
        private readonly Faker faker = new("en_GB") { Random = new Randomizer(seed + 1) };
        private readonly DateOnly today = DateOnly.FromDateTime(now.UtcDateTime);
        private int upnSerial;

        public DateOnly AcademicYearStart => new(today.Month >= 9 ? today.Year : today.Year - 1, 9, 1);

        private Guid NextId()
        {
            var bytes = random.Bytes(16);
            bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 layout, deterministic content
            bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
            return new Guid(bytes);
        }

        public GeneratedPartnership Partnership()
        {
            var county = new Area { Id = NextId(), Name = "Nenshire", Kind = AreaKind.County, Code = "E10000099" };
            var areas = new List<Area> { county };
            var districts = new List<Area>();
            var wards = new List<Area>();
            for (var d = 0; d < plan.Districts; d++)
            {
                var district = new Area { Id = NextId(), Name = DistrictNames[d], Kind = AreaKind.District, ParentId = county.Id, Code = $"E0700{d + 901:000}" };
                districts.Add(district);
                for (var w = 0; w < plan.WardsPerDistrict; w++)
                    wards.Add(new Area { Id = NextId(), Name = $"{district.Name} {WardSuffixes[w]}", Kind = AreaKind.Ward, ParentId = district.Id, Code = $"E0590{d * 10 + w + 1:0000}" });
            }
            areas.AddRange(districts);
            areas.AddRange(wards);

            var orgs = new List<Organisation>();
            var byKey = new Dictionary<string, Organisation>();
            var primaries = new List<Organisation>();
            var secondaries = new List<Organisation>();
            var specials = new List<Organisation>();
            var ap = new List<Organisation>();
            var urn = 140001;
            var estab = 2001;
            foreach (var district in districts)
            {
                var districtWards = wards.Where(w => w.ParentId == district.Id).ToList();
                Organisation School(string name, SchoolPhase phase, List<Organisation> list, int estabNumber)
                {
                    var s = new Organisation
                    {
                        Id = NextId(),
                        Name = name,
                        Type = OrganisationType.School,
                        Phase = phase,
                        AreaId = random.ListItem(districtWards).Id,
                        Urn = (urn++).ToString("000000"),
                        DfeNumber = $"{LaNumber}{estabNumber:0000}",
                    };
                    list.Add(s);
                    orgs.Add(s);
                    return s;
                }
                for (var i = 0; i < plan.PrimaryPerDistrict; i++)
                    School($"{random.ListItem(districtWards).Name.Split(' ')[0]} {faker.Address.StreetSuffix()} {PrimaryName(i)}", SchoolPhase.Primary, primaries, estab++);
                for (var i = 0; i < plan.SecondaryPerDistrict; i++)
                    School(i == 0 ? $"{district.Name} Academy" : $"{district.Name} {SecondaryName(i)}", SchoolPhase.Secondary, secondaries, 4000 + estab++);
                for (var i = 0; i < plan.SpecialPerDistrict; i++)
                    School($"{district.Name} {(i == 0 ? "Oaks" : "Willows")} Special School", SchoolPhase.Special, specials, 7000 + estab++);
                for (var i = 0; i < plan.ApPerDistrict; i++)
                    School($"{district.Name} Pupil Referral Unit{(i == 0 ? "" : $" {i + 1}")}", SchoolPhase.AlternativeProvision, ap, 1100 + estab++);
            }
            // Demo accounts name their schools by position, so the DSL is always at the first secondary.
            secondaries[0].Name = "Brackton Academy";
            primaries[0].Name = "First Steps Primary School";
            for (var i = 0; i < primaries.Count; i++) byKey[$"school:primary:{i}"] = primaries[i];
            for (var i = 0; i < secondaries.Count; i++) byKey[$"school:secondary:{i}"] = secondaries[i];

            Organisation Partner(string key, string name, OrganisationType type, string? force = null, string? unit = null)
            {
                var o = new Organisation { Id = NextId(), Name = name, Type = type, AreaId = county.Id, PoliceForce = force, PoliceUnit = unit };
                orgs.Add(o);
                byKey[key] = o;
                return o;
            }
            Partner("police", "Nenshire Police — Early Intervention Team", OrganisationType.Police, "Nenshire Police", "Early Intervention Team");
            Partner("la:inclusion", "Nenshire County Council — Educational Inclusion and Partnerships", OrganisationType.LocalAuthorityTeam);
            Partner("la:earlyhelp", "Nenshire County Council — Early Help Hub", OrganisationType.LocalAuthorityTeam);
            Partner("la:partnership", "Nenshire Safeguarding Partnership", OrganisationType.LocalAuthorityTeam);
            Partner("youth", "Nenshire Youth Service", OrganisationType.YouthService);
            Partner("housing", "Brackton Homes", OrganisationType.Housing);
            Partner("socialcare", "Nenshire Children's Social Care", OrganisationType.SocialCare);
            Partner("health", "Nenshire School Nursing Service", OrganisationType.Health);
            Partner("charity", "Open Door Family Charity", OrganisationType.Charity);
            Partner("familycentre", "Wellmoor Family Centre", OrganisationType.FamilyCentre);

            var accountIds = DemoAccounts.All.ToDictionary(a => a.Email, _ => NextId());
            return new GeneratedPartnership(county, areas, wards, orgs, byKey, accountIds, AcademicYearStart, primaries, secondaries, specials, ap);
        }

        public IEnumerable<GeneratedFamily> Families(GeneratedPartnership p)
        {
            var young = 0;
            var police = p.ByKey["police"];
            var youth = p.ByKey["youth"];
            var housing = p.ByKey["housing"];
            var systemUser = Guid.Empty;
            while (young < plan.YoungPeople)
            {
                var ward = random.ListItem(p.Wards);
                var familyName = faker.Name.LastName();
                var owner = p.Secondaries[0];
                var household = new Household
                {
                    Id = NextId(),
                    AddressLine1 = faker.Address.StreetAddress(),
                    Town = ward.Name.Split(' ')[0],
                    Postcode = Postcode(),
                    AreaId = ward.Id,
                    OwnerOrganisationId = owner.Id,
                };
                var members = new List<Person>();
                var relationships = new List<PersonRelationship>();
                var enrolments = new List<Enrolment>();
                var involvements = new List<Involvement>();

                var adults = random.Number(1, 10) <= 6 ? 2 : 1;
                var parents = new List<Person>();
                for (var a = 0; a < adults; a++)
                {
                    var sex = a == 0 ? Sex.Female : Sex.Male;
                    var parent = NewPerson(PersonKind.Adult, sex, a == 1 && random.Bool(0.2f) ? faker.Name.LastName() : familyName, ward, owner,
                        today.AddYears(-random.Number(26, 55)).AddDays(-random.Number(0, 364)));
                    parents.Add(parent);
                    members.Add(parent);
                }
                var children = Math.Min(plan.YoungPeople - young, random.WeightedRandom([1, 2, 3, 4], [0.35f, 0.4f, 0.18f, 0.07f]));
                var kids = new List<Person>();
                for (var c = 0; c < children; c++)
                {
                    var age = random.Number(4, 17);
                    var child = NewPerson(PersonKind.YoungPerson, random.Bool() ? Sex.Female : Sex.Male, familyName, ward, owner,
                        AcademicYearStart.AddYears(-age - 1).AddDays(random.Number(1, 365)));
                    kids.Add(child);
                    members.Add(child);
                    var school = SchoolFor(p, age);
                    child.OwnerOrganisationId = school.Id;
                    child.Identifiers.Add(new PersonIdentifier
                    {
                        Id = NextId(),
                        PersonId = child.Id,
                        Scheme = IdentifierScheme.Upn,
                        Value = Upn.Create(LaNumber, int.Parse(school.DfeNumber![3..]) % 10000, AcademicYearStart.Year - age + 4, upnSerial++ % 1000),
                        OwnerOrganisationId = school.Id,
                        CategoryCode = RecordCategories.Education,
                    });
                    enrolments.Add(new Enrolment
                    {
                        Id = NextId(),
                        PersonId = child.Id,
                        SchoolId = school.Id,
                        YearGroup = Math.Clamp(age - 4, 0, 13),
                        StartDate = AcademicYearStart.AddYears(-random.Number(0, Math.Min(age - 4, 4))),
                    });
                    if (random.Bool(0.03f))
                    {
                        child.Identifiers.Add(new PersonIdentifier
                        {
                            Id = NextId(),
                            PersonId = child.Id,
                            Scheme = IdentifierScheme.PoliceReference,
                            Value = $"NP-{random.Number(100000, 999999)}",
                            OwnerOrganisationId = police.Id,
                            CategoryCode = RecordCategories.PoliceGeneral,
                        });
                        involvements.Add(Involve(child, police, "Early-intervention cohort: identified through police and school data", systemUser));
                    }
                    if (age >= 11 && random.Bool(0.02f))
                        involvements.Add(Involve(child, youth, "Attends detached youth work sessions", systemUser));
                    foreach (var parent in parents)
                        relationships.Add(Relate(child, parent, RelationshipKind.Parent, owner));
                }
                for (var i = 0; i < kids.Count; i++)
                    for (var j = 0; j < kids.Count; j++)
                        if (i != j)
                            relationships.Add(Relate(kids[i], kids[j], RelationshipKind.Sibling, owner));
                if (random.Bool(0.01f))
                    foreach (var m in members)
                        involvements.Add(Involve(m, housing, "Tenancy sustainment support for the household", systemUser));
                foreach (var m in members)
                    m.HouseholdId = household.Id;
                young += children;
                yield return new GeneratedFamily(household, members, relationships, enrolments, involvements);
            }
        }

        private Person NewPerson(PersonKind kind, Sex sex, string familyName, Area ward, Organisation owner, DateOnly dob) => new()
        {
            Id = NextId(),
            Kind = kind,
            Sex = sex,
            GivenName = faker.Name.FirstName(sex == Sex.Female ? Bogus.DataSets.Name.Gender.Female : Bogus.DataSets.Name.Gender.Male),
            FamilyName = familyName,
            DateOfBirth = dob,
            AreaId = ward.Id,
            OwnerOrganisationId = owner.Id,
            CreatedAt = new DateTimeOffset(AcademicYearStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        };

        private Organisation SchoolFor(GeneratedPartnership p, int age)
        {
            var roll = random.Number(1, 1000);
            if (roll <= 15)
                return random.ListItem(p.Specials);
            if (age >= 11 && roll <= 25)
                return random.ListItem(p.AlternativeProvision);
            return age <= 10 ? random.ListItem(p.Primaries) : random.ListItem(p.Secondaries);
        }

        private Involvement Involve(Person person, Organisation org, string reason, Guid by) => new()
        {
            Id = NextId(),
            PersonId = person.Id,
            OrganisationId = org.Id,
            Source = InvolvementSource.Explicit,
            Reason = reason,
            StartDate = AcademicYearStart.AddDays(random.Number(0, 60)),
            AddedByUserId = by,
            AddedAt = new DateTimeOffset(AcademicYearStart.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero),
        };

        private PersonRelationship Relate(Person person, Person related, RelationshipKind kind, Organisation owner) => new()
        {
            Id = NextId(),
            PersonId = person.Id,
            RelatedPersonId = related.Id,
            Kind = kind,
            OwnerOrganisationId = owner.Id,
            CategoryCode = RecordCategories.Family,
        };

        private string Postcode() => $"NN{random.Number(1, 29)} {random.Number(1, 9)}{random.String2(2, "ABDEFGHJLNPQRSTUWXYZ")}";

        private static string PrimaryName(int i) => i % 3 == 0 ? "Primary School" : i % 3 == 1 ? "Infant and Junior School" : "CofE Primary School";

        private static string SecondaryName(int i) => i % 2 == 0 ? "School" : "College";
    }
}
