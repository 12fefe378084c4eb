using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Waypoint.Audit;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.Schools.Rules;

namespace Waypoint.Features.Provision;

/// <summary>
/// One term (or half-term) of a local authority's school year, as its partnership administrator
/// enters it: the days between terms are holidays for the sixth-day watch. Reference data of the
/// partnership: no person, no query filter.
/// </summary>
public sealed class TermDate
{
    public const int MaxNameLength = 60;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    /// <summary>The local authority (a county area) whose maintained schools keep these dates.</summary>
    public Guid AuthorityId { get; set; }

    public required string Name { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

internal sealed class TermDateConfiguration : IEntityTypeConfiguration<TermDate>
{
    public void Configure(EntityTypeBuilder<TermDate> b)
    {
        b.ToTable("TermDates", t => t.HasCheckConstraint("CK_TermDates_Dates", "\"EndDate\" >= \"StartDate\""));
        b.Property(x => x.Name).HasMaxLength(TermDate.MaxNameLength);
        b.HasOne<Area>().WithMany().HasForeignKey(x => x.AuthorityId).OnDelete(DeleteBehavior.Cascade);
        b.HasIndex(x => new { x.AuthorityId, x.StartDate });
    }
}

/// <summary>
/// The term-dates file: one term a line, <c>name, first day, last day</c>, dates as YYYY-MM-DD (or
/// DD/MM/YYYY); a header line and lines starting with # are skipped. Each academic year in the
/// file is sent whole (first term in September, last ending in July or August), because the days
/// of a held year outside its terms stop being school days: a year sent with a term missing would
/// hide school days from the watch.
/// </summary>
public static class TermDateFile
{
    public const int MaxBytes = 64 * 1024;
    public const int MaxTerms = 60;
    public const int MaxTermDays = 130;
    public const int LastYear = 2040;
    public static readonly string Header = "name,first day,last day";

    private static readonly string[] Formats = ["yyyy-MM-dd", "d/M/yyyy", "dd/MM/yyyy"];

    public sealed record Parsed(IReadOnlyList<TermSpan> Terms, IReadOnlyList<string> Problems)
    {
        public IReadOnlyList<AcademicYear> Years => Terms.Select(t => AcademicYear.Of(t.Start)).Distinct().Order().ToList();
    }

    public static Parsed Parse(string? text)
    {
        var problems = new List<string>();
        var terms = new List<(int Line, TermSpan Term)>();
        if (string.IsNullOrWhiteSpace(text))
            return new([], ["Enter the term dates, or choose a file of them"]);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var seenContent = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].Trim().TrimStart('\uFEFF');
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var fields = line.Split(',').Select(f => f.Trim().Trim('"').Trim()).ToArray();
            if (!seenContent && fields[0].Equals("name", StringComparison.OrdinalIgnoreCase))
            {
                seenContent = true;
                continue;
            }
            seenContent = true;
            if (terms.Count >= MaxTerms)
            {
                problems.Add($"Line {number}: a file holds at most {MaxTerms} terms");
                break;
            }
            if (fields.Length != 3)
            {
                problems.Add($"Line {number}: expected three fields (name, first day, last day), found {fields.Length}");
                continue;
            }
            var before = problems.Count;
            if (fields[0].Length == 0)
                problems.Add($"Line {number}, name: enter the term's name (for example Autumn 1)");
            else if (fields[0].Length > TermDate.MaxNameLength)
                problems.Add($"Line {number}, name: the name must be {TermDate.MaxNameLength} characters or fewer");
            var start = Date(fields[1], number, "first day", problems);
            var end = Date(fields[2], number, "last day", problems);
            if (start is { } s && end is { } e)
            {
                if (e < s)
                    problems.Add($"Line {number}, last day: {e:d MMMM yyyy} is before the first day ({s:d MMMM yyyy})");
                else if (!AcademicYear.Of(s).Contains(e))
                    problems.Add($"Line {number}, last day: a term ends in the academic year it starts in (by {AcademicYear.Of(s).End:d MMMM yyyy})");
                else if (e.DayNumber - s.DayNumber + 1 > MaxTermDays)
                    problems.Add($"Line {number}, last day: a term of {e.DayNumber - s.DayNumber + 1} days is longer than any term ({MaxTermDays} days at most): check the dates");
            }
            if (problems.Count == before)
                terms.Add((number, new TermSpan(fields[0], start!.Value, end!.Value)));
        }
        var ordered = terms.OrderBy(t => t.Term.Start).ToList();
        for (var i = 1; i < ordered.Count; i++)
        {
            var (line, term) = ordered[i];
            var (otherLine, other) = ordered[i - 1];
            if (term.Start <= other.End)
                problems.Add($"Line {line}, first day: {term.Name} overlaps {other.Name} on line {otherLine} ({other.Start:d MMMM yyyy} to {other.End:d MMMM yyyy})");
        }
        foreach (var year in ordered.GroupBy(t => AcademicYear.Of(t.Term.Start)))
        {
            var first = year.First();
            var last = year.MaxBy(t => t.Term.End);
            if (first.Term.Start.Month != 9)
                problems.Add($"Line {first.Line}, first day: the first term of {Name(year.Key)} starts on {first.Term.Start:d MMMM yyyy}; send each year whole, from its first term in September");
            if (last.Term.End.Month is not (7 or 8))
                problems.Add($"Line {last.Line}, last day: the last term of {Name(year.Key)} ends on {last.Term.End:d MMMM yyyy}; send each year whole, to its last term ending in July");
        }
        if (problems.Count == 0 && ordered.Count == 0)
            problems.Add("The file holds no term dates: one term a line, name, first day, last day");
        return problems.Count > 0 ? new([], problems) : new(ordered.Select(t => t.Term).ToList(), []);
    }

    public static string Name(AcademicYear year) => $"{year.StartYear} to {year.StartYear + 1}";

    public static string Write(IEnumerable<TermSpan> terms) =>
        string.Join("\n", terms.OrderBy(t => t.Start).Select(t => $"{t.Name},{t.Start:yyyy-MM-dd},{t.End:yyyy-MM-dd}").Prepend(Header)) + "\n";

    private static DateOnly? Date(string text, int line, string field, List<string> problems)
    {
        if (text.Length == 0)
        {
            problems.Add($"Line {line}, {field}: enter the date");
            return null;
        }
        if (!DateOnly.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problems.Add($"Line {line}, {field}: “{(text.Length > 20 ? text[..20] + "…" : text)}” is not a date: write it as YYYY-MM-DD");
            return null;
        }
        if (date.Year < SchoolDays.FirstYear || date.Year > LastYear)
        {
            problems.Add($"Line {line}, {field}: the date must be between {SchoolDays.FirstYear} and {LastYear}");
            return null;
        }
        return date;
    }

    /// <summary>The shipped demo file: the fictional Nenshire's term dates for 2025 to 2026 and 2026 to 2027.</summary>
    public static string Demo()
    {
        using var stream = typeof(TermDateFile).Assembly.GetManifestResourceStream("Waypoint.Features.Provision.term-dates-nenshire.csv")
            ?? throw new InvalidOperationException("The demo term dates file is not embedded.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A local authority a partnership administrator keeps term dates for.</summary>
public sealed record Authority(Guid Id, string Name);

/// <summary>
/// The local authorities' term dates: kept by the partnership administrator, read by the sixth-day
/// watch so a school day is one in term. A school is under the authority of the county its area
/// lies in.
/// </summary>
public sealed class TermCalendar(WaypointDbContext db, AuditTrail audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<Authority>> AuthoritiesAsync(CancellationToken ct) =>
        await db.Areas.AsNoTracking().Where(a => a.Kind == AreaKind.County).OrderBy(a => a.Name).Select(a => new Authority(a.Id, a.Name)).ToListAsync(ct);

    public async Task<IReadOnlyList<TermSpan>> TermsAsync(Guid authorityId, CancellationToken ct) =>
        (await db.Set<TermDate>().AsNoTracking().Where(t => t.AuthorityId == authorityId).OrderBy(t => t.StartDate)
            .Select(t => new { t.Name, t.StartDate, t.EndDate }).ToListAsync(ct))
        .Select(t => new TermSpan(t.Name, t.StartDate, t.EndDate)).ToList();

    /// <summary>Each authority's school days (England's bank holidays and its terms); <see cref="SchoolDays.England"/> for one with none held.</summary>
    public async Task<IReadOnlyDictionary<Guid, SchoolDays>> AllAsync(CancellationToken ct) =>
        (await db.Set<TermDate>().AsNoTracking().Select(t => new { t.AuthorityId, t.Name, t.StartDate, t.EndDate }).ToListAsync(ct))
        .GroupBy(t => t.AuthorityId)
        .ToDictionary(g => g.Key, g => SchoolDays.England.WithTerms(g.Select(t => new TermSpan(t.Name, t.StartDate, t.EndDate))));

    public static SchoolDays Of(IReadOnlyDictionary<Guid, SchoolDays> all, Guid? authorityId) =>
        authorityId is { } id && all.TryGetValue(id, out var days) ? days : SchoolDays.England;

    /// <summary>The county over an area given as its kind, its parent's kind and its grandparent.</summary>
    public static Guid? AuthorityOf(Guid areaId, AreaKind kind, Guid? parentId, AreaKind? parentKind, Guid? grandparentId) =>
        kind == AreaKind.County ? areaId : parentKind == AreaKind.County ? parentId : grandparentId;

    /// <summary>Replaces the authority's terms in each academic year the file covers (other years are kept), audited; the caller has checked the file.</summary>
    public async Task ReplaceAsync(Guid authorityId, TermDateFile.Parsed file, string basis, CancellationToken ct)
    {
        if (file.Problems.Count > 0 || file.Terms.Count == 0)
            throw new InvalidOperationException("Only a checked file of term dates is saved.");
        var years = file.Years;
        var first = years[0].Start;
        var last = years[^1].End;
        var held = await db.Set<TermDate>().Where(t => t.AuthorityId == authorityId && t.StartDate >= first && t.StartDate <= last).ToListAsync(ct);
        db.RemoveRange(held.Where(t => years.Contains(AcademicYear.Of(t.StartDate))));
        var now = clock.GetUtcNow();
        db.AddRange(file.Terms.Select(t => new TermDate { AuthorityId = authorityId, Name = t.Name, StartDate = t.Start, EndDate = t.End, RecordedAt = now }));
        audit.StageWrite(new AuditEvent(null, AuditAction.Update, $"provision:term-dates {authorityId} {string.Join(" ", years)}", basis));
        await db.SaveChangesAsync(ct);
    }
}
