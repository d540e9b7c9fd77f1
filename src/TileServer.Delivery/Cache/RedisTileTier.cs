using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TileServer.Delivery.Cache;

/// <summary>
/// The shared tier: rendered tiles in Redis, so a tile one replica rendered is not rendered again by another.
/// Redis is an optimisation, never a dependency: a failed or slow command is a logged, counted miss, and commands
/// fail fast while the connection is down instead of queueing behind it.
/// </summary>
public sealed class RedisTileTier : IAsyncDisposable
{
    private readonly TileCacheOptions _options;
    private readonly ILogger<RedisTileTier> _log;
    private readonly SemaphoreSlim _connectGate = new(1, 1);
    private ConnectionMultiplexer? _connection;
    private int _failing;

    public RedisTileTier(TileCacheOptions options, ILogger<RedisTileTier> log)
    {
        _options = options;
        _log = log;
    }

    /// <summary>The stored entry, or null on a miss (absent or unreadable); Failed when Redis did not answer.</summary>
    public async ValueTask<(CachedTile? Tile, bool Failed)> GetAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            var value = await db.StringGetAsync(_options.RedisKeyPrefix + key).WaitAsync(cancellationToken).ConfigureAwait(false);
            Recovered();
            return (value.IsNull ? null : CachedTile.Deserialize(((ReadOnlyMemory<byte>)value).Span), false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(ex);
            return (null, true);
        }
    }

    /// <summary>Stores an entry with the configured time to live; false when Redis did not take it (logged and counted, never thrown).</summary>
    public async ValueTask<bool> SetAsync(string key, CachedTile tile, CancellationToken cancellationToken)
    {
        try
        {
            var db = await DatabaseAsync(cancellationToken).ConfigureAwait(false);
            await db.StringSetAsync(_options.RedisKeyPrefix + key, tile.Serialize(), TimeSpan.FromSeconds(_options.RedisTtlSeconds)).WaitAsync(cancellationToken).ConfigureAwait(false);
            Recovered();
            Telemetry.TileCacheWrites.Add(1, Tier, new("result", "ok"));
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            Failed(ex);
            Telemetry.TileCacheWrites.Add(1, Tier, new("result", "error"));
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is { } connection)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }

        _connectGate.Dispose();
    }

    private static readonly KeyValuePair<string, object?> Tier = new("tier", "redis");

    private async ValueTask<IDatabase> DatabaseAsync(CancellationToken cancellationToken)
    {
        if (_connection is { } ready)
        {
            return ready.GetDatabase();
        }

        await _connectGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_connection is null)
            {
                var config = ConfigurationOptions.Parse(_options.Redis!);
                // Reconnect in the background and fail commands at once while disconnected: a tile request must not wait for Redis.
                config.AbortOnConnectFail = false;
                config.BacklogPolicy = BacklogPolicy.FailFast;
                config.ConnectTimeout = Math.Min(config.ConnectTimeout, _options.RedisTimeoutMilliseconds * 4);
                config.SyncTimeout = _options.RedisTimeoutMilliseconds;
                config.AsyncTimeout = _options.RedisTimeoutMilliseconds;
                _connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
            }

            return _connection.GetDatabase();
        }
        finally
        {
            _connectGate.Release();
        }
    }

    private void Failed(Exception ex)
    {
        // Logged when the tier starts failing, not for every tile while it stays down.
        if (Interlocked.Exchange(ref _failing, 1) == 0)
        {
            Log.RedisUnavailable(_log, ex.Message);
        }
    }

    private void Recovered()
    {
        if (Volatile.Read(ref _failing) == 1 && Interlocked.Exchange(ref _failing, 0) == 1)
        {
            Log.RedisRecovered(_log);
        }
    }
}
