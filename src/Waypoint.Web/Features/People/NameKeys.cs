using System.Globalization;
using System.Text;

namespace Waypoint.Features.People;

/// <summary>
/// Name normalisation and a sound-alike key, so that search finds "Catherine" for "Kathryn",
/// "Mohammed" for "Muhammad" and "Smith" for "Smiht". The key keeps consonant sounds in order,
/// drops vowels after the first letter and collapses repeats.
/// </summary>
public static class NameKeys
{
    /// <summary>Lower case, accents removed, letters only (hyphens and apostrophes dropped).</summary>
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
            if (char.IsLetter(c))
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
        var aMatched = new bool[a.Length];
        var bMatched = new bool[b.Length];
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
