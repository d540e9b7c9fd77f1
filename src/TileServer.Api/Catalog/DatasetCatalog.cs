using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using TileServer.Api.Options;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Api.Catalog;

/// <summary>
/// The datasets this server serves. Opens each once (at startup, by <see cref="CatalogWarmup"/>) and keeps the
/// result; a dataset that failed to open is retried on demand at most every <see cref="RetryInterval"/>, and
/// never takes the others down.
/// </summary>
public sealed class DatasetCatalog
{
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(30);

    private readonly IReadOnlyDictionary<string, (DatasetOptions Options, bool IsDemo)> _configured;
    private readonly ConcurrentDictionary<string, Lazy<Task<DatasetEntry>>> _entries = new(StringComparer.Ordinal);
    private readonly IByteStoreFactory _stores;
    private readonly GeoDatasetReader _reader;
    private readonly Crs.CrsRegistry _crs;
    private readonly Tiling.TileMatrixSetRegistry _tileMatrixSets;
    private readonly ZarrReaderOptions _zarrOptions;
    private readonly TimeProvider _time;
    private readonly ILogger<DatasetCatalog> _log;

    public DatasetCatalog(IOptions<TileServerOptions> options, IByteStoreFactory stores, GeoDatasetReader reader, Crs.CrsRegistry crs, Tiling.TileMatrixSetRegistry tileMatrixSets, ZarrReaderOptions zarrOptions,
        IHostEnvironment environment, TimeProvider time, ILogger<DatasetCatalog> log)
    {
        _stores = stores;
        _reader = reader;
        _crs = crs;
        _tileMatrixSets = tileMatrixSets;
        _zarrOptions = zarrOptions;
        _time = time;
        _log = log;

        var o = options.Value;
        var configured = new Dictionary<string, (DatasetOptions, bool)>(StringComparer.Ordinal);
        foreach (var (id, ds) in o.Datasets)
        {
            configured[id] = (ds, false);
        }

        if (configured.Count == 0 || o.IncludeDemoDatasets)
        {
            string demoFolder = ResolveDemoFolder(o.DemoDataPath, environment.ContentRootPath);
            foreach (var (id, ds) in DemoDatasets.Create(demoFolder))
            {
                configured.TryAdd(id, (ds, true));
            }
        }

        _configured = configured;
    }

    /// <summary>Dataset ids in configuration order.</summary>
    public IReadOnlyCollection<string> Ids => [.. _configured.Keys];

    public bool Contains(string id) => _configured.ContainsKey(id);

    /// <summary>The entry for an id (opening it if needed); null for an id that is not configured.</summary>
    public async ValueTask<DatasetEntry?> GetAsync(string id, CancellationToken cancellationToken)
    {
        if (!_configured.ContainsKey(id))
        {
            return null;
        }

        while (true)
        {
            var lazy = _entries.GetOrAdd(id, key => new Lazy<Task<DatasetEntry>>(() => OpenAsync(key)));
            var entry = await lazy.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
            if (entry.Error is null || _time.GetUtcNow() - entry.CheckedAt < RetryInterval)
            {
                return entry;
            }

            // Failed a while ago: try again (one caller replaces the entry, the others wait on the new one).
            _entries.TryUpdate(id, new Lazy<Task<DatasetEntry>>(() => OpenAsync(id)), lazy);
        }
    }

    public async Task<IReadOnlyList<DatasetEntry>> GetAllAsync(CancellationToken cancellationToken)
    {
        var list = new List<DatasetEntry>();
        foreach (var id in _configured.Keys)
        {
            list.Add((await GetAsync(id, cancellationToken).ConfigureAwait(false))!);
        }

        return list;
    }

    private async Task<DatasetEntry> OpenAsync(string id)
    {
        var (options, isDemo) = _configured[id];
        var location = options.Path;
        try
        {
            var store = _stores.Open(location);
            // Opening is not tied to one request: a client going away must not poison the shared entry.
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            var zarr = await ZarrHierarchy.OpenAsync(store, _zarrOptions, cts.Token).ConfigureAwait(false);
            var dataset = await _reader.OpenAsync(zarr, new GeoDatasetOptions
            {
                Id = id,
                Title = options.Title,
                Attribution = options.Attribution,
                Variables = options.Variables,
                Crs = options.Crs,
                Nodata = options.Nodata,
            }, cts.Token).ConfigureAwait(false);
            if (options.DefaultVariable is { } dv && dataset.FindVariable(dv) is null)
            {
                throw new GeoDatasetException($"DefaultVariable '{dv}' is not a data variable of the dataset (it has: {string.Join(", ", dataset.VariableNames)})");
            }

            if (dataset.InlineTileMatrixSet is { } inline)
            {
                // A pyramid that brings its own TileMatrixSet: offer it like a registered one.
                var declared = _tileMatrixSets.AddDeclared(_tileMatrixSets.FromJson(inline));
                Log.DatasetNote(_log, id, $"declares TileMatrixSet '{declared.Id}' inline");
            }

            if (options.Description is not null)
            {
                dataset = dataset with { Description = options.Description };
            }

            Log.DatasetOpened(_log, id, store.Location, dataset.Levels.Count, dataset.VariableNames.Count);
            foreach (var note in dataset.Notes)
            {
                Log.DatasetNote(_log, id, note);
            }

            return new DatasetEntry { Id = id, Options = options, Location = store.Location, Dataset = dataset, Geography = DatasetGeography.Compute(dataset, _crs), Version = ComputeVersion(dataset), CheckedAt = _time.GetUtcNow(), IsDemo = isDemo };
        }
        catch (Exception ex) when (ex is GeoDatasetException or Tiling.TileMatrixSetException or ZarrFormatException or StoreException or Crs.CrsException or ChunkDecodeException
                                   or NotSupportedException or ArgumentException or IOException or JsonException or UriFormatException or OperationCanceledException)
        {
            string reason = ex is OperationCanceledException ? "opening the store timed out" : ex.Message;
            Log.DatasetFailed(_log, id, RedactLocation(location), reason);
            return new DatasetEntry { Id = id, Options = options, Location = RedactLocation(location), Error = reason, CheckedAt = _time.GetUtcNow(), IsDemo = isDemo };
        }
    }

    /// <summary>A hash of what the dataset's tiles depend on, stable across processes and hosts.</summary>
    private static string ComputeVersion(GeoDataset dataset)
    {
        var sb = new StringBuilder();
        sb.Append(dataset.Id).Append('|').Append(dataset.Attributes.ToJsonString());
        foreach (var level in dataset.Levels)
        {
            sb.Append('|').Append(level.Path).Append(':').Append(level.Grid.Width).Append('x').Append(level.Grid.Height)
              .Append(string.Join(",", level.Grid.Transform.ToGdal()));
            foreach (var (name, v) in level.Variables)
            {
                sb.Append('|').Append(name).Append(string.Join(",", v.Array.Metadata.Shape)).Append(v.Array.Metadata.Attributes.ToJsonString())
                  .Append(v.Array.Metadata.CodecSummary).Append(v.Array.Metadata.DataType);
            }
        }

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    private static string ResolveDemoFolder(string configured, string contentRoot)
    {
        if (Path.IsPathRooted(configured))
        {
            return configured;
        }

        foreach (var baseDir in new[] { AppContext.BaseDirectory, contentRoot, Directory.GetCurrentDirectory() })
        {
            var candidate = Path.GetFullPath(Path.Combine(baseDir, configured));
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, configured));
    }

    private static string RedactLocation(string location)
        => Uri.TryCreate(location, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.UserInfo) ? location.Replace(uri.UserInfo + "@", "", StringComparison.Ordinal) : location;
}
