namespace TileServer.Tiling;

/// <summary>
/// The kernels of <see cref="Resampler"/> for separable plans (<see cref="WarpPlan.IsSeparable"/>): indices and
/// weights computed once per output column and once per output row instead of once per pixel.
/// </summary>
public static partial class Resampler
{
    /// <summary>
    /// Nearest neighbour on a separable plan, per axis: the buffer column each output column takes and the buffer
    /// offset of the row each output row takes (−1 for none). Same rule as <see cref="NearestIndices"/>.
    /// </summary>
    public static void NearestAxes(WarpPlan plan, Span<int> colIndex, Span<int> rowOffset)
    {
        int w = plan.Width, h = plan.Height;
        if (!plan.AnyInside)
        {
            colIndex[..w].Fill(-1);
            rowOffset[..h].Fill(-1);
            return;
        }

        var nearest = new NearestRule(plan);
        ReadOnlySpan<double> cols = plan.AxisCols, rows = plan.AxisRows;
        for (int i = 0; i < w; i++)
        {
            double c = cols[i];
            colIndex[i] = double.IsNaN(c) ? -1 : nearest.Col(c);
        }

        for (int j = 0; j < h; j++)
        {
            double r = rows[j];
            int m = double.IsNaN(r) ? -1 : nearest.Row(r);
            rowOffset[j] = m < 0 ? -1 : m * nearest.BufferCols;
        }
    }

    /// <summary>
    /// Applies the per-axis index maps of <see cref="NearestAxes"/> to one band (row-major destination). A row that
    /// takes the same source row as the one above is a copy of it (see <see cref="RepeatedRows"/>).
    /// </summary>
    public static void GatherAxes(ReadOnlySpan<float> buffer, ReadOnlySpan<int> colIndex, ReadOnlySpan<int> rowOffset, Span<float> destination)
    {
        int w = colIndex.Length;
        destination = destination[..(w * rowOffset.Length)];
        for (int j = 0; j < rowOffset.Length; j++)
        {
            var dst = destination.Slice(j * w, w);
            int offset = rowOffset[j];
            if (j > 0 && offset == rowOffset[j - 1])
            {
                destination.Slice((j - 1) * w, w).CopyTo(dst);
                continue;
            }

            if (offset < 0)
            {
                dst.Fill(float.NaN);
                continue;
            }

            // Slicing the row once lets the JIT drop the bounds check of the inner loop's reads into it.
            var row = buffer[offset..];
            for (int i = 0; i < dst.Length; i++)
            {
                int c = colIndex[i];
                dst[i] = c >= 0 ? row[c] : float.NaN;
            }
        }
    }

    /// <summary>Rows that <see cref="GatherAxes"/> makes equal to the row above: same source row offset.</summary>
    public static bool[] RepeatedRows(ReadOnlySpan<int> rowOffset)
    {
        var repeated = new bool[rowOffset.Length];
        for (int j = 1; j < rowOffset.Length; j++)
        {
            repeated[j] = rowOffset[j] == rowOffset[j - 1];
        }

        return repeated;
    }

    private enum AxisKernel
    {
        Bilinear,
        Cubic,
        WidenedTriangle,
        WidenedKeys,
    }

    /// <summary>
    /// Per output column (or row) of a separable plan: the nearest buffer sample and the kernel's first tap and
    /// weights, computed once per axis instead of once per pixel. The arithmetic is that of <see cref="SourceBuffer"/>,
    /// so both paths give identical values.
    /// </summary>
    private sealed class AxisTaps
    {
        /// <summary>Buffer sample containing the centre; int.MinValue where there is no source.</summary>
        public required int[] Nearest { get; init; }

        /// <summary>First sample the kernel covers.</summary>
        public required int[] First { get; init; }

        /// <summary>Samples the kernel covers (widened kernels vary by a sample).</summary>
        public required int[] Count { get; init; }

        /// <summary><see cref="Stride"/> weights per entry, <see cref="Count"/> of them used.</summary>
        public required double[] Weights { get; init; }

        public required int Stride { get; init; }

        /// <summary>Bilinear first sample and its 2 weights per entry, for cubic only: its fallback next to nodata.</summary>
        public int[]? LinearFirst { get; init; }

        public double[]? Linear { get; init; }

        public static AxisTaps Create(ReadOnlySpan<double> coords, double invStep, double offset, double scale, AxisKernel kernel)
        {
            int n = coords.Length;
            double radius = kernel == AxisKernel.WidenedKeys ? 2 : 1;
            int stride = kernel switch
            {
                AxisKernel.Bilinear => 2,
                AxisKernel.Cubic => 4,
                _ => (int)Math.Ceiling(2 * radius * scale) + 2,
            };
            var taps = new AxisTaps
            {
                Nearest = new int[n],
                First = new int[n],
                Count = new int[n],
                Weights = new double[n * stride],
                Linear = kernel == AxisKernel.Cubic ? new double[n * 2] : null,
                LinearFirst = kernel == AxisKernel.Cubic ? new int[n] : null,
                Stride = stride,
            };
            Span<double> keys = stackalloc double[4];
            for (int i = 0; i < n; i++)
            {
                double c = coords[i];
                if (double.IsNaN(c))
                {
                    taps.Nearest[i] = int.MinValue;
                    continue;
                }

                double u = (c * invStep) + offset;
                taps.Nearest[i] = SourceBuffer.FloorToInt(u + NearestEpsilon);
                double x = u - 0.5;
                int m = SourceBuffer.FloorToInt(x);
                double f = x - m;
                var weights = taps.Weights.AsSpan(i * stride, stride);
                switch (kernel)
                {
                    case AxisKernel.Bilinear:
                        taps.First[i] = m;
                        taps.Count[i] = 2;
                        weights[0] = 1 - f;
                        weights[1] = f;
                        break;
                    case AxisKernel.Cubic:
                        taps.First[i] = m - 1;
                        taps.Count[i] = 4;
                        SourceBuffer.KeysWeights(f, keys);
                        keys.CopyTo(weights);
                        taps.LinearFirst![i] = m;
                        taps.Linear![2 * i] = 1 - f;
                        taps.Linear[(2 * i) + 1] = f;
                        break;
                    default:
                        int m0 = (int)Math.Ceiling(x - (radius * scale)), m1 = (int)Math.Floor(x + (radius * scale));
                        taps.First[i] = m0;
                        taps.Count[i] = m1 - m0 + 1;
                        for (int k = m0; k <= m1; k++)
                        {
                            weights[k - m0] = SourceBuffer.Kernel((k - x) / scale, kernel == AxisKernel.WidenedKeys);
                        }

                        break;
                }
            }

            return taps;
        }
    }

    /// <summary>The plain bilinear case of <see cref="ResampleAxes"/> (the most used kernel), unrolled over its 2×2 taps.</summary>
    private static void ResampleBilinearAxes(in SourceBuffer src, AxisTaps cols, AxisTaps rows, Span<float> destination, CancellationToken cancellationToken)
    {
        int w = cols.Nearest.Length, h = rows.Nearest.Length;
        ReadOnlySpan<int> nearestCols = cols.Nearest, firstCols = cols.First;
        ReadOnlySpan<double> wxs = cols.Weights;
        for (int j = 0; j < h; j++)
        {
            if ((j & CancellationRows) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var dst = destination.Slice(j * w, w);
            int nearestRow = rows.Nearest[j];
            var centreRow = nearestRow == int.MinValue ? default : src.Row(nearestRow);
            if (centreRow.IsEmpty)
            {
                dst.Fill(float.NaN);
                continue;
            }

            int n0 = rows.First[j];
            var row0 = src.Row(n0);
            var row1 = src.Row(n0 + 1);
            double wy0 = rows.Weights[2 * j], wy1 = rows.Weights[(2 * j) + 1];
            for (int i = 0; i < dst.Length; i++)
            {
                int nc = nearestCols[i];
                if ((uint)nc >= (uint)centreRow.Length || float.IsNaN(centreRow[nc]))
                {
                    dst[i] = float.NaN;
                    continue;
                }

                int m = firstCols[i];
                double wx0 = wxs[2 * i], wx1 = wxs[(2 * i) + 1];
                double sum = 0, wsum = 0;
                Accumulate(Sample(row0, m), wx0 * wy0, ref sum, ref wsum);
                Accumulate(Sample(row0, m + 1), wx1 * wy0, ref sum, ref wsum);
                Accumulate(Sample(row1, m), wx0 * wy1, ref sum, ref wsum);
                Accumulate(Sample(row1, m + 1), wx1 * wy1, ref sum, ref wsum);
                dst[i] = wsum < MinWeight ? float.NaN : (float)(sum / wsum);
            }
        }

        static float Sample(ReadOnlySpan<float> row, int m) => (uint)m < (uint)row.Length ? row[m] : float.NaN;
    }

    private static void Accumulate(float s, double weight, ref double sum, ref double wsum)
    {
        if (!float.IsNaN(s) && weight > 0)
        {
            sum += s * weight;
            wsum += weight;
        }
    }

    private static void ResampleAxes(in SourceBuffer src, AxisTaps cols, AxisTaps rows, AxisKernel kernel, Span<float> destination, CancellationToken cancellationToken)
    {
        if (kernel == AxisKernel.Bilinear)
        {
            ResampleBilinearAxes(src, cols, rows, destination, cancellationToken);
            return;
        }

        int w = cols.Nearest.Length, h = rows.Nearest.Length;
        for (int j = 0; j < h; j++)
        {
            if ((j & CancellationRows) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            var dst = destination.Slice(j * w, w);
            int nearestRow = rows.Nearest[j];
            if (nearestRow == int.MinValue)
            {
                dst.Fill(float.NaN);
                continue;
            }

            var wy = rows.Weights.AsSpan(j * rows.Stride, rows.Count[j]);
            int n0 = rows.First[j];
            for (int i = 0; i < w; i++)
            {
                int nearestCol = cols.Nearest[i];
                float centre = nearestCol == int.MinValue ? float.NaN : src.At(nearestCol, nearestRow);
                if (float.IsNaN(centre))
                {
                    dst[i] = float.NaN;
                    continue;
                }

                var wx = cols.Weights.AsSpan(i * cols.Stride, cols.Count[i]);
                int m0 = cols.First[i];
                dst[i] = kernel != AxisKernel.Cubic ? src.Weighted(m0, n0, wx, wy, centre, signed: true)
                    : src.AllValid(m0, n0, wx.Length, wy.Length) ? src.Convolve(m0, n0, wx, wy)
                    : src.Weighted(cols.LinearFirst![i], rows.LinearFirst![j], cols.Linear.AsSpan(2 * i, 2), rows.Linear.AsSpan(2 * j, 2), float.NaN);
            }
        }
    }
}
