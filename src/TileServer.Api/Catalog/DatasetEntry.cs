using TileServer.Api.Options;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Api.Catalog;

/// <summary>A configured dataset and what opening it gave: the dataset, or the reason it is unavailable.</summary>
public sealed record DatasetEntry
{
    public required string Id { get; init; }
    public required DatasetOptions Options { get; init; }

    /// <summary>Where the store is, as configured (credentials never appear here).</summary>
    public required string Location { get; init; }

    public GeoDataset? Dataset { get; init; }

    /// <summary>WGS84 bounds and zoom range; set whenever <see cref="Dataset"/> is.</summary>
    public DatasetGeography? Geography { get; init; }

    /// <summary>Why the dataset could not be opened; null when it is open.</summary>
    public string? Error { get; init; }

    /// <summary>Stable hash of the dataset's metadata; changes when the data's metadata does. Part of every ETag.</summary>
    public string Version { get; init; } = "";

    public DateTimeOffset CheckedAt { get; init; }

    public bool IsDemo { get; init; }
}
