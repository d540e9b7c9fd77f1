using System.Collections.Concurrent;
using System.Diagnostics;
using TileServer.Storage;
using TileServer.Zarr.Codecs;
using TileServer.Zarr.Metadata;
using TileServer.Zarr.Reading;

namespace TileServer.Zarr;

/// <summary>An opened Zarr array. Reads windows, decoding only the chunks they touch, in parallel.</summary>
public sealed class ZarrArray
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
        var chain = definition.Chain;
        if (chain.ArrayToBytes is ShardingCodec sharding && chain.ArrayToArray.Count == 0 && chain.BytesToBytes.Count == 0)
        {
            _sharding = sharding;
        }
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
        var plan = WindowPlan.Create(window, _definition.Shape, ReadChunkShape, Path);
        long needed = plan.ElementCount;
        if (destination.Length < needed)
        {
            throw new ArgumentException($"destination holds {destination.Length} elements, the window needs {needed}", nameof(destination));
        }

        if (needed == 0)
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

    // ---- sharded arrays: inner chunks fetched through ranged reads, index cached per shard ----

    private async ValueTask ReadShardedAsync<T>(ReadJob<T> job, ShardingCodec sharding, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var plan = job.Plan;
        int nd = plan.Segments.Length;
        var byShard = new Dictionary<string, List<(DimSegment[] Segments, int Inner)>>(StringComparer.Ordinal);
        var shardCoords = new long[nd];
        for (long u = 0; u < plan.UnitCount; u++)
        {
            var segments = new DimSegment[nd];
            plan.Unit(u, segments);
            int inner = 0;
            for (int d = 0; d < nd; d++)
            {
                int per = sharding.ChunksPerShard[d];
                shardCoords[d] = segments[d].Chunk / per;
                inner = (inner * per) + (int)(segments[d].Chunk % per);
            }

            string key = StoreKey(_definition.KeyEncoding.Key(shardCoords));
            if (!byShard.TryGetValue(key, out var list))
            {
                byShard[key] = list = [];
            }

            list.Add((segments, inner));
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelChunks), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(byShard, parallel, (shard, ct) => ReadShardAsync(job, sharding, shard.Key, shard.Value, ct)).ConfigureAwait(false);
    }

    private async ValueTask ReadShardAsync<T>(ReadJob<T> job, ShardingCodec sharding, string shardKey, List<(DimSegment[] Segments, int Inner)> units, CancellationToken cancellationToken)
        where T : unmanaged
    {
        var cache = _options.Cache;
        var misses = new List<(DimSegment[] Segments, int Inner)>(units.Count);
        foreach (var unit in units)
        {
            if (cache is not null && cache.TryGet(new ChunkCacheKey(_store.Location, Path, InnerKey(shardKey, unit.Inner)), out var hit))
            {
                job.Stats?.AddChunkCacheHit();
                Scatter(job, unit.Segments, hit.Data, sharding.InnerShape);
            }
            else
            {
                misses.Add(unit);
            }
        }

        if (misses.Count == 0)
        {
            return;
        }

        var index = await GetShardIndexAsync(sharding, shardKey, job.Stats, cancellationToken).ConfigureAwait(false);
        var fetches = PlanShardFetches(index, misses, shardKey, job.Stats);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.MaxParallelChunks), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(misses, parallel, async (unit, ct) => await ReadInnerAsync(job, sharding, shardKey, index, unit, fetches, ct).ConfigureAwait(false)).ConfigureAwait(false);
    }

    private static string InnerKey(string shardKey, int inner) => shardKey + "#" + inner.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task ReadInnerAsync<T>(ReadJob<T> job, ShardingCodec sharding, string shardKey, ulong[]? index, (DimSegment[] Segments, int Inner) unit, Dictionary<int, ShardFetch> fetches, CancellationToken cancellationToken)
        where T : unmanaged
    {
        string innerKey = InnerKey(shardKey, unit.Inner);
        Task<CachedChunk> Load(CancellationToken ct) => LoadInnerAsync(sharding, innerKey, index, unit.Inner, fetches, job.Stats, ct);
        var cache = _options.Cache;
        var chunk = cache is null
            ? await Load(cancellationToken).ConfigureAwait(false)
            : await cache.GetOrLoadAsync(new ChunkCacheKey(_store.Location, Path, innerKey), Load, job.Stats is null ? null : job.Stats.AddChunkCacheHit, cancellationToken).ConfigureAwait(false);
        Scatter(job, unit.Segments, chunk.Data, sharding.InnerShape);
    }

    private async Task<CachedChunk> LoadInnerAsync(ShardingCodec sharding, string innerKey, ulong[]? index, int inner, Dictionary<int, ShardFetch> fetches, ReadDiagnostics? stats, CancellationToken cancellationToken)
    {
        if (index is null || !fetches.TryGetValue(inner, out var fetch))
        {
            return default;
        }

        var data = await fetch.Bytes(cancellationToken).ConfigureAwait(false);
        long offset = (long)index[2 * inner] - fetch.Start;
        long length = (long)index[(2 * inner) + 1];
        if (data is null || offset + length > data.Length)
        {
            throw new ChunkDecodeException(Path, innerKey, $"shard is shorter than its index says (inner chunk at {index[2 * inner]}+{length})");
        }

        return new CachedChunk(Decode(sharding.InnerChain, data.AsMemory((int)offset, (int)length), innerKey, stats));
    }

    /// <summary>One coalesced ranged GET of a shard, started by the first inner chunk that needs it.</summary>
    private sealed class ShardFetch
    {
        private readonly Func<CancellationToken, Task<byte[]?>> _fetch;
        private Task<byte[]?>? _task;
        private readonly object _gate = new();

        public ShardFetch(long start, Func<CancellationToken, Task<byte[]?>> fetch)
        {
            Start = start;
            _fetch = fetch;
        }

        public long Start { get; }

        public Task<byte[]?> Bytes(CancellationToken cancellationToken)
        {
            lock (_gate)
            {
                return _task ??= _fetch(cancellationToken);
            }
        }
    }

    /// <summary>Groups the needed inner chunks into as few byte ranges as the coalescing gap allows.</summary>
    private Dictionary<int, ShardFetch> PlanShardFetches(ulong[]? index, List<(DimSegment[] Segments, int Inner)> misses, string shardKey, ReadDiagnostics? stats)
    {
        var result = new Dictionary<int, ShardFetch>();
        if (index is null)
        {
            return result;
        }

        var ranges = new List<(long Start, long End, int Inner)>(misses.Count);
        foreach (var (_, inner) in misses)
        {
            ulong offset = index[2 * inner], length = index[(2 * inner) + 1];
            if (offset != ShardingCodec.EmptyEntry || length != ShardingCodec.EmptyEntry)
            {
                ranges.Add(((long)offset, (long)(offset + length), inner));
            }
        }

        foreach (var group in RangePlanner.Coalesce(ranges, _options.RangeCoalesceGap))
        {
            var (start, end) = (group.Start, group.End);
            var fetch = new ShardFetch(start, ct => FetchRangeAsync(shardKey, start, end, stats, ct));
            foreach (int inner in group.Members)
            {
                result[inner] = fetch;
            }
        }

        return result;
    }

    private async Task<byte[]?> FetchRangeAsync(string shardKey, long start, long end, ReadDiagnostics? stats, CancellationToken cancellationToken)
        => await GetFromStoreAsync(shardKey, ByteRange.FromOffset(start, end - start), stats, cancellationToken).ConfigureAwait(false);

    private async Task<ulong[]?> GetShardIndexAsync(ShardingCodec sharding, string shardKey, ReadDiagnostics? stats, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_shardIndexes.TryGetValue(shardKey, out var cached) && cached.IsCompletedSuccessfully)
            {
                return cached.Result;
            }

            if (_shardIndexes.Count > MaxCachedShardIndexes)
            {
                _shardIndexes.Clear();
            }

            var task = _shardIndexes.GetOrAdd(shardKey, k => LoadShardIndexAsync(sharding, k, stats, cancellationToken));
            try
            {
                return await task.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Failed or cancelled index reads are never kept; a reader cancelled by someone else's token retries.
                _shardIndexes.TryRemove(new KeyValuePair<string, Task<ulong[]?>>(shardKey, task));
                if (ex is not OperationCanceledException || cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
            }
        }
    }

    private async Task<ulong[]?> LoadShardIndexAsync(ShardingCodec sharding, string shardKey, ReadDiagnostics? stats, CancellationToken cancellationToken)
    {
        var range = sharding.Location == ShardIndexLocation.End ? ByteRange.Suffix(sharding.IndexSize) : ByteRange.FromOffset(0, sharding.IndexSize);
        var bytes = await GetFromStoreAsync(shardKey, range, stats, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return sharding.DecodeIndex(bytes, _decodeContext, null);
        }
        catch (CodecException ex)
        {
            throw new ChunkDecodeException(Path, shardKey, "shard index: " + ex.Message, ex);
        }
    }
}
