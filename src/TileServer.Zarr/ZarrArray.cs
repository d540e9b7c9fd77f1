using System.Collections.Concurrent;
using System.Diagnostics;
using TileServer.Storage;
using TileServer.Zarr.Codecs;
using TileServer.Zarr.Metadata;
using TileServer.Zarr.Reading;

namespace TileServer.Zarr;

/// <summary>An opened Zarr array. Reads windows, decoding only the chunks they touch, in parallel.</summary>
public sealed partial class ZarrArray
{
    private const int MaxCachedShardIndexes = 4096;

    private readonly ArrayDefinition _definition;
    private readonly IByteStore _store;
    private readonly ZarrReaderOptions _options;
    private readonly DecodeContext _decodeContext;
    private readonly ShardingCodec? _sharding;
    private readonly ConcurrentDictionary<string, Task<ulong[]?>> _shardIndexes = new(StringComparer.Ordinal);

    internal ZarrArray(string path, ArrayDefinition definition, IByteStore store, ZarrReaderOptions options)
    {
        Path = path;
        Metadata = definition.Metadata;
        _definition = definition;
        _store = store;
        _options = options;
        _decodeContext = new DecodeContext(options.MaxChunkBytes);
        _sharding = definition.Chain.ShardingOnly;
    }

    public string Path { get; }
    public ZarrArrayMetadata Metadata { get; }

    /// <summary>Shape of the units the reader decodes: the inner chunk shape for sharded arrays, else the chunk shape.</summary>
    public IReadOnlyList<int> ReadChunkShape => _sharding?.InnerShape ?? _definition.ChunkShape;

    /// <summary>
    /// Reads a window (one <see cref="DimSlice"/> per dimension, inside the array) into <paramref name="destination"/>
    /// in C order, converting each element to <typeparamref name="T"/> (any numeric type; bool reads as 0/1).
    /// Missing chunks read as the fill value (0 when the fill value is null). Every chunk the window needs is requested
    /// at once (up to <see cref="ZarrReaderOptions.MaxConcurrentReads"/>) and decoded as it arrives.
    /// </summary>
    public ValueTask ReadAsync<T>(IReadOnlyList<DimSlice> window, Memory<T> destination, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        var plan = WindowPlan.Create(window, _definition.Shape, ReadChunkShape, Path, destination.Length);
        if (plan.ElementCount == 0)
        {
            return ValueTask.CompletedTask;
        }

        var copier = ElementCopier<T>.For(_definition.DataType.Type);
        Span<T> fillValue = stackalloc T[1];
        copier(_definition.Fill.Bytes, 0, 1, fillValue);
        var reads = new ReadContext(new SemaphoreSlim(ReadConcurrency), ReadDiagnostics.Current);
        var job = new ReadJob<T>(plan, destination, copier, fillValue[0], reads);
        return _sharding is null ? ReadChunksAsync(job, cancellationToken) : ReadShardedAsync(job, _sharding, cancellationToken);
    }

    private int ReadConcurrency => Math.Max(1, _options.MaxConcurrentReads);

    /// <summary>What every store read of one window read shares: its bound on reads in flight and its diagnostics.</summary>
    private sealed record ReadContext(SemaphoreSlim Gate, ReadDiagnostics? Stats);

    private sealed record ReadJob<T>(WindowPlan Plan, Memory<T> Destination, RunCopier<T> Copier, T Fill, ReadContext Reads)
        where T : unmanaged
    {
        public ReadDiagnostics? Stats => Reads.Stats;
    }

    private async ValueTask ReadChunksAsync<T>(ReadJob<T> job, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var plan = job.Plan;
        if (plan.UnitCount == 1)
        {
            await ReadUnitAsync(job, 0, cancellationToken).ConfigureAwait(false);
            return;
        }

        // As many workers as reads may be in flight: each awaits its store read, then decodes on the thread pool.
        var units = new long[plan.UnitCount];
        for (long u = 0; u < units.Length; u++)
        {
            units[u] = u;
        }

        await AllReads.RunAsync(units, ReadConcurrency, (unit, ct) => ReadUnitAsync(job, unit, ct), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ReadUnitAsync<T>(ReadJob<T> job, long unit, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var segments = new DimSegment[job.Plan.Segments.Length];
        job.Plan.Unit(unit, segments);
        var coords = new long[segments.Length];
        for (int d = 0; d < coords.Length; d++)
        {
            coords[d] = segments[d].Chunk;
        }

        string key = StoreKey(_definition.KeyEncoding.Key(coords));
        var chunk = await GetChunkAsync(key, job.Reads, cancellationToken).ConfigureAwait(false);
        Scatter(job, segments, chunk.Data, _definition.ChunkShape);
    }

    private void Scatter<T>(ReadJob<T> job, DimSegment[] segments, byte[]? data, IReadOnlyList<int> shape)
        where T : unmanaged
        => job.Plan.Scatter(segments, data, shape, job.Copier, job.Fill, data is null, job.Destination.Span);

    private string StoreKey(string chunkKey) => Path.Length == 0 ? chunkKey : Path + "/" + chunkKey;

    private ValueTask<CachedChunk> GetChunkAsync(string key, ReadContext reads, CancellationToken cancellationToken)
    {
        var cache = _options.Cache;
        if (cache is null)
        {
            return new ValueTask<CachedChunk>(LoadChunkAsync(key, reads, cancellationToken));
        }

        var cacheKey = new ChunkCacheKey(_store.Location, Path, key);
        var stats = reads.Stats;
        if (cache.TryGet(cacheKey, out var hit))
        {
            stats?.AddChunkCacheHit();
            return new ValueTask<CachedChunk>(hit);
        }

        // A missing chunk is cached too (as "fill value"), so sparse arrays cost one 404 per chunk, not one per tile.
        return cache.GetOrLoadAsync(cacheKey, ct => LoadChunkAsync(key, reads, ct), stats is null ? null : stats.AddChunkCacheHit, cancellationToken);
    }

    private async Task<CachedChunk> LoadChunkAsync(string key, ReadContext reads, CancellationToken cancellationToken)
    {
        var bytes = await GetFromStoreAsync(key, null, reads, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            reads.Stats?.AddMissingChunk();
            return default;
        }

        return new CachedChunk(await DecodeOrReadAgainAsync(_definition.Chain, bytes, key, key, null, reads, cancellationToken).ConfigureAwait(false));
    }

    private async ValueTask<byte[]?> GetFromStoreAsync(string key, ByteRange? range, ReadContext reads, CancellationToken cancellationToken)
    {
        await reads.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long start = Stopwatch.GetTimestamp();
            var bytes = await _store.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
            reads.Stats?.AddStoreRequest(bytes?.LongLength ?? 0, Stopwatch.GetElapsedTime(start));
            return bytes;
        }
        finally
        {
            reads.Gate.Release();
        }
    }

    /// <summary>
    /// Decodes stored bytes; when that fails, reads them once more before giving up, because a store or the network may
    /// have damaged them on the way (a remote store without checksums cannot tell). A second copy identical to the first
    /// fails at once; either way nothing undecodable is returned, so nothing undecodable is cached.
    /// </summary>
    private async ValueTask<byte[]> DecodeOrReadAgainAsync(CodecChain chain, ReadOnlyMemory<byte> bytes, string chunkKey, string storeKey, ByteRange? range,
        ReadContext reads, CancellationToken cancellationToken)
    {
        try
        {
            return Decode(chain, bytes, chunkKey, reads.Stats);
        }
        catch (ChunkDecodeException)
        {
            var again = await GetFromStoreAsync(storeKey, range, reads, cancellationToken).ConfigureAwait(false);
            if (again is null || again.AsSpan().SequenceEqual(bytes.Span))
            {
                throw;
            }

            return Decode(chain, again, chunkKey, reads.Stats);
        }
    }

    private byte[] Decode(CodecChain chain, ReadOnlyMemory<byte> bytes, string key, ReadDiagnostics? stats)
    {
        long start = Stopwatch.GetTimestamp();
        byte[] result;
        try
        {
            result = chain.Decode(bytes, _decodeContext);
        }
        catch (CodecException ex)
        {
            throw new ChunkDecodeException(Path, key, ex.Message, ex);
        }

        stats?.AddChunkDecoded(Stopwatch.GetElapsedTime(start));
        return result;
    }
}
