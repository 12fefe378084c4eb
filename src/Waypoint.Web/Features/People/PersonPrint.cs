using System.Globalization;
using Waypoint.Domain;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.People;

/// <summary>
/// The person page as a PDF made on the server, every section of it: the same parts, read the same way, so a
/// reader's copy holds only what their pages show them. Links and buttons have no place on paper.
/// </summary>
public static class PersonPrint
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-GB");

    public static PrintedDocument Build(PersonModel page, string organisation)
    {
        var p = page.Person!;
        var name = $"{p.GivenName} {p.FamilyName}";
        var doc = new PrintedDocument($"Person record: {name}")
            .Paragraph($"Only what {organisation} may see under the information-sharing agreement is shown; other partners may hold more.", muted: true);

        doc.Heading("Details")
            .Field("Name", name + (p.PreferredName is null ? "" : $" (known as {p.PreferredName})"))
            .Field("Type", p.Kind == PersonKind.YoungPerson ? "Young person" : "Adult")
            .Field("Date of birth", p.DateOfBirth is { } dob ? $"{dob.ToString("d MMMM yyyy", En)} (age {page.Age})" : "Not known");
        // Sex only where the reader may see pupil characteristics (PersonAccess.ShowsRegisterSex decided it).
        if (p.Sex is { } sex)
            doc.Field("Sex", sex == Sex.Unknown ? "Not recorded" : sex.ToString());
        doc
            .Field("Ward", p.Ward)
            .Field("Address", p.Household is { } h
                ? string.Join("\n", new[] { h.AddressLine1, h.AddressLine2, h.Town, h.Postcode }.Where(l => !string.IsNullOrWhiteSpace(l)))
                : "Not recorded, or not shared with your organisation");

        var s = page.Summary;
        doc.Heading("At a glance")
            .Field("Open case", s?.OpenCase is { } c
                ? $"{Referrals.TriageLabels.Describe(c.Level).Replace(" (opens a case)", "", StringComparison.Ordinal)}, led by {c.LeadOrganisation}"
                    + (c.LeadPractitioner is { } lead ? $" ({lead})" : "")
                    + (c.NextReviewOn is { } review ? $"; review {review.ToString("d MMMM yyyy", En)}{(review < s.Today ? " (overdue)" : "")}" : "")
                : "None you may see")
            .Field("Open alerts", s is { OpenAlerts: > 0 } ? $"{s.OpenAlerts} open alert{(s.OpenAlerts == 1 ? "" : "s")}" : "None")
            .Field("Top 10", s?.TopTenText ?? "Not on a list you may see")
            .Field("Consent", s?.Consent is { } consent
                ? $"{consent.Outcome} for {consent.ForOrganisation}, {consent.AskedOn.ToString("d MMMM yyyy", En)}"
                    + (consent.ExpiresOn is { } expires ? $"; {(s.ConsentExpired ? "expired" : "expires")} {expires.ToString("d MMMM yyyy", En)}" : "")
                : "None recorded that you may see");

        doc.Heading("Identifiers");
        if (p.Identifiers.Count == 0)
            doc.Paragraph("No identifiers your organisation may see.");
        foreach (var i in p.Identifiers)
            doc.Field(PersonModel.Describe(i.Scheme), $"{i.Value} (recorded by {i.RecordedBy})");

        doc.Heading("Family");
        if (p.Relatives.Count == 0)
            doc.Paragraph("No family members your organisation may see.");
        foreach (var r in p.Relatives)
            doc.Field(r.Relationship, r.Name + (r.DateOfBirth is { } rd ? $", born {rd.ToString("d MMMM yyyy", En)}" : ""));
        if (p.HiddenRelatives > 0)
            doc.Paragraph($"{p.HiddenRelatives} more {(p.HiddenRelatives == 1 ? "relationship is" : "relationships are")} recorded with people your organisation has no relationship with.", muted: true);

        doc.Heading("Schools");
        if (p.Enrolments.Count == 0)
            doc.Paragraph("No enrolments your organisation may see.");
        foreach (var e in p.Enrolments)
            doc.Field($"{e.StartDate.ToString("d MMM yyyy", En)} to {(e.EndDate?.ToString("d MMM yyyy", En) ?? "now")}",
                e.SchoolWithUrn + (e.IsDualRegistration ? " (dual registration)" : "") + (e.YearGroup is { } y ? (y == 0 ? ", Reception" : $", Year {y}") : ""));

        if (page.SchoolRecords is { } records)
        {
            doc.Heading("School records");
            if (records.IsEmpty)
                doc.Paragraph("No school records your organisation may see.");
            else
            {
                var year = records.YearAttendance;
                doc.Field($"Attendance {records.Year}", year.AttendanceRate is { } rate
                    ? $"{rate.ToString("0.0", CultureInfo.InvariantCulture)}% ({year.SessionsMissed} of {year.SessionsPossible} sessions missed)"
                    : "No attendance recorded for this academic year yet");
                doc.Field($"Suspensions {records.Year}", $"{records.YearSuspensions.Days.ToString("0.#", CultureInfo.InvariantCulture)} days");
                foreach (var sus in records.Suspensions)
                    doc.Field(sus.StartDate.ToString("d MMM yyyy", En), $"{(sus.Kind == ExclusionKind.PermanentExclusion ? "Permanent exclusion" : "Suspension")} at {sus.School}"
                        + (sus.Sessions is { } sessions ? $", {sessions / 2m:0.#} days" : ""));
                foreach (var b in records.Behaviour)
                    doc.Field(b.OccurredOn.ToString("d MMM yyyy", En), $"Behaviour at {b.School}: {b.Description}");
            }
        }

        doc.Heading("Police and risk");
        doc.Paragraph(page.Risk is { } risk
            ? $"Offending-related risk: {Risk.PoliceLabels.Describe(risk.Offending)}. Vulnerability: {Risk.PoliceLabels.Describe(risk.Vulnerability)}."
            : "No risk factor applies.");

        doc.Heading("Team around the person");
        if (p.Involvements.Count == 0)
            doc.Paragraph("No organisations recorded as involved that your organisation may see.");
        foreach (var i in p.Involvements)
            doc.Field(i.Organisation, $"{i.Reason} ({Access.AccessPolicy.DescribeSource(i.Source)}), {i.StartDate.ToString("d MMM yyyy", En)} to {(i.EndDate?.ToString("d MMM yyyy", En) ?? "ongoing")}");

        doc.Heading("Cases and concerns");
        if (page.Cases.Count == 0 && page.Referrals.Count == 0)
            doc.Paragraph("No cases or child-concern reports that you may see.");
        foreach (var (_, text, open) in page.Cases)
            doc.Field(open ? "Open case" : "Closed case", text);
        foreach (var (_, text, awaiting) in page.Referrals)
            doc.Field(awaiting ? "Concern, awaiting triage" : "Concern, decided", text);

        doc.Heading("Why you can see this");
        foreach (var basis in p.WhyVisible)
            doc.Paragraph("- " + basis.Description);
        doc.Paragraph("This copy was printed from Waypoint and its printing recorded. Keep it as OFFICIAL-SENSITIVE; destroy it when it is no longer needed.", muted: true);
        return doc;
    }
}
