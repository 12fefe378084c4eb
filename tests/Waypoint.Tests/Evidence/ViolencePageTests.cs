using System.Net;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>The exclusion and violence page over HTTP: analysts (the force's too) see aggregates, practitioners are refused, and only violent crime in a perpetrator's role counts as involvement.</summary>
public abstract class ViolencePageTests(WaypointApp app)
{
    [Fact]
    public async Task Violence_AnalystsAndPractitioner_AggregatesForAnalystsOnlyAndVictimsNeverPerpetrators()
    {
        var p = await TestPartnership.CreateAsync(app);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var officer = await p.UserAsync(p.Police);
        var suspended = new List<Person>();
        var neither = new List<Person>();
        await app.AsSystemAsync(async db =>
        {
            Person Pupil(int i)
            {
                var person = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = $"Violet{i}",
                    FamilyName = $"Harbour{p.Suffix}",
                    DateOfBirth = new DateOnly(2011, 3, 3),
                    AreaId = p.Ward.Id,
                    OwnerOrganisationId = p.School.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.People.Add(person);
                db.Enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = p.School.Id, StartDate = today.AddMonths(-6), YearGroup = 9 });
                return person;
            }
            for (var i = 0; i < 8; i++)
                suspended.Add(Pupil(i));
            for (var i = 8; i < 20; i++)
                neither.Add(Pupil(i));
            foreach (var s in suspended)
                db.Suspensions.Add(new Suspension { PersonId = s.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = today.AddDays(-20), Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            var n = 0;
            void Occurrence(Person person, OccurrenceRole role, string? group, string? subGroup)
            {
                var o = new Occurrence
                {
                    PoliceReference = $"V{p.Suffix}-{n++}",
                    OccurredOn = today.AddDays(-10),
                    OffenceGroup = group,
                    OffenceSubGroup = subGroup,
                    IncidentType = group is null ? IncidentType.AntisocialBehaviour : null,
                    OwnerOrganisationId = p.Police.Id,
                    CategoryCode = RecordCategories.PoliceGeneral,
                    RecordedByUserId = officer.Id,
                    RecordedAt = DateTimeOffset.UtcNow,
                };
                o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = person.Id, Role = role });
                db.Occurrences.Add(o);
            }
            // Five suspended pupils were suspects in violence, robbery or weapons offences.
            Occurrence(suspended[0], OccurrenceRole.Suspect, HomeOfficeOffences.ViolenceAgainstThePerson, "violence-with-injury");
            Occurrence(suspended[1], OccurrenceRole.Offender, HomeOfficeOffences.Robbery, "robbery-of-personal-property");
            Occurrence(suspended[2], OccurrenceRole.Suspect, HomeOfficeOffences.PossessionOfWeapons, "possession-of-weapons");
            Occurrence(suspended[3], OccurrenceRole.Suspect, HomeOfficeOffences.ViolenceAgainstThePerson, "violence-without-injury");
            Occurrence(suspended[4], OccurrenceRole.Offender, HomeOfficeOffences.ViolenceAgainstThePerson, "stalking-and-harassment");
            // Pupils with neither: victims of violence, a witness, a shoplifting suspect, anti-social behaviour: none of it is perpetrating violence.
            for (var i = 0; i < 6; i++)
                Occurrence(neither[i], OccurrenceRole.Victim, HomeOfficeOffences.ViolenceAgainstThePerson, "violence-with-injury");
            Occurrence(neither[6], OccurrenceRole.Witness, HomeOfficeOffences.Robbery, "robbery-of-personal-property");
            Occurrence(neither[7], OccurrenceRole.Suspect, HomeOfficeOffences.TheftOffences, "shoplifting");
            Occurrence(neither[8], OccurrenceRole.Suspect, null, null);
            await db.SaveChangesAsync();
        });

        var url = $"/statistics/violence?District={p.County.Id}";
        var practitioner = await app.SignInAsync(await p.UserAsync(p.School));
        (await practitioner.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        var policeAnalyst = await app.SignInAsync(await p.UserAsync(p.Police, Roles.Analyst));
        var page = await policeAnalyst.GetAsync(url);
        page.StatusCode.ShouldBe(HttpStatusCode.OK);
        var html = await page.Content.ReadAsStringAsync();
        html.ShouldNotContain($"Harbour{p.Suffix}");
        html.ShouldNotContain(p.School.Name);
        var doc = Clients.Parse(html);
        string Cell(string measure, string group, int column) =>
            doc.QuerySelector($"table[data-measure='{measure}'][data-table='rates'] tr[data-group='{group}'][data-band='All ages']")!.Children[column].TextContent.Trim();

        Cell("perpetrator", "One or more suspensions", 2).ShouldBe("8");
        Cell("perpetrator", "One or more suspensions", 3).ShouldBe("5");
        Cell("perpetrator", "One or more suspensions", 4).ShouldBe("625.0");
        Cell("perpetrator", "Neither", 2).ShouldBe("12");
        Cell("perpetrator", "Neither", 3).ShouldBe("0", "a victim, a witness, a shoplifter and anti-social behaviour are not violence perpetrated");
        Cell("victim", "Neither", 3).ShouldBe("6");
        Cell("victim", "One or more suspensions", 3).ShouldBe("0");
        doc.QuerySelector("table[data-measure='perpetrator'][data-table='ratios'] tr[data-group='One or more suspensions'] [data-ratio]")!.TextContent.ShouldStartWith("unbounded");
        doc.QuerySelector("table[data-measure='perpetrator'][data-table='timing'] tr[data-group='One or more suspensions'] [data-after]")!.TextContent.Trim().ShouldBe("5");

        var admin = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.PartnershipAdmin));
        (await admin.GetAsync(url)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var bad = Clients.Parse(await (await policeAnalyst.GetAsync("/statistics/violence?FromYear=1800&ToYear=x&District=nowhere")).Content.ReadAsStringAsync());
        bad.QuerySelector("#FromYear-error").ShouldNotBeNull();
        bad.QuerySelector("#District-error").ShouldNotBeNull();
    }
}

public sealed class ViolencePageTestsOnSqlite(SqliteApp app) : ViolencePageTests(app), IClassFixture<SqliteApp>;

public sealed class ViolencePageTestsOnPostgres(PostgresApp app) : ViolencePageTests(app), IClassFixture<PostgresApp>;
