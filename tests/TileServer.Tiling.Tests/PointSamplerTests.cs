using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Tiling.Tests;

public class PointSamplerTests
{
    private static readonly CrsRegistry Crs = new();

    [Fact]
    public void Sst_points_on_a_0_to_360_ascending_grid()
    {
        var grid = new GridGeometry(Crs.FromCode("EPSG:4326"), AffineTransform.FromGdal([-1.0, 2.0, 0.0, -90.0, 0.0, 2.0]), 180, 90);
        var points = TestData.Json("real", "sst", "ref", "points.json")["points"]!.AsArray();
        Assert.True(points.Count >= 10);
        foreach (var p in points)
        {
            var cell = PointSampler.CellAtLonLat(grid, (double)p!["lon"]!, (double)p["lat"]!, Crs);
            Assert.Equal(((long)p["row_index_lat"]!, (long)p["col_index_lon"]!), cell);
        }
    }

    [Fact]
    public void Global_4326_fixture_samples()
    {
        var grid = new GridGeometry(Crs.FromCode("EPSG:4326"), AffineTransform.FromGdal([-180.0, 1.0, 0.0, 90.0, 0.0, -1.0]), 360, 180);
        var samples = TestData.Json("geozarr", "global-4326", "expected.json")["samples"]!.AsArray();
        Assert.True(samples.Count >= 40);
        foreach (var s in samples)
        {
            Assert.Equal(((long)s!["row"]!, (long)s["col"]!), PointSampler.CellAtLonLat(grid, (double)s["lon"]!, (double)s["lat"]!, Crs));
        }
    }

    [Fact]
    public void Blue_marble_native_and_projected_pyramid_levels()
    {
        var native = new GridGeometry(Crs.FromCode("EPSG:4326"), AffineTransform.FromGdal([-180.0, 0.17578125, 0.0, 90.0, 0.0, -0.17578125]), 2048, 1024);
        var wm = Crs.FromCode("EPSG:3857");
        int checkedLevels = 0;
        foreach (var p in TestData.Json("real", "blue-marble", "ref", "points.json")["points"]!.AsArray())
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            Assert.Equal(((long)p["native"]!["row"]!, (long)p["native"]!["col"]!), PointSampler.CellAtLonLat(native, lon, lat, Crs));
            if (p["pyramid"] is JsonObject levels)
            {
                foreach (var (z, cell) in levels)
                {
                    double res = 156543.03392804097 / (1 << int.Parse(z, System.Globalization.CultureInfo.InvariantCulture));
                    int size = 256 << int.Parse(z, System.Globalization.CultureInfo.InvariantCulture);
                    var grid = new GridGeometry(wm, new AffineTransform(res, 0, -20037508.342789244, 0, -res, 20037508.342789244), size, size);
                    Assert.Equal(((long)cell!["row"]!, (long)cell["col"]!), PointSampler.CellAtLonLat(grid, lon, lat, Crs));
                    checkedLevels++;
                }
            }
        }

        Assert.True(checkedLevels > 20);
    }

    [Fact]
    public void Landsat_points_through_utm()
    {
        var catalog = TestData.Json("real", "landsat", "ref", "catalog.json");
        var res = catalog["level_res_m"]!.AsArray().Select(v => (double)v!).ToArray();
        var utm = Crs.FromCode("EPSG:31985");
        int[][] shapes = [[352, 349], [176, 175], [88, 88]];
        foreach (var p in TestData.Json("real", "landsat", "ref", "points.json")["points"]!.AsArray())
        {
            foreach (var (level, cell) in p!["levels"]!.AsObject())
            {
                int l = int.Parse(level, System.Globalization.CultureInfo.InvariantCulture);
                var grid = new GridGeometry(utm, new AffineTransform(res[l], 0, 288776.25000080315, 0, -res[l], 9120760.750028737), shapes[l][1], shapes[l][0]);
                Assert.Equal(((long)cell!["row"]!, (long)cell["col"]!), PointSampler.CellAtLonLat(grid, (double)p["lon"]!, (double)p["lat"]!, Crs));
            }
        }
    }

    [Fact]
    public void Outside_points_give_null()
    {
        var grid = new GridGeometry(Crs.FromCode("EPSG:4326"), AffineTransform.FromGdal([4.875, 0.25, 0.0, 52.125, 0.0, -0.25]), 9, 9);
        Assert.Null(PointSampler.CellAt(grid, 4.8, 51));
        Assert.Null(PointSampler.CellAt(grid, 5, 52.2));
        Assert.Null(PointSampler.CellAt(grid, double.NaN, 51));
        Assert.Equal((4L, 4L), PointSampler.CellAt(grid, 6.0, 51.0));
    }
}
