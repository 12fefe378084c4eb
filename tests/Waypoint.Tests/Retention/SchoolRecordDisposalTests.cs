using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Retention;

/// <summary>
/// Disposal of school records (issue 16, item 1): a pupil's records from one school, due from the
/// later of leaving it and the schedule's event, queued with what they are and why, extended or
/// disposed of with every copy, the evidence rollups and the statistics built from them unchanged;
/// and subject-access copies kept under the schedule like the rest.
/// </summary>
public abstract class SchoolRecordDisposalTests(WaypointApp app)
{
    private static string Marker() => "mk" + Guid.NewGuid().ToString("N")[..20];
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly DateTimeOffset LongAgo = new(2010, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private async Task<HttpClient> DpoAsync(TestPartnership p) => await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

    private async Task FindAsync(HttpClient dpo) =>
        (await dpo.PostFormAsync("/retention?handler=Find", [], "/retention")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

    private Task<RetentionReview?> SchoolReviewAsync(Guid personId, Guid schoolId) =>
        app.AsSystemAsync((db, _) =>
            (from r in db.RetentionReviews.AsNoTracking()
             join u in db.Set<SchoolRecordUnit>() on r.RecordId equals u.Id
             where r.RecordType == RetentionRecordType.SchoolRecord && u.PersonId == personId && u.SchoolId == schoolId
             select r).FirstOrDefaultAsync());

    /// <summary>A pupil (born 1995, so 25 in 2020) who left <paramref name="school"/> in July 2011, with every kind of school record there, each text carrying the marker.</summary>
    private async Task<Person> FormerPupilAsync(TestPartnership p, string marker, Organisation school, Organisation? alsoAt = null)
    {
        var child = await p.YoungPersonAsync("Rowan", $"Leaver{marker[..4]}", new DateOnly(1995, 5, 1));
        var worker = await p.UserAsync(school);
        await app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.Add(new PersonIdentifier { PersonId = child.Id, Scheme = IdentifierScheme.LocalId, Value = $"ADM-{marker}", OwnerOrganisationId = school.Id, CategoryCode = RecordCategories.Education });
            db.Enrolments.Add(new Enrolment { PersonId = child.Id, SchoolId = school.Id, StartDate = new DateOnly(2006, 9, 1), EndDate = new DateOnly(2011, 7, 20), YearGroup = 11, LeavingReason = $"Left {marker}" });
            var attendance = new AttendanceRecord
            {
                PersonId = child.Id,
                SchoolId = school.Id,
                PeriodStart = new DateOnly(2008, 9, 1),
                PeriodEnd = new DateOnly(2009, 7, 20),
                SessionsPossible = 380,
                SessionsPresent = 300,
                AuthorisedAbsence = 40,
                UnauthorisedAbsence = 40,
                RecordedAt = LongAgo,
            };
            attendance.CodeCounts.Add(new AttendanceCodeCount { Code = "O", Sessions = 40 });
            db.AttendanceRecords.Add(attendance);
            db.Suspensions.Add(new Suspension { PersonId = child.Id, SchoolId = school.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 1, 12), Sessions = 4, ReasonCode1 = "PA", RecordedAt = LongAgo });
            db.Suspensions.Add(new Suspension { PersonId = child.Id, SchoolId = school.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 3, 2), Sessions = 2, ReasonCode1 = "VA", RecordedAt = LongAgo });
            var incident = new BehaviourIncident { PersonId = child.Id, SchoolId = school.Id, OccurredOn = new DateOnly(2009, 1, 10), Category = BehaviourCategory.PhysicalAggression, Severity = 4, Description = $"Fight at lunch {marker}", RecordedAt = LongAgo };
            db.BehaviourIncidents.Add(incident);
            db.RecordChallenges.Add(new RecordChallenge
            {
                PersonId = child.Id,
                Kind = ChallengeKind.Accuracy,
                RecordKind = ChallengedRecord.BehaviourIncident,
                RecordId = incident.Id,
                OwnerOrganisationId = school.Id,
                RaisedBy = $"Mother {marker}",
                Statement = $"He was defending himself {marker}",
                RaisedOn = new DateOnly(2009, 2, 1),
                RecordedAt = LongAgo,
            });
            db.PartTimeTimetables.Add(new PartTimeTimetable { PersonId = child.Id, SchoolId = school.Id, StartDate = new DateOnly(2009, 4, 1), EndDate = new DateOnly(2009, 5, 1), SessionsPerWeek = 6, Reason = $"Reintegration {marker}", RecordedAt = LongAgo });
            db.TopTenNominations.Add(new TopTenNomination { PersonId = child.Id, SchoolId = school.Id, Rank = 3, Reason = $"Escalating {marker}", NominatedAt = LongAgo, NominatedByUserId = worker.Id });
            var alert = new Alert
            {
                PersonId = child.Id,
                SchoolId = school.Id,
                Rule = default,
                TriggerKey = $"test:{marker}",
                TriggeredOn = new DateOnly(2009, 3, 2),
                Figures = $"2 suspensions {marker}",
                Status = AlertStatus.Closed,
                RaisedAt = LongAgo,
                ClosedAt = LongAgo.AddDays(10),
            };
            alert.Events.Add(new AlertEvent { Kind = AlertEventKind.NoteAdded, At = LongAgo, UserId = worker.Id, Note = $"Phoned home {marker}" });
            db.Alerts.Add(alert);
            db.Notifications.Add(new Notification { UserId = worker.Id, Kind = "alert", Subject = $"Alert {marker}", Body = $"Body {marker}", Link = $"/alerts/{alert.Id}", CreatedAt = LongAgo });
            if (alsoAt is not null)
            {
                db.Enrolments.Add(new Enrolment { PersonId = child.Id, SchoolId = alsoAt.Id, StartDate = new DateOnly(2011, 9, 1), EndDate = new DateOnly(2013, 7, 20), YearGroup = 12 });
                db.Suspensions.Add(new Suspension { PersonId = child.Id, SchoolId = alsoAt.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2012, 1, 16), Sessions = 2, ReasonCode1 = "DB", RecordedAt = LongAgo });
            }
            await db.SaveChangesAsync();
        });
        return child;
    }

    /// <summary>The rollups as rows of text, and the 2008/09 statistics as they would be published now.</summary>
    private Task<(List<string> Rollups, string Statistics)> CountsAsync() =>
        app.AsSystemAsync(async (db, _) =>
        {
            var rows = new List<string>();
            rows.AddRange((await db.ExclusionDayCounts.AsNoTracking().ToListAsync()).Select(d => $"day {d.SchoolId} {d.Date} {d.Kind} {d.ReasonCode} {d.AcademicYear} {d.Count}"));
            rows.AddRange((await db.ExclusionPupilCounts.AsNoTracking().ToListAsync()).Select(c => $"pupils {c.SchoolId} {c.AcademicYear} {c.Term} {c.PupilsSuspended} {c.PupilsPermanentlyExcluded}"));
            rows.AddRange((await db.CensusHeadcounts.AsNoTracking().ToListAsync()).Select(h => $"census {h.SchoolId} {h.AcademicYear} {h.Headcount}"));
            rows.Sort(StringComparer.Ordinal);
            var tables = await ExclusionStatistics.LoadAsync(db, 2008, new DateOnly(2009, 8, 31), 0, default);
            return (rows, JsonSerializer.Serialize(tables, StatisticsPublishing.Json));
        });

    [Fact]
    public async Task Dispose_PupilsRecordsFromOneSchool_NoTraceLeft_RollupsAndStatisticsUnchanged_OtherSchoolKept()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await FormerPupilAsync(p, marker, p.School, alsoAt: p.OtherSchool);
        // Another pupil suspended at the same school that year: the school-year's counts are shared.
        var classmate = await p.YoungPersonAsync("Kit", "Classmate", new DateOnly(1995, 6, 1));
        await app.AsSystemAsync(async db =>
        {
            db.Enrolments.Add(new Enrolment { PersonId = classmate.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2006, 9, 1), EndDate = new DateOnly(2011, 7, 20) });
            db.Suspensions.Add(new Suspension { PersonId = classmate.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2009, 1, 12), Sessions = 2, ReasonCode1 = "PA", RecordedAt = LongAgo });
            await db.SaveChangesAsync();
        });
        // What the school's import reports quoted about the pupil, and what an old merge kept of the rows it collapsed.
        var other = Marker();
        var uploader = await p.UserAsync(p.School);
        var duplicate = await p.YoungPersonAsync("Rowan", $"Leaver{marker[..4]}", new DateOnly(1995, 5, 1));
        await app.AsSystemAsync(async db =>
        {
            db.ImportJobs.Add(new ImportJob
            {
                SenderOrganisationId = p.School.Id,
                UploadedByUserId = uploader.Id,
                FileName = "cohort.xml",
                Kind = ImportKind.CommonTransferFile,
                Status = ImportStatus.Rejected,
                ProblemsJson = JsonSerializer.Serialize(new[]
                {
                    $"cohort.xml, line 12, pupil 3 (Rowan Leaver, UPN ADM-{marker}), <UPN>: This UPN is also pupil 1's",
                    $"cohort.xml, line 40, pupil 7 (Sam Other, UPN Z{other}), <DOB>: not a date",
                }),
                ProblemCount = 2,
                QueuedAt = LongAgo,
                FinishedAt = LongAgo,
            });
            var merge = new PersonMerge { SurvivorId = child.Id, MergedId = duplicate.Id, MergedAt = LongAgo, MergedByUserId = uploader.Id };
            merge.Steps.Add(new PersonMergeStep
            {
                Sequence = 1,
                Kind = MergeStepKind.Collapsed,
                TableName = "PersonIdentifiers",
                ColumnName = "PersonId",
                RowKey = Guid.NewGuid().ToString(),
                RowJson = JsonSerializer.Serialize(new { Id = Guid.NewGuid(), PersonId = duplicate.Id, Value = $"ADM-{marker}", OwnerOrganisationId = p.School.Id })
            });
            merge.Steps.Add(new PersonMergeStep
            {
                Sequence = 2,
                Kind = MergeStepKind.Collapsed,
                TableName = "Enrolments",
                ColumnName = "PersonId",
                RowKey = Guid.NewGuid().ToString(),
                RowJson = JsonSerializer.Serialize(new { Id = Guid.NewGuid(), PersonId = duplicate.Id, SchoolId = p.School.Id, LeavingReason = $"Left {marker}" })
            });
            merge.Steps.Add(new PersonMergeStep
            {
                Sequence = 3,
                Kind = MergeStepKind.Collapsed,
                TableName = "Enrolments",
                ColumnName = "PersonId",
                RowKey = Guid.NewGuid().ToString(),
                RowJson = JsonSerializer.Serialize(new { Id = Guid.NewGuid(), PersonId = duplicate.Id, SchoolId = p.OtherSchool.Id, LeavingReason = $"Moved on {other}" })
            });
            db.PersonMerges.Add(merge);
            await db.SaveChangesAsync();
        });
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldContain("ImportJobs");
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldContain("PersonMergeSteps");
        var before = await CountsAsync();
        before.Rollups.ShouldContain($"pupils {p.School.Id} 2008 0 2 0", "two pupils suspended at the school in 2008/09");
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBeGreaterThan(5);
        var dpo = await DpoAsync(p);

        await FindAsync(dpo);

        var review = (await SchoolReviewAsync(child.Id, p.School.Id)).ShouldNotBeNull();
        review.OwnerOrganisationId.ShouldBe(p.School.Id);
        review.TriggeredOn.ShouldBe(new DateOnly(2020, 5, 1), "the 25th birthday comes after leaving");
        review.DueOn.ShouldBe(new DateOnly(2021, 5, 1));
        review.Why.ShouldBe("Left the school 20 July 2011; 25th birthday 1 May 2020; kept 1 year from the 25th birthday");
        review.Why.ShouldNotContain("Rowan");
        (await SchoolReviewAsync(child.Id, p.OtherSchool.Id)).ShouldNotBeNull("the records from the next school are a unit of their own");
        var page = await dpo.GetDocumentAsync($"/retention/review?id={review.Id}");
        page.QuerySelector("#holds")!.TextContent.ShouldBe(
            "1 enrolment, 1 attendance period, 2 suspensions or exclusions, 1 behaviour incident, 1 part-time timetable, 1 top-ten nomination, 1 alert, 1 identifier the school gave");
        page.QuerySelector("#record")!.TextContent.ShouldNotContain(marker);

        (await dpo.GetDocumentAsync($"/retention/dispose?id={review.Id}")).QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
        (await RetentionWorld.TablesHoldingAsync(app, other)).ShouldBe(["ImportJobs", "PersonMergeSteps"], ignoreOrder: true, "another pupil's problem and the next school's row stay");
        var problems = await app.AsSystemAsync((db, _) => db.ImportJobs.Where(j => j.SenderOrganisationId == p.School.Id).Select(j => j.ProblemsJson!).SingleAsync());
        JsonSerializer.Deserialize<List<string>>(problems)![0].ShouldBe(Waypoint.Features.Retention.RetentionWork.ProblemRemoved);
        var left = await app.AsSystemAsync(async (db, _) => new[]
        {
            await db.Unfiltered<Enrolment>("test: what disposal left").CountAsync(x => x.PersonId == child.Id && x.SchoolId == p.School.Id),
            await db.Unfiltered<AttendanceRecord>("test: what disposal left").CountAsync(x => x.PersonId == child.Id),
            await db.Unfiltered<Suspension>("test: what disposal left").CountAsync(x => x.PersonId == child.Id && x.SchoolId == p.School.Id),
            await db.Set<SchoolRecordUnit>().CountAsync(x => x.PersonId == child.Id && x.SchoolId == p.School.Id),
        });
        left.ShouldBe([0, 0, 0, 0]);
        (await app.AsSystemAsync((db, _) => db.Unfiltered<Suspension>("test: what disposal left").CountAsync(x => x.PersonId == child.Id && x.SchoolId == p.OtherSchool.Id))).ShouldBe(1, "the other school's records stay");
        (await app.AsSystemAsync((db, _) => db.People.AnyAsync(x => x.Id == child.Id))).ShouldBeTrue("the person stays in the register");
        var after = await CountsAsync();
        after.Rollups.ShouldBe(before.Rollups, "the rollups keep the pupil's contribution as counts");
        after.Statistics.ShouldBe(before.Statistics, "the statistics built from the rollups are the same");
        var subjects = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Action == AuditAction.Delete && a.Subject.Contains(review.Id.ToString())).Select(a => new { a.Subject, a.PersonId }).ToListAsync());
        subjects.Select(s => s.Subject).ShouldBe([$"retention.dispose SchoolRecord (review {review.Id})"]);
        subjects.Single().PersonId.ShouldBeNull("the audit says what kind of record went, not whose");
    }

    [Fact]
    public async Task Dispose_SchoolRecordUnderLegalHold_Refused_ThenExtendedWithReason()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await FormerPupilAsync(p, marker, p.School);
        var dpo = await DpoAsync(p);
        await FindAsync(dpo);
        var review = (await SchoolReviewAsync(child.Id, p.School.Id)).ShouldNotBeNull();
        var form = $"/retention/review?id={review.Id}";
        (await dpo.PostFormAsync($"/retention/review?id={review.Id}&handler=Hold", new() { ["HoldReason"] = "Civil claim against the school" }, form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var refused = await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", []);

        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.DocumentAsync()).QuerySelector("#refusal")!.TextContent.ShouldContain("legal hold");
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBeGreaterThan(5);
        (await dpo.PostFormAsync($"/retention/review?id={review.Id}&handler=Lift", [], form)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var until = Today.AddYears(1);
        (await dpo.PostFormAsync($"/retention/review?id={review.Id}&handler=Extend",
            new() { ["Reason"] = "Sibling's tribunal may need it", ["Until.Day"] = $"{until.Day}", ["Until.Month"] = $"{until.Month}", ["Until.Year"] = $"{until.Year}" }, form))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var extended = (await SchoolReviewAsync(child.Id, p.School.Id)).ShouldNotBeNull();
        extended.Status.ShouldBe(RetentionReviewStatus.Extended);
        extended.ExtendedUntil.ShouldBe(until);
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBeGreaterThan(5);
    }

    [Fact]
    public async Task FindDue_PupilStillOnRollOrNotYet25_NotQueued()
    {
        var p = await TestPartnership.CreateAsync(app);
        var onRoll = await p.YoungPersonAsync("Ola", "OnRoll", new DateOnly(1990, 1, 1), enrolledAt: p.School);
        var young = await p.YoungPersonAsync("Ben", "Young", new DateOnly(2005, 1, 1));
        await app.AsSystemAsync(async db =>
        {
            db.Enrolments.Add(new Enrolment { PersonId = young.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2016, 9, 1), EndDate = new DateOnly(2021, 7, 20) });
            await db.SaveChangesAsync();
        });

        await FindAsync(await DpoAsync(p));

        (await SchoolReviewAsync(onRoll.Id, p.School.Id)).ShouldBeNull("a pupil on the school's roll is never due, whatever their age");
        (await SchoolReviewAsync(young.Id, p.School.Id)).ShouldBeNull("25 in 2030, so not due until 2031");
    }

    [Fact]
    public async Task Dispose_SubjectAccessCopyPastTheSchedule_RemovesTheCopyAndItsRequest_RecentCopyNotQueued()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await p.YoungPersonAsync("Sade", "Requester", new DateOnly(2008, 1, 1));
        var dpoUser = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        SubjectAccessIssue Issue(Guid requestId, DateTimeOffset at) => new()
        {
            RequestId = requestId,
            IssuedAt = at,
            IssuedByUserId = dpoUser.Id,
            Pdf = [1, 2, 3],
            Zip = [4, 5, 6],
            RedactionsJson = $"[{{\"text\":\"{marker}\"}}]",
            KeepUntil = DateOnly.FromDateTime(at.UtcDateTime).AddYears(2),
        };
        SubjectAccessRequest Request(DateTimeOffset at) => new()
        {
            PersonId = child.Id,
            RequesterName = $"Parent {marker}",
            Relationship = SubjectAccessRelationship.Parent,
            ReceivedOn = DateOnly.FromDateTime(at.UtcDateTime).AddDays(-20),
            Status = SubjectAccessStatus.Issued,
            RecordedAt = at.AddDays(-20),
            RecordedByUserId = dpoUser.Id,
            CompiledJson = $"{{\"note\":\"{marker}\"}}",
            CompiledAt = at.AddDays(-5),
            IssuedAt = at,
            IssuedByUserId = dpoUser.Id,
        };
        var old = Request(DateTimeOffset.UtcNow.AddYears(-3));
        var oldIssue = Issue(old.Id, old.IssuedAt!.Value);
        var recent = Request(DateTimeOffset.UtcNow.AddMonths(-3));
        var recentIssue = Issue(recent.Id, recent.IssuedAt!.Value);
        await app.AsSystemAsync(async db =>
        {
            db.SubjectAccessRequests.AddRange(old, recent);
            db.SubjectAccessIssues.AddRange(oldIssue, recentIssue);
            db.SubjectAccessRedactions.Add(new SubjectAccessRedaction { RequestId = old.Id, Text = $"Sibling {marker}", Kind = RedactionKind.ThirdPartyName, Why = "another person in the register", Decision = RedactionDecision.Redact });
            await db.SaveChangesAsync();
        });
        var dpo = await app.SignInAsync(dpoUser);

        await FindAsync(dpo);

        var review = (await app.AsSystemAsync((db, _) => db.RetentionReviews.AsNoTracking().FirstOrDefaultAsync(r => r.RecordId == oldIssue.Id))).ShouldNotBeNull();
        review.RecordType.ShouldBe(RetentionRecordType.SubjectAccessCopy);
        review.Why.ShouldStartWith("Issued ");
        review.Why.ShouldEndWith("kept 2 years from closure");
        (await app.AsSystemAsync((db, _) => db.RetentionReviews.AnyAsync(r => r.RecordId == recentIssue.Id))).ShouldBeFalse("issued three months ago: kept two years");
        (await dpo.GetDocumentAsync($"/retention/review?id={review.Id}")).QuerySelector("#holds")!.TextContent.ShouldContain("1 redaction applied");

        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var gone = await app.AsSystemAsync(async (db, _) => new[]
        {
            await db.SubjectAccessIssues.CountAsync(i => i.Id == oldIssue.Id),
            await db.SubjectAccessRequests.CountAsync(r => r.Id == old.Id),
            await db.SubjectAccessRedactions.CountAsync(r => r.RequestId == old.Id),
        });
        gone.ShouldBe([0, 0, 0]);
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBe(["SubjectAccessIssues", "SubjectAccessRequests"], ignoreOrder: true, "only the recent copy still holds the marker");
        (await app.AsSystemAsync((db, _) => db.SubjectAccessIssues.CountAsync(i => i.Id == recentIssue.Id))).ShouldBe(1);
        var subjects = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Action == AuditAction.Delete && a.Subject.Contains(review.Id.ToString())).Select(a => a.Subject).ToListAsync());
        subjects.ShouldBe([$"retention.dispose SubjectAccessCopy (review {review.Id})"]);
    }
}

public sealed class SchoolRecordDisposalTestsOnSqlite(SqliteApp app) : SchoolRecordDisposalTests(app), IClassFixture<SqliteApp>;

public sealed class SchoolRecordDisposalTestsOnPostgres(PostgresApp app) : SchoolRecordDisposalTests(app), IClassFixture<PostgresApp>;
