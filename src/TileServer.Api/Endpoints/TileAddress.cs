using System.Globalization;
using System.Text.RegularExpressions;
using TileServer.Rendering;

namespace TileServer.Api.Endpoints;

/// <summary>The last path segment of a tile URL: <c>{y}[@{s}x].{fmt}</c>.</summary>
public readonly partial record struct TileAddress(long Y, int Scale, ImageFormat Format)
{
    public static TileAddress Parse(string segment)
    {
        var m = Pattern().Match(segment);
        if (!m.Success)
        {
            throw new BadRequestException("y", $"'{segment}' is not a tile row with a format, like '3.png', '3@2x.webp' or '3.npy'.");
        }

        if (!long.TryParse(m.Groups["y"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long y))
        {
            throw new BadRequestException("y", $"Tile row '{m.Groups["y"].Value}' is not a valid integer.");
        }

        int scale = m.Groups["s"].Success ? m.Groups["s"].Value[0] - '0' : 1;
        if (!ImageFormats.TryParse(m.Groups["f"].Value, out var format))
        {
            throw new BadRequestException("format", $"Unknown tile format '{m.Groups["f"].Value}'; use png, webp, jpg or npy.");
        }

        return new TileAddress(y, scale, format);
    }

    public static long ParseIndex(string text, string name)
        => long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long v)
            ? v
            : throw new BadRequestException(name, $"Tile {name} '{text}' is not a non-negative integer.");

    [GeneratedRegex(@"^(?<y>[0-9]{1,18})(@(?<s>[1-4])x)?\.(?<f>[A-Za-z]{3,4})$")]
    private static partial Regex Pattern();
}
