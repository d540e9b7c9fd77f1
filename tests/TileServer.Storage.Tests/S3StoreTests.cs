using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>S3Store against a real S3-compatible server (s3rver) with real SigV4 signatures, path style.</summary>
public sealed class S3StoreTests : IClassFixture<S3rverFixture>, IAsyncLifetime
{
    private static readonly byte[] Chunk = Enumerable.Range(0, 3000).Select(i => (byte)(i * 13 % 256)).ToArray();
    private readonly S3rverFixture _s3;

    public S3StoreTests(S3rverFixture s3)
    {
        _s3 = s3;
    }

    public async Task InitializeAsync()
    {
        await _s3.PutAsync("data/era5.zarr/t2m/c/0/0", Chunk);
        await _s3.PutAsync("data/era5.zarr/zarr.json", "{\"zarr_format\":3}"u8.ToArray());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task WholeObject_IsReturnedByteForByte()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data/era5.zarr");

        Assert.Equal(Chunk, await store.GetAsync("t2m/c/0/0"));
        Assert.Equal("{\"zarr_format\":3}"u8.ToArray(), await store.GetAsync("zarr.json"));
    }

    [Fact]
    public async Task Range_ReturnsExactlyThoseBytes()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data/era5.zarr/");

        Assert.Equal(Chunk.AsSpan(1234, 567).ToArray(), await store.GetAsync("t2m/c/0/0", ByteRange.FromOffset(1234, 567)));
        Assert.Equal(Chunk.AsSpan(2990).ToArray(), await store.GetAsync("t2m/c/0/0", ByteRange.FromOffset(2990, 100)));
    }

    [Fact]
    public async Task SuffixRange_ReturnsTheLastBytes()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data");

        Assert.Equal(Chunk.AsSpan(Chunk.Length - 20).ToArray(), await store.GetAsync("era5.zarr/t2m/c/0/0", ByteRange.Suffix(20)));
    }

    [Fact]
    public async Task MissingKey_IsNull()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data/era5.zarr");

        Assert.Null(await store.GetAsync("t2m/c/9/9"));
        Assert.Null(await store.GetAsync("t2m/c/9/9", ByteRange.FromOffset(0, 4)));
    }

    [Fact]
    public async Task WrongCredentials_AreAStoreExceptionNamingTheKey()
    {
        using var factory = new ByteStoreFactory(_s3.Options("WRONGKEY", "wrongsecret"));
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data/era5.zarr");

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("zarr.json").AsTask());

        Assert.Equal("zarr.json", ex.Key);
        Assert.Equal($"s3://{S3rverFixture.Bucket}/data/era5.zarr", ex.Location);
        Assert.Contains("403", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingBucket_IsAStoreExceptionNotAbsence()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open("s3://no-such-bucket/x");

        var ex = await Assert.ThrowsAsync<StoreException>(() => store.GetAsync("zarr.json").AsTask());
        Assert.Contains("NoSuchBucket", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConcurrentReads_ShareOneClientAndAllSucceed()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data/era5.zarr");

        var results = await Task.WhenAll(Enumerable.Range(0, 30)
            .Select(i => store.GetAsync("t2m/c/0/0", ByteRange.FromOffset(i * 100, 100)).AsTask()));
        for (int i = 0; i < results.Length; i++)
        {
            Assert.Equal(Chunk.AsSpan(i * 100, 100).ToArray(), results[i]);
        }
    }

    [Fact]
    public async Task CallerCancellation_Propagates()
    {
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"s3://{S3rverFixture.Bucket}/data/era5.zarr");
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.GetAsync("zarr.json", null, cts.Token).AsTask());
    }

    [Fact]
    public async Task KerchunkReferencesOnS3_ServeChunksOfANetCdfOnS3()
    {
        string folder = RepoPaths.KerchunkData;
        var netcdf = await File.ReadAllBytesAsync(Path.Combine(folder, "sample.nc"));
        await _s3.PutAsync("archive/sample.nc", netcdf);
        await _s3.PutAsync("archive/refs_v1.json", await File.ReadAllBytesAsync(Path.Combine(folder, "refs_v1.json")));
        using var factory = new ByteStoreFactory(_s3.Options());
        var store = factory.Open($"reference://s3://{S3rverFixture.Bucket}/archive/refs_v1.json");

        using var chunks = System.Text.Json.JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "chunks.json")));
        foreach (var entry in chunks.RootElement.GetProperty("ranges").EnumerateObject())
        {
            int offset = entry.Value[0].GetInt32();
            int length = entry.Value[1].GetInt32();
            Assert.Equal(netcdf.AsSpan(offset, length).ToArray(), await store.GetAsync(entry.Name));
        }

        Assert.StartsWith("{", System.Text.Encoding.UTF8.GetString((await store.GetAsync("temperature/.zarray"))!), StringComparison.Ordinal);
    }
}
