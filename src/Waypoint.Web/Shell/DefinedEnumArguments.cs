using System.Reflection;

namespace Waypoint.Shell;

/// <summary>
/// The minimal-API counterpart of <see cref="DefinedEnumBinding"/>: an enum parameter taken from
/// the route or the query string must name one of its members. The framework's binding takes
/// numbers ("99") and stores what no page can explain; those, and unknown names, are answered
/// with a 400 naming the parameter before the handler runs.
/// </summary>
public static class DefinedEnumArguments
{
    public static TBuilder RequireNamedEnums<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilterFactory((factory, next) =>
        {
            var enums = factory.MethodInfo.GetParameters()
                .Select((p, i) => (Parameter: p, Index: i, Type: Nullable.GetUnderlyingType(p.ParameterType) ?? ElementType(p.ParameterType)))
                .Where(p => p.Type?.IsEnum == true && p.Parameter.GetCustomAttribute<Microsoft.AspNetCore.Mvc.FromBodyAttribute>() is null)
                .ToList();
            if (enums.Count == 0)
                return next;
            return context =>
            {
                var http = context.HttpContext;
                var errors = new Dictionary<string, string[]>();
                foreach (var (parameter, _, type) in enums)
                {
                    var name = parameter.Name!;
                    var raw = http.Request.RouteValues.TryGetValue(name, out var routed) && routed is string r ? [r] : http.Request.Query[name].ToArray();
                    if (raw.Any(v => !string.IsNullOrWhiteSpace(v) && !DefinedEnumBinding.IsNamedMember(type!, v!)))
                        errors[name] = [$"{name} must be one of {string.Join(", ", Enum.GetNames(type!))}."];
                }
                return errors.Count > 0 ? ValueTask.FromResult<object?>(TypedResults.ValidationProblem(errors)) : next(context);
            };
        });
        return builder;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? Nullable.GetUnderlyingType(type.GetElementType()!) ?? type.GetElementType() : type;
}
