using TileServer.Storage.Kerchunk;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

public sealed class ByteStoreFactoryTests : IDisposable
{
    private readonly ByteStoreFactory _factory = new(new StoreOptions
    {
        S3 = new S3StoreOptions { ServiceUrl = "http://127.0.0.1:9", ForcePathStyle = true, AccessKey = "a", SecretKey = "b" },
    });

    public void Dispose() => _factory.Dispose();

    [Theory]
    [InlineData("/data/x.zarr", typeof(FileStore))]
    [InlineData("relative/x.zarr", typeof(FileStore))]
    [InlineData("file:///data/x.zarr", typeof(FileStore))]
    [InlineData("https://example.org/x.zarr", typeof(HttpStore))]
    [InlineData("http://127.0.0.1:8080/x.zarr", typeof(HttpStore))]
    [InlineData("s3://bucket/prefix/x.zarr", typeof(S3Store))]
    [InlineData("gs://bucket/x.zarr", typeof(HttpStore))]
    [InlineData("reference://s3://bucket/refs.json", typeof(KerchunkStore))]
    [InlineData("kerchunk:///data/refs.json", typeof(KerchunkStore))]
    [InlineData("/data/refs.json", typeof(KerchunkStore))]
    [InlineData("https://example.org/refs.json?sig=1", typeof(KerchunkStore))]
    public void Dispatches(string location, Type expected)
    {
        var store = _factory.Open(location);
        var inner = ByteStoreChain.Innermost(store);
        Assert.IsType(expected, inner);
        bool remote = inner is HttpStore or S3Store;
        Assert.Equal(remote, ByteStoreChain.Find<RetryingByteStore>(store) is not null);
        Assert.Equal(remote, ByteStoreChain.Find<CircuitBreakingByteStore>(store) is not null);
        Assert.Equal(remote, ByteStoreChain.Find<HedgingByteStore>(store) is not null);
        Assert.Equal(remote, ByteStoreChain.Find<ConcurrencyLimitedByteStore>(store) is not null);
        Assert.Equal(inner is not KerchunkStore, ByteStoreChain.Find<InstrumentedByteStore>(store) is not null);
    }

    [Fact]
    public void Locations_never_show_queries()
    {
        Assert.Equal("s3://bucket/prefix", _factory.Open("s3://bucket/prefix/").Location);
        Assert.Equal("https://storage.googleapis.com/bucket/x.zarr", _factory.Open("gs://bucket/x.zarr").Location);
        Assert.Equal("https://example.org/x.zarr", _factory.Open("https://example.org/x.zarr?token=secret").Location);
    }

    [Fact]
    public void A_remote_location_is_opened_once_so_its_limits_and_health_are_the_stores()
    {
        var a = _factory.Open("https://example.org/x.zarr");
        var b = _factory.Open("https://example.org/x.zarr");
        Assert.Same(a, b);
        Assert.NotSame(a, _factory.Open("https://example.org/y.zarr"));
        Assert.Equal(StoreStatus.Healthy, _factory.Health.Find("https://example.org/x.zarr")!.Status);
    }

    [Fact]
    public void UnknownSchemes_AreRefusedWithTheSupportedList()
    {
        var ex = Assert.Throws<NotSupportedException>(() => _factory.Open("ftp://host/x.zarr"));
        Assert.Contains("s3://", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidOptions_AreAllReportedAtOnce()
    {
        var options = new StoreOptions
        {
            S3 = new S3StoreOptions { AccessKey = "only-key", ServiceUrl = "not a url" },
            Retry = new RetryOptions { MaxAttempts = 0 },
        };
        var errors = StoreOptionsValidation.Validate(options);
        Assert.Equal(3, errors.Count);

        var remote = new StoreOptions
        {
            Concurrency = new ReadConcurrencyOptions { MaxReadsPerStore = 0, MaxReadsPerRequest = 0 },
            Hedging = new HedgingOptions { Percentile = 100, Delay = TimeSpan.Zero },
            CircuitBreaker = new CircuitBreakerOptions { FailureRatio = 0, BreakDuration = TimeSpan.FromMilliseconds(10) },
            Retry = new RetryOptions { BudgetRatio = -1 },
        };
        var remoteErrors = StoreOptionsValidation.Validate(remote);
        foreach (var setting in new[] { "MaxReadsPerStore", "MaxReadsPerRequest", "Hedging:Percentile", "Hedging:Delay", "FailureRatio", "BreakDuration", "BudgetRatio" })
        {
            Assert.Contains(remoteErrors, e => e.Contains(setting, StringComparison.Ordinal));
        }

        var ex = Assert.Throws<ArgumentException>(() => new ByteStoreFactory(options));
        Assert.Contains("MaxAttempts", ex.Message, StringComparison.Ordinal);
    }
}

public sealed class CountingByteStoreTests
{
    [Fact]
    public async Task Counts_requests_bytes_misses_and_failures()
    {
        using var folder = new TempFolder();
        folder.Write("a", new byte[100]);
        var store = new CountingByteStore(new FileStore(folder.Path));

        await store.GetAsync("a");
        await store.GetAsync("a", ByteRange.FromOffset(10, 5));
        await store.GetAsync("missing");
        await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("../escape").AsTask());

        Assert.Equal((4L, 105L, 1L, 1L), (store.Requests, store.Bytes, store.Misses, store.Failures));
        store.Reset();
        Assert.Equal((0L, 0L), (store.Requests, store.Bytes));
    }
}
