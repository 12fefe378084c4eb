using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;

namespace Waypoint.Features.SubjectAccess;

/// <summary>A register entry offered to the DPO when recording a request.</summary>
public sealed record RegisterMatch(Guid Id, string GivenName, string FamilyName, DateOnly? DateOfBirth);

/// <summary>The clock counts on the DPO dashboard.</summary>
public sealed record SubjectAccessFigures(int Open, int DueWithin7Days, int Overdue, int IssuedLast12Months);

/// <summary>
/// The steps of a subject-access request: record it, compile what is held, review the redactions,
/// let the police decide on theirs, issue the copy. Every step is audited against the person, and
/// no audit row carries the records' content.
/// </summary>
public sealed class SubjectAccessWork(WaypointDbContext db, AuditTrail audit, SubjectAccessCompiler compiler, ThirdPartyFinder finder, TimeProvider clock)
{
    public const int MaxMatches = 20;

    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>
    /// Register entries matching a name (and date of birth, if given) or a register id. The DPO
    /// searches the whole register: a requester's person may be known to no organisation the DPO
    /// belongs to. Each entry listed is audited as listed in a search.
    /// </summary>
    public async Task<IReadOnlyList<RegisterMatch>> SearchAsync(string? name, DateOnly? dateOfBirth, CancellationToken ct)
    {
        var words = (name ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(People.NameKeys.Normalise).Where(w => w.Length > 0).Take(4).ToList();
        if (words.Count == 0 && dateOfBirth is null)
            return [];
        var query = db.Unfiltered<Person>("subject access: the data-protection officer finds the person a request concerns in the whole register (article 15; each listed entry audited)")
            .AsNoTracking().Where(p => p.MergedIntoId == null);
        if (Guid.TryParse(name?.Trim(), out var id))
            query = query.Where(p => p.Id == id);
        else
        {
            foreach (var word in words)
                query = query.Where(p => p.SearchFamilyName == word || p.SearchGivenName == word || p.SearchFamilyName.StartsWith(word));
        }
        if (dateOfBirth is { } dob)
            query = query.Where(p => p.DateOfBirth == dob);
        var matches = await query.OrderBy(p => p.FamilyName).ThenBy(p => p.GivenName).Take(MaxMatches)
            .Select(p => new RegisterMatch(p.Id, p.GivenName, p.FamilyName, p.DateOfBirth)).ToListAsync(ct);
        await audit.RecordAsync(matches.Select(m => new AuditEvent(m.Id, AuditAction.ListedInSearch, "subject-access.search", "data-protection officer: finding the person a subject-access request concerns")).ToList(), ct);
        return matches;
    }

    /// <summary>The register entry a request may concern, or null when the id is no one in the register (or an entry merged into another).</summary>
    public Task<RegisterMatch?> InRegisterAsync(Guid personId, CancellationToken ct) =>
        db.Unfiltered<Person>("subject access: whether the person a request concerns is in the register (name and date of birth only)")
            .AsNoTracking().Where(p => p.Id == personId && p.MergedIntoId == null)
            .Select(p => new RegisterMatch(p.Id, p.GivenName, p.FamilyName, p.DateOfBirth)).FirstOrDefaultAsync(ct);

    public async Task<SubjectAccessRequest> RecordAsync(Guid personId, string requester, SubjectAccessRelationship relationship, DateOnly receivedOn, CancellationToken ct)
    {
        var request = new SubjectAccessRequest
        {
            PersonId = personId,
            RequesterName = requester,
            Relationship = relationship,
            ReceivedOn = receivedOn,
            Status = SubjectAccessStatus.Received,
            RecordedAt = clock.GetUtcNow(),
            RecordedByUserId = db.Reader.UserId,
        };
        db.SubjectAccessRequests.Add(request);
        await audit.RecordAsync(new AuditEvent(personId, AuditAction.Create, "subject-access.request", $"data-protection officer: request received {receivedOn:yyyy-MM-dd}, due {request.DueOn:yyyy-MM-dd}"), ct);
        await db.SaveChangesAsync(ct);
        return request;
    }

    public async Task ExtendAsync(SubjectAccessRequest request, string reason, CancellationToken ct)
    {
        request.ExtensionReason = reason;
        request.ExtendedAt = clock.GetUtcNow();
        await audit.RecordAsync(new AuditEvent(request.PersonId, AuditAction.Update, "subject-access.extend", $"data-protection officer: complex request, due date moved to {request.DueOn:yyyy-MM-dd}"), ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Compiles (or compiles again) what is held: the snapshot replaces the last one, automatic
    /// proposals are found afresh, the DPO's own redactions and decisions on text still found are
    /// kept, and police records keep the force's decision.
    /// </summary>
    public async Task<SubjectAccessCompilation> CompileAsync(SubjectAccessRequest request, CancellationToken ct)
    {
        var compilation = await compiler.CompileAsync(request.PersonId, ct);
        var proposals = await finder.FindAsync(compilation, ct);
        var existing = await db.SubjectAccessRedactions.Where(r => r.RequestId == request.Id).ToListAsync(ct);
        var keys = compilation.Records.Select(r => r.Key).ToHashSet();
        foreach (var old in existing.Where(r => r.Kind != RedactionKind.Manual && !proposals.Any(p => Same(p, r))))
            db.SubjectAccessRedactions.Remove(old);
        foreach (var p in proposals.Where(p => !existing.Any(r => Same(p, r))))
        {
            db.SubjectAccessRedactions.Add(new SubjectAccessRedaction
            {
                RequestId = request.Id,
                ItemKey = p.ItemKey,
                Text = p.Text.Length > SubjectAccessRedaction.MaxTextLength ? p.Text[..SubjectAccessRedaction.MaxTextLength] : p.Text,
                Kind = p.Kind,
                Why = p.Why,
                Decision = RedactionDecision.Proposed,
            });
        }
        var police = await db.SubjectAccessPoliceItems.Where(x => x.RequestId == request.Id).Select(x => x.ItemKey).ToListAsync(ct);
        foreach (var record in compilation.Records.Where(r => r.Police && !police.Contains(r.Key)))
        {
            db.SubjectAccessPoliceItems.Add(new SubjectAccessPoliceItem
            {
                RequestId = request.Id,
                ItemKey = record.Key,
                OwnerOrganisationId = record.OwnerOrganisationId ?? Guid.Empty,
                Decision = PoliceReleaseDecision.Pending,
            });
        }
        request.CompiledJson = compilation.ToJson();
        request.CompiledAt = compilation.CompiledAt;
        request.Status = SubjectAccessStatus.Compiled;
        await audit.RecordAsync(new AuditEvent(request.PersonId, AuditAction.Update, "subject-access.compiled", $"data-protection officer: {compilation.Records.Count} records, {proposals.Count} redactions proposed"), ct);
        await db.SaveChangesAsync(ct);
        return compilation;

        static bool Same(ProposedRedaction p, SubjectAccessRedaction r) => r.ItemKey == p.ItemKey && string.Equals(r.Text, p.Text, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The records the copy may hold now: everything but police records the force has not released.</summary>
    public async Task<SubjectAccessCopy> CopyAsync(SubjectAccessRequest request, CancellationToken ct)
    {
        var compilation = SubjectAccessCompilation.FromJson(request.CompiledJson!);
        var released = await db.SubjectAccessPoliceItems.AsNoTracking()
            .Where(x => x.RequestId == request.Id && x.Decision == PoliceReleaseDecision.Released).Select(x => x.ItemKey).ToListAsync(ct);
        var redactions = await db.SubjectAccessRedactions.AsNoTracking().Where(r => r.RequestId == request.Id).ToListAsync(ct);
        var records = compilation.Records.Where(r => !r.Police || released.Contains(r.Key)).ToList();
        return new SubjectAccessCopy(compilation, records, RedactedText.Rules(redactions), request.ReceivedOn);
    }

    /// <summary>Writes the PDF and the ZIP, keeps them with the redactions applied, and closes the request.</summary>
    public async Task<SubjectAccessIssue> IssueAsync(SubjectAccessRequest request, string issuedBy, CancellationToken ct)
    {
        var copy = await CopyAsync(request, ct);
        var now = clock.GetUtcNow();
        var redactions = await db.SubjectAccessRedactions.AsNoTracking().Where(r => r.RequestId == request.Id)
            .Select(r => new { r.ItemKey, r.Text, Kind = r.Kind.ToString(), Decision = r.Decision.ToString(), r.Why, r.DecidedByUserId, r.DecidedAt }).ToListAsync(ct);
        var issue = new SubjectAccessIssue
        {
            RequestId = request.Id,
            IssuedAt = now,
            IssuedByUserId = db.Reader.UserId,
            Pdf = SubjectAccessExport.Pdf(copy, issuedBy, now),
            Zip = SubjectAccessExport.Zip(copy),
            RedactionsJson = JsonSerializer.Serialize(redactions),
            KeepUntil = await KeepUntilAsync(request.PersonId, ct),
        };
        db.SubjectAccessIssues.Add(issue);
        request.Status = SubjectAccessStatus.Issued;
        request.IssuedAt = now;
        request.IssuedByUserId = db.Reader.UserId;
        var withheld = copy.Compilation.Records.Count - copy.Records.Count;
        await audit.RecordAsync(new AuditEvent(request.PersonId, AuditAction.Export, "subject-access.issued",
            $"data-protection officer: copy issued, {copy.Records.Count} records, {copy.Rules.Count} redactions, {withheld} police records not released; " +
            $"pdf sha256 {Convert.ToHexStringLower(SHA256.HashData(issue.Pdf))}, zip sha256 {Convert.ToHexStringLower(SHA256.HashData(issue.Zip))}"), ct);
        await db.SaveChangesAsync(ct);
        return issue;
    }

    // The schedule as it stands now; if it changes later, the retention queue follows the new period.
    private async Task<DateOnly> KeepUntilAsync(Guid personId, CancellationToken ct)
    {
        var schedule = await db.RetentionSchedules.AsNoTracking().FirstOrDefaultAsync(s => s.RecordType == RetentionRecordType.SubjectAccessCopy, ct)
            ?? RetentionDefaults.All.First(s => s.RecordType == RetentionRecordType.SubjectAccessCopy);
        var dateOfBirth = schedule.Trigger != RetentionTrigger.TwentyFifthBirthday ? null
            : await db.Unfiltered<Person>("subject access: the person's birthday, when the schedule keeps an issued copy from the 25th")
                .Where(p => p.Id == personId).Select(p => p.DateOfBirth).FirstOrDefaultAsync(ct);
        return schedule.DueOn(Retention.RetentionWork.SubjectAccessCopyTrigger(schedule.Trigger, Today, dateOfBirth));
    }

    public async Task<SubjectAccessFigures> FiguresAsync(CancellationToken ct)
    {
        var open = await db.SubjectAccessRequests.AsNoTracking().Where(r => r.Status != SubjectAccessStatus.Issued)
            .Select(r => new { r.ReceivedOn, Extended = r.ExtendedAt != null }).ToListAsync(ct);
        var today = Today;
        var dues = open.Select(r => SubjectAccessClock.DaysLeft(SubjectAccessClock.DueOn(r.ReceivedOn, r.Extended), today)).ToList();
        var yearAgo = clock.GetUtcNow().AddMonths(-12);
        var issued = await db.SubjectAccessRequests.CountAsync(r => r.Status == SubjectAccessStatus.Issued && r.IssuedAt > yearAgo, ct);
        return new SubjectAccessFigures(open.Count, dues.Count(d => d is >= 0 and <= 7), dues.Count(d => d < 0), issued);
    }
}
