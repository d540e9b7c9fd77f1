using System.Buffers;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;

namespace TileServer.Reading.Areas;

/// <summary>
/// Reads a <see cref="NativeWindow"/> of every band into a north-up <see cref="RasterData"/> holding the stored
/// (decoded) values: no resampling. On grids that wrap the globe the window's columns continue across the seam.
/// </summary>
internal static class AreaReader
{
    public static async ValueTask<RasterData> ReadAsync(GeoDataset dataset, IReadOnlyList<BandSource> bands, NativeWindow window, CancellationToken cancellationToken)
    {
        var grid = dataset.Levels[window.LevelIndex].Variables[bands[0].Variable].Grid;
        return await ReadBandsAsync(dataset, bands, window, NativeWindowPlanner.Bounds(grid, window),
            (variable, others, plane, ct) => ReadPlaneAsync(variable, others, window, plane, ct), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Every band's plane of the window's output size, read by <paramref name="readPlane"/> and turned north up, as one
    /// raster of the window's level and stride, with <paramref name="bounds"/>.
    /// </summary>
    internal static async ValueTask<RasterData> ReadBandsAsync(GeoDataset dataset, IReadOnlyList<BandSource> bands, NativeWindow window, Extent bounds,
        Func<GeoVariable, IReadOnlyList<long>, Memory<float>, CancellationToken, ValueTask> readPlane, CancellationToken cancellationToken)
    {
        var level = dataset.Levels[window.LevelIndex];
        var crs = level.Variables[bands[0].Variable].Grid.Crs;
        int rows = window.OutRows, cols = window.OutCols, n = rows * cols;
        var values = ArrayPool<float>.Shared.Rent(Math.Max(1, checked(bands.Count * n)));
        try
        {
            for (int b = 0; b < bands.Count; b++)
            {
                var variable = level.Variables[bands[b].Variable];
                var plane = values.AsMemory(b * n, n);
                await readPlane(variable, bands[b].OtherIndices, plane, cancellationToken).ConfigureAwait(false);
                NorthUpOrder.Apply(plane.Span, cols, rows, variable.Grid.Transform);
            }

            return new RasterData(values, bands.Count, cols, rows, bounds, crs)
            {
                BandNames = BandNames.Of(level, bands),
                LevelIndex = window.LevelIndex,
                LevelPath = level.Path,
                Step = window.Step,
            };
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }
    }

    /// <summary>One plane; columns beyond the grid's width (a wrapping grid) are read as separate pieces modulo the width.</summary>
    private static async ValueTask ReadPlaneAsync(GeoVariable variable, IReadOnlyList<long> others, NativeWindow w, Memory<float> destination, CancellationToken ct)
    {
        int width = variable.Grid.Width;
        int rows = w.OutRows, cols = w.OutCols;
        long first = Mod(w.Col, width);
        if (first + ((long)(cols - 1) * w.Step) < width)
        {
            await variable.ReadPlaneAsync(others, new PixelWindow(w.Row, first, rows, cols, w.Step), destination, ct).ConfigureAwait(false);
            return;
        }

        int k = 0;
        while (k < cols)
        {
            long start = Mod(w.Col + ((long)k * w.Step), width);
            int count = (int)Math.Min(cols - k, ((width - start - 1) / w.Step) + 1);
            var temp = ArrayPool<float>.Shared.Rent(rows * count);
            try
            {
                await variable.ReadPlaneAsync(others, new PixelWindow(w.Row, start, rows, count, w.Step), temp.AsMemory(0, rows * count), ct).ConfigureAwait(false);
                var dst = destination.Span;
                for (int r = 0; r < rows; r++)
                {
                    temp.AsSpan(r * count, count).CopyTo(dst.Slice((r * cols) + k, count));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(temp);
            }

            k += count;
        }
    }

    private static long Mod(long a, long m) => ((a % m) + m) % m;
}
