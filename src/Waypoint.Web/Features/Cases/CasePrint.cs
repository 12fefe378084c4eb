using System.Globalization;
using Waypoint.Domain;
using Waypoint.Shell.Exports;

namespace Waypoint.Features.Cases;

/// <summary>
/// A case summary as a PDF made on the server, from what the case page loaded for this reader: the
/// lead, family, plan, team, actions, notes the agreement shares, reviews and history. Forms,
/// choices and buttons stay on the page.
/// </summary>
public static class CasePrint
{
    private static readonly CultureInfo En = CultureInfo.GetCultureInfo("en-GB");

    private static string Day(DateOnly d) => d.ToString("d MMMM yyyy", En);

    private static string Day(DateTimeOffset at) => TimeZoneInfo.ConvertTime(at, Notifications.NoticeDays.Zone).ToString("d MMMM yyyy", En);

    public static PrintedDocument Build(CaseModel page, string organisation)
    {
        var c = page.Case!;
        var person = page.Person!;
        var name = $"{person.GivenName} {person.FamilyName}";
        var doc = new PrintedDocument($"Case summary: {name}")
            .Paragraph($"Only what {organisation} may see under the information-sharing agreement is shown; other partners may hold more.", muted: true)
            .Field("Level", Referrals.TriageLabels.Describe(c.Level))
            .Field("Status", c.Status == CaseStatus.Open ? "Open" : "Closed" + (c.ClosureReason is { } why ? $": {CaseWork.Describe(why)}" : ""))
            .Field("Date of birth", person.DateOfBirth is { } dob ? Day(dob) : "Not known")
            .Field("Lead organisation", page.Lead ?? "")
            .Field("Lead practitioner", page.LeadPractitioner ?? "Not named yet")
            .Field("Opened", Day(c.OpenedAt))
            .Field("Next review", (c.NextReviewOn is { } next ? Day(next) : "Not set") + (page.ReviewOverdue ? " (overdue)" : ""));
        if (page.SteppedUpTo is { } steppedUpTo)
            doc.Field("Stepped up to", steppedUpTo);

        doc.Heading("Family");
        if (page.Family.Count == 0)
            doc.Paragraph("No family members linked to the case.");
        foreach (var f in page.Family)
            doc.Field(f.Relationship, f.Name);

        doc.Heading("Plan");
        if (page.Goals.Count == 0)
            doc.Paragraph("No goals yet.");
        foreach (var g in page.Goals)
            doc.Field(CasePlan.Describe(g.Status), g.Text);

        doc.Heading("Team around the family");
        doc.Field("Lead", page.Lead ?? "");
        foreach (var m in page.Members)
            doc.Field("Member", $"{m.Organisation}, since {Day(m.JoinedAt)}");

        doc.Heading("Actions");
        if (page.Actions.Count == 0 && page.MeetingActions.Count == 0)
            doc.Paragraph("No actions yet.");
        foreach (var a in page.Actions)
            doc.Field($"Due {a.DueOn.ToString("d MMM yyyy", En)}",
                $"{a.Description}\n{a.Owner}; {(a.Status == CaseActionStatus.Done ? "done" : a.Overdue ? "overdue" : "open")}{(a.Goal is { } goal ? $"; towards: {goal}" : "")}");
        foreach (var a in page.MeetingActions)
            doc.Field($"Due {a.DueOn.ToString("d MMM yyyy", En)}",
                $"{a.Description}\n{a.Owner}; {(a.Done ? "done" : a.Overdue ? "overdue" : "open")}; agreed at {a.Meeting}");

        doc.Heading("Notes");
        if (page.Notes.Count == 0)
            doc.Paragraph("No notes that you may see.");
        foreach (var n in page.Notes)
            doc.Field(Day(n.At), $"{n.Category}, by {n.Author} ({n.Organisation}); lawful basis: {CasePlan.Describe(n.Basis)}\n{n.Text}");
        if (page.NotesWithheld > 0)
            doc.Paragraph($"{page.NotesWithheld} {(page.NotesWithheld == 1 ? "note is" : "notes are")} in categories the sharing agreement does not share with your organisation.", muted: true);

        doc.Heading("Reviews");
        if (page.Reviews.Count == 0)
            doc.Paragraph("No reviews recorded yet.");
        foreach (var r in page.Reviews)
            doc.Field(Day(r.HeldOn), $"{r.Summary}\nBy {r.By}{(r.NextReviewOn is { } nr ? $"; next review {Day(nr)}" : "")}");

        doc.Heading("History");
        foreach (var e in page.History)
            doc.Field(Day(e.At), e.Text);
        doc.Paragraph("This copy was printed from Waypoint and its printing recorded. Keep it as OFFICIAL-SENSITIVE; destroy it when it is no longer needed.", muted: true);
        return doc;
    }
}
