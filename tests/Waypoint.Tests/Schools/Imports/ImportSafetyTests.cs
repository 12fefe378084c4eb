using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>
/// Issue 10: an import grants access only on a matching UPN (a name and birthday goes to review),
/// its messages never say who else is on the register, the same file applied twice at once adds
/// once (worker and command line together), and a CTF cannot tie up the worker.
/// </summary>
public abstract class ImportSafetyTests(WaypointApp app)
{
    private static int nextSchool = 3000 + Environment.ProcessId % 500 * 10;

    private async Task<(TestPartnership P, TestUser User, ImportFileGenerator Files)> SchoolAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var dfe = $"926{n % 10000:0000}";
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, dfe)));
        p.School.Urn = urn;
        p.School.DfeNumber = dfe;
        var user = await p.UserAsync(p.School);
        return (p, user, new ImportFileGenerator(n, 926, n % 10000, urn));
    }

    private Task<ImportOutcome> ApplyAsync(TestUser user, ImportKind kind, string content, string fileName = "file.csv") =>
        app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName, user.OrganisationId, null, CancellationToken.None));

    private Task<bool> SeesAsync(TestUser user, Guid personId) => app.AsUserAsync(user, (db, _) => db.People.AnyAsync(x => x.Id == personId));

    [Fact]
    public async Task ApiEnrolment_OtherChildsNameAndBirthdayWithoutUpn_StillNotFoundAndHeldForReview()
    {
        var (p, user, files) = await SchoolAsync();
        var child = await p.YoungPersonAsync("Imogen", "Quartermaine", new DateOnly(2013, 5, 17));
        var api = await app.ApiClientAsync(user);
        (await api.GetAsync($"/api/v1/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var csv = $"UPN,Surname,Forename,DateOfBirth,Gender,SchoolURN,StartDate,EndDate,YearGroup,EnrolStatus\n,Quartermaine,Imogen,2013-05-17,F,{p.School.Urn},2024-09-04,,6,C\n";
        using var content = new MultipartFormDataContent
        {
            { new StringContent("Enrolments"), "kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(csv)), "file", "roll.csv" },
        };

        var queued = await api.PostAsync("/api/v1/imports", content);

        queued.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var location = queued.Headers.Location!.OriginalString;
        await FinishedAsync(Guid.Parse(location.Split('/')[^1]));
        var job = await api.GetFromJsonAsync<JsonElement>(location);
        job.GetProperty("status").GetString().ShouldBe("Succeeded");
        var summary = job.GetProperty("summary");
        summary.GetProperty("pupilsAwaitingReview").GetInt32().ShouldBe(1);
        summary.GetProperty("notes")[0].GetString().ShouldBe("roll.csv, line 2: the pupil on this line could not be matched and is waiting for review (Imports, pupils to review). This line was not applied.");
        (await api.GetAsync($"/api/v1/people/{child.Id}")).StatusCode.ShouldBe(HttpStatusCode.NotFound, "a name and birthday grant nothing");
        (await SeesAsync(user, child.Id)).ShouldBeFalse();
        var review = await app.AsSystemAsync((db, _) => db.Set<PupilMatchReview>().SingleAsync(r => r.SchoolId == p.School.Id));
        (review.Status, review.CandidatePersonId, review.Line, review.Upn).ShouldBe((PupilMatchReviewStatus.Waiting, child.Id, 2, (string?)null));
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == child.Id && a.UserId == user.Id && a.Action == AuditAction.Read))).ShouldBe(1, "the look-up is audited against the child it read");

        // The school's queue shows what its file said, never the register's record.
        var client = await app.SignInAsync(user);
        var page = await client.GetDocumentAsync("/schools/imports/reviews");
        page.QuerySelector($"[data-review='{review.Id}']")!.TextContent.ShouldContain("Imogen Quartermaine");
        page.DocumentElement.OuterHtml.ShouldNotContain(child.Id.ToString());
    }

    [Fact]
    public async Task Enrolment_ChildTheSchoolCannotSeeWithTheirUpnAndBirthday_Enrolled()
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0];
        var child = await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth, enrolledAt: p.OtherSchool, upn: pupil.Upn);
        (await SeesAsync(user, child.Id)).ShouldBeFalse();

        var summary = (await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([pupil]))).Summary.ShouldNotBeNull();

        summary.PupilsMatched.ShouldBe(1);
        summary.PupilsAwaitingReview.ShouldBe(0);
        (await SeesAsync(user, child.Id)).ShouldBeTrue();
    }

    [Fact]
    public async Task Enrolment_UpnHeldByChildTheSchoolCannotSeeWithAnotherBirthday_HeldForReviewWithoutSayingSo()
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0];
        var child = await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth.AddDays(3), enrolledAt: p.OtherSchool, upn: pupil.Upn);

        var outcome = await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([pupil]), "roll.csv");

        var summary = outcome.Summary.ShouldNotBeNull();
        summary.PupilsAwaitingReview.ShouldBe(1);
        summary.Notes.ShouldNotBeNull().ShouldHaveSingleItem().ShouldStartWith("roll.csv, line 2: the pupil on this line could not be matched");
        string.Join(" ", summary.Notes!).ShouldNotContain("register for");
        (await SeesAsync(user, child.Id)).ShouldBeFalse();
        (await app.AsSystemAsync((db, _) => db.Enrolments.CountAsync(e => e.SchoolId == p.School.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Review_SentToTheInclusionTeamAndConfirmed_ChildEnrolledAndEachDecisionAudited()
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0];
        var child = await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth);
        var summary = (await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([pupil with { Upn = "" }]))).Summary.ShouldNotBeNull();
        summary.PupilsAwaitingReview.ShouldBe(1);
        var reviewId = await app.AsSystemAsync((db, _) => db.Set<PupilMatchReview>().Where(r => r.SchoolId == p.School.Id).Select(r => r.Id).SingleAsync());
        var officer = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.District);
        var stranger = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.OtherDistrict);

        var school = await app.SignInAsync(user);
        var sent = await school.PostFormAsync($"/schools/imports/reviews?handler=Send&id={reviewId}", [], "/schools/imports/reviews");
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await school.GetDocumentAsync("/schools/imports/reviews")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("sent to the inclusion team");
        (await SeesAsync(user, child.Id)).ShouldBeFalse("sending grants nothing");

        var other = await app.SignInAsync(stranger);
        (await other.GetDocumentAsync("/schools/imports/reviews/inclusion")).QuerySelector($"[data-review='{reviewId}']").ShouldBeNull("the child is outside this officer's area");

        var inclusion = await app.SignInAsync(officer);
        var queue = await inclusion.GetDocumentAsync("/schools/imports/reviews/inclusion");
        queue.QuerySelector($"[data-review='{reviewId}']")!.TextContent.ShouldContain($"{child.GivenName} {child.FamilyName}");
        var confirmed = await inclusion.PostFormAsync($"/schools/imports/reviews/inclusion?handler=Confirm&id={reviewId}", [], "/schools/imports/reviews/inclusion");
        confirmed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await inclusion.GetDocumentAsync("/schools/imports/reviews/inclusion")).QuerySelector(".govuk-notification-banner--success")!.TextContent.ShouldContain("confirmed");

        (await SeesAsync(user, child.Id)).ShouldBeTrue("a confirmation enrols");
        var decisions = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.PersonId == child.Id && a.Action == AuditAction.Update && a.Subject.StartsWith("import review"))
            .Select(a => a.UserId).ToListAsync());
        decisions.ShouldBe([user.Id, officer.Id], ignoreOrder: true);
    }

    [Fact]
    public async Task Review_RejectedAfterConfirmationStep_ThenSchoolRegistersANewPupil()
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0];
        var child = await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth);
        await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([pupil with { Upn = "" }]));
        var reviewId = await app.AsSystemAsync((db, _) => db.Set<PupilMatchReview>().Where(r => r.SchoolId == p.School.Id).Select(r => r.Id).SingleAsync());
        var officer = await p.PartnershipUserAsync(p.Hub, PartnershipFunction.InclusionOfficer, p.County);
        var school = await app.SignInAsync(user);
        await school.PostFormAsync($"/schools/imports/reviews?handler=Send&id={reviewId}", [], "/schools/imports/reviews");
        var inclusion = await app.SignInAsync(officer);

        var asked = await inclusion.PostFormAsync($"/schools/imports/reviews/inclusion?handler=Reject&id={reviewId}", [], "/schools/imports/reviews/inclusion");
        asked.StatusCode.ShouldBe(HttpStatusCode.OK);
        Clients.Parse(await asked.Content.ReadAsStringAsync()).QuerySelector(".wp-confirm-reject").ShouldNotBeNull();
        (await app.AsSystemAsync((db, _) => db.Set<PupilMatchReview>().Where(r => r.Id == reviewId).Select(r => r.Status).SingleAsync())).ShouldBe(PupilMatchReviewStatus.WithInclusionTeam);
        var rejected = await inclusion.PostFormAsync($"/schools/imports/reviews/inclusion?handler=Reject&id={reviewId}", new() { ["confirmed"] = "true" }, "/schools/imports/reviews/inclusion");
        rejected.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var registered = await school.PostFormAsync($"/schools/imports/reviews?handler=Register&id={reviewId}", [], "/schools/imports/reviews");
        registered.StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await SeesAsync(user, child.Id)).ShouldBeFalse();
        var newId = await app.AsSystemAsync((db, _) => db.Set<PupilMatchReview>().Where(r => r.Id == reviewId).Select(r => r.EnrolledPersonId).SingleAsync());
        newId.ShouldNotBeNull().ShouldNotBe(child.Id);
        (await SeesAsync(user, newId.Value)).ShouldBeTrue();
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == newId && a.Action == AuditAction.Create && a.UserId == user.Id))).ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == child.Id && a.UserId == officer.Id && a.Subject.Contains("rejected")))).ShouldBe(1);
    }

    [Fact]
    public async Task UniqueKeys_SecondAttendanceRowForTheSamePeriod_RefusedByTheDatabase()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(1);
        await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils));
        await ApplyAsync(user, ImportKind.Attendance, files.AttendanceCsv(pupils));
        var held = await app.AsSystemAsync((db, _) => db.AttendanceRecords.AsNoTracking().SingleAsync(a => a.SchoolId == p.School.Id));

        await Should.ThrowAsync<DbUpdateException>(() => app.AsSystemAsync(async db =>
        {
            db.AttendanceRecords.Add(new AttendanceRecord { PersonId = held.PersonId, SchoolId = held.SchoolId, PeriodStart = held.PeriodStart, PeriodEnd = held.PeriodEnd, SessionsPossible = 2 });
            await db.SaveChangesAsync();
        }));
        await Should.ThrowAsync<DbUpdateException>(() => app.AsSystemAsync(async db =>
        {
            db.Enrolments.Add(new Enrolment { PersonId = held.PersonId, SchoolId = held.SchoolId, StartDate = pupils[0].EnrolledOn });
            await db.SaveChangesAsync();
        }));
    }

    [Fact]
    public async Task SameAttendanceFileAtOnce_WorkerAndCommandLine_RowsAddedOnce()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(999);
        (await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils))).Applied.ShouldBeTrue();
        var csv = new StringBuilder("UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes\n");
        const int weeks = 17; // 16,983 rows
        for (var w = 0; w < weeks; w++)
        {
            var monday = new DateOnly(2024, 9, 2).AddDays(7 * w);
            foreach (var x in pupils)
                csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{x.Upn},{x.Surname},{x.Forename},{x.DateOfBirth:yyyy-MM-dd},{p.School.Urn},{monday:yyyy-MM-dd},{monday.AddDays(4):yyyy-MM-dd},10,8,1,1,\n");
        }
        var path = Path.Combine(Path.GetTempPath(), $"attendance-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, csv.ToString());
        // The command line is another process: another host on the same database, with locks of its own.
        await using var commandLine = ((WebApplicationFactory<Program>)app).WithWebHostBuilder(_ => { });
        _ = commandLine.Services;
        try
        {
            var jobId = await app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportJobs>()
                .QueueAsync(ImportKind.Attendance, "attendance.csv", Encoding.UTF8.GetBytes(csv.ToString()), CancellationToken.None));
            var cli = Task.Run(async () =>
            {
                await using var scope = commandLine.Services.GetRequiredService<IServiceScopeFactory>().CreateSystemScope("the test runs the import command");
                var output = new StringWriter();
                var errors = new StringWriter();
                var code = await Waypoint.Shell.WaypointCommands.ImportAsync(scope.ServiceProvider, ["--school", p.School.Urn!, "--kind", "attendance", path], output, errors, CancellationToken.None);
                return (code, output.ToString(), errors.ToString());
            });
            var job = await FinishedAsync(jobId, TimeSpan.FromMinutes(5), commandLine.Services);
            var (exit, printed, problems) = await cli;

            exit.ShouldBe(0, problems);
            job.Status.ShouldBe(ImportStatus.Succeeded, job.ProblemsJson);
            var worker = JsonSerializer.Deserialize<ImportSummary>(job.SummaryJson!, new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
            var rows = pupils.Count * weeks;
            var cliAdded = printed.Contains($"Attendance periods: {rows:N0} added", StringComparison.Ordinal);
            var cliNothing = printed.Contains($"Attendance periods: 0 added, 0 changed, {rows:N0} unchanged", StringComparison.Ordinal);
            (cliAdded ^ cliNothing).ShouldBeTrue(printed);
            worker.Added.ShouldBe(cliAdded ? 0 : rows, "the second of the two adds nothing");
            (await app.AsSystemAsync((db, _) => db.AttendanceRecords.CountAsync(a => a.SchoolId == p.School.Id))).ShouldBe(rows);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Ctf_Nested200000Deep_RejectedInWellUnderASecondNamingFileAndLine()
    {
        var (_, user, _) = await SchoolAsync();
        const int depth = 200_000;
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CTfile>\n", depth * 7 + 100);
        for (var i = 0; i < depth; i++)
            xml.Append("<a>");
        for (var i = 0; i < depth; i++)
            xml.Append("</a>");
        xml.Append("\n</CTfile>\n");

        var clock = Stopwatch.StartNew();
        var outcome = await ApplyAsync(user, ImportKind.CommonTransferFile, xml.ToString(), "deep.xml");
        clock.Stop();

        outcome.Applied.ShouldBeFalse();
        outcome.Problems.ShouldHaveSingleItem().ToString().ShouldStartWith("deep.xml, line 3: The file's elements are nested more than 64 deep");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void Ctf_ReadingPastTheTimeLimit_RejectedNamingTheFile()
    {
        var ctf = new ImportFileGenerator(5).Ctf(new ImportFileGenerator(5).Pupils(3));

        var parsed = CommonTransferFile.Parse(new MemoryStream(Encoding.UTF8.GetBytes(ctf)), "slow.xml", CtfLimits.Default with { TimeLimit = TimeSpan.Zero });

        parsed.IsAcceptable.ShouldBeFalse();
        parsed.Problems.ShouldHaveSingleItem().ToString().ShouldStartWith("slow.xml, line 1: The file took longer than 0 seconds to read");
    }

    private Task<ImportJob> FinishedAsync(Guid id, TimeSpan? wait = null, params IServiceProvider[] otherHosts) =>
        app.ImportFinishedAsync(id, wait, otherHosts);
}

public sealed class ImportSafetyTestsOnSqlite(SqliteApp app) : ImportSafetyTests(app), IClassFixture<SqliteApp>;

public sealed class ImportSafetyTestsOnPostgres(PostgresApp app) : ImportSafetyTests(app), IClassFixture<PostgresApp>;
