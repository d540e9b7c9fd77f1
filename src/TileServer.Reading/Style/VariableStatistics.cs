using System.Collections.Concurrent;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Reading.Style;

/// <summary>Summary values of a variable, from its coarsest level, for a default stretch that is the same on every tile.</summary>
public sealed record VariableStatistics(double Min, double Max, double P2, double P98, long ValidCount, string Level);

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

        if (n == 0)
        {
            return null;
        }

        Array.Sort(values, 0, n);
        double Percentile(double p) => values[(int)Math.Clamp(Math.Round(p / 100.0 * (n - 1)), 0, n - 1)];
        return new VariableStatistics(values[0], values[n - 1], Percentile(2), Percentile(98), n, level.Path);
    }
}
