using System.Collections.Concurrent;
using System.Diagnostics;

namespace TileServer;

/// <summary>
/// The entries of a cache bounded in bytes: values by key, each with its size, evicted least recently used first.
/// Lookups take no lock and stamp the entry with the time of use; <see cref="EvictOldest"/> sorts once and frees a
/// whole batch, so a cache that evicts from over its budget down to a lower mark pays the sort once per many inserts.
/// The cache decides what to admit and how much to free, and serialises its evictions; <c>bytesChanged</c> hears
/// every change of the total.
/// </summary>
public sealed class LruEntries<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly Action<long> _bytesChanged;
    private long _bytes;

    public LruEntries(IEqualityComparer<TKey>? comparer, Action<long> bytesChanged)
    {
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
        _bytesChanged = bytesChanged;
    }

    /// <summary>The sizes of the entries held, added up.</summary>
    public long Bytes => Interlocked.Read(ref _bytes);

    public int Count => _entries.Count;

    /// <summary>The value of <paramref name="key"/>, marking it as just used.</summary>
    public bool TryGet(TKey key, out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            entry.Touch();
            value = entry.Value;
            return true;
        }

        value = default!;
        return false;
    }

    /// <summary>Adds <paramref name="value"/> unless <paramref name="key"/> is held; the new total, or null when it was held.</summary>
    public long? TryAdd(TKey key, TValue value, long size)
    {
        if (!_entries.TryAdd(key, new Entry(value, size)))
        {
            return null;
        }

        return Change(size);
    }

    /// <summary>Adds <paramref name="value"/> or replaces the one held for <paramref name="key"/>; the new total.</summary>
    public long Set(TKey key, TValue value, long size)
    {
        var entry = new Entry(value, size);
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
        return Change(delta);
    }

    /// <summary>Removes the least recently used entries, never <paramref name="keep"/>, until at least <paramref name="excess"/> bytes are freed; how many were removed.</summary>
    public int EvictOldest(long excess, TKey keep)
    {
        var candidates = _entries.Where(e => !_entries.Comparer.Equals(e.Key, keep)).Select(e => (e.Key, e.Value.LastUsed)).ToArray();
        Array.Sort(candidates, static (a, b) => a.LastUsed.CompareTo(b.LastUsed));
        long freed = 0;
        int removed = 0;
        foreach (var (key, _) in candidates)
        {
            if (freed >= excess)
            {
                break;
            }

            if (TryRemove(key, out long size))
            {
                freed += size;
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes every entry, one by one (so that the total stays right while others add).</summary>
    public void Clear()
    {
        foreach (var key in _entries.Keys)
        {
            TryRemove(key, out _);
        }
    }

    private bool TryRemove(TKey key, out long size)
    {
        if (!_entries.TryRemove(key, out var removed))
        {
            size = 0;
            return false;
        }

        size = removed.Size;
        Change(-size);
        return true;
    }

    private long Change(long delta)
    {
        long total = Interlocked.Add(ref _bytes, delta);
        _bytesChanged(delta);
        return total;
    }

    private sealed class Entry(TValue value, long size)
    {
        private long _lastUsed = Stopwatch.GetTimestamp();

        public TValue Value { get; } = value;

        public long Size { get; } = size;

        public long LastUsed => Volatile.Read(ref _lastUsed);

        public void Touch() => Volatile.Write(ref _lastUsed, Stopwatch.GetTimestamp());
    }
}
