using System.Globalization;
using System.Text.RegularExpressions;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Documents.Requests;

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

    /// <summary>A tile of a dataset named by TileMatrixSet, matrix, column and row: 404 when any is not there, 400 when malformed.</summary>
    public static (TileMatrixSet Tms, TileMatrix Matrix, long Col, long Row) Resolve(DatasetTileMatrixSets sets, string tmsId, string z, string x, long row)
    {
        var tms = RequireTileMatrixSet(sets, tmsId);
        var matrix = tms.FindMatrix(z);
        if (matrix is null)
        {
            bool numericIds = tms.TileMatrices.All(m => int.TryParse(m.Id, NumberStyles.None, CultureInfo.InvariantCulture, out _));
            if (numericIds && !int.TryParse(z, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                throw new BadRequestException("z", $"Zoom '{z}' is not a non-negative integer.");
            }

            throw new NotFoundException("Tile outside the matrix", $"TileMatrixSet '{tms.Id}' has no tile matrix '{z}' (it has {tms.TileMatrices[0].Id}..{tms.TileMatrices[^1].Id}).", "z");
        }

        long col = ParseIndex(x, "x");
        if (!tms.IsValidTile(matrix, col, row))
        {
            throw new NotFoundException("Tile outside the matrix", $"Tile {matrix.Id}/{col}/{row} is outside TileMatrixSet '{tms.Id}' (matrix is {matrix.MatrixWidth} × {matrix.MatrixHeight} tiles).");
        }

        return (tms, matrix, col, row);
    }

    /// <summary>OGC API's tile column with an optional format suffix (<c>5.png</c>): the column, and the format a suffix names (png, webp or jpg).</summary>
    public static (string Col, ImageFormat? Format) SplitColumn(string tileCol)
    {
        int dot = tileCol.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return (tileCol, null);
        }

        return ImageFormats.TryParse(tileCol[(dot + 1)..], out var format) && format != ImageFormat.Npy
            ? (tileCol[..dot], format)
            : throw new BadRequestException("format", $"Unknown tile format '{tileCol[(dot + 1)..]}'; use png, webp or jpg.");
    }

    /// <summary>A TileMatrixSet the dataset is offered in (registered, or declared by its metadata); 404 otherwise.</summary>
    public static TileMatrixSet RequireTileMatrixSet(DatasetTileMatrixSets sets, string id)
        => sets.TryGet(id, out var tms) ? tms : throw new NotFoundException("Unknown TileMatrixSet", $"No TileMatrixSet '{id}'; see /tileMatrixSets.", "tileMatrixSetId");

    [GeneratedRegex(@"^(?<y>[0-9]{1,18})(@(?<s>[1-4])x)?\.(?<f>[A-Za-z]{3,4})$")]
    private static partial Regex Pattern();
}
