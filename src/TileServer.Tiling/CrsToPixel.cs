using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>CRS (GIS order) → continuous pixel coordinate of a grid, with longitude normalisation for geographic grids.</summary>
internal readonly struct CrsToPixel
{
    private readonly double _a, _b, _c, _d, _e, _f;
    private readonly bool _shiftLongitude;
    private readonly double _minX, _maxX;

    public CrsToPixel(GridGeometry grid)
    {
        var t = grid.Transform;
        double det = (t.A * t.E) - (t.B * t.D);
        if (det == 0 || !double.IsFinite(det))
        {
            throw new ArgumentException("grid transform is singular", nameof(grid));
        }

        _a = t.E / det;
        _b = -t.B / det;
        _c = -((_a * t.C) + (_b * t.F));
        _d = -t.D / det;
        _e = t.A / det;
        _f = -((_d * t.C) + (_e * t.F));
        var bounds = grid.Bounds;
        _minX = bounds.MinX;
        _maxX = bounds.MaxX;

        // Geographic grids stored past ±180 (e.g. 100..260) need longitudes moved by 360 to find them; grids that
        // wrap are handled by column arithmetic instead, so their longitudes stay continuous.
        _shiftLongitude = grid.Crs.IsGeographic && !grid.WrapsLongitude && (_minX < -180 || _maxX > 180);
    }

    public (double Col, double Row) Map(double x, double y)
    {
        if (_shiftLongitude)
        {
            if (x < _minX && x + 360 <= _maxX)
            {
                x += 360;
            }
            else if (x > _maxX && x - 360 >= _minX)
            {
                x -= 360;
            }
        }

        return ((_a * x) + (_b * y) + _c, (_d * x) + (_e * y) + _f);
    }

    /// <summary>Replaces CRS coordinates by (col, row); non-finite inputs become NaN.</summary>
    public void MapInPlace(Span<double> xs, Span<double> ys)
    {
        for (int k = 0; k < xs.Length; k++)
        {
            double x = xs[k], y = ys[k];
            if (!double.IsFinite(x) || !double.IsFinite(y))
            {
                xs[k] = double.NaN;
                ys[k] = double.NaN;
                continue;
            }

            (xs[k], ys[k]) = Map(x, y);
        }
    }
}
