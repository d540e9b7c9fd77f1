using System.Buffers;
using TileServer.Api.Catalog;
using TileServer.Api.Rendering;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Rendering;
using TileServer.Tiling;

namespace TileServer.Api.Endpoints.Viewer;

/// <summary>How a preview reads its level: which level, the stride, and the output size.</summary>
public readonly record struct PreviewPlan(int LevelIndex, int Step, int Width, int Height);

/// <summary>
/// A size-bounded picture of a whole variable in its native grid (no reprojection), north up: the coarsest level
/// that still has at least the requested edge, read with a stride, rendered with the same style rules as tiles.
/// </summary>
public sealed class PreviewRenderer
{
    private readonly TileService _tiles;
    private readonly TileRenderer _renderer;

    public PreviewRenderer(TileService tiles, TileRenderer renderer)
    {
        _tiles = tiles;
        _renderer = renderer;
    }

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

        var g = dataset.Levels[chosen].Variables[variables.First()].Grid;
        int longer = Math.Max(g.Width, g.Height);
        int step = Math.Max(1, (longer + maxSize - 1) / maxSize);
        return new PreviewPlan(chosen, step, (g.Width + step - 1) / step, (g.Height + step - 1) / step);
    }

    public async Task<(RenderResult Image, PreviewPlan Plan)> RenderAsync(DatasetEntry entry, TileQuery query, ImageFormat format, int maxSize, CancellationToken cancellationToken)
    {
        var dataset = entry.Dataset!;
        var bands = BandSelection.Resolve(dataset, entry.Options.DefaultVariable, entry.Options.Rendering.Bidx, query);
        var style = await _tiles.ResolveStyleAsync(entry, bands, query, format, cancellationToken).ConfigureAwait(false);
        var plan = Plan(dataset, bands.Select(b => b.Variable).Distinct().ToArray(), maxSize);
        var level = dataset.Levels[plan.LevelIndex];

        int plane = plan.Width * plan.Height;
        var buffer = ArrayPool<float>.Shared.Rent(plane * bands.Count);
        try
        {
            var window = new PixelWindow(0, 0, plan.Height, plan.Width, plan.Step);
            for (int b = 0; b < bands.Count; b++)
            {
                var variable = level.Variables[bands[b].Variable];
                var memory = buffer.AsMemory(b * plane, plane);
                await variable.ReadPlaneAsync(bands[b].OtherIndices, window, memory, cancellationToken).ConfigureAwait(false);
                NorthUp(memory.Span, plan.Width, plan.Height, variable.Grid.Transform);
            }

            var values = buffer.AsSpan(0, plane * bands.Count);
            if (query.Nodata is { } nodata)
            {
                float nd = (float)nodata;
                foreach (ref float v in values)
                {
                    if (v == nd)
                    {
                        v = float.NaN;
                    }
                }
            }

            return (_renderer.Render(values, bands.Count, plan.Width, plan.Height, style with { Format = format, Quality = query.Quality }), plan);
        }
        finally
        {
            ArrayPool<float>.Shared.Return(buffer);
        }
    }

    /// <summary>Rows are stored south-first when y grows with the row (e.g. ascending latitudes); flip them, and columns running west.</summary>
    private static void NorthUp(Span<float> values, int width, int height, AffineTransform transform)
    {
        if (transform.E > 0)
        {
            for (int top = 0, bottom = height - 1; top < bottom; top++, bottom--)
            {
                var a = values.Slice(top * width, width);
                var b = values.Slice(bottom * width, width);
                for (int x = 0; x < width; x++)
                {
                    (a[x], b[x]) = (b[x], a[x]);
                }
            }
        }

        if (transform.A < 0)
        {
            for (int y = 0; y < height; y++)
            {
                values.Slice(y * width, width).Reverse();
            }
        }
    }
}
