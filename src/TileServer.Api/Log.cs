namespace TileServer.Api;

/// <summary>Every log event the HTTP side writes, in one place (ids are stable; per-tile events are Debug).</summary>
internal static partial class Log
{
    [LoggerMessage(1004, LogLevel.Information, "Serving {Count} dataset(s): {DatasetIds}")]
    public static partial void Serving(ILogger logger, int count, string datasetIds);

    [LoggerMessage(2001, LogLevel.Debug, "Tile {DatasetId} {Tms}/{Z}/{X}/{Y}: level {Level}, {Chunks} chunk(s) decoded, {Hits} cache hit(s), {Requests} store request(s), {Bytes} byte(s)")]
    public static partial void TileRendered(ILogger logger, string datasetId, string tms, string z, long x, long y, string level, long chunks, long hits, long requests, long bytes);

    [LoggerMessage(3001, LogLevel.Warning, "Request {Method} {Path} failed with {Status}: {Detail}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, int status, string detail);

    [LoggerMessage(3002, LogLevel.Error, "Unexpected error on {Method} {Path}")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string method, string path);

    [LoggerMessage(4002, LogLevel.Error, "Unexpected error answering WMS request {Request}")]
    public static partial void WmsUnexpected(ILogger logger, Exception exception, string request);

    [LoggerMessage(3003, LogLevel.Debug, "Client went away during {Method} {Path}")]
    public static partial void ClientAborted(ILogger logger, string method, string path);
}
