using Microsoft.Extensions.Logging.Abstractions;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Delivery.Tests;

/// <summary>The shared tier against a real redis-server: replicas share renders, and Redis going away is a counted miss.</summary>
public sealed class RedisTierTests : IAsyncLifetime
{
    private RedisServer _redis = null!;

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    private static TileCache Replica(string redis, long memoryBytes = 1 << 20)
        => new(new TileCacheOptions { MemoryBytes = memoryBytes, Redis = redis, RedisTimeoutMilliseconds = 500 }, NullLoggerFactory.Instance);

    private static Func<CancellationToken, Task<CachedTile>> Counting(Ref counter, string text)
        => _ =>
        {
            Interlocked.Increment(ref counter.Value);
            return Task.FromResult(new CachedTile(System.Text.Encoding.UTF8.GetBytes(text), "image/png", "\"e-" + text + "\""));
        };

    private sealed class Ref
    {
        public int Value;
    }

    [Fact]
    public async Task A_tile_rendered_by_one_replica_is_served_by_another_from_redis()
    {
        await using var a = Replica(_redis.ConnectionString);
        await using var b = Replica(_redis.ConnectionString);
        var renders = new Ref();

        var fromA = await a.GetOrRenderAsync("v7/tile/3/1/2", Counting(renders, "tile-bytes"), default);
        // The write to Redis follows the answer; wait until it landed.
        TileLookup fromB = default;
        for (int i = 0; i < 50; i++)
        {
            await using var probe = Replica(_redis.ConnectionString, memoryBytes: 0);
            fromB = await probe.GetOrRenderAsync("v7/tile/3/1/2", _ => Task.FromResult(new CachedTile([], "x", "\"probe\"")), default);
            if (fromB.Tier == TileCacheTier.Redis)
            {
                break;
            }

            await Task.Delay(100);
        }

        var second = await b.GetOrRenderAsync("v7/tile/3/1/2", Counting(renders, "other"), default);
        Assert.Equal(TileCacheTier.Miss, fromA.Tier);
        Assert.Equal(TileCacheTier.Redis, second.Tier);
        Assert.Equal(1, renders.Value);
        Assert.Equal(fromA.Tile.Bytes, second.Tile.Bytes);
        Assert.Equal("\"e-tile-bytes\"", second.Tile.ETag);
        Assert.Equal(TileCacheTier.Memory, (await b.GetOrRenderAsync("v7/tile/3/1/2", Counting(renders, "third"), default)).Tier);
    }

    [Fact]
    public async Task Redis_on_a_closed_port_is_a_counted_miss_not_an_error()
    {
        using var lookups = new MetricRecorder("tileserver.tile_cache.lookups");
        await using var cache = Replica("127.0.0.1:" + RedisServer.FreePort(), memoryBytes: 0);
        var renders = new Ref();

        var first = await cache.GetOrRenderAsync("v1/a", Counting(renders, "a"), default);
        var second = await cache.GetOrRenderAsync("v1/a", Counting(renders, "a"), default);

        Assert.Equal(TileCacheTier.Miss, first.Tier);
        Assert.Equal(TileCacheTier.Miss, second.Tier);
        Assert.Equal(2, renders.Value);
        Assert.Equal("a"u8.ToArray(), second.Tile.Bytes);
        Assert.Equal(2, lookups.Sum("result=error,tier=redis"));
    }

    [Fact]
    public async Task Redis_killed_while_serving_turns_into_counted_misses_and_back_into_hits_when_it_returns()
    {
        using var lookups = new MetricRecorder("tileserver.tile_cache.lookups");
        await using var cache = Replica(_redis.ConnectionString, memoryBytes: 0);
        var renders = new Ref();
        await cache.GetOrRenderAsync("v1/k", Counting(renders, "k"), default);

        await _redis.KillAsync();
        var whileDown = await cache.GetOrRenderAsync("v1/k", Counting(renders, "k"), default);
        Assert.Equal(TileCacheTier.Miss, whileDown.Tier);
        Assert.Equal(2, renders.Value);
        Assert.True(lookups.Sum("result=error,tier=redis") >= 1);

        // Back (empty, no persistence): the client reconnects by itself and the tier fills and answers again.
        await _redis.RestartAsync();
        TileLookup again = default;
        for (int i = 0; i < 100 && again.Tier != TileCacheTier.Redis; i++)
        {
            await Task.Delay(100);
            again = await cache.GetOrRenderAsync("v1/k", Counting(renders, "k"), default);
        }

        Assert.Equal(TileCacheTier.Redis, again.Tier);
    }
}
