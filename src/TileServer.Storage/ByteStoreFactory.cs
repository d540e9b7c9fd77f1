using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TileServer.Storage.Kerchunk;

namespace TileServer.Storage;

/// <summary>
/// Opens stores by location. A remote store is opened once per location and read through a chain of decorators, from
/// the outside in: <see cref="CoalescingByteStore"/> (identical concurrent reads share one request),
/// <see cref="CircuitBreakingByteStore"/> (a failing store costs nothing while down; its state is in <see cref="Health"/>),
/// <see cref="RetryingByteStore"/> (backoff, jitter, retry budget, the read's deadline),
/// <see cref="ConcurrencyLimitedByteStore"/> (reads in flight per store), <see cref="HedgingByteStore"/> (slow reads
/// sent again) and <see cref="InstrumentedByteStore"/> (metrics per request sent). Local folders are only instrumented.
/// <list type="bullet">
/// <item>a path, or <c>file:///abs/path</c>: <see cref="FileStore"/>;</item>
/// <item><c>http://…</c>, <c>https://…</c>: <see cref="HttpStore"/> (GET + Range; a query string such as a
/// signature is sent with every request);</item>
/// <item><c>s3://bucket/prefix</c>: <see cref="S3Store"/> configured by <see cref="StoreOptions.S3"/>;</item>
/// <item><c>gs://bucket/prefix</c>: public Google Cloud Storage over HTTPS (no credentials; use
/// <c>s3://</c> with the GCS interop endpoint for private buckets);</item>
/// <item><c>reference://&lt;location of a kerchunk JSON&gt;</c> (alias <c>kerchunk://</c>), e.g.
/// <c>reference://s3://bucket/refs.json</c>, <c>reference:///data/refs.json</c>, or any location whose path
/// ends in <c>.json</c>: a <see cref="KerchunkStore"/>. Relative URLs inside the references resolve against
/// the folder of the JSON file; referenced objects open through this factory, and objects outside that folder
/// only through <see cref="StoreOptions.VirtualChunkContainers"/>.</item>
/// </list>
/// All HTTP stores share one <see cref="HttpClient"/> (the one passed in, e.g. from IHttpClientFactory,
/// or one this factory creates and disposes); all S3 stores share one S3 client.
/// </summary>
public sealed class ByteStoreFactory : IByteStoreFactory, IDisposable
{
    private const string GcsPublicEndpoint = "https://storage.googleapis.com/";
    private static readonly string[] ReferencePrefixes = ["reference://", "kerchunk://"];

    private readonly StoreOptions _options;
    private readonly HttpClient _httpClient;
    private readonly bool _ownsHttpClient;
    private readonly Lazy<IAmazonS3> _s3Client;
    private readonly ILogger _retryLogger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<IByteStore>> _remote = new(StringComparer.Ordinal);
    private readonly Lazy<VirtualChunkContainers> _containers;

    public ByteStoreFactory(StoreOptions options)
        : this(options, null, null)
    {
    }

    /// <param name="httpClient">Client for HTTP stores; null = one owned by this factory. Its Timeout should be
    /// infinite or longer than <see cref="HttpStoreOptions.Timeout"/>, which the stores apply per request.</param>
    /// <param name="health">Where the remote stores publish their health; null = a registry of this factory's own.</param>
    public ByteStoreFactory(StoreOptions options, HttpClient? httpClient, ILoggerFactory? loggerFactory = null, StoreHealthRegistry? health = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = StoreOptionsValidation.Validate(options);
        if (errors.Count > 0)
        {
            throw new ArgumentException("invalid store options: " + string.Join("; ", errors), nameof(options));
        }

        _options = options;
        _ownsHttpClient = httpClient is null;
        _httpClient = httpClient ?? CreateHttpClient(options.Http);
        Health = health ?? new StoreHealthRegistry();
        _s3Client = new Lazy<IAmazonS3>(() => CreateS3Client(options.S3), LazyThreadSafetyMode.ExecutionAndPublication);
        _retryLogger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<RetryingByteStore>();
        _containers = new Lazy<VirtualChunkContainers>(() => new VirtualChunkContainers(options.VirtualChunkContainers, this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The health of every remote store opened through this factory.</summary>
    public StoreHealthRegistry Health { get; }

    public IByteStore Open(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        location = location.Trim();
        foreach (var prefix in ReferencePrefixes)
        {
            if (location.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return OpenReferences(location[prefix.Length..]);
            }
        }

        if (NamesJsonFile(location))
        {
            return OpenReferences(location);
        }

        if (!StoreLocation.HasScheme(location))
        {
            return new InstrumentedByteStore(new FileStore(location), "file");
        }

        var uri = new Uri(location, UriKind.Absolute);
        if (uri.Scheme == "file")
        {
            return new InstrumentedByteStore(new FileStore(uri.LocalPath), "file");
        }

        if (uri.Scheme is not ("http" or "https" or "s3" or "gs"))
        {
            throw new NotSupportedException($"store location '{location}' uses scheme '{uri.Scheme}'; supported: a path, file://, http(s)://, s3://, gs://, reference://");
        }

        // One chain per location, so that its limits, latency figures, budget and health are the store's, not a reader's.
        var lazy = _remote.GetOrAdd(location, l => new Lazy<IByteStore>(() => OpenRemote(l, new Uri(l, UriKind.Absolute)), LazyThreadSafetyMode.ExecutionAndPublication));
        try
        {
            return lazy.Value;
        }
        catch
        {
            _remote.TryRemove(new KeyValuePair<string, Lazy<IByteStore>>(location, lazy));
            throw;
        }
    }

    private IByteStore OpenRemote(string location, Uri uri)
    {
        switch (uri.Scheme)
        {
            case "http":
            case "https":
                return Resilient(new HttpStore(uri, _httpClient, _options.Http.Timeout, _options.MaxObjectBytes, _options.Http.Http2), "http");
            case "s3":
                var (bucket, prefix) = BucketAndPrefix(location);
                return Resilient(new S3Store(_s3Client.Value, bucket, prefix, _options.S3.Timeout, _options.MaxObjectBytes, _options.S3.Anonymous), "s3");
            default:
                var (gcsBucket, gcsPrefix) = BucketAndPrefix(location);
                var gcsUrl = new Uri(GcsPublicEndpoint + gcsBucket + "/" + gcsPrefix);
                return Resilient(new HttpStore(gcsUrl, _httpClient, _options.Http.Timeout, _options.MaxObjectBytes, _options.Http.Http2), "http");
        }
    }

    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _httpClient.Dispose();
        }

        if (_s3Client.IsValueCreated)
        {
            _s3Client.Value.Dispose();
        }
    }

    private KerchunkStore OpenReferences(string referenceLocation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(referenceLocation);
        if (referenceLocation.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            referenceLocation = new Uri(referenceLocation).LocalPath;
        }
        else if (referenceLocation.StartsWith("//", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'reference://{referenceLocation}' has an empty path; write reference:///abs/path.json or reference://file:///abs/path.json", nameof(referenceLocation));
        }

        return new KerchunkStore(referenceLocation, this, _options.MaxObjectBytes, _containers.Value);
    }

    private static bool NamesJsonFile(string location)
    {
        int query = location.IndexOf('?', StringComparison.Ordinal);
        var path = query >= 0 && StoreLocation.HasScheme(location) ? location.AsSpan(0, query) : location.AsSpan();
        return path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);
    }

    private static (string Bucket, string Prefix) BucketAndPrefix(string location)
    {
        var rest = location[(location.IndexOf("://", StringComparison.Ordinal) + 3)..];
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        string bucket = slash < 0 ? rest : rest[..slash];
        string prefix = slash < 0 ? string.Empty : rest[(slash + 1)..].Trim('/');
        if (bucket.Length == 0)
        {
            throw new ArgumentException($"'{location}' names no bucket", nameof(location));
        }

        return (bucket, prefix);
    }

    private CoalescingByteStore Resilient(IByteStore store, string kind)
    {
        var slots = new ReadSlots(_options.Concurrency.MaxReadsPerStore);
        var budget = new RetryBudget(_options.Retry.BudgetRatio, _options.Retry.BudgetMinPerSecond);
        IByteStore chain = new InstrumentedByteStore(store, kind);
        chain = new HedgingByteStore(chain, _options.Hedging, kind, slots, budget);
        chain = new ConcurrencyLimitedByteStore(chain, slots);
        chain = new RetryingByteStore(chain, _options.Retry, _retryLogger, budget, kind);
        if (_options.CircuitBreaker.Enabled)
        {
            chain = new CircuitBreakingByteStore(chain, _options.CircuitBreaker, Health.Track(store.Location, kind));
        }

        return new CoalescingByteStore(chain);
    }

    private static HttpClient CreateHttpClient(HttpStoreOptions options) =>
        new(StoreHttpHandler.Create(options))
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    private static AmazonS3Client CreateS3Client(S3StoreOptions s3)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = s3.ForcePathStyle,
            // Retries belong to RetryingByteStore so that one policy (and one log) governs every store.
            MaxErrorRetry = 0,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = s3.Timeout + TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = s3.MaxConnectionsPerServer,
        };
        if (!string.IsNullOrWhiteSpace(s3.ServiceUrl))
        {
            config.ServiceURL = s3.ServiceUrl;
            config.AuthenticationRegion = s3.Region ?? "us-east-1";
        }
        else
        {
            config.RegionEndpoint = s3.Region is { Length: > 0 } region
                ? RegionEndpoint.GetBySystemName(region)
                : FallbackRegionFactory.GetRegionEndpoint() ?? RegionEndpoint.USEast1;
        }

        if (s3.Anonymous)
        {
            return new AmazonS3Client(new AnonymousAWSCredentials(), config);
        }

        return s3.AccessKey is { Length: > 0 } && s3.SecretKey is { Length: > 0 }
            ? new AmazonS3Client(new BasicAWSCredentials(s3.AccessKey, s3.SecretKey), config)
            : new AmazonS3Client(config);
    }
}
