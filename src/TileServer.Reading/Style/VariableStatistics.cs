using System.Collections.Concurrent;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Reading.Style;

/// <summary>Summary values of a variable, from its coarsest level, for a default stretch that is the same on every tile.</summary>
public sealed record VariableStatistics(double Min, double Max, double P2, double P98, long ValidCount, string Level)
{
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

/// <summary>
/// Computes <see cref="VariableStatistics"/> once per dataset version and variable (first position of the other
/// dimensions), reading at most <see cref="MaxSamples"/> values of the coarsest level.
/// </summary>
public sealed class StatisticsCache
{
    private const int MaxSamples = 1 << 20;
    private readonly ConcurrentDictionary<string, Lazy<Task<VariableStatistics?>>> _cache = new(StringComparer.Ordinal);

    public Task<VariableStatistics?> GetAsync(GeoDataset dataset, string version, string variable, CancellationToken cancellationToken)
    {
        string key = dataset.Id + "|" + version + "|" + variable;
        var lazy = _cache.GetOrAdd(key, _ => new Lazy<Task<VariableStatistics?>>(() => ComputeAsync(dataset, variable)));
        return lazy.Value.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Statistics under any <paramref name="key"/> of a dataset version, computed once by <paramref name="compute"/>
    /// (with its own one-minute deadline: it is shared, so one client going away must not cancel it).
    /// </summary>
    public Task<VariableStatistics?> GetAsync(GeoDataset dataset, string version, string key, Func<CancellationToken, Task<VariableStatistics?>> compute, CancellationToken cancellationToken)
    {
        string full = dataset.Id + "|" + version + "|" + key;
        var lazy = _cache.GetOrAdd(full, _ => new Lazy<Task<VariableStatistics?>>(async () =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            return await compute(cts.Token).ConfigureAwait(false);
        }));
        var task = lazy.Value;
        if (task.IsFaulted || task.IsCanceled)
        {
            // A failed computation is not kept: the next request tries again.
            _cache.TryRemove(new KeyValuePair<string, Lazy<Task<VariableStatistics?>>>(full, lazy));
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets the statistics of a dataset (all versions), e.g. when it leaves the catalog.</summary>
    public void Forget(string datasetId)
    {
        foreach (var key in _cache.Keys)
        {
            if (key.StartsWith(datasetId + "|", StringComparison.Ordinal))
            {
                _cache.TryRemove(key, out _);
            }
        }
    }

    private static async Task<VariableStatistics?> ComputeAsync(GeoDataset dataset, string name)
    {
        var level = dataset.Levels.Last(l => l.Variables.ContainsKey(name));
        var variable = level.Variables[name];
        var grid = variable.Grid;
        int step = 1;
        while ((long)(grid.Height / step) * (grid.Width / step) > MaxSamples)
        {
            step++;
        }

        int rows = (grid.Height + step - 1) / step, cols = (grid.Width + step - 1) / step;
        var values = new float[rows * cols];
        var others = variable.OtherDimensions.Select(_ => 0L).ToArray();
        // Shared by every request of this dataset version: one client going away must not cancel it.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await variable.ReadPlaneAsync(others, new PixelWindow(0, 0, rows, cols, step), values, cts.Token).ConfigureAwait(false);

        int n = 0;
        for (int i = 0; i < values.Length; i++)
        {
            if (float.IsFinite(values[i]))
            {
                values[n++] = values[i];
            }
        }

        return VariableStatistics.FromFinite(values, n, level.Path);
    }
}
