using System.Text;
using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Delivery.Seeding.Pmtiles;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Delivery.Tests.Seeding;

/// <summary>
/// Archives written by <see cref="PmtilesArchiveWriter"/> read back by the pmtiles npm package (Protomaps' reader): every
/// tile at its z/x/y, header fields, metadata; leaf directories, runs and shared contents included.
/// </summary>
public sealed class PmtilesArchiveTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pmtiles-test-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static PmtilesDescription Description(int minZoom, int maxZoom, Extent bounds) => new()
    {
        TileType = PmtilesTileType.Png,
        MinZoom = minZoom,
        MaxZoom = maxZoom,
        Bounds = bounds,
        Metadata = new JsonObject { ["name"] = "test tiles", ["format"] = "png", ["attribution"] = "nobody" },
    };

    private static IEnumerable<(int Z, int X, int Y)> Pyramid(int maxZoom)
        => Enumerable.Range(0, maxZoom + 1).SelectMany(z => Enumerable.Range(0, 1 << z).SelectMany(x => Enumerable.Range(0, 1 << z).Select(y => (z, x, y))));

    [Theory]
    [InlineData(0, 0, 0, 0UL)]
    [InlineData(1, 0, 0, 1UL)]
    [InlineData(1, 0, 1, 2UL)]
    [InlineData(1, 1, 1, 3UL)]
    [InlineData(1, 1, 0, 4UL)]
    [InlineData(2, 0, 0, 5UL)]
    public void Tile_ids_count_the_coarser_zooms_then_follow_the_hilbert_curve(int z, int x, int y, ulong expected)
        => Assert.Equal(expected, PmtilesFormat.TileId(z, x, y));

    [Fact]
    public async Task Thousands_of_tiles_through_leaf_directories_read_back_at_their_addresses()
    {
        // Zooms 0-6 (5461 tiles); every fifth tile of a row is "sea" (one shared content), the others are their own.
        string path = Path.Combine(_folder, "leaves.pmtiles");
        var expected = new Dictionary<(int, int, int), byte[]>();
        var writer = new PmtilesArchiveWriter(path, new PmtilesOptions { MaxRootBytes = 400, MinLeafEntries = 64 });
        await using (writer)
        {
            foreach (var (z, x, y) in Pyramid(6))
            {
                var bytes = Encoding.UTF8.GetBytes(x % 5 == 0 ? "sea" : $"tile {z}/{x}/{y}");
                expected[(z, x, y)] = bytes;
                await writer.AddAsync(z, x, y, bytes, default);
            }

            var written = await writer.FinishAsync(Description(0, 6, new Extent(-180, -85.0511287798066, 180, 85.0511287798066)), default);
            Assert.True(written.LeafDirectories > 1, $"expected leaf directories, got {written.LeafDirectories}");
            Assert.Equal(5461, written.AddressedTiles);
        }

        var archive = await PmtilesReader.ReadAsync(path);
        Assert.Equal(expected.Count, archive.Tiles.Count);
        foreach (var (address, bytes) in expected)
        {
            Assert.True(archive.Tiles.TryGetValue(address, out var read), $"tile {address} missing");
            Assert.Equal(bytes, read);
        }

        var header = archive.Header;
        Assert.Equal(5461, (long)header["numAddressedTiles"]!);
        Assert.Equal(expected.Values.Select(Encoding.UTF8.GetString).Distinct().Count(), (int)header["numTileContents"]!);
        Assert.True((bool)header["clustered"]!);
        Assert.True((long)header["leafDirectoryLength"]! > 0);
        Assert.Equal("nobody", (string?)archive.Metadata!["attribution"]);
        Assert.False(File.Exists(path + ".partial") || File.Exists(path + ".tiles.partial"), "scratch files left behind");
    }

    [Fact]
    public async Task Consecutive_identical_tiles_are_one_run_and_one_stored_copy()
    {
        // Zooms 0-2 hold tile ids 0..20: all the same bytes make a single entry with a run of 21.
        string path = Path.Combine(_folder, "runs.pmtiles");
        var bytes = Encoding.UTF8.GetBytes("the same tile everywhere");
        PmtilesWritten written;
        await using (var writer = new PmtilesArchiveWriter(path, new PmtilesOptions()))
        {
            // Arriving out of order, as parallel workers deliver them.
            foreach (var (z, x, y) in Pyramid(2).Reverse())
            {
                await writer.AddAsync(z, x, y, bytes, default);
            }

            written = await writer.FinishAsync(Description(0, 2, new Extent(-10, -20, 30, 40)), default);
        }

        Assert.Equal((1, 1, 21), (written.Entries, written.Contents, (int)written.AddressedTiles));
        var archive = await PmtilesReader.ReadAsync(path);
        Assert.Equal(21, archive.Tiles.Count);
        Assert.All(archive.Tiles.Values, t => Assert.Equal(bytes, t));
        var h = archive.Header;
        Assert.Equal((1L, 1L, 21L), ((long)h["numTileEntries"]!, (long)h["numTileContents"]!, (long)h["numAddressedTiles"]!));
        // One stored copy: the data section is that tile's bytes once, and it ends the file.
        Assert.Equal(bytes.Length, (long)h["tileDataLength"]!);
        Assert.Equal(written.FileBytes, (long)h["tileDataOffset"]! + bytes.Length);
        Assert.Equal((-10.0, -20.0, 30.0, 40.0), ((double)h["minLon"]!, (double)h["minLat"]!, (double)h["maxLon"]!, (double)h["maxLat"]!));
        Assert.Equal((0L, 2L, 2L), ((long)h["minZoom"]!, (long)h["maxZoom"]!, (long)h["tileType"]!));
        Assert.Equal((10.0, 10.0), ((double)h["centerLon"]!, (double)h["centerLat"]!));
    }

    [Fact]
    public async Task An_archive_given_up_leaves_nothing_at_its_path()
    {
        string path = Path.Combine(_folder, "abandoned.pmtiles");
        await using (var writer = new PmtilesArchiveWriter(path, new PmtilesOptions()))
        {
            await writer.AddAsync(0, 0, 0, [1, 2, 3], default);
        }

        Assert.Empty(Directory.EnumerateFiles(_folder));
    }
}
