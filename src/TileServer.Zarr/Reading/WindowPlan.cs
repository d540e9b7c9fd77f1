using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Reading;

/// <summary>
/// The selected indices of one dimension that fall in one chunk: chunk <see cref="Chunk"/>, selection positions
/// <c>[First, First+Count)</c>, the first of them at <see cref="Local"/> inside the chunk.
/// </summary>
internal readonly record struct DimSegment(long Chunk, long First, long Count, long Local);

/// <summary>Which chunks a window touches and which part of each, per dimension (no per-element work).</summary>
internal sealed class WindowPlan
{
    private WindowPlan(DimSegment[][] segments, long[] counts, long[] steps)
    {
        Segments = segments;
        Counts = counts;
        Steps = steps;
        var perDimension = new long[segments.Length];
        for (int d = 0; d < segments.Length; d++)
        {
            perDimension[d] = segments[d].Length;
        }

        UnitCount = ShapeMath.SaturatingProduct(perDimension);
    }

    public DimSegment[][] Segments { get; }
    public long[] Counts { get; }
    public long[] Steps { get; }
    public long UnitCount { get; }

    public long ElementCount => ShapeMath.SaturatingProduct(Counts);

    /// <summary>
    /// Plans a window read after checking it against the array and against the destination's length, before any
    /// per-chunk work: the number of segments is bounded by the elements the caller has room for.
    /// </summary>
    public static WindowPlan Create(IReadOnlyList<DimSlice> window, IReadOnlyList<long> shape, IReadOnlyList<int> unitShape, string path, long destinationLength)
    {
        if (window.Count != shape.Count)
        {
            throw new ArgumentException($"window has {window.Count} dimensions, array '{path}' has {shape.Count}", nameof(window));
        }

        var counts = new long[window.Count];
        var steps = new long[window.Count];
        for (int d = 0; d < window.Count; d++)
        {
            var s = window[d];
            if (s.Start < 0 || s.Count < 0 || s.Step < 1 || (s.Count > 0 && (s.Count - 1 > (long.MaxValue - s.Start) / s.Step || s.Last >= shape[d])))
            {
                throw new ArgumentOutOfRangeException(nameof(window), $"slice {s} of dimension {d} is outside 0..{shape[d] - 1} of array '{path}'");
            }

            counts[d] = s.Count;
            steps[d] = s.Step;
        }

        long needed = ShapeMath.SaturatingProduct(counts);
        if (destinationLength < needed)
        {
            throw new ArgumentException($"destination holds {destinationLength} elements, the window needs {needed}", "destination");
        }

        var segments = new DimSegment[window.Count][];
        for (int d = 0; d < window.Count; d++)
        {
            segments[d] = needed == 0 ? [] : Split(window[d], unitShape[d]);
        }

        return new WindowPlan(segments, counts, steps);
    }

    public static DimSegment[] Split(DimSlice s, int chunk)
    {
        var list = new List<DimSegment>();
        long m = 0;
        while (m < s.Count)
        {
            long index = s.Start + (m * s.Step);
            long c = index / chunk;
            long chunkEnd = (c + 1) * chunk;
            long mEnd = Math.Min(s.Count, (chunkEnd - s.Start + s.Step - 1) / s.Step);
            list.Add(new DimSegment(c, m, mEnd - m, index - (c * chunk)));
            m = mEnd;
        }

        return [.. list];
    }

    /// <summary>The segment of each dimension for unit number <paramref name="unit"/> (C order over the touched chunks).</summary>
    public void Unit(long unit, Span<DimSegment> result)
    {
        for (int d = Segments.Length - 1; d >= 0; d--)
        {
            var segs = Segments[d];
            result[d] = segs[(int)(unit % segs.Length)];
            unit /= segs.Length;
        }
    }

    /// <summary>
    /// Copies the selected elements of one decoded chunk (C order, <paramref name="chunkShape"/>) into the
    /// destination window, or fills them with <paramref name="fill"/> when the chunk is absent.
    /// </summary>
    public void Scatter<T>(ReadOnlySpan<DimSegment> unit, ReadOnlySpan<byte> chunk, IReadOnlyList<int> chunkShape, RunCopier<T> copier, T fill, bool isFill, Span<T> destination)
        where T : unmanaged
    {
        int nd = unit.Length;
        if (nd == 0)
        {
            if (isFill)
            {
                destination[0] = fill;
            }
            else
            {
                copier(chunk, 0, 1, destination[..1]);
            }

            return;
        }

        Span<long> dstStride = stackalloc long[nd];
        Span<long> srcStride = stackalloc long[nd];
        long ds = 1, ss = 1;
        for (int d = nd - 1; d >= 0; d--)
        {
            dstStride[d] = ds;
            srcStride[d] = ss;
            ds *= Counts[d];
            ss *= chunkShape[d];
        }

        long dst = 0, src = 0;
        for (int d = 0; d < nd; d++)
        {
            dst += unit[d].First * dstStride[d];
            src += unit[d].Local * srcStride[d];
        }

        int inner = nd - 1;
        int runLength = (int)unit[inner].Count;
        long srcStep = Steps[inner];
        long rows = 1;
        for (int d = 0; d < inner; d++)
        {
            rows *= unit[d].Count;
        }

        Span<long> idx = stackalloc long[nd];
        for (long r = 0; r < rows; r++)
        {
            var run = destination.Slice((int)dst, runLength);
            if (isFill)
            {
                run.Fill(fill);
            }
            else
            {
                copier(chunk, src, srcStep, run);
            }

            for (int d = inner - 1; d >= 0; d--)
            {
                idx[d]++;
                dst += dstStride[d];
                src += Steps[d] * srcStride[d];
                if (idx[d] < unit[d].Count)
                {
                    break;
                }

                dst -= dstStride[d] * idx[d];
                src -= Steps[d] * srcStride[d] * idx[d];
                idx[d] = 0;
            }
        }
    }
}
