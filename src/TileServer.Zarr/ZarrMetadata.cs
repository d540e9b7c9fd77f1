using System.Text.Json.Nodes;

namespace TileServer.Zarr;

/// <summary>What a reader needs of an array's metadata, whatever the Zarr format.</summary>
public sealed record ZarrArrayMetadata
{
    public required int ZarrFormat { get; init; }
    public required IReadOnlyList<long> Shape { get; init; }

    /// <summary>Shape of the stored objects (for a sharded v3 array: the shard shape).</summary>
    public required IReadOnlyList<int> ChunkShape { get; init; }

    public required ZarrDataType DataType { get; init; }

    /// <summary>The fill value as a number (NaN/±Infinity allowed); null where v2 says <c>null</c>.</summary>
    public double? FillValue { get; init; }

    /// <summary>v3 <c>dimension_names</c> or v2 <c>_ARRAY_DIMENSIONS</c>; null when neither is given.</summary>
    public IReadOnlyList<string>? DimensionNames { get; init; }

    /// <summary>User attributes (<c>.zattrs</c> / v3 <c>attributes</c>), without <c>_ARRAY_DIMENSIONS</c>.</summary>
    public required JsonObject Attributes { get; init; }

    /// <summary>A short human description of the codecs, e.g. "zstd(9)" or "sharding(bytes,zstd)".</summary>
    public string CodecSummary { get; init; } = "";
}

public sealed record ZarrGroupMetadata
{
    public required int ZarrFormat { get; init; }
    public required JsonObject Attributes { get; init; }
}
