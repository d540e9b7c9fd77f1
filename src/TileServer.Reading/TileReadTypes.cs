using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Tiling;

namespace TileServer.Reading;

/// <summary>One output band: a variable of the dataset and the indices of its non-spatial dimensions (in order).</summary>
public sealed record BandSource(string Variable, IReadOnlyList<long> OtherIndices);

/// <summary>A tile to make: bands of <paramref name="Dataset"/> on tile (<paramref name="Col"/>, <paramref name="Row"/>) of a matrix.</summary>
/// <param name="TileSize">Output pixels per side (may differ from the matrix's tileWidth, e.g. 512 for @2x).</param>
public sealed record TileReadRequest(GeoDataset Dataset, IReadOnlyList<BandSource> Bands, TileMatrixSet Tms, TileMatrix Matrix, long Col, long Row, int TileSize, ResamplingMethod Resampling);

/// <summary>Tunables of <see cref="TileReader"/>.</summary>
public sealed record TileReaderOptions
{
    /// <summary>Cost guard: source samples read per band and tile; beyond it the read is strided more coarsely.</summary>
    public long MaxSourcePixelsPerTile { get; init; } = 4_000_000;

    /// <summary>Level choice bias: a level qualifies when its cell size ≤ tile cell size × bias (1 = exact rule, &gt;1 = coarser levels).</summary>
    public double LevelBias { get; init; } = 1.0;

    /// <summary>Allowed error of the approximate transform, in source pixels.</summary>
    /// <remarks>
    /// 0.02 rather than GDAL's 0.125: the reference tiles are exact (-et 0) and a looser bound flips ~1 % of nearest
    /// pixels that sit near cell edges; blocks are subdivided only where needed, so the cost stays small.
    /// </remarks>
    public double ApproxErrorPixels { get; init; } = 0.02;
}

/// <summary>Wall-clock milliseconds per stage of one tile read (Server-Timing: plan, read, resample).</summary>
public sealed record TileReadTimings(double PlanMs, double ReadMs, double ResampleMs)
{
    public double TotalMs => PlanMs + ReadMs + ResampleMs;
}
