using TileServer.Storage;

namespace TileServer.Api.Options;

/// <summary>Section <c>TileServer</c> of the configuration (appsettings.json, environment, command line).</summary>
public sealed class TileServerOptions
{
    public const string SectionName = "TileServer";

    /// <summary>Datasets by id. When empty, the built-in demo datasets are served.</summary>
    public Dictionary<string, DatasetOptions> Datasets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Serve the demo datasets even when others are configured.</summary>
    public bool IncludeDemoDatasets { get; set; }

    /// <summary>Folder of the demo data; relative paths are resolved against the application folder.</summary>
    public string DemoDataPath { get; set; } = "data/demo";

    /// <summary>Files of custom OGC TMS 2.0 JSON definitions to offer besides the registered ones.</summary>
    public List<string> TileMatrixSetFiles { get; set; } = [];

    public CacheOptions Cache { get; set; } = new();
    public TileOptions Tiles { get; set; } = new();
    public HttpCachingOptions HttpCaching { get; set; } = new();
    public CorsOptions Cors { get; set; } = new();
    public S3StoreOptions S3 { get; set; } = new();
    public HttpStoreOptions Http { get; set; } = new();
    public RetryOptions Retry { get; set; } = new();
}

public sealed class DatasetOptions
{
    /// <summary>A folder, <c>file://</c>, <c>http(s)://</c> or <c>s3://bucket/prefix</c> URL of a Zarr store.</summary>
    public string Path { get; set; } = "";
    public string? Title { get; set; }
    public string? Description { get; set; }
    public string? Attribution { get; set; }

    /// <summary>Variable rendered when a request names none.</summary>
    public string? DefaultVariable { get; set; }

    /// <summary>Variables to serve; required for stores without consolidated metadata.</summary>
    public List<string>? Variables { get; set; }

    /// <summary>Overrides the CRS found in the metadata (code, URI or WKT).</summary>
    public string? Crs { get; set; }

    /// <summary>A stored value meaning "no data", in addition to the metadata's fill values.</summary>
    public double? Nodata { get; set; }

    /// <summary>Default rendering for requests that do not say otherwise.</summary>
    public RenderingDefaults Rendering { get; set; } = new();
}

public sealed class RenderingDefaults
{
    /// <summary>"min,max" (one pair per band, separated by ';'), e.g. "-2,35".</summary>
    public string? Rescale { get; set; }
    public string? ColormapName { get; set; }
    public string? Resampling { get; set; }

    /// <summary>1-based band indices for multi-band variables, e.g. "3,2,1".</summary>
    public string? Bidx { get; set; }
}

public sealed class CacheOptions
{
    /// <summary>Bytes of decoded chunks kept in memory, shared by all datasets.</summary>
    public long ChunkCacheBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>Inner chunks of one shard closer than this are fetched in one ranged GET; null = always one GET per shard.</summary>
    public long? ShardRangeCoalesceGapBytes { get; set; }
}

public sealed class TileOptions
{
    /// <summary>Largest tile edge accepted (tilesize= or @Nx).</summary>
    public int MaxTileSize { get; set; } = 1024;

    /// <summary>Source pixels a single tile may read before a coarser rendition is used.</summary>
    public long MaxSourcePixelsPerTile { get; set; } = 4L * 1024 * 1024;

    /// <summary>Multiplies the tile's cell size before choosing a level (&gt;1 prefers coarser levels).</summary>
    public double LevelBias { get; set; } = 1.0;

    /// <summary>Largest error of the per-tile approximate reprojection, in source pixels.</summary>
    public double ApproxErrorPixels { get; set; } = 0.02;

    /// <summary>Largest edge of a /preview image.</summary>
    public int MaxPreviewSize { get; set; } = 1024;
}

public sealed class HttpCachingOptions
{
    public int TileMaxAgeSeconds { get; set; } = 3600;
    public int TileSharedMaxAgeSeconds { get; set; } = 86400;
    public int TileStaleWhileRevalidateSeconds { get; set; } = 60;
    public int MetadataMaxAgeSeconds { get; set; } = 60;
}

public sealed class CorsOptions
{
    /// <summary>Allowed origins; "*" allows any (the default, so browser map clients work out of the box).</summary>
    public List<string> AllowedOrigins { get; set; } = ["*"];
}
