using Microsoft.Extensions.Logging;

namespace TileServer.Reading;

/// <summary>Every log event the data side writes, in one place (ids are stable and unique across the server).</summary>
internal static partial class Log
{
    [LoggerMessage(1001, LogLevel.Information, "Dataset {DatasetId} opened: {Levels} level(s), {Variables} variable(s), version {Version}")]
    public static partial void DatasetOpened(ILogger logger, string datasetId, int levels, int variables, string version);

    [LoggerMessage(1002, LogLevel.Warning, "Dataset {DatasetId} is unavailable: {Reason}")]
    public static partial void DatasetUnavailable(ILogger logger, string datasetId, string reason);

    [LoggerMessage(1003, LogLevel.Information, "Dataset {DatasetId}: {Note}")]
    public static partial void DatasetNote(ILogger logger, string datasetId, string note);

    [LoggerMessage(1005, LogLevel.Error, "Dataset {DatasetId} could not be opened because of an unexpected error")]
    public static partial void DatasetOpenCrashed(ILogger logger, Exception exception, string datasetId);

    [LoggerMessage(1006, LogLevel.Information, "Dataset {DatasetId} changed: version {OldVersion} -> {NewVersion}")]
    public static partial void DatasetVersionChanged(ILogger logger, string datasetId, string oldVersion, string newVersion);

    [LoggerMessage(1007, LogLevel.Information, "Catalog file {Path} applied: {Count} dataset(s) from it")]
    public static partial void CatalogFileApplied(ILogger logger, string path, int count);

    [LoggerMessage(1008, LogLevel.Warning, "Catalog file {Path} not applied, the datasets served stay as they were: {Errors}")]
    public static partial void CatalogFileRejected(ILogger logger, string path, string errors);
}
