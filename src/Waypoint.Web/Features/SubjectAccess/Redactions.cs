using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Data;
using Waypoint.Domain;
using Waypoint.Features.People;

namespace Waypoint.Features.SubjectAccess;

/// <summary>A piece of text to take out of one record, or out of every record when <see cref="ItemKey"/> is null.</summary>
public sealed record RedactionRule(string? ItemKey, string Text, bool WholeWords);

/// <summary>Text as the copy shows it: runs of plain text and redacted runs, which the PDF draws as solid blocks.</summary>
public sealed record TextRun(string Text, bool Redacted);

/// <summary>Applies the redactions the DPO confirmed to a compiled record's text.</summary>
public static class RedactedText
{
    public const string Marker = "[redacted]";

    public static IReadOnlyList<RedactionRule> Rules(IEnumerable<SubjectAccessRedaction> redactions) =>
        redactions.Where(r => r.Decision == RedactionDecision.Redact)
            .Select(r => new RedactionRule(r.ItemKey, r.Text, r.Kind != RedactionKind.Manual)).ToList();

    public static IReadOnlyList<TextRun> Runs(string value, string itemKey, IReadOnlyList<RedactionRule> rules)
    {
        var applying = rules.Where(r => (r.ItemKey is null || r.ItemKey == itemKey) && r.Text.Length > 0).OrderByDescending(r => r.Text.Length).ToList();
        if (applying.Count == 0 || value.Length == 0)
            return [new TextRun(value, false)];
        var pattern = string.Join("|", applying.Select(r =>
            (r.WholeWords && char.IsLetterOrDigit(r.Text[0]) ? @"(?<![\p{L}\p{N}])" : "") + Regex.Escape(r.Text) +
            (r.WholeWords && char.IsLetterOrDigit(r.Text[^1]) ? @"(?![\p{L}\p{N}])" : "")));
        var runs = new List<TextRun>();
        var at = 0;
        foreach (Match m in Regex.Matches(value, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)))
        {
            if (m.Index > at)
                runs.Add(new TextRun(value[at..m.Index], false));
            runs.Add(new TextRun(Marker, true));
            at = m.Index + m.Length;
        }
        if (at < value.Length)
            runs.Add(new TextRun(value[at..], false));
        return runs;
    }

    /// <summary>The value with each redacted run as the marker (CSV cells, the review page's preview).</summary>
    public static string Apply(string value, string itemKey, IReadOnlyList<RedactionRule> rules) => string.Concat(Runs(value, itemKey, rules).Select(r => r.Text));
}

/// <summary>A redaction proposed automatically, for the DPO to confirm or keep.</summary>
public sealed record ProposedRedaction(string ItemKey, string Text, RedactionKind Kind, string Why);

/// <summary>
/// Finds third parties in every text field of a compilation: other people in the register named in
/// full (and the person's own family and household by first name too), other people's identifiers,
/// and, where the partnership redacts them, staff names. Candidates are looked up from the words
/// the text holds, so the register is never scanned whole.
/// </summary>
public sealed partial class ThirdPartyFinder(WaypointDbContext db)
{
    private const int MaxCandidates = 2000;

    public async Task<IReadOnlyList<ProposedRedaction>> FindAsync(SubjectAccessCompilation compilation, CancellationToken ct)
    {
        var subjectId = compilation.PersonId;
        var texts = compilation.Records.SelectMany(r => r.Fields.Select(f => (r.Key, f.Value))).Where(t => t.Value.Length > 0).ToList();
        var words = texts.SelectMany(t => Word().Matches(t.Value).Select(m => NameKeys.Normalise(m.Value)))
            .Where(w => w.Length >= 2).Distinct().Take(MaxCandidates).ToList();
        var tokens = texts.SelectMany(t => Token().Matches(t.Value).Select(m => m.Value)).Distinct().Take(MaxCandidates).ToList();

        var subject = await db.Unfiltered<Person>("subject access: the person's own names, never redacted from their copy")
            .AsNoTracking().Where(p => p.Id == subjectId).Select(p => new { p.GivenName, p.FamilyName, p.PreferredName, p.HouseholdId }).SingleAsync(ct);
        var ownNames = new HashSet<string>(new[] { subject.GivenName, subject.FamilyName, subject.PreferredName }.OfType<string>(), StringComparer.OrdinalIgnoreCase);

        var family = await db.Unfiltered<PersonRelationship>("subject access: the person's family, whose first names are proposed for redaction from the copy")
            .AsNoTracking().Where(r => r.PersonId == subjectId || r.RelatedPersonId == subjectId)
            .Select(r => r.PersonId == subjectId ? r.RelatedPersonId : r.PersonId).ToListAsync(ct);
        var household = subject.HouseholdId is { } h
            ? await db.Unfiltered<Person>("subject access: the person's household, whose first names are proposed for redaction from the copy")
                .AsNoTracking().Where(p => p.HouseholdId == h && p.Id != subjectId).Select(p => p.Id).ToListAsync(ct)
            : [];
        var close = family.Concat(household).ToHashSet();

        var others = await db.Unfiltered<Person>("subject access: other people in the register named in the person's records, proposed for redaction (third parties)")
            .AsNoTracking().Where(p => p.Id != subjectId && p.MergedIntoId == null && (words.Contains(p.SearchFamilyName) || close.Contains(p.Id)))
            .Select(p => new { p.Id, p.GivenName, p.FamilyName, p.PreferredName }).Take(MaxCandidates).ToListAsync(ct);
        var otherIds = others.Select(o => o.Id).ToList();
        var identifiers = await db.Unfiltered<PersonIdentifier>("subject access: other people's identifiers found in the person's records, proposed for redaction (third parties)")
            .AsNoTracking().Where(i => i.PersonId != subjectId && (tokens.Contains(i.Value) || close.Contains(i.PersonId)))
            .Select(i => new { i.Value, i.Scheme }).ToListAsync(ct);

        var found = new List<ProposedRedaction>();
        foreach (var (key, value) in texts)
        {
            foreach (var o in others)
            {
                foreach (var given in new[] { o.GivenName, o.PreferredName }.OfType<string>())
                    Find(found, key, value, $"{given} {o.FamilyName}", RedactionKind.ThirdPartyName, close.Contains(o.Id) ? "a family member's name" : "another person in the register");
                if (close.Contains(o.Id) && !ownNames.Contains(o.GivenName))
                    Find(found, key, value, o.GivenName, RedactionKind.ThirdPartyName, "a family member's first name");
            }
            foreach (var i in identifiers)
                Find(found, key, value, i.Value, RedactionKind.ThirdPartyIdentifier, $"another person's {IdentifierName(i.Scheme)}");
        }

        if (await db.SubjectAccessSettings.AsNoTracking().Select(s => s.RedactStaffNames).FirstOrDefaultAsync(ct))
        {
            var staff = await db.Users.AsNoTracking().Select(u => u.DisplayName).Distinct().ToListAsync(ct);
            foreach (var (key, value) in texts)
            {
                foreach (var name in staff.Where(n => n.Length >= 3 && !ownNames.Contains(n)))
                    Find(found, key, value, name, RedactionKind.StaffName, "a member of staff's name");
            }
        }
        return found.GroupBy(f => (f.ItemKey, f.Text.ToUpperInvariant())).Select(g => g.First()).ToList();
    }

    private static void Find(List<ProposedRedaction> found, string key, string value, string phrase, RedactionKind kind, string why)
    {
        if (phrase.Length < 2 || value.Length < phrase.Length)
            return;
        var m = Regex.Match(value, @"(?<![\p{L}\p{N}])" + Regex.Escape(phrase) + @"(?![\p{L}\p{N}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        if (m.Success)
            found.Add(new ProposedRedaction(key, m.Value, kind, why));
    }

    private static string IdentifierName(IdentifierScheme scheme) => scheme switch
    {
        IdentifierScheme.Upn => "unique pupil number",
        IdentifierScheme.PoliceReference => "police reference",
        _ => "local identifier",
    };

    [GeneratedRegex(@"\p{L}[\p{L}'’\-]+")]
    private static partial Regex Word();

    [GeneratedRegex(@"[A-Za-z0-9][A-Za-z0-9/\-]{4,}")]
    private static partial Regex Token();
}
