using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>
/// Reads against stores that are slow, sparse or damage bytes: every chunk of a window is requested at once, missing
/// chunks are asked for once, and bytes that do not decode are read again but never decoded into values or cached.
/// </summary>
public sealed class ColdReadTests
{
    private static string V2(string name) => Path.Combine(TestPaths.ZarrData, "zarr-v2", "arrays", name);

    private static string Sharded(string name) => Path.Combine(TestPaths.ZarrData, "zarr-v3", "sharded", name);

    /// <summary>
    /// Holds every read until <paramref name="expected"/> reads are waiting at once (or a generous timeout passes), so a
    /// reader that sends its reads one after another shows a peak below <paramref name="expected"/>.
    /// </summary>
    private sealed class BarrierStore(IByteStore inner, int expected) : IByteStore
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _inFlight;
        private int _peak;

        public int Peak => Volatile.Read(ref _peak);

        public bool Armed { get; set; }

        public string Location => inner.Location;

        public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        {
            if (Armed)
            {
                int now = Interlocked.Increment(ref _inFlight);
                int seen;
                while (now > (seen = Volatile.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, now, seen) != seen)
                {
                }

                if (now >= expected)
                {
                    _all.TrySetResult();
                }

                try
                {
                    await _all.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }

            return await inner.GetAsync(key, range, cancellationToken);
        }
    }

    /// <summary>Damages the bytes of chosen keys (inverting them) for as long as <see cref="Damaged"/> says.</summary>
    private sealed class DamagingStore(IByteStore inner) : IByteStore
    {
        private int _damagedReads;

        /// <summary>Decides per read (key, how many reads of that key so far) whether its bytes arrive damaged.</summary>
        public Func<string, int, bool> Damaged { get; set; } = (_, _) => false;

        public int DamagedReads => Volatile.Read(ref _damagedReads);

        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _reads = new();

        public string Location => inner.Location;

        public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        {
            var bytes = await inner.GetAsync(key, range, cancellationToken);
            int n = _reads.AddOrUpdate(key, 1, (_, v) => v + 1);
            if (bytes is null || !Damaged(key, n))
            {
                return bytes;
            }

            Interlocked.Increment(ref _damagedReads);
            var copy = bytes.ToArray();
            for (int i = 0; i < copy.Length; i++)
            {
                copy[i] ^= 0xFF;
            }

            return copy;
        }
    }

    [Fact]
    public async Task Every_chunk_a_window_needs_is_requested_at_once()
    {
        // 20 x 30 float32 in 8 x 7 chunks: the whole array touches 3 x 5 = 15 chunks.
        var store = new BarrierStore(new FileStore(V2("comp_zstd_f4_smooth")), expected: 15);
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions());
        var array = (await h.GetArrayAsync(""))!;
        store.Armed = true;

        var values = new float[600];
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);

        Assert.Equal(15, store.Peak);
        Assert.Equal(Npy.Load(V2("comp_zstd_f4_smooth.npy")).Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    [Fact]
    public async Task Every_shard_range_a_window_needs_is_requested_at_once()
    {
        // float32 20 x 30 in 2 x 2 shards: the whole array needs 4 index reads, then one coalesced range per shard.
        var store = new BarrierStore(new FileStore(Sharded("index_end_crc32c_f4.zarr")), expected: 4);
        var counting = new CountingStore(store);
        var h = await ZarrHierarchy.OpenAsync(counting, new ZarrReaderOptions());
        var array = (await h.GetArrayAsync(""))!;
        counting.Reset();
        store.Armed = true;

        var values = new float[600];
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);

        Assert.Equal(4, store.Peak);
        Assert.Equal(8, counting.Requests);
        Assert.Equal(Npy.Load(Sharded("index_end_crc32c_f4.npy")).Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    [Fact]
    public async Task A_missing_chunk_is_asked_for_once_and_then_read_from_the_cache_as_the_fill_value()
    {
        using var temp = new TempStore(V2("comp_zstd_f4_smooth"));
        File.Delete(temp.PathOf("1.2")); // rows 8..15, cols 14..20
        File.Delete(temp.PathOf("2.4")); // rows 16..19, cols 28..29
        var store = new CountingStore(new FileStore(temp.Root));
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions { Cache = new ChunkCache(1 << 20) });
        var array = (await h.GetArrayAsync(""))!;
        store.Reset();

        var expected = Npy.Load(V2("comp_zstd_f4_smooth.npy"));
        for (int pass = 0; pass < 3; pass++)
        {
            var values = new float[600];
            ReadDiagnostics stats;
            using (ReadDiagnostics.Begin(out stats))
            {
                await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);
            }

            Assert.Equal(pass == 0 ? 2 : 0, stats.MissingChunks);
            for (int r = 0; r < 20; r++)
            {
                for (int c = 0; c < 30; c++)
                {
                    bool missing = (r / 8, c / 7) is (1, 2) or (2, 4);
                    // The metadata's fill value is 0.0.
                    float want = missing ? 0f : BitConverter.ToSingle(expected.Data, ((r * 30) + c) * 4);
                    Assert.Equal(want, values[(r * 30) + c]);
                }
            }
        }

        Assert.Equal(15, store.Requests);
    }

    [Fact]
    public async Task A_missing_shard_is_asked_for_once_however_often_it_is_read()
    {
        var store = new CountingStore(new FileStore(Sharded("sparse_missing_shard_i2.zarr")));
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions { Cache = new ChunkCache(1 << 20) });
        var array = (await h.GetArrayAsync(""))!;
        store.Reset();

        var expected = Npy.Load(Sharded("sparse_missing_shard_i2.npy"));
        for (int pass = 0; pass < 3; pass++)
        {
            var values = new short[24 * 32];
            await array.ReadAsync<short>([DimSlice.All(24), DimSlice.All(32)], values);
            Assert.Equal(expected.Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
            if (pass == 0)
            {
                Assert.Contains(store.Log, r => r.Key == "c/1/1");
                store.Reset();
            }
        }

        Assert.Equal(0, store.Requests);
    }

    [Fact]
    public async Task A_chunk_damaged_on_the_way_is_read_again_and_the_fresh_copy_is_decoded()
    {
        var damaging = new DamagingStore(new FileStore(V2("comp_zstd_f4_smooth"))) { Damaged = (key, n) => key == "1.1" && n == 1 };
        var store = new CountingStore(damaging);
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions { Cache = new ChunkCache(1 << 20) });
        var array = (await h.GetArrayAsync(""))!;
        store.Reset();

        var values = new float[600];
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);

        Assert.Equal(1, damaging.DamagedReads);
        Assert.Equal(16, store.Requests);
        Assert.Equal(Npy.Load(V2("comp_zstd_f4_smooth.npy")).Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    [Fact]
    public async Task A_chunk_that_keeps_arriving_damaged_fails_the_read_is_not_cached_and_reads_right_once_the_store_recovers()
    {
        bool broken = true;
        var damaging = new DamagingStore(new FileStore(V2("comp_zstd_f4_smooth"))) { Damaged = (key, _) => broken && key == "1.1" };
        var cache = new ChunkCache(1 << 20);
        var h = await ZarrHierarchy.OpenAsync(damaging, new ZarrReaderOptions { Cache = cache });
        var array = (await h.GetArrayAsync(""))!;

        var values = new float[600];
        for (int attempt = 1; attempt <= 2; attempt++)
        {
            var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values).AsTask());
            Assert.Contains("1.1", ex.Message, StringComparison.Ordinal);

            // Not cached: each failing read asked the store for the chunk twice (the copy, then a fresh copy).
            Assert.Equal(2 * attempt, damaging.DamagedReads);
        }

        broken = false;
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);
        Assert.Equal(Npy.Load(V2("comp_zstd_f4_smooth.npy")).Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    [Fact]
    public async Task A_shard_range_damaged_on_the_way_is_read_again_for_the_inner_chunk()
    {
        int damagedRanges = 0;
        var damaging = new DamagingStore(new FileStore(Sharded("index_end_crc32c_f4.zarr")));
        var store = new CountingStore(damaging);
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions { Cache = new ChunkCache(1 << 20) });
        var array = (await h.GetArrayAsync(""))!;
        store.Reset();
        // The second read of shard c/0/0 is its coalesced data range (the first is its index): damage that one only.
        damaging.Damaged = (key, n) => key == "c/0/0" && n == 2 && Interlocked.Increment(ref damagedRanges) == 1;

        var values = new float[600];
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);

        Assert.Equal(1, damaging.DamagedReads);
        // 4 indexes + 4 ranges, and one fresh read per inner chunk of shard 0/0 (6 inner chunks of 5 x 5).
        Assert.Equal(8 + 6, store.Requests);
        Assert.Equal(Npy.Load(Sharded("index_end_crc32c_f4.npy")).Data, System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray());
    }

    [Fact]
    public async Task A_damaged_zlib_chunk_either_fails_to_decode_or_still_gives_the_right_values()
    {
        // A chunk written by zarr-python with numcodecs zlib. Deflate codes and the stream's Adler-32 catch damage; the few
        // bits they leave unchecked (padding, unused code lengths) do not change the values.
        string root = Path.Combine(TestPaths.RepoRoot, "tests", "data", "geozarr", "webmercator-pyramid", "pyramid-geozarr.zarr");
        var original = File.ReadAllBytes(Path.Combine(root, "3", "band", "2.4"));
        using var temp = new TempStore(root);
        DimSlice[] window = [new DimSlice(512, 256), new DimSlice(1024, 256)];
        var expected = new byte[256 * 256];
        var array = (await (await ZarrHierarchy.OpenAsync(new FileStore(temp.Root), new ZarrReaderOptions())).GetArrayAsync("3/band"))!;
        await array.ReadAsync<byte>(window, expected);
        Assert.Contains(expected, b => b != 0);

        var rng = new Random(7);
        int failed = 0, positions = 0;
        for (int position = 0; position < original.Length; position += 1 + rng.Next(4))
        {
            var damaged = original.ToArray();
            damaged[position] ^= (byte)(1 << rng.Next(8));
            File.WriteAllBytes(temp.PathOf(Path.Combine("3", "band", "2.4")), damaged);
            var got = new byte[256 * 256];
            try
            {
                // No chunk cache: every read reads the file as it is now.
                await array.ReadAsync<byte>(window, got);
                Assert.True(got.AsSpan().SequenceEqual(expected), $"a flipped bit at byte {position} of {original.Length} decoded into different values");
            }
            catch (ChunkDecodeException)
            {
                failed++;
            }

            positions++;
        }

        Assert.True(positions > original.Length / 4);
        Assert.True(failed > positions * 9 / 10, $"only {failed} of {positions} damaged copies failed to decode");
    }
}
