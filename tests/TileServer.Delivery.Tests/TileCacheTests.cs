using Microsoft.Extensions.Logging.Abstractions;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Delivery.Tests;

public sealed class TileCacheTests
{
    private static CachedTile Tile(string text) => new(System.Text.Encoding.UTF8.GetBytes(text), "image/png", "\"" + text + "\"");

    private static TileCache Cache(long memoryBytes = 1 << 20, string? redis = null)
        => new(new TileCacheOptions { MemoryBytes = memoryBytes, Redis = redis, RedisTimeoutMilliseconds = 300 }, NullLoggerFactory.Instance);

    [Fact]
    public async Task Second_request_for_a_key_is_answered_by_the_memory_tier_without_rendering()
    {
        await using var cache = Cache();
        int renders = 0;
        Task<CachedTile> Render(CancellationToken _) => Task.FromResult(Tile("a" + Interlocked.Increment(ref renders)));

        var first = await cache.GetOrRenderAsync("v1/tile/1", Render, default);
        var second = await cache.GetOrRenderAsync("v1/tile/1", Render, default);

        Assert.Equal(TileCacheTier.Miss, first.Tier);
        Assert.Equal(TileCacheTier.Memory, second.Tier);
        Assert.Equal(1, renders);
        Assert.Equal(first.Tile.Bytes, second.Tile.Bytes);
    }

    [Fact]
    public async Task Concurrent_misses_for_one_key_render_once()
    {
        await using var cache = Cache();
        int renders = 0;
        var gate = new TaskCompletionSource();
        async Task<CachedTile> Render(CancellationToken _)
        {
            Interlocked.Increment(ref renders);
            await gate.Task;
            return Tile("slow");
        }

        var lookups = Enumerable.Range(0, 20).Select(_ => Task.Run(() => cache.GetOrRenderAsync("v1/same", Render, default))).ToArray();
        await Task.Delay(200);
        gate.SetResult();
        var results = await Task.WhenAll(lookups);

        Assert.Equal(1, renders);
        Assert.All(results, r => Assert.Equal("slow"u8.ToArray(), r.Tile.Bytes));
    }

    [Fact]
    public async Task A_failed_render_is_not_cached_and_reaches_every_waiter()
    {
        await using var cache = Cache();
        int renders = 0;
        Task<CachedTile> Fail(CancellationToken _)
        {
            Interlocked.Increment(ref renders);
            throw new BadRequestException("rescale", "bad");
        }

        await Assert.ThrowsAsync<BadRequestException>(() => cache.GetOrRenderAsync("v1/bad", Fail, default));
        await Assert.ThrowsAsync<BadRequestException>(() => cache.GetOrRenderAsync("v1/bad", Fail, default));
        Assert.Equal(2, renders);
    }

    [Fact]
    public async Task Memory_tier_stays_within_its_byte_budget()
    {
        const long budget = 256 * 1024;
        await using var cache = Cache(budget);
        for (int i = 0; i < 200; i++)
        {
            int n = i;
            await cache.GetOrRenderAsync("v1/" + n, _ => Task.FromResult(new CachedTile(new byte[10_000], "image/png", "\"x\"")), default);
        }

        Assert.InRange(cache.Memory!.CurrentBytes, 1, budget);
        Assert.True(cache.Memory.Count < 200);
        // The newest entry survives eviction.
        Assert.Equal(TileCacheTier.Memory, (await cache.GetOrRenderAsync("v1/199", _ => throw new InvalidOperationException("must not render"), default)).Tier);
    }

    [Fact]
    public void Serialised_entry_round_trips_and_foreign_values_are_rejected()
    {
        var tile = new CachedTile([1, 2, 3, 0, 255], "image/webp", "\"abc\"");
        var back = CachedTile.Deserialize(tile.Serialize());
        Assert.NotNull(back);
        Assert.Equal(tile.Bytes, back.Bytes);
        Assert.Equal("image/webp", back.ContentType);
        Assert.Equal("\"abc\"", back.ETag);
        Assert.Null(CachedTile.Deserialize("not ours"u8));
        Assert.Null(CachedTile.Deserialize(tile.Serialize().AsSpan(0, 8)));
    }
}
