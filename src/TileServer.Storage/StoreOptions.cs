namespace TileServer.Storage;

/// <summary>Configuration of the remote stores (bound from <c>TileServer:S3</c>, <c>TileServer:Http</c>, <c>TileServer:Retry</c> …).</summary>
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

    /// <summary>Connections the S3 client keeps open to one endpoint (S3 speaks HTTP/1.1: one read in flight per connection).</summary>
    public int MaxConnectionsPerServer { get; init; } = 128;
}

public sealed record HttpStoreOptions
{
    /// <summary>Budget for one request, body included; a request that takes longer is retried as transient.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Connections kept open to one server. Over HTTP/1.1 each carries one read at a time, so this should not be below
    /// <see cref="ReadConcurrencyOptions.MaxReadsPerStore"/>; over HTTP/2 reads share connections.
    /// </summary>
    public int MaxConnectionsPerServer { get; init; } = 128;

    /// <summary>How long an idle keep-alive connection is kept for the next read.</summary>
    public TimeSpan IdleConnectionTimeout { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary>Offer HTTP/2 to HTTPS servers (negotiated by ALPN; servers that decline, and plain http://, use HTTP/1.1).</summary>
    public bool Http2 { get; init; } = true;
}

public sealed record RetryOptions
{
    /// <summary>Attempts per read including the first; 1 disables retries.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Delay before the first retry; later ones back off exponentially, with jitter.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest wait between attempts, including one a server asks for with <c>Retry-After</c>.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Retries and hedged reads one store may send, as a fraction of its first attempts (plus
    /// <see cref="BudgetMinPerSecond"/>): a store in trouble gets at most this much extra load, not a multiple of it.
    /// </summary>
    public double BudgetRatio { get; init; } = 0.5;

    /// <summary>Retries and hedges allowed per second whatever the traffic, so that a quiet store still retries.</summary>
    public double BudgetMinPerSecond { get; init; } = 10;
}

/// <summary>How many reads may be in flight: I/O concurrency, sized for object stores, apart from CPU parallelism.</summary>
public sealed record ReadConcurrencyOptions
{
    /// <summary>Reads in flight to one store (one location) at once, over all requests.</summary>
    public int MaxReadsPerStore { get; init; } = 128;

    /// <summary>Reads one request (one window of one array) has in flight at once.</summary>
    public int MaxReadsPerRequest { get; init; } = 64;
}

/// <summary>Hedged reads: a read that has not answered after a delay is sent again and the first answer wins.</summary>
public sealed record HedgingOptions
{
    public bool Enabled { get; init; } = true;

    /// <summary>A fixed delay before hedging; null = the store's measured latency percentile <see cref="Percentile"/>.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Which percentile of a store's measured read latency to wait before hedging.</summary>
    public double Percentile { get; init; } = 95;

    /// <summary>Delay used until <see cref="MinSamples"/> reads of a store have been measured.</summary>
    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Measured delays are kept within [<see cref="MinDelay"/>, <see cref="MaxDelay"/>].</summary>
    public TimeSpan MinDelay { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Reads measured before the percentile is trusted.</summary>
    public int MinSamples { get; init; } = 20;
}

/// <summary>
/// When a store counts as down: at least <see cref="MinimumReads"/> reads within <see cref="SamplingDuration"/> and at
/// least <see cref="FailureRatio"/> of them failed (after retries). Then reads fail at once for
/// <see cref="BreakDuration"/>, after which one read probes the store and a success closes the circuit.
/// </summary>
public sealed record CircuitBreakerOptions
{
    public bool Enabled { get; init; } = true;
    public double FailureRatio { get; init; } = 0.5;
    public int MinimumReads { get; init; } = 10;
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// How remote stores are reached and read, one section each (<c>TileServer:S3</c>, <c>:Http</c>, <c>:Retry</c>,
/// <c>:Concurrency</c>, <c>:Hedging</c>, <c>:CircuitBreaker</c>): bound with the data side's options and carried by
/// <see cref="StoreOptions"/>.
/// </summary>
public abstract record StoreSections
{
    public S3StoreOptions S3 { get; init; } = new();
    public HttpStoreOptions Http { get; init; } = new();
    public RetryOptions Retry { get; init; } = new();

    /// <summary>Reads in flight per store and per request.</summary>
    public ReadConcurrencyOptions Concurrency { get; init; } = new();

    /// <summary>Hedged reads against tail latency.</summary>
    public HedgingOptions Hedging { get; init; } = new();

    /// <summary>When a failing store stops being read for a while.</summary>
    public CircuitBreakerOptions CircuitBreaker { get; init; } = new();
}

public sealed record StoreOptions : StoreSections
{
    public StoreOptions()
    {
    }

    /// <summary>Store options with the sections of <paramref name="sections"/>, as they were bound.</summary>
    public StoreOptions(StoreSections sections)
        : base(sections)
    {
    }

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
