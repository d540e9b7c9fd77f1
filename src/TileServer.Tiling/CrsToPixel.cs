using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>
/// CRS (GIS order) → continuous pixel coordinate of a grid, with longitude normalisation for geographic grids: the
/// inverse affine on regular axes, a binary search on irregular ones (<see cref="IrregularAxis.ToIndex"/>), the cell
/// index of a curvilinear grid (<see cref="CurvilinearGrid.ToIndex"/>).
/// </summary>
internal readonly struct CrsToPixel
{
    /// <summary>
    /// Where a point in no cell of a curvilinear grid maps: one coordinate outside every grid for all of them, so that an
    /// approximated block wholly outside interpolates exactly instead of being split down to single pixels.
    /// </summary>
    public const double OutsideCurvilinear = -1;

    private readonly double _a, _b, _c, _d, _e, _f;
    private readonly bool _shiftLongitude;
    private readonly double _minX, _maxX;
    private readonly IrregularAxis? _xAxis;
    private readonly IrregularAxis? _yAxis;
    private readonly CurvilinearGrid? _cells;
    private readonly bool _wrapX;
    private readonly int _width;

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
        _xAxis = grid.XAxis;
        _yAxis = grid.YAxis;
        _cells = grid.Cells;
        _wrapX = grid.WrapsLongitude && grid.XAxis is not null;
        _width = grid.Width;
    }

    public (double Col, double Row) Map(double x, double y)
    {
        if (_cells is not null)
        {
            var (col, row) = _cells.ToIndex(x, y);
            return double.IsNaN(col) ? (OutsideCurvilinear, OutsideCurvilinear) : (col, row);
        }

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

        if (_xAxis is null && _yAxis is null)
        {
            return ((_a * x) + (_b * y) + _c, (_d * x) + (_e * y) + _f);
        }

        return (_xAxis is null ? (_a * x) + (_b * y) + _c : IrregularColumn(x), _yAxis is null ? (_d * x) + (_e * y) + _f : _yAxis.ToIndex(y));
    }

    /// <summary>
    /// The column of an irregular x axis. A wrapping one continues whole turns beyond its ends (the planner folds
    /// columns modulo the width), so the lookup is made within one turn from the first edge and the turns added back.
    /// </summary>
    private double IrregularColumn(double x)
    {
        if (!_wrapX)
        {
            return _xAxis!.ToIndex(x);
        }

        double turns = Math.Floor((x - _minX) / 360);
        return _xAxis!.ToIndex(x - (360 * turns)) + (turns * _width * (_xAxis.Descending ? -1 : 1));
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
