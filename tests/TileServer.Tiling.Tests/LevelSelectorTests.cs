using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Tiling.Tests;

public class LevelSelectorTests
{
    private static readonly CrsRegistry Crs = new();
    private static readonly TileMatrixSetRegistry Registry = new(Crs);

    private static GridGeometry GridFromGdal(CrsInfo crs, JsonNode gt, JsonNode shape) =>
        new(crs, AffineTransform.FromGdal(gt.AsArray().Select(v => v!.GetValue<double>()).ToArray()), shape[1]!.GetValue<int>(), shape[0]!.GetValue<int>());

    private static Extent Bounds(JsonNode b)
    {
        var a = b.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        return new Extent(a[0], a[1], a[2], a[3]);
    }

    [Fact]
    public void WebMercator_pyramid_reference_levels()
    {
        var e = TestData.Json("geozarr", "webmercator-pyramid", "expected.json");
        var crs = Crs.FromCode("EPSG:3857");
        var ids = e["levels"]!.AsObject().Select(kv => kv.Key).OrderByDescending(int.Parse).ToArray(); // finest first
        var grids = ids.Select(id => GridFromGdal(crs, e["levels"]![id]!["geotransform"]!, e["levels"]![id]!["shape"]!)).ToArray();
        int checkedTiles = 0;
        foreach (var t in e["ref_tiles"]!.AsArray())
        {
            double cell = LevelSelector.TileCellSizeInCrs(Bounds(t!["bounds_3857"]!), 256, 256, null);
            Assert.Equal((string?)t["level"], ids[LevelSelector.SelectIndex(grids, cell)]);
            checkedTiles++;
        }

        Assert.True(checkedTiles >= 8);
    }

    [Fact]
    public void Utm_native_pyramid_reference_levels_through_the_real_transform()
    {
        var e = TestData.Json("geozarr", "utm-native-pyramid", "expected.json");
        var utm = Crs.FromCode("EPSG:32633");
        var ids = new[] { "r100m", "r200m", "r400m", "r800m" };
        var grids = ids.Select(id => GridFromGdal(utm, e["levels"]![id]!["geotransform"]!, e["levels"]![id]!["shape"]!)).ToArray();
        var toUtm = Crs.CreateTransform(Crs.FromCode("EPSG:3857"), utm);
        foreach (var t in e["ref_tiles"]!.AsArray())
        {
            double cell = LevelSelector.TileCellSizeInCrs(Bounds(t!["bounds_3857"]!), 256, 256, toUtm);
            Assert.Equal((string?)t["level"], ids[LevelSelector.SelectIndex(grids, cell)]);
        }
    }

    [Fact]
    public void Landsat_reference_levels_from_catalog_resolutions_and_from_the_transform()
    {
        var c = TestData.Json("real", "landsat", "ref", "catalog.json");
        var crs = Crs.FromCode("EPSG:31985");
        var res = c["level_res_m"]!.AsArray().Select(v => v!.GetValue<double>()).ToArray();
        var grids = res.Select(r => new GridGeometry(crs, new AffineTransform(r, 0, 288776.25, 0, -r, 9120760.75), 100, 100)).ToArray();
        var toUtm = Crs.CreateTransform(Crs.FromCode("EPSG:3857"), crs);
        foreach (var t in c["tiles"]!.AsArray())
        {
            string expected = (string)t!["pyramid_level"]!;
            Assert.Equal(expected, LevelSelector.SelectIndex(grids, t["tile_res_native_m"]!.GetValue<double>()).ToString(System.Globalization.CultureInfo.InvariantCulture));
            double cell = LevelSelector.TileCellSizeInCrs(Bounds(t["bounds_3857"]!), 256, 256, toUtm);
            Assertions.Relative(t["tile_res_native_m"]!.GetValue<double>(), cell, 0.01, "tile resolution in UTM");
            Assert.Equal(expected, LevelSelector.SelectIndex(grids, cell).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    [Fact]
    public void Rule_edges_tolerance_bias_and_fallback()
    {
        var crs = TestCrs.WebMercator;
        GridGeometry G(double res) => new(crs, new AffineTransform(res, 0, 0, 0, -res, 0), 10, 10);
        var grids = new[] { G(10), G(20), G(40) };
        Assert.Equal(0, LevelSelector.SelectIndex(grids, 5));               // finer than all → finest
        Assert.Equal(0, LevelSelector.SelectIndex(grids, 19.9));
        Assert.Equal(1, LevelSelector.SelectIndex(grids, 20 * (1 - 1e-12))); // within 1e-9 relative counts as equal
        Assert.Equal(0, LevelSelector.SelectIndex(grids, 20 * (1 - 1e-6)));
        Assert.Equal(2, LevelSelector.SelectIndex(grids, 1000));
        Assert.Equal(1, LevelSelector.SelectIndex(grids, 10.5, bias: 2));
        Assert.Equal(0, LevelSelector.SelectIndex(grids, double.NaN));
    }

    [Fact]
    public void Tms_aligned_pyramid_takes_the_level_with_the_requested_matrix_id()
    {
        Assert.True(Registry.TryGet("WebMercatorQuad", out var wm));
        Assert.True(Registry.TryGet("WorldCRS84Quad", out var crs84));
        var crs = wm.Crs;
        var levels = new[] { "3", "2", "1", "0" }.Select(id =>
        {
            var m = wm.FindMatrix(id)!;
            var grid = new GridGeometry(crs, new AffineTransform(m.CellSize, 0, -20037508.342789244, 0, -m.CellSize, 20037508.342789244), (int)(256 * m.MatrixWidth), (int)(256 * m.MatrixHeight));
            return new PyramidLevel(grid, id);
        }).ToArray();

        Assert.Equal(2, LevelSelector.Select(levels, "WebMercatorQuad", wm, wm.FindMatrix("1")!, double.NaN));
        Assert.Equal(3, LevelSelector.Select(levels, "webmercatorquad", wm, wm.FindMatrix("0")!, double.NaN));
        // No level "7": the rule decides (tile finer than every level → finest).
        Assert.Equal(0, LevelSelector.Select(levels, "WebMercatorQuad", wm, wm.FindMatrix("7")!, wm.FindMatrix("7")!.CellSize));
        // Another TMS: matrix ids mean nothing, the rule decides.
        Assert.Equal(3, LevelSelector.Select(levels, "WebMercatorQuad", crs84, crs84.FindMatrix("1")!, 1e6));
    }

    [Fact]
    public void WebMercator_tile_over_geographic_data_uses_the_latitude_step()
    {
        Assert.True(Registry.TryGet("WebMercatorQuad", out var wm));
        var z4 = wm.FindMatrix("4")!;
        var toLonLat = Crs.CreateTransform(wm.Crs, Crs.FromCode("EPSG:4326"));
        var b = wm.TileBounds(z4, 8, 4); // north of the equator, centre ≈ 59.5°N
        double cell = LevelSelector.TileCellSizeInCrs(b, 256, 256, toLonLat);
        double yc = b.MaxY - (128.5 * z4.CellSize);
        double lat = (2 * Math.Atan(Math.Exp(yc / 6378137.0))) - (Math.PI / 2);
        double expected = z4.CellSize / 6378137.0 * (180 / Math.PI) * Math.Cos(lat);
        Assertions.Relative(expected, cell, 1e-3, "degrees per pixel along latitude");
        Assert.True(cell < z4.CellSize / 6378137.0 * (180 / Math.PI), "smaller than the longitude step");
    }
}
