using System.Net;
using Microsoft.EntityFrameworkCore;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Domain;
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
