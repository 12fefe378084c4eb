using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Waypoint.Shell;

/// <summary>
/// Enums in the JSON API are read only as one of their members' names (any case): never a number
/// such as <c>"sex": 99</c>, which would store a value no page can show or explain.
/// </summary>
public sealed class NamedEnumConverter : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Converter<>).MakeGenericType(typeToConvert))!;

    private sealed class Converter<T> : JsonConverter<T> where T : struct, Enum
    {
        private static readonly string[] Names = Enum.GetNames<T>();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text
                && Names.FirstOrDefault(n => string.Equals(n, text.Trim(), StringComparison.OrdinalIgnoreCase)) is { } name)
                return Enum.Parse<T>(name);
            throw new JsonException($"Must be one of: {string.Join(", ", Names)}.");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}

/// <summary>Dates in the JSON API as <c>yyyy-mm-dd</c> within <see cref="SaneDates"/>: 0001-01-01 or 9999-12-31 is a typing slip, not a date.</summary>
public sealed class SaneDateConverter : JsonConverter<DateOnly>
{
    public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String
            || !DateOnly.TryParseExact(reader.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            throw new JsonException("Must be a date written yyyy-mm-dd.");
        if (!SaneDates.Contains(date))
            throw new JsonException($"Must be {SaneDates.RangeText}.");
        return date;
    }

    public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
}

/// <summary>The widest range any date field accepts; fields narrow it (a date of birth is not in the future).</summary>
public static class SaneDates
{
    public static DateOnly Earliest { get; } = new(1900, 1, 1);
    public static DateOnly Latest { get; } = new(2099, 12, 31);

    public const string RangeText = "between 1 January 1900 and 31 December 2099";

    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;
}
