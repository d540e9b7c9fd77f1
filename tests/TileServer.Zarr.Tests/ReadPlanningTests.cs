using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>What a window read costs: store requests per shard, chunks decoded for strided reads, windows vs expected values.</summary>
public sealed class ReadPlanningTests
{
    private static string Sharded(string name) => Path.Combine(TestPaths.ZarrData, "zarr-v3", "sharded", name);

    private static string V2(string name) => Path.Combine(TestPaths.ZarrData, "zarr-v2", "arrays", name);

    private static async Task<(ZarrArray Array, CountingStore Store)> OpenCountingAsync(string root, ZarrReaderOptions? options = null)
    {
        var store = new CountingStore(new FileStore(root));
        var h = await ZarrHierarchy.OpenAsync(store, options ?? new ZarrReaderOptions());
        var array = (await h.GetArrayAsync(""))!;
        store.Reset();
        return (array, store);
    }

    [Fact]
    public async Task Sharded_window_costs_one_GET_per_shard_touched_plus_index_reads_once()
    {
        // float32 20x30, shards 10x15 (2x2 shards), inner chunks 5x5 (6 per shard), index at end with crc32c.
        var (array, store) = await OpenCountingAsync(Sharded("index_end_crc32c_f4.zarr"));
        var expected = Npy.Load(Sharded("index_end_crc32c_f4.npy"));
        DimSlice[] window = [new DimSlice(2, 6), new DimSlice(3, 25)]; // rows 2..7 (shard row 0), cols 3..27 (both shard columns)
        ReadDiagnostics stats;
        var values = new float[6 * 25];
        using (ReadDiagnostics.Begin(out stats))
        {
            await array.ReadAsync<float>(window, values);
        }

        Assert.Equal(4, store.Requests); // 2 index reads + 2 coalesced data reads
        Assert.Equal(store.Requests, stats.StoreRequests);
        Assert.Equal(store.Bytes, stats.StoreBytes);
        Assert.Equal(2, store.Log.Count(e => e.Range is { IsSuffix: true }));
        Assert.Equal(2 * 6, stats.ChunksDecoded); // inner rows 0-1 x inner columns 0-5
        AssertWindow(expected, window, values);

        // The same window again: indexes are cached, so only the data ranges are fetched.
        store.Reset();
        ReadDiagnostics again;
        using (ReadDiagnostics.Begin(out again))
        {
            await array.ReadAsync<float>(window, values);
        }

        Assert.Equal(2, store.Requests);
        Assert.All(store.Log, e => Assert.False(e.Range!.Value.IsSuffix));
        AssertWindow(expected, window, values);
    }

    [Fact]
    public async Task Sharded_window_inside_one_inner_chunk_fetches_only_that_chunk()
    {
        var (array, store) = await OpenCountingAsync(Sharded("index_start_u2.zarr"));
        var values = new ushort[4];
        await array.ReadAsync<ushort>([new DimSlice(9, 2), new DimSlice(13, 2)], values);
        Assert.Equal(2, store.Requests); // index (first bytes, index at start) + one inner chunk
        var data = store.Log.Single(e => e.Range is { IsSuffix: false, Start: > 0 });
        Assert.True(data.Range!.Value.Length < 4 * 6 * 2 + 64, "one uncompressed 4x6 uint16 inner chunk");
        AssertWindow(Npy.Load(Sharded("index_start_u2.npy")), [new DimSlice(9, 2), new DimSlice(13, 2)], values);
    }

    [Theory]
    [InlineData(0L, 3)]
    [InlineData(long.MaxValue, 1)]
    public async Task Range_coalescing_gap_decides_how_many_GETs_one_shard_costs(long gap, int expectedDataRequests)
    {
        // int32 20x30, shards 10x15, inner 5x5 stored uncompressed in C order. Rows 0,5 and cols 0,10 pick
        // inner chunks 0, 2, 3 and 5 of shard c/0/0: 2 and 3 are adjacent, 0 and 5 stand apart.
        var (array, store) = await OpenCountingAsync(Sharded("index_end_nocrc_i4.zarr"), new ZarrReaderOptions { RangeCoalesceGap = gap });
        DimSlice[] window = [new DimSlice(0, 2, 5), new DimSlice(0, 2, 10)];
        var values = new int[4];
        await array.ReadAsync<int>(window, values);
        Assert.Equal(expectedDataRequests, store.Log.Count(e => e.Range is { IsSuffix: false }));
        Assert.Equal(1, store.Log.Count(e => e.Range is { IsSuffix: true }));
        AssertWindow(Npy.Load(Sharded("index_end_nocrc_i4.npy")), window, values);
    }

    [Fact]
    public async Task By_default_a_window_costs_one_GET_per_shard_touched()
    {
        // Same far-apart inner chunks as above, with the reader's default options.
        var (array, store) = await OpenCountingAsync(Sharded("index_end_nocrc_i4.zarr"), new ZarrReaderOptions());
        DimSlice[] window = [new DimSlice(0, 2, 5), new DimSlice(0, 2, 10)];
        var values = new int[4];
        await array.ReadAsync<int>(window, values);
        Assert.Equal(1, store.Log.Count(e => e.Range is { IsSuffix: false }));
        AssertWindow(Npy.Load(Sharded("index_end_nocrc_i4.npy")), window, values);
    }

    [Fact]
    public async Task Sharded_whole_array_never_needs_more_requests_than_shards_plus_indexes()
    {
        var (array, store) = await OpenCountingAsync(Sharded("3d_last2_f4.zarr"));
        var shape = array.Metadata.Shape;
        long shards = 1;
        for (int d = 0; d < shape.Count; d++)
        {
            shards *= (shape[d] + array.Metadata.ChunkShape[d] - 1) / array.Metadata.ChunkShape[d];
        }

        var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
        await array.ReadAsync<float>(ExpectedValues.Whole(shape), values);
        Assert.True(store.Requests <= 2 * shards, $"{store.Requests} requests for {shards} shards");
    }

    [Fact]
    public async Task Strided_read_decodes_only_chunks_holding_selected_indices()
    {
        // 20x30 in 8x7 chunks (3x5 grid). Rows 0,10 -> chunk rows 0,1; cols 0,14,28 -> chunk cols 0,2,4.
        var (array, store) = await OpenCountingAsync(V2("comp_zstd_f4_smooth"));
        DimSlice[] window = [new DimSlice(0, 2, 10), new DimSlice(0, 3, 14)];
        ReadDiagnostics stats;
        var values = new float[6];
        using (ReadDiagnostics.Begin(out stats))
        {
            await array.ReadAsync<float>(window, values);
        }

        Assert.Equal(6, stats.ChunksDecoded);
        Assert.Equal(6, store.Requests);
        AssertWindow(Npy.Load(V2("comp_zstd_f4_smooth.npy")), window, values);
    }

    /// <summary>A real store that records how many reads are in flight at once (each read yields for a moment).</summary>
    private sealed class ConcurrencyStore(IByteStore inner) : IByteStore
    {
        private int _inFlight;
        private int _max;

        public int MaxInFlight => Volatile.Read(ref _max);

        public string Location => inner.Location;

        public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        {
            int now = Interlocked.Increment(ref _inFlight);
            int seen;
            while (now > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, now, seen) != seen)
            {
            }

            try
            {
                await Task.Delay(2, cancellationToken);
                return await inner.GetAsync(key, range, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task Parallel_chunk_reads_stay_within_MaxConcurrentReads(int limit)
    {
        var store = new ConcurrencyStore(new FileStore(V2("comp_zstd_f4_smooth")));
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions { MaxConcurrentReads = limit });
        var array = (await h.GetArrayAsync(""))!;
        var values = new float[600];
        await array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], values);
        Assert.InRange(store.MaxInFlight, 1, limit);
        AssertWindow(Npy.Load(V2("comp_zstd_f4_smooth.npy")), [DimSlice.All(20), DimSlice.All(30)], values);
    }

    public static TheoryData<string, string> WindowCases() => new()
    {
        { "zarr-v2/arrays/layout_F_slash_i2_3d", "zarr-v2/arrays/layout_F_slash_i2_3d.npy" },
        { "zarr-v2/arrays/comp_blosc_lz4_bitshuffle_u2_smooth_3d", "zarr-v2/arrays/comp_blosc_lz4_bitshuffle_u2_smooth_3d.npy" },
        { "zarr-v3/sharded/3d_last2_start_sparse_u2.zarr", "zarr-v3/sharded/3d_last2_start_sparse_u2.npy" },
        { "zarr-v3/zarrita/transpose_3d_i2.zarr", "zarr-v3/zarrita/transpose_3d_i2.npy" },
    };

    [Theory]
    [MemberData(nameof(WindowCases))]
    public async Task Random_windows_and_strides_match_the_expected_values(string store, string expectedFile)
    {
        var expected = Npy.Load(Path.Combine(TestPaths.ZarrData, expectedFile));
        var options = new ZarrReaderOptions { Cache = new ChunkCache(1 << 20), MaxConcurrentReads = 3 };
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(TestPaths.ZarrData, store)), options);
        var array = (await h.GetArrayAsync(""))!;
        var rng = new Random(42);
        for (int trial = 0; trial < 40; trial++)
        {
            var window = new DimSlice[expected.Shape.Length];
            for (int d = 0; d < window.Length; d++)
            {
                long len = expected.Shape[d];
                long start = rng.NextInt64(len);
                long step = rng.Next(1, 4);
                long count = rng.NextInt64(1, ((len - 1 - start) / step) + 2);
                window[d] = new DimSlice(start, count, step);
            }

            var values = new double[window.Aggregate(1L, (a, s) => a * s.Count)];
            await array.ReadAsync<double>(window, values);
            AssertWindow(expected, window, values);
        }
    }

    private static void AssertWindow<T>(Npy expected, IReadOnlyList<DimSlice> window, T[] values)
        where T : struct, IConvertible
    {
        int nd = window.Count;
        var strides = new long[nd];
        long s = 1;
        for (int d = nd - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= expected.Shape[d];
        }

        var idx = new long[nd];
        for (long i = 0; i < values.Length; i++)
        {
            long rest = i, flat = 0;
            for (int d = nd - 1; d >= 0; d--)
            {
                idx[d] = rest % window[d].Count;
                rest /= window[d].Count;
                flat += (window[d].Start + (idx[d] * window[d].Step)) * strides[d];
            }

            double e = expected.Get(flat);
            double a = values[i].ToDouble(null);
            Assert.True(a.Equals(e) || (double.IsNaN(a) && double.IsNaN(e)), $"window element {i} (flat {flat}) is {a}, expected {e}");
        }
    }
}
