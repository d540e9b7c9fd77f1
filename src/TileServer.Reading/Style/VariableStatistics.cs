using System.Collections.Concurrent;
using TileServer.GeoZarr;

namespace TileServer.Reading.Style;

/// <summary>
/// Summary values of a variable for a default stretch that is the same on every tile, with how they were obtained:
/// the level read, whether all of it or a sample of its chunks, and how many sampled chunks could not be read.
/// </summary>
public sealed record VariableStatistics(double Min, double Max, double P2, double P98, long ValidCount, string Level)
{
    /// <summary>Chunks whose values went into the statistics.</summary>
    public int ChunksRead { get; init; }

    /// <summary>Chunks of the sample that could not be read (corrupt or unreachable) and were left out.</summary>
    public int ChunksUnreadable { get; init; }

    /// <summary>Chunks of the level the sample was taken from.</summary>
    public long ChunksInLevel { get; init; }

    /// <summary>"coarsest level" when every chunk of it was read, else "chunk sample".</summary>
    public string Method { get; init; } = "coarsest level";

    /// <summary>2–98 percentiles, else min–max, else ±0.5 around a constant.</summary>
    public Stretch DefaultStretch()
        => P98 > P2 ? new Stretch(P2, P98) : Max > Min ? new Stretch(Min, Max) : new Stretch(Min - 0.5, Min + 0.5);

    /// <summary>The statistics of the finite values (null when there are none); sorts a copy.</summary>
    public static VariableStatistics? Of(ReadOnlySpan<float> values, string level)
    {
        var finite = new float[values.Length];
        int n = 0;
        foreach (float v in values)
        {
            if (float.IsFinite(v))
            {
                finite[n++] = v;
            }
        }

        return FromFinite(finite, n, level);
    }

    internal static VariableStatistics? FromFinite(float[] values, int n, string level)
    {
        if (n == 0)
        {
            return null;
        }

        Array.Sort(values, 0, n);
        double Percentile(double p) => values[(int)Math.Clamp(Math.Round(p / 100.0 * (n - 1)), 0, n - 1)];
        return new VariableStatistics(values[0], values[n - 1], Percentile(2), Percentile(98), n, level);
    }
}

/// <summary>Where the statistics of one variable stand.</summary>
public enum StatisticsStatus
{
    /// <summary>Being computed in the background.</summary>
    Pending,

    /// <summary>Computed; <see cref="StatisticsState.Statistics"/> holds them.</summary>
    Ready,

    /// <summary>Computed, but the sample holds no valid value.</summary>
    NoData,

    /// <summary>The data could not be read; tried again after the retry interval.</summary>
    Failed,
}

public sealed record StatisticsState(StatisticsStatus Status, VariableStatistics? Statistics = null, string? Error = null);

/// <summary>
/// Statistics per dataset version and variable (first position of the other dimensions), computed in the background
/// from a bounded read (<see cref="StatisticsSample"/>, <see cref="DefaultStretchOptions.ReadBudget"/> chunks). A chunk
/// that cannot be read is left out; when fewer than half of the sample can be read the result is a failure that is
/// not kept: it is tried again after <see cref="DefaultStretchOptions.RetryInterval"/>.
/// </summary>
public sealed class StatisticsCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly DefaultStretchOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lazy<Task<VariableStatistics?>>> _computed = new(StringComparer.Ordinal);

    public StatisticsCache(DefaultStretchOptions options, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Where the statistics stand now, starting their computation when none is running or due.</summary>
    public StatisticsState Peek(GeoDataset dataset, string version, string variable) => Current(dataset, version, variable).State;

    /// <summary>The statistics once ready, waiting at most <paramref name="budget"/> for a computation in progress.</summary>
    public async Task<StatisticsState> WaitAsync(GeoDataset dataset, string version, string variable, TimeSpan budget, CancellationToken cancellationToken)
    {
        var entry = Current(dataset, version, variable);
        if (entry.State.Status != StatisticsStatus.Pending || budget <= TimeSpan.Zero)
        {
            return entry.State;
        }

        try
        {
            await entry.Done.WaitAsync(budget, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Not ready within the budget: the caller draws with the fallback meanwhile.
        }

        return entry.State;
    }

    /// <summary>The statistics, waiting for them however long they take; null when the data holds no valid value.</summary>
    public async Task<VariableStatistics?> GetAsync(GeoDataset dataset, string version, string variable, CancellationToken cancellationToken)
    {
        var entry = Current(dataset, version, variable);
        await entry.Done.WaitAsync(cancellationToken).ConfigureAwait(false);
        var state = entry.State;
        return state.Status == StatisticsStatus.Failed
            ? throw new StatisticsUnavailableException(variable, state.Error ?? "the data could not be read")
            : state.Statistics;
    }

    /// <summary>
    /// Statistics under any <paramref name="key"/> of a dataset version, computed once by <paramref name="compute"/>
    /// (with its own one-minute deadline: it is shared, so one client going away must not cancel it).
    /// </summary>
    public Task<VariableStatistics?> GetAsync(GeoDataset dataset, string version, string key, Func<CancellationToken, Task<VariableStatistics?>> compute, CancellationToken cancellationToken)
    {
        string full = dataset.Id + "|" + version + "|" + key;
        var lazy = _computed.GetOrAdd(full, _ => new Lazy<Task<VariableStatistics?>>(async () =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            return await compute(cts.Token).ConfigureAwait(false);
        }));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed computation is not kept: the next request tries again.
            _computed.TryRemove(new KeyValuePair<string, Lazy<Task<VariableStatistics?>>>(full, lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the statistics of a dataset (all versions), e.g. when it leaves the catalog.</summary>
    public void Forget(string datasetId)
    {
        foreach (var key in _entries.Keys)
        {
            if (key.StartsWith(datasetId + "|", StringComparison.Ordinal))
            {
                _entries.TryRemove(key, out _);
            }
        }

        foreach (var key in _computed.Keys)
        {
            if (key.StartsWith(datasetId + "|", StringComparison.Ordinal))
            {
                _computed.TryRemove(key, out _);
            }
        }
    }

    private Entry Current(GeoDataset dataset, string version, string variable)
    {
        string key = dataset.Id + "|" + version + "|" + variable;
        while (true)
        {
            var entry = _entries.GetOrAdd(key, _ => new Entry());
            if (entry.State.Status == StatisticsStatus.Failed && _time.GetUtcNow() - entry.FinishedAt >= _options.RetryInterval)
            {
                _entries.TryUpdate(key, new Entry(), entry);
                continue;
            }

            entry.StartOnce(() => ComputeAsync(dataset, variable), _time);
            return entry;
        }
    }

    private async Task<StatisticsState> ComputeAsync(GeoDataset dataset, string name)
    {
        // Shared by every request of this dataset version: no client's cancellation reaches it, only its own timeout.
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        var sample = StatisticsSample.Plan(dataset, name, _options.ReadBudget, _options.MaxSamples);
        var reads = sample.Windows.Select(w => ReadWindowAsync(sample.Variable, w, timeout.Token)).ToArray();
        var results = await Task.WhenAll(reads).ConfigureAwait(false);

        var values = new List<float>();
        int read = 0;
        string? firstError = null;
        foreach (var (data, error) in results)
        {
            if (data is null)
            {
                firstError ??= error;
                continue;
            }

            read++;
            foreach (float v in data)
            {
                if (float.IsFinite(v))
                {
                    values.Add(v);
                }
            }
        }

        int unreadable = results.Length - read;
        if (read == 0 || read * 2 < results.Length)
        {
            return new StatisticsState(StatisticsStatus.Failed, null, $"{unreadable} of {results.Length} chunks could not be read ({firstError})");
        }

        if (values.Count == 0)
        {
            return new StatisticsState(StatisticsStatus.NoData);
        }

        var sorted = values.ToArray();
        Array.Sort(sorted);
        int n = sorted.Length;
        double Percentile(double p) => sorted[(int)Math.Clamp(Math.Round(p / 100.0 * (n - 1)), 0, n - 1)];
        var stats = new VariableStatistics(sorted[0], sorted[n - 1], Percentile(2), Percentile(98), n, sample.Level.Path)
        {
            ChunksRead = read,
            ChunksUnreadable = unreadable,
            ChunksInLevel = sample.ChunksInLevel,
            Method = sample.IsWholeLevel ? "coarsest level" : "chunk sample",
        };
        return new StatisticsState(StatisticsStatus.Ready, stats);
    }

    /// <summary>One chunk's values, or why it could not be read (corrupt data, a store failure, the computation's timeout).</summary>
    private static async Task<(float[]? Data, string? Error)> ReadWindowAsync(GeoVariable variable, Crs.PixelWindow window, CancellationToken cancellationToken)
    {
        var values = new float[window.PixelCount];
        var others = variable.OtherDimensions.Select(_ => 0L).ToArray();
        try
        {
            await variable.ReadPlaneAsync(others, window, values, cancellationToken).ConfigureAwait(false);
            return (values, null);
        }
        catch (TileServerException ex)
        {
            return (null, ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return (null, "the reads took longer than the statistics' time limit");
        }
    }

    private sealed class Entry
    {
        private readonly Lock _gate = new();
        private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile StatisticsState _state = new(StatisticsStatus.Pending);
        private bool _started;

        public StatisticsState State => _state;

        public Task Done => _done.Task;

        public DateTimeOffset FinishedAt { get; private set; }

        public void StartOnce(Func<Task<StatisticsState>> compute, TimeProvider time)
        {
            lock (_gate)
            {
                if (_started)
                {
                    return;
                }

                _started = true;
            }

            _ = Task.Run(async () =>
            {
                StatisticsState result;
                try
                {
                    result = await compute().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // Anything the planning or reading throws fails these statistics only, and is tried again later.
                    result = new StatisticsState(StatisticsStatus.Failed, null, ex is TileServerException ? ex.Message : "the statistics could not be computed");
                }

                FinishedAt = time.GetUtcNow();
                _state = result;
                _done.TrySetResult();
            });
        }
    }
}

/// <summary>The statistics of a variable could not be computed because its data could not be read.</summary>
public sealed class StatisticsUnavailableException : TileServerException
{
    public StatisticsUnavailableException(string variable, string reason)
        : base(FailureKind.StoreUnavailable, $"Statistics of '{variable}' are unavailable: {reason}")
    {
    }
}
