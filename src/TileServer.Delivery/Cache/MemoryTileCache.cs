namespace TileServer.Delivery.Cache;

/// <summary>
/// The in-process tier: rendered tiles by key, bounded in bytes, least recently used evicted first. Hits take no lock;
/// an insert that overflows the budget evicts in one batch down to 15/16 of it (<see cref="LruEntries{TKey, TValue}"/>,
/// as the decoded-chunk cache does).
/// </summary>
public sealed class MemoryTileCache
{
    private static readonly KeyValuePair<string, object?> TierTag = new("tier", "memory");

    private readonly LruEntries<string, CachedTile> _entries = new(StringComparer.Ordinal, static delta => Telemetry.TileCacheBytes.Add(delta, TierTag));
    private readonly object _evictGate = new();

    public MemoryTileCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long CurrentBytes => _entries.Bytes;

    public int Count => _entries.Count;

    public bool TryGet(string key, out CachedTile tile) => _entries.TryGet(key, out tile);

    public void Set(string key, CachedTile tile)
    {
        long size = tile.Size + (key.Length * 2);
        if (size > CapacityBytes / 8)
        {
            return;
        }

        if (_entries.Set(key, tile, size) > CapacityBytes)
        {
            Evict(key);
        }
    }

    public void Clear()
    {
        lock (_evictGate)
        {
            _entries.Clear();
        }
    }

    private void Evict(string keep)
    {
        lock (_evictGate)
        {
            long excess = _entries.Bytes - (CapacityBytes - (CapacityBytes / 16));
            if (excess > 0)
            {
                _entries.EvictOldest(excess, keep);
            }
        }
    }
}
