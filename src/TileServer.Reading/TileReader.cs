using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Tiling;

namespace TileServer.Reading;

/// <summary>
/// Makes <see cref="RasterTile"/>s: picks the pyramid level, plans the warp, reads each band's source window once
/// (bands in parallel) and resamples. Thread-safe; holds a cache of coordinate transforms.
/// </summary>
public sealed class TileReader
{
    private readonly CrsRegistry _crs;
    private readonly TileReaderOptions _options;
    private readonly WarpOptions _warp;
    private readonly ConcurrentDictionary<(CrsInfo From, CrsInfo To), CachedTransform> _transforms = new();

    public TileReader(CrsRegistry crs, TileReaderOptions options)
    {
        _crs = crs;
        _options = options;
        _warp = new WarpOptions { ApproxErrorPixels = options.ApproxErrorPixels, MaxSourcePixels = options.MaxSourcePixelsPerTile };
    }

    public async ValueTask<RasterTile> ReadAsync(TileReadRequest request, CancellationToken ct)
    {
        long t0 = Stopwatch.GetTimestamp();
        var levels = request.Dataset.Levels;
        if (levels.Count == 0)
        {
            throw new ArgumentException($"dataset '{request.Dataset.Id}' has no levels", nameof(request));
        }

        if (request.TileSize < 1 || request.TileSize > 4096)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"tile size {request.TileSize} outside 1..4096");
        }

        int size = request.TileSize;
        var bounds = request.Tms.TileBounds(request.Matrix, request.Col, request.Row);
        var toFinest = GetTransform(request.Tms.Crs, levels[0].Grid.Crs);
        double tileCell = LevelSelector.TileCellSizeInCrs(bounds, size, size, toFinest);
        // Levels may hold a subset of the variables: choose among those that have every requested one.
        var candidates = new List<int>(levels.Count);
        for (int i = 0; i < levels.Count; i++)
        {
            if (request.Bands.All(b => levels[i].Variables.ContainsKey(b.Variable)))
            {
                candidates.Add(i);
            }
        }

        if (candidates.Count == 0)
        {
            throw new ArgumentException($"no level of dataset '{request.Dataset.Id}' holds all of: {string.Join(", ", request.Bands.Select(b => b.Variable).Distinct())}", nameof(request));
        }

        var pyramid = candidates.ConvertAll(i => new PyramidLevel(levels[i].Grid, levels[i].TileMatrixId));
        int levelIndex = candidates[LevelSelector.Select(pyramid, request.Dataset.TileMatrixSetId, request.Tms, request.Matrix, tileCell, _options.LevelBias)];
        var level = levels[levelIndex];
        var variables = new GeoVariable[request.Bands.Count];
        for (int b = 0; b < variables.Length; b++)
        {
            string name = request.Bands[b].Variable;
            variables[b] = level.Variables.GetValueOrDefault(name)
                ?? throw new ArgumentException($"variable '{name}' does not exist in level '{level.Path}' of dataset '{request.Dataset.Id}'", nameof(request));
        }

        int total = checked(variables.Length * size * size);
        var values = ArrayPool<float>.Shared.Rent(Math.Max(total, 1));
        using var plan = WarpPlanner.Plan(bounds, size, size, level.Grid, GetTransform(request.Tms.Crs, level.Grid.Crs), request.Resampling, _warp);
        long t1 = Stopwatch.GetTimestamp();
        if (!plan.AnyInside || variables.Length == 0)
        {
            values.AsSpan(0, total).Fill(float.NaN);
            return new RasterTile(values, variables.Length, size, size, bounds)
            {
                IsPooled = true,
                Timings = new TileReadTimings(Ms(t0, t1), 0, 0),
                LevelIndex = levelIndex,
            };
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
                await ReadBandAsync(variables[0], request.Bands[0].OtherIndices, plan, buffers[0], ct).ConfigureAwait(false);
            }
            else
            {
                var tasks = new Task[variables.Length];
                for (int b = 0; b < tasks.Length; b++)
                {
                    tasks[b] = ReadBandAsync(variables[b], request.Bands[b].OtherIndices, plan, buffers[b], ct).AsTask();
                }

                await Task.WhenAll(tasks).ConfigureAwait(false);
            }

            long t2 = Stopwatch.GetTimestamp();
            int n = size * size;
            bool[]? repeatedRows = null;
            if (request.Resampling == ResamplingMethod.Nearest && plan.IsSeparable)
            {
                Span<int> colIndex = size <= 1024 ? stackalloc int[size] : new int[size];
                Span<int> rowOffset = size <= 1024 ? stackalloc int[size] : new int[size];
                Resampler.NearestAxes(plan, colIndex, rowOffset);
                for (int b = 0; b < buffers.Length; b++)
                {
                    Resampler.GatherAxes(buffers[b].AsSpan(0, bufLen), colIndex, rowOffset, values.AsSpan(b * n, n));
                }

                repeatedRows = Resampler.RepeatedRows(rowOffset);
            }
            else if (request.Resampling == ResamplingMethod.Nearest)
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
            }
            else
            {
                for (int b = 0; b < buffers.Length; b++)
                {
                    Resampler.Resample(buffers[b].AsSpan(0, bufLen), plan, request.Resampling, values.AsSpan(b * n, n));
                }
            }

            long t3 = Stopwatch.GetTimestamp();
            return new RasterTile(values, variables.Length, size, size, bounds)
            {
                IsPooled = true,
                Timings = new TileReadTimings(Ms(t0, t1), Ms(t1, t2), Ms(t2, t3)),
                LevelIndex = levelIndex,
                RepeatedRows = repeatedRows,
            };
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

    /// <summary>
    /// Transform from <paramref name="from"/> to <paramref name="to"/> (GIS order), or null when they are the same CRS.
    /// Cached per pair of CRS instances.
    /// </summary>
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
