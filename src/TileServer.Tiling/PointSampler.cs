using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>
/// Finds the grid cell containing a point: index = floor((coord − origin) / cell size) on the cell edges of a regular
/// grid; the cell whose bounds (midpoints between centres) hold it on irregular and curvilinear grids.
/// </summary>
public static class PointSampler
{
    /// <summary>
    /// Cell (row, col) of <paramref name="grid"/> containing (x, y) given in the grid's CRS (GIS order), or null when
    /// outside. Longitude-wrapping grids take the column modulo the width; geographic grids stored past ±180 (0..360)
    /// also find longitudes given in −180..180.
    /// </summary>
    public static (long Row, long Col)? CellAt(GridGeometry grid, double x, double y)
    {
        if (!double.IsFinite(x) || !double.IsFinite(y))
        {
            return null;
        }

        var toPixel = new CrsToPixel(grid);
        if (grid.Kind != GridKind.Regular)
        {
            return Cell(grid, toPixel.Map(x, y));
        }

        var (c, r) = grid.Transform.IsRectilinear
            ? ((x - grid.Transform.C) / grid.Transform.A, (y - grid.Transform.F) / grid.Transform.E)
            : toPixel.Map(x, y);
        if (grid.Transform.IsRectilinear && !grid.WrapsLongitude && grid.Crs.IsGeographic && (c < 0 || c >= grid.Width))
        {
            // Same longitude shift CrsToPixel applies, for rectilinear grids computed without the inverse's rounding.
            (c, _) = toPixel.Map(x, y);
        }

        return Cell(grid, (c, r));
    }

    /// <summary>The cell whose continuous index range holds (c, r), wrapping columns when the grid does; null outside.</summary>
    private static (long Row, long Col)? Cell(GridGeometry grid, (double Col, double Row) index)
    {
        double row = Math.Floor(index.Row), col = Math.Floor(index.Col);
        if (!(row >= 0 && row < grid.Height) || double.IsNaN(col))
        {
            return null;
        }

        if (grid.WrapsLongitude)
        {
            return ((long)row, WarpPlanner.Mod((long)col, grid.Width));
        }

        return col < 0 || col >= grid.Width ? null : ((long)row, (long)col);
    }

    /// <summary>Cell containing lon/lat (EPSG:4326, GIS order), transforming into the grid's CRS first.</summary>
    public static (long Row, long Col)? CellAtLonLat(GridGeometry grid, double lon, double lat, CrsRegistry crs)
    {
        double x = lon, y = lat;
        if (!(grid.Crs.IsGeographic && grid.Crs.Code is "EPSG:4326" or "OGC:CRS84"))
        {
            Span<double> xs = [lon];
            Span<double> ys = [lat];
            crs.CreateTransform(crs.FromCode("EPSG:4326"), grid.Crs).Transform(xs, ys);
            x = xs[0];
            y = ys[0];
        }

        return CellAt(grid, x, y);
    }
}
