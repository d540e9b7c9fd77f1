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

    public static readonly ActivitySource Source = new(Name);
    public static readonly Meter Meter = new(Name);

    /// <summary>Tiles (and other images) rendered, by dataset and format.</summary>
    public static readonly Counter<long> TilesRendered = Meter.CreateCounter<long>("tileserver.tiles.rendered", description: "Images rendered (cache misses that were drawn)");

    /// <summary>Rendered-tile cache lookups, by tier (memory, redis) and result (hit, miss, error).</summary>
    public static readonly Counter<long> TileCacheLookups = Meter.CreateCounter<long>("tileserver.tile_cache.lookups", description: "Rendered-tile cache lookups by tier and result");

    /// <summary>Decoded-chunk cache lookups, by result (hit, miss).</summary>
    public static readonly Counter<long> ChunkCacheLookups = Meter.CreateCounter<long>("tileserver.chunk_cache.lookups", description: "Decoded-chunk cache lookups by result");

    /// <summary>Requests sent to stores, by store kind (file, http, s3) and outcome (ok, missing, error).</summary>
    public static readonly Counter<long> StoreRequests = Meter.CreateCounter<long>("tileserver.store.requests", description: "Reads sent to stores by kind and outcome");

    /// <summary>Bytes received from stores, by store kind.</summary>
    public static readonly Counter<long> StoreBytes = Meter.CreateCounter<long>("tileserver.store.bytes", unit: "By", description: "Bytes read from stores");

    /// <summary>Reads retried after a transient failure, by store kind.</summary>
    public static readonly Counter<long> StoreRetries = Meter.CreateCounter<long>("tileserver.store.retries", description: "Store reads retried after a transient failure");

    /// <summary>Duplicate (hedged) reads sent because the first had not answered in time, by store kind.</summary>
    public static readonly Counter<long> StoreHedges = Meter.CreateCounter<long>("tileserver.store.hedges", description: "Hedged store reads");

    /// <summary>Latency of one store read, by store kind.</summary>
    public static readonly Histogram<double> StoreDuration = Meter.CreateHistogram<double>("tileserver.store.duration", unit: "s", description: "Latency of store reads");

    /// <summary>Time per stage of a render (plan, read, decode, resample, colormap, encode).</summary>
    public static readonly Histogram<double> RenderStageDuration = Meter.CreateHistogram<double>("tileserver.render.stage.duration", unit: "s", description: "Time per render stage");
}
