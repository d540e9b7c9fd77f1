using System.Globalization;
using TileServer.Storage;
using TileServer.Zarr.Codecs;
using TileServer.Zarr.Reading;

namespace TileServer.Zarr;

/// <summary>
/// Sharded arrays: inner chunks fetched through ranged reads, the index read once per shard and cached, and each index
/// entry checked on its own so that one impossible entry fails only the reads that need its inner chunk.
/// </summary>
public sealed partial class ZarrArray
{
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

        // Every shard at once; the window's read gate bounds the GETs in flight (index reads and ranges alike).
        await AllReads.RunAsync(byShard.ToList(), ReadConcurrency, (shard, ct) => ReadShardAsync(job, sharding, shard.Key, shard.Value, ct), cancellationToken).ConfigureAwait(false);
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

        var index = await GetShardIndexAsync(sharding, shardKey, job.Reads, cancellationToken).ConfigureAwait(false);
        var plan = PlanShardFetches(sharding, index, misses, shardKey, job.Reads);
        await AllReads.RunAsync(misses, ReadConcurrency, async (unit, ct) => await ReadInnerAsync(job, sharding, shardKey, plan, unit, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    private static string InnerKey(string shardKey, int inner) => shardKey + "#" + inner.ToString(CultureInfo.InvariantCulture);

    private async Task ReadInnerAsync<T>(ReadJob<T> job, ShardingCodec sharding, string shardKey, ShardPlan plan, (DimSegment[] Segments, int Inner) unit, CancellationToken cancellationToken)
        where T : unmanaged
    {
        string innerKey = InnerKey(shardKey, unit.Inner);
        Task<CachedChunk> Load(CancellationToken ct) => LoadInnerAsync(sharding, shardKey, innerKey, plan, unit.Inner, job.Reads, ct);
        var cache = _options.Cache;
        var chunk = cache is null
            ? await Load(cancellationToken).ConfigureAwait(false)
            : await cache.GetOrLoadAsync(new ChunkCacheKey(_store.Location, Path, innerKey), Load, job.Stats is null ? null : job.Stats.AddChunkCacheHit, cancellationToken).ConfigureAwait(false);
        Scatter(job, unit.Segments, chunk.Data, sharding.InnerShape);
    }

    private async Task<CachedChunk> LoadInnerAsync(ShardingCodec sharding, string shardKey, string innerKey, ShardPlan plan, int inner, ReadContext reads, CancellationToken cancellationToken)
    {
        if (plan.Impossible.TryGetValue(inner, out var why))
        {
            throw new ChunkDecodeException(Path, innerKey, why);
        }

        if (!plan.Fetches.TryGetValue(inner, out var located))
        {
            // No shard, or an empty index entry: the inner chunk reads as the fill value.
            reads.Stats?.AddMissingChunk();
            return default;
        }

        var (fetch, entry) = located;
        var data = await fetch.Bytes(cancellationToken).ConfigureAwait(false);
        long offset = entry.Offset - fetch.Start;
        if (data is null || offset + entry.Length > data.Length)
        {
            throw new ChunkDecodeException(Path, innerKey, $"shard is shorter than its index says (inner chunk at {entry.Offset}+{entry.Length})");
        }

        var stored = data.AsMemory((int)offset, (int)entry.Length);
        var range = ByteRange.FromOffset(entry.Offset, entry.Length);
        return new CachedChunk(await DecodeOrReadAgainAsync(sharding.InnerChain, stored, innerKey, shardKey, range, reads, cancellationToken).ConfigureAwait(false));
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

    /// <summary>How the needed inner chunks of one shard are read: a fetch and entry per stored chunk, or why its index entry is impossible.</summary>
    private sealed record ShardPlan(Dictionary<int, (ShardFetch Fetch, ShardEntry Entry)> Fetches, Dictionary<int, string> Impossible);

    /// <summary>
    /// Checks the index entry of each needed inner chunk on its own and groups the possible ones into as few byte ranges
    /// as the coalescing gap allows; an impossible entry neither fails the others nor stretches their range.
    /// </summary>
    private ShardPlan PlanShardFetches(ShardingCodec sharding, ulong[]? index, List<(DimSegment[] Segments, int Inner)> misses, string shardKey, ReadContext reads)
    {
        var plan = new ShardPlan([], []);
        if (index is null)
        {
            return plan;
        }

        var entries = new Dictionary<int, ShardEntry>(misses.Count);
        var ranges = new List<(long Start, long End, int Inner)>(misses.Count);
        foreach (var (_, inner) in misses)
        {
            ShardEntry? entry;
            try
            {
                entry = sharding.Entry(index, inner, shardSize: null, _decodeContext);
            }
            catch (CodecException ex)
            {
                plan.Impossible[inner] = ex.Message;
                continue;
            }

            if (entry is { } e)
            {
                entries[inner] = e;
                ranges.Add((e.Offset, e.Offset + e.Length, inner));
            }
        }

        foreach (var group in RangePlanner.Coalesce(ranges, _options.RangeCoalesceGap))
        {
            var (start, end) = (group.Start, group.End);
            var fetch = new ShardFetch(start, ct => FetchRangeAsync(shardKey, start, end, reads, ct));
            foreach (int inner in group.Members)
            {
                plan.Fetches[inner] = (fetch, entries[inner]);
            }
        }

        return plan;
    }

    private async Task<byte[]?> FetchRangeAsync(string shardKey, long start, long end, ReadContext reads, CancellationToken cancellationToken)
        => await GetFromStoreAsync(shardKey, ByteRange.FromOffset(start, end - start), reads, cancellationToken).ConfigureAwait(false);

    private async Task<ulong[]?> GetShardIndexAsync(ShardingCodec sharding, string shardKey, ReadContext reads, CancellationToken cancellationToken)
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

            var task = _shardIndexes.GetOrAdd(shardKey, k => LoadShardIndexAsync(sharding, k, reads, cancellationToken));
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

    private async Task<ulong[]?> LoadShardIndexAsync(ShardingCodec sharding, string shardKey, ReadContext reads, CancellationToken cancellationToken)
    {
        var range = sharding.Location == ShardIndexLocation.End ? ByteRange.Suffix(sharding.IndexSize) : ByteRange.FromOffset(0, sharding.IndexSize);
        var bytes = await GetFromStoreAsync(shardKey, range, reads, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            // No shard: every inner chunk is the fill value, and this answer is kept like any other index.
            return null;
        }

        try
        {
            return DecodeIndex(sharding, shardKey, bytes);
        }
        catch (ChunkDecodeException)
        {
            // Damaged on the way, perhaps: one fresh copy before the shard counts as corrupt (see DecodeOrReadAgainAsync).
            var again = await GetFromStoreAsync(shardKey, range, reads, cancellationToken).ConfigureAwait(false);
            if (again is null || again.AsSpan().SequenceEqual(bytes))
            {
                throw;
            }

            return DecodeIndex(sharding, shardKey, again);
        }
    }

    private ulong[] DecodeIndex(ShardingCodec sharding, string shardKey, byte[] bytes)
    {
        try
        {
            return sharding.DecodeIndex(bytes, _decodeContext);
        }
        catch (CodecException ex)
        {
            throw new ChunkDecodeException(Path, shardKey, "shard index: " + ex.Message, ex);
        }
    }
}
