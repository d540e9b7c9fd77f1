namespace TileServer.Reading;

/// <summary>How reads are sized and planned (<c>TileServer:Tiles</c>); one record, validated at startup.</summary>
public sealed record ReaderOptions
{
    /// <summary>Largest tile edge accepted (<c>tilesize=</c> or <c>@Nx</c>).</summary>
    public int MaxTileSize { get; init; } = 1024;

    /// <summary>Source samples one band of one read may take before a coarser rendition (a strided read) is used.</summary>
    public long MaxSourcePixelsPerTile { get; init; } = 4L * 1024 * 1024;

    /// <summary>Multiplies the output cell size before choosing a level (&gt;1 prefers coarser levels: faster, blurrier).</summary>
    public double LevelBias { get; init; } = 1.0;

    /// <summary>Largest error of the approximate reprojection, in source pixels.</summary>
    /// <remarks>
    /// 0.02 rather than GDAL's 0.125: the reference tiles are exact (-et 0) and a looser bound flips ~1 % of nearest
    /// pixels that sit near cell edges; blocks are subdivided only where needed, so the cost stays small.
    /// </remarks>
    public double ApproxErrorPixels { get; init; } = 0.02;

    /// <summary>Largest edge of a <c>/preview</c> image.</summary>
    public int MaxPreviewSize { get; init; } = 1024;

    /// <summary>Entries one <c>/point</c> answer may hold (variables × dimension values).</summary>
    public int MaxPointEntries { get; init; } = 10_000;

    /// <summary>
    /// Longest one read (a tile, an area, a preview, a point) may take. Store retries stop when the next attempt could
    /// not finish in time; a read that runs out of time fails with a 502 naming the deadline.
    /// </summary>
    public TimeSpan ReadDeadline { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Most bytes the cell index of one level of a curvilinear dataset may take (cell centres at 16 bytes a cell, plus
    /// its buckets: about 24 bytes a cell in all); a dataset needing more fails to open, saying so. 256 MiB by default.
    /// </summary>
    public long MaxGridIndexBytes { get; init; } = GeoZarr.GeoDatasetOptions.DefaultMaxGridIndexBytes;

    /// <summary>
    /// Values one area read (<c>/bbox</c>, <c>/feature</c> and <c>/statistics</c> in the native grid) may hold: cells ×
    /// bands × time steps. Past it the finest level that fits is read, and past the coarsest a strided read.
    /// </summary>
    public long MaxAreaPixels { get; init; } = 16L * 1024 * 1024;

    /// <summary>Largest GeoJSON request body, in bytes.</summary>
    public int MaxBodyBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary>Features one GeoJSON body may hold.</summary>
    public int MaxFeatures { get; init; } = 1000;

    /// <summary>Vertices all geometries of one body may hold together.</summary>
    public int MaxVertices { get; init; } = 200_000;

    /// <summary>What the warp planner takes from these options.</summary>
    public Tiling.WarpOptions Warp => new() { ApproxErrorPixels = ApproxErrorPixels, MaxSourcePixels = MaxSourcePixelsPerTile };

    public IEnumerable<string> Validate(string prefix) => OptionChecks.Problems(
        OptionChecks.Between(prefix, nameof(MaxAreaPixels), MaxAreaPixels, 65536, 1L << 28),
        OptionChecks.Between(prefix, nameof(MaxBodyBytes), MaxBodyBytes, 1024, 256 * 1024 * 1024),
        OptionChecks.AtLeast(prefix, nameof(MaxFeatures), MaxFeatures, 1),
        OptionChecks.AtLeast(prefix, nameof(MaxVertices), MaxVertices, 4),
        OptionChecks.Between(prefix, nameof(MaxTileSize), MaxTileSize, 256, 4096),
        OptionChecks.AtLeast(prefix, nameof(MaxSourcePixelsPerTile), MaxSourcePixelsPerTile, 65536),
        LevelBias > 0 && !double.IsInfinity(LevelBias) ? null : $"{prefix}:LevelBias must be a finite number > 0",
        ApproxErrorPixels is > 0 and <= 1 ? null : $"{prefix}:ApproxErrorPixels must be in (0, 1]",
        OptionChecks.Between(prefix, nameof(MaxPreviewSize), MaxPreviewSize, 1, Raster.RasterReader.MaxEdge),
        OptionChecks.AtLeast(prefix, nameof(MaxPointEntries), MaxPointEntries, 1),
        ReadDeadline >= TimeSpan.FromMilliseconds(100) && ReadDeadline <= TimeSpan.FromMinutes(10)
            ? null : $"{prefix}:ReadDeadline must be between 0.1 s and 10 min (is {ReadDeadline})",
        MaxGridIndexBytes >= 1024 * 1024 ? null : $"{prefix}:MaxGridIndexBytes must be at least 1048576 (1 MiB)");
}
