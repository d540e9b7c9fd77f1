using TileServer.Reading.Catalog;
using TileServer.Storage;
using CatalogFileReader = TileServer.Reading.Catalog.CatalogFile;

namespace TileServer.Reading;

/// <summary>
/// What the data side of the server is configured with (section <c>TileServer</c>): the datasets, the stores (its
/// <see cref="StoreSections"/>), the caches and how reads are sized. Bound and validated once at startup, every
/// problem reported at once.
/// </summary>
public sealed record DataOptions : StoreSections
{
    public const string SectionName = "TileServer";

    /// <summary>Datasets by id. When empty, the built-in demo datasets are served.</summary>
    public Dictionary<string, DatasetOptions> Datasets { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Serve the demo datasets even when others are configured.</summary>
    public bool IncludeDemoDatasets { get; init; }

    /// <summary>Folder of the demo data; relative paths are resolved against the application folder.</summary>
    public string DemoDataPath { get; init; } = "data/demo";

    /// <summary>Files of custom OGC TMS 2.0 JSON definitions to offer besides the registered ones.</summary>
    public IReadOnlyList<string>? TileMatrixSetFiles { get; init; }

    /// <summary>A watched JSON file of more datasets (<see cref="CatalogFile"/>); changes take effect without a restart.</summary>
    public string? CatalogFile { get; init; }

    /// <summary>Section <c>TileServer:Catalog</c>: how often catalog and data are re-checked.</summary>
    public CatalogOptions Catalog { get; init; } = new();

    public CacheOptions Cache { get; init; } = new();
    public ReaderOptions Tiles { get; init; } = new();

    /// <summary>How many renders run at once, how many wait and how much memory they hold.</summary>
    public Load.RenderLimitOptions Renders { get; init; } = new();

    /// <summary>How the default stretch is found when none is configured (<c>TileServer:DefaultStretch</c>).</summary>
    public Style.DefaultStretchOptions DefaultStretch { get; init; } = new();

    /// <summary>Where virtual references (Icechunk virtual chunks, kerchunk references) may be read from.</summary>
    public VirtualChunkOptions VirtualChunks { get; init; } = new();

    /// <summary>The store sections as bound (<c>TileServer:S3</c>, <c>:Http</c>…) with the virtual chunk containers.</summary>
    public StoreOptions Stores => new(this) { VirtualChunkContainers = VirtualChunks.Containers };

    public IEnumerable<string> Validate()
    {
        var errors = new List<string>();
        foreach (var (id, ds) in Datasets)
        {
            DatasetDefinition.Parse(id, ds, errors);
        }

        if (!string.IsNullOrWhiteSpace(CatalogFile))
        {
            CatalogFileReader.Load(CatalogFile, Datasets.Keys, errors);
        }

        if (Catalog.RefreshSeconds < 0 || Catalog.FilePollSeconds < 1)
        {
            errors.Add("TileServer:Catalog: RefreshSeconds must be >= 0 (0 = never) and FilePollSeconds >= 1");
        }

        foreach (var file in TileMatrixSetFiles ?? [])
        {
            if (!File.Exists(file))
            {
                errors.Add($"TileServer:TileMatrixSetFiles: '{file}' does not exist; give the path of an OGC TMS 2.0 JSON file");
            }
        }

        if (Cache.ChunkCacheBytes < 0)
        {
            errors.Add("TileServer:Cache:ChunkCacheBytes must be >= 0 (0 disables the chunk cache)");
        }

        if (Cache.ShardRangeCoalesceGapBytes is < 0)
        {
            errors.Add("TileServer:Cache:ShardRangeCoalesceGapBytes must be >= 0");
        }

        errors.AddRange(Tiles.Validate("TileServer:Tiles"));
        errors.AddRange(Renders.Validate("TileServer:Renders"));
        errors.AddRange(DefaultStretch.Validate("TileServer:DefaultStretch"));
        if (Cache.IcechunkMetadataBytes < 0)
        {
            errors.Add("TileServer:Cache:IcechunkMetadataBytes must be >= 0 (0 keeps no parsed Icechunk snapshots or manifests)");
        }

        // The store validator names each setting in full (TileServer:S3:..., TileServer:VirtualChunks:Containers:N:...).
        errors.AddRange(StoreOptionsValidation.Validate(Stores));
        return errors;
    }

    /// <summary>The datasets to serve: the configured ones, the catalog file's, and the demo datasets when none are configured or when asked.</summary>
    public IReadOnlyList<DatasetDefinition> Definitions()
        => Definitions(string.IsNullOrWhiteSpace(CatalogFile) ? [] : CatalogFileReader.Load(CatalogFile, Datasets.Keys, []) ?? []);

    /// <summary>As <see cref="Definitions()"/>, with the catalog file's datasets as given (the watcher's last good read).</summary>
    public IReadOnlyList<DatasetDefinition> Definitions(IReadOnlyList<DatasetDefinition> fromCatalogFile)
    {
        var errors = new List<string>();
        var result = new List<DatasetDefinition>();
        foreach (var (id, ds) in Datasets)
        {
            if (DatasetDefinition.Parse(id, ds, errors) is { } definition)
            {
                result.Add(definition);
            }
        }

        result.AddRange(fromCatalogFile);
        if ((Datasets.Count == 0 && string.IsNullOrWhiteSpace(CatalogFile)) || IncludeDemoDatasets)
        {
            foreach (var demo in DemoDatasets.Create(ResolveDemoFolder(DemoDataPath)))
            {
                if (!result.Any(d => d.Id == demo.Id))
                {
                    result.Add(demo);
                }
            }
        }

        return result;
    }

    private static string ResolveDemoFolder(string configured)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        foreach (var baseDir in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var candidate = Path.GetFullPath(Path.Combine(baseDir, configured));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, configured));
    }
}

/// <summary>Section <c>TileServer:Catalog</c>.</summary>
public sealed record CatalogOptions
{
    /// <summary>Seconds between re-checks of each open dataset's root metadata (a change makes a new version); 0 = never.</summary>
    public int RefreshSeconds { get; init; }

    /// <summary>Seconds between looks at the catalog file (a ConfigMap update replaces it through a symlink, which file events miss).</summary>
    public int FilePollSeconds { get; init; } = 2;
}

public sealed record CacheOptions
{
    /// <summary>Bytes of decoded chunks kept in memory, shared by all datasets.</summary>
    public long ChunkCacheBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Inner chunks of one shard closer than this are fetched in one ranged GET; null = always one GET per shard.</summary>
    public long? ShardRangeCoalesceGapBytes { get; init; }

    /// <summary>Bytes of parsed Icechunk snapshots and manifests kept in memory, shared by all Icechunk datasets.</summary>
    public long IcechunkMetadataBytes { get; init; } = 64L * 1024 * 1024;
}

/// <summary>Section <c>TileServer:VirtualChunks</c>.</summary>
public sealed record VirtualChunkOptions
{
    /// <summary>
    /// Each <c>{ "Prefix": "s3://bucket/path/", "Location": "..." }</c>: a reference starting with Prefix is read from
    /// Location plus the rest of its URL. Any other virtual reference is refused.
    /// </summary>
    public List<VirtualChunkContainer> Containers { get; init; } = [];
}
