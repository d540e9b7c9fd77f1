using System.Globalization;
using System.Text.Json;

namespace TileServer.Rendering;

/// <summary>Parses TiTiler-style custom colormap JSON (see <see cref="Colormap.ParseJson"/>).</summary>
internal static class ColormapJson
{
    private const int MaxJsonLength = 256 * 1024;
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    public static IColormap Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (json.Length > MaxJsonLength)
        {
            throw new FormatException($"colormap JSON is {json.Length} characters; at most {MaxJsonLength} are accepted");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"colormap is not valid JSON: {e.Message}", e);
        }

        using (doc)
        {
            try
            {
                return doc.RootElement.ValueKind switch
                {
                    JsonValueKind.Object => ParseDiscrete(doc.RootElement),
                    JsonValueKind.Array => ParseIntervals(doc.RootElement),
                    _ => throw new FormatException("colormap JSON must be an object {\"value\": color, ...} or an array [[[min, max], color], ...]"),
                };
            }
            catch (InvalidOperationException e)
            {
                // JsonDocument decodes strings when they are read: an escaped lone surrogate ("\ud800") fails only then.
                throw new FormatException($"colormap JSON holds a string that is not valid text: {e.Message}", e);
            }
        }
    }

    private static IColormap ParseDiscrete(JsonElement root)
    {
        var entries = new List<(long Key, RgbaColor Color)>();
        foreach (var property in root.EnumerateObject())
        {
            if (!long.TryParse(property.Name, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var key))
            {
                throw new FormatException($"colormap key '{property.Name}' is not an integer value");
            }

            entries.Add((key, ParseColor(property.Value, $"colormap entry '{property.Name}'")));
            if (entries.Count > Colormap.Size)
            {
                throw new FormatException($"colormap has more than {Colormap.Size} entries");
            }
        }

        if (entries.Count == 0)
        {
            throw new FormatException("colormap object is empty");
        }

        if (entries.TrueForAll(e => e.Key is >= 0 and < Colormap.Size))
        {
            var colors = new RgbaColor[Colormap.Size];
            foreach (var (key, color) in entries) colors[key] = color;
            return Colormap.FromColors("custom", colors);
        }

        if (entries.Count > IntervalColormap.MaxIntervals)
        {
            throw new FormatException($"a colormap with keys outside 0..255 may have at most {IntervalColormap.MaxIntervals} entries");
        }

        return new IntervalColormap(entries.ConvertAll(e => new ColorInterval(e.Key, e.Key, e.Color)), "custom-discrete");
    }

    private static IntervalColormap ParseIntervals(JsonElement root)
    {
        var intervals = new List<ColorInterval>();
        var i = 0;
        foreach (var item in root.EnumerateArray())
        {
            var where = $"colormap interval #{i}";
            if (item.ValueKind != JsonValueKind.Array || item.GetArrayLength() != 2)
            {
                throw new FormatException($"{where} must be [[min, max], color]");
            }

            var range = item[0];
            if (range.ValueKind != JsonValueKind.Array || range.GetArrayLength() != 2
                || !TryGetNumber(range[0], out var min) || !TryGetNumber(range[1], out var max))
            {
                throw new FormatException($"{where}: the range must be [min, max] with two numbers");
            }

            if (!double.IsFinite(min) || !double.IsFinite(max) || max < min)
            {
                throw new FormatException($"{where}: [{min}, {max}] is not a range with min <= max");
            }

            intervals.Add(new ColorInterval(min, max, ParseColor(item[1], where)));
            if (intervals.Count > IntervalColormap.MaxIntervals)
            {
                throw new FormatException($"colormap has more than {IntervalColormap.MaxIntervals} intervals");
            }

            i++;
        }

        if (intervals.Count == 0)
        {
            throw new FormatException("colormap interval list is empty");
        }

        return new IntervalColormap(intervals);
    }

    private static bool TryGetNumber(JsonElement e, out double value)
    {
        value = 0;
        return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out value);
    }

    /// <summary>[r, g, b], [r, g, b, a] (0..255) or "#rgb" / "#rrggbb" / "#rrggbbaa".</summary>
    internal static RgbaColor ParseColor(JsonElement value, string where)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            var text = value.GetString()!;
            if (RgbaColor.TryParseHex(text, out var hex)) return hex;
            throw new FormatException($"{where}: color '{text}' is not #rrggbb or #rrggbbaa");
        }

        if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() is 3 or 4)
        {
            Span<byte> c = [0, 0, 0, 255];
            for (var k = 0; k < value.GetArrayLength(); k++)
            {
                if (value[k].ValueKind != JsonValueKind.Number || !value[k].TryGetInt32(out var channel) || channel is < 0 or > 255)
                {
                    throw new FormatException($"{where}: color component {value[k]} is not an integer 0..255");
                }

                c[k] = (byte)channel;
            }

            return new RgbaColor(c[0], c[1], c[2], c[3]);
        }

        throw new FormatException($"{where}: color must be [r, g, b], [r, g, b, a] or \"#rrggbb\", got {value.GetRawText()}");
    }
}
