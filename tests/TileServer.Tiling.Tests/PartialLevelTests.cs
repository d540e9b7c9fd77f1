using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Tiling.Tests;

public class PartialLevelTests
{
    private static readonly CrsRegistry Crs = new();
    private static readonly TileMatrixSetRegistry Tms = new(Crs);
    private static readonly RasterReader Reader = new(Crs, new ReaderOptions());

    private static async Task<GeoDataset> OpenAsync(string path)
    {
        var zarr = await ZarrHierarchy.OpenAsync(new FileStore(path), new ZarrReaderOptions());
        return await new GeoDatasetReader(Crs).OpenAsync(zarr, new GeoDatasetOptions { Id = "partial" });
    }

    [Fact]
    public async Task Levels_without_the_variable_are_skipped_in_level_choice()
    {
        // The pyramid with its coarse levels (zooms 0-2) stripped of 'band': a z0 tile must come from zoom 3.
        var full = await OpenAsync(TestData.Get("geozarr", "webmercator-pyramid", "pyramid-geozarr.zarr"));
        var partial = full with
        {
            Levels = full.Levels.Select(l => l.TileMatrixId == "3" ? l : l with { Variables = new Dictionary<string, GeoVariable>() }).ToList(),
        };
        Assert.True(Tms.TryGet("WebMercatorQuad", out var wmq));
        var tile = await Reader.ReadTileAsync(partial, [new BandSource("band", [])], wmq, wmq.FindMatrix("0")!, 0, 0, 256, ResamplingMethod.Nearest, default);
        Assert.Equal("3", partial.Levels[tile.LevelIndex].TileMatrixId);
        Assert.False(tile.IsEmpty);
    }
}
