using System.Buffers;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>Tunables of <see cref="WarpPlanner"/>.</summary>
public sealed record WarpOptions
{
    /// <summary>Largest error (source pixels) allowed when interpolating the transform between exact sample points.</summary>
    /// <remarks>
    /// 0.02 rather than GDAL's 0.125: the reference tiles are exact (-et 0) and a looser bound flips ~1 % of nearest
    /// pixels that sit near cell edges; blocks are subdivided only where needed, so the cost stays small.
    /// </remarks>
    public double ApproxErrorPixels { get; init; } = 0.02;

    /// <summary>Cost guard: the source buffer never exceeds this many samples; the read step grows instead.</summary>
    public long MaxSourcePixels { get; init; } = 4_000_000;
}

/// <summary>Plans the source reads and per-pixel source coordinates for one output tile (pure, no I/O).</summary>
public static class WarpPlanner
{
    /// <summary>Output pixels between exact transform samples.</summary>
    internal const int NodeSpacing = 16;

    /// <summary>Source samples kept around the needed pixels for the resampling kernels (cubic needs 2).</summary>
    internal const int KernelMargin = 2;

    public static WarpPlan Plan(Extent tileBounds, int width, int height, GridGeometry grid, ICoordinateTransform? tileToGrid, ResamplingMethod method, WarpOptions options)
    {
        if (width < 1 || height < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(width), "tile size must be >= 1");
        }

        if (grid.Transform.IsRectilinear)
        {
            var separable = WarpPlan.Separable(width, height);
            if (SeparableAxes(tileBounds, width, height, grid, tileToGrid, separable.AxisCols, separable.AxisRows))
            {
                PlanWindowSeparable(separable, grid, method, options.MaxSourcePixels);
                return separable;
            }

            separable.Dispose();
        }

        var plan = WarpPlan.PerPixel(width, height);
        ComputeSourceCoordinates(tileBounds, width, height, grid, tileToGrid, options.ApproxErrorPixels, plan.SourceCols, plan.SourceRows);
        PlanWindow(plan, grid, method, options.MaxSourcePixels);
        return plan;
    }

    /// <summary>
    /// Source column per output column and source row per output row, when the mapping acts on each axis separately:
    /// a north-up grid in the tile's CRS, or a transform that passes <see cref="TrySeparable"/>.
    /// </summary>
    private static bool SeparableAxes(Extent b, int w, int h, GridGeometry grid, ICoordinateTransform? t, Span<double> cols, Span<double> rows)
    {
        var toPixel = new CrsToPixel(grid);
        double px = b.Width / w, py = b.Height / h;
        if (t is null || t.IsIdentity)
        {
            // A north-up grid's column is a function of x alone and its row of y alone.
            double midY = b.MaxY - ((((h - 1) / 2) + 0.5) * py), midX = b.MinX + ((((w - 1) / 2) + 0.5) * px);
            for (int i = 0; i < w; i++)
            {
                cols[i] = toPixel.Map(b.MinX + ((i + 0.5) * px), midY).Col;
            }

            for (int j = 0; j < h; j++)
            {
                rows[j] = toPixel.Map(midX, b.MaxY - ((j + 0.5) * py)).Row;
            }

            return true;
        }

        return TrySeparable(b, w, h, px, py, t, toPixel, cols, rows);
    }

    /// <summary>
    /// Exact path for transforms that act on each axis separately (geographic ↔ Mercator, the most common pair): when
    /// the source x depends only on the tile x and the source y only on the tile y, one row and one column of exact
    /// transforms give every pixel exactly, for w + h transforms instead of an interpolated grid. Fills
    /// <paramref name="cols"/> (one per output column) and <paramref name="rows"/> (one per output row).
    /// </summary>
    internal static bool TrySeparable(Extent b, int w, int h, double px, double py, ICoordinateTransform t, CrsToPixel toPixel, Span<double> cols, Span<double> rows)
    {
        const int probes = 5;
        Span<double> probeX = stackalloc double[probes * probes];
        Span<double> probeY = stackalloc double[probes * probes];
        for (int a = 0; a < probes; a++)
        {
            double y = b.MaxY - (((a * (h - 1) / (double)(probes - 1)) + 0.5) * py);
            for (int c = 0; c < probes; c++)
            {
                probeX[(a * probes) + c] = b.MinX + (((c * (w - 1) / (double)(probes - 1)) + 0.5) * px);
                probeY[(a * probes) + c] = y;
            }
        }

        t.Transform(probeX, probeY);
        for (int k = 0; k < probeX.Length; k++)
        {
            if (!double.IsFinite(probeX[k]) || !double.IsFinite(probeY[k]))
            {
                return false;
            }
        }

        // Tolerance: a millionth of the spread the probes cover along each axis.
        double spreadX = Math.Abs(probeX[probes - 1] - probeX[0]) + Math.Abs(probeX[^1] - probeX[^probes]);
        double spreadY = Math.Abs(probeY[^1] - probeY[0]);
        double tolX = Math.Max(spreadX, 1e-12) * 1e-6, tolY = Math.Max(spreadY, 1e-12) * 1e-6;
        for (int a = 1; a < probes; a++)
        {
            for (int c = 0; c < probes; c++)
            {
                if (Math.Abs(probeX[(a * probes) + c] - probeX[c]) > tolX || Math.Abs(probeY[(c * probes) + a] - probeY[c * probes]) > tolY)
                {
                    return false;
                }
            }
        }

        var rowX = ArrayPool<double>.Shared.Rent(w);
        var rowY = ArrayPool<double>.Shared.Rent(w);
        var colX = ArrayPool<double>.Shared.Rent(h);
        var colY = ArrayPool<double>.Shared.Rent(h);
        try
        {
            double midY = b.MaxY - ((((h - 1) / 2) + 0.5) * py), midX = b.MinX + ((((w - 1) / 2) + 0.5) * px);
            for (int i = 0; i < w; i++)
            {
                rowX[i] = b.MinX + ((i + 0.5) * px);
                rowY[i] = midY;
            }

            for (int j = 0; j < h; j++)
            {
                colX[j] = midX;
                colY[j] = b.MaxY - ((j + 0.5) * py);
            }

            t.Transform(rowX.AsSpan(0, w), rowY.AsSpan(0, w));
            t.Transform(colX.AsSpan(0, h), colY.AsSpan(0, h));

            // The grid is rectilinear, so its column depends on x alone and its row on y alone: map each once.
            double refX = rowX[(w - 1) / 2], refY = colY[(h - 1) / 2];
            for (int i = 0; i < w; i++)
            {
                cols[i] = double.IsFinite(rowX[i]) && double.IsFinite(refY) ? toPixel.Map(rowX[i], refY).Col : double.NaN;
            }

            for (int j = 0; j < h; j++)
            {
                rows[j] = double.IsFinite(colY[j]) && double.IsFinite(refX) ? toPixel.Map(refX, colY[j]).Row : double.NaN;
            }

            return true;
        }
        finally
        {
            ArrayPool<double>.Shared.Return(rowX);
            ArrayPool<double>.Shared.Return(rowY);
            ArrayPool<double>.Shared.Return(colX);
            ArrayPool<double>.Shared.Return(colY);
        }
    }

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
        if (t is null || t.IsIdentity)
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

        int[] nx = NodePositions(w), ny = NodePositions(h);
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

        var ctx = new ApproxContext(b, w, px, py, t, toPixel, maxErrorPixels, cols, rows);
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

    private static int[] NodePositions(int size)
    {
        var list = new List<int>((size / NodeSpacing) + 2);
        for (int i = 0; i < size - 1; i += NodeSpacing)
        {
            list.Add(i);
        }

        list.Add(size - 1);
        return [.. list.Distinct()];
    }

    /// <summary>
    /// Marks output pixels outside the grid (NaN), measures the source/output pixel ratio, picks the read step and
    /// the source buffer with its pieces.
    /// </summary>
    private static void PlanWindow(WarpPlan plan, GridGeometry grid, ResamplingMethod method, long maxSourcePixels)
    {
        var cols = plan.SourceCols;
        var rows = plan.SourceRows;
        bool wraps = grid.WrapsLongitude;
        var range = SourceRange.Empty;
        for (int k = 0; k < cols.Length; k++)
        {
            double c = cols[k], r = rows[k];
            bool inside = r >= 0 && r < grid.Height && (wraps ? double.IsFinite(c) : c >= 0 && c < grid.Width);
            if (!inside)
            {
                cols[k] = double.NaN;
                rows[k] = double.NaN;
                continue;
            }

            range = range.WithCol(c).WithRow(r);
        }

        plan.AnyInside = range.HasCols && range.HasRows;
        if (plan.AnyInside)
        {
            ChooseWindow(plan, grid, method, maxSourcePixels, range, cols);
        }
    }

    /// <summary><see cref="PlanWindow"/> on the axes of a separable plan: the same decisions from w + h coordinates.</summary>
    private static void PlanWindowSeparable(WarpPlan plan, GridGeometry grid, ResamplingMethod method, long maxSourcePixels)
    {
        var cols = plan.AxisCols;
        var rows = plan.AxisRows;
        bool wraps = grid.WrapsLongitude;
        var range = SourceRange.Empty;
        for (int i = 0; i < cols.Length; i++)
        {
            double c = cols[i];
            if (wraps ? double.IsFinite(c) : c >= 0 && c < grid.Width)
            {
                range = range.WithCol(c);
            }
            else
            {
                cols[i] = double.NaN;
            }
        }

        for (int j = 0; j < rows.Length; j++)
        {
            double r = rows[j];
            if (r >= 0 && r < grid.Height)
            {
                range = range.WithRow(r);
            }
            else
            {
                rows[j] = double.NaN;
            }
        }

        plan.AnyInside = range.HasCols && range.HasRows;
        if (plan.AnyInside)
        {
            ChooseWindow(plan, grid, method, maxSourcePixels, range, cols);
        }
        else
        {
            cols.Fill(double.NaN);
            rows.Fill(double.NaN);
        }
    }

    /// <summary>Bounding range of the source coordinates that fall inside the grid.</summary>
    private readonly record struct SourceRange(double ColMin, double ColMax, double RowMin, double RowMax)
    {
        public static SourceRange Empty => new(double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity);

        public bool HasCols => ColMin <= ColMax;

        public bool HasRows => RowMin <= RowMax;

        public SourceRange WithCol(double c) => this with { ColMin = Math.Min(ColMin, c), ColMax = Math.Max(ColMax, c) };

        public SourceRange WithRow(double r) => this with { RowMin = Math.Min(RowMin, r), RowMax = Math.Max(RowMax, r) };
    }

    // Pathological mapping (not a continuous longitude range): fold everything into the grid.
    private static void FoldLongitudes(Span<double> cols, long width)
    {
        for (int k = 0; k < cols.Length; k++)
        {
            if (!double.IsNaN(cols[k]))
            {
                cols[k] = Mod(cols[k], width);
            }
        }
    }

    /// <summary>
    /// For a plan with data inside: folds a pathological longitude mapping (<paramref name="cols"/>, per pixel or per
    /// axis), measures the ratio, and picks the kernel scale, the read step and the source buffer with its pieces.
    /// </summary>
    private static void ChooseWindow(WarpPlan plan, GridGeometry grid, ResamplingMethod method, long maxSourcePixels, SourceRange range, Span<double> cols)
    {
        bool wraps = grid.WrapsLongitude;
        if (wraps && range.ColMax - range.ColMin > 2.0 * grid.Width)
        {
            FoldLongitudes(cols, grid.Width);
            range = range with { ColMin = 0, ColMax = grid.Width - 1e-9 };
        }

        double ratio = MeasureRatio(plan);
        plan.Ratio = ratio;

        // Kernel widening as GDAL's warper: source window size / output size per axis, rounded to an integer ratio
        // (GDAL makes the scale 1/round(1/scale)), so a level slightly finer than the tile keeps a plain bilinear.
        plan.KernelScaleCol = Math.Max(1, Math.Round((Math.Min(range.ColMax, wraps ? double.MaxValue : grid.Width) - Math.Max(wraps ? double.MinValue : 0, range.ColMin)) / plan.Width));
        plan.KernelScaleRow = Math.Max(1, Math.Round((range.RowMax - range.RowMin) / plan.Height));

        // Nearest, average and mode read every pixel (nearest stays the pixel containing the centre, as GDAL);
        // bilinear/cubic keep about two samples per output pixel for their widened (anti-aliasing) kernel.
        // The cost guard below raises the step for all of them when the window would be too large.
        int step = method is ResamplingMethod.Bilinear or ResamplingMethod.Cubic && ratio >= 4
            ? (int)Math.Min(Math.Floor(ratio / 2), int.MaxValue / 4)
            : 1;

        long colLo = 0, rowLo = 0;
        long bufCols = 0, bufRows = 0;
        for (int guard = 0; guard < 64; guard++)
        {
            // Strided samples keep the phase of the first needed pixel so they sit on the pixels the
            // output centres fall in; the margin is cut (in whole steps) at the grid edges.
            (colLo, bufCols) = Axis(range.ColMin, range.ColMax, step, wraps ? long.MaxValue : grid.Width);
            (rowLo, bufRows) = Axis(range.RowMin, range.RowMax, step, grid.Height);
            if (bufCols * bufRows <= maxSourcePixels)
            {
                break;
            }

            int next = (int)Math.Ceiling(step * Math.Sqrt((double)(bufCols * bufRows) / maxSourcePixels));
            step = Math.Max(step + 1, next);
        }

        plan.Step = step;
        plan.RowStart = rowLo;
        plan.ColStart = colLo;
        plan.BufferCols = checked((int)bufCols);
        plan.BufferRows = checked((int)bufRows);
        plan.Pieces = Pieces(colLo, (int)bufCols, rowLo, (int)bufRows, step, wraps ? grid.Width : long.MaxValue);
    }

    /// <summary>First sample and sample count along one axis; <paramref name="size"/> = long.MaxValue for a wrapping axis.</summary>
    private static (long Start, long Count) Axis(double min, double max, int step, long size)
    {
        long first = (long)Math.Floor(min), last = (long)Math.Floor(max);
        long before = size == long.MaxValue ? KernelMargin : Math.Min(KernelMargin, first / step);
        long start = first - (before * step);
        long count = ((last - first) / step) + 1 + before + KernelMargin;
        if (size != long.MaxValue)
        {
            count = Math.Min(count, ((size - 1 - start) / step) + 1);
        }

        return (start, Math.Max(1, count));
    }

    private static List<WindowPiece> Pieces(long colStart, int bufCols, long rowStart, int bufRows, int step, long period)
    {
        var pieces = new List<WindowPiece>(2);
        int k = 0;
        while (k < bufCols)
        {
            long c = period == long.MaxValue ? colStart + ((long)k * step) : Mod(colStart + ((long)k * step), period);
            long room = period == long.MaxValue ? bufCols - k : ((period - 1 - c) / step) + 1;
            int count = (int)Math.Min(bufCols - k, room);
            pieces.Add(new WindowPiece(new PixelWindow(rowStart, c, bufRows, count, step), k));
            k += count;
        }

        return pieces;
    }

    /// <summary>
    /// Source pixels per output pixel: the smaller of the column/row derivatives, measured at a 3×3 pattern of
    /// output pixels, the smallest valid measurement wins (so detail is never skipped).
    /// </summary>
    private static double MeasureRatio(WarpPlan plan)
    {
        int w = plan.Width, h = plan.Height;
        double best = double.PositiveInfinity;
        ReadOnlySpan<double> fractions = [0.5, 1.0 / 6, 5.0 / 6];
        foreach (double fy in fractions)
        {
            foreach (double fx in fractions)
            {
                int i = Math.Min(w - 2, (int)(fx * w)), j = Math.Min(h - 2, (int)(fy * h));
                if (i < 0 || j < 0)
                {
                    continue;
                }

                var (dxi, dyj) = plan.IsSeparable ? AxisSteps(plan, i, j) : PixelSteps(plan, i, j);
                double d = Math.Min(dxi, dyj);
                if (double.IsFinite(d) && d > 0)
                {
                    best = Math.Min(best, d);
                }
            }
        }

        return double.IsFinite(best) ? best : 1;
    }

    /// <summary>Source distance to the next output pixel along the row and down the column.</summary>
    private static (double AlongRow, double DownColumn) PixelSteps(WarpPlan plan, int i, int j)
    {
        var cols = plan.SourceCols;
        var rows = plan.SourceRows;
        int k = (j * plan.Width) + i, w = plan.Width;
        return (Math.Sqrt(Sq(cols[k + 1] - cols[k]) + Sq(rows[k + 1] - rows[k])),
            Math.Sqrt(Sq(cols[k + w] - cols[k]) + Sq(rows[k + w] - rows[k])));
    }

    /// <summary>
    /// <see cref="PixelSteps"/> of a separable plan, from its axes. A pixel without data is NaN on both axes in the
    /// per-pixel form, so both steps are NaN then; sqrt(x²) keeps the values identical to that form.
    /// </summary>
    private static (double AlongRow, double DownColumn) AxisSteps(WarpPlan plan, int i, int j)
    {
        var cols = plan.AxisCols;
        var rows = plan.AxisRows;
        return double.IsNaN(cols[i]) || double.IsNaN(rows[j])
            ? (double.NaN, double.NaN)
            : (Math.Sqrt(Sq(cols[i + 1] - cols[i])), Math.Sqrt(Sq(rows[j + 1] - rows[j])));
    }

    private static double Sq(double v) => v * v;

    internal static long Mod(long a, long m)
    {
        long r = a % m;
        return r < 0 ? r + m : r;
    }

    internal static double Mod(double a, double m)
    {
        double r = a % m;
        return r < 0 ? r + m : r;
    }
}

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
