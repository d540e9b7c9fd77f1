namespace TileServer.Delivery.Cache;

/// <summary>Section <c>TileServer:TileCache</c>: the rendered-tile cache tiers.</summary>
public sealed record TileCacheOptions
{
    public const string SectionName = "TileServer:TileCache";

    /// <summary>Bytes of rendered tiles kept in this process; 0 turns the in-process tier off.</summary>
    public long MemoryBytes { get; init; } = 128L * 1024 * 1024;

    /// <summary>A StackExchange.Redis connection string (e.g. <c>redis:6379</c>); empty = no shared tier.</summary>
    public string? Redis { get; init; }

    /// <summary>Prefix of every key this server writes in Redis, so that several deployments can share one instance.</summary>
    public string RedisKeyPrefix { get; init; } = "tileserver:";

    /// <summary>How long a tile stays in Redis; old dataset versions are never asked for again and expire.</summary>
    public int RedisTtlSeconds { get; init; } = 86400;

    /// <summary>Longest wait for one Redis command; a slower answer counts as a miss.</summary>
    public int RedisTimeoutMilliseconds { get; init; } = 500;

    /// <summary>Larger tiles are served but not cached (a few 4096-pixel tiles must not push out thousands of small ones).</summary>
    public int MaxEntryBytes { get; init; } = 8 * 1024 * 1024;

    public bool HasRedis => !string.IsNullOrWhiteSpace(Redis);

    public IEnumerable<string> Validate() => OptionChecks.Problems(
        MemoryBytes >= 0 ? null : $"{SectionName}:MemoryBytes must be >= 0 (0 turns the in-process tier off)",
        OptionChecks.AtLeast(SectionName, nameof(RedisTtlSeconds), RedisTtlSeconds, 1),
        OptionChecks.Between(SectionName, nameof(RedisTimeoutMilliseconds), RedisTimeoutMilliseconds, 10, 60_000),
        OptionChecks.AtLeast(SectionName, nameof(MaxEntryBytes), MaxEntryBytes, 1024),
        RedisProblem());

    private string? RedisProblem()
    {
        if (!HasRedis)
        {
            return null;
        }

        try
        {
            _ = StackExchange.Redis.ConfigurationOptions.Parse(Redis!);
            return null;
        }
        catch (ArgumentException ex)
        {
            return $"{SectionName}:Redis is not a valid StackExchange.Redis connection string ('host:port[,option=value...]'): {ex.Message}";
        }
    }
}
