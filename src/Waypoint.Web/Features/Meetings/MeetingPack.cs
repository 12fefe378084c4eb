using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;
using Waypoint.Features.Schools.Rules;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Meetings;

/// <summary>A year's attendance at one school, as the pack shows it: DfE's rate (100 less the absence rate, rounded as DfE rounds) and level.</summary>
public sealed record PackAttendance(string School, int SessionsPresent, AbsenceSummary Absence)
{
    public string Describe() =>
        $"{(Absence.AttendanceRate is { } p ? p.ToString("0.0", CultureInfo.InvariantCulture) + "%" : "no possible sessions")} at {School} ({SessionsPresent} of {Absence.SessionsPossible} sessions)"
        + Absence.Level switch
        {
            AbsenceLevel.Severe => ": severely absent",
            AbsenceLevel.Persistent => ": persistently absent",
            _ => "",
        };
}

/// <summary>A meeting's earlier decision about the child, from the same series.</summary>
public sealed record PackEarlierDecision(DateOnly MeetingDate, MeetingDecisionKind Decision);

/// <summary>One child of the pre-meeting pack: everything the reader may see that the meeting needs, on one page.</summary>
public sealed record PackChild(
    int Number,
    Guid PersonId,
    string Name,
    DateOnly? DateOfBirth,
    int? Age,
    string? School,
    int? YearGroup,
    AgendaItemSource Source,
    string Why,
    PersonSummaryView? Summary,
    IReadOnlyList<PackAttendance> Attendance,
    int Suspensions,
    int SuspensionSessions,
    int PermanentExclusions,
    IReadOnlyList<string> OpenAlerts,
    IReadOnlyList<string>? PoliceFlags,
    IReadOnlyList<PackEarlierDecision> EarlierDecisions);

/// <summary>The pre-meeting pack: the children on the agenda the reader may see, in agenda order, and how many others there are.</summary>
public sealed record MeetingPackView(string Series, DateOnly MeetingDate, AcademicYear Year, IReadOnlyList<PackChild> Children, int NotShown, bool ForPolice);

/// <summary>
/// Builds the pre-meeting pack (issue 12, item 4): per child on the agenda, a one-page summary made
/// only of what the reader may see. Every part is read through the policy's query filters, or (the
/// summary card) by the id of a child opened through the policy as the person page reads it, so a
/// record the reader's organisation may not see is simply absent; police information (current
/// flags) is shown to police readers only, whatever else the agreement allows. The children named
/// are opened and audited as read (the page) or exported (the PDF) before anything of theirs is read.
/// </summary>
public sealed class MeetingPack(WaypointDbContext db, PersonAccess access, TimeProvider clock)
{
    public async Task<MeetingPackView> BuildAsync(Meeting meeting, AuditAction audited, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var year = AcademicYear.Of(today);
        var items = await db.Set<AgendaItem>().AsNoTracking()
            .Where(i => i.MeetingId == meeting.Id && i.RemovedAt == null).OrderBy(i => i.Position)
            .Select(i => new { i.PersonId, i.Person!.GivenName, i.Person.FamilyName, i.Person.DateOfBirth, i.Source, i.Why })
            .ToListAsync(ct);
        var all = await MeetingWork.AgendaSizeAsync(db, meeting.Id, ct);
        var ids = items.Select(i => i.PersonId).ToList();
        // The children opened (and audited as read, or exported) in one statement and one append: each card is then read
        // by the child's id, as the person page reads it, not through the filters (a plan of 44–72 ms a child).
        var opened = await access.OpenManyAsync(ids, audited, $"meeting.pack {meeting.Id}", ct);

        var enrolments = (await db.Enrolments.AsNoTracking()
                .Where(e => ids.Contains(e.PersonId) && e.StartDate <= today && (e.EndDate == null || e.EndDate >= today))
                .Select(e => new { e.PersonId, e.StartDate, e.YearGroup, e.IsDualRegistration, School = e.School!.Name, e.School.Urn })
                .ToListAsync(ct))
            .GroupBy(e => e.PersonId)
            .ToDictionary(g => g.Key, g => g.OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate).First());
        var attendance = (await db.AttendanceRecords.AsNoTracking()
                .Where(a => ids.Contains(a.PersonId) && a.PeriodEnd >= year.Start && a.PeriodStart <= year.End)
                .GroupBy(a => new { a.PersonId, School = a.School!.Name })
                .Select(g => new
                {
                    g.Key.PersonId,
                    g.Key.School,
                    Possible = g.Sum(a => a.SessionsPossible),
                    Present = g.Sum(a => a.SessionsPresent),
                    Authorised = g.Sum(a => a.AuthorisedAbsence),
                    Unauthorised = g.Sum(a => a.UnauthorisedAbsence),
                })
                .ToListAsync(ct))
            .ToLookup(a => a.PersonId, a => new PackAttendance(a.School, a.Present, new AbsenceSummary(a.Possible, a.Authorised, a.Unauthorised)));
        var suspensions = (await db.Suspensions.AsNoTracking()
                .Where(s => ids.Contains(s.PersonId) && (s.Kind == ExclusionKind.PermanentExclusion || s.StartDate >= year.Start))
                .Select(s => new { s.PersonId, s.Kind, s.Sessions })
                .ToListAsync(ct))
            .ToLookup(s => s.PersonId);
        var alerts = (await db.Alerts.AsNoTracking()
                .Where(a => ids.Contains(a.PersonId) && a.Status != AlertStatus.Closed)
                .OrderByDescending(a => a.TriggeredOn)
                .Select(a => new { a.PersonId, a.Rule, a.TriggeredOn })
                .ToListAsync(ct))
            .ToLookup(a => a.PersonId, a => $"{Alerts.AlertRules.Of(a.Rule).Name} ({a.TriggeredOn:d MMMM yyyy})");
        var forPolice = db.Reader.OrganisationType == OrganisationType.Police;
        var flags = forPolice
            ? (await db.PersonFlags.AsNoTracking().Where(FlagRules.Counts(today)).Where(f => ids.Contains(f.PersonId))
                    .Select(f => new { f.PersonId, f.Kind, f.ReviewOn }).ToListAsync(ct))
                .ToLookup(f => f.PersonId, f => $"{FlagRules.Describe(f.Kind)} (review by {f.ReviewOn:d MMMM yyyy})")
            : null;
        var earlier = (await db.Set<AgendaItem>().AsNoTracking()
                .Where(i => ids.Contains(i.PersonId) && i.Meeting!.SeriesId == meeting.SeriesId && i.Meeting.Date < meeting.Date
                    && i.RemovedAt == null && i.Decision != null)
                .OrderByDescending(i => i.Meeting!.Date)
                .Select(i => new { i.PersonId, i.Meeting!.Date, i.Decision })
                .ToListAsync(ct))
            .ToLookup(i => i.PersonId, i => new PackEarlierDecision(i.Date, i.Decision!.Value));

        var children = new List<PackChild>(items.Count);
        foreach (var (item, n) in items.Select((item, n) => (item, n + 1)))
        {
            var enrolment = enrolments.GetValueOrDefault(item.PersonId);
            var sus = suspensions[item.PersonId].ToList();
            children.Add(new PackChild(
                n,
                item.PersonId,
                $"{item.GivenName} {item.FamilyName}",
                item.DateOfBirth,
                item.DateOfBirth is { } dob ? Ages.On(dob, today) : null,
                enrolment is null ? null : enrolment.Urn is null ? enrolment.School : $"{enrolment.School} (URN {enrolment.Urn})",
                enrolment?.YearGroup,
                item.Source,
                item.Why,
                opened.TryGetValue(item.PersonId, out var child) ? await PersonSummaryCard.LoadAsync(db, access, child, today, ct) : null,
                attendance[item.PersonId].OrderBy(a => a.School, StringComparer.Ordinal).ToList(),
                sus.Count(s => s.Kind == ExclusionKind.Suspension),
                sus.Where(s => s.Kind == ExclusionKind.Suspension).Sum(s => s.Sessions ?? 0),
                sus.Count(s => s.Kind == ExclusionKind.PermanentExclusion),
                alerts[item.PersonId].ToList(),
                flags?[item.PersonId].ToList(),
                earlier[item.PersonId].Take(3).ToList()));
        }
        return new MeetingPackView(meeting.Series!.Name, meeting.Date, year, children, all - items.Count, forPolice);
    }

    /// <summary>The pack as a PDF: each child on a page of their own, marked OFFICIAL-SENSITIVE.</summary>
    public static byte[] Write(MeetingPackView pack, string printedBy, DateTimeOffset printedAt)
    {
        var document = new PrintedDocument($"Pre-meeting pack: {pack.Series}, {pack.MeetingDate:d MMMM yyyy}");
        document.Paragraph($"Children on the agenda you may see: {pack.Children.Count}."
            + (pack.NotShown > 0 ? $" {pack.NotShown} more {(pack.NotShown == 1 ? "is" : "are")} on the agenda but not in your copy: your organisation cannot see them." : ""), muted: true);
        foreach (var child in pack.Children)
        {
            if (child.Number > 1)
                document.PageBreak();
            document.Heading($"{child.Number}. {child.Name}");
            foreach (var (label, value) in Lines(child, pack))
                document.Field(label, value);
        }
        return document.Render(printedBy, printedAt);
    }

    /// <summary>The pack's rows for a child, label then value, shared by the page and the PDF so the two never differ.</summary>
    public static IEnumerable<(string Label, string Value)> Lines(PackChild child, MeetingPackView pack)
    {
        yield return ("Why on the agenda", $"{MeetingLabels.Of(child.Source)}: {child.Why}");
        yield return ("Date of birth", child.DateOfBirth is { } dob ? $"{dob:d MMMM yyyy} (age {child.Age})" : "Not known");
        yield return ("School", child.School is null ? "No current school you can see" : child.YearGroup is { } y ? $"{child.School}, year {y}" : child.School);
        yield return ($"Attendance {pack.Year}", child.Attendance.Count == 0 ? "No attendance you can see this year" : string.Join("; ", child.Attendance.Select(a => a.Describe())));
        yield return ($"Suspensions {pack.Year}", child.Suspensions == 0 ? "None you can see" : $"{child.Suspensions} ({child.SuspensionSessions} sessions)");
        if (child.PermanentExclusions > 0)
            yield return ("Permanent exclusions", child.PermanentExclusions.ToString(CultureInfo.InvariantCulture));
        yield return ("Open alerts", child.OpenAlerts.Count == 0 ? "None you can see" : string.Join("; ", child.OpenAlerts));
        var summary = child.Summary;
        yield return ("Top 10", summary?.TopTenText ?? "Not on a school's top 10 you can see");
        yield return ("Open case", summary?.OpenCase is { } c
            ? $"{c.Level} case led by {c.LeadOrganisation}{(c.LeadPractitioner is null ? "" : $" ({c.LeadPractitioner})")}{(c.NextReviewOn is { } r ? $", next review {r:d MMMM yyyy}" : "")}"
            : "None you can see");
        yield return ("Consent", summary?.Consent is { } consent
            ? $"{consent.Outcome} for {consent.ForOrganisation}, asked {consent.AskedOn:d MMMM yyyy}{(consent.ExpiresOn is { } e ? $", {(summary.ConsentExpired ? "expired" : "expires")} {e:d MMMM yyyy}" : "")}"
            : "None recorded that you can see");
        if (child.PoliceFlags is { } flags)
            yield return ("Police flags", flags.Count == 0 ? "None current" : string.Join("; ", flags));
        if (child.EarlierDecisions.Count > 0)
            yield return ("Earlier meetings", string.Join("; ", child.EarlierDecisions.Select(d => $"{d.MeetingDate:d MMMM yyyy}: {MeetingLabels.Of(d.Decision)}")));
    }
}
