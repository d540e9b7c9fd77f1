using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace TileServer;

/// <summary>
/// The server's own traces and metrics, named once. Every layer records here; the host exports them (OpenTelemetry:
/// Prometheus at <c>/metrics</c>, OTLP when configured). Instruments are created once and are thread-safe; with no
/// listener attached, recording costs a few nanoseconds.
/// </summary>
/// <remarks>
/// Prometheus names follow from these: dots become underscores, counters get <c>_total</c>, units a suffix
/// (<c>tileserver.store.duration</c> in seconds → <c>tileserver_store_duration_seconds</c>).
/// </remarks>
public static class Telemetry
{
    public const string Name = "TileServer";

    // Stages and store reads take from tens of microseconds (a cached chunk) to seconds (a cold object store).
    private static readonly InstrumentAdvice<double> SecondsBuckets = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    };

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Tiles (and other images) rendered, by dataset and format.</summary>
    public static readonly Counter<long> TilesRendered = Meter.CreateCounter<long>("tileserver.tiles.rendered", description: "Images rendered (cache misses that were drawn)");

    /// <summary>Rendered-tile cache lookups, by tier (memory, redis) and result (hit, miss, error).</summary>
    public static readonly Counter<long> TileCacheLookups = Meter.CreateCounter<long>("tileserver.tile_cache.lookups", description: "Rendered-tile cache lookups by tier and result");

    /// <summary>Rendered tiles written to a cache tier, by tier and result (ok, error).</summary>
    public static readonly Counter<long> TileCacheWrites = Meter.CreateCounter<long>("tileserver.tile_cache.writes", description: "Rendered tiles written to a cache tier by tier and result");

    /// <summary>Bytes held by the in-process rendered-tile tier.</summary>
    public static readonly UpDownCounter<long> TileCacheBytes = Meter.CreateUpDownCounter<long>("tileserver.tile_cache.size", unit: "By", description: "Bytes held by the in-process rendered-tile tier");

    /// <summary>Tile requests that joined a render already under way for the same key instead of rendering again.</summary>
    public static readonly Counter<long> TileCacheJoined = Meter.CreateCounter<long>("tileserver.tile_cache.joined", description: "Tile cache misses that waited for a render already under way");

    /// <summary>Decoded-chunk cache lookups, by result (hit, miss).</summary>
    public static readonly Counter<long> ChunkCacheLookups = Meter.CreateCounter<long>("tileserver.chunk_cache.lookups", description: "Decoded-chunk cache lookups by result");

    /// <summary>Bytes of decoded chunks held by the chunk cache.</summary>
    public static readonly UpDownCounter<long> ChunkCacheBytes = Meter.CreateUpDownCounter<long>("tileserver.chunk_cache.size", unit: "By", description: "Bytes of decoded chunks held in memory");

    /// <summary>Dataset versions that changed while serving (a watched catalog entry or a root-metadata re-check), by dataset.</summary>
    public static readonly Counter<long> DatasetVersionChanges = Meter.CreateCounter<long>("tileserver.dataset.version_changes", description: "Dataset versions changed by catalog or data updates");

    /// <summary>Requests sent to stores, by store kind (file, http, s3) and outcome (ok, missing, error).</summary>
    public static readonly Counter<long> StoreRequests = Meter.CreateCounter<long>("tileserver.store.requests", description: "Reads sent to stores by kind and outcome");

    /// <summary>Bytes received from stores, by store kind.</summary>
    public static readonly Counter<long> StoreBytes = Meter.CreateCounter<long>("tileserver.store.bytes", unit: "By", description: "Bytes read from stores");

    /// <summary>Reads retried after a transient failure, by store kind.</summary>
    public static readonly Counter<long> StoreRetries = Meter.CreateCounter<long>("tileserver.store.retries", description: "Store reads retried after a transient failure");

    /// <summary>Duplicate (hedged) reads sent because the first had not answered in time, by store kind.</summary>
    public static readonly Counter<long> StoreHedges = Meter.CreateCounter<long>("tileserver.store.hedges", description: "Hedged store reads");

    /// <summary>Latency of one store read, by store kind.</summary>
    public static readonly Histogram<double> StoreDuration = Meter.CreateHistogram<double>("tileserver.store.duration", unit: "s", description: "Latency of store reads", advice: SecondsBuckets);

    /// <summary>Time per stage of a render (plan, read, decode, resample, colormap, encode).</summary>
    public static readonly Histogram<double> RenderStageDuration = Meter.CreateHistogram<double>("tileserver.render.stage.duration", unit: "s", description: "Time per render stage", advice: SecondsBuckets);
}
