using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.Schools.Imports;

/// <summary>A pupil held for review as the school sees it: only what its own file said.</summary>
public sealed record SchoolReviewView(Guid Id, string FileName, int Line, string? Upn, string Surname, string Forename, DateOnly DateOfBirth,
    PupilMatchReviewStatus Status, DateTimeOffset CreatedAt);

/// <summary>A pupil held for review as the inclusion team sees it: the file's details beside the register's record.</summary>
public sealed record InclusionReviewView(Guid Id, string SchoolName, string FileName, int Line, string? Upn, string Surname, string Forename, DateOnly DateOfBirth,
    Guid PersonId, string RegisterName, DateOnly? RegisterDateOfBirth, string? RegisterUpn, DateTimeOffset? SentAt);

/// <summary>
/// The review queue for pupils an import could not match to a child the school may see. The school
/// registers the pupil as new or sends the match to the inclusion team; an inclusion officer whose
/// grant covers the child's area (and who can therefore see the register's record) confirms it,
/// which enrols the child, or rejects it. Each decision is taken once (a conditional update of its
/// status) and audited against the person it concerns.
/// </summary>
public sealed class PupilMatchReviews(WaypointDbContext db, AuditTrail audit, TimeProvider clock)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    private IQueryable<PupilMatchReview> Reviews => db.Set<PupilMatchReview>();

    public bool ReaderIsSchool => db.Reader.OrganisationType == OrganisationType.School && !db.Reader.IsSystem;

    /// <summary>The reader's school's open reviews, oldest first.</summary>
    public async Task<IReadOnlyList<SchoolReviewView>> ForSchoolAsync(CancellationToken ct)
    {
        var schoolId = db.Reader.OrganisationId;
        return await Reviews.AsNoTracking()
            .Where(r => r.SchoolId == schoolId && (r.Status == PupilMatchReviewStatus.Waiting || r.Status == PupilMatchReviewStatus.WithInclusionTeam || r.Status == PupilMatchReviewStatus.Rejected))
            .OrderBy(r => r.CreatedAt)
            .Select(r => new SchoolReviewView(r.Id, r.FileName, r.Line, r.Upn, r.Surname, r.Forename, r.DateOfBirth, r.Status, r.CreatedAt))
            .ToListAsync(ct);
    }

    /// <summary>How many of the reader's school's pupils wait for it to decide.</summary>
    public Task<int> WaitingForSchoolAsync(CancellationToken ct)
    {
        var schoolId = db.Reader.OrganisationId;
        return Reviews.CountAsync(r => r.SchoolId == schoolId && (r.Status == PupilMatchReviewStatus.Waiting || r.Status == PupilMatchReviewStatus.Rejected), ct);
    }

    /// <summary>
    /// The school's answer "this is a child new to the register": registers them from what the file
    /// said (with its UPN, unless that UPN is held already) and enrols them. Null when not the
    /// school's to decide now; otherwise the new person.
    /// </summary>
    public async Task<Guid?> RegisterAsNewAsync(Guid id, CancellationToken ct)
    {
        if (!ReaderIsSchool)
            return null;
        var schoolId = db.Reader.OrganisationId;
        var review = await Reviews.FirstOrDefaultAsync(r => r.Id == id && r.SchoolId == schoolId
            && (r.Status == PupilMatchReviewStatus.Waiting || r.Status == PupilMatchReviewStatus.Rejected), ct);
        if (review is null)
            return null;
        var school = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == schoolId, ct);
        var now = clock.GetUtcNow();
        var person = new Person
        {
            Kind = PersonKind.YoungPerson,
            GivenName = review.Forename,
            FamilyName = review.Surname,
            DateOfBirth = review.DateOfBirth,
            AreaId = school.AreaId,
            OwnerOrganisationId = school.Id,
            CreatedAt = now,
        };
        WaypointDbContext.SetSearchKeys(person);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await Claim(review, PupilMatchReviewStatus.RegisteredAsNew, ct))
            return null;
        db.People.Add(person);
        // A UPN already on the register stays with whoever holds it; the school is not told who that is.
        if (review.Upn is { } upn && !await db.Unfiltered<PersonIdentifier>("a pupil registered from the review queue takes their UPN only if nobody holds it")
                .AnyAsync(i => i.Scheme == IdentifierScheme.Upn && i.Value == upn, ct))
            db.PersonIdentifiers.Add(new PersonIdentifier
            {
                PersonId = person.Id,
                Scheme = IdentifierScheme.Upn,
                Value = upn,
                OwnerOrganisationId = school.Id,
                CategoryCode = RegisterPerson.CategoryOf(IdentifierScheme.Upn),
            });
        db.Enrolments.Add(EnrolmentFor(review, person.Id));
        review.EnrolledPersonId = person.Id;
        // Staged: saved with the enrolment in its transaction, or not at all.
        await audit.RecordAsync(new AuditEvent(person.Id, AuditAction.Create, "import review: registered by the school as a new pupil and enrolled", "school import review"), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return person.Id;
    }

    /// <summary>The school's answer "this may be the child the register holds": the inclusion team decides.</summary>
    public async Task<bool> SendToInclusionTeamAsync(Guid id, CancellationToken ct)
    {
        if (!ReaderIsSchool)
            return false;
        var schoolId = db.Reader.OrganisationId;
        var review = await Reviews.FirstOrDefaultAsync(r => r.Id == id && r.SchoolId == schoolId && r.Status == PupilMatchReviewStatus.Waiting, ct);
        if (review is null)
            return false;
        var sent = await Reviews.Where(r => r.Id == id && r.Status == PupilMatchReviewStatus.Waiting)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, PupilMatchReviewStatus.WithInclusionTeam)
                .SetProperty(r => r.SentByUserId, db.Reader.UserId).SetProperty(r => r.SentAt, clock.GetUtcNow()), ct);
        if (sent == 0)
            return false;
        await audit.RecordAsync(new AuditEvent(review.CandidatePersonId, AuditAction.Update, "import review: possible match sent by the school to the inclusion team", "school import review"), ct);
        return true;
    }

    /// <summary>Whether the reader holds a current inclusion-officer grant (the inclusion team's queue is theirs).</summary>
    public async Task<bool> ReaderIsInclusionOfficerAsync(CancellationToken ct) =>
        (await InclusionAreasAsync(ct)).Count > 0;

    private async Task<List<Guid>> InclusionAreasAsync(CancellationToken ct)
    {
        if (db.Reader.IsSystem || db.Reader.AggregatesOnly)
            return [];
        var userId = db.Reader.UserId;
        var today = Today;
        return await db.PartnershipRoleGrants.AsNoTracking()
            .Where(g => g.UserId == userId && g.Function == PartnershipFunction.InclusionOfficer && g.StartDate <= today && (g.EndDate == null || g.EndDate >= today))
            .Select(g => g.AreaId).Distinct().ToListAsync(ct);
    }

    /// <summary>The reviews sent to the inclusion team about children in the reader's inclusion areas (whom the policy lets them see).</summary>
    private async Task<IQueryable<PupilMatchReview>> ForInclusionQueryAsync(CancellationToken ct)
    {
        var areas = (await InclusionAreasAsync(ct)).Select(a => (Guid?)a).ToList();
        // db.People is the access policy's view: a child the reader cannot see is never offered.
        return Reviews.Where(r => r.Status == PupilMatchReviewStatus.WithInclusionTeam
            && db.People.Any(p => p.Id == r.CandidatePersonId
                && (areas.Contains((Guid?)p.AreaId) || areas.Contains(p.Area!.ParentId) || areas.Contains(p.Area.Parent!.ParentId))));
    }

    public async Task<IReadOnlyList<InclusionReviewView>> ForInclusionTeamAsync(CancellationToken ct)
    {
        var rows = await (await ForInclusionQueryAsync(ct)).AsNoTracking()
            .OrderBy(r => r.SentAt)
            .Select(r => new
            {
                r.Id,
                SchoolName = r.School!.Name,
                r.FileName,
                r.Line,
                r.Upn,
                r.Surname,
                r.Forename,
                r.DateOfBirth,
                r.SentAt,
                Person = db.People.Where(p => p.Id == r.CandidatePersonId).Select(p => new { p.Id, p.GivenName, p.FamilyName, p.DateOfBirth }).First(),
                RegisterUpn = db.PersonIdentifiers.Where(i => i.PersonId == r.CandidatePersonId && i.Scheme == IdentifierScheme.Upn).Select(i => i.Value).FirstOrDefault(),
            })
            .ToListAsync(ct);
        if (rows.Count > 0)
            await audit.RecordAsync(rows.Select(r => new AuditEvent(r.Person.Id, AuditAction.ListedInSearch, "import review: possible match shown to the inclusion team", "inclusion officer")).ToList(), ct);
        return rows.Select(r => new InclusionReviewView(r.Id, r.SchoolName, r.FileName, r.Line, r.Upn, r.Surname, r.Forename, r.DateOfBirth,
            r.Person.Id, $"{r.Person.GivenName} {r.Person.FamilyName}", r.Person.DateOfBirth, r.RegisterUpn, r.SentAt)).ToList();
    }

    /// <summary>The inclusion team's "same child": enrols them at the school (a grant, audited) and records the file's UPN if they had none.</summary>
    public async Task<bool> ConfirmAsync(Guid id, CancellationToken ct)
    {
        var review = await (await ForInclusionQueryAsync(ct)).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (review is null)
            return false;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (!await Claim(review, PupilMatchReviewStatus.Confirmed, ct))
            return false;
        var personId = review.CandidatePersonId;
        if (!await db.Unfiltered<Enrolment>("a confirmed review enrols the child unless that enrolment is held already")
                .AnyAsync(e => e.PersonId == personId && e.SchoolId == review.SchoolId && e.StartDate == review.EnrolmentStart, ct))
            db.Enrolments.Add(EnrolmentFor(review, personId));
        if (review.Upn is { } upn
            && !await db.Unfiltered<PersonIdentifier>("a confirmed review records the file's UPN only where neither the child nor anyone else has one")
                .AnyAsync(i => i.Scheme == IdentifierScheme.Upn && (i.Value == upn || i.PersonId == personId), ct))
            db.PersonIdentifiers.Add(new PersonIdentifier
            {
                PersonId = personId,
                Scheme = IdentifierScheme.Upn,
                Value = upn,
                OwnerOrganisationId = review.SchoolId,
                CategoryCode = RegisterPerson.CategoryOf(IdentifierScheme.Upn),
            });
        review.EnrolledPersonId = personId;
        // Staged: saved with the enrolment in its transaction, or not at all.
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Update, "import review: match confirmed by the inclusion team; enrolled at the school", "inclusion officer"), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>The inclusion team's "another child": nothing is granted; the school may register the pupil as new.</summary>
    public async Task<bool> RejectAsync(Guid id, CancellationToken ct)
    {
        var review = await (await ForInclusionQueryAsync(ct)).FirstOrDefaultAsync(r => r.Id == id, ct);
        if (review is null)
            return false;
        if (!await Claim(review, PupilMatchReviewStatus.Rejected, ct))
            return false;
        await audit.RecordAsync(new AuditEvent(review.CandidatePersonId, AuditAction.Update, "import review: match rejected by the inclusion team", "inclusion officer"), ct);
        return true;
    }

    /// <summary>Moves a review on from the status it was read in, once: a second decision taken at the same moment finds it moved.</summary>
    private async Task<bool> Claim(PupilMatchReview review, PupilMatchReviewStatus to, CancellationToken ct)
    {
        var from = review.Status;
        var now = clock.GetUtcNow();
        var userId = db.Reader.UserId;
        var moved = await Reviews.Where(r => r.Id == review.Id && r.Status == from)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, to).SetProperty(r => r.DecidedByUserId, userId).SetProperty(r => r.DecidedAt, now), ct);
        if (moved == 0)
            return false;
        db.Entry(review).State = EntityState.Detached;
        review.Status = to;
        review.DecidedByUserId = userId;
        review.DecidedAt = now;
        db.Attach(review);
        return true;
    }

    private static Enrolment EnrolmentFor(PupilMatchReview review, Guid personId) => new()
    {
        PersonId = personId,
        SchoolId = review.SchoolId,
        StartDate = review.EnrolmentStart,
        EndDate = review.EnrolmentEnd,
        YearGroup = review.YearGroup,
        IsDualRegistration = review.IsDualRegistration,
    };
}
