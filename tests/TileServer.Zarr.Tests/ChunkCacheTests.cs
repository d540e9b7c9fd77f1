using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

public sealed class ChunkCacheTests
{
    private static string V2(string name) => Path.Combine(TestPaths.ZarrData, "zarr-v2", "arrays", name);

    /// <summary>A real store whose reads wait at a gate the test opens, so concurrent readers overlap for sure.</summary>
    private sealed class GatedStore : IByteStore
    {
        private readonly IByteStore _inner;
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public GatedStore(IByteStore inner)
        {
            _inner = inner;
        }

        public bool Closed { get; set; }

        public string Location => _inner.Location;

        public void Open() => _gate.TrySetResult();

        public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        {
            if (Closed)
            {
                await _gate.Task.WaitAsync(cancellationToken);
            }

            return await _inner.GetAsync(key, range, cancellationToken);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached");
            await Task.Delay(5);
        }
    }

    [Fact]
    public async Task Concurrent_reads_of_one_chunk_fetch_and_decode_it_once()
    {
        var cache = new ChunkCache(16 << 20);
        var counting = new CountingStore(new FileStore(V2("comp_blosc_lz4_shuffle_f4_smooth")));
        var gated = new GatedStore(counting);
        var h = await ZarrHierarchy.OpenAsync(gated, new ZarrReaderOptions { Cache = cache });
        var array = (await h.GetArrayAsync(""))!;
        counting.Reset();
        gated.Closed = true;

        const int readers = 8;
        var stats = new ReadDiagnostics[readers];
        var buffers = Enumerable.Range(0, readers).Select(_ => new float[4]).ToArray();
        var reads = Enumerable.Range(0, readers)
            .Select(i => Task.Run(async () =>
            {
                using var scope = ReadDiagnostics.Begin(out stats[i]);
                await array.ReadAsync<float>([new DimSlice(1, 2), new DimSlice(1, 2)], buffers[i]);
            }))
            .ToArray();
        await WaitUntilAsync(() => cache.Misses + cache.Coalesced == readers);
        gated.Open();
        await Task.WhenAll(reads);

        Assert.Equal(1, counting.Requests);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(readers - 1, cache.Coalesced);
        Assert.Equal(1, stats.Sum(s => s.ChunksDecoded));
        var expected = Npy.Load(V2("comp_blosc_lz4_shuffle_f4_smooth.npy"));
        float[] want = [(float)expected.Get(31), (float)expected.Get(32), (float)expected.Get(61), (float)expected.Get(62)];
        Assert.All(buffers, b => Assert.Equal(want, b));

        // Warm: answered from the cache without touching the store.
        ReadDiagnostics warm;
        using (ReadDiagnostics.Begin(out warm))
        {
            await array.ReadAsync<float>([new DimSlice(1, 2), new DimSlice(1, 2)], new float[4]);
        }

        Assert.Equal(1, counting.Requests);
        Assert.Equal(1, warm.ChunkCacheHits);
        Assert.Equal(0, warm.ChunksDecoded);
    }

    [Fact]
    public async Task A_cancelled_load_is_not_cached_and_a_waiting_reader_retries()
    {
        var cache = new ChunkCache(16 << 20);
        var counting = new CountingStore(new FileStore(V2("comp_zstd_f4_smooth")));
        var gated = new GatedStore(counting);
        var h = await ZarrHierarchy.OpenAsync(gated, new ZarrReaderOptions { Cache = cache });
        var array = (await h.GetArrayAsync(""))!;
        gated.Closed = true;

        using var cts = new CancellationTokenSource();
        var first = Task.Run(() => array.ReadAsync<float>([DimSlice.Single(0), DimSlice.Single(0)], new float[1], cts.Token).AsTask());
        await WaitUntilAsync(() => cache.Misses == 1);
        var second = new float[1];
        var waiting = Task.Run(() => array.ReadAsync<float>([DimSlice.Single(0), DimSlice.Single(0)], second).AsTask());
        await WaitUntilAsync(() => cache.Coalesced == 1);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        gated.Open();
        await waiting;
        Assert.Equal((float)Npy.Load(V2("comp_zstd_f4_smooth.npy")).Get(0), second[0]);
        Assert.Equal(2, cache.Misses); // the retry loaded it again: the cancelled load left nothing behind
    }

    [Fact]
    public async Task A_failed_decode_is_not_cached()
    {
        using var temp = new TempStore(V2("comp_zstd_f4_smooth"));
        File.WriteAllBytes(temp.PathOf("0.0"), [1, 2, 3, 4]);
        var cache = new ChunkCache(16 << 20);
        var store = new CountingStore(new FileStore(temp.Root));
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions { Cache = cache });
        var array = (await h.GetArrayAsync(""))!;
        store.Reset();
        for (int i = 0; i < 2; i++)
        {
            await Assert.ThrowsAsync<ChunkDecodeException>(() => array.ReadAsync<float>([DimSlice.Single(0), DimSlice.Single(0)], new float[1]).AsTask());
        }

        // Each read fetches the chunk and, because bytes that fail to decode may have been damaged on the way, fetches it
        // once more; nothing is cached, so the second read goes to the store again.
        Assert.Equal(4, store.Requests);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public async Task Cache_stays_within_its_byte_budget()
    {
        // Each decoded 8x7 float32 chunk is 224 bytes (+ overhead); a 1 KB cache holds only a few.
        var cache = new ChunkCache(1024);
        var h = await ZarrHierarchy.OpenAsync(new FileStore(V2("comp_zstd_f4_smooth")), new ZarrReaderOptions { Cache = cache });
        var array = (await h.GetArrayAsync(""))!;
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], new float[600]);
        Assert.True(cache.CurrentBytes <= 1024);
        Assert.True(cache.Evictions > 0);
        Assert.Equal(15, cache.Misses);
    }

    [Fact]
    public async Task Eviction_keeps_the_recently_used_chunk()
    {
        // 8x7 float32 chunks of 224 bytes (+ overhead): a 1 KB cache holds three.
        var cache = new ChunkCache(1024);
        var h = await ZarrHierarchy.OpenAsync(new FileStore(V2("comp_zstd_f4_smooth")), new ZarrReaderOptions { Cache = cache });
        var array = (await h.GetArrayAsync(""))!;
        var expected = Npy.Load(V2("comp_zstd_f4_smooth.npy"));
        var value = new float[1];
        async Task ReadChunk(int chunkCol)
        {
            await array.ReadAsync<float>([DimSlice.Single(0), DimSlice.Single(chunkCol * 7)], value);
            Assert.Equal(expected.Get(chunkCol * 7), value[0]);
        }

        await ReadChunk(0);
        await ReadChunk(1);
        await ReadChunk(2);
        await ReadChunk(0); // chunk 0 is now the most recently used
        Assert.Equal((3L, 1L), (cache.Misses, cache.Hits));

        await ReadChunk(3); // over budget: the oldest go first
        Assert.True(cache.Evictions > 0);
        Assert.True(cache.CurrentBytes <= 1024);
        await ReadChunk(0);
        Assert.Equal((4L, 2L), (cache.Misses, cache.Hits));
        await ReadChunk(1); // evicted: read again
        Assert.Equal(5L, cache.Misses);
    }

    [Fact]
    public async Task Arrays_with_the_same_path_in_different_stores_do_not_share_entries()
    {
        var cache = new ChunkCache(16 << 20);
        var options = new ZarrReaderOptions { Cache = cache };
        var a = (await (await ZarrHierarchy.OpenAsync(new FileStore(V2("comp_zstd_f4_smooth")), options)).GetArrayAsync(""))!;
        var b = (await (await ZarrHierarchy.OpenAsync(new FileStore(V2("comp_zlib_i2_random")), options)).GetArrayAsync(""))!;
        var va = new double[1];
        var vb = new double[1];
        await a.ReadAsync<double>([DimSlice.Single(3), DimSlice.Single(4)], va);
        await b.ReadAsync<double>([DimSlice.Single(3), DimSlice.Single(4)], vb);
        Assert.Equal(Npy.Load(V2("comp_zstd_f4_smooth.npy")).Get(94), va[0]);
        Assert.Equal(Npy.Load(V2("comp_zlib_i2_random.npy")).Get(94), vb[0]);
        Assert.Equal(2, cache.Misses);
    }
}
