using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Merge;
using Waypoint.Identity;
using Waypoint.Tests.Admin;
using Waypoint.Tests.Infrastructure;
using Waypoint.Tests.Services;

namespace Waypoint.Tests.Merge;

/// <summary>Duplicate register entries merged by a partnership administrator, and merges taken back (issue 16, item 5).</summary>
public abstract class MergeTests(WaypointApp app)
{
    private static readonly DateOnly Birthday = new(2012, 3, 14);

    /// <summary>A survivor, a duplicate with records of many kinds (some repeating the survivor's), and a parent linked to both.</summary>
    private sealed record World(TestPartnership P, TestUser Admin, Person Kept, Person Away, Person Parent);

    private async Task<World> ArrangeAsync()
    {
        var p = await TestPartnership.CreateAsync(app);
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        // Letters only: names are compared with digits folded away, and every world's pair shares a birthday.
        var family = "Okafor" + new string(p.Suffix.Select(c => char.IsAsciiDigit(c) ? (char)('g' + (c - '0')) : c).ToArray());
        var kept = await p.YoungPersonAsync("Amara", family, Birthday, enrolledAt: p.School);
        var away = await p.YoungPersonAsync("Amara", family, Birthday, enrolledAt: p.OtherSchool, upn: UniqueUpn());
        var parent = await p.YoungPersonAsync("Ngozi", family, new DateOnly(1985, 1, 2));
        await p.InvolveAsync(away, p.Youth);
        var provision = await app.AddServiceAsync(p, "Pupil referral unit", s => s.ApRegistration = ApRegistration.Registered);
        var mentoring = await app.AddServiceAsync(p, "Mentoring");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        await app.AsSystemAsync(async db =>
        {
            PersonIdentifier Id(Person who, IdentifierScheme scheme, string value) => new()
            { PersonId = who.Id, Scheme = scheme, Value = value, OwnerOrganisationId = p.Hub.Id, CategoryCode = RecordCategories.Education };
            // The same local id on both entries is one identifier: collapsed, not repeated.
            db.PersonIdentifiers.AddRange(Id(kept, IdentifierScheme.LocalId, $"L-{p.Suffix}"), Id(away, IdentifierScheme.LocalId, $"L-{p.Suffix}"),
                Id(away, IdentifierScheme.PoliceReference, $"PR-{p.Suffix}"));
            PersonRelationship Rel(Person who, Person related, RelationshipKind kind) => new()
            { PersonId = who.Id, RelatedPersonId = related.Id, Kind = kind, OwnerOrganisationId = p.Hub.Id, CategoryCode = RecordCategories.Family };
            // A link between the two entries would become the survivor's link to itself.
            db.PersonRelationships.AddRange(Rel(kept, parent, RelationshipKind.Parent), Rel(away, parent, RelationshipKind.Parent), Rel(away, kept, RelationshipKind.Sibling));
            AttendanceRecord Attendance(Person who, DateOnly start) => new()
            {
                PersonId = who.Id,
                SchoolId = p.School.Id,
                PeriodStart = start,
                PeriodEnd = start.AddDays(27),
                SessionsPossible = 40,
                SessionsPresent = 35,
                AuthorisedAbsence = 3,
                UnauthorisedAbsence = 2,
            };
            // The same school's period on both entries (one import row matched twice) collides with the natural key.
            var repeated = Attendance(away, today.AddDays(-60));
            repeated.CodeCounts = [new AttendanceCodeCount { Code = "O", Sessions = 2 }, new AttendanceCodeCount { Code = "I", Sessions = 3 }];
            db.AttendanceRecords.AddRange(Attendance(kept, today.AddDays(-60)), repeated, Attendance(away, today.AddDays(-30)));
            var excluded = new Suspension
            {
                PersonId = away.Id,
                SchoolId = p.OtherSchool.Id,
                Kind = ExclusionKind.Suspension,
                StartDate = today.AddDays(-20),
                Sessions = 12,
                ReasonCode1 = "PA",
                RecordedAt = DateTimeOffset.UtcNow,
            };
            db.Suspensions.Add(excluded);
            // The duplicate's alternative provision and the sixth-day alert on its suspension go with it (issue 14).
            db.Add(new SixthDayAlert { SuspensionId = excluded.Id, SixthDay = today.AddDays(-13), SentAt = DateTimeOffset.UtcNow });
            db.Add(new ProvisionPlacement
            {
                PersonId = away.Id,
                ServiceId = provision.Id,
                StartDate = today.AddDays(-12),
                Basis = PlacementBasis.PartTime,
                HoursPerWeek = 10,
                OwnerOrganisationId = p.Hub.Id,
                RecordedByUserId = admin.Id,
                RecordedAt = DateTimeOffset.UtcNow,
            });
            // The duplicate's service referral (its key cascades on a whole-person disposal; a merge moves it all the same).
            db.Add(new ServiceReferral
            {
                PersonId = away.Id,
                ServiceId = mentoring.Id,
                ProviderOrganisationId = p.Charity.Id,
                ReferrerUserId = admin.Id,
                ReferrerOrganisationId = p.Hub.Id,
                Reason = "Needs a trusted adult",
                Status = ServiceReferralStatus.Accepted,
                SentAt = DateTimeOffset.UtcNow.AddDays(-9),
                UpdatedAt = DateTimeOffset.UtcNow.AddDays(-8),
                AcceptedAt = DateTimeOffset.UtcNow.AddDays(-8),
            });
            db.BehaviourIncidents.Add(new BehaviourIncident
            {
                PersonId = away.Id,
                SchoolId = p.OtherSchool.Id,
                OccurredOn = today.AddDays(-21),
                Category = BehaviourCategory.DisruptionInLessons,
                Severity = 2,
                Description = "Left the lesson",
                RecordedAt = DateTimeOffset.UtcNow,
            });
            db.PersonFlags.Add(new PersonFlag
            {
                PersonId = away.Id,
                Kind = FlagKind.GangAssociated,
                Evidence = "Seen with a known group",
                OwnerOrganisationId = p.Police.Id,
                CategoryCode = RecordCategories.PoliceIntelligence,
                SetByUserId = admin.Id,
                SetAt = DateTimeOffset.UtcNow,
                ReviewOn = today.AddMonths(3),
            });
            await db.SaveChangesAsync();
        });
        return new World(p, admin, kept, away, parent);
    }

    [Fact]
    public async Task Merge_ThenUnmerge_RestoresEveryRowTableByTable()
    {
        var w = await ArrangeAsync();
        var before = await SnapshotAsync(w);
        var client = await app.SignInAsync(w.Admin);

        var merged = await client.PostFormAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}",
            new() { ["First"] = w.Kept.Id.ToString(), ["Second"] = w.Away.Id.ToString(), ["Keep"] = "first" });

        await ShouldRedirectAsync(merged);
        var during = await SnapshotAsync(w);
        during.Keys.Where(k => k.EndsWith(".away", StringComparison.Ordinal)).ShouldAllBe(k => during[k].Count == 0, "nothing points at the merged-away entry");
        during["PersonIdentifiers.PersonId.kept"].Count.ShouldBe(3, "the local id once, the police reference and the UPN");
        during["PersonRelationships.PersonId.kept"].Count.ShouldBe(2, "the parent twice (one link from each entry); the sibling link to itself is gone");
        during["AttendanceRecords.PersonId.kept"].Count.ShouldBe(2, "the repeated period once");
        during["Enrolments.PersonId.kept"].Count.ShouldBe(2);
        during["PersonFlags.PersonId.kept"].Count.ShouldBe(1);
        during["ProvisionPlacements.PersonId.kept"].Count.ShouldBe(1, "the duplicate's placement");
        during["ServiceReferrals.PersonId.kept"].Count.ShouldBe(1, "the duplicate's service referral");
        before["ServiceReferrals.PersonId.away"].Count.ShouldBe(1);
        during["Suspensions.PersonId.kept SixthDayAlerts"].Count.ShouldBe(1, "the sixth-day alert stays with its suspension");
        var pointer = await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == w.Away.Id).Select(x => x.MergedIntoId).SingleAsync());
        pointer.ShouldBe(w.Kept.Id);
        var merge = await app.AsSystemAsync((db, _) => db.PersonMerges.SingleAsync(m => m.MergedId == w.Away.Id));
        (await app.AsSystemAsync((db, _) => db.AuditEntries.Where(a => a.Subject == PersonMerger.Subject && (a.PersonId == w.Kept.Id || a.PersonId == w.Away.Id))
            .Select(a => a.PersonId).ToListAsync())).ShouldBe([w.Kept.Id, w.Away.Id], ignoreOrder: true);

        var unmerged = await client.PostFormAsync($"/admin/merge/{merge.Id}/unmerge", []);

        await ShouldRedirectAsync(unmerged);
        var after = await SnapshotAsync(w);
        after.Keys.ShouldBe(before.Keys, ignoreOrder: true);
        foreach (var table in before.Keys)
            after[table].ShouldBe(before[table], table);
        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == w.Away.Id).Select(x => x.MergedIntoId).SingleAsync())).ShouldBeNull();
        (await app.AsSystemAsync((db, _) => db.PersonMerges.SingleAsync(m => m.Id == merge.Id))).UnmergedAt.ShouldNotBeNull();
    }

    [Fact]
    public async Task Merge_MergedAwayEntry_HiddenAndOldLinkGoesToSurvivor()
    {
        var w = await ArrangeAsync();
        var youth = await app.SignInAsync(await w.P.UserAsync(w.P.Youth));
        (await youth.GetAsync($"/people/{w.Away.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var admin = await app.SignInAsync(w.Admin);

        await admin.PostFormAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}",
            new() { ["First"] = w.Kept.Id.ToString(), ["Second"] = w.Away.Id.ToString(), ["Keep"] = "first" });

        var old = await youth.GetAsync($"/people/{w.Away.Id}");
        old.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        old.Headers.Location!.OriginalString.ShouldBe($"/people/{w.Kept.Id}");
        (await youth.GetAsync($"/people/{w.Kept.Id}")).StatusCode.ShouldBe(HttpStatusCode.OK, "the youth service's involvement moved to the survivor");
        var hub = await w.P.PartnershipUserAsync(w.P.Hub, PartnershipFunction.HubTriage, w.P.County);
        var seen = await app.AsUserAsync(hub, (db, _) => db.People.Where(x => x.Id == w.Away.Id || x.Id == w.Kept.Id).Select(x => x.Id).ToListAsync());
        seen.ShouldBe([w.Kept.Id]);
    }

    /// <summary>
    /// The register's sex is a pupil characteristic (issue 13): the comparison shows it only as the
    /// person page would (PersonAccess.ShowsRegisterSex), though the administrator reads both entries
    /// past the policy. The hub's administrator sees neither entry's; an administrator at the school
    /// the survivor is on the roll of sees the survivor's and not the duplicate's (on another school's roll).
    /// </summary>
    [Fact]
    public async Task Compare_ShowsEachEntrysSex_OnlyWhereThePersonPageWould()
    {
        var w = await ArrangeAsync();
        await app.AsSystemAsync(db => db.People.Where(x => x.Id == w.Kept.Id || x.Id == w.Away.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Sex, Sex.Female)));
        var schoolAdmin = await w.P.UserAsync(w.P.School, Roles.PartnershipAdmin);

        static (bool First, bool Second) SexShown(AngleSharp.Dom.IDocument page) =>
            (Shown(page, "#first-entry"), Shown(page, "#second-entry"));
        static bool Shown(AngleSharp.Dom.IDocument page, string entry)
        {
            var column = page.QuerySelector(entry).ShouldNotBeNull();
            column.QuerySelectorAll("dt").Count(dt => dt.TextContent.Trim() == "Date of birth").ShouldBe(1, "the entry is shown");
            return column.QuerySelectorAll("dt").Any(dt => dt.TextContent.Trim() == "Sex") || column.TextContent.Contains("Female", StringComparison.Ordinal);
        }

        var hub = await (await app.SignInAsync(w.Admin)).GetDocumentAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}");
        SexShown(hub).ShouldBe((false, false));

        var school = await (await app.SignInAsync(schoolAdmin)).GetDocumentAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}");
        SexShown(school).ShouldBe((true, false));
        school.QuerySelector("#first-entry")!.TextContent.ShouldContain("Female");
    }

    [Fact]
    public async Task Merge_PersonWithThemselves_Refused()
    {
        var w = await ArrangeAsync();
        var client = await app.SignInAsync(w.Admin);

        var page = await client.GetDocumentAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Kept.Id}");

        page.ErrorSummary().ShouldHaveSingleItem().ShouldContain("cannot be merged with themselves");
        await Should.ThrowAsync<MergeRefused>(() => MergeAsSystemAsync(w.Admin, w.Kept.Id, w.Kept.Id));
        (await app.AsSystemAsync((db, _) => db.PersonMerges.CountAsync(m => m.SurvivorId == w.Kept.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task Merge_DifferentUpns_RefusedWithReasonAndNothingMoved()
    {
        var w = await ArrangeAsync();
        await app.AsSystemAsync(async db =>
        {
            db.PersonIdentifiers.Add(new PersonIdentifier
            { PersonId = w.Kept.Id, Scheme = IdentifierScheme.Upn, Value = UniqueUpn(), OwnerOrganisationId = w.P.School.Id, CategoryCode = RecordCategories.Education });
            await db.SaveChangesAsync();
        });
        var before = await SnapshotAsync(w);
        var client = await app.SignInAsync(w.Admin);

        var response = await client.PostFormAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}",
            new() { ["First"] = w.Kept.Id.ToString(), ["Second"] = w.Away.Id.ToString(), ["Keep"] = "second" });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.DocumentAsync()).ErrorSummary().ShouldHaveSingleItem().ShouldContain("different UPNs");
        var after = await SnapshotAsync(w);
        foreach (var table in before.Keys)
            after[table].ShouldBe(before[table], table);
    }

    [Fact]
    public async Task Merge_AcrossPendingMerge_Refused()
    {
        var w = await ArrangeAsync();
        var third = await w.P.YoungPersonAsync("Amara", w.Kept.FamilyName, Birthday);
        await MergeAsSystemAsync(w.Admin, w.Kept.Id, w.Away.Id);
        var client = await app.SignInAsync(w.Admin);

        var response = await client.PostFormAsync($"/admin/merge/compare?first={third.Id}&second={w.Kept.Id}",
            new() { ["First"] = third.Id.ToString(), ["Second"] = w.Kept.Id.ToString(), ["Keep"] = "first" });

        (await response.DocumentAsync()).ErrorSummary().ShouldHaveSingleItem().ShouldContain("can still be taken back");
        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == w.Kept.Id).Select(x => x.MergedIntoId).SingleAsync())).ShouldBeNull();
        var refused = await Should.ThrowAsync<MergeRefused>(() => MergeAsSystemAsync(w.Admin, w.Kept.Id, w.Away.Id));
        refused.Message.ShouldContain("already merged");
    }

    /// <summary>The DPO dashboard's merges (issue 16, item 7): those that can still be taken back, and those made in the last 12 months.</summary>
    [Fact]
    public async Task Dashboard_MergesCountedWhileTheyCanBeTakenBackAndForTwelveMonths()
    {
        var w = await ArrangeAsync();
        var dpo = await app.SignInAsync(await w.P.UserAsync(w.P.Hub, Roles.DataProtectionOfficer));
        async Task<(int Open, int Year)> FiguresAsync()
        {
            var page = await dpo.GetDocumentAsync("/dpo");
            return (int.Parse(page.QuerySelector("#merges-open")!.TextContent.Trim()), int.Parse(page.QuerySelector("#merges-year")!.TextContent.Trim()));
        }
        var (open, year) = await FiguresAsync();
        var client = await app.SignInAsync(w.Admin);

        await ShouldRedirectAsync(await client.PostFormAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}",
            new() { ["First"] = w.Kept.Id.ToString(), ["Second"] = w.Away.Id.ToString(), ["Keep"] = "first" }));
        (await FiguresAsync()).ShouldBe((open + 1, year + 1));

        // Taken back: no longer open; it was still made this year.
        var merge = await app.AsSystemAsync((db, _) => db.PersonMerges.SingleAsync(m => m.MergedId == w.Away.Id));
        await ShouldRedirectAsync(await client.PostFormAsync($"/admin/merge/{merge.Id}/unmerge", []));
        (await FiguresAsync()).ShouldBe((open, year + 1));

        // A merge past its 30 days can no longer be taken back; one older than 12 months is not counted.
        var second = await ArrangeAsync();
        var old = await MergeAsSystemAsync(second.Admin, second.Kept.Id, second.Away.Id);
        (await FiguresAsync()).ShouldBe((open + 1, year + 2));
        await app.AsSystemAsync(db => db.PersonMerges.Where(m => m.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.MergedAt, DateTimeOffset.UtcNow.AddDays(-PersonMerge.UnmergeWindowDays - 1))));
        (await FiguresAsync()).ShouldBe((open, year + 2));
        await app.AsSystemAsync(db => db.PersonMerges.Where(m => m.Id == old.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.MergedAt, DateTimeOffset.UtcNow.AddMonths(-13))));
        (await FiguresAsync()).ShouldBe((open, year + 1));
    }

    [Fact]
    public async Task Unmerge_After30Days_Refused()
    {
        var w = await ArrangeAsync();
        var merge = await MergeAsSystemAsync(w.Admin, w.Kept.Id, w.Away.Id);
        await app.AsSystemAsync(db => db.PersonMerges.Where(m => m.Id == merge.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.MergedAt, DateTimeOffset.UtcNow.AddDays(-PersonMerge.UnmergeWindowDays - 1))));
        var client = await app.SignInAsync(w.Admin);

        var response = await client.PostFormAsync($"/admin/merge/{merge.Id}/unmerge", [], formPage: "/admin/merge");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.DocumentAsync()).ErrorSummary().ShouldHaveSingleItem().ShouldContain("30 days");
        (await app.AsSystemAsync((db, _) => db.People.Where(x => x.Id == w.Away.Id).Select(x => x.MergedIntoId).SingleAsync())).ShouldBe(w.Kept.Id);
    }

    [Fact]
    public async Task MergePages_Practitioner_Forbidden()
    {
        var w = await ArrangeAsync();
        var client = await app.SignInAsync(await w.P.UserAsync(w.P.Hub));

        (await client.GetAsync("/admin/merge")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await client.GetAsync($"/admin/merge/compare?first={w.Kept.Id}&second={w.Away.Id}")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var post = await client.PostFormAsync($"/admin/merge/compare", new() { ["First"] = w.Kept.Id.ToString(), ["Second"] = w.Away.Id.ToString(), ["Keep"] = "first" }, formPage: "/account");
        post.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await app.AsSystemAsync((db, _) => db.PersonMerges.CountAsync(m => m.MergedId == w.Away.Id))).ShouldBe(0);
    }

    [Fact]
    public async Task MergeIndex_DuplicatePair_ListedForComparison()
    {
        var w = await ArrangeAsync();
        var client = await app.SignInAsync(w.Admin);

        var page = await client.GetDocumentAsync("/admin/merge");

        page.QuerySelectorAll("#candidates a").Select(a => a.GetAttribute("href"))
            .ShouldContain(h => h!.Contains(w.Kept.Id.ToString()) && h.Contains(w.Away.Id.ToString()));
    }

    private static async Task ShouldRedirectAsync(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect)
            throw new ShouldAssertException($"{response.StatusCode}: {string.Join("; ", (await response.DocumentAsync()).ErrorSummary())}");
    }

    private Task<PersonMerge> MergeAsSystemAsync(TestUser admin, Guid kept, Guid away) =>
        app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().MergeAsync(kept, away));

    /// <summary>Every row pointing at the three people, by table and column and by whom, each as the database holds it.</summary>
    private Task<Dictionary<string, List<string>>> SnapshotAsync(World w) =>
        app.AsSystemAsync(async (db, services) =>
        {
            var merger = services.GetRequiredService<PersonMerger>();
            var snapshot = new Dictionary<string, List<string>>();
            foreach (var column in PersonTables.Of(db))
            {
                foreach (var (who, id) in new[] { ("kept", w.Kept.Id), ("away", w.Away.Id), ("parent", w.Parent.Id) })
                {
                    var rows = await db.RawSql<string>("test", System.Runtime.CompilerServices.FormattableStringFactory.Create(
                        $"SELECT {merger.RowJson(column.Columns, "t")} AS \"Value\" FROM {PersonMerger.Q(column.Table)} AS t WHERE t.{PersonMerger.Q(column.Column)} = {{0}} ORDER BY t.{PersonMerger.Q(column.KeyColumn)}", id)).ToListAsync();
                    snapshot[$"{column.Name}.{who}"] = rows;
                    foreach (var dependent in column.Dependents)
                    {
                        var owned = await db.RawSql<string>("test", System.Runtime.CompilerServices.FormattableStringFactory.Create(
                            $"SELECT {merger.RowJson(dependent.Columns, "t")} AS \"Value\" FROM {PersonMerger.Q(dependent.Table)} AS t " +
                            $"WHERE t.{PersonMerger.Q(dependent.Column)} IN (SELECT p.{PersonMerger.Q(column.KeyColumn)} FROM {PersonMerger.Q(column.Table)} AS p WHERE p.{PersonMerger.Q(column.Column)} = {{0}}) ORDER BY 1", id)).ToListAsync();
                        snapshot[$"{column.Name}.{who} {dependent.Table}"] = owned;
                    }
                }
            }
            snapshot["People"] = await db.People.Where(x => x.Id == w.Kept.Id || x.Id == w.Away.Id || x.Id == w.Parent.Id)
                .OrderBy(x => x.GivenName).ThenBy(x => x.Id).Select(x => $"{x.Id}|{x.GivenName}|{x.FamilyName}|{x.DateOfBirth}|{x.MergedIntoId}|{x.AreaId}").ToListAsync();
            return snapshot;
        });

    // Random across the app's shared database: a clash is one in billions.
    private static string UniqueUpn() => Waypoint.Features.People.Upn.Create(
        System.Security.Cryptography.RandomNumberGenerator.GetInt32(201, 999), System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 10_000),
        System.Security.Cryptography.RandomNumberGenerator.GetInt32(2000, 2030), System.Security.Cryptography.RandomNumberGenerator.GetInt32(0, 1000));
}

public sealed class MergeTestsOnSqlite(SqliteApp app) : MergeTests(app), IClassFixture<SqliteApp>;

public sealed class MergeTestsOnPostgres(PostgresApp app) : MergeTests(app), IClassFixture<PostgresApp>;
