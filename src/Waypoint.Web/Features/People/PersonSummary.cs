using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

public sealed record TopTenStanding(string School, int Rank, int Days);

public sealed record OpenCaseStanding(Guid Id, TriageOutcome Level, string LeadOrganisation, string? LeadPractitioner, DateOnly? NextReviewOn);

public sealed record ConsentStanding(ConsentOutcome Outcome, string ForOrganisation, DateOnly AskedOn, DateOnly? ExpiresOn);

/// <summary>
/// What a caseworker needs at a glance about a person, each part only as far as the reader may see it; and whether any
/// challenge to the person's records is one the disputed-records banner shows (<see cref="Challenges.ChallengeWork.Shown"/>:
/// the banner then reads which, as far as the reader may see the records; without one it reads nothing).
/// </summary>
public sealed record PersonSummaryView(int OpenAlerts, TopTenStanding? TopTen, OpenCaseStanding? OpenCase, ConsentStanding? Consent, DateOnly Today,
    bool Disputed = true)
{
    /// <summary>"Rank 1 at School A, on the list for 1 day": how long the pupil has been on the school's list.</summary>
    public string? TopTenText => TopTen is { } t
        ? $"Rank {t.Rank} at {t.School}, on the list {(t.Days == 0 ? "since today" : $"for {t.Days} {(t.Days == 1 ? "day" : "days")}")}"
        : null;

    public bool ConsentExpired => Consent?.ExpiresOn is { } expires && expires < Today;
}

/// <summary>
/// The person page's summary card, in one query: a projection from the person whose every part is
/// only what the reader may see, so an alert, nomination, case or consent the reader may not see is
/// simply not counted. The person page reads the parts of the person it has opened by the person's
/// id (<see cref="OpenedPersonRead"/>: the filters' rules without the Person filter repeated in each
/// part, which PostgreSQL planned for 44–72 ms on every call), in the statement that reads the
/// person's records. Triage (the report's child) and a meeting's pack (each child, opened with
/// <see cref="PersonAccess.OpenManyAsync"/>) read the card alone the same way; the filtered read
/// remains for comparison (PersonSummaryTests).
/// </summary>
public static class PersonSummaryCard
{
    /// <summary>The card of a person read through the query filters, every part (the rule the by-id read must match: PersonSummaryTests).</summary>
    public static Task<PersonSummaryView?> LoadAsync(WaypointDbContext db, Guid personId, DateOnly today, CancellationToken ct = default) =>
        ReadAsync(db, db.People, personId, db.Alerts, db.TopTenNominations, db.Cases, db.ConsentRecords, today, ct);

    /// <summary>
    /// The card of an opened person: its parts read by the person's id, each with its filter's rule and the request's agreement
    /// flows, in one statement compiled once (<see cref="OpenedPersonRead"/>, which the person page reads with the person's records).
    /// </summary>
    public static async Task<PersonSummaryView> LoadAsync(WaypointDbContext db, PersonAccess access, OpenedPerson opened, DateOnly today, CancellationToken ct = default)
    {
        var flows = await access.FlowsAsync(opened, ct);
        var row = await OpenedPersonRead.ReadAsync(db, OpenedPersonRead.Parts.Card, opened, flows)
            ?? throw new InvalidOperationException("An opened person was not found by id.");
        return ViewOf(row, flows, today);
    }

    /// <summary>
    /// The card from an opened person's read (<see cref="OpenedPersonRead"/>): the latest consent record is the first, newest first,
    /// whose asking agency's case work reaches the reader (the ConsentRecord filter's rule, from the request's pairs).
    /// </summary>
    internal static PersonSummaryView ViewOf(OpenedPersonRead.Row row, AgreementFlows flows, DateOnly today)
    {
        var topTen = row.TopTenRank is { } rank
            ? new TopTenStanding(row.TopTenUrn is null ? row.TopTenSchool! : $"{row.TopTenSchool} (URN {row.TopTenUrn})", rank,
                Math.Max(0, today.DayNumber - DateOnly.FromDateTime(row.TopTenSince!.Value.UtcDateTime).DayNumber))
            : null;
        var openCase = row.CaseId is { } caseId ? new OpenCaseStanding(caseId, row.CaseLevel, row.CaseLead!, row.CasePractitioner, row.CaseReview) : null;
        var consent = row.Consents!.FirstOrDefault(c => flows.Lets(RecordCategories.CaseWork, c.AskedByType, c.AskedBy)) is { } c
            ? new ConsentStanding(c.Outcome, c.ForOrganisation, c.AskedOn, c.ExpiresOn)
            : null;
        return new PersonSummaryView(row.OpenAlerts, topTen, openCase, consent, today, row.Disputed);
    }

    private static async Task<PersonSummaryView?> ReadAsync(WaypointDbContext db, IQueryable<Person> people, Guid personId, IQueryable<Alert> alerts,
        IQueryable<TopTenNomination> nominationSet, IQueryable<Case> caseSet, IQueryable<ConsentRecord> consentSet, DateOnly today, CancellationToken ct)
    {
        // Scalar subqueries only: SQLite cannot run the APPLY that a nested row per part would need,
        // and one statement keeps the card to one round trip on either database.
        var nominations = nominationSet.Where(n => n.PersonId == personId && n.WithdrawnAt == null).OrderBy(n => n.Rank);
        var cases = caseSet.Where(c => c.PersonId == personId && c.Status == CaseStatus.Open).OrderByDescending(c => c.OpenedAt).ThenByDescending(c => c.Id);
        var consents = consentSet.Where(r => r.PersonId == personId).OrderByDescending(r => r.AskedOn).ThenByDescending(r => r.RecordedAt).ThenByDescending(r => r.Id);
        var row = await people.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new
            {
                OpenAlerts = alerts.Count(a => a.PersonId == personId && a.Status != AlertStatus.Closed),
                TopTenRank = nominations.Select(n => (int?)n.Rank).FirstOrDefault(),
                TopTenSchool = nominations.Select(n => n.School!.Name).FirstOrDefault(),
                TopTenUrn = nominations.Select(n => n.School!.Urn).FirstOrDefault(),
                TopTenSince = nominations.Select(n => (DateTimeOffset?)n.NominatedAt).FirstOrDefault(),
                CaseId = cases.Select(c => (Guid?)c.Id).FirstOrDefault(),
                CaseLevel = cases.Select(c => c.Level).FirstOrDefault(),
                CaseLead = cases.Select(c => c.LeadOrganisation!.Name).FirstOrDefault(),
                CasePractitioner = cases.Select(c => db.Users.Where(u => u.Id == c.LeadPractitionerId).Select(u => u.DisplayName).FirstOrDefault()).FirstOrDefault(),
                CaseReview = cases.Select(c => c.NextReviewOn).FirstOrDefault(),
                ConsentOutcome = consents.Select(r => (ConsentOutcome?)r.Outcome).FirstOrDefault(),
                ConsentFor = consents.Select(r => r.ForOrganisation!.Name).FirstOrDefault(),
                ConsentAsked = consents.Select(r => (DateOnly?)r.AskedOn).FirstOrDefault(),
                ConsentExpires = consents.Select(r => r.ExpiresOn).FirstOrDefault(),
                Disputed = db.RecordChallenges.Where(Challenges.ChallengeWork.Shown).Any(c => c.PersonId == personId),
            })
            .FirstOrDefaultAsync(ct);
        if (row is null)
            return null;
        var topTen = row.TopTenRank is { } rank
            ? new TopTenStanding(row.TopTenUrn is null ? row.TopTenSchool! : $"{row.TopTenSchool} (URN {row.TopTenUrn})", rank,
                Math.Max(0, today.DayNumber - DateOnly.FromDateTime(row.TopTenSince!.Value.UtcDateTime).DayNumber))
            : null;
        var openCase = row.CaseId is { } caseId ? new OpenCaseStanding(caseId, row.CaseLevel, row.CaseLead!, row.CasePractitioner, row.CaseReview) : null;
        var consent = row.ConsentOutcome is { } outcome ? new ConsentStanding(outcome, row.ConsentFor!, row.ConsentAsked!.Value, row.ConsentExpires) : null;
        return new PersonSummaryView(row.OpenAlerts, topTen, openCase, consent, today, row.Disputed);
    }
}
