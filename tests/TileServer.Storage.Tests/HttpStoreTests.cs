using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>HttpStore against a real Kestrel static-file host on 127.0.0.1.</summary>
public sealed class HttpStoreTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private readonly byte[] _object = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7 % 251)).ToArray();
    private LoopbackServer _server = null!;
    private ByteStoreFactory _factory = null!;
    private IByteStore _store = null!;

    public async Task InitializeAsync()
    {
        _folder.Write("store.zarr/temp/c/0/1", _object);
        _folder.Write("store.zarr/zarr.json", "{\"zarr_format\":3}"u8.ToArray());
        _folder.Write("store.zarr/name with space", [1, 2, 3]);
        _server = await LoopbackServer.StartStaticAsync(_folder.Path);
        _factory = new ByteStoreFactory(new StoreOptions());
        _store = _factory.Open(_server.BaseUrl + "/store.zarr");
    }

    public async Task DisposeAsync()
    {
        _factory.Dispose();
        await _server.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task WholeObject_IsReturnedByteForByte()
    {
        Assert.Equal(_object, await _store.GetAsync("temp/c/0/1"));
        Assert.Equal("{\"zarr_format\":3}"u8.ToArray(), await _store.GetAsync("zarr.json"));
    }

    [Fact]
    public async Task Range_ReturnsExactlyThoseBytes()
    {
        var bytes = await _store.GetAsync("temp/c/0/1", ByteRange.FromOffset(1000, 123));
        Assert.Equal(_object.AsSpan(1000, 123).ToArray(), bytes);
    }

    [Fact]
    public async Task SuffixRange_ReturnsTheLastBytes()
    {
        var bytes = await _store.GetAsync("temp/c/0/1", ByteRange.Suffix(16));
        Assert.Equal(_object.AsSpan(_object.Length - 16).ToArray(), bytes);
    }

    [Fact]
    public async Task SuffixLongerThanObject_ReturnsWholeObject()
    {
        Assert.Equal(_object, await _store.GetAsync("temp/c/0/1", ByteRange.Suffix(10_000)));
    }

    [Fact]
    public async Task RangePastTheEnd_IsTruncated()
    {
        var bytes = await _store.GetAsync("temp/c/0/1", ByteRange.FromOffset(4990, 100));
        Assert.Equal(_object.AsSpan(4990).ToArray(), bytes);
    }

    [Fact]
    public async Task RangeStartingBeyondTheEnd_IsAbsent()
    {
        Assert.Null(await _store.GetAsync("temp/c/0/1", ByteRange.FromOffset(6000, 10)));
    }

    [Fact]
    public async Task MissingKey_IsNull()
    {
        Assert.Null(await _store.GetAsync("temp/c/9/9"));
        Assert.Null(await _store.GetAsync("nothing/here", ByteRange.FromOffset(0, 10)));
    }

    [Fact]
    public async Task Keys_are_escaped_per_segment()
    {
        Assert.Equal(new byte[] { 1, 2, 3 }, await _store.GetAsync("name with space"));
    }

    [Fact]
    public async Task KeyClimbingOutOfTheRoot_IsRejected()
    {
        var ex = await Assert.ThrowsAsync<StoreException>(() => _store.GetAsync("../store.zarr/zarr.json").AsTask());
        Assert.Equal("../store.zarr/zarr.json", ex.Key);
    }

    [Fact]
    public async Task ConcurrentRangeReads_EachGetTheirOwnBytes()
    {
        var tasks = Enumerable.Range(0, 64)
            .Select(i => _store.GetAsync("temp/c/0/1", ByteRange.FromOffset(i * 70, 70)).AsTask())
            .ToArray();
        var results = await Task.WhenAll(tasks);
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(_object.AsSpan(i * 70, 70).ToArray(), results[i]);
        }
    }

    [Fact]
    public async Task QueryStringOfTheRoot_IsSentWithEveryRequest()
    {
        // Kestrel's static files ignore the query; the point is that keys go before it, not after.
        var signed = _factory.Open(_server.BaseUrl + "/store.zarr?sig=abc");
        Assert.Equal(_object.AsSpan(10, 5).ToArray(), await signed.GetAsync("temp/c/0/1", ByteRange.FromOffset(10, 5)));
        Assert.DoesNotContain("sig", signed.Location, StringComparison.Ordinal);
    }
}
