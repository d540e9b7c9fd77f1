using System.Collections.Concurrent;
using TileServer.Api.Catalog;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Api.Rendering;

/// <summary>Summary values of a variable, from its coarsest level, for a default stretch that is the same on every tile.</summary>
public sealed record VariableStatistics(double Min, double Max, double P2, double P98, long ValidCount, string Level);

/// <summary>
/// Computes <see cref="VariableStatistics"/> once per dataset version and variable (first position of the other
/// dimensions), reading at most <see cref="MaxSamples"/> values of the coarsest level.
/// </summary>
public sealed class StatisticsService
{
    private const int MaxSamples = 1 << 20;
    private readonly ConcurrentDictionary<string, Lazy<Task<VariableStatistics?>>> _cache = new(StringComparer.Ordinal);

    public Task<VariableStatistics?> GetAsync(DatasetEntry entry, string variable, CancellationToken cancellationToken)
    {
        var dataset = entry.Dataset ?? throw new InvalidOperationException("dataset is not open");
        string key = entry.Id + "|" + entry.Version + "|" + variable;
        var lazy = _cache.GetOrAdd(key, _ => new Lazy<Task<VariableStatistics?>>(() => ComputeAsync(dataset, variable)));
        return lazy.Value.WaitAsync(cancellationToken);
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

        int rows = (int)((grid.Height + step - 1) / step), cols = (int)((grid.Width + step - 1) / step);
        var values = new float[rows * cols];
        var others = variable.OtherDimensions.Select(_ => 0L).ToArray();
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
