using Microsoft.Extensions.Logging;

namespace TileServer.Delivery;

/// <summary>The delivery layer's log messages (event ids 5000-5099, and 2001, the per-tile event, whose id is older than this layer).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2001, Level = LogLevel.Debug, Message = "Tile {DatasetId} {Tms}/{Z}/{X}/{Y}: level {Level}, {Chunks} chunk(s) decoded, {Hits} cache hit(s), {Requests} store request(s), {Bytes} byte(s)")]
    public static partial void TileRendered(ILogger logger, string datasetId, string tms, string z, long x, long y, string level, long chunks, long hits, long requests, long bytes);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Shared tile cache (Redis) unavailable, serving without it until it answers again: {Reason}")]
    public static partial void RedisUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Shared tile cache (Redis) answers again")]
    public static partial void RedisRecovered(ILogger logger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Rendered-tile cache: in-process tier {MemoryBytes} bytes, shared tier {Shared}")]
    public static partial void TileCacheConfigured(ILogger logger, long memoryBytes, string shared);

    [LoggerMessage(EventId = 5010, Level = LogLevel.Information, Message = "Seeding {DatasetId} {Tms} zooms {MinZoom}-{MaxZoom}: {Tiles} tile(s) to {Target}, {Concurrency} at a time")]
    public static partial void SeedStarted(ILogger logger, string datasetId, string tms, int minZoom, int maxZoom, long tiles, string target, int concurrency);

    [LoggerMessage(EventId = 5011, Level = LogLevel.Information, Message = "Seeding {DatasetId} {Tms} {Outcome}: {Written} written, {Present} already present, {Outside} outside the data, in {Seconds:0.0} s")]
    public static partial void SeedFinished(ILogger logger, string datasetId, string tms, string outcome, long written, long present, long outside, double seconds);

    [LoggerMessage(EventId = 5012, Level = LogLevel.Error, Message = "Seeding {DatasetId}: tile {Tms}/{Z}/{X}/{Y} failed")]
    public static partial void SeedTileFailed(ILogger logger, Exception exception, string datasetId, string tms, string z, long x, long y);
}
