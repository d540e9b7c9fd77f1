using TileServer.Crs;

namespace TileServer.GeoZarr;

/// <summary>One level of a dataset: a grid and the variables stored on it.</summary>
public sealed record DatasetLevel
{
    /// <summary>Group path of the level inside the store ("" for a single-level dataset).</summary>
    public required string Path { get; init; }

    public required GridGeometry Grid { get; init; }
    public required IReadOnlyDictionary<string, GeoVariable> Variables { get; init; }

    /// <summary>Tile matrix id when the pyramid is TMS-based (GeoZarr TMS multiscales), else null.</summary>
    public string? TileMatrixId { get; init; }
}

/// <summary>
/// A dataset opened from a Zarr store: its levels (finest first), variables and metadata.
/// Immutable once opened; shared by all requests.
/// </summary>
public sealed record GeoDataset
{
    public required string Id { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public string? Attribution { get; init; }

    /// <summary>Levels ordered finest first; a dataset without a pyramid has one.</summary>
    public required IReadOnlyList<DatasetLevel> Levels { get; init; }

    /// <summary>Data variable names (of the finest level) in a stable order.</summary>
    public required IReadOnlyList<string> VariableNames { get; init; }

    /// <summary>How the pyramid was described: "geozarr-tms", "zarr-conventions", "ndpyramid", "datatree" or "none".</summary>
    public string MultiscaleLayout { get; init; } = "none";

    /// <summary>TileMatrixSet id for TMS-based pyramids (e.g. "WebMercatorQuad").</summary>
    public string? TileMatrixSetId { get; init; }

    /// <summary>A TileMatrixSet given inline in the multiscales metadata (TMS 2.0 JSON), if any.</summary>
    public System.Text.Json.Nodes.JsonObject? InlineTileMatrixSet { get; init; }

    /// <summary>Attributes of the root group.</summary>
    public System.Text.Json.Nodes.JsonObject Attributes { get; init; } = [];

    /// <summary>Things a user should know about how the metadata was read (fallbacks, ignored attributes).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public DatasetLevel Finest => Levels[0];

    public GeoVariable? FindVariable(string name) => Finest.Variables.GetValueOrDefault(name);
}
