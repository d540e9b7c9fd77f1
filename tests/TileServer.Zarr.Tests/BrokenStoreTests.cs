using System.Text.Json.Nodes;
using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>
/// The Zarr-level faults of tests/data/broken (made by make_broken.py; cases.json says what each must do): metadata
/// that cannot be true fails the array's open with a <see cref="ZarrFormatException"/> naming it, and an impossible
/// shard index entry fails only the reads of its own inner chunk.
/// </summary>
public sealed class BrokenStoreTests
{
    private static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "data", "broken");

    private static JsonArray Stores => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")))!["stores"]!.AsArray();

    public static TheoryData<string> ZarrFaults()
    {
        var data = new TheoryData<string>();
        foreach (var s in Stores.Where(s => (string?)s!["layer"] == "zarr"))
        {
            data.Add((string)s!["store"]!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ZarrFaults))]
    public async Task Metadata_that_cannot_be_true_fails_the_open_naming_the_node(string store)
    {
        var expected = Stores.Single(s => (string)s!["store"]! == store)!;
        string name = (string)expected["names"]!;
        var ex = await Record.ExceptionAsync(async () =>
        {
            var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Folder, store)), new ZarrReaderOptions { VerifyConsolidatedMetadata = true });
            await h.GetArrayAsync(name);
        });
        var format = Assert.IsType<ZarrFormatException>(ex);
        Assert.Equal(FailureKind.InvalidData, format.Kind);
        Assert.Contains((string)expected["reason"]!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'" + name + "'", ex.Message, StringComparison.Ordinal);
    }

    private static async Task<ZarrArray> OpenShardedAsync(ZarrReaderOptions options)
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Folder, "bad-shard-entry.zarr")), options);
        return (await h.GetArrayAsync("tas"))!;
    }

    private static readonly Npy Expected = Npy.Load(Path.Combine(Folder, "bad-shard-entry.zarr", "expected_tas.npy"));

    public static TheoryData<string> ReaderSetups() => ["no cache", "cache", "cache, no coalescing"];

    private static ZarrReaderOptions Options(string setup) => setup switch
    {
        "no cache" => new ZarrReaderOptions(),
        "cache" => new ZarrReaderOptions { Cache = new ChunkCache(1 << 20) },
        _ => new ZarrReaderOptions { Cache = new ChunkCache(1 << 20), RangeCoalesceGap = 0 },
    };

    [Theory]
    [MemberData(nameof(ReaderSetups))]
    public async Task An_impossible_shard_index_entry_fails_only_its_own_inner_chunk(string setup)
    {
        var array = await OpenShardedAsync(Options(setup));
        var bad = new Dictionary<int, string> { [1] = "lies beyond the end of any object", [34] = "every inner chunk of this array is 72 bytes" };
        int checkedChunks = 0;
        for (int n = 0; n < 36; n++)
        {
            int row = n / 6 * 3, col = n % 6 * 6;
            var values = new float[3 * 6];
            var read = array.ReadAsync<float>([new DimSlice(row, 3), new DimSlice(col, 6)], values).AsTask();
            if (bad.TryGetValue(n, out var reason))
            {
                var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => read);
                Assert.Equal($"tas/c/0/0#{n}", ex.ChunkKey);
                Assert.Contains(reason, ex.Message, StringComparison.Ordinal);
                Assert.Contains($"shard index entry {n}", ex.Message, StringComparison.Ordinal);
                continue;
            }

            await read;
            for (int r = 0; r < 3; r++)
            {
                for (int c = 0; c < 6; c++)
                {
                    Assert.Equal(Expected.Get(((row + r) * 36) + col + c), values[(r * 6) + c]);
                }
            }

            checkedChunks++;
        }

        Assert.Equal(34, checkedChunks);
    }

    [Theory]
    [MemberData(nameof(ReaderSetups))]
    public async Task A_window_over_good_and_bad_inner_chunks_fails_and_leaves_the_good_ones_readable(string setup)
    {
        var array = await OpenShardedAsync(Options(setup));

        // Rows 0-5, columns 0-17: inner chunks 0, 1, 2, 6, 7, 8; chunk 1 is the bad one.
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => array.ReadAsync<float>([new DimSlice(0, 6), new DimSlice(0, 18)], new float[6 * 18]).AsTask());
        Assert.Equal("tas/c/0/0#1", ex.ChunkKey);

        // Columns 0-5 and 12-17 of the same rows: inner chunks 0, 6 and 2, 8, read after the failure.
        foreach (int col in new[] { 0, 12 })
        {
            var values = new float[6 * 6];
            await array.ReadAsync<float>([new DimSlice(0, 6), new DimSlice(col, 6)], values);
            for (int r = 0; r < 6; r++)
            {
                for (int c = 0; c < 6; c++)
                {
                    Assert.Equal(Expected.Get((r * 36) + col + c), values[(r * 6) + c]);
                }
            }
        }
    }
}
