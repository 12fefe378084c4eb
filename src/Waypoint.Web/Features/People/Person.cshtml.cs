using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>The sections of the person page, each a page of its own (bookmarkable, and reading only what it shows).</summary>
public enum PersonSection
{
    Summary,
    School,
    Cases,
    Risk,
    Family,
}

/// <summary>The offending and vulnerability bands of the person's score as of now (scored afresh, as the risk page does).</summary>
public sealed record RiskBands(RiskBand Offending, RiskBand Vulnerability);

/// <summary>
/// The person page: an identity bar and sub-navigation over sections, each its own URL. Every
/// section opens the person through the policy (a person the reader may not see is a 404, and the
/// attempt recorded; every look audited) and then reads only what that section shows. The PDF reads
/// every section. The sign-in's check rides on the open, the first statement of every GET here
/// (Identity/ReaderMiddleware; issue 18).
/// </summary>
[Identity.FoldsSignInCheck]
public class PersonModel(WaypointDbContext db, PersonAccess access, Shell.CurrentUserSummary currentUser, TimeProvider clock, Risk.RiskScoring scoring) : PageModel
{
    public PersonDetailsView? Person { get; private set; }
    public int? Age { get; private set; }
    public DateOnly Today { get; private set; }
    public Schools.SchoolRecordsView? SchoolRecords { get; private set; }
    public PersonSummaryView? Summary { get; private set; }
    public RiskBands? Risk { get; private set; }

    /// <summary>The score as of now, computed once as the page opens (a young person's, or anyone's on the Police and risk section).</summary>
    public Risk.ScoreAsOfNow? Score { get; private set; }

    /// <summary>The person's cases and reports the reader may see (the policy's filters decide).</summary>
    public IReadOnlyList<(Guid Id, string Text, bool Open)> Cases { get; private set; } = [];
    public IReadOnlyList<(Guid Id, string Text, bool Awaiting)> Referrals { get; private set; } = [];

    /// <summary>Whether the reader is a police user, who also sees the person's associates.</summary>
    public bool IsPolice => Police.IndexModel.IsPolice(db);

    public virtual PersonSection Section => PersonSection.Summary;

    /// <summary>The audit subject of each section's read, so the trail says which part was looked at.</summary>
    protected virtual string Subject => "person";

    /// <summary>The current enrolment (the main one, not a dual registration) the reader may see, for the identity bar.</summary>
    public EnrolmentView? CurrentSchool => Person?.Enrolments
        .Where(e => e.StartDate <= Today && (e.EndDate is null || e.EndDate >= Today))
        .OrderBy(e => e.IsDualRegistration).ThenByDescending(e => e.StartDate).FirstOrDefault();

    public string? Upn => Person?.Identifiers.FirstOrDefault(i => i.Scheme == IdentifierScheme.Upn)?.Value;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, Subject, [Section], ct))
            return await Merge.MergedEntries.SurvivorOfAsync(db, id, ct) is { } survivor ? Redirect(PersonPages.Url(survivor, Section)) : NotFound();
        return Page();
    }

    /// <summary>
    /// The whole record as a PDF made on the server (searchable text, the protective marking, who
    /// printed it and when), every section in it: opened through the same policy and read audit as
    /// the page, and the copy recorded as an export.
    /// </summary>
    public async Task<IActionResult> OnGetPdfAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, "person.pdf", Enum.GetValues<PersonSection>(), ct))
            return NotFound();
        await access.AuditShownAsync([id], Waypoint.Audit.AuditAction.Export, "person.pdf", ct);
        var user = await currentUser.GetAsync();
        var organisation = user?.OrganisationName ?? "your organisation";
        var now = clock.GetUtcNow();
        var pdf = PersonPrint.Build(this, organisation).Render($"{user?.DisplayName}, {organisation}", now);
        return File(pdf, "application/pdf", $"person-{now.UtcDateTime:yyyy-MM-dd}.pdf");
    }

    private async Task<bool> LoadAsync(Guid id, string subject, IReadOnlyCollection<PersonSection> sections, CancellationToken ct)
    {
        Today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        // The identity bar's statuses, on every section: the card read with the person's records (the opened person's parts by id, one statement), and the score as of now.
        // The score's facts ride in the records' round trip when the page scores the person (a young person, or anyone on the Police and risk section).
        if (await PersonDetails.OpenAsync(db, access, id, subject, cardOn: Today, scoreAnyone: sections.Contains(PersonSection.Risk), ct) is not { } loaded)
            return false;
        var (person, _, summary, scoreFacts) = loaded;
        Person = person;
        Summary = summary;
        if (Person.DateOfBirth is { } dob)
            Age = Ages.On(dob, Today);
        // Scored once for the request (one statement, through the request's context): the identity bar's bands and the Police and risk panel read the same score.
        if (Person.Kind == PersonKind.YoungPerson || sections.Contains(PersonSection.Risk))
            Score = new Risk.ScoreAsOfNow(await scoring.ComputeAsync(db, id, scoreFacts, ct));
        if (Person.Kind == PersonKind.YoungPerson && Score?.Computed is { } computed
            && (computed.Result.Offending != 0 || computed.Result.Vulnerability != 0))
            Risk = new RiskBands(computed.Matrix.BandOf(computed.Result.Offending), computed.Matrix.BandOf(computed.Result.Vulnerability));
        if (sections.Contains(PersonSection.School))
            SchoolRecords = await Schools.SchoolRecords.LoadAsync(db, id, Person.DateOfBirth, Schools.SchoolRecording.MayRecord(db.Reader, Person.WhyVisible), Today, ct);
        if (sections.Contains(PersonSection.Cases))
        {
            Cases = (await db.Cases.AsNoTracking().Where(c => c.PersonId == id).OrderByDescending(c => c.OpenedAt)
                    .Select(c => new { c.Id, c.Level, Lead = c.LeadOrganisation!.Name, c.OpenedAt, c.Status }).ToListAsync(ct))
                .Select(c => (c.Id, $"{Features.Referrals.TriageLabels.Describe(c.Level)} led by {c.Lead}, opened {c.OpenedAt:d MMMM yyyy}", c.Status == CaseStatus.Open)).ToList();
            Referrals = (await db.Referrals.AsNoTracking().Where(r => r.PersonId == id).OrderByDescending(r => r.ReportedAt)
                    .Select(r => new { r.Id, Reporter = r.ReporterOrganisation!.Name, r.ReportedAt, r.Status }).ToListAsync(ct))
                .Select(r => (r.Id, $"Reported by {r.Reporter} on {r.ReportedAt:d MMMM yyyy}", r.Status == ReferralStatus.AwaitingTriage)).ToList();
        }
        return true;
    }

    public static string Describe(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.Upn => "Unique pupil number (UPN)",
        IdentifierScheme.PoliceReference => "Police reference",
        IdentifierScheme.LocalId => "Local id",
        _ => scheme.ToString(),
    };
}

/// <summary>The School section: enrolments, attendance, suspensions, behaviour and alternative provision.</summary>
public sealed class PersonSchoolModel(WaypointDbContext db, PersonAccess access, Shell.CurrentUserSummary currentUser, TimeProvider clock, Risk.RiskScoring scoring)
    : PersonModel(db, access, currentUser, clock, scoring)
{
    public override PersonSection Section => PersonSection.School;
    protected override string Subject => "person.school";
}

/// <summary>The Cases and referrals section: the person's cases and child-concern reports.</summary>
public sealed class PersonCasesModel(WaypointDbContext db, PersonAccess access, Shell.CurrentUserSummary currentUser, TimeProvider clock, Risk.RiskScoring scoring)
    : PersonModel(db, access, currentUser, clock, scoring)
{
    public override PersonSection Section => PersonSection.Cases;
    protected override string Subject => "person.cases";
}

/// <summary>The Police and risk section: the score and current flags, as far as the reader may see them.</summary>
public sealed class PersonRiskSectionModel(WaypointDbContext db, PersonAccess access, Shell.CurrentUserSummary currentUser, TimeProvider clock, Risk.RiskScoring scoring)
    : PersonModel(db, access, currentUser, clock, scoring)
{
    public override PersonSection Section => PersonSection.Risk;
    protected override string Subject => "person.risk";
}

/// <summary>The Family and team section: relatives, and the organisations around the person.</summary>
public sealed class PersonFamilyModel(WaypointDbContext db, PersonAccess access, Shell.CurrentUserSummary currentUser, TimeProvider clock, Risk.RiskScoring scoring)
    : PersonModel(db, access, currentUser, clock, scoring)
{
    public override PersonSection Section => PersonSection.Family;
    protected override string Subject => "person.family-and-team";
}

/// <summary>Where each section of the person page lives.</summary>
public static class PersonPages
{
    public static string Url(Guid personId, PersonSection section) => section switch
    {
        PersonSection.School => $"/people/{personId}/school",
        PersonSection.Cases => $"/people/{personId}/cases",
        PersonSection.Risk => $"/people/{personId}/police-and-risk",
        PersonSection.Family => $"/people/{personId}/family",
        _ => $"/people/{personId}",
    };

    public static string Title(PersonSection section) => section switch
    {
        PersonSection.School => "School",
        PersonSection.Cases => "Cases and referrals",
        PersonSection.Risk => "Police and risk",
        PersonSection.Family => "Family and team",
        _ => "Summary",
    };
}
