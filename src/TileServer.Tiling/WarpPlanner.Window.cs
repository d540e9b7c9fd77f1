using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>The source window of a plan, whichever its kind: which coordinates fall inside the grid, the read step and the buffer.</summary>
public static partial class WarpPlanner
{
    /// <summary>
    /// Marks source coordinates outside the grid (NaN), measures the source/output pixel ratio, picks the read step and
    /// the source buffer with its pieces. A per-pixel plan is tested pixel by pixel; a separable plan reaches the same
    /// decisions from its w + h axis coordinates.
    /// </summary>
    private static void PlanWindow(WarpPlan plan, GridGeometry grid, ResamplingMethod method, long maxSourcePixels)
    {
        var cols = plan.IsSeparable ? plan.AxisCols : plan.SourceCols;
        var rows = plan.IsSeparable ? plan.AxisRows : plan.SourceRows;
        var interior = new GridInterior(grid.Width, grid.Height, grid.WrapsLongitude);
        var range = plan.IsSeparable ? SourceRange.OfAxes(cols, rows, interior) : SourceRange.OfPixels(cols, rows, interior);
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

    /// <summary>Which continuous source coordinates lie inside a grid; any finite column does in a grid that wraps the globe.</summary>
    private readonly record struct GridInterior(int Width, int Height, bool Wraps)
    {
        public bool HasCol(double c) => Wraps ? double.IsFinite(c) : c >= 0 && c < Width;

        public bool HasRow(double r) => r >= 0 && r < Height;
    }

    /// <summary>Bounding range of the source coordinates that fall inside the grid.</summary>
    private readonly record struct SourceRange(double ColMin, double ColMax, double RowMin, double RowMax)
    {
        public static SourceRange Empty => new(double.PositiveInfinity, double.NegativeInfinity, double.PositiveInfinity, double.NegativeInfinity);

        /// <summary>The range of the (col, row) pairs inside the grid; pairs outside become NaN.</summary>
        public static SourceRange OfPixels(Span<double> cols, Span<double> rows, GridInterior grid)
        {
            var range = Empty;
            for (int k = 0; k < cols.Length; k++)
            {
                if (grid.HasRow(rows[k]) && grid.HasCol(cols[k]))
                {
                    range = range.WithCol(cols[k]).WithRow(rows[k]);
                }
                else
                {
                    cols[k] = double.NaN;
                    rows[k] = double.NaN;
                }
            }

            return range;
        }

        /// <summary>The range of the columns and of the rows inside the grid, each axis on its own; those outside become NaN.</summary>
        public static SourceRange OfAxes(Span<double> cols, Span<double> rows, GridInterior grid)
        {
            var range = Empty;
            for (int i = 0; i < cols.Length; i++)
            {
                if (grid.HasCol(cols[i]))
                {
                    range = range.WithCol(cols[i]);
                }
                else
                {
                    cols[i] = double.NaN;
                }
            }

            for (int j = 0; j < rows.Length; j++)
            {
                if (grid.HasRow(rows[j]))
                {
                    range = range.WithRow(rows[j]);
                }
                else
                {
                    rows[j] = double.NaN;
                }
            }

            return range;
        }

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
}
