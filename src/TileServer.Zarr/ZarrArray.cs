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
    /// Missing chunks read as the fill value (0 when the fill value is null).
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
        var job = new ReadJob<T>(plan, destination, copier, fillValue[0], ReadDiagnostics.Current);
        return _sharding is null ? ReadChunksAsync(job, cancellationToken) : ReadShardedAsync(job, _sharding, cancellationToken);
    }

    private sealed record ReadJob<T>(WindowPlan Plan, Memory<T> Destination, RunCopier<T> Copier, T Fill, ReadDiagnostics? Stats)
        where T : unmanaged;

    private async ValueTask ReadChunksAsync<T>(ReadJob<T> job, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var plan = job.Plan;
        if (plan.UnitCount == 1)
        {
            await ReadUnitAsync(job, 0, cancellationToken).ConfigureAwait(false);
            return;
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelChunks), CancellationToken = cancellationToken };
        await Parallel.ForAsync(0L, plan.UnitCount, parallel, (unit, ct) => ReadUnitAsync(job, unit, ct)).ConfigureAwait(false);
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
        var chunk = await GetChunkAsync(key, job.Stats, cancellationToken).ConfigureAwait(false);
        Scatter(job, segments, chunk.Data, _definition.ChunkShape);
    }

    private void Scatter<T>(ReadJob<T> job, DimSegment[] segments, byte[]? data, IReadOnlyList<int> shape)
        where T : unmanaged
        => job.Plan.Scatter(segments, data, shape, job.Copier, job.Fill, data is null, job.Destination.Span);

    private string StoreKey(string chunkKey) => Path.Length == 0 ? chunkKey : Path + "/" + chunkKey;

    private ValueTask<CachedChunk> GetChunkAsync(string key, ReadDiagnostics? stats, CancellationToken cancellationToken)
    {
        var cache = _options.Cache;
        if (cache is null)
        {
            return new ValueTask<CachedChunk>(LoadChunkAsync(key, stats, cancellationToken));
        }

        var cacheKey = new ChunkCacheKey(_store.Location, Path, key);
        if (cache.TryGet(cacheKey, out var hit))
        {
            stats?.AddChunkCacheHit();
            return new ValueTask<CachedChunk>(hit);
        }

        return cache.GetOrLoadAsync(cacheKey, ct => LoadChunkAsync(key, stats, ct), stats is null ? null : stats.AddChunkCacheHit, cancellationToken);
    }

    private async Task<CachedChunk> LoadChunkAsync(string key, ReadDiagnostics? stats, CancellationToken cancellationToken)
    {
        var bytes = await GetFromStoreAsync(key, null, stats, cancellationToken).ConfigureAwait(false);
        return bytes is null ? default : new CachedChunk(Decode(_definition.Chain, bytes, key, stats));
    }

    private async ValueTask<byte[]?> GetFromStoreAsync(string key, ByteRange? range, ReadDiagnostics? stats, CancellationToken cancellationToken)
    {
        long start = Stopwatch.GetTimestamp();
        var bytes = await _store.GetAsync(key, range, cancellationToken).ConfigureAwait(false);
        stats?.AddStoreRequest(bytes?.LongLength ?? 0, Stopwatch.GetElapsedTime(start));
        return bytes;
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
