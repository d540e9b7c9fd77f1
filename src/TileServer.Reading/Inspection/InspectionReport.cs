using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace TileServer.Reading.Inspection;

/// <summary>What to inspect: a location, an Icechunk ref (null = by layout and <c>branch:main</c>) and optionally one array's values.</summary>
public sealed record InspectionRequest
{
    public required string Path { get; init; }
    public string? Ref { get; init; }

    /// <summary>An array whose values to read in full; null = none.</summary>
    public string? ValuesOf { get; init; }
}

/// <summary>
/// What the server sees in a store: where it is and what kind it is, every group and array with its metadata, what the
/// server understands of it as a dataset, and every problem found. <see cref="Readable"/> is false when the store or the
/// ref could not be read at all.
/// </summary>
public sealed record InspectionReport
{
    public required string Path { get; init; }
    public required bool Readable { get; init; }

    /// <summary>"Zarr store" or "Icechunk repository, branch:main at snapshot … (…)"; null when unreadable.</summary>
    public string? Source { get; init; }

    /// <summary>The Icechunk snapshot read; null for Zarr.</summary>
    public string? Snapshot { get; init; }

    /// <summary>2 or 3; 0 when unknown.</summary>
    public int ZarrFormat { get; init; }
    public bool Consolidated { get; init; }

    /// <summary>How the nodes were found: consolidated metadata, the repository's snapshot, a listing of the store, or only the root.</summary>
    public string? NodesFrom { get; init; }

    public IReadOnlyList<InspectedNode> Nodes { get; init; } = [];
    public InspectedDataset? Dataset { get; init; }
    public IReadOnlyList<InspectionProblem> Problems { get; init; } = [];

    /// <summary>The array whose values were read (<see cref="InspectionRequest.ValuesOf"/>) and its values; null when none were asked or they could not be read.</summary>
    public ArrayValues? Values { get; init; }
}

/// <summary>A group or an array. Array members are null for groups, and for an array whose metadata could not be read.</summary>
public sealed record InspectedNode
{
    /// <summary>Path inside the store, "" for the root.</summary>
    public required string Path { get; init; }

    /// <summary>"group" or "array".</summary>
    public required string NodeType { get; init; }
    public int ZarrFormat { get; init; }
    public IReadOnlyList<long>? Shape { get; init; }

    /// <summary>numpy-style name: int16, float32, bool…</summary>
    public string? DataType { get; init; }

    /// <summary>The chunks values are decoded in (for a sharded array, the inner chunks).</summary>
    public IReadOnlyList<int>? ChunkShape { get; init; }

    /// <summary>The stored objects' shape of a sharded array; null when not sharded.</summary>
    public IReadOnlyList<int>? ShardShape { get; init; }
    public string? Codecs { get; init; }

    /// <summary>The fill value: a number, "NaN"/"Infinity"/"-Infinity", or null.</summary>
    public JsonNode? FillValue { get; init; }
    public IReadOnlyList<string>? DimensionNames { get; init; }
    public JsonObject Attributes { get; init; } = [];
}

/// <summary>What the server understands of the store as a dataset (null on the report when it could not open it as one).</summary>
public sealed record InspectedDataset
{
    public required IReadOnlyList<string> Variables { get; init; }

    /// <summary>"EPSG:4326" or the start of the WKT of a CRS without a code.</summary>
    public required string Crs { get; init; }

    /// <summary>Where the CRS came from, e.g. "CF grid_mapping variable 'spatial_ref' (crs_wkt)".</summary>
    public required string CrsSource { get; init; }

    /// <summary>The y and x dimension names of the first variable.</summary>
    public required string YDimension { get; init; }
    public required string XDimension { get; init; }

    /// <summary>"regular" (axis-aligned affine) or "affine (rotated or sheared)".</summary>
    public required string GridKind { get; init; }

    /// <summary>"none", "geozarr-tms", "zarr-conventions", "ndpyramid" or "datatree".</summary>
    public required string MultiscaleLayout { get; init; }
    public required IReadOnlyList<InspectedLevel> Levels { get; init; }
    public InspectedTime? Time { get; init; }

    /// <summary>How the metadata was read: fallbacks and assumptions.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>One pyramid level: its group, grid size, resolution, GDAL geotransform and bounds (non-finite numbers as "NaN", "Infinity", "-Infinity").</summary>
public sealed record InspectedLevel(
    string Path, int Width, int Height, double ResolutionX, double ResolutionY,
    [property: JsonPropertyName("geotransform"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] IReadOnlyList<double> GeoTransform,
    [property: JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] IReadOnlyList<double> Bounds,
    string? TileMatrix);

/// <summary>The time dimension: its name, how many steps, the first and last as ISO 8601.</summary>
public sealed record InspectedTime(string Dimension, long Count, string? First, string? Last);

/// <summary>A problem found, where (node path, "" for the store itself) and of which kind (<see cref="FailureKind"/> name).</summary>
public sealed record InspectionProblem(string Path, string Kind, string Message);

/// <summary>
/// An array's values as stored, after the Zarr codecs (what zarr-python's <c>array[...]</c> gives): no CF scale/offset or
/// nodata masking. Integers are exact; floats are doubles; bools are 0/1 in <see cref="Numbers"/> with
/// <see cref="IsBool"/> set.
/// </summary>
public sealed record ArrayValues(string Path, IReadOnlyList<long> Shape, string DataType, ArrayValueBuffer Numbers)
{
    public bool IsBool => DataType == "bool";
}

/// <summary>One of three exact representations of an array's elements, by data type.</summary>
public sealed record ArrayValueBuffer(long[]? Signed, ulong[]? Unsigned, double[]? Floats)
{
    public long Count => Signed?.LongLength ?? Unsigned?.LongLength ?? Floats?.LongLength ?? 0;
}
