using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading.Selection;
using TileServer.Tiling;

namespace TileServer.Reading.Raster;

/// <summary>An output raster to fill: bounds in a CRS (GIS order) and a size in pixels.</summary>
public readonly record struct RasterArea(Extent Bounds, CrsInfo Crs, int Width, int Height);

/// <summary>The tile matrix an area comes from, so a pyramid built on the same TileMatrixSet answers with its matching level.</summary>
public sealed record TileMatrixHint(TileMatrixSet Tms, TileMatrix Matrix);

/// <summary>
/// Fills a <see cref="RasterArea"/> from a dataset: picks the pyramid level, plans the warp, reads each band's source
/// window once (bands in parallel) and resamples. Thread-safe; caches coordinate transforms per CRS pair.
/// </summary>
public sealed class RasterReader
{
    /// <summary>Largest output edge of one read.</summary>
    public const int MaxEdge = 8192;

    private readonly CrsRegistry _crs;
    private readonly ReaderOptions _options;
    private readonly WarpOptions _warp;
    private readonly ConcurrentDictionary<(CrsInfo From, CrsInfo To), CachedTransform> _transforms = new();

    public RasterReader(CrsRegistry crs, ReaderOptions options)
    {
        _crs = crs;
        _options = options;
        _warp = options.Warp;
    }

    public CrsRegistry CrsRegistry => _crs;

    public async ValueTask<RasterData> ReadAsync(GeoDataset dataset, IReadOnlyList<BandSource> bands, RasterArea area, ResamplingMethod resampling, TileMatrixHint? hint, CancellationToken ct)
    {
        long t0 = Stopwatch.GetTimestamp();
        if (area.Width < 1 || area.Height < 1 || area.Width > MaxEdge || area.Height > MaxEdge)
        {
            throw new TooLargeException($"An image of {area.Width} × {area.Height} pixels is outside 1..{MaxEdge} per side.");
        }

        var levels = dataset.Levels;
        int levelIndex = ChooseLevel(dataset, bands, area, hint);
        var level = levels[levelIndex];
        var variables = new GeoVariable[bands.Count];
        for (int b = 0; b < variables.Length; b++)
        {
            variables[b] = level.Variables[bands[b].Variable];
        }

        var grid = variables.Length > 0 ? variables[0].Grid : level.Grid;
        if (variables.Any(v => !Equals(v.Grid, grid)))
        {
            throw new BadRequestException("variable", $"The variables {string.Join(", ", variables.Select(v => v.Name).Distinct())} of dataset '{dataset.Id}' lie on different grids and cannot be read as bands of one image.");
        }

        int w = area.Width, h = area.Height, n = w * h;
        int total = checked(variables.Length * n);
        var values = ArrayPool<float>.Shared.Rent(Math.Max(total, 1));
        using var plan = WarpPlanner.Plan(area.Bounds, w, h, grid, GetTransform(area.Crs, grid.Crs), resampling, _warp);
        long t1 = Stopwatch.GetTimestamp();
        if (!plan.AnyInside || variables.Length == 0)
        {
            values.AsSpan(0, total).Fill(float.NaN);
            return Result(values, bands, area, level, levelIndex, new RasterTimings(Ms(t0, t1), 0, 0), null);
        }

        int bufLen = checked((int)plan.BufferPixelCount);
        var buffers = new float[variables.Length][];
        try
        {
            for (int b = 0; b < buffers.Length; b++)
            {
                buffers[b] = ArrayPool<float>.Shared.Rent(bufLen);
            }

            if (variables.Length == 1)
            {
                await ReadBandAsync(variables[0], bands[0].OtherIndices, plan, buffers[0], ct).ConfigureAwait(false);
            }
            else
            {
                var tasks = new Task[variables.Length];
                for (int b = 0; b < tasks.Length; b++)
                {
                    tasks[b] = ReadBandAsync(variables[b], bands[b].OtherIndices, plan, buffers[b], ct).AsTask();
                }

                await Task.WhenAll(tasks).ConfigureAwait(false);
            }

            long t2 = Stopwatch.GetTimestamp();
            var repeatedRows = Resample(plan, resampling, buffers, bufLen, values, w, h);
            long t3 = Stopwatch.GetTimestamp();
            return Result(values, bands, area, level, levelIndex, new RasterTimings(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3)), repeatedRows);
        }
        catch
        {
            ArrayPool<float>.Shared.Return(values);
            throw;
        }
        finally
        {
            foreach (var buf in buffers)
            {
                if (buf is not null)
                {
                    ArrayPool<float>.Shared.Return(buf);
                }
            }
        }
    }

    /// <summary>A tile of a TileMatrixSet, <paramref name="size"/> pixels a side.</summary>
    public ValueTask<RasterData> ReadTileAsync(GeoDataset dataset, IReadOnlyList<BandSource> bands, TileMatrixSet tms, TileMatrix matrix, long col, long row, int size, ResamplingMethod resampling, CancellationToken ct)
        => ReadAsync(dataset, bands, new RasterArea(tms.TileBounds(matrix, col, row), tms.Crs, size, size), resampling, new TileMatrixHint(tms, matrix), ct);

    /// <summary>
    /// The level to read: among the levels holding every band's variable, the one matching a TMS-aligned pyramid's
    /// matrix, else the coarsest whose cells are no larger than the output's (<see cref="LevelSelector"/>).
    /// </summary>
    public int ChooseLevel(GeoDataset dataset, IReadOnlyList<BandSource> bands, RasterArea area, TileMatrixHint? hint)
    {
        var levels = dataset.Levels;
        var candidates = new List<int>(levels.Count);
        for (int i = 0; i < levels.Count; i++)
        {
            if (bands.All(b => levels[i].Variables.ContainsKey(b.Variable)))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            throw new NotFoundException("Unknown variable", $"No level of dataset '{dataset.Id}' holds all of: {string.Join(", ", bands.Select(b => b.Variable).Distinct())}.", "variable");
        }

        var toFinest = GetTransform(area.Crs, levels[candidates[0]].Grid.Crs);
        double cell = LevelSelector.TileCellSizeInCrs(area.Bounds, area.Width, area.Height, toFinest);
        var pyramid = candidates.ConvertAll(i => new PyramidLevel(levels[i].Grid, levels[i].TileMatrixId));
        int chosen = hint is null
            ? LevelSelector.SelectIndex(pyramid.ConvertAll(p => p.Grid), cell, _options.LevelBias)
            : LevelSelector.Select(pyramid, dataset.TileMatrixSetId, hint.Tms, hint.Matrix, cell, _options.LevelBias);
        return candidates[chosen];
    }

    /// <summary>Transform from <paramref name="from"/> to <paramref name="to"/> (GIS order), or null when they are the same CRS.</summary>
    public ICoordinateTransform? GetTransform(CrsInfo from, CrsInfo to)
    {
        if (SameCrs(from, to))
        {
            return null;
        }

        return _transforms.GetOrAdd((from, to), static (key, crs) =>
        {
            var t = crs.CreateTransform(key.From, key.To);
            return new CachedTransform(t.IsIdentity ? null : t);
        }, _crs).Transform;
    }

    internal static bool SameCrs(CrsInfo a, CrsInfo b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (a.Code is null || b.Code is null)
        {
            return false;
        }

        return string.Equals(a.Code, b.Code, StringComparison.OrdinalIgnoreCase) || (IsWgs84LonLat(a.Code) && IsWgs84LonLat(b.Code));
    }

    // In GIS order EPSG:4326 and OGC:CRS84 are the same coordinates.
    private static bool IsWgs84LonLat(string code) => code.Equals("EPSG:4326", StringComparison.OrdinalIgnoreCase) || code.Equals("OGC:CRS84", StringComparison.OrdinalIgnoreCase);

    private static RasterData Result(float[] values, IReadOnlyList<BandSource> bands, RasterArea area, DatasetLevel level, int levelIndex, RasterTimings timings, bool[]? repeatedRows)
        => new(values, bands.Count, area.Width, area.Height, area.Bounds, area.Crs)
        {
            BandNames = BandNames.Of(level, bands),
            LevelIndex = levelIndex,
            LevelPath = level.Path,
            Timings = timings,
            RepeatedRows = repeatedRows,
        };

    /// <summary>Resamples every band's source buffer into its output plane; returns the repeated-row flags when known.</summary>
    private static bool[]? Resample(WarpPlan plan, ResamplingMethod resampling, float[][] buffers, int bufLen, float[] values, int w, int h)
    {
        int n = w * h;
        if (resampling == ResamplingMethod.Nearest && plan.IsSeparable)
        {
            var colIndex = ArrayPool<int>.Shared.Rent(w);
            var rowOffset = ArrayPool<int>.Shared.Rent(h);
            try
            {
                Resampler.NearestAxes(plan, colIndex.AsSpan(0, w), rowOffset.AsSpan(0, h));
                for (int b = 0; b < buffers.Length; b++)
                {
                    Resampler.GatherAxes(buffers[b].AsSpan(0, bufLen), colIndex.AsSpan(0, w), rowOffset.AsSpan(0, h), values.AsSpan(b * n, n));
                }

                return Resampler.RepeatedRows(rowOffset.AsSpan(0, h));
            }
            finally
            {
                ArrayPool<int>.Shared.Return(colIndex);
                ArrayPool<int>.Shared.Return(rowOffset);
            }
        }

        if (resampling == ResamplingMethod.Nearest)
        {
            var indices = ArrayPool<int>.Shared.Rent(n);
            try
            {
                Resampler.NearestIndices(plan, indices);
                for (int b = 0; b < buffers.Length; b++)
                {
                    Resampler.Gather(buffers[b].AsSpan(0, bufLen), indices.AsSpan(0, n), values.AsSpan(b * n, n));
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(indices);
            }

            return null;
        }

        for (int b = 0; b < buffers.Length; b++)
        {
            Resampler.Resample(buffers[b].AsSpan(0, bufLen), plan, resampling, values.AsSpan(b * n, n));
        }

        return null;
    }

    private static async ValueTask ReadBandAsync(GeoVariable variable, IReadOnlyList<long> otherIndices, WarpPlan plan, float[] buffer, CancellationToken ct)
    {
        var dst = buffer.AsMemory(0, checked((int)plan.BufferPixelCount));
        if (plan.IsSingleWindow)
        {
            await variable.ReadPlaneAsync(otherIndices, plan.Pieces[0].Window, dst, ct).ConfigureAwait(false);
            return;
        }

        // Wrapped longitude: each piece is a separate (strided) read copied into its columns of the buffer.
        foreach (var piece in plan.Pieces)
        {
            int count = checked((int)piece.Window.PixelCount);
            var temp = ArrayPool<float>.Shared.Rent(count);
            try
            {
                await variable.ReadPlaneAsync(otherIndices, piece.Window, temp.AsMemory(0, count), ct).ConfigureAwait(false);
                int pc = piece.Window.Cols;
                for (int r = 0; r < plan.BufferRows; r++)
                {
                    temp.AsSpan(r * pc, pc).CopyTo(buffer.AsSpan((r * plan.BufferCols) + piece.DestCol, pc));
                }
            }
            finally
            {
                ArrayPool<float>.Shared.Return(temp);
            }
        }
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;

    private sealed record CachedTransform(ICoordinateTransform? Transform);
}
