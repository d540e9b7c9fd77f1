using System.Diagnostics;

namespace TileServer;

/// <summary>
/// What one logical read (a tile, a point query, a preview) cost: store requests and bytes, chunks decoded, cache
/// hits, time waiting on stores and decoding. The reader starts one with <see cref="Begin"/>; the layers below
/// record into <see cref="Current"/> as they work, so no counter object is threaded through their signatures.
/// Thread-safe, because chunk reads of one request run in parallel.
/// </summary>
/// <remarks>
/// The ambient slot flows with the async context the way <see cref="Activity.Current"/> does: work started on
/// behalf of a request (including a shared cache load it started first) records into that request.
/// </remarks>
public sealed class ReadDiagnostics
{
    private static readonly AsyncLocal<ReadDiagnostics?> Ambient = new();

    private long _storeRequests;
    private long _storeBytes;
    private long _chunksDecoded;
    private long _chunkCacheHits;
    private long _storeTicks;
    private long _decodeTicks;
    private long _missingChunks;
    private long _storeRetries;
    private long _storeHedges;
    private long _deadline = long.MaxValue;

    /// <summary>The diagnostics of the read in progress on this async flow, or null outside one.</summary>
    public static ReadDiagnostics? Current => Ambient.Value;

    public long StoreRequests => Interlocked.Read(ref _storeRequests);
    public long StoreBytes => Interlocked.Read(ref _storeBytes);
    public long ChunksDecoded => Interlocked.Read(ref _chunksDecoded);
    public long ChunkCacheHits => Interlocked.Read(ref _chunkCacheHits);

    /// <summary>Chunks that do not exist in the store and read as the fill value.</summary>
    public long MissingChunks => Interlocked.Read(ref _missingChunks);

    /// <summary>Store reads sent again after a transient failure.</summary>
    public long StoreRetries => Interlocked.Read(ref _storeRetries);

    /// <summary>Duplicate reads sent because the first had not answered in time.</summary>
    public long StoreHedges => Interlocked.Read(ref _storeHedges);

    /// <summary>
    /// Time left before the read's deadline (<see cref="TimeSpan.MaxValue"/> when it has none): layers below stop
    /// retrying when the next attempt could not finish in time.
    /// </summary>
    public TimeSpan Remaining
    {
        get
        {
            long deadline = Interlocked.Read(ref _deadline);
            if (deadline == long.MaxValue)
            {
                return TimeSpan.MaxValue;
            }

            long now = Stopwatch.GetTimestamp();
            return now >= deadline ? TimeSpan.Zero : Stopwatch.GetElapsedTime(now, deadline);
        }
    }

    /// <summary>Time spent waiting on stores, summed over parallel reads.</summary>
    public TimeSpan StoreTime => TimeSpan.FromTicks(Interlocked.Read(ref _storeTicks));

    /// <summary>Time spent decoding chunks, summed over parallel decodes.</summary>
    public TimeSpan DecodeTime => TimeSpan.FromTicks(Interlocked.Read(ref _decodeTicks));

    /// <summary>Makes a new <see cref="ReadDiagnostics"/> current until the returned scope is disposed.</summary>
    public static Scope Begin(out ReadDiagnostics diagnostics)
    {
        diagnostics = new ReadDiagnostics();
        var previous = Ambient.Value;
        Ambient.Value = diagnostics;
        return new Scope(previous);
    }

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

    public void AddStoreRetry() => Interlocked.Increment(ref _storeRetries);

    public void AddStoreHedge() => Interlocked.Increment(ref _storeHedges);

    /// <summary>Sets when the read must be done, <paramref name="budget"/> from now.</summary>
    public void SetDeadline(TimeSpan budget)
        => Interlocked.Exchange(ref _deadline, Stopwatch.GetTimestamp() + (long)(budget.TotalSeconds * Stopwatch.Frequency));

    public void AddMissingChunk() => Interlocked.Increment(ref _missingChunks);

    /// <summary>Restores the previous ambient diagnostics when disposed.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly ReadDiagnostics? _previous;

        internal Scope(ReadDiagnostics? previous)
        {
            _previous = previous;
        }

        public void Dispose() => Ambient.Value = _previous;
    }
}
