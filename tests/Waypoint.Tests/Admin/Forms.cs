using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using Waypoint.Tests.Infrastructure;

namespace Waypoint.Tests.Admin;

/// <summary>
/// Submits a page's form the way a browser would: every field with its current value (checked
/// boxes only, the antiforgery token included), changed by the test, posted to the form's action
/// or the pressed button's. For forms with repeated names (checkbox groups), which
/// <see cref="Clients.PostFormAsync"/> cannot express.
/// </summary>
public static class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pageUrl, string formSelector,
        Action<List<KeyValuePair<string, string>>>? change = null, string? buttonSelector = null)
    {
        var document = await client.GetDocumentAsync(pageUrl);
        var form = document.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form {formSelector} on {pageUrl}");
        var fields = Fields(form);
        change?.Invoke(fields);
        var action = buttonSelector is null ? null : (form.QuerySelector(buttonSelector) ?? throw new InvalidOperationException($"No button {buttonSelector}")).GetAttribute("formaction");
        action ??= form.GetAttribute("action");
        return await client.PostAsync(string.IsNullOrEmpty(action) ? pageUrl : action, new FormUrlEncodedContent(fields));
    }

    public static List<KeyValuePair<string, string>> Fields(IHtmlFormElement form)
    {
        var fields = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            var name = element.GetAttribute("name");
            if (string.IsNullOrEmpty(name) || element.HasAttribute("disabled"))
                continue;
            switch (element)
            {
                case IHtmlInputElement { Type: "checkbox" or "radio" } box:
                    if (box.IsChecked)
                        fields.Add(new(name, box.Value));
                    break;
                case IHtmlInputElement { Type: "submit" or "button" or "image" or "reset" }:
                    break;
                case IHtmlInputElement input:
                    fields.Add(new(name, input.Value));
                    break;
                case IHtmlTextAreaElement text:
                    fields.Add(new(name, text.Value));
                    break;
                case IHtmlSelectElement select:
                    foreach (var option in select.Options.Where(o => o.IsSelected))
                        fields.Add(new(name, option.Value));
                    break;
            }
        }
        return fields;
    }

    /// <summary>Sets a single-valued field, replacing any value it had.</summary>
    public static void Set(this List<KeyValuePair<string, string>> fields, string name, string value)
    {
        fields.RemoveAll(f => f.Key == name);
        fields.Add(new(name, value));
    }

    public static async Task<IHtmlDocument> DocumentAsync(this HttpResponseMessage response) =>
        Clients.Parse(await response.Content.ReadAsStringAsync());

    /// <summary>The messages of the GOV.UK error summary, if the page shows one.</summary>
    public static IReadOnlyList<string> ErrorSummary(this IDocument document) =>
        document.QuerySelectorAll(".govuk-error-summary__list a").Select(a => a.TextContent.Trim()).ToList();
}
