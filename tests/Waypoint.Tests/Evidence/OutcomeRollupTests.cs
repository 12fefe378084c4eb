using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Evidence;
using Waypoint.Features.Merge;
using Waypoint.Features.Schools.Rules;
using Waypoint.Identity;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Evidence;

/// <summary>
/// The joint outcomes rollup (issue 15, item 5): every kind of write that changes what a measure
/// reads leaves the rows equal to a rebuild from the raw rows, and the dashboard read from the
/// rollup shows figures worked out by hand from a generated data set.
/// </summary>
public abstract class OutcomeRollupTests(WaypointApp app)
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    private static DateTimeOffset At(DateOnly day) => new(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    private static string Line(OutcomeRollupRow r) =>
        $"{r.PersonId} {r.Group} {r.AcademicYear} {r.MeasureId} {r.Start:yyyy-MM-dd} {r.End:yyyy-MM-dd} {r.Due6:yyyy-MM-dd} {r.Due12:yyyy-MM-dd} b6={r.Before6} a6={r.After6} b12={r.Before12} a12={r.After12}";

    private static string Line(OutcomeSummaryRow r) =>
        $"{r.AreaId} {r.AcademicYear} {r.Group} {r.MeasureId} {r.End:yyyy-MM-dd} {r.Due6:yyyy-MM-dd} {r.Due12:yyyy-MM-dd} children={r.Children} " +
        $"6: {r.Both6} {r.BeforeOnly6} {r.AfterOnly6} {r.Neither6} 12: {r.Both12} {r.BeforeOnly12} {r.AfterOnly12} {r.Neither12}";

    /// <summary>
    /// The people's rows as the upkeep left them equal the rows after a rebuild (which leaves them as
    /// it made them), and so does the whole summary by area the upkeep kept by difference; returns the rows.
    /// </summary>
    private async Task<List<OutcomeRollupRow>> ShouldEqualRebuildAsync(string step, params Guid[] people)
    {
        var kept = await app.AsSystemAsync((db, _) => db.Set<OutcomeRollupRow>().AsNoTracking().Where(r => people.Contains(r.PersonId)).ToListAsync());
        var keptSummary = await app.AsSystemAsync((db, _) => db.Set<OutcomeSummaryRow>().AsNoTracking().ToListAsync());
        await app.AsSystemAsync(db => OutcomeRollups.RebuildAsync(db, CancellationToken.None));
        var rebuilt = await app.AsSystemAsync((db, _) => db.Set<OutcomeRollupRow>().AsNoTracking().Where(r => people.Contains(r.PersonId)).ToListAsync());
        var rebuiltSummary = await app.AsSystemAsync((db, _) => db.Set<OutcomeSummaryRow>().AsNoTracking().ToListAsync());
        kept.Select(Line).Order(StringComparer.Ordinal).ShouldBe(rebuilt.Select(Line).Order(StringComparer.Ordinal), $"after {step}");
        keptSummary.Select(Line).Order(StringComparer.Ordinal).ShouldBe(rebuiltSummary.Select(Line).Order(StringComparer.Ordinal), $"the summary after {step}");
        keptSummary.ShouldNotContain(r => r.Children <= 0, $"after {step}: a cell counted down to nothing is removed");
        return kept;
    }

    private Task CalculatedAsync(params Guid[] measures) => OutcomeCalculation.ReadyAsync(app, measures);

    private static OutcomeRollupRow Row(List<OutcomeRollupRow> rows, Guid person, OutcomeGroup group, Guid measure) =>
        rows.Single(r => r.PersonId == person && r.Group == group && r.MeasureId == measure);

    private Task AsSystemAsync(Func<WaypointDbContext, Task> work) => app.AsSystemAsync(async db => { await work(db); await db.SaveChangesAsync(); });

    private static Person Child(WaypointDbContext db, TestPartnership p, string name)
    {
        var child = new Person
        {
            Kind = PersonKind.YoungPerson,
            GivenName = name,
            FamilyName = $"Rollup{p.Suffix}",
            DateOfBirth = new DateOnly(2011, 5, 5),
            AreaId = p.Ward.Id,
            OwnerOrganisationId = p.Hub.Id,
            CreatedAt = DateTimeOffset.UtcNow,
        };
        db.People.Add(child);
        return child;
    }

    private static Suspension Suspend(TestPartnership p, Guid child, DateOnly on, ExclusionKind kind = ExclusionKind.Suspension) => new()
    {
        PersonId = child,
        SchoolId = p.School.Id,
        Kind = kind,
        StartDate = on,
        Sessions = 2,
        ReasonCode1 = "PA",
        RecordedAt = DateTimeOffset.UtcNow,
    };

    private static Referral NotTakenOn(TestPartnership p, Guid child, DateOnly on) => new()
    {
        PersonId = child,
        ReporterOrganisationId = p.School.Id,
        AreaId = p.Ward.Id,
        Categories = nameof(ConcernCategory.Other),
        WhatIsKnown = "Not taken on",
        ReportedAt = At(on).AddDays(-1),
        DecisionDueBy = At(on),
        Status = ReferralStatus.Decided,
        Outcome = TriageOutcome.NoFurtherAction,
        Rationale = "Below threshold",
        DecidedAt = At(on),
    };

    private static Waypoint.Domain.Case ClosedCase(TestPartnership p, Guid child, DateOnly opened, DateOnly closed) => new()
    {
        PersonId = child,
        LeadOrganisationId = p.Youth.Id,
        Level = TriageOutcome.EarlyHelp,
        Status = CaseStatus.Closed,
        OpenedAt = At(opened),
        ClosedAt = At(closed),
        ClosureReason = CaseClosureReason.OutcomesMet,
    };

    [Fact]
    public async Task OutcomeRollup_AfterEveryKindOfWrite_EqualsRebuildFromRaw()
    {
        var p = await TestPartnership.CreateAsync(app);
        var officer = await p.UserAsync(p.Police);
        var closed = Today.AddMonths(-8); // the 12 months after are still filling
        var opened = closed.AddMonths(-3);
        var suspensions = new OutcomeMeasure { Name = $"Suspended {p.Suffix}", Rule = OutcomeRule.Suspensions, Threshold = 1, DefinedAt = DateTimeOffset.UtcNow };
        var police = new OutcomeMeasure { Name = $"Police {p.Suffix}", Rule = OutcomeRule.PoliceOccurrences, Threshold = 1, DefinedAt = DateTimeOffset.UtcNow };
        var care = new OutcomeMeasure { Name = $"Care {p.Suffix}", Rule = OutcomeRule.SteppedUpToSocialCare, Threshold = 1, DefinedAt = DateTimeOffset.UtcNow };
        var absence = new OutcomeMeasure { Name = $"Absence {p.Suffix}", Rule = OutcomeRule.PersistentAbsence, Threshold = 10, DefinedAt = DateTimeOffset.UtcNow };
        Guid a = default, b = default, c = default;
        Guid caseB = default;
        await AsSystemAsync(db =>
        {
            a = Child(db, p, "Ayo").Id;
            b = Child(db, p, "Bea").Id;
            c = Child(db, p, "Cal").Id;
            db.Cases.Add(ClosedCase(p, a, opened, closed));
            var open = ClosedCase(p, b, opened, closed);
            open.Status = CaseStatus.Open;
            open.ClosedAt = null;
            open.ClosureReason = null;
            caseB = open.Id;
            db.Cases.Add(open);
            db.Referrals.Add(NotTakenOn(p, c, closed));
            return Task.CompletedTask;
        });
        // Measures defined after the children: their rows are computed for everyone in a group.
        await AsSystemAsync(db => { db.OutcomeMeasures.AddRange(suspensions, police, care, absence); return Task.CompletedTask; });
        await CalculatedAsync(suspensions.Id, police.Id, care.Id, absence.Id);
        var rows = await ShouldEqualRebuildAsync("measures added", a, b, c);
        Guid[] mine = [suspensions.Id, police.Id, care.Id, absence.Id];
        rows.Count(r => mine.Contains(r.MeasureId)).ShouldBe(8, "A's closed case and C's hub decision, four measures each; B's case is open (other tests' measures are in the same database)");
        Row(rows, a, OutcomeGroup.EarlyHelp, suspensions.Id).After6.ShouldBe(false);
        Row(rows, c, OutcomeGroup.Comparison, suspensions.Id).Due12.ShouldBe(closed.AddMonths(12));

        // Manual entry: a suspension after the case closed; then corrected as withdrawn.
        var suspension = Suspend(p, a, closed.AddDays(10));
        await AsSystemAsync(db => { db.Suspensions.Add(suspension); return Task.CompletedTask; });
        Row(await ShouldEqualRebuildAsync("a suspension entered", a, b, c), a, OutcomeGroup.EarlyHelp, suspensions.Id).After6.ShouldBe(true);
        await AsSystemAsync(async db => (await db.Suspensions.SingleAsync(s => s.Id == suspension.Id)).Outcome = ExclusionOutcome.Withdrawn);
        Row(await ShouldEqualRebuildAsync("a suspension withdrawn", a, b, c), a, OutcomeGroup.EarlyHelp, suspensions.Id).After6.ShouldBe(false);

        // Police: an occurrence naming A and C, its date corrected to before, A's role made witness, then removed.
        var occurrence = new Occurrence
        {
            PoliceReference = $"OR-{p.Suffix}",
            OccurredOn = closed.AddDays(5),
            IncidentType = IncidentType.AntisocialBehaviour,
            OwnerOrganisationId = p.Police.Id,
            CategoryCode = RecordCategories.PoliceGeneral,
            RecordedByUserId = officer.Id,
            RecordedAt = DateTimeOffset.UtcNow,
        };
        occurrence.People.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = a, Role = OccurrenceRole.Suspect });
        occurrence.People.Add(new OccurrencePerson { OccurrenceId = occurrence.Id, PersonId = c, Role = OccurrenceRole.Victim });
        await AsSystemAsync(db => { db.Occurrences.Add(occurrence); return Task.CompletedTask; });
        rows = await ShouldEqualRebuildAsync("an occurrence entered", a, b, c);
        Row(rows, a, OutcomeGroup.EarlyHelp, police.Id).After6.ShouldBe(true);
        Row(rows, c, OutcomeGroup.Comparison, police.Id).After6.ShouldBe(true);
        await AsSystemAsync(async db => (await db.Occurrences.SingleAsync(o => o.Id == occurrence.Id)).OccurredOn = opened.AddDays(-5));
        rows = await ShouldEqualRebuildAsync("an occurrence's date corrected", a, b, c);
        Row(rows, a, OutcomeGroup.EarlyHelp, police.Id).ShouldSatisfyAllConditions(r => r.Before6.ShouldBe(true), r => r.After6.ShouldBe(false));
        await AsSystemAsync(async db => (await db.OccurrencePeople.SingleAsync(o => o.OccurrenceId == occurrence.Id && o.PersonId == a)).Role = OccurrenceRole.Witness);
        Row(await ShouldEqualRebuildAsync("a link's role corrected", a, b, c), a, OutcomeGroup.EarlyHelp, police.Id).Before6.ShouldBe(false);
        await AsSystemAsync(async db =>
        {
            db.RemoveRange(await db.OccurrencePeople.Where(x => x.OccurrenceId == occurrence.Id).ToListAsync());
            db.Remove(await db.Occurrences.SingleAsync(o => o.Id == occurrence.Id));
        });
        Row(await ShouldEqualRebuildAsync("an occurrence removed", a, b, c), c, OutcomeGroup.Comparison, police.Id).Before6.ShouldBe(false);

        // Attendance: half the sessions missed in the months after.
        await AsSystemAsync(db =>
        {
            db.AttendanceRecords.Add(new AttendanceRecord { PersonId = a, SchoolId = p.School.Id, PeriodStart = closed.AddDays(1), PeriodEnd = closed.AddDays(60), SessionsPossible = 80, SessionsPresent = 40, UnauthorisedAbsence = 40 });
            return Task.CompletedTask;
        });
        Row(await ShouldEqualRebuildAsync("attendance entered", a, b, c), a, OutcomeGroup.EarlyHelp, absence.Id).After6.ShouldBe(true);

        // Care: a step-up decided for C after the hub's decision.
        await AsSystemAsync(db =>
        {
            var r = NotTakenOn(p, c, closed.AddDays(30));
            r.Outcome = TriageOutcome.StepUpToChildrensSocialCare;
            db.Referrals.Add(r);
            return Task.CompletedTask;
        });
        Row(await ShouldEqualRebuildAsync("a step-up decided", a, b, c), c, OutcomeGroup.Comparison, care.Id).After6.ShouldBe(true);

        // B's case closed by stepping up, then reopened.
        await AsSystemAsync(async db =>
        {
            var k = await db.Cases.SingleAsync(x => x.Id == caseB);
            (k.Status, k.ClosedAt, k.ClosureReason) = (CaseStatus.Closed, At(closed), CaseClosureReason.SteppedUp);
        });
        Row(await ShouldEqualRebuildAsync("a case closed", a, b, c), b, OutcomeGroup.EarlyHelp, care.Id).After6.ShouldBe(true, "stepping up on the day it closed is in the months after");
        await AsSystemAsync(async db =>
        {
            var k = await db.Cases.SingleAsync(x => x.Id == caseB);
            (k.Status, k.ClosedAt, k.ClosureReason) = (CaseStatus.Open, null, null);
        });
        (await ShouldEqualRebuildAsync("a case reopened", a, b, c)).ShouldNotContain(r => r.PersonId == b);

        // C is taken on after all: a case opened within 12 months of the decision takes C out of the comparison.
        await AsSystemAsync(db =>
        {
            var k = ClosedCase(p, c, closed.AddDays(40), closed.AddDays(40));
            (k.Status, k.ClosedAt, k.ClosureReason) = (CaseStatus.Open, null, null);
            db.Cases.Add(k);
            return Task.CompletedTask;
        });
        (await ShouldEqualRebuildAsync("a case opened for the comparison's child", a, b, c)).ShouldNotContain(r => r.PersonId == c);

        // Merge and unmerge: a second entry for A, suspended after A's case closed.
        var away = await p.YoungPersonAsync("Ayo", $"Rollup{p.Suffix}", new DateOnly(2011, 5, 5));
        await AsSystemAsync(db => { db.Suspensions.Add(Suspend(p, away.Id, closed.AddDays(20))); return Task.CompletedTask; });
        var admin = await p.UserAsync(p.Hub, Roles.PartnershipAdmin);
        var merge = await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().MergeAsync(a, away.Id));
        Row(await ShouldEqualRebuildAsync("a merge", a, b, c, away.Id), a, OutcomeGroup.EarlyHelp, suspensions.Id).After6.ShouldBe(true, "the other entry's suspension is A's now");
        await app.AsUserAsync(admin, (_, services) => services.GetRequiredService<PersonMerger>().UnmergeAsync(merge.Id));
        Row(await ShouldEqualRebuildAsync("an unmerge", a, b, c, away.Id), a, OutcomeGroup.EarlyHelp, suspensions.Id).After6.ShouldBe(false);

        // A move to another district: the child's rows and their part of the summary go with them.
        var year = AcademicYear.Of(closed).StartYear;
        await AsSystemAsync(async db => (await db.People.SingleAsync(x => x.Id == a)).AreaId = p.OtherWard.Id);
        (await ShouldEqualRebuildAsync("a move", a, b, c)).Where(r => r.PersonId == a).ShouldAllBe(r => r.AreaId == p.OtherWard.Id);
        (await app.AsSystemAsync((db, _) => OutcomeRollups.CountsAsync(db, year, [p.OtherWard.Id], Today, CancellationToken.None)))
            [(year, OutcomeGroup.EarlyHelp, suspensions.Id, 6)].Neither.ShouldBe(1);
        await AsSystemAsync(async db => (await db.People.SingleAsync(x => x.Id == a)).AreaId = p.Ward.Id);
        await ShouldEqualRebuildAsync("a move back", a, b, c);

        // A measure removed takes its rows; the dashboard's sums equal a rebuild's.
        await AsSystemAsync(async db => db.OutcomeMeasures.Remove(await db.OutcomeMeasures.SingleAsync(m => m.Id == police.Id)));
        (await ShouldEqualRebuildAsync("a measure removed", a, b, c)).ShouldNotContain(r => r.MeasureId == police.Id);

        // Disposal of a register entry as retention does it (the rows first, then the entry set-based):
        // what A added to windows whose months after have passed is kept as a count, with no person or
        // date; the 12 months after, still filling, can never be completed, so are not kept.
        var before = await app.AsSystemAsync((db, _) => OutcomeRollups.CountsAsync(db, year, [p.Ward.Id], Today, CancellationToken.None));
        before[(year, OutcomeGroup.EarlyHelp, suspensions.Id, 6)].Neither.ShouldBe(1);
        before[(year, OutcomeGroup.EarlyHelp, suspensions.Id, 12)].Waiting.ShouldBe(1);
        await app.AsSystemAsync(async db =>
        {
            var merges = await db.PersonMerges.Where(m => m.SurvivorId == a || m.MergedId == a).Select(m => m.Id).ToListAsync();
            await db.PersonMergeSteps.Where(x => merges.Contains(x.MergeId)).ExecuteDeleteAsync();
            await db.PersonMerges.Where(m => merges.Contains(m.Id)).ExecuteDeleteAsync();
            await OutcomeRollups.DisposeAsync(db, [a], CancellationToken.None);
            await db.SaveChangesAsync();
            await db.Unfiltered<Person>("test: disposal of a register entry, as retention does it").Where(x => x.Id == a).ExecuteDeleteAsync();
        });
        (await ShouldEqualRebuildAsync("a register entry disposed of", a, b, c)).ShouldNotContain(r => r.PersonId == a);
        var kept = await app.AsSystemAsync((db, _) => OutcomeRollups.CountsAsync(db, year, [p.Ward.Id], Today, CancellationToken.None));
        kept[(year, OutcomeGroup.EarlyHelp, suspensions.Id, 6)].ShouldBe(new OutcomeCounts(0, 0, 0, 1, 0), "kept as a count through the disposal and the rebuild");
        kept.ContainsKey((year, OutcomeGroup.EarlyHelp, suspensions.Id, 12)).ShouldBeFalse();
        var tally = await app.AsSystemAsync((db, _) => db.Set<DisposedOutcomeCount>().AsNoTracking().SingleAsync(d => d.AreaId == p.Ward.Id && d.MeasureId == suspensions.Id && d.Group == OutcomeGroup.EarlyHelp));
        (tally.AcademicYear, tally.Neither6, tally.Neither12).ShouldBe((year, 1, 0));
    }

    [Fact]
    public async Task Measure_Added_IsCalculatedInTheBackgroundWithProgress_AndLeftOffTheDashboardUntilReady()
    {
        var p = await TestPartnership.CreateAsync(app);
        var closed = Today.AddMonths(-14);
        var children = new List<Guid>();
        await AsSystemAsync(db =>
        {
            for (var i = 0; i < 6; i++)
            {
                var child = Child(db, p, $"Bg{i}").Id;
                children.Add(child);
                db.Cases.Add(ClosedCase(p, child, closed.AddMonths(-3), closed));
                db.Suspensions.Add(Suspend(p, child, closed.AddDays(20)));
            }
            return Task.CompletedTask;
        });
        // Added as the page adds it, with a worker (another instance, say) holding it for now.
        var measure = new OutcomeMeasure { Name = $"Background {p.Suffix}", Rule = OutcomeRule.Suspensions, Threshold = 1, DefinedAt = DateTimeOffset.UtcNow, CalculationHeldUntil = DateTimeOffset.UtcNow.AddMinutes(5) };
        await AsSystemAsync(db => { db.OutcomeMeasures.Add(measure); return Task.CompletedTask; });
        var saved = await app.AsSystemAsync((db, _) => db.OutcomeMeasures.AsNoTracking().SingleAsync(m => m.Id == measure.Id));
        saved.Calculating.ShouldBeTrue("the save that adds it does not compute it");
        (await app.AsSystemAsync((db, _) => db.Set<OutcomeRollupRow>().CountAsync(r => r.MeasureId == measure.Id))).ShouldBe(0);

        var analyst = await app.SignInAsync(await p.UserAsync(p.Police, Roles.Analyst));
        var year = AcademicYear.Of(closed).StartYear;
        var doc = Clients.Parse(await analyst.GetStringAsync($"/statistics/outcomes?Year={year}&District={p.County.Id}"));
        doc.QuerySelector($"#calculating [data-measure='{measure.Name}']")!.TextContent.ShouldContain("waiting to start");
        doc.QuerySelector($"table[data-measure='{measure.Name}']").ShouldBeNull("left off the figures until it is ready");

        // The hold runs out (the worker died): any worker takes it up and calculates it.
        await app.AsSystemAsync(db => db.OutcomeMeasures.Where(m => m.Id == measure.Id).ExecuteUpdateAsync(x => x.SetProperty(m => m.CalculationHeldUntil, DateTimeOffset.UtcNow.AddMinutes(-1))));
        await CalculatedAsync(measure.Id);
        var done = await app.AsSystemAsync((db, _) => db.OutcomeMeasures.AsNoTracking().SingleAsync(m => m.Id == measure.Id));
        (done.Calculating, done.CalculationHeldUntil).ShouldBe((false, (DateTimeOffset?)null));
        done.CalculatedPeople.ShouldBe(done.PeopleToCalculate);
        done.PeopleToCalculate.ShouldBeGreaterThanOrEqualTo(6);
        (await app.AsSystemAsync((db, _) => db.Set<OutcomeRollupRow>().CountAsync(r => r.MeasureId == measure.Id && children.Contains(r.PersonId)))).ShouldBe(6);
        await ShouldEqualRebuildAsync("a measure calculated in the background", [.. children]);

        doc = Clients.Parse(await analyst.GetStringAsync($"/statistics/outcomes?Year={year}&District={p.County.Id}"));
        doc.QuerySelector($"#calculating [data-measure='{measure.Name}']").ShouldBeNull();
        doc.QuerySelector($"table[data-measure='{measure.Name}'][data-period='{new AcademicYear(year)}'] tr[data-group='{JointOutcomes.EarlyHelp}'][data-months='6'] [data-after]")!
            .TextContent.Trim().ShouldBe("6", "all six were suspended in the months after");
    }

    [Fact]
    public async Task Dashboard_FromTheRollup_ShowsFiguresWorkedOutByHand()
    {
        var p = await TestPartnership.CreateAsync(app);
        var measure = new OutcomeMeasure { Name = $"Two suspensions {p.Suffix}", Rule = OutcomeRule.Suspensions, Threshold = 2, DefinedAt = DateTimeOffset.UtcNow };
        await AsSystemAsync(db => { db.OutcomeMeasures.Add(measure); return Task.CompletedTask; });
        await CalculatedAsync(measure.Id);
        // Early help: 24 children whose case closed 13 months ago (both windows passed) and 9 whose
        // case closed 8 months ago (the 12 months after still filling). Child i has two suspensions
        // in the 3 months before the case opened when i % 2 == 0, two in the 3 months after it
        // closed when i % 3 == 0, and one only (not enough) after when i % 5 == 1.
        // Comparison: 12 children not taken on 13 months ago, two suspensions after when i % 4 == 0.
        var longAgo = Today.AddMonths(-13);
        var recently = Today.AddMonths(-8);
        var generated = new List<(DateOnly Closed, int I)>();
        await AsSystemAsync(db =>
        {
            for (var i = 0; i < 33; i++)
            {
                var closed = i < 24 ? longAgo : recently;
                var opened = closed.AddMonths(-4);
                var child = Child(db, p, $"Gen{i}").Id;
                db.Cases.Add(ClosedCase(p, child, opened, closed));
                if (i % 2 == 0)
                    db.Suspensions.AddRange(Suspend(p, child, opened.AddDays(-40)), Suspend(p, child, opened.AddDays(-20)));
                if (i % 3 == 0)
                    db.Suspensions.AddRange(Suspend(p, child, closed.AddDays(15)), Suspend(p, child, closed.AddDays(45)));
                if (i % 5 == 1)
                    db.Suspensions.Add(Suspend(p, child, closed.AddDays(30)));
                generated.Add((closed, i));
            }
            for (var i = 0; i < 12; i++)
            {
                var child = Child(db, p, $"Cmp{i}").Id;
                db.Referrals.Add(NotTakenOn(p, child, longAgo));
                if (i % 4 == 0)
                    db.Suspensions.AddRange(Suspend(p, child, longAgo.AddDays(10)), Suspend(p, child, longAgo.AddDays(70)));
            }
            return Task.CompletedTask;
        });

        var analyst = await app.SignInAsync(await p.UserAsync(p.Police, Roles.Analyst));
        foreach (var year in generated.Select(g => AcademicYear.Of(g.Closed)).Distinct())
        {
            var doc = Clients.Parse(await analyst.GetStringAsync($"/statistics/outcomes?Year={year.StartYear}&District={p.County.Id}"));
            string Cell(string group, int months, string column) =>
                doc.QuerySelector($"table[data-measure='{measure.Name}'][data-period='{year}'] tr[data-group='{group}'][data-months='{months}'] [{column}]")!.TextContent.Trim();
            string Shown(int n) => n is > 0 and < 5 ? "c" : n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            foreach (var months in new[] { 6, 12 })
            {
                // By hand: who counts (their months after have passed), who had it before, who after.
                var counted = generated.Where(g => AcademicYear.Of(g.Closed) == year && g.Closed.AddMonths(months) <= Today).ToList();
                var waiting = generated.Count(g => AcademicYear.Of(g.Closed) == year && g.Closed.AddMonths(months) > Today);
                var children = counted.Count;
                if (children == 0)
                    continue;
                var before = counted.Count(g => g.I % 2 == 0);
                var after = counted.Count(g => g.I % 3 == 0);
                Cell(JointOutcomes.EarlyHelp, months, "data-children").ShouldBe(Shown(children), $"{year}, {months} months");
                Cell(JointOutcomes.EarlyHelp, months, "data-before").ShouldBe(Shown(before), $"{year}, {months} months");
                Cell(JointOutcomes.EarlyHelp, months, "data-after").ShouldBe(Shown(after), $"{year}, {months} months");
                doc.QuerySelector($"table[data-measure='{measure.Name}'][data-period='{year}'] tr[data-group='{JointOutcomes.EarlyHelp}'][data-months='{months}'] [data-incomplete]")!
                    .TextContent.Contains("not all passed yet", StringComparison.Ordinal).ShouldBe(waiting > 0);
                if (children >= 5 && before >= 5 && after >= 5)
                {
                    var points = (after - before) * 100.0 / children;
                    Cell(JointOutcomes.EarlyHelp, months, "data-change").ShouldStartWith(points.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " (");
                }
            }
            if (AcademicYear.Of(longAgo) == year)
            {
                Cell(JointOutcomes.Comparison, 6, "data-children").ShouldBe("12");
                Cell(JointOutcomes.Comparison, 6, "data-before").ShouldBe("0");
                Cell(JointOutcomes.Comparison, 6, "data-after").ShouldBe("c", "3 of 12 (i = 0, 4, 8): below 5");
            }
            if (AcademicYear.Of(recently) == year)
                doc.QuerySelector("#notes")!.TextContent.ShouldContain("12 months after have not yet passed for every child");
        }
    }
}

public sealed class OutcomeRollupTestsOnSqlite(SqliteApp app) : OutcomeRollupTests(app), IClassFixture<SqliteApp>;

public sealed class OutcomeRollupTestsOnPostgres(PostgresApp app) : OutcomeRollupTests(app), IClassFixture<PostgresApp>;
