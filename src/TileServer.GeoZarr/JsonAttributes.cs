using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TileServer.GeoZarr;

/// <summary>Tolerant readers for attribute values as producers write them (numbers as numbers, strings or 1-element lists).</summary>
internal static class JsonAttributes
{
    public static string? GetString(this JsonObject attrs, string key)
        => attrs.TryGetPropertyValue(key, out var node) && node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    public static double? GetDouble(this JsonObject attrs, string key)
        => attrs.TryGetPropertyValue(key, out var node) ? AsDouble(node) : null;

    public static double? AsDouble(JsonNode? node)
    {
        switch (node)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                return v.GetValue<double>();
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>().Trim();
                return s.ToLowerInvariant() switch
                {
                    "nan" => double.NaN,
                    "infinity" or "inf" => double.PositiveInfinity,
                    "-infinity" or "-inf" => double.NegativeInfinity,
                    _ => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null,
                };
            case JsonArray a when a.Count == 1:
                return AsDouble(a[0]);
            default:
                return null;
        }
    }

    /// <summary>A list of numbers from a JSON array, a single number, or a space/comma separated string.</summary>
    public static double[]? GetDoubles(this JsonObject attrs, string key)
        => attrs.TryGetPropertyValue(key, out var node) ? AsDoubles(node) : null;

    public static double[]? AsDoubles(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray a:
                {
                    var result = new double[a.Count];
                    for (int i = 0; i < a.Count; i++)
                    {
                        var d = AsDouble(a[i]);
                        if (d is null)
                        {
                            return null;
                        }

                        result[i] = d.Value;
                    }

                    return result;
                }

            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                {
                    var parts = v.GetValue<string>().Split([' ', ',', '\t'], StringSplitOptions.RemoveEmptyEntries);
                    var result = new double[parts.Length];
                    for (int i = 0; i < parts.Length; i++)
                    {
                        if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out result[i]))
                        {
                            return null;
                        }
                    }

                    return result;
                }

            case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                return [v.GetValue<double>()];
            default:
                return null;
        }
    }

    public static string[]? GetStrings(this JsonObject attrs, string key)
    {
        if (!attrs.TryGetPropertyValue(key, out var node) || node is not JsonArray a)
        {
            return null;
        }

        var result = new string[a.Count];
        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            {
                return null;
            }

            result[i] = v.GetValue<string>();
        }

        return result;
    }
}
