using System.Text.Json.Nodes;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>
/// An OGC TileMatrixSet (TMS 2.0). Geometry helpers take and return coordinates in GIS order
/// (x = easting/longitude, y = northing/latitude) whatever the CRS's authority axis order.
/// </summary>
public sealed record TileMatrixSet
{
    public required string Id { get; init; }
    public string? Title { get; init; }
    public string? Uri { get; init; }

    /// <summary>The <c>crs</c> member as written in the JSON (a URI, or the WKT/PROJJSON text for inline CRSs).</summary>
    public required string CrsUri { get; init; }

    public required CrsInfo Crs { get; init; }
    public IReadOnlyList<string>? OrderedAxes { get; init; }

    /// <summary>Matrices in JSON order (coarsest first).</summary>
    public required IReadOnlyList<TileMatrix> TileMatrices { get; init; }

    /// <summary>The optional <c>boundingBox</c>, in GIS order.</summary>
    public Extent? BoundingBox { get; init; }

    /// <summary>The TMS 2.0 document (normalised to 2.0 names when the input was TMS 1.0).</summary>
    public required JsonObject Json { get; init; }

    /// <summary>True when JSON coordinates (pointOfOrigin, boundingBox) are northing/latitude first.</summary>
    public required bool NorthingFirst { get; init; }

    public TileMatrix? FindMatrix(string id)
    {
        foreach (var m in TileMatrices)
        {
            if (string.Equals(m.Id, id, StringComparison.Ordinal))
            {
                return m;
            }
        }

        return null;
    }

    /// <summary>The matrix's corner of origin in GIS order.</summary>
    public (double X, double Y) Origin(TileMatrix m) => NorthingFirst ? (m.PointOfOrigin[1], m.PointOfOrigin[0]) : (m.PointOfOrigin[0], m.PointOfOrigin[1]);

    /// <summary>Bounds of tile (col, row) in GIS order; coalesced tiles (variable matrix widths) span several columns.</summary>
    public Extent TileBounds(TileMatrix m, long col, long row)
    {
        var (x0, y0) = Origin(m);
        double spanX = m.TileSpanX, spanY = m.TileSpanY;
        int c = m.CoalesceForRow(row);
        double minX = x0 + (col * spanX);
        double maxX = x0 + (Math.Min(col + c, m.MatrixWidth) * spanX);
        if (m.IsBottomLeft)
        {
            double minY = y0 + (row * spanY);
            return new Extent(minX, minY, maxX, y0 + ((row + 1) * spanY));
        }

        double maxY = y0 - (row * spanY);
        return new Extent(minX, y0 - ((row + 1) * spanY), maxX, maxY);
    }

    /// <summary>Extent of the whole matrix in GIS order.</summary>
    public Extent MatrixBounds(TileMatrix m)
    {
        var (x0, y0) = Origin(m);
        double maxX = x0 + (m.MatrixWidth * m.TileSpanX);
        double h = m.MatrixHeight * m.TileSpanY;
        return m.IsBottomLeft ? new Extent(x0, y0, maxX, y0 + h) : new Extent(x0, y0 - h, maxX, y0);
    }

    public bool IsValidTile(TileMatrix m, long col, long row)
    {
        if (col < 0 || row < 0 || col >= m.MatrixWidth || row >= m.MatrixHeight)
        {
            return false;
        }

        return col % m.CoalesceForRow(row) == 0;
    }

    /// <summary>
    /// Tiles of <paramref name="m"/> touching <paramref name="bbox"/> (TMS CRS, GIS order), inclusive, clamped to the
    /// matrix (TMS annex pseudocode, ε = 1e-6). MinCol &gt; MaxCol or MinRow &gt; MaxRow means none.
    /// </summary>
    public (long MinCol, long MinRow, long MaxCol, long MaxRow) TileRange(TileMatrix m, Extent bbox)
    {
        const double Eps = 1e-6;
        var (x0, y0) = Origin(m);
        double spanX = m.TileSpanX, spanY = m.TileSpanY;
        double minCol = Math.Floor(((bbox.MinX - x0) / spanX) + Eps);
        double maxCol = Math.Floor(((bbox.MaxX - x0) / spanX) - Eps);
        double minRow, maxRow;
        if (m.IsBottomLeft)
        {
            minRow = Math.Floor(((bbox.MinY - y0) / spanY) + Eps);
            maxRow = Math.Floor(((bbox.MaxY - y0) / spanY) - Eps);
        }
        else
        {
            minRow = Math.Floor(((y0 - bbox.MaxY) / spanY) + Eps);
            maxRow = Math.Floor(((y0 - bbox.MinY) / spanY) - Eps);
        }

        return (ClampIndex(minCol, m.MatrixWidth, low: true), ClampIndex(minRow, m.MatrixHeight, low: true),
                ClampIndex(maxCol, m.MatrixWidth, low: false), ClampIndex(maxRow, m.MatrixHeight, low: false));
    }

    // Only the side facing the matrix is clamped, so a bbox outside the matrix yields min > max.
    private static long ClampIndex(double v, long size, bool low)
    {
        if (double.IsNaN(v))
        {
            return low ? size : -1;
        }

        return low ? (long)Math.Max(0, Math.Min(v, size)) : (long)Math.Min(size - 1, Math.Max(v, -1));
    }

    /// <summary>
    /// One JSON object carrying the TMS 2.0 members and the TMS 1.0 (OGC 17-083r2) members that older clients such as
    /// GDAL 3.6's OGC API driver read: <c>type</c>, <c>identifier</c>, <c>supportedCRS</c>, <c>tileMatrix</c>, and per
    /// matrix <c>identifier</c>, <c>topLeftCorner</c>, <c>scaleDenominator</c>, sizes.
    /// </summary>
    public JsonObject ToCompatibleJson()
    {
        var o = (JsonObject)Json.DeepClone();
        o["type"] = "TileMatrixSetType";
        o["identifier"] = Id;
        o["supportedCRS"] = CrsUri;
        var matrices10 = new JsonArray();
        var matrices20 = o["tileMatrices"] as JsonArray;
        for (int i = 0; i < TileMatrices.Count; i++)
        {
            var m = TileMatrices[i];
            var topLeft = TopLeftCornerAuthorityOrder(m);
            matrices10.Add(new JsonObject
            {
                ["type"] = "TileMatrixType",
                ["identifier"] = m.Id,
                ["scaleDenominator"] = m.ScaleDenominator,
                ["topLeftCorner"] = new JsonArray(topLeft[0], topLeft[1]),
                ["tileWidth"] = m.TileWidth,
                ["tileHeight"] = m.TileHeight,
                ["matrixWidth"] = m.MatrixWidth,
                ["matrixHeight"] = m.MatrixHeight,
            });
            if (matrices20 is not null && i < matrices20.Count && matrices20[i] is JsonObject mo)
            {
                mo["identifier"] = m.Id;
                mo["topLeftCorner"] = new JsonArray(topLeft[0], topLeft[1]);
            }
        }

        o["tileMatrix"] = matrices10;
        if (BoundingBox is { } b && o["boundingBox"] is JsonObject bb)
        {
            var lo = NorthingFirst ? new JsonArray(b.MinY, b.MinX) : new JsonArray(b.MinX, b.MinY);
            var hi = NorthingFirst ? new JsonArray(b.MaxY, b.MaxX) : new JsonArray(b.MaxX, b.MaxY);
            bb["type"] = "BoundingBoxType";
            bb["lowerCorner"] = lo;
            bb["upperCorner"] = hi;
        }

        return o;
    }

    private double[] TopLeftCornerAuthorityOrder(TileMatrix m)
    {
        if (!m.IsBottomLeft)
        {
            return [m.PointOfOrigin[0], m.PointOfOrigin[1]];
        }

        var (x0, y0) = Origin(m);
        double top = y0 + (m.MatrixHeight * m.TileSpanY);
        return NorthingFirst ? [top, x0] : [x0, top];
    }
}
