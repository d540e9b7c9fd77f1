namespace TileServer.Zarr;

/// <summary>
/// Decoded chunks shared across requests, bounded in bytes, with in-flight coalescing
/// (concurrent requests for one chunk decode it once). A failed or cancelled decode is not cached.
/// </summary>
/// <remarks>
/// Hits take no lock: every tile looks up several chunks (one per band), so a global lock on the hit path is where
/// concurrent requests would queue. Eviction is least-recently-used by last-access timestamp; when an insert
/// overflows the budget, the oldest entries are evicted in one batch down to 15/16 of it, so the sort is paid once
/// per many inserts rather than on every one.
/// </remarks>
public sealed class ChunkCache
{
    /// <summary>Accounted size of an entry besides its data (also what a "missing chunk" entry costs).</summary>
    internal const long EntryOverhead = 96;

    private readonly object _gate = new();
    private readonly LruEntries<ChunkCacheKey, CachedChunk> _entries = new(null, static delta => Telemetry.ChunkCacheBytes.Add(delta));
    private readonly Dictionary<ChunkCacheKey, Task<CachedChunk>> _inFlight = [];
    private static readonly KeyValuePair<string, object?> HitTag = new("result", "hit");
    private static readonly KeyValuePair<string, object?> MissTag = new("result", "miss");

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
    public long CurrentBytes => _entries.Bytes;

    public int Count => _entries.Count;

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
        }
    }

    internal bool TryGet(in ChunkCacheKey key, out CachedChunk chunk)
    {
        if (_entries.TryGet(key, out chunk))
        {
            Interlocked.Increment(ref _hits);
            Telemetry.ChunkCacheLookups.Add(1, HitTag);
            return true;
        }

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
            if (TryGet(key, out var cached))
            {
                onShared?.Invoke();
                return cached;
            }

            Task<CachedChunk>? shared;
            TaskCompletionSource<CachedChunk>? owner = null;
            lock (_gate)
            {
                // Checked again under the gate: a load may have finished since the lock-free lookup.
                if (_entries.TryGet(key, out var entry))
                {
                    Interlocked.Increment(ref _hits);
                    Telemetry.ChunkCacheLookups.Add(1, HitTag);
                    onShared?.Invoke();
                    return entry;
                }

                if (_inFlight.TryGetValue(key, out shared))
                {
                    Interlocked.Increment(ref _coalesced);
                }
                else
                {
                    Interlocked.Increment(ref _misses);
                    Telemetry.ChunkCacheLookups.Add(1, MissTag);
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

    // Under _gate: evicts the oldest entries, never the one just added, down to 15/16 of the budget (or to room for it).
    private void Add(ChunkCacheKey key, CachedChunk chunk)
    {
        long size = chunk.Size;
        if (size > CapacityBytes || _entries.TryAdd(key, chunk, size) is not { } bytes)
        {
            return;
        }

        if (bytes > CapacityBytes)
        {
            Interlocked.Add(ref _evictions, _entries.EvictOldest(bytes - Math.Min(CapacityBytes - (CapacityBytes / 16), CapacityBytes - size), key));
        }
    }
}

/// <summary>Identity of a decoded chunk: the store, the array inside it and the chunk (or inner chunk) key.</summary>
internal readonly record struct ChunkCacheKey(string StoreLocation, string ArrayPath, string ChunkKey);

/// <summary>A decoded chunk (native C-order bytes), or null data for a chunk that is absent (all fill value).</summary>
internal readonly record struct CachedChunk(byte[]? Data)
{
    public long Size => (Data?.LongLength ?? 0) + ChunkCache.EntryOverhead;
}
