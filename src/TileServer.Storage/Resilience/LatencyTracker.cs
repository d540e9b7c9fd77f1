namespace TileServer.Storage;

/// <summary>
/// Recent latencies of a store's successful reads (the last <see cref="Window"/>), and the delay after which a read
/// is hedged: a fixed one, or a percentile of what was measured, within bounds.
/// </summary>
public sealed class LatencyTracker
{
    public const int Window = 512;

    private readonly Lock _gate = new();
    private readonly double[] _samples = new double[Window];
    private readonly HedgingOptions _options;
    private long _count;
    private long _computedAt = -1;
    private TimeSpan _delay;

    public LatencyTracker(HedgingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _delay = options.Delay ?? options.InitialDelay;
    }

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        lock (_gate)
        {
            _samples[_count % Window] = latency.TotalMilliseconds;
            _count++;
        }
    }

    /// <summary>How long a read may go unanswered before it is sent again.</summary>
    public TimeSpan HedgeDelay
    {
        get
        {
            if (_options.Delay is { } fixedDelay)
            {
                return fixedDelay;
            }

            lock (_gate)
            {
                if (_count < _options.MinSamples)
                {
                    return _options.InitialDelay;
                }

                // Recomputed every 32 samples: a sort of at most 512 values, not one per read.
                if (_computedAt < 0 || _count - _computedAt >= 32)
                {
                    _delay = Clamp(TimeSpan.FromMilliseconds(Percentile(_samples.AsSpan(0, (int)Math.Min(_count, Window)), _options.Percentile)));
                    _computedAt = _count;
                }

                return _delay;
            }
        }
    }

    /// <summary>The <paramref name="percentile"/> of <paramref name="values"/> (nearest rank), without changing them.</summary>
    public static double Percentile(ReadOnlySpan<double> values, double percentile)
    {
        if (values.IsEmpty)
        {
            return double.NaN;
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        int rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Length - 1)];
    }

    private TimeSpan Clamp(TimeSpan delay)
        => delay < _options.MinDelay ? _options.MinDelay : delay > _options.MaxDelay ? _options.MaxDelay : delay;
}
