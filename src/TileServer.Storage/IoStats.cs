namespace TileServer.Storage;

/// <summary>
/// Counters for one logical operation (a tile, a point query), filled by the layers as they work so that
/// responses (Server-Timing) and tests can see what a read cost. Thread-safe: chunk reads run in parallel.
/// </summary>
public sealed class IoStats
{
    private long _storeRequests;
    private long _storeBytes;
    private long _chunksDecoded;
    private long _chunkCacheHits;
    private long _storeTicks;
    private long _decodeTicks;

    public long StoreRequests => Interlocked.Read(ref _storeRequests);
    public long StoreBytes => Interlocked.Read(ref _storeBytes);
    public long ChunksDecoded => Interlocked.Read(ref _chunksDecoded);
    public long ChunkCacheHits => Interlocked.Read(ref _chunkCacheHits);

    /// <summary>Time spent waiting on the store, summed over parallel reads.</summary>
    public TimeSpan StoreTime => TimeSpan.FromTicks(Interlocked.Read(ref _storeTicks));

    /// <summary>Time spent decoding chunks, summed over parallel decodes.</summary>
    public TimeSpan DecodeTime => TimeSpan.FromTicks(Interlocked.Read(ref _decodeTicks));

    public void AddStoreRequest(long bytes, TimeSpan elapsed)
    {
        Interlocked.Increment(ref _storeRequests);
        Interlocked.Add(ref _storeBytes, bytes);
        Interlocked.Add(ref _storeTicks, elapsed.Ticks);
    }

    public void AddChunkDecoded(TimeSpan elapsed)
    {
        Interlocked.Increment(ref _chunksDecoded);
        Interlocked.Add(ref _decodeTicks, elapsed.Ticks);
    }

    public void AddChunkCacheHit() => Interlocked.Increment(ref _chunkCacheHits);
}
