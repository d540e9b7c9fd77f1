using System.Buffers;

namespace TileServer.Reading.Statistics;

/// <summary>
/// Per-band statistics of the cells an area selects: <c>weights</c> holds each cell's weight (0 = not selected,
/// 1 = selected by its centre, a fraction with coverage weighting). Values are sorted once (radix sort) and every
/// quantity comes from that order: percentiles and the median by the inverted CDF (the smallest value whose cumulative
/// weight reaches p % of the total, as TiTiler computes them), the histogram as numpy's, majority/minority/unique from
/// runs of equal values. Sums run in double precision. A pure function over spans.
/// </summary>
public static class StatisticsCalculator
{
    public static BandStatistics Compute(ReadOnlySpan<float> values, ReadOnlySpan<float> weights, StatisticsOptions options)
    {
        if (values.Length != weights.Length)
        {
            throw new ArgumentException("values and weights differ in length", nameof(weights));
        }

        int selected = 0, valid = 0;
        bool weighted = false;
        for (int i = 0; i < values.Length; i++)
        {
            float w = weights[i];
            if (w > 0)
            {
                selected++;
                if (!float.IsNaN(values[i]))
                {
                    valid++;
                    weighted |= w != 1f;
                }
            }
        }

        var keys = ArrayPool<uint>.Shared.Rent(Math.Max(valid, 1));
        var keyScratch = ArrayPool<uint>.Shared.Rent(Math.Max(valid, 1));
        var w8 = weighted ? ArrayPool<float>.Shared.Rent(valid) : null;
        var w8Scratch = weighted ? ArrayPool<float>.Shared.Rent(valid) : null;
        try
        {
            int k = 0;
            for (int i = 0; i < values.Length; i++)
            {
                float w = weights[i];
                if (w > 0 && !float.IsNaN(values[i]))
                {
                    keys[k] = RadixSort.Key(values[i]);
                    if (w8 is not null)
                    {
                        w8[k] = w;
                    }

                    k++;
                }
            }

            var sortedKeys = keys.AsSpan(0, valid);
            var sortedWeights = w8 is null ? Span<float>.Empty : w8.AsSpan(0, valid);
            RadixSort.Sort(sortedKeys, keyScratch, sortedWeights, w8Scratch ?? Span<float>.Empty);
            return FromSorted(sortedKeys, sortedWeights, selected, options);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(keys);
            ArrayPool<uint>.Shared.Return(keyScratch);
            if (w8 is not null)
            {
                ArrayPool<float>.Shared.Return(w8);
                ArrayPool<float>.Shared.Return(w8Scratch!);
            }
        }
    }

    private static BandStatistics FromSorted(ReadOnlySpan<uint> keys, ReadOnlySpan<float> weights, int selected, StatisticsOptions options)
    {
        int n = keys.Length;
        var percentiles = options.Percentiles.Concat(StatisticsOptions.DefaultPercentiles).Distinct().Order().ToArray();
        double validPercent = selected == 0 ? 0 : Math.Round(n / (double)selected * 100, 2, MidpointRounding.ToEven);
        if (n == 0)
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

        bool unweighted = weights.IsEmpty;
        double count = 0, sum = 0;
        for (int i = 0; i < n; i++)
        {
            double w = unweighted ? 1.0 : weights[i];
            count += w;
            sum += w * RadixSort.Value(keys[i]);
        }

        double mean = sum / count;
        double squares = 0;
        for (int i = 0; i < n; i++)
        {
            double d = RadixSort.Value(keys[i]) - mean;
            squares += (unweighted ? 1.0 : weights[i]) * d * d;
        }

        // Runs of equal values: unique count, majority (most cells; the smallest value on a tie) and minority (fewest).
        int unique = 0, bestRun = -1, worstRun = int.MaxValue;
        uint majority = keys[0], minority = keys[0];
        for (int i = 0; i < n;)
        {
            int j = i + 1;
            while (j < n && keys[j] == keys[i])
            {
                j++;
            }

            int run = j - i;
            unique++;
            if (run > bestRun)
            {
                bestRun = run;
                majority = keys[i];
            }

            if (run < worstRun)
            {
                worstRun = run;
                minority = keys[i];
            }

            i = j;
        }

        var (counts, edges) = options.Categorical == true ? Categories(keys, options.Categories) : Histogram(keys, options);
        var quantiles = new (double, double)[percentiles.Length];
        for (int p = 0; p < percentiles.Length; p++)
        {
            quantiles[p] = (percentiles[p], Quantile(keys, weights, count, percentiles[p] / 100.0));
        }

        return new BandStatistics
        {
            Min = RadixSort.Value(keys[0]),
            Max = RadixSort.Value(keys[n - 1]),
            Mean = mean,
            Count = count,
            Sum = sum,
            Std = Math.Sqrt(squares / count),
            Median = Quantile(keys, weights, count, 0.5),
            Majority = RadixSort.Value(majority),
            Minority = RadixSort.Value(minority),
            Unique = unique,
            HistogramCounts = counts,
            HistogramEdges = edges,
            ValidPercent = validPercent,
            MaskedPixels = selected - n,
            ValidPixels = n,
            Percentiles = quantiles,
        };
    }

    /// <summary>The smallest value whose cumulative weight reaches <paramref name="q"/> of <paramref name="total"/>.</summary>
    private static double Quantile(ReadOnlySpan<uint> keys, ReadOnlySpan<float> weights, double total, double q)
    {
        double target = q * total;
        int n = keys.Length;
        if (weights.IsEmpty)
        {
            // Cumulative counts are 1, 2, ..., n: the first index whose count reaches the target.
            int index = (int)Math.Clamp(Math.Ceiling(target) - 1, 0, n - 1);
            return RadixSort.Value(keys[index]);
        }

        double cumulative = 0;
        for (int i = 0; i < n; i++)
        {
            cumulative += weights[i];
            if (cumulative >= target)
            {
                return RadixSort.Value(keys[i]);
            }
        }

        return RadixSort.Value(keys[n - 1]);
    }

    private static (double[] Counts, double[] Edges) Categories(ReadOnlySpan<uint> keys, IReadOnlyList<double> categories)
    {
        var classes = new List<double>();
        var counts = new List<double>();
        for (int i = 0; i < keys.Length;)
        {
            int j = i + 1;
            while (j < keys.Length && keys[j] == keys[i])
            {
                j++;
            }

            classes.Add(RadixSort.Value(keys[i]));
            counts.Add(j - i);
            i = j;
        }

        if (categories.Count == 0)
        {
            return ([.. counts], [.. classes]);
        }

        var wanted = categories.ToArray();
        var result = new double[wanted.Length];
        for (int c = 0; c < wanted.Length; c++)
        {
            int at = classes.IndexOf((float)wanted[c]);
            result[c] = at >= 0 ? counts[at] : 0;
        }

        return (result, wanted);
    }

    private static (double[] Counts, double[] Edges) EmptyHistogram(StatisticsOptions options)
    {
        var edges = options.HistogramEdges?.ToArray() ?? Edges(options.HistogramRange?.Min ?? 0, options.HistogramRange?.Max ?? 1, options.HistogramBins);
        return (new double[edges.Length - 1], edges);
    }

    /// <summary>numpy.histogram: equal bins from the range (the data's min/max by default; ±0.5 around a single value), the last bin closed.</summary>
    private static (double[] Counts, double[] Edges) Histogram(ReadOnlySpan<uint> keys, StatisticsOptions options)
    {
        double[] edges;
        if (options.HistogramEdges is { } given)
        {
            edges = [.. given];
        }
        else
        {
            double first = options.HistogramRange?.Min ?? RadixSort.Value(keys[0]);
            double last = options.HistogramRange?.Max ?? RadixSort.Value(keys[^1]);
            if (first == last)
            {
                first -= 0.5;
                last += 0.5;
            }

            edges = Edges(first, last, options.HistogramBins);
        }

        int bins = edges.Length - 1;
        var counts = new double[bins];
        int i = LowerBound(keys, edges[0]);
        for (int b = 0; b < bins; b++)
        {
            bool lastBin = b == bins - 1;
            int end = lastBin ? UpperBound(keys, edges[b + 1]) : LowerBound(keys, edges[b + 1]);
            counts[b] = Math.Max(0, end - i);
            i = Math.Max(i, end);
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

    /// <summary>Index of the first value ≥ <paramref name="x"/>.</summary>
    private static int LowerBound(ReadOnlySpan<uint> keys, double x)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (RadixSort.Value(keys[mid]) < x)
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

    /// <summary>Index of the first value &gt; <paramref name="x"/>.</summary>
    private static int UpperBound(ReadOnlySpan<uint> keys, double x)
    {
        int lo = 0, hi = keys.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (RadixSort.Value(keys[mid]) <= x)
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
}
