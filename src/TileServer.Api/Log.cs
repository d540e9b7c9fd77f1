namespace TileServer.Api;

/// <summary>Every log event the HTTP side writes, in one place (ids are stable; per-tile events are Debug).</summary>
internal static partial class Log
{
    [LoggerMessage(1004, LogLevel.Information, "Serving {Count} dataset(s): {DatasetIds}")]
    public static partial void Serving(ILogger logger, int count, string datasetIds);

    [LoggerMessage(3001, LogLevel.Error, "Request {Method} {Path} failed with {Status} (trace {TraceId}): {Detail}")]
    public static partial void RequestFailed(ILogger logger, string method, string path, int status, string detail, string traceId);

    [LoggerMessage(3002, LogLevel.Error, "Unexpected error on {Method} {Path} (trace {TraceId})")]
    public static partial void UnexpectedError(ILogger logger, Exception exception, string method, string path, string traceId);

    [LoggerMessage(3003, LogLevel.Debug, "Client went away during {Method} {Path}")]
    public static partial void ClientAborted(ILogger logger, string method, string path);

    /// <summary>WMS and WMTS answer failures with their own exception reports; an unexpected one is logged here (4002, WMS's own, is retired).</summary>
    [LoggerMessage(4001, LogLevel.Error, "Unexpected error answering {Service} request {Request}")]
    public static partial void ServiceUnexpected(ILogger logger, Exception exception, string service, string request);
}
