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
public sealed class BadRequestException : TileServerException
{
    public BadRequestException(string parameter, string message)
        : base(FailureKind.BadRequest, message)
    {
        Parameter = parameter;
    }

    /// <summary>The request parameter at fault.</summary>
    public string Parameter { get; }
}

/// <summary>Something named by the request does not exist.</summary>
public sealed class NotFoundException : TileServerException
{
    public NotFoundException(string title, string message, string? parameter = null)
        : base(FailureKind.NotFound, message)
    {
        Title = title;
        Parameter = parameter;
    }

    /// <summary>A short summary such as "Unknown dataset".</summary>
    public string Title { get; }

    public string? Parameter { get; }
}

/// <summary>A request that would exceed one of the server's limits; the message names the limit.</summary>
public sealed class TooLargeException : TileServerException
{
    public TooLargeException(string message, string? parameter = null)
        : base(FailureKind.TooLarge, message)
    {
        Parameter = parameter;
    }

    public string? Parameter { get; }
}

/// <summary>A configured dataset that cannot be served; the message is the reason shown to users.</summary>
public sealed class DatasetUnavailableException : TileServerException
{
    public DatasetUnavailableException(string datasetId, string reason)
        : base(FailureKind.DatasetUnavailable, $"Dataset '{datasetId}' is unavailable: {reason}")
    {
        DatasetId = datasetId;
        Reason = reason;
    }

    public string DatasetId { get; }
    public string Reason { get; }
}

/// <summary>The server is at capacity for this kind of work.</summary>
public sealed class OverloadedException : TileServerException
{
    public OverloadedException(string message, TimeSpan retryAfter)
        : base(FailureKind.Overloaded, message)
    {
        RetryAfter = retryAfter;
    }

    public TimeSpan RetryAfter { get; }
}

/// <summary>None of the media types the client accepts can be produced.</summary>
public sealed class NotAcceptableException : TileServerException
{
    public NotAcceptableException(string message)
        : base(FailureKind.NotAcceptable, message)
    {
    }
}

/// <summary>A part of the server that is not installed or not configured (e.g. the viewer's files).</summary>
public sealed class FeatureUnavailableException : TileServerException
{
    public FeatureUnavailableException(string message)
        : base(FailureKind.FeatureUnavailable, message)
    {
    }
}
