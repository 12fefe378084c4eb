using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Risk;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Risk;

/// <summary>
/// The equality report's counting (now grouped in the database) against cells worked out by hand
/// from a generated population held in memory: sizes, every group's cohort and population count,
/// ratios, intervals, standardised ratios, small numbers suppressed, and the threshold's warning.
/// Each database gets a fixture of its own, so the report counts this population and nothing else.
/// </summary>
public abstract class EqualityCountingTests(WaypointApp app)
{
    private sealed record Pupil(Person Person, bool OnRoll, string Ward, string Sex, string Ethnicity, string Sen, string Fsm, string AgeBand)
    {
        public string Stratum => $"{Ward}|{AgeBand}";
    }

    private static readonly string[] Codes = ["WBRI", "WIRI", "WROM", "MWBC", "AIND", "APKN", "BCRB", "BAFR", "CHNE", "OOTH", "REFU", "NOBT"];

    [Fact]
    public async Task Report_GeneratedPopulation_CellsAsCountedByHand()
    {
        var ct = TestContext.Current.CancellationToken;
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var teacher = await p.UserAsync(p.School);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var random = new Random(1307);
        T Pick<T>(params T[] items) => items[random.Next(items.Length)];

        var people = new List<Person>();
        var enrolments = new List<Enrolment>();
        var characteristics = new List<PupilCharacteristics>();
        var flags = new List<PersonFlag>();
        var nominations = new List<TopTenNomination>();
        var restrictions = new List<ProcessingRestriction>();
        for (var i = 0; i < 420; i++)
        {
            var ward = random.Next(3) == 0 ? p.OtherWard : p.Ward;
            DateOnly? dob = random.Next(25) == 0 ? null : today.AddDays(-random.Next(9 * 365, 17 * 365 + 200));
            if (i == 7)
                dob = new DateOnly(2012, 2, 29);
            var person = new Person
            {
                Kind = PersonKind.YoungPerson,
                GivenName = "Eq",
                FamilyName = $"Count{i}{p.Suffix}",
                DateOfBirth = dob,
                AreaId = ward.Id,
                Sex = Pick(Sex.Unknown, Sex.Female, Sex.Male, Sex.Female, Sex.Male),
                OwnerOrganisationId = p.School.Id,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            people.Add(person);
            var roll = random.Next(100);
            if (roll < 88)
                enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = p.School.Id, StartDate = today.AddYears(-1) });
            else if (roll < 93)
                enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = p.School.Id, StartDate = today.AddYears(-2), EndDate = today.AddDays(-1) });
            else if (roll < 95)
                enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = p.OtherSchool.Id, StartDate = today.AddDays(5) });
            var dual = roll < 88 && random.Next(8) == 0;
            if (dual)
                enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = p.OtherSchool.Id, StartDate = today.AddMonths(-3), IsDualRegistration = true });
            PupilCharacteristics Record(Organisation school) => new()
            {
                PersonId = person.Id,
                SchoolId = school.Id,
                UpdatedAt = DateTimeOffset.UtcNow,
                Sex = random.Next(6) == 0 ? null : Pick(Sex.Female, Sex.Male, Sex.Unknown, Sex.Female, Sex.Male),
                Ethnicity = random.Next(8) == 0 ? null : Pick(Codes),
                SenProvision = random.Next(8) == 0 ? null : Pick("N", "N", "N", "K", "E"),
                FsmEligible = random.Next(8) == 0 ? null : random.Next(4) == 0,
            };
            if (random.Next(100) < 85)
                characteristics.Add(Record(p.School));
            // A dual registration's other school holds its own (the report takes the fuller); a school that holds
            // characteristics but has the pupil on no current roll is not counted.
            if (dual || random.Next(30) == 0)
                characteristics.Add(Record(p.OtherSchool));
        }

        // Held in memory: what each person is, as the report should count them.
        var pupils = people.Select(person =>
        {
            var schools = enrolments.Where(e => e.PersonId == person.Id && e.StartDate <= today && (e.EndDate is null || e.EndDate >= today)).Select(e => e.SchoolId).ToHashSet();
            static int Held(PupilCharacteristics c) => (c.Sex is null ? 0 : 1) + (c.Ethnicity is null ? 0 : 1) + (c.SenProvision is null ? 0 : 1) + (c.FsmEligible is null ? 0 : 1);
            var c = characteristics.Where(c => c.PersonId == person.Id && schools.Contains(c.SchoolId))
                .OrderByDescending(Held).ThenBy(c => c.Id.ToString(), StringComparer.OrdinalIgnoreCase).FirstOrDefault();
            var sex = c?.Sex is Sex.Female or Sex.Male ? c.Sex.Value : person.Sex;
            var code = c?.Ethnicity;
            var ethnicity = code switch
            {
                null or "NOBT" => "Not obtained",
                "REFU" => "Refused",
                _ => code[0] switch { 'W' => "White", 'M' => "Mixed", 'A' => "Asian or Asian British", 'B' => "Black or Black British", 'C' => "Chinese", _ => "Any other ethnic group" },
            };
            string band;
            if (person.DateOfBirth is not { } dob)
                band = "Not recorded";
            else
            {
                var age = today.Year - dob.Year;
                if (new DateOnly(today.Year, dob.Month, dob.Month == 2 && dob.Day == 29 && !DateTime.IsLeapYear(today.Year) ? 28 : dob.Day) > today)
                    age--;
                band = age < 11 ? "Under 11" : age < 14 ? "11 to 13" : age < 16 ? "14 to 15" : "16 and over";
            }
            return new Pupil(person, schools.Count > 0, person.AreaId == p.Ward.Id ? p.Ward.Name : p.OtherWard.Name,
                sex == Sex.Female ? "Female" : sex == Sex.Male ? "Male" : "Not recorded", ethnicity,
                c?.SenProvision switch { "E" => "EHC plan", "K" => "SEN support", "N" => "No SEN", _ => "Not recorded" },
                c?.FsmEligible switch { true => "Eligible", false => "Not eligible", _ => "Not recorded" }, band);
        }).ToList();

        // Flags: eligible pupils flagged far more often (the warning), some flags lapsed or removed, some on people off any roll.
        foreach (var pupil in pupils)
        {
            var chance = pupil.Fsm == "Eligible" ? 45 : pupil.OnRoll ? 6 : 30;
            if (random.Next(100) < chance)
                flags.Add(Flag(pupil.Person, today.AddMonths(2), FlagStatus.Active));
            if (random.Next(40) == 0)
                flags.Add(Flag(pupil.Person, today.AddDays(-1), FlagStatus.Active));
            if (random.Next(40) == 0)
                flags.Add(Flag(pupil.Person, today.AddMonths(1), FlagStatus.Removed));
        }
        PersonFlag Flag(Person person, DateOnly review, FlagStatus status) => new()
        {
            PersonId = person.Id,
            Kind = Pick(FlagKind.GoingMissing, FlagKind.GangAssociated),
            Evidence = "Generated",
            OwnerOrganisationId = p.Police.Id,
            CategoryCode = RecordCategories.PoliceGeneral,
            SetByUserId = officer.Id,
            SetAt = DateTimeOffset.UtcNow,
            ReviewOn = review,
            Status = status,
        };
        // A second current flag on some: a person counts once.
        foreach (var f in flags.Where(f => f.Status == FlagStatus.Active && f.ReviewOn >= today).Take(6).ToList())
            flags.Add(Flag(people.Single(x => x.Id == f.PersonId), today.AddMonths(3), FlagStatus.Active));
        // Restricted processing: four flagged people and one nominated; one restriction lifted (counts as not restricted).
        var flaggedIds = flags.Where(f => f.Status == FlagStatus.Active && f.ReviewOn >= today).Select(f => f.PersonId).Distinct().ToList();
        foreach (var id in flaggedIds.Take(5))
            restrictions.Add(new ProcessingRestriction { PersonId = id, Reason = "Generated", RecordedAt = DateTimeOffset.UtcNow, RecordedByUserId = officer.Id, LiftedAt = id == flaggedIds[4] ? DateTimeOffset.UtcNow : null });
        // Top 10: twelve nominations, three withdrawn: a small cohort, so most of its cells are suppressed.
        foreach (var (pupil, rank) in pupils.Where(x => x.OnRoll).Skip(40).Take(12).Select((x, n) => (x, n)))
            nominations.Add(new TopTenNomination
            {
                PersonId = pupil.Person.Id,
                SchoolId = p.School.Id,
                Rank = rank + 1,
                Reason = "Generated",
                NominatedAt = DateTimeOffset.UtcNow,
                NominatedByUserId = teacher.Id,
                WithdrawnAt = rank >= 9 ? DateTimeOffset.UtcNow : null,
            });
        restrictions.Add(new ProcessingRestriction { PersonId = nominations[0].PersonId, Reason = "Generated", RecordedAt = DateTimeOffset.UtcNow, RecordedByUserId = officer.Id });

        await app.AsSystemAsync(async db =>
        {
            (await db.People.CountAsync(x => x.Kind == PersonKind.YoungPerson, ct)).ShouldBe(0, "this fixture's database holds only the generated population");
            db.People.AddRange(people);
            db.Enrolments.AddRange(enrolments);
            db.PupilCharacteristics.AddRange(characteristics);
            db.PersonFlags.AddRange(flags);
            db.TopTenNominations.AddRange(nominations);
            db.ProcessingRestrictions.AddRange(restrictions);
            await db.SaveChangesAsync(ct);
        });

        var (report, threshold) = await app.AsSystemAsync(async (_, sp) => await sp.GetRequiredService<EqualityMonitoring>().ReportAsync(ct));

        var restricted = restrictions.Where(r => r.LiftedAt is null).Select(r => r.PersonId).ToHashSet();
        var population = pupils.Where(x => x.OnRoll).ToList();
        var cohorts = new Dictionary<string, List<Guid>>
        {
            ["High-risk cohort (reviewed in)"] = [],
            ["Nominated to a school's top 10"] = nominations.Where(n => n.WithdrawnAt is null).Select(n => n.PersonId).Distinct().ToList(),
            ["High offending-related score"] = [],
            ["High vulnerability score"] = [],
            ["A current flag"] = flaggedIds,
        };
        report.Select(c => c.Cohort).ShouldBe(cohorts.Keys);
        var dimensions = new (string Name, Func<Pupil, string> Of, bool Standardise)[]
        {
            ("Sex", x => x.Sex, true), ("Ethnicity", x => x.Ethnicity, true), ("SEN provision", x => x.Sen, true), ("Free school meals", x => x.Fsm, true),
            ("Ward", x => x.Ward, false), ("Age band", x => x.AgeBand, false),
        };
        static bool Small(int n) => n is > 0 and < 5;
        var checkedCells = 0;
        var suppressedCells = 0;
        foreach (var cohort in report)
        {
            var listed = cohorts[cohort.Cohort];
            var members = listed.Where(id => !restricted.Contains(id)).ToList();
            var held = population.Where(x => members.Contains(x.Person.Id)).ToList();
            int size = members.Count, notOnRoll = members.Count - held.Count, restrictedCount = listed.Count - members.Count;
            Expect(cohort.Size, size);
            Expect(cohort.NotOnRoll, notOnRoll);
            Expect(cohort.Restricted, restrictedCount);

            var strata = population.GroupBy(x => x.Stratum).ToDictionary(g => g.Key, g => g.ToList());
            var inStratum = held.GroupBy(x => x.Stratum).ToDictionary(g => g.Key, g => g.Count());
            foreach (var (name, of, standardise) in dimensions)
            {
                var rows = cohort.Rows.Where(r => r.Characteristic == name).ToList();
                var groups = population.Select(of).Concat(held.Select(of)).Distinct().Order(StringComparer.Ordinal).ToList();
                rows.Select(r => r.Group).ShouldBe(groups, $"{cohort.Cohort}, {name}");
                foreach (var row in rows)
                {
                    var a = held.Count(x => of(x) == row.Group);
                    var b = population.Count(x => of(x) == row.Group);
                    Expect(row.Cohort, a);
                    Expect(row.Population, b);
                    if (row.Ratio is not { } ratio)
                        continue;
                    var expectedRatio = (double)a / held.Count / ((double)b / population.Count);
                    var se = Math.Sqrt(1.0 / a - 1.0 / held.Count + 1.0 / b - 1.0 / population.Count);
                    ratio.ShouldBe(expectedRatio, 1e-9);
                    row.Lower!.Value.ShouldBe(expectedRatio * Math.Exp(-1.96 * se), 1e-9);
                    row.Upper!.Value.ShouldBe(expectedRatio * Math.Exp(1.96 * se), 1e-9);
                    row.OverRepresented.ShouldBe(expectedRatio >= threshold && row.Lower > 1, $"{cohort.Cohort}, {name}, {row.Group}");
                    if (!standardise)
                        continue;
                    var expected = inStratum.Sum(s => s.Value * (double)strata[s.Key].Count(x => of(x) == row.Group) / strata[s.Key].Count);
                    row.Standardised!.Value.ShouldBe(a / expected, 1e-9);
                    row.OverRepresentedStandardised.ShouldBe(a / expected >= threshold && a / expected * Math.Exp(-1.96 / Math.Sqrt(a)) > 1);
                    checkedCells++;
                }
                // No single hidden group in a characteristic whose total is shown: it could be worked out.
                if (cohort.Size is not null && cohort.NotOnRoll is not null)
                    rows.Count(r => r.Cohort is null).ShouldNotBe(1, $"{cohort.Cohort}, {name}");
                rows.Count(r => r.Population is null).ShouldNotBe(1, $"{cohort.Cohort}, {name} (population)");
            }
        }

        void Expect(int? shown, int counted)
        {
            if (Small(counted))
                shown.ShouldBeNull($"{counted} is small and must be suppressed");
            if (shown is { } s)
                s.ShouldBe(counted);
            else
                suppressedCells++;
        }

        // The generated data reaches every branch: suppressed cells, compared ratios, and the warning the threshold gives.
        suppressedCells.ShouldBeGreaterThan(0);
        checkedCells.ShouldBeGreaterThan(10);
        var flagged = report.Single(c => c.Cohort == "A current flag");
        flagged.Rows.Single(r => r.Characteristic == "Free school meals" && r.Group == "Eligible").OverRepresented.ShouldBeTrue();
        report.Single(c => c.Cohort == "Nominated to a school's top 10").Restricted.ShouldBeNull();

        var page = await (await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer))).GetDocumentAsync("/risk/equality");
        page.QuerySelectorAll(".govuk-warning-text").Select(w => w.TextContent).ShouldContain(t => t.Contains("Free school meals, Eligible: over-represented"));
    }
}

public sealed class EqualityCountingTestsOnSqlite(SqliteApp app) : EqualityCountingTests(app), IClassFixture<SqliteApp>;

public sealed class EqualityCountingTestsOnPostgres(PostgresApp app) : EqualityCountingTests(app), IClassFixture<PostgresApp>;
