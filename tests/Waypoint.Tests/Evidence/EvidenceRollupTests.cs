using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Merge;
using Waypoint.Features.Police;
using Waypoint.Features.Schools.Imports;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Police;
using Waypoint.Tests.Schools.Imports;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The per-person evidence rollups behind exclusion and violence, kept current by every way in
/// (police import, manual entry, correction, removal, school imports, a date of birth corrected,
/// merge and unmerge), equal a recount from the raw rows after each; and the page's figures from
/// them equal the figures counted from the raw rows.
/// </summary>
public abstract class EvidenceRollupTests(WaypointApp app)
{
    private static int nextSchool = 5000 + Environment.ProcessId % 500 * 10;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static List<string> Lines(IEnumerable<ViolencePupilSpan> spans, IEnumerable<ViolencePersonYear> years) =>
    [
        .. spans.Select(s => $"span {s.PersonId} {s.SchoolId} {s.FromYear}-{s.ToYear} {s.FirstStart:yyyy-MM-dd} {s.DateOfBirth:yyyy-MM-dd}"),
        .. years.Select(y => $"year {y.PersonId} {y.AcademicYear} s{y.FirstSuspension:yyyy-MM-dd} x{y.FirstPermanentExclusion:yyyy-MM-dd} p{y.FirstPerpetrator:yyyy-MM-dd}/{y.PerpetratorGroup} v{y.FirstVictim:yyyy-MM-dd}/{y.VictimGroup}"),
    ];

    /// <summary>The rollup rows held for these people, after checking they equal a recount from the raw rows.</summary>
    private async Task<List<string>> ShouldEqualRecountAsync(string step, params Guid[] people)
    {
        var (kept, recount) = await app.AsSystemAsync(async (db, _) =>
        {
            var spans = await db.Set<ViolencePupilSpan>().AsNoTracking().Where(s => people.Contains(s.PersonId)).ToListAsync();
            var years = await db.Set<ViolencePersonYear>().AsNoTracking().Where(y => people.Contains(y.PersonId)).ToListAsync();
            var (rs, ry) = await EvidenceRollups.CountAsync(db, people, CancellationToken.None);
            return (Lines(spans, years), Lines(rs, ry));
        });
        kept.Order(StringComparer.Ordinal).ShouldBe(recount.Order(StringComparer.Ordinal), $"after {step}");
        return kept;
    }

    private static string Year(DateOnly day) => AcademicYear.Of(day).StartYear.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task ViolenceRollups_AfterEveryKindOfChange_EqualRecountFromRaw()
    {
        var w = await OccurrenceImportTests.WorldAsync(app);
        var child = w.Child.Id;
        (await ShouldEqualRecountAsync("the child's enrolment", child)).ShouldContain(l => l.StartsWith($"span {child} {w.P.School.Id}", StringComparison.Ordinal));

        // The force's import names the child as a suspect.
        var api = await app.ApiClientAsync(w.Officer);
        var reference = $"EV-{w.P.Suffix}";
        var day = Today.AddDays(-10);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, reference, on: day))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ShouldEqualRecountAsync("the police import", child))
            .ShouldContain($"year {child} {Year(day)} s x p{day:yyyy-MM-dd}/{HomeOfficeOffences.ViolenceAgainstThePerson} v/");

        // A correction in the next file: the occurrence was a day earlier, a robbery.
        var corrected = day.AddDays(-1);
        (await OccurrenceImportTests.PostFileAsync(api, OccurrenceImportTests.Line(w, reference, offence: "robbery-of-personal-property", on: corrected))).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ShouldEqualRecountAsync("a correction", child))
            .ShouldContain($"year {child} {Year(corrected)} s x p{corrected:yyyy-MM-dd}/{HomeOfficeOffences.Robbery} v/");

        // Manual entry: an officer records an occurrence and adds the child as its victim.
        var victimDay = Today.AddDays(-3);
        var recorded = await app.AsUserAsync(w.Officer, async (_, services) =>
        {
            var (id, errors) = await services.GetRequiredService<OccurrenceEntry>()
                .RecordAsync(new OccurrenceForm($"EM-{w.P.Suffix}", victimDay, "violence-with-injury", null, w.P.Ward.Id, null, null, null, null, false), CancellationToken.None);
            errors.ShouldBeEmpty();
            return id!.Value;
        });
        await app.AsSystemAsync(async db =>
        {
            db.OccurrencePeople.Add(new OccurrencePerson { OccurrenceId = recorded, PersonId = child, Role = OccurrenceRole.Victim });
            await db.SaveChangesAsync();
        });
        (await ShouldEqualRecountAsync("manual entry", child)).ShouldContain(l => l.Contains($" v{victimDay:yyyy-MM-dd}/", StringComparison.Ordinal));

        // A date of birth corrected moves the age band.
        await app.AsSystemAsync(async db =>
        {
            (await db.People.SingleAsync(p => p.Id == child)).DateOfBirth = new DateOnly(2010, 1, 2);
            await db.SaveChangesAsync();
        });
        (await ShouldEqualRecountAsync("a date of birth corrected", child)).ShouldContain(l => l.StartsWith($"span {child}", StringComparison.Ordinal) && l.EndsWith("2010-01-02", StringComparison.Ordinal));

        // Removal, as disposal does it: the occurrence and the people it names go through the context.
        await app.AsSystemAsync(async db =>
        {
            var occurrence = await db.Occurrences.SingleAsync(o => o.PoliceReference == reference);
            db.RemoveRange(await db.OccurrencePeople.Where(x => x.OccurrenceId == occurrence.Id).ToListAsync());
            db.Remove(occurrence);
            await db.SaveChangesAsync();
        });
        (await ShouldEqualRecountAsync("removal", child)).ShouldNotContain(l => l.Contains($" p{corrected:yyyy-MM-dd}/", StringComparison.Ordinal));

        // Merge and unmerge: a second entry for the child, suspended at the other school.
        var away = await w.P.YoungPersonAsync("Kai", w.Child.FamilyName, new DateOnly(2011, 4, 9), enrolledAt: w.P.OtherSchool);
        await app.AsSystemAsync(async db =>
        {
            db.Suspensions.Add(new Suspension { PersonId = away.Id, SchoolId = w.P.OtherSchool.Id, Kind = ExclusionKind.Suspension, StartDate = Today.AddDays(-5), Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        await ShouldEqualRecountAsync("a suspension entered", child, away.Id);
        var admin = await w.P.UserAsync(w.P.Hub, Roles.PartnershipAdmin);
        var merge = await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().MergeAsync(child, away.Id));
        var merged = await ShouldEqualRecountAsync("a merge", child, away.Id);
        merged.ShouldNotContain(l => l.Contains(away.Id.ToString(), StringComparison.Ordinal));
        merged.ShouldContain(l => l.StartsWith($"span {child} {w.P.OtherSchool.Id}", StringComparison.Ordinal));
        await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().UnmergeAsync(merge.Id));
        (await ShouldEqualRecountAsync("an unmerge", child, away.Id)).ShouldContain(l => l.StartsWith($"year {away.Id}", StringComparison.Ordinal));
    }

    private Task<ImportOutcome> ApplyAsync(TestUser user, ImportKind kind, string content) =>
        app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(content)), "file.csv", user.OrganisationId, null, CancellationToken.None));

    [Fact]
    public async Task ViolenceRollups_SchoolImportsManualSuspensionAndCorrection_EqualRecountFromRaw()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, $"926{n % 10000:0000}")));
        var user = await p.UserAsync(p.School);
        var files = new ImportFileGenerator(n, 926, n % 10000, urn);
        var pupils = files.Pupils(120); // 85% of generated pupils have none: 12 seeds in 5,001 give 40 pupils without a suspension, and the seed follows the process id
        (await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils))).Problems.ShouldBeEmpty();
        (await ApplyAsync(user, ImportKind.Suspensions, files.SuspensionsCsv(pupils))).Problems.ShouldBeEmpty();
        var ids = await app.AsSystemAsync((db, _) => db.Enrolments.Where(e => e.SchoolId == p.School.Id).Select(e => e.PersonId).Distinct().ToListAsync());
        ids.Count.ShouldBe(pupils.Count);
        (await ShouldEqualRecountAsync("the school's imports", [.. ids])).Count(l => l.StartsWith("year", StringComparison.Ordinal) && !l.Contains(" s x ", StringComparison.Ordinal))
            .ShouldBeGreaterThan(0, "the suspensions imported are in the rollup");

        // Manual entry on a pupil's page.
        var pupil = await p.YoungPersonAsync("Rolly", $"Vee{p.Suffix}", new DateOnly(2012, 5, 5), enrolledAt: p.School);
        var school = await app.SignInAsync(user);
        var form = new Dictionary<string, string>
        {
            ["Start.Day"] = Today.Day.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Start.Month"] = Today.Month.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Start.Year"] = Today.Year.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sessions"] = "2",
            ["Outcome"] = "NotReviewed",
            ["Reasons[0]"] = "PA",
        };
        (await school.PostFormAsync($"/people/{pupil.Id}/school/suspensions/new", form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await ShouldEqualRecountAsync("a suspension entered by hand", pupil.Id)).ShouldContain(l => l.Contains($" s{Today:yyyy-MM-dd} ", StringComparison.Ordinal));

        // A correction: the next file says every suspension of the first suspended pupil was withdrawn.
        var first = pupils.First(x => x.Suspensions.Count > 0);
        (await ApplyAsync(user, ImportKind.Suspensions, files.SuspensionsCsv([first with { Suspensions = [.. first.Suspensions.Select(s => s with { Outcome = "Withdrawn" })] }]))).Problems.ShouldBeEmpty();
        await ShouldEqualRecountAsync("a correction", [.. ids]);
    }

    /// <summary>
    /// Wave 26b: the school import's upkeep (on PostgreSQL the new pupils' rows written from the import's own rows
    /// before the exclusion stamp's turn, with no key to the school; on SQLite the context's recount) leaves exactly
    /// the rows a from-scratch rebuild gives: new pupils at two schools, and pupils already held who join the second.
    /// </summary>
    [Fact]
    public async Task ViolenceRollups_ImportsOfNewAndHeldPupilsAtTwoSchools_EqualFromScratchRebuild()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var m = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var otherUrn = (100000 + m * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, $"926{n % 10000:0000}")));
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.OtherSchool.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, otherUrn).SetProperty(o => o.DfeNumber, $"926{m % 10000:0000}")));
        var files = new ImportFileGenerator(n, 926, n % 10000, urn);
        var otherFiles = new ImportFileGenerator(m, 926, m % 10000, otherUrn);
        var pupils = files.Pupils(80);
        var newcomers = otherFiles.Pupils(30);
        // Twenty of the first school's pupils also join the second a year later (held pupils there), with the newcomers.
        var movers = pupils.Take(20).Select(x => x with { EnrolledOn = x.EnrolledOn.AddYears(1), Suspensions = [] }).ToList();
        var user = await p.UserAsync(p.School);
        var otherUser = await p.UserAsync(p.OtherSchool);
        (await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils))).Problems.ShouldBeEmpty();
        // Checked at once: a later file recounts the pupils it names (held by then), which would hide a wrong first count.
        var first = await app.AsSystemAsync((db, _) => db.Enrolments.Where(e => e.SchoolId == p.School.Id).Select(e => e.PersonId).Distinct().ToListAsync());
        first.Count.ShouldBe(pupils.Count);
        (await ShouldEqualRecountAsync("the first school's roll, every pupil new", [.. first])).Count(l => l.StartsWith("span", StringComparison.Ordinal)).ShouldBe(pupils.Count);
        (await ApplyAsync(user, ImportKind.Suspensions, files.SuspensionsCsv(pupils))).Problems.ShouldBeEmpty();
        (await ApplyAsync(otherUser, ImportKind.Enrolments, otherFiles.EnrolmentsCsv([.. movers, .. newcomers]))).Problems.ShouldBeEmpty();
        (await ApplyAsync(otherUser, ImportKind.Suspensions, otherFiles.SuspensionsCsv(newcomers))).Problems.ShouldBeEmpty();
        var ids = await app.AsSystemAsync((db, _) => db.Enrolments.Where(e => e.SchoolId == p.School.Id || e.SchoolId == p.OtherSchool.Id)
            .Select(e => e.PersonId).Distinct().ToListAsync());
        ids.Count.ShouldBe(pupils.Count + newcomers.Count);

        var kept = await ShouldEqualRecountAsync("the two schools' imports", [.. ids]);
        kept.Count(l => l.StartsWith("span", StringComparison.Ordinal)).ShouldBe(pupils.Count + movers.Count + newcomers.Count);
        kept.ShouldContain(l => l.StartsWith("year", StringComparison.Ordinal), "the suspensions imported are in the rollup");
        await app.AsSystemAsync(db => EvidenceRollups.RebuildAsync(db, CancellationToken.None));
        var rebuilt = await app.AsSystemAsync(async (db, _) => Lines(
            await db.Set<ViolencePupilSpan>().AsNoTracking().Where(s => ids.Contains(s.PersonId)).ToListAsync(),
            await db.Set<ViolencePersonYear>().AsNoTracking().Where(y => ids.Contains(y.PersonId)).ToListAsync()));
        kept.Order(StringComparer.Ordinal).ShouldBe(rebuilt.Order(StringComparer.Ordinal), "the imports' upkeep against a from-scratch rebuild");
    }

    [Fact]
    public async Task Violence_GeneratedData_RollupFiguresEqualRawFigures()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var current = AcademicYear.Of(Today).StartYear;
        var random = new Random(15);
        await app.AsSystemAsync(async db =>
        {
            var schools = new[] { p.School.Id, p.OtherSchool.Id };
            var n = 0;
            for (var i = 0; i < 160; i++)
            {
                var person = new Person
                {
                    Kind = PersonKind.YoungPerson,
                    GivenName = $"Gen{i}",
                    FamilyName = $"Rollup{p.Suffix}",
                    DateOfBirth = random.Next(12) == 0 ? null : new DateOnly(2006, 9, 1).AddDays(random.Next(365 * 9)),
                    AreaId = p.Ward.Id,
                    OwnerOrganisationId = p.School.Id,
                    CreatedAt = DateTimeOffset.UtcNow,
                };
                db.People.Add(person);
                DateOnly Day() => new AcademicYear(current - 3).Start.AddDays(random.Next(365 * 4));
                foreach (var _ in Enumerable.Range(0, 1 + random.Next(2)))
                {
                    var start = Day();
                    db.Enrolments.Add(new Enrolment { PersonId = person.Id, SchoolId = schools[random.Next(2)], StartDate = start, EndDate = random.Next(3) == 0 ? start.AddDays(random.Next(400)) : null, YearGroup = 8 });
                }
                foreach (var _ in Enumerable.Range(0, random.Next(4) == 0 ? 1 + random.Next(3) : 0))
                    db.Suspensions.Add(new Suspension
                    {
                        PersonId = person.Id,
                        SchoolId = schools[random.Next(2)],
                        Kind = random.Next(6) == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension,
                        StartDate = Day(),
                        Sessions = 2,
                        ReasonCode1 = "PA",
                        Outcome = random.Next(8) == 0 ? ExclusionOutcome.Withdrawn : ExclusionOutcome.NotReviewed,
                        RecordedAt = DateTimeOffset.UtcNow,
                    });
                foreach (var _ in Enumerable.Range(0, random.Next(3) == 0 ? 1 + random.Next(2) : 0))
                {
                    var o = new Occurrence
                    {
                        PoliceReference = $"G{p.Suffix}-{n++}",
                        OccurredOn = Day(),
                        OffenceGroup = new[] { HomeOfficeOffences.ViolenceAgainstThePerson, HomeOfficeOffences.Robbery, HomeOfficeOffences.PossessionOfWeapons, null }[random.Next(4)],
                        IncidentType = null,
                        OwnerOrganisationId = p.Police.Id,
                        CategoryCode = RecordCategories.PoliceGeneral,
                        RecordedByUserId = officer.Id,
                        RecordedAt = DateTimeOffset.UtcNow,
                    };
                    o.IncidentType = o.OffenceGroup is null ? IncidentType.AntisocialBehaviour : null;
                    o.OffenceSubGroup = o.OffenceGroup is null ? null : "Generated";
                    o.People.Add(new OccurrencePerson { OccurrenceId = o.Id, PersonId = person.Id, Role = new[] { OccurrenceRole.Suspect, OccurrenceRole.Offender, OccurrenceRole.Victim, OccurrenceRole.Witness }[random.Next(4)] });
                    db.Occurrences.Add(o);
                }
            }
            await db.SaveChangesAsync();
        });

        // The partnership's schools sit in the county; one moves to a ward of the district, so that
        // the county, the district and the whole partnership each select a different cohort.
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.OtherSchool.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.AreaId, p.Ward.Id)));
        foreach (var (from, to) in new[] { (current - 3, current), (current - 1, current), (current - 2, current - 2), (current, current) })
        {
            var views = await app.AsSystemAsync(async (db, _) => (await ViolenceAnalysis.LoadViewsAsync(db, from, to, Today, CancellationToken.None)).Views);
            foreach (var area in new Guid?[] { p.County.Id, p.District.Id, null })
            {
                var raw = await app.AsSystemAsync(async (db, _) =>
                {
                    var end = new AcademicYear(to).End;
                    return (await ViolenceAnalysis.LoadRawCellsAsync(db, new AcademicYear(from).Start, end < Today ? end : Today, area, 3, CancellationToken.None)).Cells;
                });
                var rolled = views.Single(v => v.Id == (area ?? Guid.Empty)).Cells;
                rolled.Sum(c => c.Pupils).ShouldBeGreaterThan(0, $"{area} {from} to {to}");
                static string Key(ViolenceCell c) => JsonSerializer.Serialize(c);
                rolled.Select(Key).Order(StringComparer.Ordinal).ShouldBe(raw.Select(Key).Order(StringComparer.Ordinal), $"{area} {from} to {to}");
            }
            // And the page's report for each area is built from those cells.
            var county = await app.AsSystemAsync((db, _) => ViolenceAnalysis.LoadAsync(db, from, to, Today, p.County.Id, 3, CancellationToken.None));
            county.AreaName.ShouldBe(p.County.Name);
        }
    }
}

public sealed class EvidenceRollupTestsOnSqlite(SqliteApp app) : EvidenceRollupTests(app), IClassFixture<SqliteApp>;

public sealed class EvidenceRollupTestsOnPostgres(PostgresApp app) : EvidenceRollupTests(app), IClassFixture<PostgresApp>;
