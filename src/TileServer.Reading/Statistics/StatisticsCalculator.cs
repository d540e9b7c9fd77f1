using System.Buffers;

namespace TileServer.Reading.Statistics;

/// <summary>
/// Per-band statistics of the cells an area selects: <c>weights</c> holds each cell's weight (0 = not selected,
/// 1 = selected by its centre, a fraction with coverage weighting). The selected values are turned into runs of equal
/// values in ascending order — by counting when they are integers in a range of at most 65,536 (imagery, classes,
/// packed data), else by a radix sort — and every quantity comes from those runs: percentiles and the median by the
/// inverted CDF (the smallest value whose cumulative weight reaches p % of the total, as TiTiler computes them), the
/// histogram as numpy's, majority/minority/unique from the runs' cell counts. Sums run in double precision.
/// A pure function over spans.
/// </summary>
public static class StatisticsCalculator
{
    private const int MaxCountingRange = 1 << 16;

    public static BandStatistics Compute(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, StatisticsOptions options)
    {
        if (values.Length != weights.Length)
        {
            throw new ArgumentException("values and weights differ in length", nameof(weights));
        }

        // One pass gathers the selected values with data (as sortable keys) and their weights.
        int n = values.Length;
        var keys = ArrayPool<uint>.Shared.Rent(Math.Max(n, 1));
        var w8 = ArrayPool<float>.Shared.Rent(Math.Max(n, 1));
        Run[]? runs = null;
        try
        {
            int selected = 0, valid = 0;
            bool weighted = false, integral = true;
            float min = float.PositiveInfinity, max = float.NegativeInfinity;
            for (int i = 0; i < n; i++)
            {
                float w = weights[i];
                if (w > 0)
                {
                    selected++;
                    float v = values[i];
                    if (!float.IsNaN(v))
                    {
                        keys[valid] = RadixSort.Key(v);
                        w8[valid++] = w;
                        weighted |= w != 1f;
                        integral &= v == MathF.Round(v);
                        min = MathF.Min(min, v);
                        max = MathF.Max(max, v);
                    }
                }
            }

            int count;
            if (valid > 0 && integral && (double)max - min < MaxCountingRange)
            {
                (runs, count) = CountedRuns(keys.AsSpan(0, valid), w8.AsSpan(0, valid), weighted, min, (int)((double)max - min) + 1);
            }
            else
            {
                (runs, count) = SortedRuns(keys.AsSpan(0, valid), weighted ? w8.AsSpan(0, valid) : Span<float>.Empty);
            }

            return FromRuns(runs.AsSpan(0, count), valid, selected, options);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(keys);
            ArrayPool<float>.Shared.Return(w8);
            if (runs is not null)
            {
                ArrayPool<Run>.Shared.Return(runs);
            }
        }
    }

    /// <summary>Integers in [min, min + range): a count (and weight) per value, in one pass.</summary>
    private static (Run[] Runs, int Count) CountedRuns(ReadOnlySpan<uint> keys, ReadOnlySpan<float> weights, bool weighted, float min, int range)
    {
        var cells = ArrayPool<int>.Shared.Rent(range);
        var sums = weighted ? ArrayPool<double>.Shared.Rent(range) : null;
        try
        {
            cells.AsSpan(0, range).Clear();
            sums?.AsSpan(0, range).Clear();
            for (int i = 0; i < keys.Length; i++)
            {
                int slot = (int)(RadixSort.Value(keys[i]) - min);
                cells[slot]++;
                if (sums is not null)
                {
                    sums[slot] += weights[i];
                }
            }

            int distinct = 0;
            for (int s = 0; s < range; s++)
            {
                distinct += cells[s] > 0 ? 1 : 0;
            }

            var runs = ArrayPool<Run>.Shared.Rent(Math.Max(distinct, 1));
            int k = 0;
            for (int s = 0; s < range; s++)
            {
                if (cells[s] > 0)
                {
                    runs[k++] = new Run(min + s, cells[s], sums is null ? cells[s] : sums[s]);
                }
            }

            return (runs, k);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(cells);
            if (sums is not null)
            {
                ArrayPool<double>.Shared.Return(sums);
            }
        }
    }

    /// <summary>Any values: radix-sorted (weights carried along), then equal neighbours merged.</summary>
    private static (Run[] Runs, int Count) SortedRuns(Span<uint> keys, Span<float> weights)
    {
        int n = keys.Length;
        var keyScratch = ArrayPool<uint>.Shared.Rent(Math.Max(n, 1));
        var weightScratch = weights.IsEmpty ? null : ArrayPool<float>.Shared.Rent(n);
        try
        {
            RadixSort.Sort(keys, keyScratch, weights, weightScratch ?? Span<float>.Empty);
            var runs = ArrayPool<Run>.Shared.Rent(Math.Max(n, 1));
            int k = 0;
            for (int i = 0; i < n;)
            {
                uint key = keys[i];
                int j = i;
                double weight = 0;
                while (j < n && keys[j] == key)
                {
                    weight += weights.IsEmpty ? 1.0 : weights[j];
                    j++;
                }

                runs[k++] = new Run(RadixSort.Value(key), j - i, weight);
                i = j;
            }

            return (runs, k);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(keyScratch);
            if (weightScratch is not null)
            {
                ArrayPool<float>.Shared.Return(weightScratch);
            }
        }
    }

    private static BandStatistics FromRuns(ReadOnlySpan<Run> runs, int valid, int selected, StatisticsOptions options)
    {
        var percentiles = options.Percentiles.Concat(StatisticsOptions.DefaultPercentiles).Distinct().Order().ToArray();
        double validPercent = selected == 0 ? 0 : Math.Round(valid / (double)selected * 100, 2, MidpointRounding.ToEven);
        if (runs.IsEmpty)
        {
            var (emptyCounts, emptyEdges) = options.Categorical == true
                ? (options.Categories.Select(_ => 0.0).ToArray(), options.Categories.ToArray())
                : EmptyHistogram(options);
            return new BandStatistics
            {
                HistogramCounts = emptyCounts,
                HistogramEdges = emptyEdges,
                ValidPercent = validPercent,
                MaskedPixels = selected,
                ValidPixels = 0,
                Percentiles = percentiles.Select(p => (p, double.NaN)).ToArray(),
            };
        }

        // Weighted count and sum; majority (most cells, the smallest value on a tie) and minority (fewest).
        double count = 0, sum = 0;
        int majority = 0, minority = 0;
        for (int i = 0; i < runs.Length; i++)
        {
            count += runs[i].Weight;
            sum += runs[i].Weight * runs[i].Value;
            majority = runs[i].Cells > runs[majority].Cells ? i : majority;
            minority = runs[i].Cells < runs[minority].Cells ? i : minority;
        }

        double mean = sum / count;
        double squares = 0;
        foreach (var run in runs)
        {
            double d = run.Value - mean;
            squares += run.Weight * d * d;
        }

        var (counts, edges) = options.Categorical == true ? Categories(runs, options.Categories) : Histogram(runs, options);
        var quantiles = new (double, double)[percentiles.Length];
        for (int p = 0; p < percentiles.Length; p++)
        {
            quantiles[p] = (percentiles[p], Quantile(runs, count, percentiles[p] / 100.0));
        }

        return new BandStatistics
        {
            Min = runs[0].Value,
            Max = runs[^1].Value,
            Mean = mean,
            Count = count,
            Sum = sum,
            Std = Math.Sqrt(squares / count),
            Median = Quantile(runs, count, 0.5),
            Majority = runs[majority].Value,
            Minority = runs[minority].Value,
            Unique = runs.Length,
            HistogramCounts = counts,
            HistogramEdges = edges,
            ValidPercent = validPercent,
            MaskedPixels = selected - valid,
            ValidPixels = valid,
            Percentiles = quantiles,
        };
    }

    /// <summary>The smallest value whose cumulative weight reaches <paramref name="q"/> of <paramref name="total"/>.</summary>
    private static double Quantile(ReadOnlySpan<Run> runs, double total, double q)
    {
        double target = q * total;
        double cumulative = 0;
        foreach (var run in runs)
        {
            cumulative += run.Weight;
            if (cumulative >= target)
            {
                return run.Value;
            }
        }

        return runs[^1].Value;
    }

    private static (double[] Counts, double[] Edges) Categories(ReadOnlySpan<Run> runs, IReadOnlyList<double> categories)
    {
        if (categories.Count == 0)
        {
            var classes = new double[runs.Length];
            var cells = new double[runs.Length];
            for (int i = 0; i < runs.Length; i++)
            {
                classes[i] = runs[i].Value;
                cells[i] = runs[i].Cells;
            }

            return (cells, classes);
        }

        var wanted = categories.ToArray();
        var result = new double[wanted.Length];
        for (int c = 0; c < wanted.Length; c++)
        {
            double value = (float)wanted[c];
            foreach (var run in runs)
            {
                if (run.Value == value)
                {
                    result[c] = run.Cells;
                    break;
                }
            }
        }

        return (result, wanted);
    }

    private static (double[] Counts, double[] Edges) EmptyHistogram(StatisticsOptions options)
    {
        var edges = options.HistogramEdges?.ToArray() ?? Edges(options.HistogramRange?.Min ?? 0, options.HistogramRange?.Max ?? 1, options.HistogramBins);
        return (new double[edges.Length - 1], edges);
    }

    /// <summary>numpy.histogram: equal bins from the range (the data's min/max by default; ±0.5 around a single value), the last bin closed.</summary>
    private static (double[] Counts, double[] Edges) Histogram(ReadOnlySpan<Run> runs, StatisticsOptions options)
    {
        double[] edges;
        if (options.HistogramEdges is { } given)
        {
            edges = [.. given];
        }
        else
        {
            double first = options.HistogramRange?.Min ?? runs[0].Value;
            double last = options.HistogramRange?.Max ?? runs[^1].Value;
            if (first == last)
            {
                first -= 0.5;
                last += 0.5;
            }

            edges = Edges(first, last, options.HistogramBins);
        }

        int bins = edges.Length - 1;
        var counts = new double[bins];
        foreach (var run in runs)
        {
            double v = run.Value;
            if (v < edges[0] || v > edges[bins])
            {
                continue;
            }

            // The last bin is closed: [e(n-1), e(n)]; the others [e(i), e(i+1)).
            int bin = v == edges[bins] ? bins - 1 : UpperBound(edges, v) - 1;
            counts[bin] += run.Cells;
        }

        return (counts, edges);
    }

    /// <summary>numpy.linspace(first, last, bins + 1): first + i·step, the last edge exactly <paramref name="last"/>.</summary>
    private static double[] Edges(double first, double last, int bins)
    {
        var edges = new double[bins + 1];
        double step = (last - first) / bins;
        for (int i = 0; i < bins; i++)
        {
            edges[i] = (i * step) + first;
        }

        edges[bins] = last;
        return edges;
    }

    /// <summary>Index of the first edge &gt; <paramref name="x"/>.</summary>
    private static int UpperBound(double[] edges, double x)
    {
        int lo = 0, hi = edges.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (edges[mid] <= x)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>Equal values in ascending order: the value, how many cells hold it and their total weight.</summary>
    private readonly record struct Run(double Value, int Cells, double Weight);
}
