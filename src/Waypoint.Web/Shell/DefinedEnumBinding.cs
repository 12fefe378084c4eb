using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;

namespace Waypoint.Shell;

/// <summary>
/// Form and query values for an enum must name one of its members. The framework's own binding
/// also takes numbers ("99", "-1"), which would store a value no page can show or explain; those,
/// and names the enum does not have, are refused with a message naming the field.
/// </summary>
public sealed partial class DefinedEnumBinding(ILoggerFactory loggers) : IModelBinderProvider
{
    private const string ProblemsItem = "Waypoint.FieldProblems";

    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        var type = Nullable.GetUnderlyingType(context.Metadata.ModelType) ?? context.Metadata.ModelType;
        return type.IsEnum ? new Binder(type, new SimpleTypeModelBinder(context.Metadata.ModelType, loggers)) : null;
    }

    /// <summary>The field messages recorded while binding this request (empty when every value was a member).</summary>
    public static IReadOnlyList<string> Problems(HttpContext http) =>
        http.Items.TryGetValue(ProblemsItem, out var value) && value is List<string> list ? list : [];

    /// <summary>A member's name (in any case), not a number and not a combination.</summary>
    public static bool IsNamedMember(Type enumType, string value)
    {
        var text = value.Trim();
        return text.Length > 0 && !char.IsAsciiDigit(text[0]) && text[0] is not ('-' or '+')
            && Enum.GetNames(enumType).Any(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
    }

    private sealed class Binder(Type enumType, IModelBinder inner) : IModelBinder
    {
        public Task BindModelAsync(ModelBindingContext context)
        {
            var values = context.ValueProvider.GetValue(context.ModelName);
            if (values.Values.Any(v => !string.IsNullOrWhiteSpace(v) && !IsNamedMember(enumType, v!)))
            {
                var label = context.ModelMetadata.DisplayName ?? Words(context.ModelMetadata.PropertyName ?? context.ModelName);
                var message = $"{label} must be one of the options shown";
                context.ModelState.TryAddModelError(context.ModelName, message);
                if (!context.HttpContext.Items.TryGetValue(ProblemsItem, out var existing) || existing is not List<string> list)
                    context.HttpContext.Items[ProblemsItem] = list = [];
                if (!list.Contains(message))
                    list.Add(message);
                context.Result = ModelBindingResult.Failed();
                return Task.CompletedTask;
            }
            return inner.BindModelAsync(context);
        }
    }

    private static string Words(string name)
    {
        var words = WordBoundary().Replace(name.Split('.')[^1], " $1").Trim().ToLowerInvariant();
        return words.Length == 0 ? "A value" : char.ToUpperInvariant(words[0]) + words[1..];
    }

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex WordBoundary();
}
