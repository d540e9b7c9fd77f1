namespace TileServer.Storage;

/// <summary>Configuration of the remote stores (bound from <c>TileServer:S3</c>, <c>TileServer:Http</c>, <c>TileServer:Retry</c>).</summary>
public sealed record S3StoreOptions
{
    /// <summary>Endpoint of an S3-compatible service (MinIO, R2, GCS interop); null = AWS.</summary>
    public string? ServiceUrl { get; init; }
    public string? Region { get; init; }
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }
    public bool ForcePathStyle { get; init; }
    /// <summary>Read public buckets without signing.</summary>
    public bool Anonymous { get; init; }
}

public sealed record HttpStoreOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed record RetryOptions
{
    public int MaxAttempts { get; init; } = 3;
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);
}

public sealed record StoreOptions
{
    public S3StoreOptions S3 { get; init; } = new();
    public HttpStoreOptions Http { get; init; } = new();
    public RetryOptions Retry { get; init; } = new();
}
