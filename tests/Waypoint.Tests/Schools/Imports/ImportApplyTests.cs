using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Schools.Imports;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Schools.Imports;

/// <summary>Files applied to the database: matching, all or nothing, idempotence, and the three ways in (page, API, command line).</summary>
public abstract class ImportApplyTests(WaypointApp app)
{
    private static int nextSchool = 1000 + Environment.ProcessId % 500 * 10;

    /// <summary>A partnership whose school has its own URN and DfE number, and a generator of files for it with UPNs no other test uses.</summary>
    private async Task<(TestPartnership P, TestUser User, ImportFileGenerator Files)> SchoolAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var n = Interlocked.Increment(ref nextSchool);
        var urn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.School.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, urn).SetProperty(o => o.DfeNumber, $"926{n % 10000:0000}")));
        p.School.Urn = urn;
        p.School.DfeNumber = $"926{n % 10000:0000}";
        var user = await p.UserAsync(p.School);
        return (p, user, new ImportFileGenerator(n, 926, n % 10000, urn));
    }

    private Task<ImportOutcome> ApplyAsync(TestUser user, ImportKind kind, string content, string fileName = "file.csv") =>
        app.AsUserAsync(user, (_, services) => services.GetRequiredService<ImportApplier>()
            .ApplyAsync(kind, new MemoryStream(Encoding.UTF8.GetBytes(content)), fileName, user.OrganisationId, null, CancellationToken.None));

    private static ImportSummary Applied(ImportOutcome outcome)
    {
        outcome.Problems.ShouldBeEmpty();
        return outcome.Summary.ShouldNotBeNull();
    }

    private Task<int> CountAsync<T>(Guid schoolId) where T : class, ISchoolRecord =>
        app.AsSystemAsync((db, _) => db.Set<T>().CountAsync(r => r.SchoolId == schoolId));

    [Fact]
    public async Task Enrolments_NewPupils_RegisteredAndOnTheRollWithTheirUpn()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(5);

        var summary = Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils)));

        summary.PupilsAdded.ShouldBe(5);
        summary.PupilsMatched.ShouldBe(0);
        summary.Records.ShouldHaveSingleItem().ShouldBe(new RecordCounts("Enrolments", 5, 0, 0));
        var visible = await app.AsUserAsync(user, (db, _) => db.People.Where(x => x.Identifiers.Any(i => i.Value == pupils[0].Upn)).ToListAsync());
        visible.ShouldHaveSingleItem().FamilyName.ShouldBe(pupils[0].Surname);
        var audited = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.PersonId == visible[0].Id && a.Action == AuditAction.Create && a.UserId == user.Id));
        audited.ShouldBe(1);
    }

    [Fact]
    public async Task TwoSchoolsAddTheSameNewPupilsAtOnce_EachPupilRegisteredOnce()
    {
        var (p, user, files) = await SchoolAsync();
        var n = Interlocked.Increment(ref nextSchool);
        var otherUrn = (100000 + n * 7 % 899999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        await app.AsSystemAsync(db => db.Organisations.Where(o => o.Id == p.OtherSchool.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Urn, otherUrn)));
        var otherUser = await p.UserAsync(p.OtherSchool);
        var pupils = files.Pupils(60);
        var dual = new ImportFileGenerator(n, 926, n % 10000, otherUrn);

        // Dual registration sent by both schools at the same moment: both files find the pupils missing unless they take turns.
        var outcomes = await Task.WhenAll(
            ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils)),
            ApplyAsync(otherUser, ImportKind.Enrolments, dual.EnrolmentsCsv(pupils)));

        outcomes.ShouldAllBe(o => o.Applied);
        outcomes.Sum(o => o.Summary!.PupilsAdded).ShouldBe(60);
        outcomes.Sum(o => o.Summary!.PupilsMatched).ShouldBe(60);
        var upns = pupils.Select(x => x.Upn).ToList();
        (await app.AsSystemAsync((db, _) => db.PersonIdentifiers.CountAsync(i => i.Scheme == IdentifierScheme.Upn && upns.Contains(i.Value)))).ShouldBe(60);
        (await app.AsSystemAsync((db, _) => db.Enrolments.CountAsync(e => e.SchoolId == p.OtherSchool.Id))).ShouldBe(60);
    }

    [Fact]
    public async Task Worker_ASchoolsFilesInTheOrderSent_LaterFileWaitsForTheEarlierOne()
    {
        var (p, user, files) = await SchoolAsync();
        var now = DateTimeOffset.UtcNow;
        var running = new ImportJob { SenderOrganisationId = p.School.Id, UploadedByUserId = user.Id, FileName = "roll.csv", Kind = ImportKind.Enrolments, Status = ImportStatus.Running, QueuedAt = now.AddSeconds(-2), HeldUntil = now.AddMinutes(5) };
        var waiting = new ImportJob { SenderOrganisationId = p.School.Id, UploadedByUserId = user.Id, FileName = "attendance.csv", Kind = ImportKind.Attendance, Status = ImportStatus.Queued, QueuedAt = now.AddSeconds(-1), Content = Encoding.UTF8.GetBytes(files.AttendanceCsv(files.Pupils(1))) };
        await app.AsSystemAsync(async db => { db.ImportJobs.AddRange(running, waiting); await db.SaveChangesAsync(); });
        try
        {
            var worker = app.Services.GetRequiredService<ImportWorker>();
            while (await worker.RunNextAsync(CancellationToken.None))
            {
                // Other tests' jobs may be taken meanwhile; this school's waiting file must not be.
            }
            (await app.AsSystemAsync((db, _) => db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == waiting.Id))).Status.ShouldBe(ImportStatus.Queued);
        }
        finally
        {
            await app.AsSystemAsync(db => db.ImportJobs.Where(j => j.Id == running.Id || j.Id == waiting.Id).ExecuteDeleteAsync());
        }
    }

    [Fact]
    public async Task LargeFile_EveryPupilAuditedAndTheChainIntact()
    {
        var (_, user, files) = await SchoolAsync();
        var pupils = files.Pupils(300);

        Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils)));

        var upns = pupils.Select(x => x.Upn).ToList();
        var created = await app.AsSystemAsync((db, _) => db.AuditEntries.CountAsync(a => a.UserId == user.Id && a.Action == AuditAction.Create
            && db.PersonIdentifiers.Any(i => i.PersonId == a.PersonId && upns.Contains(i.Value))));
        created.ShouldBe(300);
        var chain = await app.AsSystemAsync((db, _) => AuditChainVerifier.VerifyAsync(db, CancellationToken.None));
        chain.IsIntact.ShouldBeTrue(chain.Problem);
    }

    [Fact]
    public async Task HeaderOnlyFile_AppliedWithNothingToDo()
    {
        var (_, user, files) = await SchoolAsync();

        var summary = Applied(await ApplyAsync(user, ImportKind.Suspensions, files.SuspensionsCsv([])));

        summary.Rows.ShouldBe(0);
        summary.Added.ShouldBe(0);
    }

    [Fact]
    public async Task SameFilesTwice_SecondTimeChangesNothing()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(12);
        string[] texts = [files.EnrolmentsCsv(pupils), files.AttendanceCsv(pupils), files.SuspensionsCsv(pupils), files.BehaviourCsv(pupils)];
        ImportKind[] kinds = [ImportKind.Enrolments, ImportKind.Attendance, ImportKind.Suspensions, ImportKind.Behaviour];
        for (var i = 0; i < kinds.Length; i++)
            Applied(await ApplyAsync(user, kinds[i], texts[i]));
        var before = (await CountAsync<AttendanceRecord>(p.School.Id), await CountAsync<Suspension>(p.School.Id), await CountAsync<BehaviourIncident>(p.School.Id));

        for (var i = 0; i < kinds.Length; i++)
        {
            var again = Applied(await ApplyAsync(user, kinds[i], texts[i]));
            again.Added.ShouldBe(0, kinds[i].ToString());
            again.Changed.ShouldBe(0, kinds[i].ToString());
            again.PupilsAdded.ShouldBe(0);
        }

        (await CountAsync<AttendanceRecord>(p.School.Id), await CountAsync<Suspension>(p.School.Id), await CountAsync<BehaviourIncident>(p.School.Id)).ShouldBe(before);
        before.Item1.ShouldBe(12);
    }

    [Fact]
    public async Task ChangedAndOmittedRows_ChangedCountedAndNothingDeleted()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(4);
        Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils)));
        Applied(await ApplyAsync(user, ImportKind.Attendance, files.AttendanceCsv(pupils)));
        var first = pupils[0];
        var corrected = first with { Autumn = first.Autumn with { Present = first.Autumn.Present - 2, Unauthorised = first.Autumn.Unauthorised + 2, Codes = [] } };

        var summary = Applied(await ApplyAsync(user, ImportKind.Attendance, files.AttendanceCsv([corrected])));

        summary.Records.ShouldHaveSingleItem().ShouldBe(new RecordCounts("Attendance periods", 0, 1, 0));
        (await CountAsync<AttendanceRecord>(p.School.Id)).ShouldBe(4, "the three pupils the file left out keep their records");
        var stored = await app.AsSystemAsync((db, _) => db.AttendanceRecords.SingleAsync(a => a.SchoolId == p.School.Id && a.Person!.Identifiers.Any(i => i.Value == first.Upn)));
        stored.UnauthorisedAbsence.ShouldBe(first.Autumn.Unauthorised + 2);
        stored.CodeCounts.Count.ShouldBe(first.Autumn.Codes.Count, "a file without codes leaves the codes held");
    }

    [Fact]
    public async Task RowWithoutUpn_MatchedByNameAndDateOfBirth_AndItsUpnAdded()
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0];
        var person = await p.YoungPersonAsync(pupil.Forename.ToUpperInvariant(), pupil.Surname, pupil.DateOfBirth, enrolledAt: p.School);

        var noUpn = files.AttendanceCsv([pupil]).Replace(pupil.Upn, "");
        var summary = Applied(await ApplyAsync(user, ImportKind.Attendance, noUpn));
        summary.PupilsMatched.ShouldBe(1);
        summary.PupilsAdded.ShouldBe(0);

        Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([pupil])));
        var upns = await app.AsSystemAsync((db, _) => db.PersonIdentifiers.Where(i => i.PersonId == person.Id && i.Scheme == IdentifierScheme.Upn).Select(i => i.Value).ToListAsync());
        upns.ShouldBe([pupil.Upn]);
        (await app.AsSystemAsync((db, _) => db.People.CountAsync(x => x.DateOfBirth == pupil.DateOfBirth && x.FamilyName == pupil.Surname))).ShouldBe(1);
    }

    [Theory]
    [InlineData("double-barrelled", "a family name with another sound-alike key but the same first letters")]
    [InlineData("swapped", "the names the other way round")]
    [InlineData("variant", "a given name spelt another way")]
    public async Task NewUpn_ChildTheSchoolCannotSeeFoundByTheDuplicateRules_HeldForReviewNotEnrolled(string variant, string because)
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0] with { Forename = "Kathryn", Surname = "Smith" };
        // Registered by another agency, with no UPN: a name and birthday alone must neither add a second child nor grant the school access.
        var person = await p.YoungPersonAsync("Kathryn", "Smith", pupil.DateOfBirth);
        var row = variant switch
        {
            "double-barrelled" => pupil with { Surname = "Smith-Jones" },
            "swapped" => pupil with { Forename = "Smith", Surname = "Kathryn" },
            _ => pupil with { Forename = "Catherine" },
        };

        var summary = Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([row])));

        summary.PupilsAdded.ShouldBe(0, because);
        summary.PupilsMatched.ShouldBe(0, because);
        summary.PupilsAwaitingReview.ShouldBe(1, because);
        (await app.AsUserAsync(user, (db, _) => db.People.AnyAsync(x => x.Id == person.Id))).ShouldBeFalse(because);
        var upns = await app.AsSystemAsync((db, _) => db.PersonIdentifiers.Where(i => i.PersonId == person.Id && i.Scheme == IdentifierScheme.Upn).Select(i => i.Value).ToListAsync());
        upns.ShouldBeEmpty(because);
    }

    [Fact]
    public async Task TwoPupilsWithTheSameNameAndBirthday_RowWithoutUpnRejectedAsAmbiguous()
    {
        var (p, user, files) = await SchoolAsync();
        var pupil = files.Pupils(1)[0];
        await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth, enrolledAt: p.School);
        await p.YoungPersonAsync(pupil.Forename, pupil.Surname, pupil.DateOfBirth, enrolledAt: p.School);

        var outcome = await ApplyAsync(user, ImportKind.Attendance, files.AttendanceCsv([pupil]).Replace(pupil.Upn, ""), "autumn.csv");

        outcome.Applied.ShouldBeFalse();
        outcome.Problems.ShouldHaveSingleItem().ToString().ShouldBe(
            "autumn.csv, line 2, Surname: More than one pupil on your school's roll has this name and date of birth. Give the pupil's UPN so that the right one is found.");
        (await CountAsync<AttendanceRecord>(p.School.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task OneBadRowAtTheEnd_WholeFileRejectedAndNothingApplied()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(80);
        var suspended = pupils.Where(x => x.Suspensions.Count > 0).ToList();
        suspended.Count.ShouldBeGreaterThan(1);
        Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv(pupils.Take(pupils.Count - 1).ToList())));
        // The last pupil is not on the roll: their rows come last in the file.
        var last = pupils[^1] with { Suspensions = suspended[0].Suspensions };
        var text = files.SuspensionsCsv([.. suspended.Where(x => x != pupils[^1]), last]);

        var outcome = await ApplyAsync(user, ImportKind.Suspensions, text, "suspensions.csv");

        outcome.Applied.ShouldBeFalse();
        outcome.Problems.ShouldAllBe(x => x.Message.StartsWith("No pupil on this school's roll", StringComparison.Ordinal));
        outcome.Problems.Count.ShouldBe(1);
        (await CountAsync<Suspension>(p.School.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task RowForAnotherSchool_Rejected()
    {
        var (p, user, files) = await SchoolAsync();
        var other = new ImportFileGenerator(7, 926, 4001, "999999");

        var outcome = await ApplyAsync(user, ImportKind.Enrolments, other.EnrolmentsCsv(other.Pupils(2)), "roll.csv");

        outcome.Applied.ShouldBeFalse();
        outcome.Problems.Count.ShouldBe(2);
        outcome.Problems[0].ToString().ShouldStartWith("roll.csv, line 2, SchoolURN: This row is for the school with URN 999999");
        (await app.AsSystemAsync((db, _) => db.Enrolments.CountAsync(e => e.SchoolId == p.School.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task CommonTransferFile_PupilsJoinTheRollWithSenAndAttendance()
    {
        var (p, user, files) = await SchoolAsync();
        var pupils = files.Pupils(3);
        var ctf = files.Ctf(pupils);

        var outcome = await ApplyAsync(user, ImportKind.CommonTransferFile, CtfTo(ctf, p.School.DfeNumber!), "transfer.xml");

        var summary = Applied(outcome);
        summary.PupilsAdded.ShouldBe(3);
        summary.Records.First(r => r.Records == "Enrolments").Added.ShouldBe(3);
        var sen = await app.AsSystemAsync((db, _) => db.PupilCharacteristics.Where(c => c.SchoolId == p.School.Id).Select(c => c.SenProvision).ToListAsync());
        sen.Order().ShouldBe(pupils.Select(x => (string?)x.SenProvision).Order());
        Applied(await ApplyAsync(user, ImportKind.CommonTransferFile, CtfTo(ctf, p.School.DfeNumber!), "transfer.xml")).Added.ShouldBe(0);
    }

    /// <summary>The generated CTF names a destination; this one re-addresses it.</summary>
    private static string CtfTo(string ctf, string dfeNumber)
    {
        var start = ctf.IndexOf("<DestSchool>", StringComparison.Ordinal);
        var end = ctf.IndexOf("</DestSchool>", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0);
        var dest = ctf[start..end];
        var replaced = System.Text.RegularExpressions.Regex.Replace(dest, "<LEA>[^<]*</LEA>", $"<LEA>{dfeNumber[..3]}</LEA>");
        replaced = System.Text.RegularExpressions.Regex.Replace(replaced, "<Estab>[^<]*</Estab>", $"<Estab>{dfeNumber[3..]}</Estab>");
        replaced = System.Text.RegularExpressions.Regex.Replace(replaced, "<URN>[^<]*</URN>", "");
        return ctf[..start] + replaced + ctf[end..];
    }

    [Fact]
    public async Task UploadPage_FileAppliedInTheBackground_SummaryForTheSenderOnly()
    {
        var (p, user, files) = await SchoolAsync();
        var client = await app.SignInAsync(user);
        var form = await client.GetDocumentAsync("/schools/imports/new");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(Clients.AntiforgeryToken(form.DocumentElement.OuterHtml)!), "__RequestVerificationToken" },
            { new StringContent("Enrolments"), "Kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(files.EnrolmentsCsv(files.Pupils(3)))), "Upload", "roll.csv" },
        };

        var posted = await client.PostAsync("/schools/imports/new", content);

        posted.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var jobPath = posted.LocationPath();
        jobPath.ShouldStartWith("/schools/imports/");
        var job = await FinishedAsync(Guid.Parse(jobPath.Split('/')[^1]));
        job.Status.ShouldBe(ImportStatus.Succeeded);
        job.Content.ShouldBeNull("the file is not kept once applied");
        var page = await client.GetDocumentAsync(jobPath);
        page.QuerySelector(".govuk-panel__body")!.TextContent.ShouldContain("3 records added");

        (await app.AsSystemAsync((db, _) => db.Notifications.CountAsync(n => n.UserId == user.Id && n.Link == jobPath))).ShouldBe(1);

        var otherSchool = await app.SignInAsync(await p.UserAsync(p.OtherSchool));
        (await otherSchool.GetAsync(jobPath)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var police = await app.SignInAsync(await p.UserAsync(p.Police));
        (await police.GetAsync("/schools/imports/new")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UploadPage_NoKindNoFile_ErrorsNamed()
    {
        var (_, user, _) = await SchoolAsync();
        var client = await app.SignInAsync(user);

        var response = await client.PostFormAsync("/schools/imports/new", [], "/schools/imports/new");

        var page = Clients.Parse(await response.Content.ReadAsStringAsync());
        page.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent).ShouldBe(["Select what kind of file this is", "Choose a file to import"]);
    }

    [Fact]
    public async Task Api_QueueThenFollow_AndBadKindRefused()
    {
        var (p, user, files) = await SchoolAsync();
        var api = await app.ApiClientAsync(user);
        using var content = new MultipartFormDataContent
        {
            { new StringContent("attendance"), "kind" },
            { new ByteArrayContent(Encoding.UTF8.GetBytes(files.AttendanceCsv(files.Pupils(2)))), "file", "autumn.csv" },
        };

        var queued = await api.PostAsync("/api/v1/imports", content);

        queued.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var location = queued.Headers.Location!.OriginalString;
        await FinishedAsync(Guid.Parse(location.Split('/')[^1]));
        var job = await api.GetFromJsonAsync<JsonElement>(location);
        job.GetProperty("status").GetString().ShouldBe("Rejected", "the pupils are not on the roll yet");
        job.GetProperty("problems")[0].GetString()!.ShouldContain("autumn.csv, line 2, UPN: No pupil on this school's roll");

        using var bad = new MultipartFormDataContent { { new StringContent("timetable"), "kind" } };
        var refused = await api.PostAsync("/api/v1/imports", bad);
        refused.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        problem.GetProperty("errors").GetProperty("kind")[0].GetString()!.ShouldStartWith("kind must be one of");
        problem.GetProperty("errors").GetProperty("file")[0].GetString().ShouldBe("Choose a file to import");

        var otherApi = await app.ApiClientAsync(await p.UserAsync(p.OtherSchool));
        (await otherApi.GetAsync(location)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CommandLine_AppliesOrRejectsWithExitCode()
    {
        var (p, _, files) = await SchoolAsync();
        var pupils = files.Pupils(2);
        var path = Path.Combine(Path.GetTempPath(), $"roll-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, files.EnrolmentsCsv(pupils));
        try
        {
            var (code, output, errors) = await RunImportAsync("--school", p.School.Urn!, "--kind", "enrolments", path);
            code.ShouldBe(0, errors);
            output.ShouldContain("2 rows, 0 pupils matched, 2 added to the register");
            output.ShouldContain("Enrolments: 2 added, 0 changed, 0 unchanged");

            await File.WriteAllTextAsync(path, files.EnrolmentsCsv(pupils).Replace(pupils[1].DateOfBirth.ToString("yyyy-MM-dd"), "2011-02-30"));
            (code, output, errors) = await RunImportAsync("--school", p.School.Urn!, "--kind", "enrolments", path);
            code.ShouldBe(2);
            errors.ShouldContain("was not imported: nothing was changed");
            errors.ShouldContain(", line 3, column DateOfBirth:");

            (code, _, errors) = await RunImportAsync("--kind", "enrolments", path);
            code.ShouldBe(1);
            errors.ShouldStartWith("Usage: import --school <URN>");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string AttendanceRow(GeneratedPupil x, string urn, string from, string to, int possible, int present) =>
        $"{x.Upn},{x.Surname},{x.Forename},{x.DateOfBirth:yyyy-MM-dd},{urn},{from},{to},{possible},{present},{possible - present},0,";

    private const string AttendanceHeader = "UPN,Surname,Forename,DateOfBirth,SchoolURN,PeriodStart,PeriodEnd,SessionsPossible,SessionsPresent,AuthorisedAbsence,UnauthorisedAbsence,AttendanceCodes";

    [Fact]
    public async Task Attendance_PeriodsOfOnePupilOverlapInTheFile_RefusedNamingBothPeriods_NothingApplied()
    {
        var (p, user, files) = await SchoolAsync();
        var x = files.Pupils(1)[0];
        Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([x])));
        var urn = p.School.Urn!;

        var outcome = await ApplyAsync(user, ImportKind.Attendance, string.Join("\n", AttendanceHeader,
            AttendanceRow(x, urn, "2026-09-03", "2026-10-23", 70, 60),
            AttendanceRow(x, urn, "2026-10-19", "2026-12-18", 80, 70)) + "\n", "attendance.csv");

        outcome.Applied.ShouldBeFalse();
        outcome.Problems.ShouldHaveSingleItem().ToString().ShouldBe(
            "attendance.csv, line 3, column PeriodStart: This pupil's period 19 October 2026 to 18 December 2026 overlaps their period 3 September 2026 to 23 October 2026 on line 2: " +
            "the sessions of the days in both would be counted twice. Give each pupil periods that do not overlap");
        (await CountAsync<AttendanceRecord>(p.School.Id)).ShouldBe(0);
    }

    [Fact]
    public async Task Attendance_PeriodOverlapsOneHeld_RefusedWithTheHeldDates_TheSamePeriodStillReplaces()
    {
        var (p, user, files) = await SchoolAsync();
        var x = files.Pupils(1)[0];
        Applied(await ApplyAsync(user, ImportKind.Enrolments, files.EnrolmentsCsv([x])));
        var urn = p.School.Urn!;
        Applied(await ApplyAsync(user, ImportKind.Attendance, $"{AttendanceHeader}\n{AttendanceRow(x, urn, "2026-09-03", "2026-12-18", 140, 120)}\n"));

        var overlapping = await ApplyAsync(user, ImportKind.Attendance, $"{AttendanceHeader}\n{AttendanceRow(x, urn, "2026-11-02", "2026-11-27", 40, 30)}\n", "november.csv");

        overlapping.Applied.ShouldBeFalse();
        overlapping.Problems.ShouldHaveSingleItem().Message.ShouldStartWith(
            "This pupil's period 2 November 2026 to 27 November 2026 overlaps the period 3 September 2026 to 18 December 2026 already held for them at this school");
        var replaced = Applied(await ApplyAsync(user, ImportKind.Attendance, $"{AttendanceHeader}\n{AttendanceRow(x, urn, "2026-09-03", "2026-12-18", 140, 110)}\n"));
        replaced.Changed.ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.AttendanceRecords.Where(a => a.SchoolId == p.School.Id).Select(a => a.SessionsPresent).ToListAsync()))
            .ShouldHaveSingleItem().ShouldBe(110);
    }

    [Fact]
    public async Task Suspensions_CodeGivenBeforeItJoinedTheList_AppliedWithOneWarningForTheFile()
    {
        var (p, user, files) = await SchoolAsync();
        var x = files.Pupils(1)[0];
        Applied(await ApplyAsync(user, ImportKind.Enrolments,
            $"UPN,Surname,Forename,DateOfBirth,SchoolURN,StartDate\n{x.Upn},{x.Surname},{x.Forename},{x.DateOfBirth:yyyy-MM-dd},{p.School.Urn},2022-09-05\n"));
        var header = "UPN,Surname,Forename,DateOfBirth,SchoolURN,Category,StartDate,Sessions,Reason1,Reason2,Reason3,Outcome,AlternativeProvision,MissesPublicExam";
        string Row(string date, string reason) => $"{x.Upn},{x.Surname},{x.Forename},{x.DateOfBirth:yyyy-MM-dd},{p.School.Urn},FIXD,{date},2,{reason},,,,N,N";

        var summary = Applied(await ApplyAsync(user, ImportKind.Suspensions,
            string.Join("\n", header, Row("2023-03-06", "LD"), Row("2023-05-08", "LD"), Row("2024-10-07", "LD")) + "\n", "history.csv"));

        summary.Added.ShouldBe(3);
        (summary.Notes ?? []).Where(n => n.Contains("joined the DfE list", StringComparison.Ordinal)).ShouldHaveSingleItem().ShouldStartWith(
            "history.csv, line 2, column Reason1: The reason LD (Persistent disruptive behaviour: low-level disruption) joined the DfE list on 1 September 2024, " +
            "but is given to a suspension that started on 6 March 2023");
    }

    private async Task<(int Code, string Output, string Errors)> RunImportAsync(params string[] args)
    {
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Waypoint.Access.ReaderContext>().Current = Waypoint.Access.Reader.System;
        var output = new StringWriter();
        var errors = new StringWriter();
        var code = await Waypoint.Shell.WaypointCommands.ImportAsync(scope.ServiceProvider, args, output, errors, CancellationToken.None);
        return (code, output.ToString(), errors.ToString());
    }

    /// <summary>The job once the background worker has recorded its outcome (woken when the job is queued; its signal, not polling).</summary>
    private Task<ImportJob> FinishedAsync(Guid id) => app.ImportFinishedAsync(id);
}

public sealed class ImportApplyTestsOnSqlite(SqliteApp app) : ImportApplyTests(app), IClassFixture<SqliteApp>;

public sealed class ImportApplyTestsOnPostgres(PostgresApp app) : ImportApplyTests(app), IClassFixture<PostgresApp>;
