using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Storage;
using TileServer.Zarr;
using Xunit;

namespace TileServer.GeoZarr.Tests.Datasets;

/// <summary>
/// The stores of tests/data/broken (made by make_broken.py with zarr-python 2.13 and numpy; what each must do is in
/// cases.json there): every broken one fails to open with our own error naming what is wrong, never with a BCL
/// exception and never as a dataset drawn from made-up geometry.
/// </summary>
public sealed class BrokenStoreTests
{
    private static readonly CrsRegistry Crs = new();

    private static string Folder => Path.Combine(TestPaths.RepoRoot, "tests", "data", "broken");

    private static JsonArray Stores => JsonNode.Parse(File.ReadAllText(Path.Combine(Folder, "cases.json")))!["stores"]!.AsArray();

    public static TheoryData<string> Unavailable()
    {
        var data = new TheoryData<string>();
        foreach (var s in Stores.Where(s => (string)s!["expect"]! == "unavailable"))
        {
            data.Add((string)s!["store"]!);
        }

        return data;
    }

    private static JsonNode Case(string store) => Stores.Single(s => (string)s!["store"]! == store)!;

    private static async Task<GeoDataset> OpenAsync(string store, bool verifyConsolidated = true)
    {
        var zarr = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Folder, store)), new ZarrReaderOptions { VerifyConsolidatedMetadata = verifyConsolidated });
        return await new GeoDatasetReader(Crs).OpenAsync(zarr, new GeoDatasetOptions { Id = store });
    }

    [Fact]
    public void Every_store_in_the_folder_has_a_case_and_every_case_a_store()
    {
        var onDisk = Directory.GetDirectories(Folder, "*.zarr").Select(Path.GetFileName).Order().ToArray();
        var listed = Stores.Select(s => (string)s!["store"]!).Order().ToArray();
        Assert.Equal(onDisk, listed);
        Assert.True(listed.Length >= 14, $"only {listed.Length} stores");
    }

    [Theory]
    [MemberData(nameof(Unavailable))]
    public async Task Opening_a_broken_store_raises_our_own_error_naming_the_fault(string store)
    {
        var expected = Case(store);
        var ex = await Record.ExceptionAsync(() => OpenAsync(store));
        Assert.NotNull(ex);
        var ours = Assert.IsAssignableFrom<TileServerException>(ex);
        Assert.Equal(FailureKind.InvalidData, ours.Kind);
        Assert.Equal((string)expected["error"]!, ex.GetType().Name);
        Assert.Contains((string)expected["reason"]!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("'" + (string)expected["names"]! + "'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_good_store_opens_with_the_geometry_its_geotransform_states_and_the_values_numpy_wrote()
    {
        var ds = await OpenAsync("good.zarr");
        var tas = ds.FindVariable("tas")!;
        Assert.Equal("EPSG:4326", tas.Grid.Crs.Code);
        Assert.Equal([-180.0, 10, 0, 90, 0, -10], tas.Grid.Transform.ToGdal());
        Assert.Equal((36, 18), (tas.Grid.Width, tas.Grid.Height));
        var values = new float[18 * 36];
        await tas.ReadPlaneAsync([], new PixelWindow(0, 0, 18, 36), values);

        // make_broken.py writes numpy.arange(18 * 36) in C order.
        Assert.Equal(Enumerable.Range(0, 18 * 36).Select(i => (float)i), values);
    }

    [Fact]
    public async Task A_store_with_stale_consolidated_metadata_still_fails_to_open_without_the_extra_check()
    {
        // Without reading x/.zarray, the x chunk (35 values where .zmetadata promises 36) cannot be decoded.
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => OpenAsync("stale-consolidated.zarr", verifyConsolidated: false));
        Assert.Equal("x", ex.ArrayPath);
        Assert.Equal(FailureKind.InvalidData, ex.Kind);
    }

    [Fact]
    public async Task The_store_with_bad_shard_entries_opens_with_the_geometry_of_its_spatial_transform()
    {
        var ds = await OpenAsync("bad-shard-entry.zarr");
        var tas = ds.FindVariable("tas")!;
        Assert.Equal("EPSG:4326", tas.Grid.Crs.Code);
        Assert.Equal([-180.0, 10, 0, 90, 0, -10], tas.Grid.Transform.ToGdal());
        foreach (var bad in Case("bad-shard-entry.zarr")["badChunks"]!.AsArray())
        {
            int row = (int)bad!["rows"]![0]!, col = (int)bad["cols"]![0]!;
            var (west, north) = tas.Grid.Transform.Apply(col, row);
            Assert.Equal((double)bad["bounds"]![0]!, west);
            Assert.Equal((double)bad["bounds"]![3]!, north);
            var ex = await Assert.ThrowsAsync<ChunkDecodeException>(async () => await tas.ReadPlaneAsync([], new PixelWindow(row, col, 1, 1), new float[1]));
            Assert.Equal((string)bad["key"]!, ex.ChunkKey);
        }

        // A cell of an inner chunk with a sound entry, in the same shard.
        var value = new float[1];
        await tas.ReadPlaneAsync([], new PixelWindow(4, 7, 1, 1), value);
        Assert.Equal((4 * 36) + 7, value[0]);
    }
}
