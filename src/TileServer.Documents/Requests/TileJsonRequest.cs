using System.Globalization;
using TileServer.Rendering;

namespace TileServer.Documents.Requests;

/// <summary>A TileJSON request: the tile parameters its template carries, and the tiles' format and scale.</summary>
public sealed record TileJsonRequest(TileQuery Query, ImageFormat Format, int Scale)
{
    public static readonly string[] KnownParameters = [.. TileQuery.KnownParameters, "tile_format", "tile_scale"];

    /// <summary>The scale part of a tile's last segment: empty at 1, else <c>@{Scale}x</c>.</summary>
    public string ScaleSuffix => Scale == 1 ? "" : $"@{Scale}x";

    /// <summary>The tile parameters, <c>tile_format</c> (png|webp|jpg|npy, png when absent) and <c>tile_scale</c> (1-4, 1 when absent).</summary>
    public static TileJsonRequest Parse(RequestParameters query, int maxTileSize)
    {
        var tiles = TileQuery.Parse(query, maxTileSize);
        var format = ImageFormat.Png;
        if (query.First("tile_format") is { Length: > 0 } f && !ImageFormats.TryParse(f, out format))
        {
            throw new BadRequestException("tile_format", $"Unknown tile_format '{f}'; use png, webp, jpg or npy.");
        }

        int scale = 1;
        if (query.First("tile_scale") is { Length: > 0 } s
            && (!int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out scale) || scale is < 1 or > 4))
        {
            throw new BadRequestException("tile_scale", $"tile_scale must be 1, 2, 3 or 4, not '{s}'.");
        }

        return new TileJsonRequest(tiles, format, scale);
    }
}
