using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.GeoZarr;

namespace TileServer.Reading.Style;

/// <summary>One class of categorical data: its decoded value, CF meaning and colour (<c>#rrggbb</c>) when the data give one.</summary>
public sealed record CategoryClass(double Value, string? Meaning, string? Color);

/// <summary>
/// Categorical variables: CF <c>flag_values</c> (with <c>flag_meanings</c>, and <c>flag_colors</c> where a producer
/// adds them) make a variable a set of classes. Values are decoded like the data (scale/offset). A pure function.
/// </summary>
public static class CategoryClasses
{
    /// <summary>Most classes one variable may declare (a palette PNG keeps one index for "no class").</summary>
    public const int MaxClasses = 255;

    public static IReadOnlyList<CategoryClass>? Of(GeoVariable variable)
    {
        var values = Numbers(variable.Attributes["flag_values"]);
        if (values is null || values.Count is 0 or > MaxClasses)
        {
            return null;
        }

        var meanings = Words(variable.Attributes["flag_meanings"]);
        var colors = Words(variable.Attributes["flag_colors"]);
        var cf = variable.Cf;
        return values.Select((v, i) => new CategoryClass(
            (v * cf.ScaleFactor) + cf.AddOffset,
            meanings is not null && i < meanings.Count ? meanings[i] : null,
            colors is not null && i < colors.Count && colors[i].StartsWith('#') ? colors[i] : null)).ToArray();
    }

    private static List<double>? Numbers(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                var list = new List<double>();
                foreach (var item in array)
                {
                    if (item is not JsonValue value || value.GetValueKind() != JsonValueKind.Number)
                    {
                        return null;
                    }

                    list.Add(value.GetValue<double>());
                }

                return list;
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                return [v.GetValue<double>()];
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var parts = ((string)v!).Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
                var parsed = new List<double>();
                foreach (var p in parts)
                {
                    if (!double.TryParse(p, NumberStyles.Float, CultureInfo.InvariantCulture, out double d))
                    {
                        return null;
                    }

                    parsed.Add(d);
                }

                return parsed;
            default:
                return null;
        }
    }

    private static List<string>? Words(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.String => [.. ((string)v!).Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        JsonArray a => [.. a.Select(x => x?.GetValueKind() == JsonValueKind.String ? (string)x! : "")],
        _ => null,
    };
}
