namespace TileServer.Icechunk;

/// <summary>
/// Parsed snapshots and manifests, bounded in bytes and shared by every repository it is given to. These files
/// are immutable and named by random ids, so an entry never goes stale; keys include the repository location.
/// Concurrent misses for one file share a single load; a failed load is not kept.
/// </summary>
public sealed class IcechunkMetadataCache
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly Dictionary<string, Task<object>> _inFlight = new(StringComparer.Ordinal);
    private long _bytes;

    public IcechunkMetadataCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    /// <summary>Bytes held now (the parsed files' estimated sizes).</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    internal async ValueTask<T> GetOrLoadAsync<T>(string key, Func<Task<(T Value, long Size)>> load, CancellationToken cancellationToken)
        where T : class
    {
        Task<object> task;
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                return (T)node.Value.Value;
            }

            if (!_inFlight.TryGetValue(key, out task!))
            {
                task = LoadAsync(key, load);
                _inFlight[key] = task;
            }
        }

        // The load is shared, so one caller giving up must not cancel it for the others.
        return (T)await task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<object> LoadAsync<T>(string key, Func<Task<(T Value, long Size)>> load)
        where T : class
    {
        try
        {
            await Task.Yield();
            var (value, size) = await load().ConfigureAwait(false);
            lock (_gate)
            {
                if (size <= CapacityBytes)
                {
                    var node = _recency.AddFirst(new Entry(key, value, size));
                    _entries[key] = node;
                    _bytes += size;
                    while (_bytes > CapacityBytes && _recency.Last is { } oldest)
                    {
                        _recency.RemoveLast();
                        _entries.Remove(oldest.Value.Key);
                        _bytes -= oldest.Value.Size;
                    }
                }
            }

            return value;
        }
        finally
        {
            lock (_gate)
            {
                _inFlight.Remove(key);
            }
        }
    }

    private sealed record Entry(string Key, object Value, long Size);
}
