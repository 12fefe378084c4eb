using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
using Waypoint.Features.Merge;
using Waypoint.Features.Retention;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Services;

namespace Waypoint.Tests.Retention;

/// <summary>
/// Disposal of the other record types the schedules name (issue 16): consent, police occurrences
/// and meeting items, each leaving no trace of its content in any table (the every-column scan),
/// with the challenges to a disposed record going with it and an audit row naming only the kind.
/// </summary>
public abstract class DisposalOfOtherRecordsTests(WaypointApp app)
{
    private static string Marker() => "mk" + Guid.NewGuid().ToString("N")[..20];
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private async Task<HttpClient> DpoAsync(TestPartnership p) => await app.SignInAsync(await p.UserAsync(p.Hub, Roles.DataProtectionOfficer));

    private async Task<RetentionReview> FindAndReviewAsync(HttpClient dpo, Guid recordId, RetentionRecordType type)
    {
        (await dpo.PostFormAsync("/retention?handler=Find", [], "/retention")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var review = (await app.AsSystemAsync((db, _) => db.RetentionReviews.AsNoTracking().FirstOrDefaultAsync(r => r.RecordId == recordId))).ShouldNotBeNull();
        review.RecordType.ShouldBe(type);
        return review;
    }

    private async Task DisposeAndCheckAsync(HttpClient dpo, RetentionReview review, string marker)
    {
        (await dpo.GetDocumentAsync($"/retention/dispose?id={review.Id}")).QuerySelector("h1")!.TextContent.ShouldContain("Are you sure");
        (await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", [])).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
        var subjects = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Action == AuditAction.Delete && a.Subject.Contains(review.Id.ToString())).Select(a => a.Subject).ToListAsync());
        subjects.ShouldBe([$"retention.dispose {review.RecordType} (review {review.Id})"]);
    }

    [Fact]
    public async Task Dispose_ConsentLongPastWithAChallenge_LeavesNoTraceInAnyTable()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await p.YoungPersonAsync("Nia", "Consented", new DateOnly(2009, 1, 1));
        var worker = await p.UserAsync(p.Youth);
        var consent = new ConsentRecord
        {
            PersonId = child.Id,
            AskedByOrganisationId = p.Youth.Id,
            AskedByUserId = worker.Id,
            ForOrganisationId = p.Health.Id,
            Method = ConsentMethod.Letter,
            AskedOn = Today.AddYears(-7),
            AnsweredBy = $"Mother {marker}",
            Outcome = ConsentOutcome.Given,
            Scope = $"Share school attendance {marker}",
            RecordedAt = DateTimeOffset.UtcNow.AddYears(-7),
        };
        await app.AsSystemAsync(async db =>
        {
            db.ConsentRecords.Add(consent);
            db.RecordChallenges.Add(new RecordChallenge
            {
                PersonId = child.Id,
                Kind = ChallengeKind.Objection,
                RecordKind = ChallengedRecord.RegisterEntry,
                RecordId = consent.Id,
                OwnerOrganisationId = p.Youth.Id,
                RaisedBy = $"Father {marker}",
                Statement = $"Never agreed {marker}",
                RaisedOn = Today.AddYears(-6),
                RecordedAt = DateTimeOffset.UtcNow.AddYears(-6),
            });
            await db.SaveChangesAsync();
        });
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBe(2);
        var dpo = await DpoAsync(p);
        var review = await FindAndReviewAsync(dpo, consent.Id, RetentionRecordType.Consent);

        await DisposeAndCheckAsync(dpo, review, marker);

        (await app.AsSystemAsync((db, _) => db.People.AnyAsync(x => x.Id == child.Id))).ShouldBeTrue("the person stays in the register");
    }

    [Fact]
    public async Task Dispose_PlacementEndedLongAgo_LeavesNoTrace_RunningPlacementNotQueued()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var ap = await app.AddServiceAsync(p, $"Unit {p.Suffix}", s => s.ApRegistration = ApRegistration.Registered);
        // Born 1995: 25 in 2020, so under the default (a year from the 25th birthday, never before the end) due in 2021.
        var pupil = await p.YoungPersonAsync("Ash", "Placed", new DateOnly(1995, 3, 1));
        var worker = await p.UserAsync(p.Hub);
        var ended = new ProvisionPlacement
        {
            PersonId = pupil.Id,
            ServiceId = ap.Id,
            StartDate = new DateOnly(2010, 1, 11),
            EndDate = new DateOnly(2010, 3, 26),
            Basis = PlacementBasis.FullTime,
            HoursPerWeek = 25,
            Note = $"Placed after the sixth day {marker}",
            OwnerOrganisationId = p.Hub.Id,
            RecordedByUserId = worker.Id,
            RecordedAt = new DateTimeOffset(2010, 1, 8, 9, 0, 0, TimeSpan.Zero),
        };
        var running = new ProvisionPlacement
        {
            PersonId = pupil.Id,
            ServiceId = ap.Id,
            StartDate = Today.AddDays(-20),
            Basis = PlacementBasis.PartTime,
            HoursPerWeek = 10,
            OwnerOrganisationId = p.Hub.Id,
            RecordedByUserId = worker.Id,
            RecordedAt = DateTimeOffset.UtcNow,
        };
        await app.AsSystemAsync(async db =>
        {
            db.AddRange(ended, running);
            db.Notifications.Add(new Notification { UserId = worker.Id, Kind = "placement", Subject = $"Placement {marker}", Body = "Ended", Link = $"/provision/placements/{ended.Id}", CreatedAt = ended.RecordedAt });
            await db.SaveChangesAsync();
        });
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBe(2);
        var dpo = await DpoAsync(p);

        var review = await FindAndReviewAsync(dpo, ended.Id, RetentionRecordType.ProvisionPlacement);

        review.OwnerOrganisationId.ShouldBe(p.Hub.Id);
        review.TriggeredOn.ShouldBe(new DateOnly(2020, 3, 1), "the 25th birthday comes after the end");
        review.Why.ShouldBe("Placement ended 26 March 2010; 25th birthday 1 March 2020; kept 1 year from the 25th birthday");
        (await app.AsSystemAsync((db, _) => db.RetentionReviews.AnyAsync(r => r.RecordId == running.Id))).ShouldBeFalse("a placement still running is never due");
        await DisposeAndCheckAsync(dpo, review, marker);
        (await app.AsSystemAsync((db, _) => db.Unfiltered<ProvisionPlacement>("test: what disposal left").Where(x => x.PersonId == pupil.Id).Select(x => x.Id).ToListAsync())).ShouldBe([running.Id]);
    }

    [Fact]
    public async Task DeletePerson_WithPlacements_TakesThePlacementsWithIt()
    {
        var p = await TestPartnership.CreateAsync(app);
        var ap = await app.AddServiceAsync(p, $"Unit {p.Suffix}", s => s.ApRegistration = ApRegistration.Registered);
        var pupil = await p.YoungPersonAsync("Bo", "Wholly", new DateOnly(1995, 3, 1));
        var worker = await p.UserAsync(p.Hub);
        var placement = new ProvisionPlacement
        {
            PersonId = pupil.Id,
            ServiceId = ap.Id,
            StartDate = new DateOnly(2010, 1, 11),
            EndDate = new DateOnly(2010, 3, 26),
            Basis = PlacementBasis.FullTime,
            HoursPerWeek = 25,
            OwnerOrganisationId = p.Hub.Id,
            RecordedByUserId = worker.Id,
            RecordedAt = DateTimeOffset.UtcNow,
        };
        await app.AsSystemAsync(async db =>
        {
            db.Add(placement);
            await db.SaveChangesAsync();
        });

        // A person disposed of as a whole is one delete of the register entry: the placement's key no longer refuses it.
        var deleted = await app.AsSystemAsync((db, _) => db.Unfiltered<Person>("test: a person disposed of as a whole").Where(x => x.Id == pupil.Id).ExecuteDeleteAsync());

        deleted.ShouldBe(1);
        (await app.AsSystemAsync((db, _) => db.Unfiltered<ProvisionPlacement>("test: what the delete left").AnyAsync(x => x.Id == placement.Id))).ShouldBeFalse();
    }

    /// <summary>
    /// A register entry disposed of as a whole, holding a record of every kind a person has (a closed
    /// case with every part, the report that opened it, consent, grants, a service referral with its
    /// provider's grant, a placement, school records, a flag, an identifier, a relationship, a
    /// challenge, an import match review that enrolled them, notices): nothing with their content is
    /// left in any table, no column that points at a person points at them, and the audit says only
    /// that a register entry went.
    /// </summary>
    [Fact]
    public async Task DisposeOfPerson_WithServiceReferralAndEveryRecordKind_NoTraceAndNoRowPointsAtThem()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var old = await RetentionWorld.ClosedCaseAsync(app, p, marker, DateTimeOffset.UtcNow.AddYears(-7));
        var child = old.Child;
        var parent = await p.YoungPersonAsync("Kept", $"Parent{p.Suffix}", new DateOnly(1980, 1, 1));
        var mentoring = await app.AddServiceAsync(p, $"Mentoring {marker[..6]}");
        var ap = await app.AddServiceAsync(p, $"Unit {p.Suffix}", s => s.ApRegistration = ApRegistration.Registered);
        var worker = await p.UserAsync(p.Hub);
        var now = DateTimeOffset.UtcNow.AddYears(-6);
        var referral = new ServiceReferral
        {
            PersonId = child.Id,
            ServiceId = mentoring.Id,
            ProviderOrganisationId = p.Charity.Id,
            ReferrerUserId = worker.Id,
            ReferrerOrganisationId = p.Hub.Id,
            CaseId = old.Case.Id,
            Reason = $"Needs a trusted adult {marker}",
            Outcome = $"Finished the programme {marker}",
            Status = ServiceReferralStatus.Ended,
            EndedOn = DateOnly.FromDateTime(now.UtcDateTime),
            SentAt = now.AddMonths(-3),
            UpdatedAt = now,
        };
        await app.AsSystemAsync(async db =>
        {
            var grant = new Involvement
            {
                PersonId = child.Id,
                OrganisationId = p.Charity.Id,
                Source = InvolvementSource.ServiceReferral,
                SourceId = referral.Id,
                Reason = $"Service referral {marker}",
                StartDate = DateOnly.FromDateTime(referral.SentAt.UtcDateTime),
                EndDate = referral.EndedOn!.Value.AddDays(30),
                AddedAt = referral.SentAt,
            };
            referral.InvolvementId = grant.Id;
            db.AddRange(grant, referral);
            db.Add(new ProvisionPlacement
            {
                PersonId = child.Id,
                ServiceId = ap.Id,
                StartDate = new DateOnly(2019, 1, 7),
                EndDate = new DateOnly(2019, 3, 29),
                Basis = PlacementBasis.FullTime,
                HoursPerWeek = 25,
                Note = $"Placement {marker}",
                OwnerOrganisationId = p.Hub.Id,
                RecordedByUserId = worker.Id,
                RecordedAt = now,
            });
            db.Enrolments.Add(new Enrolment { PersonId = child.Id, SchoolId = p.School.Id, StartDate = new DateOnly(2018, 9, 1), EndDate = new DateOnly(2020, 7, 20) });
            db.Suspensions.Add(new Suspension { PersonId = child.Id, SchoolId = p.School.Id, Kind = ExclusionKind.Suspension, StartDate = new DateOnly(2019, 11, 4), Sessions = 4, ReasonCode1 = "PA", RecordedAt = now });
            db.BehaviourIncidents.Add(new BehaviourIncident { PersonId = child.Id, SchoolId = p.School.Id, OccurredOn = new DateOnly(2019, 11, 1), Category = BehaviourCategory.DisruptionInLessons, Severity = 2, Description = $"Incident {marker}", RecordedAt = now });
            db.PersonFlags.Add(new PersonFlag
            {
                PersonId = child.Id,
                Kind = FlagKind.GangAssociated,
                Evidence = $"Seen with a group {marker}",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceIntelligence,
                SetByUserId = worker.Id,
                SetAt = now,
                ReviewOn = DateOnly.FromDateTime(now.UtcDateTime).AddMonths(3),
            });
            db.PersonIdentifiers.Add(new PersonIdentifier { PersonId = child.Id, Scheme = IdentifierScheme.LocalId, Value = $"L-{marker}", OwnerOrganisationId = p.Hub.Id, CategoryCode = RecordCategories.Education });
            db.PersonRelationships.Add(new PersonRelationship { PersonId = parent.Id, RelatedPersonId = child.Id, Kind = RelationshipKind.Parent, OwnerOrganisationId = p.Hub.Id, CategoryCode = RecordCategories.Family });
            db.RecordChallenges.Add(new RecordChallenge
            {
                PersonId = child.Id,
                Kind = ChallengeKind.Accuracy,
                RecordKind = ChallengedRecord.RegisterEntry,
                RecordId = child.Id,
                OwnerOrganisationId = p.Hub.Id,
                RaisedBy = "Mother",
                Statement = $"The address is wrong {marker}",
                RaisedOn = DateOnly.FromDateTime(now.UtcDateTime),
                RecordedAt = now,
            });
            db.Add(new PupilMatchReview
            {
                SchoolId = p.School.Id,
                FileName = "enrolments.csv",
                Line = 4,
                Surname = $"Oakes{marker}",
                Forename = "Tamsin",
                DateOfBirth = child.DateOfBirth!.Value,
                EnrolmentStart = new DateOnly(2018, 9, 1),
                CandidatePersonId = parent.Id,
                EnrolledPersonId = child.Id,
                CreatedAt = now,
            });
            db.Notifications.Add(new Notification { UserId = worker.Id, Kind = "service-referral", Subject = $"Referral {marker}", Body = "Ended", Link = $"/services/referrals/{referral.Id}", CreatedAt = now });
            await db.SaveChangesAsync();
        });
        var holding = await RetentionWorld.TablesHoldingAsync(app, marker);
        holding.ShouldContain("ServiceReferrals");
        holding.Count.ShouldBeGreaterThan(15);

        var refused = await app.AsSystemAsync((db, sp) => sp.GetRequiredService<RetentionWork>().DisposeOfPersonAsync(child.Id, default));

        refused.ShouldBeNull();
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBeEmpty();
        var pointing = await app.AsSystemAsync(async (db, _) =>
        {
            var found = new List<string>();
            foreach (var column in PersonTables.Of(db))
            {
                // A literal, as each provider stores a Guid (uuid; upper-case text on SQLite).
                var id = db.IsPostgres ? child.Id.ToString() : child.Id.ToString().ToUpperInvariant();
#pragma warning disable EF1002 // table and column names from the model, the id a Guid
                var rows = await db.Database.SqlQueryRaw<int>($"SELECT COUNT(*) AS \"Value\" FROM \"{column.Table}\" WHERE \"{column.Column}\" = '{id}'").SingleAsync();
#pragma warning restore EF1002
                if (rows > 0)
                    found.Add(column.Name);
            }
            return found;
        });
        pointing.ShouldBeEmpty("no column that points at a person points at the disposed entry");
        (await app.AsSystemAsync((db, _) => db.People.AnyAsync(x => x.Id == parent.Id))).ShouldBeTrue("the parent stays in the register");
        (await app.AsSystemAsync((db, _) => db.Set<Service>().AnyAsync(x => x.Id == mentoring.Id))).ShouldBeTrue("the service stays in the directory");
        var audit = await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Action == AuditAction.Delete && a.Subject.StartsWith("retention.dispose Person")).OrderByDescending(a => a.Id).FirstAsync());
        audit.Subject.ShouldBe("retention.dispose Person (1 register entry)");
        audit.PersonId.ShouldBeNull();
    }

    [Fact]
    public async Task DisposeOfPerson_NotInRegisterOrUnderLegalHold_RefusedAndNothingRemoved()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var old = await RetentionWorld.ClosedCaseAsync(app, p, marker, DateTimeOffset.UtcNow.AddYears(-7));
        var worker = await p.UserAsync(p.Hub, Roles.DataProtectionOfficer);
        await app.AsSystemAsync(async db =>
        {
            db.Add(new LegalHold { RecordType = RetentionRecordType.EarlyHelpCase, RecordId = old.Case.Id, Reason = "Family court", PlacedByUserId = worker.Id, PlacedAt = DateTimeOffset.UtcNow });
            await db.SaveChangesAsync();
        });
        var before = await RetentionWorld.TablesHoldingAsync(app, marker);

        var stranger = await app.AsSystemAsync((db, sp) => sp.GetRequiredService<RetentionWork>().DisposeOfPersonAsync(Guid.NewGuid(), default));
        var held = await app.AsSystemAsync((db, sp) => sp.GetRequiredService<RetentionWork>().DisposeOfPersonAsync(old.Child.Id, default));

        stranger.ShouldBe("This person is not in the register.");
        held.ShouldNotBeNull().ShouldContain("legal hold");
        (await RetentionWorld.TablesHoldingAsync(app, marker)).ShouldBe(before, ignoreOrder: true);
        (await app.AsSystemAsync((db, _) => db.People.AnyAsync(x => x.Id == old.Child.Id))).ShouldBeTrue();
    }

    [Fact]
    public async Task Dispose_PoliceOccurrenceLongPast_RemovesItAndThePeopleItNames()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await p.YoungPersonAsync("Ola", "Occurrence", new DateOnly(2008, 2, 2));
        var officer = await p.UserAsync(p.Police);
        var occurrence = new Occurrence
        {
            PoliceReference = $"OC-{marker}",
            OccurredOn = Today.AddYears(-8),
            OffenceGroup = "Violence against the person",
            OffenceSubGroup = "Violence without injury",
            Location = $"Near the park {marker}",
            OwnerOrganisationId = p.Police.Id,
            CategoryCode = RecordCategories.PoliceIntelligence,
            RecordedByUserId = officer.Id,
            RecordedAt = DateTimeOffset.UtcNow.AddYears(-8),
        };
        occurrence.People.Add(new OccurrencePerson { PersonId = child.Id, Role = default });
        await app.AsSystemAsync(async db =>
        {
            db.Occurrences.Add(occurrence);
            await db.SaveChangesAsync();
        });
        var dpo = await DpoAsync(p);
        var review = await FindAndReviewAsync(dpo, occurrence.Id, RetentionRecordType.PoliceOccurrence);

        await DisposeAndCheckAsync(dpo, review, marker);

        (await app.AsSystemAsync((db, _) => db.OccurrencePeople.AnyAsync(x => x.OccurrenceId == occurrence.Id))).ShouldBeFalse();
    }

    /// <summary>
    /// A force's refused occurrences file applied nothing, but its problems quote the names its lines
    /// held: the finder replaces them once the police occurrence schedule's period (6 years from the
    /// file being sent, by default) has passed, keeping the count; a recent file's and a school's
    /// file's problems are left alone (a school's go with the pupil's records, per pupil).
    /// </summary>
    [Fact]
    public async Task Find_PoliceFilesProblems_ScrubbedOnTheOccurrenceSchedule_RecentAndSchoolFilesKept()
    {
        var p = await TestPartnership.CreateAsync(app);
        var (old, recent, school) = (Marker(), Marker(), Marker());
        var officer = await p.UserAsync(p.Police);
        var teacher = await p.UserAsync(p.School);
        ImportJob Job(Guid sender, Guid user, ImportKind kind, string marker, DateTimeOffset sent) => new()
        {
            SenderOrganisationId = sender,
            UploadedByUserId = user,
            FileName = "occurrences.csv",
            Kind = kind,
            Status = ImportStatus.Rejected,
            ProblemsJson = System.Text.Json.JsonSerializer.Serialize(new[]
            {
                $"occurrences.csv, line 3 (Jordan Quoted-{marker}, born 2009-04-01): \"Robbery\" is not a Home Office offence group",
                "occurrences.csv, line 9: the date is in the future",
            }),
            ProblemCount = 2,
            QueuedAt = sent,
            FinishedAt = sent,
        };
        var oldJob = Job(p.Police.Id, officer.Id, ImportKind.PoliceOccurrences, old, DateTimeOffset.UtcNow.AddYears(-6).AddDays(-2));
        var recentJob = Job(p.Police.Id, officer.Id, ImportKind.PoliceOccurrences, recent, DateTimeOffset.UtcNow.AddYears(-6).AddDays(2));
        var schoolJob = Job(p.School.Id, teacher.Id, ImportKind.Enrolments, school, DateTimeOffset.UtcNow.AddYears(-7));
        await app.AsSystemAsync(async db =>
        {
            db.ImportJobs.AddRange(oldJob, recentJob, schoolJob);
            await db.SaveChangesAsync();
        });
        var dpo = await DpoAsync(p);

        (await dpo.PostFormAsync("/retention?handler=Find", [], "/retention")).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        (await RetentionWorld.TablesHoldingAsync(app, old)).ShouldBeEmpty();
        var scrubbed = await app.AsSystemAsync((db, _) => db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == oldJob.Id));
        System.Text.Json.JsonSerializer.Deserialize<List<string>>(scrubbed.ProblemsJson!)
            .ShouldBe([RetentionWork.PoliceProblemRemoved, RetentionWork.PoliceProblemRemoved]);
        scrubbed.ProblemCount.ShouldBe(2);
        (await RetentionWorld.TablesHoldingAsync(app, recent)).ShouldBe(["ImportJobs"], "a file sent less than 6 years ago keeps its problems");
        (await RetentionWorld.TablesHoldingAsync(app, school)).ShouldBe(["ImportJobs"], "a school's file is scrubbed pupil by pupil, as their records go");
        // Running the finder again changes nothing more.
        (await dpo.PostFormAsync("/retention?handler=Find", [], "/retention")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.AsSystemAsync((db, _) => db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == oldJob.Id))).ProblemsJson.ShouldBe(scrubbed.ProblemsJson);
    }

    [Fact]
    public async Task Dispose_MeetingItemLongPast_RemovesItWithItsActions_UnderHoldRefused()
    {
        var p = await TestPartnership.CreateAsync(app);
        var marker = Marker();
        var child = await p.YoungPersonAsync("Efe", "Agenda", new DateOnly(2010, 3, 3));
        var chair = await p.UserAsync(p.Hub);
        var series = new MeetingSeries { Name = "Inclusion panel", AreaId = p.District.Id, ChairUserId = chair.Id, OrganiserOrganisationId = p.Hub.Id, CreatedAt = DateTimeOffset.UtcNow.AddYears(-4), CreatedByUserId = chair.Id };
        var meeting = new Meeting { SeriesId = series.Id, Date = Today.AddYears(-3), StartTime = new TimeOnly(10, 0), ScheduledAt = DateTimeOffset.UtcNow.AddYears(-3), ScheduledByUserId = chair.Id };
        var item = new AgendaItem
        {
            MeetingId = meeting.Id,
            PersonId = child.Id,
            Position = 1,
            Source = AgendaItemSource.Alert,
            Why = $"Exclusions rising {marker}",
            Discussion = $"Discussed {marker}",
            AddedAt = DateTimeOffset.UtcNow.AddYears(-3),
            AddedByUserId = chair.Id,
        };
        await app.AsSystemAsync(async db =>
        {
            db.Add(series);
            db.Add(meeting);
            db.Add(item);
            db.Add(new MeetingAction { AgendaItemId = item.Id, PersonId = child.Id, Description = $"Call home {marker}", OwnerOrganisationId = p.School.Id, DueOn = Today.AddYears(-3).AddDays(7), CreatedAt = DateTimeOffset.UtcNow.AddYears(-3) });
            await db.SaveChangesAsync();
        });
        var dpo = await DpoAsync(p);
        var review = await FindAndReviewAsync(dpo, item.Id, RetentionRecordType.MeetingItem);
        await app.AsSystemAsync(async db =>
        {
            db.LegalHolds.Add(new LegalHold { RecordType = RetentionRecordType.MeetingItem, RecordId = item.Id, Reason = "Tribunal", PlacedAt = DateTimeOffset.UtcNow, PlacedByUserId = chair.Id });
            await db.SaveChangesAsync();
        });

        var refused = await dpo.PostFormAsync($"/retention/dispose?id={review.Id}", []);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.DocumentAsync()).QuerySelector("#refusal")!.TextContent.ShouldContain("legal hold");
        (await RetentionWorld.TablesHoldingAsync(app, marker)).Count.ShouldBe(2);
        await app.AsSystemAsync(db => db.LegalHolds.Where(h => h.RecordId == item.Id).ExecuteUpdateAsync(s => s.SetProperty(h => h.LiftedAt, DateTimeOffset.UtcNow)));

        await DisposeAndCheckAsync(dpo, review, marker);

        (await app.AsSystemAsync((db, _) => db.Set<Meeting>().AnyAsync(m => m.Id == meeting.Id))).ShouldBeTrue("the meeting itself stays: only the child's item goes");
    }
}

public sealed class DisposalOfOtherRecordsTestsOnSqlite(SqliteApp app) : DisposalOfOtherRecordsTests(app), IClassFixture<SqliteApp>;

public sealed class DisposalOfOtherRecordsTestsOnPostgres(PostgresApp app) : DisposalOfOtherRecordsTests(app), IClassFixture<PostgresApp>;
