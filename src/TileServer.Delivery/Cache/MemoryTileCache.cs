using System.Collections.Concurrent;
using System.Diagnostics;

namespace TileServer.Delivery.Cache;

/// <summary>
/// The in-process tier: rendered tiles by key, bounded in bytes, least recently used evicted first. Hits take no lock;
/// an insert that overflows the budget evicts in one batch down to 15/16 of it, so the sort is paid once per many
/// inserts (the same scheme as the decoded-chunk cache).
/// </summary>
public sealed class MemoryTileCache
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly object _evictGate = new();
    private long _bytes;

    public MemoryTileCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    public long CurrentBytes => Interlocked.Read(ref _bytes);

    public int Count => _entries.Count;

    public bool TryGet(string key, out CachedTile tile)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Touch();
            tile = entry.Tile;
            return true;
        }

        tile = null!;
        return false;
    }

    public void Set(string key, CachedTile tile)
    {
        long size = tile.Size + (key.Length * 2);
        if (size > CapacityBytes / 8)
        {
            return;
        }

        var entry = new Entry(tile, size);
        long delta = 0;
        _entries.AddOrUpdate(key, _ =>
        {
            delta = size;
            return entry;
        }, (_, old) =>
        {
            delta = size - old.Size;
            return entry;
        });
        long total = Interlocked.Add(ref _bytes, delta);
        Telemetry.TileCacheBytes.Add(delta, TierTag);
        if (total > CapacityBytes)
        {
            Evict(key);
        }
    }

    public void Clear()
    {
        lock (_evictGate)
        {
            foreach (var key in _entries.Keys)
            {
                Remove(key);
            }
        }
    }

    private static readonly KeyValuePair<string, object?> TierTag = new("tier", "memory");

    private void Evict(string keep)
    {
        lock (_evictGate)
        {
            long excess = Interlocked.Read(ref _bytes) - (CapacityBytes - (CapacityBytes / 16));
            if (excess <= 0)
            {
                return;
            }

            var candidates = _entries.Where(e => e.Key != keep).Select(e => (e.Key, e.Value.LastUsed)).ToArray();
            Array.Sort(candidates, static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
            foreach (var (key, _) in candidates)
            {
                if (excess <= 0)
                {
                    break;
                }

                excess -= Remove(key);
            }
        }
    }

    private long Remove(string key)
    {
        if (!_entries.TryRemove(key, out var removed))
        {
            return 0;
        }

        Interlocked.Add(ref _bytes, -removed.Size);
        Telemetry.TileCacheBytes.Add(-removed.Size, TierTag);
        return removed.Size;
    }

    private sealed class Entry(CachedTile tile, long size)
    {
        private long _lastUsed = Stopwatch.GetTimestamp();

        public CachedTile Tile { get; } = tile;

        public long Size { get; } = size;

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch() => Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
    }
}
