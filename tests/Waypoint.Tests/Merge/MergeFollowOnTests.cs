using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Domain;
using Waypoint.Features.Merge;
using Waypoint.Features.Schools.Imports;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Schools.Imports;

namespace Waypoint.Tests.Merge;

/// <summary>
/// What a merge and a restriction must carry into the rest of the app (issue 16): the import's
/// duplicate probes skip merged-away entries, the evidence rollups count a merged pupil once, and
/// a restricted pupil is left off the school's top-10 list while their record stays readable.
/// </summary>
public abstract class MergeFollowOnTests(WaypointApp app)
{
    private static int nextSchool = 7000 + Environment.ProcessId % 500 * 10;
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    protected WaypointApp App => app;

    private static string Letters(TestPartnership p) => new(p.Suffix.Select(c => char.IsAsciiDigit(c) ? (char)('g' + (c - '0')) : c).ToArray());

    [Fact]
    public async Task ImportEnrolments_MergedAwayEntrysDetails_SurvivorMatchedNotHeldForReview()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, $"926{n % 10000:0000}")));
        var files = new ImportFileGenerator(n, 926, n % 10000, urn);
        var pupil = files.Pupils(1)[0] with { Forename = "Amara", Surname = "Okonjo" + Letters(p) };
        var kept = await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth, enrolledAt: p.School);
        var away = await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth, enrolledAt: p.OtherSchool);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().MergeAsync(kept.Id, away.Id));
        var user = await p.UserAsync(p.School);

        var outcome = await app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(ImportKind.Enrolments, new MemoryStream(Encoding.UTF8.GetBytes(files.EnrolmentsCsv([pupil]))), "roll.csv", user.OrganisationId, null, CancellationToken.None));

        outcome.Problems.ShouldBeEmpty();
        var summary = outcome.Summary.ShouldNotBeNull();
        summary.PupilsAwaitingReview.ShouldBe(0, "the merged-away entry is no candidate: it is the survivor");
        summary.PupilsMatched.ShouldBe(1);
        summary.PupilsAdded.ShouldBe(0);
        var upns = await app.AsSystemAsync((db, _) => db.PersonIdentifiers.Where(i => i.Scheme == IdentifierScheme.Upn && i.Value == pupil.Upn).Select(i => i.PersonId).ToListAsync());
        upns.ShouldBe([kept.Id]);
    }

    [Fact]
    public async Task Merge_TwoEntriesSuspendedAtOneSchool_RollupCountsOnePupilUntilUnmerged()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = "Rollup" + Letters(p);
        var kept = await p.YoungPersonAsync("Ifeoma", family, new DateOnly(2011, 3, 3), enrolledAt: p.School);
        var away = await p.YoungPersonAsync("Ifeoma", family, new DateOnly(2011, 3, 3));
        var start = Today.AddDays(-2);
        await app.AsSystemAsync(async db =>
        {
            foreach (var (who, day) in new[] { (kept, start), (away, start.AddDays(-1)) })
                db.Suspensions.Add(new Suspension { PersonId = who.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = day, Sessions = 2, ReasonCode1 = "PA", RecordedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var year = Waypoint.Features.Schools.Rules.AcademicYear.Of(start).StartYear;
        (await PupilsSuspendedAsync(p, year)).ShouldBe(2);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);

        var merge = await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().MergeAsync(kept.Id, away.Id));

        (await PupilsSuspendedAsync(p, year)).ShouldBe(1, "one pupil, suspended twice");
        await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().UnmergeAsync(merge.Id));
        (await PupilsSuspendedAsync(p, year)).ShouldBe(2);
    }

    [Fact]
    public async Task TopTen_RestrictedPupil_LeftOffTheListButRecordReadable()
    {
        var p = await TestPartnership.CreateAsync(app);
        var family = "Listed" + Letters(p);
        var restricted = await p.YoungPersonAsync("Chidi", family, new DateOnly(2012, 4, 4), enrolledAt: p.School);
        var other = await p.YoungPersonAsync("Dayo", family, new DateOnly(2012, 5, 5), enrolledAt: p.School);
        await app.AsSystemAsync(async db =>
        {
            var rank = 1;
            foreach (var who in new[] { restricted, other })
                db.TopTenNominations.Add(new TopTenNomination { PersonId = who.Id, SchoolId = p.School.Id, Rank = rank++, Reason = "Attendance falling", NominatedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var school = await app.SignInAsync(await p.UserAsync(p.School));
        (await school.GetDocumentAsync("/schools/top-ten")).Body!.TextContent.ShouldContain($"Chidi {family}");
        var dpo = await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

        (await dpo.PostFormAsync("/data-protection/restrictions", new() { ["PersonId"] = restricted.Id.ToString(), ["Reason"] = "Objection to being listed" }))
            .StatusCode.ShouldBe(System.Net.HttpStatusCode.Redirect);

        var page = (await school.GetDocumentAsync("/schools/top-ten")).Body!.TextContent;
        page.ShouldNotContain($"Chidi {family}");
        page.ShouldContain($"Dayo {family}");
        (await school.GetAsync($"/people/{restricted.Id}")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, "reads go on");
    }

    private Task<int> PupilsSuspendedAsync(TestPartnership p, int year) =>
        app.AsSystemAsync((db, _) => db.ExclusionPupilCounts.Where(c => c.SchoolId == p.School.Id && c.AcademicYear == year && c.Term == ExclusionPupilCount.WholeYear)
            .Select(c => c.PupilsSuspended).SingleOrDefaultAsync());
}

public sealed class MergeFollowOnTestsOnSqlite(SqliteApp app) : MergeFollowOnTests(app), IClassFixture<SqliteApp>
{
    [Fact]
    public async Task SqliteConnection_SecureDeleteOn_DisposedContentOverwritten()
    {
        var on = await App.AsSystemAsync(async (db, _) =>
        {
            await db.Database.OpenConnectionAsync();
            try
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = "PRAGMA secure_delete";
                return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        });

        on.ShouldBe(1);
    }
}

public sealed class MergeFollowOnTestsOnPostgres(PostgresApp app) : MergeFollowOnTests(app), IClassFixture<PostgresApp>;
