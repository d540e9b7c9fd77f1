namespace TileServer;

/// <summary>
/// Base of every exception the server raises on purpose. Its <see cref="Kind"/> decides the response and its
/// message is written for a user: it names what was wrong (a parameter, an array and chunk key, a store key) but
/// never carries stack traces, server paths or secrets. Anything else that escapes a request is a bug.
/// </summary>
public abstract class TileServerException : Exception
{
    protected TileServerException(FailureKind kind, string message, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
    }

    public FailureKind Kind { get; }
}

/// <summary>A request parameter that is malformed or out of range.</summary>
public sealed class BadRequestException(string parameter, string message)
    : TileServerException(FailureKind.BadRequest, message)
{
    /// <summary>The request parameter at fault.</summary>
    public string Parameter { get; } = parameter;
}

/// <summary>Something named by the request does not exist.</summary>
public sealed class NotFoundException(string title, string message, string? parameter = null)
    : TileServerException(FailureKind.NotFound, message)
{
    /// <summary>A short summary such as "Unknown dataset".</summary>
    public string Title { get; } = title;

    public string? Parameter { get; } = parameter;
}

/// <summary>A request that would exceed one of the server's limits; the message names the limit.</summary>
public sealed class TooLargeException(string message, string? parameter = null)
    : TileServerException(FailureKind.TooLarge, message)
{
    public string? Parameter { get; } = parameter;
}

/// <summary>A configured dataset that cannot be served; the message is the reason shown to users.</summary>
public sealed class DatasetUnavailableException(string datasetId, string reason)
    : TileServerException(FailureKind.DatasetUnavailable, $"Dataset '{datasetId}' is unavailable: {reason}")
{
    public string DatasetId { get; } = datasetId;
    public string Reason { get; } = reason;
}

/// <summary>The server is at capacity for this kind of work.</summary>
public sealed class OverloadedException(string message, TimeSpan retryAfter)
    : TileServerException(FailureKind.Overloaded, message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

/// <summary>None of the media types the client accepts can be produced.</summary>
public sealed class NotAcceptableException(string message)
    : TileServerException(FailureKind.NotAcceptable, message);

/// <summary>A part of the server that is not installed or not configured (e.g. the viewer's files).</summary>
public sealed class FeatureUnavailableException(string message)
    : TileServerException(FailureKind.FeatureUnavailable, message);
