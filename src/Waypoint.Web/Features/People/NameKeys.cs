using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Waypoint.Access;
using Waypoint.Domain;

namespace Waypoint.Features.People;

/// <summary>
/// Name normalisation and a sound-alike key, so that search finds "Catherine" for "Kathryn",
/// "Mohammed" for "Muhammad" and "Smith" for "Smiht". The key keeps consonant sounds in order,
/// drops vowels after the first letter and collapses repeats.
/// </summary>
public static class NameKeys
{
    /// <summary>
    /// Letters that carry no accent Unicode can take off (no canonical decomposition), folded as
    /// English writers of the names fold them: "Łukasiewicz" is searched as "lukasiewicz", "Strauß"
    /// as "strauss", "Ødegård" as "odegard".
    /// </summary>
    public static IReadOnlyDictionary<char, string> Folds { get; } = new Dictionary<char, string>
    {
        ['ł'] = "l",
        ['Ł'] = "l",
        ['ŀ'] = "l",
        ['Ŀ'] = "l",
        ['ø'] = "o",
        ['Ø'] = "o",
        ['ß'] = "ss",
        ['ẞ'] = "ss",
        ['æ'] = "ae",
        ['Æ'] = "ae",
        ['œ'] = "oe",
        ['Œ'] = "oe",
        ['đ'] = "d",
        ['Đ'] = "d",
        ['ð'] = "d",
        ['Ð'] = "d",
        ['þ'] = "th",
        ['Þ'] = "th",
        ['ı'] = "i",
        ['ħ'] = "h",
        ['Ħ'] = "h",
        ['ŧ'] = "t",
        ['Ŧ'] = "t",
        ['ŋ'] = "n",
        ['Ŋ'] = "n",
        ['ĸ'] = "k",
        ['ĳ'] = "ij",
        ['Ĳ'] = "ij",
    };

    /// <summary>Lower case, accents removed and the letters of <see cref="Folds"/> folded, letters only (hyphens and apostrophes dropped).</summary>
    public static string Normalise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return "";
        var decomposed = name.Trim().Normalize(NormalizationForm.FormD);
        var sb = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            if (Folds.TryGetValue(c, out var folded))
                sb.Append(folded);
            else if (char.IsLetter(c))
                sb.Append(char.ToLowerInvariant(c));
            else if (c == ' ' && sb.Length > 0 && sb[^1] != ' ')
                sb.Append(' ');
        }
        return sb.ToString().Trim();
    }

    /// <summary>The first three letters of a normalised name: search and the duplicate rules take a name starting so as a candidate.</summary>
    public static string Prefix(string normalised) => normalised[..Math.Min(3, normalised.Length)];

    /// <summary>The sound-alike key of a name (of its first word if it has several).</summary>
    public static string Key(string? name)
    {
        var n = Normalise(name);
        var space = n.IndexOf(' ');
        if (space > 0)
            n = n[..space];
        if (n.Length == 0)
            return "";

        n = ReplaceStart(n, "kn", "n");
        n = ReplaceStart(n, "wr", "r");
        n = ReplaceStart(n, "ps", "s");
        n = ReplaceStart(n, "wh", "w");
        n = n.Replace("sch", "sk").Replace("tch", "ch").Replace("ph", "f").Replace("ck", "k").Replace("gh", "")
            .Replace("sh", "s").Replace("ch", "k").Replace("th", "t").Replace("dg", "j").Replace("qu", "kw");

        var sb = new StringBuilder(n.Length);
        for (var i = 0; i < n.Length; i++)
        {
            var c = n[i];
            var next = i + 1 < n.Length ? n[i + 1] : '\0';
            char mapped = c switch
            {
                'c' => next is 'e' or 'i' or 'y' ? 's' : 'k',
                'q' => 'k',
                'z' => 's',
                'v' => 'f',
                'x' => 'k',
                'g' => next is 'e' or 'i' or 'y' && i > 0 ? 'j' : 'g',
                _ => c,
            };
            var isVowel = mapped is 'a' or 'e' or 'i' or 'o' or 'u' or 'y';
            if (i == 0)
            {
                sb.Append(isVowel ? 'A' : char.ToUpperInvariant(mapped));
                if (c == 'x')
                    sb.Append('S');
                continue;
            }
            if (isVowel || mapped is 'h' or 'w')
                continue;
            var upper = char.ToUpperInvariant(mapped);
            if (sb[^1] != upper)
                sb.Append(upper);
            if (c == 'x')
                sb.Append('S');
        }
        var key = sb.ToString();
        return key.Length > 20 ? key[..20] : key;
    }

    /// <summary>Similarity in [0, 1] (Jaro–Winkler) of two normalised names; ranks search results.</summary>
    public static double Similarity(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0)
            return 0;
        if (a == b)
            return 1;
        var range = Math.Max(0, Math.Max(a.Length, b.Length) / 2 - 1);
        // On the stack for a name's length: a search scores up to a thousand candidates twice each (issue 18).
        Span<bool> aMatched = a.Length <= 128 ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= 128 ? stackalloc bool[b.Length] : new bool[b.Length];
        var matches = 0;
        for (var i = 0; i < a.Length; i++)
        {
            var from = Math.Max(0, i - range);
            var to = Math.Min(b.Length - 1, i + range);
            for (var j = from; j <= to; j++)
            {
                if (bMatched[j] || a[i] != b[j])
                    continue;
                aMatched[i] = bMatched[j] = true;
                matches++;
                break;
            }
        }
        if (matches == 0)
            return 0;
        var transpositions = 0;
        var k = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
                continue;
            while (!bMatched[k])
                k++;
            if (a[i] != b[k])
                transpositions++;
            k++;
        }
        double m = matches;
        var jaro = (m / a.Length + m / b.Length + (m - transpositions / 2.0) / m) / 3.0;
        var prefix = 0;
        while (prefix < Math.Min(4, Math.Min(a.Length, b.Length)) && a[prefix] == b[prefix])
            prefix++;
        return jaro + prefix * 0.1 * (1 - jaro);
    }

    private static string ReplaceStart(string s, string prefix, string with) =>
        s.StartsWith(prefix, StringComparison.Ordinal) ? with + s[prefix.Length..] : s;
}

/// <summary>
/// Brings the stored search keys of people named before <see cref="NameKeys.Folds"/> into step:
/// their keys still hold the unfolded letters ("łukasiewicz"), so a search for "Lukasiewicz" would
/// miss them. Run at start-up after the migrations; it finds only people whose keys hold one of
/// those letters, so once done it costs one indexed-free scan of the names and changes nothing.
/// </summary>
public static class SearchKeyBackfill
{
    public static async Task<int> RunAsync(Data.WaypointDbContext db, CancellationToken ct)
    {
        var stale = StalePredicate();
        var total = 0;
        while (true)
        {
            var batch = await db.Unfiltered<Person>("start-up recomputes stale search keys from the names; nothing is shown or logged")
                .Where(stale).OrderBy(p => p.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0)
                return total;
            foreach (var person in batch)
                Data.WaypointDbContext.SetSearchKeys(person);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            total += batch.Count;
        }
    }

    /// <summary>Whether a person's stored search names hold a letter that is now folded (the keys are lower case).</summary>
    private static System.Linq.Expressions.Expression<Func<Person, bool>> StalePredicate()
    {
        var person = System.Linq.Expressions.Expression.Parameter(typeof(Person), "p");
        var contains = typeof(string).GetMethod(nameof(string.Contains), [typeof(string)])!;
        System.Linq.Expressions.Expression? any = null;
        foreach (var letter in NameKeys.Folds.Keys.Select(char.ToLowerInvariant).Distinct())
        {
            foreach (var field in new[] { nameof(Person.SearchGivenName), nameof(Person.SearchFamilyName) })
            {
                var test = System.Linq.Expressions.Expression.Call(System.Linq.Expressions.Expression.Property(person, field), contains,
                    System.Linq.Expressions.Expression.Constant(letter.ToString()));
                any = any is null ? test : System.Linq.Expressions.Expression.OrElse(any, test);
            }
        }
        return System.Linq.Expressions.Expression.Lambda<Func<Person, bool>>(any!, person);
    }
}
