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

    public IEnumerable<string> Validate(string prefix)
    {
        if (MaxAreaPixels is < 65536 or > 1L << 28)
        {
            yield return $"{prefix}:MaxAreaPixels must be between 65536 and {1L << 28}";
        }

        if (MaxBodyBytes is < 1024 or > 256 * 1024 * 1024)
        {
            yield return $"{prefix}:MaxBodyBytes must be between 1024 and {256 * 1024 * 1024}";
        }

        if (MaxFeatures < 1)
        {
            yield return $"{prefix}:MaxFeatures must be at least 1";
        }

        if (MaxVertices < 4)
        {
            yield return $"{prefix}:MaxVertices must be at least 4";
        }

        if (MaxTileSize is < 256 or > 4096)
        {
            yield return $"{prefix}:MaxTileSize must be between 256 and 4096";
        }

        if (MaxSourcePixelsPerTile < 65536)
        {
            yield return $"{prefix}:MaxSourcePixelsPerTile must be at least 65536";
        }

        if (!(LevelBias > 0) || double.IsInfinity(LevelBias))
        {
            yield return $"{prefix}:LevelBias must be a finite number > 0";
        }

        if (!(ApproxErrorPixels is > 0 and <= 1))
        {
            yield return $"{prefix}:ApproxErrorPixels must be in (0, 1]";
        }

        if (MaxPreviewSize is < 1 or > Raster.RasterReader.MaxEdge)
        {
            yield return $"{prefix}:MaxPreviewSize must be between 1 and {Raster.RasterReader.MaxEdge}";
        }

        if (MaxPointEntries < 1)
        {
            yield return $"{prefix}:MaxPointEntries must be at least 1";
        }

        if (MaxGridIndexBytes < 1024 * 1024)
        {
            yield return $"{prefix}:MaxGridIndexBytes must be at least 1048576 (1 MiB)";
        }
    }
}
