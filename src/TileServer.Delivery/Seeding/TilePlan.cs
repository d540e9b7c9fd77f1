using TileServer.Crs;
using TileServer.Reading;
using TileServer.Tiling;

namespace TileServer.Delivery.Seeding;

/// <summary>One tile of a seed: its zoom (the tile matrix id as a number), matrix, column and row.</summary>
public readonly record struct PlannedTile(int Zoom, TileMatrix Matrix, long Col, long Row, bool OutsideData);

/// <summary>
/// The tiles of a seed: at each zoom, the tiles of the TileMatrixSet touching the box, each marked when it lies
/// entirely outside the data's bounds (such a tile would only be transparent, so it is not rendered). Pure: no I/O.
/// </summary>
public sealed class TilePlan
{
    private const double MaxMercatorLatitude = 85.0511287798066;

    private readonly TileMatrixSet _tms;
    private readonly IReadOnlyList<ZoomRange> _ranges;
    private readonly Extent _data;

    private TilePlan(TileMatrixSet tms, Extent lonLat, Extent data, IReadOnlyList<ZoomRange> ranges)
    {
        _tms = tms;
        LonLatBox = lonLat;
        _data = data;
        _ranges = ranges;
        Count = ranges.Sum(CountRange);
    }

    private readonly record struct ZoomRange(int Zoom, TileMatrix Matrix, long MinCol, long MinRow, long MaxCol, long MaxRow);

    /// <summary>The box seeded, in degrees (clamped to the latitudes a projected TileMatrixSet covers).</summary>
    public Extent LonLatBox { get; }

    /// <summary>Tiles in the plan, those outside the data included.</summary>
    public long Count { get; }

    /// <summary>
    /// The plan for zooms <paramref name="minZoom"/>..<paramref name="maxZoom"/> (tile matrix ids) over
    /// <paramref name="lonLat"/>, or over the dataset's bounds when it is null.
    /// </summary>
    public static TilePlan Create(DatasetReader reader, TileMatrixSet tms, int minZoom, int maxZoom, Extent? lonLat, CrsRegistry crs)
    {
        var ranges = new List<ZoomRange>();
        var native = reader.Dataset.Finest.Grid;
        // In the data's own CRS the grid bounds are exact; elsewhere, the lon/lat bounds projected (as the tilesets' limits are).
        var data = native.Crs.Code is { } code && code == tms.Crs.Code && !native.WrapsLongitude
            ? native.Bounds
            : Project(Clamp(reader.Geography.Wgs84Bounds, tms), tms, crs);
        var box = lonLat is { } given ? Clamp(given, tms) : Clamp(reader.Geography.Wgs84Bounds, tms);
        var area = lonLat is null ? data : Project(box, tms, crs);
        for (int z = minZoom; z <= maxZoom; z++)
        {
            var matrix = tms.FindMatrix(z.ToString(System.Globalization.CultureInfo.InvariantCulture))
                ?? throw new SeedException(FailureKind.NotFound,
                    $"TileMatrixSet '{tms.Id}' has no tile matrix {z} (it has {tms.TileMatrices[0].Id}..{tms.TileMatrices[^1].Id}): give --zooms within that range");
            var (minCol, minRow, maxCol, maxRow) = tms.TileRange(matrix, area);
            ranges.Add(new ZoomRange(z, matrix, minCol, minRow, maxCol, maxRow));
        }

        return new TilePlan(tms, box, data, ranges);
    }

    /// <summary>Every tile of the plan, zoom by zoom, row by row (lazily: a plan may hold millions).</summary>
    public IEnumerable<PlannedTile> Tiles()
    {
        foreach (var (zoom, matrix, minCol, minRow, maxCol, maxRow) in _ranges)
        {
            for (long row = minRow; row <= maxRow; row++)
            {
                // A row of coalesced tiles (variable matrix widths) has a tile every c columns.
                int c = matrix.CoalesceForRow(row);
                for (long col = minCol - (minCol % c); col <= maxCol; col += c)
                {
                    yield return new PlannedTile(zoom, matrix, col, row, !_tms.TileBounds(matrix, col, row).Intersects(_data));
                }
            }
        }
    }

    private static long CountRange(ZoomRange range)
    {
        var (_, matrix, minCol, minRow, maxCol, maxRow) = range;
        if (minCol > maxCol || minRow > maxRow)
        {
            return 0;
        }

        if (matrix.VariableMatrixWidths is null)
        {
            return (maxCol - minCol + 1) * (maxRow - minRow + 1);
        }

        long count = 0;
        for (long row = minRow; row <= maxRow; row++)
        {
            int c = matrix.CoalesceForRow(row);
            count += ((maxCol - (minCol - (minCol % c))) / c) + 1;
        }

        return count;
    }

    // A projected set's poles are at infinity (Web Mercator's limit is ±85.05°); a geographic one takes the box as it is.
    private static Extent Clamp(Extent lonLat, TileMatrixSet tms)
        => tms.Crs.IsGeographic ? lonLat : lonLat with { MinY = Math.Max(lonLat.MinY, -MaxMercatorLatitude), MaxY = Math.Min(lonLat.MaxY, MaxMercatorLatitude) };

    private static Extent Project(Extent lonLat, TileMatrixSet tms, CrsRegistry crs)
        => tms.Crs.IsGeographic ? lonLat
            : ExtentProjection.Transform(lonLat, crs.CreateTransform(crs.FromCode("EPSG:4326"), tms.Crs), interior: true)
                ?? new Extent(double.NaN, double.NaN, double.NaN, double.NaN);
}
