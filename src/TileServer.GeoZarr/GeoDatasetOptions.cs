namespace TileServer.GeoZarr;

/// <summary>What the catalog may say about a dataset to complete or override its metadata.</summary>
public sealed record GeoDatasetOptions
{
    public required string Id { get; init; }
    public string? Title { get; init; }
    public string? Attribution { get; init; }

    /// <summary>Data variables to serve; required when the store has no consolidated metadata (stores cannot be listed).</summary>
    public IReadOnlyList<string>? Variables { get; init; }

    /// <summary>CRS (code, URI or WKT) that overrides whatever the metadata says.</summary>
    public string? Crs { get; init; }

    /// <summary>A stored value meaning "no data", added to the variables' own fill values.</summary>
    public double? Nodata { get; init; }

    /// <summary>
    /// Most bytes the cell index of one curvilinear level may take (its centres, 16 bytes a cell, and its buckets); a
    /// grid needing more fails the open with a message saying so. The reader's options set it (MaxGridIndexBytes).
    /// </summary>
    public long MaxGridIndexBytes { get; init; } = DefaultMaxGridIndexBytes;

    /// <summary>256 MiB: a curvilinear grid of about 9 million cells (3000 × 3000).</summary>
    public const long DefaultMaxGridIndexBytes = 256L * 1024 * 1024;
}
