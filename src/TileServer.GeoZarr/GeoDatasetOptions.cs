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
}
