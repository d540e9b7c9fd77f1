namespace TileServer.Storage;

/// <summary>Configuration of the remote stores (bound from <c>TileServer:S3</c>, <c>TileServer:Http</c>, <c>TileServer:Retry</c>).</summary>
public sealed record S3StoreOptions
{
    /// <summary>Endpoint of an S3-compatible service (MinIO, R2, GCS interop); null = AWS.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Signing region; with a <see cref="ServiceUrl"/> and no region, <c>us-east-1</c> is used.</summary>
    public string? Region { get; init; }

    /// <summary>Static credentials; when both are null the standard AWS credential chain is used.</summary>
    public string? AccessKey { get; init; }
    public string? SecretKey { get; init; }

    /// <summary>Address buckets as <c>endpoint/bucket/key</c> (MinIO, most self-hosted services).</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary>
    /// Read public buckets without signing. Public buckets usually deny listing, so S3 answers a missing
    /// key with 403 AccessDenied rather than 404; in this mode that answer counts as absence.
    /// </summary>
    public bool Anonymous { get; init; }

    /// <summary>Budget for one request, body included; a request that takes longer is retried as transient.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed record HttpStoreOptions
{
    /// <summary>Budget for one request, body included; a request that takes longer is retried as transient.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed record RetryOptions
{
    /// <summary>Attempts per read including the first; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the first retry; later ones back off exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between attempts, including one a server asks for with <c>Retry-After</c>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);
}

public sealed record StoreOptions
{
    public S3StoreOptions S3 { get; init; } = new();
    public HttpStoreOptions Http { get; init; } = new();
    public RetryOptions Retry { get; init; } = new();

    /// <summary>
    /// Largest object or range a remote store will buffer, and largest kerchunk reference file; a bigger
    /// answer is an error rather than an allocation sized by the server.
    /// </summary>
    public long MaxObjectBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>
    /// Where references of a kerchunk file may point besides the folder of the file itself (bound from
    /// <c>TileServer:VirtualChunks:Containers</c>); any other reference is refused when read.
    /// </summary>
    public IReadOnlyList<VirtualChunkContainer> VirtualChunkContainers { get; init; } = [];
}
