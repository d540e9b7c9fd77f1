using System.Buffers;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>Per-pixel plans: a source coordinate for every output pixel, interpolated between exact transform samples.</summary>
public static partial class WarpPlanner
{
    /// <summary>
    /// Source pixel coordinate (col, row) of every output pixel centre, for mappings that are not separable (rotated
    /// grids, transforms that mix the axes). Same CRS: direct affine mapping. Otherwise the
    /// transform is evaluated exactly every <see cref="NodeSpacing"/> pixels (and on the last row/column) and
    /// bilinearly interpolated in between; a block whose centre deviates by more than <paramref name="maxErrorPixels"/>
    /// (in source or output pixels, whichever are smaller) from the interpolation, or that touches an
    /// untransformable point, is split in four with exact values on the new nodes, down to single pixels.
    /// </summary>
    internal static void ComputeSourceCoordinates(Extent b, int w, int h, GridGeometry grid, ICoordinateTransform? t, double maxErrorPixels, Span<double> cols, Span<double> rows)
    {
        var toPixel = new CrsToPixel(grid);
        double px = b.Width / w, py = b.Height / h;
        bool curvilinear = grid.Kind == GridKind.Curvilinear;
        if ((t is null || t.IsIdentity) && !curvilinear)
        {
            for (int j = 0; j < h; j++)
            {
                double y = b.MaxY - ((j + 0.5) * py);
                for (int i = 0; i < w; i++)
                {
                    double x = b.MinX + ((i + 0.5) * px);
                    (cols[(j * w) + i], rows[(j * w) + i]) = toPixel.Map(x, y);
                }
            }

            return;
        }

        // A curvilinear grid's cell index is not linear even in its own CRS: it is approximated like a transform.
        t ??= IdentityTransform.Instance;
        int spacing = curvilinear ? CurvilinearNodeSpacing(b, w, h, grid, t) : NodeSpacing;
        int[] nx = NodePositions(w, spacing), ny = NodePositions(h, spacing);
        if (nx.Length < 2 || ny.Length < 2)
        {
            ExactBlock(b, w, px, py, t, toPixel, 0, w - 1, 0, h - 1, cols, rows);
            return;
        }

        int nnx = nx.Length, nny = ny.Length;
        var nodeX = new double[nnx * nny];
        var nodeY = new double[nnx * nny];
        for (int a = 0; a < nny; a++)
        {
            for (int c = 0; c < nnx; c++)
            {
                nodeX[(a * nnx) + c] = b.MinX + ((nx[c] + 0.5) * px);
                nodeY[(a * nnx) + c] = b.MaxY - ((ny[a] + 0.5) * py);
            }
        }

        t.Transform(nodeX, nodeY);
        toPixel.MapInPlace(nodeX, nodeY);

        // A cell index is only piecewise smooth (it bends at every cell edge), so checks at block and edge midpoints
        // miss part of its deviation; a quarter of the bound keeps nearest cells within 0.1 % of an exact lookup.
        var ctx = new ApproxContext(b, w, px, py, t, toPixel, curvilinear ? maxErrorPixels / 4 : maxErrorPixels, cols, rows);
        for (int a = 0; a < nny - 1; a++)
        {
            for (int c = 0; c < nnx - 1; c++)
            {
                int k00 = (a * nnx) + c, k10 = k00 + 1, k01 = k00 + nnx, k11 = k01 + 1;
                ctx.Fill(nx[c], nx[c + 1], ny[a], ny[a + 1],
                    new Corner(nodeX[k00], nodeY[k00]), new Corner(nodeX[k10], nodeY[k10]), new Corner(nodeX[k01], nodeY[k01]), new Corner(nodeX[k11], nodeY[k11]));
            }
        }
    }

    private readonly record struct Corner(double Col, double Row);

    /// <summary>The transform of a tile already in the grid's CRS (curvilinear grids still need their approximation).</summary>
    private sealed class IdentityTransform : ICoordinateTransform
    {
        public static readonly IdentityTransform Instance = new();

        public bool IsIdentity => true;

        public void Transform(Span<double> x, Span<double> y)
        {
        }
    }

    /// <summary>Recursive block interpolation: subdivides a block until its centre matches the interpolation.</summary>
    private readonly ref struct ApproxContext
    {
        private readonly Extent _b;
        private readonly int _w;
        private readonly double _px, _py, _maxError;
        private readonly ICoordinateTransform _t;
        private readonly CrsToPixel _toPixel;
        private readonly Span<double> _cols, _rows;

        public ApproxContext(Extent b, int w, double px, double py, ICoordinateTransform t, CrsToPixel toPixel, double maxError, Span<double> cols, Span<double> rows)
        {
            _b = b;
            _w = w;
            _px = px;
            _py = py;
            _t = t;
            _toPixel = toPixel;
            _maxError = maxError;
            _cols = cols;
            _rows = rows;
        }

        public void Fill(int i0, int i1, int j0, int j1, Corner c00, Corner c10, Corner c01, Corner c11)
        {
            if (i1 - i0 <= 1 && j1 - j0 <= 1)
            {
                Set(i0, j0, c00);
                Set(i1, j0, c10);
                Set(i0, j1, c01);
                Set(i1, j1, c11);
                return;
            }

            int mi = (i0 + i1) / 2, mj = (j0 + j1) / 2;
            Span<double> xs = stackalloc double[5];
            Span<double> ys = stackalloc double[5];
            Point(mi, mj, xs, ys, 0);
            Point(mi, j0, xs, ys, 1);
            Point(mi, j1, xs, ys, 2);
            Point(i0, mj, xs, ys, 3);
            Point(i1, mj, xs, ys, 4);
            _t.Transform(xs, ys);
            _toPixel.MapInPlace(xs, ys);
            double fx = i1 > i0 ? (double)(mi - i0) / (i1 - i0) : 0, fy = j1 > j0 ? (double)(mj - j0) / (j1 - j0) : 0;
            // Checked at the centre and the four edge midpoints: curvature can cancel out at the centre alone.
            double err = Math.Max(
                Math.Abs(Bilerp(c00.Col, c10.Col, c01.Col, c11.Col, fx, fy) - xs[0]),
                Math.Abs(Bilerp(c00.Row, c10.Row, c01.Row, c11.Row, fx, fy) - ys[0]));
            err = Math.Max(err, Deviation(c00, c10, fx, xs[1], ys[1]));
            err = Math.Max(err, Deviation(c01, c11, fx, xs[2], ys[2]));
            err = Math.Max(err, Deviation(c00, c01, fy, xs[3], ys[3]));
            err = Math.Max(err, Deviation(c10, c11, fy, xs[4], ys[4]));

            // The bound holds in whichever pixels are smaller, source or output (GDAL's -et is in output pixels).
            double ratio = Math.Min(
                i1 > i0 ? Math.Sqrt(Sq(c10.Col - c00.Col) + Sq(c10.Row - c00.Row)) / (i1 - i0) : double.PositiveInfinity,
                j1 > j0 ? Math.Sqrt(Sq(c01.Col - c00.Col) + Sq(c01.Row - c00.Row)) / (j1 - j0) : double.PositiveInfinity);
            if (err <= _maxError * Math.Min(1.0, ratio))
            {
                Interpolate(i0, i1, j0, j1, c00, c10, c01, c11);
                return;
            }

            // NaN somewhere, or too curved: split into four (shared edges are filled twice with the same values).
            var m = new Corner(xs[0], ys[0]);
            var top = new Corner(xs[1], ys[1]);
            var bottom = new Corner(xs[2], ys[2]);
            var left = new Corner(xs[3], ys[3]);
            var right = new Corner(xs[4], ys[4]);
            Fill(i0, mi, j0, mj, c00, top, left, m);
            Fill(mi, i1, j0, mj, top, c10, m, right);
            Fill(i0, mi, mj, j1, left, m, c01, bottom);
            Fill(mi, i1, mj, j1, m, right, bottom, c11);
        }

        private static double Deviation(Corner a, Corner b, double f, double col, double row) =>
            Math.Max(Math.Abs(a.Col + ((b.Col - a.Col) * f) - col), Math.Abs(a.Row + ((b.Row - a.Row) * f) - row));

        private void Point(int i, int j, Span<double> xs, Span<double> ys, int k)
        {
            xs[k] = _b.MinX + ((i + 0.5) * _px);
            ys[k] = _b.MaxY - ((j + 0.5) * _py);
        }

        private void Set(int i, int j, Corner c)
        {
            _cols[(j * _w) + i] = c.Col;
            _rows[(j * _w) + i] = c.Row;
        }

        private void Interpolate(int i0, int i1, int j0, int j1, Corner c00, Corner c10, Corner c01, Corner c11)
        {
            for (int j = j0; j <= j1; j++)
            {
                double gy = j1 > j0 ? (double)(j - j0) / (j1 - j0) : 0;
                double cl = c00.Col + ((c01.Col - c00.Col) * gy), cr = c10.Col + ((c11.Col - c10.Col) * gy);
                double rl = c00.Row + ((c01.Row - c00.Row) * gy), rr = c10.Row + ((c11.Row - c10.Row) * gy);
                int rowBase = j * _w;
                for (int i = i0; i <= i1; i++)
                {
                    double gx = i1 > i0 ? (double)(i - i0) / (i1 - i0) : 0;
                    _cols[rowBase + i] = cl + ((cr - cl) * gx);
                    _rows[rowBase + i] = rl + ((rr - rl) * gx);
                }
            }
        }
    }

    private static double Bilerp(double v00, double v10, double v01, double v11, double fx, double fy)
    {
        double top = v00 + ((v10 - v00) * fx);
        double bottom = v01 + ((v11 - v01) * fx);
        return top + ((bottom - top) * fy);
    }

    private static void ExactBlock(Extent b, int w, double px, double py, ICoordinateTransform t, CrsToPixel toPixel, int i0, int i1, int j0, int j1, Span<double> cols, Span<double> rows)
    {
        int bw = i1 - i0 + 1, bh = j1 - j0 + 1;
        var xs = ArrayPool<double>.Shared.Rent(bw * bh);
        var ys = ArrayPool<double>.Shared.Rent(bw * bh);
        try
        {
            for (int j = 0; j < bh; j++)
            {
                for (int i = 0; i < bw; i++)
                {
                    xs[(j * bw) + i] = b.MinX + ((i0 + i + 0.5) * px);
                    ys[(j * bw) + i] = b.MaxY - ((j0 + j + 0.5) * py);
                }
            }

            var sx = xs.AsSpan(0, bw * bh);
            var sy = ys.AsSpan(0, bw * bh);
            t.Transform(sx, sy);
            toPixel.MapInPlace(sx, sy);
            for (int j = 0; j < bh; j++)
            {
                sx.Slice(j * bw, bw).CopyTo(cols.Slice(((j0 + j) * w) + i0, bw));
                sy.Slice(j * bw, bw).CopyTo(rows.Slice(((j0 + j) * w) + i0, bw));
            }
        }
        finally
        {
            ArrayPool<double>.Shared.Return(xs);
            ArrayPool<double>.Shared.Return(ys);
        }
    }

    /// <summary>
    /// Node spacing for a curvilinear grid: every <see cref="NodeSpacing"/> pixels, closer when the whole grid covers
    /// few output pixels. Outside the grid every point maps to one coordinate, so a grid small enough to fit between
    /// the nodes and check points of a block would go unseen; four nodes across its narrower side keep it in view.
    /// </summary>
    private static int CurvilinearNodeSpacing(Extent b, int w, int h, GridGeometry grid, ICoordinateTransform t)
    {
        double cell = LevelSelector.TileCellSizeInCrs(b, w, h, t);
        var bounds = grid.Bounds;
        double pixels = Math.Min(bounds.Width, bounds.Height) / cell;
        return double.IsFinite(pixels) ? (int)Math.Clamp(Math.Floor(pixels / 4), 1, NodeSpacing) : NodeSpacing;
    }

    private static int[] NodePositions(int size, int spacing)
    {
        var list = new List<int>((size / spacing) + 2);
        for (int i = 0; i < size - 1; i += spacing)
        {
            list.Add(i);
        }

        list.Add(size - 1);
        return [.. list.Distinct()];
    }
}
