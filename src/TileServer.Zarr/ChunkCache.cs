namespace TileServer.Zarr;

/// <summary>
/// Decoded chunks shared across requests, bounded in bytes, with in-flight coalescing
/// (concurrent requests for one chunk decode it once). A failed or cancelled decode is not cached.
/// Entries are evicted least-recently-used first.
/// </summary>
public sealed class ChunkCache
{
    /// <summary>Accounted size of an entry besides its data (also what a "missing chunk" entry costs).</summary>
    internal const long EntryOverhead = 96;

    private readonly object _gate = new();
    private readonly Dictionary<ChunkCacheKey, LinkedListNode<Entry>> _entries = [];
    private readonly LinkedList<Entry> _lru = new();
    private readonly Dictionary<ChunkCacheKey, Task<CachedChunk>> _inFlight = [];
    private long _bytes;
    private long _hits;
    private long _misses;
    private long _coalesced;
    private long _evictions;

    public ChunkCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
    }

    public long CapacityBytes { get; }

    /// <summary>Lookups answered from the cache.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that had to load and decode.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Lookups that joined a load already in flight instead of starting their own.</summary>
    public long Coalesced => Interlocked.Read(ref _coalesced);

    public long Evictions => Interlocked.Read(ref _evictions);

    /// <summary>Bytes held now (decoded data plus a small per-entry overhead).</summary>
    public long CurrentBytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _entries.Count;
            }
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _lru.Clear();
            _bytes = 0;
        }
    }

    internal bool TryGet(in ChunkCacheKey key, out CachedChunk chunk)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var node))
            {
                _lru.Remove(node);
                _lru.AddFirst(node);
                _hits++;
                chunk = node.Value.Chunk;
                return true;
            }
        }

        chunk = default;
        return false;
    }

    /// <summary>
    /// The cached chunk for <paramref name="key"/>, or the result of <paramref name="load"/>, run once however many
    /// callers ask concurrently. A caller whose load was cancelled by another caller's token retries with its own.
    /// </summary>
    internal async ValueTask<CachedChunk> GetOrLoadAsync(ChunkCacheKey key, Func<CancellationToken, Task<CachedChunk>> load, Action? onShared, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task<CachedChunk>? shared;
            TaskCompletionSource<CachedChunk>? owner = null;
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var node))
                {
                    _lru.Remove(node);
                    _lru.AddFirst(node);
                    _hits++;
                    onShared?.Invoke();
                    return node.Value.Chunk;
                }

                if (_inFlight.TryGetValue(key, out shared))
                {
                    _coalesced++;
                }
                else
                {
                    _misses++;
                    owner = new TaskCompletionSource<CachedChunk>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _inFlight[key] = owner.Task;
                }
            }

            if (owner is not null)
            {
                return await LoadAsOwnerAsync(key, load, owner, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var result = await shared!.WaitAsync(cancellationToken).ConfigureAwait(false);
                onShared?.Invoke();
                return result;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The loading caller was cancelled, not us: try again (we may become the loader).
            }
        }
    }

    private async Task<CachedChunk> LoadAsOwnerAsync(ChunkCacheKey key, Func<CancellationToken, Task<CachedChunk>> load, TaskCompletionSource<CachedChunk> owner, CancellationToken cancellationToken)
    {
        CachedChunk result;
        try
        {
            result = await load(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            lock (_gate)
            {
                _inFlight.Remove(key);
            }

            owner.SetCanceled(ex.CancellationToken);
            throw;
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                _inFlight.Remove(key);
            }

            owner.SetException(ex);
            _ = owner.Task.Exception; // observed: the caller rethrows it
            throw;
        }

        lock (_gate)
        {
            _inFlight.Remove(key);
            Add(key, result);
        }

        owner.SetResult(result);
        return result;
    }

    private void Add(ChunkCacheKey key, CachedChunk chunk)
    {
        long size = chunk.Size;
        if (size > CapacityBytes || _entries.ContainsKey(key))
        {
            return;
        }

        while (_bytes + size > CapacityBytes && _lru.Last is { } last)
        {
            _lru.RemoveLast();
            _entries.Remove(last.Value.Key);
            _bytes -= last.Value.Chunk.Size;
            _evictions++;
        }

        _entries[key] = _lru.AddFirst(new Entry(key, chunk));
        _bytes += size;
    }

    private sealed record Entry(ChunkCacheKey Key, CachedChunk Chunk);
}

/// <summary>Identity of a decoded chunk: the store, the array inside it and the chunk (or inner chunk) key.</summary>
internal readonly record struct ChunkCacheKey(string StoreLocation, string ArrayPath, string ChunkKey);

/// <summary>A decoded chunk (native C-order bytes), or null data for a chunk that is absent (all fill value).</summary>
internal readonly record struct CachedChunk(byte[]? Data)
{
    public long Size => (Data?.LongLength ?? 0) + ChunkCache.EntryOverhead;
}
