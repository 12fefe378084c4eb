using System.Net;
using AngleSharp.Html.Dom;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools;

/// <summary>The inclusion team's dashboard: this year against last, by month, district and phase; schools named only to the inclusion team and the school itself.</summary>
public abstract class ExclusionDashboardTests(WaypointApp app)
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly AcademicYear Year = AcademicYear.Of(Today);

    /// <summary>
    /// School A (secondary, district A): this year 2 suspensions and 1 permanent exclusion, last year 3 suspensions (and one
    /// after this date last year, outside "to date"). School B (primary, district B): this year 1 suspension and 1 the
    /// headteacher withdrew, last year 1 permanent exclusion. All on 1 September, so the September rows hold them.
    /// </summary>
    private async Task<TestPartnership> PartnershipWithSuspensionsAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var a = await p.YoungPersonAsync("Ari", $"Dash{p.Suffix}", new DateOnly(2012, 3, 3), enrolledAt: p.School);
        var b = await p.YoungPersonAsync("Bea", $"Dash{p.Suffix}", new DateOnly(2016, 3, 3), enrolledAt: p.OtherSchool, ward: p.OtherWard);
        await app.AsSystemAsync(async db =>
        {
            // Moved through the change tracker, as the register's page moves a school: the rollups follow it.
            (await db.Organisations.SingleAsync(o => o.Id == p.School.Id)).AreaId = p.Ward.Id;
            (await db.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id)).AreaId = p.OtherWard.Id;
            Suspension S(Person pupil, Organisation school, DateOnly start, ExclusionKind kind = ExclusionKind.Suspension, ExclusionOutcome outcome = ExclusionOutcome.NotReviewed) => new()
            {
                PersonId = pupil.Id,
                SchoolId = school.Id,
                Kind = kind,
                StartDate = start,
                Sessions = kind == ExclusionKind.Suspension ? 2 : null,
                ReasonCode1 = "PP",
                Outcome = outcome,
                RecordedAt = DateTimeOffset.UtcNow,
            };
            var last = Year.Previous;
            db.Suspensions.AddRange(
                // One record per pupil, school, day and kind (the natural key): repeats fall on the next days of the same month.
                S(a, p.School, Year.Start), S(a, p.School, Year.Start.AddDays(1)), S(a, p.School, Year.Start, ExclusionKind.PermanentExclusion),
                S(a, p.School, last.Start), S(a, p.School, last.Start.AddDays(1)), S(a, p.School, last.Start.AddDays(2)),
                S(b, p.OtherSchool, Year.Start), S(b, p.OtherSchool, Year.Start.AddDays(1), outcome: ExclusionOutcome.Withdrawn),
                S(b, p.OtherSchool, last.Start, ExclusionKind.PermanentExclusion));
            if (Today.AddYears(-1) < last.End)
                db.Suspensions.Add(S(a, p.School, Today.AddYears(-1).AddDays(1)));
            await db.SaveChangesAsync();
        });
        return p;
    }

    private static List<string[]> TableRows(IHtmlDocument page) =>
        page.QuerySelectorAll("table[data-breakdown]").SelectMany(t => t.QuerySelectorAll("tbody tr")
            .Select(r => new[] { t.GetAttribute("data-breakdown")! }.Concat(r.Children.Select(c => c.TextContent.Trim())).ToArray())).ToList();

    private static string[] Row(List<string[]> rows, string breakdown, string group) =>
        rows.Single(r => r[0] == breakdown && r[1] == group)[2..];

    [Fact]
    public async Task Dashboard_KnownSuspensions_ThisYearAgainstLastByMonthDistrictAndPhase()
    {
        var p = await PartnershipWithSuspensionsAsync();
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));

        var page = await inclusion.GetDocumentAsync("/schools/dashboard");
        var rows = TableRows(page);

        page.QuerySelector("#headline")!.TextContent.ShouldContain("3 suspensions");
        page.QuerySelector("svg[role=img] title")!.TextContent.ShouldContain("by month");
        page.QuerySelectorAll("svg rect").Length.ShouldBeGreaterThanOrEqualTo(2);
        Row(rows, "Month", "September").ShouldBe(["3", "3", "1", "1"]);
        Row(rows, "Total", "Total").ShouldBe(["3", "3", "1", "1"]);
        Row(rows, "District", p.District.Name).ShouldBe(["2", "3", "1", "0"]);
        Row(rows, "District", p.OtherDistrict.Name).ShouldBe(["1", "0", "0", "1"]);
        Row(rows, "Phase", "Secondary").ShouldBe(["2", "3", "1", "0"]);
        Row(rows, "Phase", "Primary").ShouldBe(["1", "0", "0", "1"]);
        Row(rows, "School", p.School.Name).ShouldBe(["2", "3", "1", "0"]);
        Row(rows, "School", p.OtherSchool.Name).ShouldBe(["1", "0", "0", "1"]);
    }

    [Fact]
    public async Task Csv_InclusionOfficer_HoldsExactlyTheTablesRows()
    {
        var p = await PartnershipWithSuspensionsAsync();
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));

        var rows = TableRows(await inclusion.GetDocumentAsync("/schools/dashboard"));
        var csv = await inclusion.GetAsync("/schools/dashboard?handler=Csv");
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        csv.Content.Headers.ContentType!.MediaType.ShouldBe("text/csv");
        lines[0].ShouldStartWith("Breakdown,Group,");
        lines.Skip(1).ShouldBe(rows.Select(r => string.Join(',', r)));
    }

    [Fact]
    public async Task Dashboard_AnalystOrAnotherSchool_NeverSeesTheSchoolsName()
    {
        var p = await PartnershipWithSuspensionsAsync();
        var analyst = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.Analyst));
        var otherSchool = await app.SignInAsync(await p.UserAsync(p.OtherSchool));

        var analystPage = await analyst.GetDocumentAsync("/schools/dashboard");
        var analystCsv = await analyst.GetStringAsync("/schools/dashboard?handler=Csv");
        var schoolPage = await otherSchool.GetDocumentAsync("/schools/dashboard");
        var schoolCsv = await otherSchool.GetStringAsync("/schools/dashboard?handler=Csv");

        Row(TableRows(analystPage), "District", p.District.Name).ShouldBe(["2", "3", "1", "0"]);
        analystPage.QuerySelector("table[data-breakdown=School]").ShouldBeNull();
        foreach (var text in new[] { analystPage.Body!.TextContent, analystCsv, schoolPage.Body!.TextContent, schoolCsv })
            text.ShouldNotContain(p.School.Name);
        analystCsv.ShouldNotContain(p.OtherSchool.Name);
        Row(TableRows(schoolPage), "School", p.OtherSchool.Name).ShouldBe(["1", "0", "0", "1"]);
        schoolCsv.ShouldContain(p.OtherSchool.Name);
    }

    /// <summary>Adds schools to district A with no suspensions, named "Extra 01 …" onwards.</summary>
    internal static async Task AddSchoolsAsync(WaypointApp app, TestPartnership p, int count)
    {
        await app.AsSystemAsync(async db =>
        {
            for (var i = 1; i <= count; i++)
                db.Organisations.Add(new Organisation { Name = $"Extra {i:00} {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary });
            await db.SaveChangesAsync();
        });
    }

    [Fact]
    public async Task SchoolTable_ThirtySchools_PagedSortedAndFilteredOnTheServer_ExportsWhole()
    {
        var p = await PartnershipWithSuspensionsAsync();
        await AddSchoolsAsync(app, p, 28);
        var inclusion = await app.SignInAsync(await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County));
        static List<string[]> Schools(IHtmlDocument page) => page.QuerySelectorAll("#school-table tbody tr").Select(r => r.Children.Select(c => c.TextContent.Trim()).ToArray()).ToList();

        var first = await inclusion.GetDocumentAsync("/schools/dashboard");
        first.QuerySelector("#schools-range")!.TextContent.ShouldContain("Showing 1 to 25 of 30 schools");
        Schools(first).Count.ShouldBe(25);
        Schools(first)[0][0].ShouldBe($"Extra 01 {p.Suffix}");
        first.QuerySelector("#sort-name")!.ParentElement!.GetAttribute("aria-sort").ShouldBe("ascending");
        first.QuerySelector("#school-pages a[rel=next]")!.GetAttribute("href")!.ShouldContain("p=2");
        var second = await inclusion.GetDocumentAsync("/schools/dashboard?sort=Name&p=2");
        second.QuerySelector("#schools-range")!.TextContent.ShouldContain("Showing 26 to 30 of 30 schools");
        Schools(second).Select(r => r[0]).ToList().ShouldBe([$"Extra 26 {p.Suffix}", $"Extra 27 {p.Suffix}", $"Extra 28 {p.Suffix}", p.School.Name, p.OtherSchool.Name]);

        // A count column sorts largest first; turned round, smallest first (ties by name).
        var most = await inclusion.GetDocumentAsync("/schools/dashboard?sort=SuspensionsThisYear");
        Schools(most).Take(2).Select(r => r[0]).ToList().ShouldBe([p.School.Name, p.OtherSchool.Name]);
        most.QuerySelector("#sort-suspensionsthisyear")!.ParentElement!.GetAttribute("aria-sort").ShouldBe("descending");
        var fewestLastYear = await inclusion.GetDocumentAsync("/schools/dashboard?sort=ExclusionsLastYear&order=ascending&p=2");
        Schools(fewestLastYear).Last()[0].ShouldBe(p.OtherSchool.Name);

        // Filtered by part of the name (any case) and by district.
        var named = await inclusion.GetDocumentAsync($"/schools/dashboard?school={Uri.EscapeDataString("school b " + p.Suffix)}");
        Schools(named).ShouldBe([[p.OtherSchool.Name, "1", "0", "0", "1"]]);
        var district = await inclusion.GetDocumentAsync($"/schools/dashboard?district={Uri.EscapeDataString(p.District.Name)}&sort=SuspensionsLastYear");
        district.QuerySelector("#schools-range")!.TextContent.ShouldContain("of 29 schools");
        Schools(district)[0].ShouldBe([p.School.Name, "2", "3", "1", "0"]);
        var none = await inclusion.GetDocumentAsync("/schools/dashboard?school=nothing-like-this");
        none.QuerySelector("#schools-range")!.TextContent.ShouldContain("No schools match");
        none.QuerySelector("#school-table").ShouldBeNull();

        // The CSV and the spreadsheet hold every school.
        var csv = await inclusion.GetStringAsync("/schools/dashboard?handler=Csv");
        csv.Split("\r\n").Count(l => l.StartsWith("School,", StringComparison.Ordinal)).ShouldBe(30);
        var xlsx = await inclusion.GetAsync("/schools/dashboard?handler=Xlsx");
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    }

    /// <summary>The page read in the database and the page cut from every school's row built in the app (the read before the night's roll-forward) are the same rows in the same order.</summary>
    [Fact]
    public async Task SchoolTable_ReadInTheDatabase_EqualsThePageCutFromEverySchoolsRow()
    {
        var p = await PartnershipWithSuspensionsAsync();
        await AddSchoolsAsync(app, p, 28);
        await app.AsSystemAsync(async (db, _) =>
        {
            var part = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.CountyAsync(db, p.Hub.AreaId, Today, CancellationToken.None);
            var every = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.NamedAsync(db, part, Today, null, CancellationToken.None);
            var districts = Waypoint.Features.Schools.Dashboard.SchoolTable.Districts(part);
            foreach (var sort in Enum.GetValues<Waypoint.Features.Schools.Dashboard.SchoolSort>())
                foreach (var descending in new[] { false, true })
                    foreach (var (page, name, inDistrict) in new (int, string?, string?)[] { (1, null, null), (2, null, null), (9, null, null), (1, "EXTRA 1", null), (1, null, p.OtherDistrict.Name), (1, " school ", p.District.Name), (3, "nothing-like-this", null) })
                    {
                        var query = new Waypoint.Features.Schools.Dashboard.SchoolQuery(sort, descending, page, name, inDistrict);
                        var read = await Waypoint.Features.Schools.Dashboard.SchoolTable.ReadAsync(db, part, Today, query, CancellationToken.None);
                        var cut = Waypoint.Features.Schools.Dashboard.SchoolTable.Of(every, Today, query, districts);
                        read.Total.ShouldBe(cut.Total, $"{query}");
                        read.Query.ShouldBe(cut.Query, $"{query}");
                        read.Rows.ShouldBe(cut.Rows, $"{query}");
                    }
            return true;
        });
    }

    /// <summary>
    /// The county's tables summed in one statement (the month table, to date by area and phase in whole months, and the
    /// two cut months' days) and the page's rows read in one statement give what the day rows give, built in the app:
    /// generated suspensions on every kind of day (the cut months either side of today and of a year ago, ahead of today,
    /// withdrawn), in schools of three phases in two districts, one name shared by two schools.
    /// </summary>
    [Fact]
    public async Task Dashboard_GeneratedSuspensions_SummedInOneStatementEqualTheDayRows()
    {
        var p = await TestPartnership.CreateAsync(app);
        var pupils = new List<Person>();
        for (var i = 0; i < 6; i++)
            pupils.Add(await p.YoungPersonAsync($"Gen{i}", $"Dash{p.Suffix}", new DateOnly(2012, 1, 1).AddDays(i), enrolledAt: p.School));
        var extras = new[]
        {
            new Organisation { Name = $"Shared {p.Suffix}", Type = OrganisationType.School, AreaId = p.Ward.Id, Phase = SchoolPhase.Primary, Urn = "900001" },
            new Organisation { Name = $"Shared {p.Suffix}", Type = OrganisationType.School, AreaId = p.OtherWard.Id, Phase = SchoolPhase.Special, Urn = "900002" },
            new Organisation { Name = $"Unphased {p.Suffix}", Type = OrganisationType.School, AreaId = p.OtherDistrict.Id },
        };
        var lastToDate = Today.AddYears(-1);
        var days = new List<DateOnly>
        {
            Today, Today.AddDays(1), Today.AddDays(-1), new(Today.Year, Today.Month, 1), lastToDate, lastToDate.AddDays(1), lastToDate.AddDays(-1),
            new(lastToDate.Year, lastToDate.Month, 1), Year.Start, Year.Previous.Start, Year.Previous.End, Year.Start.AddDays(-1),
        };
        var random = new Random(20);
        var span = Today.DayNumber - Year.Previous.Start.DayNumber;
        for (var i = 0; i < 60; i++)
            days.Add(Year.Previous.Start.AddDays(random.Next(span + 5)));
        await app.AsSystemAsync(async db =>
        {
            // Moved through the change tracker, as the register's page moves a school: the rollups follow it.
            (await db.Organisations.SingleAsync(o => o.Id == p.School.Id)).AreaId = p.Ward.Id;
            (await db.Organisations.SingleAsync(o => o.Id == p.OtherSchool.Id)).AreaId = p.OtherWard.Id;
            db.Organisations.AddRange(extras);
            await db.SaveChangesAsync();
            var schools = new[] { p.School.Id, p.OtherSchool.Id, extras[0].Id, extras[1].Id, extras[2].Id };
            var keys = new HashSet<(Guid, Guid, DateOnly, ExclusionKind)>();
            foreach (var day in days)
            {
                var kind = random.Next(8) == 0 ? ExclusionKind.PermanentExclusion : ExclusionKind.Suspension;
                var key = (pupils[random.Next(pupils.Count)].Id, schools[random.Next(schools.Length)], day, kind);
                if (!keys.Add(key))
                    continue;
                db.Suspensions.Add(new Suspension
                {
                    PersonId = key.Item1, SchoolId = key.Item2, Kind = kind, StartDate = day, Sessions = kind == ExclusionKind.Suspension ? 2 : null,
                    ReasonCode1 = "PP", Outcome = random.Next(10) == 0 ? ExclusionOutcome.Withdrawn : ExclusionOutcome.NotReviewed, RecordedAt = DateTimeOffset.UtcNow,
                });
            }
            await db.SaveChangesAsync();
        });

        await app.AsSystemAsync(async (db, _) =>
        {
            var schools = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.SchoolsAsync(db, p.County.Id, CancellationToken.None);
            var ids = schools.Select(s => s.Id).ToList();
            var since = Year.Previous.Start;
            var rows = (await db.ExclusionDayCounts.AsNoTracking().Where(d => ids.Contains(d.SchoolId) && d.Date >= since && d.Date <= Today).ToListAsync())
                .Select(d => new Waypoint.Features.Schools.Dashboard.DayCount(d.SchoolId, d.Kind, d.Date, d.Count)).ToList();
            rows.ShouldNotBeEmpty();
            // Today (last year's months after its cut month hold counts the month table must leave out), and days of
            // last year: its last (every month before the cut, September to July), one in its October, its first (no
            // whole month this year, last September whole) and one in its March.
            foreach (var today in new[] { Today, Year.Previous.End, Year.Previous.Start.AddDays(40), Year.Previous.Start, Year.Previous.Start.AddMonths(6).AddDays(13) })
                foreach (var (named, nameSchool) in new (IReadOnlyCollection<Guid>?, Func<Guid, bool>)[] { (null, _ => true), ([], _ => false), ([extras[0].Id], id => id == extras[0].Id) })
                {
                    var fromDays = Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(schools, rows, today, nameSchool);
                    var summed = (await Waypoint.Features.Schools.Dashboard.ExclusionFigures.LoadAsync(db, p.Hub.AreaId, today, named, CancellationToken.None)).Build(today, nameSchool);
                    summed.ToCsv().ShouldBe(fromDays.ToCsv(), $"{today}, " + (named is null ? "every school" : $"{named.Count} named"));
                }
            Waypoint.Features.Schools.Dashboard.ExclusionFigures.ForgetKept();
            var (kept, page) = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.KeptPageAsync(db, p.Hub.AreaId, Today, new(), CancellationToken.None);
            kept.ToCsv().ShouldBe(Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(schools, rows, Today, _ => false).ToCsv());
            var whole = Waypoint.Features.Schools.Dashboard.ExclusionFigures.Build(schools, rows, Today, _ => true).Schools;
            page.Rows.ShouldBe(whole);
            page.Rows.Count(r => r.Group.Contains("(URN 90000", StringComparison.Ordinal)).ShouldBe(2, "the shared name shown with each URN");
            return true;
        });
    }

    [Fact]
    public async Task Districts_NamedByTheStatisticsRule_AParentlessWardByItsOwnName()
    {
        // The dashboard's districts are the statistics' (ExclusionStatistics.DistrictOfAreaAsync over StatisticsCellRollup.AreaKeys):
        // a ward by its parent, a district by itself, the county "Countywide", and a ward without a parent (its own county)
        // by its own name, where the dashboard once named it "Countywide".
        var p = await TestPartnership.CreateAsync(app);
        var lone = new Area { Name = $"Lone ward {p.Suffix}", Kind = AreaKind.Ward };
        var school = new Organisation { Name = $"Lone school {p.Suffix}", Type = OrganisationType.School, AreaId = lone.Id, Phase = SchoolPhase.Primary };
        await app.AsSystemAsync(async db =>
        {
            db.Areas.Add(lone);
            db.Organisations.Add(school);
            await db.SaveChangesAsync();
        });
        await app.AsSystemAsync(async (db, _) =>
        {
            var statistics = await Waypoint.Features.Evidence.ExclusionStatistics.DistrictOfAreaAsync(db, db.Areas.AsNoTracking(), CancellationToken.None);
            statistics[p.Ward.Id].ShouldBe(p.District.Name);
            statistics[p.OtherWard.Id].ShouldBe(p.OtherDistrict.Name);
            statistics[p.District.Id].ShouldBe(p.District.Name);
            statistics[p.County.Id].ShouldBe("Countywide");
            statistics[lone.Id].ShouldBe(lone.Name);

            var part = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.CountyAsync(db, p.County.Id, Today, CancellationToken.None);
            part.DistrictOfArea.Keys.Order().ShouldBe(new[] { p.County.Id, p.District.Id, p.OtherDistrict.Id, p.Ward.Id, p.OtherWard.Id }.Order());
            foreach (var (area, district) in part.DistrictOfArea)
                district.ShouldBe(statistics[area]);
            var lonePart = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.CountyAsync(db, lone.Id, Today, CancellationToken.None);
            lonePart.DistrictOfArea.Count.ShouldBe(1);
            lonePart.DistrictOfArea[lone.Id].ShouldBe(lone.Name);
            lonePart.Groups.ShouldBe(new[] { (lone.Name, (SchoolPhase?)SchoolPhase.Primary) });

            var schools = await Waypoint.Features.Schools.Dashboard.ExclusionFigures.SchoolsAsync(db, lone.Id, CancellationToken.None);
            schools.Single().District.ShouldBe(lone.Name);
            (await Waypoint.Features.Evidence.ExclusionStatistics.SchoolsAsync(db, CancellationToken.None)).Single(s => s.Id == school.Id).District.ShouldBe(lone.Name);
            return true;
        });
    }

    [Fact]
    public async Task Schema_SchoolNamesLowered_Indexed()
    {
        // The school table's and a school's page's shared-names read (`lower("Name")` IN the page's names) is answered
        // from this index (migration Wave21dOrganisationsLowerNameIndex; EF's model cannot hold an expression index).
        await app.AsSystemAsync(async db =>
        {
            var sql = db.Database.IsNpgsql()
                ? """SELECT indexdef AS "Value" FROM pg_indexes WHERE indexname = 'IX_Organisations_LowerName'"""
                : """SELECT sql AS "Value" FROM sqlite_master WHERE type = 'index' AND name = 'IX_Organisations_LowerName'""";
            var definition = await db.Database.SqlQueryRaw<string>(sql).SingleOrDefaultAsync();
            definition.ShouldNotBeNull("the index on the lowered school name is created by the migration");
            definition.ShouldContain("lower(", Shouldly.Case.Insensitive);
        });
    }

    [Fact]
    public async Task Dashboard_HousingPractitioner_Forbidden()
    {
        var p = await TestPartnership.CreateAsync(app);
        var housing = await app.SignInAsync(await p.UserAsync(p.Housing));

        (await housing.GetAsync("/schools/dashboard")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await housing.GetAsync("/schools/dashboard?handler=Csv")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }
}

[Collection(KeptDashboardFigures.Name)]
public sealed class ExclusionDashboardTestsOnSqlite(SqliteApp app) : ExclusionDashboardTests(app), IClassFixture<SqliteApp>;

[Collection(KeptDashboardFigures.Name)]
public sealed class ExclusionDashboardTestsOnPostgres(PostgresApp app) : ExclusionDashboardTests(app), IClassFixture<PostgresApp>;
