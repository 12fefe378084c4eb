using System.Collections.Concurrent;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Access;

/// <summary>
/// The fields of a page's forms, read from the page itself (so a new field or a new form is
/// posted without anyone listing it), and this session's antiforgery token.
/// </summary>
public static class Forms
{
    private static readonly ConcurrentDictionary<HttpClient, string> Tokens = new();

    /// <summary>This session's antiforgery token, from any page that carries one (it is per session, not per form).</summary>
    public static async Task<string> TokenAsync(HttpClient client)
    {
        if (Tokens.TryGetValue(client, out var cached))
            return cached;
        foreach (var page in new[] { "/account", "/" })
        {
            var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
            if (Clients.AntiforgeryToken(html) is { } token)
                return Tokens[client] = token;
        }
        throw new InvalidOperationException("No page of this session carries an antiforgery token: the matrix cannot post forms.");
    }

    /// <summary>
    /// The fields of the post form on a page that goes to the given handler (null: the page's own
    /// OnPost), as a browser would send them, empty boxes filled with something plausible.
    /// Null when the page shows no such form (a handler offered only in some states).
    /// </summary>
    public static Dictionary<string, string>? Fields(IHtmlDocument page, string? handler, string tag)
    {
        foreach (var form in page.QuerySelectorAll("form").OfType<IHtmlFormElement>())
        {
            if (!string.Equals(form.Method, "post", StringComparison.OrdinalIgnoreCase))
                continue;
            var actions = new List<string?> { form.GetAttribute("action") };
            actions.AddRange(form.QuerySelectorAll("[formaction]").Select(b => b.GetAttribute("formaction")));
            if (!actions.Any(a => HandlerOf(a) == handler?.ToLowerInvariant()) || (form.GetAttribute("action") ?? "").StartsWith("/sign-out", StringComparison.Ordinal))
                continue;
            return Fill(form, tag);
        }
        return null;
    }

    private static string? HandlerOf(string? action)
    {
        if (string.IsNullOrEmpty(action))
            return null;
        var query = action.Contains('?') ? action[(action.IndexOf('?') + 1)..] : "";
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            if (pair.StartsWith("handler=", StringComparison.OrdinalIgnoreCase))
                return Uri.UnescapeDataString(pair["handler=".Length..]).ToLowerInvariant();
        return null;
    }

    private static Dictionary<string, string> Fill(IHtmlFormElement form, string tag)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var fields = new Dictionary<string, string>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || name == "__RequestVerificationToken" || fields.ContainsKey(name))
                continue;
            switch (element)
            {
                case IHtmlInputElement { Type: "radio" } radio:
                    var group = form.Elements.OfType<IHtmlInputElement>().Where(r => r.Type == "radio" && r.Name == name).ToList();
                    fields[name] = (group.FirstOrDefault(r => r.IsChecked) ?? group[0]).Value;
                    break;
                case IHtmlInputElement { Type: "checkbox" } box:
                    fields[name] = box.Value is { Length: > 0 } v && v != "on" ? v : "true";
                    break;
                case IHtmlInputElement { Type: "submit" or "button" or "file" }:
                    break;
                case IHtmlInputElement input:
                    fields[name] = input.Value is { Length: > 0 } value ? value : Plausible(name, input.Type, today, tag);
                    break;
                case IHtmlSelectElement select:
                    fields[name] = select.Options.FirstOrDefault(o => o.IsSelected && o.Value.Length > 0)?.Value
                        ?? select.Options.FirstOrDefault(o => o.Value.Length > 0)?.Value ?? "";
                    break;
                case IHtmlTextAreaElement area:
                    fields[name] = area.Value is { Length: > 0 } text ? text : $"Matrix {tag}: a note that must not be stored";
                    break;
            }
        }
        return fields;
    }

    private static string Plausible(string name, string type, DateOnly today, string tag)
    {
        if (name.EndsWith(".Day", StringComparison.Ordinal))
            return today.Day.ToString();
        if (name.EndsWith(".Month", StringComparison.Ordinal))
            return today.Month.ToString();
        if (name.EndsWith(".Year", StringComparison.Ordinal))
            return today.Year.ToString();
        return type switch
        {
            "date" => today.ToString("yyyy-MM-dd"),
            "number" => "1",
            "email" => $"matrix-{tag}@test.invalid",
            _ => $"Matrix {tag}",
        };
    }

}
