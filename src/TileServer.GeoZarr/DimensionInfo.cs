namespace TileServer.GeoZarr;

/// <summary>
/// A dimension of a variable with its coordinate values where known. Time coordinates are decoded
/// (CF units and calendar) into <see cref="Labels"/> as ISO 8601.
/// </summary>
public sealed record DimensionInfo
{
    public required string Name { get; init; }
    public required long Size { get; init; }

    /// <summary>Numeric coordinate values (raw, for time: the stored offsets); null when the dimension has no coordinate array.</summary>
    public IReadOnlyList<double>? Values { get; init; }

    /// <summary>Display labels: ISO 8601 for time, the number otherwise; null when there are no coordinates.</summary>
    public IReadOnlyList<string>? Labels { get; init; }

    public string? Units { get; init; }
    public bool IsTime { get; init; }

    /// <summary>The CF time decoding of a time dimension (to turn ISO selections back into offsets).</summary>
    public CfTime? Time { get; init; }

    /// <summary>"x", "y" for the spatial dimensions, null for others.</summary>
    public string? SpatialRole { get; init; }
}
