using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading.Areas;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;

namespace TileServer.Reading.Preview;

/// <summary>How a preview reads its level: which level, the stride, and the output size.</summary>
public readonly record struct PreviewPlan(int LevelIndex, int Step, int Width, int Height);

/// <summary>
/// A size-bounded picture of a whole variable in its native grid (no reprojection), north up: the coarsest level
/// that still has at least the requested edge, read with a stride.
/// </summary>
internal static class PreviewReader
{
    /// <summary>
    /// Pure level choice: the coarsest level (holding every variable) whose longer edge is at least
    /// <paramref name="maxSize"/>, else the finest; the stride then brings the longer edge to at most maxSize.
    /// </summary>
    public static PreviewPlan Plan(GeoDataset dataset, IReadOnlyCollection<string> variables, int maxSize)
    {
        int chosen = -1;
        for (int i = 0; i < dataset.Levels.Count; i++)
        {
            var level = dataset.Levels[i];
            if (!variables.All(level.Variables.ContainsKey))
            {
                continue;
            }

            var grid = level.Variables[variables.First()].Grid;
            if (chosen < 0 || Math.Max(grid.Width, grid.Height) >= maxSize)
            {
                chosen = i;
            }
        }

        if (chosen < 0)
        {
            throw new NotFoundException("Unknown variable", $"No level of dataset '{dataset.Id}' holds all of: {string.Join(", ", variables)}.", "variable");
        }

        var g = dataset.Levels[chosen].Variables[variables.First()].Grid;
        int longer = Math.Max(g.Width, g.Height);
        int step = Math.Max(1, (longer + maxSize - 1) / maxSize);
        return new PreviewPlan(chosen, step, (g.Width + step - 1) / step, (g.Height + step - 1) / step);
    }

    /// <summary>The planned level read whole with the stride, labelled with the grid's bounds.</summary>
    public static async ValueTask<RasterData> ReadAsync(GeoDataset dataset, IReadOnlyList<BandSource> bands, int maxSize, CancellationToken cancellationToken)
    {
        var plan = Plan(dataset, bands.Select(b => b.Variable).Distinct().ToArray(), maxSize);
        var grid = dataset.Levels[plan.LevelIndex].Variables[bands[0].Variable].Grid;
        var window = new PixelWindow(0, 0, plan.Height, plan.Width, plan.Step);
        return await AreaReader.ReadBandsAsync(dataset, bands, new NativeWindow(plan.LevelIndex, 0, 0, grid.Height, grid.Width, plan.Step), grid.Bounds,
            (variable, others, plane, ct) => variable.ReadPlaneAsync(others, window, plane, ct), cancellationToken).ConfigureAwait(false);
    }
}
