using Microsoft.Extensions.Logging;

namespace TileServer.Delivery;

/// <summary>The delivery layer's log messages (event ids 5000-5099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Shared tile cache (Redis) unavailable, serving without it until it answers again: {Reason}")]
    public static partial void RedisUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Shared tile cache (Redis) answers again")]
    public static partial void RedisRecovered(ILogger logger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Rendered-tile cache: in-process tier {MemoryBytes} bytes, shared tier {Shared}")]
    public static partial void TileCacheConfigured(ILogger logger, long memoryBytes, string shared);
}
