using System.Runtime.CompilerServices;

namespace TileServer.Tiling;

/// <summary>
/// Fills an output tile from a source buffer following a <see cref="WarpPlan"/>. NaN is nodata and never bleeds:
/// <list type="bullet">
/// <item>Nearest: the sample containing the point (floor of the continuous coordinate + 1e-10, as GDAL).</item>
/// <item>Bilinear: NaN when the sample containing the point is nodata (so the mask equals nearest's, as GDAL's
/// warper does: its reference tiles have identical valid counts for near and bilinear); otherwise 2×2 weights
/// renormalised over the valid neighbours (as GDAL).</item>
/// <item>Cubic: Keys a = −0.5 over 4×4, same centre rule; if any of the 16 is nodata or outside, falls back to the
/// renormalised bilinear (renormalising negative cubic weights is unstable).</item>
/// <item>Bilinear / cubic when the source is finer than the output (more than one buffer sample per output pixel):
/// the kernel is widened by that ratio per axis (triangle / scaled Keys, as GDAL does), weights renormalised over
/// valid samples; the centre rule still decides the mask.</item>
/// <item>Average / Mode: valid samples whose centre lies in the output pixel's footprint (its bounding box in the
/// buffer); nearest when the footprint holds no sample centre (upsampling).</item>
/// </list>
/// </summary>
public static partial class Resampler
{
    private const double NearestEpsilon = 1e-10;
    private const double MinWeight = 1e-5;
    private const int MaxFootprintHalf = 16;
    private const double MaxKernelScale = 8;
    private const ResamplingMethod WidenedBilinear = (ResamplingMethod)100;
    private const ResamplingMethod WidenedCubic = (ResamplingMethod)101;

    /// <summary>Rows between cancellation checks, minus one (a mask): a check per 16 rows costs nothing measurable.</summary>
    private const int CancellationRows = 15;

    /// <param name="cancellationToken">Checked every few rows, so an abandoned request stops costing CPU.</param>
    public static void Resample(ReadOnlySpan<float> buffer, WarpPlan plan, ResamplingMethod method, Span<float> destination, CancellationToken cancellationToken = default) =>
        Resample(buffer, plan, method, destination, perAxis: true, cancellationToken);

    /// <param name="perAxis">
    /// False forces the per-pixel evaluation even for a separable plan (tests compare both: they must agree exactly).
    /// </param>
    internal static void Resample(ReadOnlySpan<float> buffer, WarpPlan plan, ResamplingMethod method, Span<float> destination, bool perAxis,
        CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int w = plan.Width, h = plan.Height;
        if (destination.Length < w * h)
        {
            throw new ArgumentException("destination smaller than the tile", nameof(destination));
        }

        if (!plan.AnyInside)
        {
            destination[..(w * h)].Fill(float.NaN);
            return;
        }

        var src = new SourceBuffer(buffer, plan.BufferRows, plan.BufferCols);
        if (buffer.Length < plan.BufferPixelCount)
        {
            throw new ArgumentException("buffer smaller than the plan's window", nameof(buffer));
        }

        double invStep = 1.0 / plan.Step;
        double scaleU = Math.Min(MaxKernelScale, plan.KernelScaleCol * invStep), scaleV = Math.Min(MaxKernelScale, plan.KernelScaleRow * invStep);
        if (method is ResamplingMethod.Bilinear or ResamplingMethod.Cubic && (scaleU > 1 + 1e-9 || scaleV > 1 + 1e-9))
        {
            method = method == ResamplingMethod.Bilinear ? WidenedBilinear : WidenedCubic;
            scaleU = Math.Max(1, scaleU);
            scaleV = Math.Max(1, scaleV);
        }

        // Buffer coordinate u: sample m has its centre at u = m + 0.5 (the centre of source pixel ColStart + m·Step).
        double uOff = -((plan.ColStart + 0.5) * invStep) + 0.5;
        double vOff = -((plan.RowStart + 0.5) * invStep) + 0.5;
        if (perAxis && plan.IsSeparable && method is ResamplingMethod.Bilinear or ResamplingMethod.Cubic or WidenedBilinear or WidenedCubic)
        {
            var kernel = method switch
            {
                ResamplingMethod.Bilinear => AxisKernel.Bilinear,
                ResamplingMethod.Cubic => AxisKernel.Cubic,
                WidenedBilinear => AxisKernel.WidenedTriangle,
                _ => AxisKernel.WidenedKeys,
            };
            var columns = AxisTaps.Create(plan.AxisCols, invStep, uOff, scaleU, kernel);
            var rowTaps = AxisTaps.Create(plan.AxisRows, invStep, vOff, scaleV, kernel);
            ResampleAxes(src, columns, rowTaps, kernel, destination[..(w * h)], cancellationToken);
            return;
        }

        ReadOnlySpan<double> cols = plan.SourceCols, rows = plan.SourceRows;
        for (int j = 0; j < h; j++)
        {
            if ((j & CancellationRows) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            for (int i = 0; i < w; i++)
            {
                int k = (j * w) + i;
                double c = cols[k];
                if (double.IsNaN(c))
                {
                    destination[k] = float.NaN;
                    continue;
                }

                double u = (c * invStep) + uOff;
                double v = (rows[k] * invStep) + vOff;
                destination[k] = method switch
                {
                    ResamplingMethod.Nearest => src.Nearest(u, v),
                    ResamplingMethod.Bilinear => src.Bilinear(u, v),
                    ResamplingMethod.Cubic => src.Cubic(u, v),
                    WidenedBilinear => src.Widened(u, v, scaleU, scaleV, cubic: false),
                    WidenedCubic => src.Widened(u, v, scaleU, scaleV, cubic: true),
                    ResamplingMethod.Average or ResamplingMethod.Mode => Footprint(src, cols, rows, w, h, i, j, u, v, invStep, method == ResamplingMethod.Mode),
                    _ => throw new ArgumentOutOfRangeException(nameof(method)),
                };
            }
        }
    }

    /// <summary>
    /// Nearest neighbour as an index map: the buffer offset of the source sample each output pixel takes (−1 for none),
    /// computed once per tile so that every band is a plain gather. Same rule as <see cref="ResamplingMethod.Nearest"/>.
    /// </summary>
    public static void NearestIndices(WarpPlan plan, Span<int> indices)
    {
        int w = plan.Width, h = plan.Height, n = w * h;
        if (!plan.AnyInside)
        {
            indices[..n].Fill(-1);
            return;
        }

        if (plan.IsSeparable)
        {
            var colIndex = new int[w];
            var rowOffset = new int[h];
            NearestAxes(plan, colIndex, rowOffset);
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    indices[(j * w) + i] = rowOffset[j] < 0 || colIndex[i] < 0 ? -1 : rowOffset[j] + colIndex[i];
                }
            }

            return;
        }

        var nearest = new NearestRule(plan);
        ReadOnlySpan<double> cols = plan.SourceCols, rows = plan.SourceRows;
        for (int k = 0; k < n; k++)
        {
            double c = cols[k];
            if (double.IsNaN(c))
            {
                indices[k] = -1;
                continue;
            }

            int m = nearest.Col(c), r = nearest.Row(rows[k]);
            indices[k] = m >= 0 && r >= 0 ? (r * nearest.BufferCols) + m : -1;
        }
    }

    /// <summary>
    /// The nearest rule as arithmetic: the buffer index of source coordinate c is floor(c · InvStep + offset), the offset
    /// placing buffer samples at pixel centres with a tiny bias so that exact cell edges go the way GDAL's do; an index
    /// outside the buffer is −1. Coordinates must not be NaN.
    /// </summary>
    private readonly struct NearestRule
    {
        private readonly double _invStep;
        private readonly double _colOffset;
        private readonly double _rowOffset;
        private readonly int _bufferRows;

        public NearestRule(WarpPlan plan)
        {
            _invStep = 1.0 / plan.Step;
            _colOffset = -((plan.ColStart + 0.5) * _invStep) + 0.5 + NearestEpsilon;
            _rowOffset = -((plan.RowStart + 0.5) * _invStep) + 0.5 + NearestEpsilon;
            _bufferRows = plan.BufferRows;
            BufferCols = plan.BufferCols;
        }

        public int BufferCols { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Col(double c) => Inside(ClampedFloor((c * _invStep) + _colOffset), BufferCols);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public int Row(double r) => Inside(ClampedFloor((r * _invStep) + _rowOffset), _bufferRows);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static int Inside(int index, int count) => (uint)index < (uint)count ? index : -1;
    }

    private static int ClampedFloor(double x) => x >= int.MaxValue ? int.MaxValue : x <= int.MinValue ? int.MinValue : (int)Math.Floor(x);

    /// <summary>Applies an index map from <see cref="NearestIndices"/> to one band.</summary>
    public static void Gather(ReadOnlySpan<float> buffer, ReadOnlySpan<int> indices, Span<float> destination)
    {
        for (int k = 0; k < indices.Length; k++)
        {
            int i = indices[k];
            destination[k] = i >= 0 ? buffer[i] : float.NaN;
        }
    }

    private static float Footprint(in SourceBuffer src, ReadOnlySpan<double> cols, ReadOnlySpan<double> rows, int w, int h, int i, int j, double u, double v, double invStep, bool mode)
    {
        int k = (j * w) + i;
        var (dcdi, drdi) = Derivative(cols, rows, k, i > 0 ? k - 1 : -1, i < w - 1 ? k + 1 : -1);
        var (dcdj, drdj) = Derivative(cols, rows, k, j > 0 ? k - w : -1, j < h - 1 ? k + w : -1);
        double hu = Math.Min(MaxFootprintHalf, 0.5 * (Math.Abs(dcdi) + Math.Abs(dcdj)) * invStep);
        double hv = Math.Min(MaxFootprintHalf, 0.5 * (Math.Abs(drdi) + Math.Abs(drdj)) * invStep);
        int m0 = (int)Math.Ceiling(u - hu - 0.5), m1 = (int)Math.Ceiling(u + hu - 0.5) - 1;
        int n0 = (int)Math.Ceiling(v - hv - 0.5), n1 = (int)Math.Ceiling(v + hv - 0.5) - 1;
        if (m1 < m0 || n1 < n0)
        {
            return src.Nearest(u, v);
        }

        return mode ? src.Mode(m0, m1, n0, n1) : src.Average(m0, m1, n0, n1);
    }

    /// <summary>Central difference of the source coordinates between neighbouring output pixels (one-sided at edges / NaN).</summary>
    private static (double Dc, double Dr) Derivative(ReadOnlySpan<double> cols, ReadOnlySpan<double> rows, int k, int prev, int next)
    {
        bool hasPrev = prev >= 0 && !double.IsNaN(cols[prev]);
        bool hasNext = next >= 0 && !double.IsNaN(cols[next]);
        if (hasPrev && hasNext)
        {
            return ((cols[next] - cols[prev]) * 0.5, (rows[next] - rows[prev]) * 0.5);
        }

        if (hasNext)
        {
            return (cols[next] - cols[k], rows[next] - rows[k]);
        }

        if (hasPrev)
        {
            return (cols[k] - cols[prev], rows[k] - rows[prev]);
        }

        return (1, 1);
    }

    private readonly ref struct SourceBuffer
    {
        private readonly ReadOnlySpan<float> _data;
        private readonly int _rows;
        private readonly int _cols;

        public SourceBuffer(ReadOnlySpan<float> data, int rows, int cols)
        {
            _data = data;
            _rows = rows;
            _cols = cols;
        }

        /// <summary>Buffer row <paramref name="n"/>, empty when outside the buffer.</summary>
        public ReadOnlySpan<float> Row(int n) => (uint)n < (uint)_rows ? _data.Slice(n * _cols, _cols) : default;

        public float At(int m, int n) => (uint)m < (uint)_cols && (uint)n < (uint)_rows ? _data[(n * _cols) + m] : float.NaN;

        /// <summary>
        /// Σ s·(wx·wy) / Σ (wx·wy) over the valid samples from (<paramref name="m0"/>, <paramref name="n0"/>), rows
        /// outer, whose weight is positive, or non-zero when <paramref name="signed"/> (Keys weights go negative);
        /// <paramref name="empty"/> when those weights sum below <see cref="MinWeight"/>. Shared by the per-pixel and
        /// the per-axis kernels, so both give identical values.
        /// </summary>
        public float Weighted(int m0, int n0, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy, float empty, bool signed = false)
        {
            double sum = 0, wsum = 0;
            for (int b = 0; b < wy.Length; b++)
            {
                double wyb = wy[b];
                if (wyb == 0)
                {
                    continue;
                }

                for (int a = 0; a < wx.Length; a++)
                {
                    double weight = wx[a] * wyb;
                    float sample = At(m0 + a, n0 + b);
                    if (!float.IsNaN(sample) && (signed ? weight != 0 : weight > 0))
                    {
                        sum += sample * weight;
                        wsum += weight;
                    }
                }
            }

            return wsum < MinWeight ? empty : (float)(sum / wsum);
        }

        public bool AllValid(int m0, int n0, int cols, int rows)
        {
            for (int b = 0; b < rows; b++)
            {
                for (int a = 0; a < cols; a++)
                {
                    if (float.IsNaN(At(m0 + a, n0 + b)))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>Σ_b wy[b] · Σ_a wx[a]·s over samples that are all valid (cubic).</summary>
        public float Convolve(int m0, int n0, ReadOnlySpan<double> wx, ReadOnlySpan<double> wy)
        {
            double sum = 0;
            for (int b = 0; b < wy.Length; b++)
            {
                double rowSum = 0;
                for (int a = 0; a < wx.Length; a++)
                {
                    rowSum += wx[a] * At(m0 + a, n0 + b);
                }

                sum += wy[b] * rowSum;
            }

            return (float)sum;
        }

        public float Nearest(double u, double v) => At(FloorToInt(u + NearestEpsilon), FloorToInt(v + NearestEpsilon));

        public float Bilinear(double u, double v) => float.IsNaN(Nearest(u, v)) ? float.NaN : BilinearValid(u, v);

        private float BilinearValid(double u, double v)
        {
            double x = u - 0.5, y = v - 0.5;
            int m = FloorToInt(x), n = FloorToInt(y);
            double fx = x - m, fy = y - n;
            return Weighted(m, n, [1 - fx, fx], [1 - fy, fy], float.NaN);
        }

        public float Cubic(double u, double v)
        {
            if (float.IsNaN(Nearest(u, v)))
            {
                return float.NaN;
            }

            double x = u - 0.5, y = v - 0.5;
            int m = FloorToInt(x), n = FloorToInt(y);
            Span<double> wx = stackalloc double[4];
            Span<double> wy = stackalloc double[4];
            KeysWeights(x - m, wx);
            KeysWeights(y - n, wy);
            return AllValid(m - 1, n - 1, 4, 4) ? Convolve(m - 1, n - 1, wx, wy) : BilinearValid(u, v);
        }

        /// <summary>Separable triangle (or Keys) kernel stretched by (sx, sy) buffer samples, renormalised over valid samples.</summary>
        public float Widened(double u, double v, double sx, double sy, bool cubic)
        {
            float centre = Nearest(u, v);
            if (float.IsNaN(centre))
            {
                return float.NaN;
            }

            double x = u - 0.5, y = v - 0.5, radius = cubic ? 2 : 1;
            int m0 = (int)Math.Ceiling(x - (radius * sx)), m1 = (int)Math.Floor(x + (radius * sx));
            int n0 = (int)Math.Ceiling(y - (radius * sy)), n1 = (int)Math.Floor(y + (radius * sy));
            Span<double> wx = stackalloc double[m1 - m0 + 1];
            Span<double> wy = stackalloc double[n1 - n0 + 1];
            for (int m = m0; m <= m1; m++)
            {
                wx[m - m0] = Kernel((m - x) / sx, cubic);
            }

            for (int n = n0; n <= n1; n++)
            {
                wy[n - n0] = Kernel((n - y) / sy, cubic);
            }

            return Weighted(m0, n0, wx, wy, centre, signed: true);
        }

        internal static double Kernel(double t, bool cubic)
        {
            t = Math.Abs(t);
            if (!cubic)
            {
                return t < 1 ? 1 - t : 0;
            }

            const double A = -0.5;
            return t < 1 ? (((A + 2) * t * t * t) - ((A + 3) * t * t) + 1)
                : t < 2 ? ((A * t * t * t) - (5 * A * t * t) + (8 * A * t) - (4 * A))
                : 0;
        }

        public float Average(int m0, int m1, int n0, int n1)
        {
            double sum = 0;
            int count = 0;
            for (int n = n0; n <= n1; n++)
            {
                for (int m = m0; m <= m1; m++)
                {
                    float s = At(m, n);
                    if (!float.IsNaN(s))
                    {
                        sum += s;
                        count++;
                    }
                }
            }

            return count == 0 ? float.NaN : (float)(sum / count);
        }

        public float Mode(int m0, int m1, int n0, int n1)
        {
            Span<float> values = stackalloc float[((2 * MaxFootprintHalf) + 2) * ((2 * MaxFootprintHalf) + 2)];
            int count = 0;
            for (int n = n0; n <= n1; n++)
            {
                for (int m = m0; m <= m1; m++)
                {
                    float s = At(m, n);
                    if (!float.IsNaN(s) && count < values.Length)
                    {
                        values[count++] = s;
                    }
                }
            }

            if (count == 0)
            {
                return float.NaN;
            }

            var used = values[..count];
            used.Sort();
            float best = used[0];
            int bestRun = 0, run = 0;
            for (int q = 0; q < count; q++)
            {
                run = q > 0 && used[q] == used[q - 1] ? run + 1 : 1;
                if (run > bestRun)
                {
                    // Ties keep the smaller value (first reached in sorted order).
                    bestRun = run;
                    best = used[q];
                }
            }

            return best;
        }

        /// <summary>Keys cubic convolution weights (a = −0.5, Catmull-Rom) for samples at −1, 0, 1, 2 relative to floor.</summary>
        internal static void KeysWeights(double t, Span<double> w)
        {
            const double A = -0.5;
            double t2 = t * t, t3 = t2 * t;
            w[0] = (A * t3) - (2 * A * t2) + (A * t);
            w[1] = ((A + 2) * t3) - ((A + 3) * t2) + 1;
            w[2] = -((A + 2) * t3) + (((2 * A) + 3) * t2) - (A * t);
            w[3] = (-A * t3) + (A * t2);
        }

        internal static int FloorToInt(double x) => x >= int.MaxValue ? int.MaxValue : x <= int.MinValue ? int.MinValue : (int)Math.Floor(x);
    }
}
