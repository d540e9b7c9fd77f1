using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace TileServer.Delivery.Cache;

/// <summary>
/// Rendered tiles in two tiers: the in-process <see cref="MemoryTileCache"/>, then the shared <see cref="RedisTileTier"/>
/// when configured. Concurrent misses for one key render once: the first starts the flight (shared lookup, then render),
/// the others wait for it. Keys are built by the caller from the dataset version and the normalised request, so a new
/// dataset version is never answered from an old entry.
/// </summary>
public sealed class TileCache : IAsyncDisposable
{
    private static readonly KeyValuePair<string, object?> MemoryTier = new("tier", "memory");
    private static readonly KeyValuePair<string, object?> RedisTier = new("tier", "redis");
    private static readonly KeyValuePair<string, object?> Hit = new("result", "hit");
    private static readonly KeyValuePair<string, object?> Miss = new("result", "miss");
    private static readonly KeyValuePair<string, object?> Error = new("result", "error");

    private readonly TileCacheOptions _options;
    private readonly MemoryTileCache? _memory;
    private readonly RedisTileTier? _redis;
    private readonly ConcurrentDictionary<string, Flight> _flights = new(StringComparer.Ordinal);

    public TileCache(TileCacheOptions options, ILoggerFactory loggers)
    {
        _options = options;
        _memory = options.MemoryBytes > 0 ? new MemoryTileCache(options.MemoryBytes) : null;
        _redis = options.HasRedis ? new RedisTileTier(options, loggers.CreateLogger<RedisTileTier>()) : null;
        Log.TileCacheConfigured(loggers.CreateLogger<TileCache>(), options.MemoryBytes, options.HasRedis ? "Redis" : "off");
    }

    /// <summary>False when both tiers are off: callers then render directly.</summary>
    public bool Enabled => _memory is not null || _redis is not null;

    public MemoryTileCache? Memory => _memory;

    /// <summary>
    /// The tile for a key from the first tier that has it, or rendered by <paramref name="render"/> (once per key,
    /// however many requests ask at the same time) and stored in both tiers. A render that throws is not cached.
    /// </summary>
    /// <remarks>
    /// The shared flight runs with a token of its own, cancelled only when every request waiting on it has gone: one
    /// client going away does not fail the others, and a render nobody waits for any more stops costing CPU and reads.
    /// </remarks>
    public async Task<TileLookup> GetOrRenderAsync(string key, Func<CancellationToken, Task<CachedTile>> render, CancellationToken cancellationToken)
    {
        if (_memory is not null)
        {
            if (_memory.TryGet(key, out var hit))
            {
                Telemetry.TileCacheLookups.Add(1, MemoryTier, Hit);
                return new TileLookup(hit, TileCacheTier.Memory);
            }

            Telemetry.TileCacheLookups.Add(1, MemoryTier, Miss);
        }

        var mine = new Flight();
        while (true)
        {
            var flight = _flights.GetOrAdd(key, mine);
            if (flight == mine)
            {
                break;
            }

            if (flight.TryJoin())
            {
                mine.Dispose();
                Telemetry.TileCacheJoined.Add(1);
                return await flight.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            // Every waiter of that flight has gone and it is being cancelled: start a new one.
            _flights.TryRemove(KeyValuePair.Create(key, flight));
        }

        _ = FlyAsync(key, mine, render);
        return await mine.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task FlyAsync(string key, Flight flight, Func<CancellationToken, Task<CachedTile>> render)
    {
        try
        {
            flight.Complete(await FillAsync(key, render, flight.Token).ConfigureAwait(false));
        }
        catch (Exception ex)
        {
            flight.Fail(ex);
        }
        finally
        {
            _flights.TryRemove(KeyValuePair.Create(key, flight));
            flight.Dispose();
        }
    }

    /// <summary>True when a shared (Redis) tier is configured.</summary>
    public bool Shared => _redis is not null;

    /// <summary>
    /// Puts a rendered tile in both tiers, as a render would (the seed command's way of filling the shared tier), and
    /// says whether the shared tier took it: the seed command must not report tiles that Redis refused as cached.
    /// </summary>
    public async ValueTask<TileStoreResult> StoreAsync(string key, CachedTile tile, CancellationToken cancellationToken)
    {
        if (!tile.Keep || tile.Bytes.Length > _options.MaxEntryBytes)
        {
            return TileStoreResult.NotKept;
        }

        _memory?.Set(key, tile);
        if (_redis is not null && !await _redis.SetAsync(key, tile, cancellationToken).ConfigureAwait(false))
        {
            return TileStoreResult.Failed;
        }

        return TileStoreResult.Stored;
    }

    private async Task<TileLookup> FillAsync(string key, Func<CancellationToken, Task<CachedTile>> render, CancellationToken cancellationToken)
    {
        if (_redis is not null)
        {
            var (shared, failed) = await _redis.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (shared is not null)
            {
                Telemetry.TileCacheLookups.Add(1, RedisTier, Hit);
                _memory?.Set(key, shared);
                return new TileLookup(shared, TileCacheTier.Redis);
            }

            // Redis down is a miss too (the tile is rendered here), counted apart so that an operator sees it.
            Telemetry.TileCacheLookups.Add(1, RedisTier, failed ? Error : Miss);
        }

        var tile = await render(cancellationToken).ConfigureAwait(false);
        if (tile.Keep && tile.Bytes.Length <= _options.MaxEntryBytes)
        {
            _memory?.Set(key, tile);
            if (_redis is not null)
            {
                // Written after the answer is known; the requests waiting on this flight do not wait for Redis.
                _ = _redis.SetAsync(key, tile, CancellationToken.None).AsTask();
            }
        }

        return new TileLookup(tile, TileCacheTier.Miss);
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync().ConfigureAwait(false);
        }
    }
}
