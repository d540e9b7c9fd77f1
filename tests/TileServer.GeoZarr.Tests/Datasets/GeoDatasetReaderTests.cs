using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Storage;
using TileServer.Zarr;
using Xunit;

namespace TileServer.GeoZarr.Tests.Datasets;

/// <summary>
/// Opening the stores written by xarray/rioxarray/GDAL/zarr-python into datasets: levels, grids, CRS, CF decoding and
/// dimensions, checked against what their catalogs (and GDAL) say.
/// </summary>
public sealed class GeoDatasetReaderTests
{
    private static readonly CrsRegistry Crs = new();

    private static async Task<GeoDataset> OpenAsync(string path, GeoDatasetOptions? options = null)
    {
        var zarr = await ZarrHierarchy.OpenAsync(new FileStore(path), new ZarrReaderOptions());
        return await new GeoDatasetReader(Crs).OpenAsync(zarr, options ?? new GeoDatasetOptions { Id = "t" });
    }

    [Fact]
    public async Task Global_4326_grid_matches_the_gdal_geotransform_and_cf_packing()
    {
        var ds = await OpenAsync(TestPaths.GeoZarr("global-4326", "global-4326.zarr"));
        Assert.Equal("none", ds.MultiscaleLayout);
        var tas = ds.FindVariable("tas")!;
        Assert.Equal("EPSG:4326", tas.Grid.Crs.Code);
        Assert.Equal([-180.0, 1, 0, 90, 0, -1], tas.Grid.Transform.ToGdal());
        Assert.Equal((360, 180), (tas.Grid.Width, tas.Grid.Height));
        Assert.True(tas.Grid.WrapsLongitude);
        Assert.Equal(0.01, tas.Cf.ScaleFactor, 12);
        Assert.Equal(10.0, tas.Cf.AddOffset, 12);
        Assert.Contains(-32768.0, tas.Cf.NodataValues);
        var time = tas.Dimensions.Single(d => d.Name == "time");
        Assert.True(time.IsTime);
        Assert.Equal(["2000-01-01T00:00:00Z", "2000-02-01T00:00:00Z", "2000-03-01T00:00:00Z", "2000-04-01T00:00:00Z"], time.Labels);
    }

    [Fact]
    public async Task Global_4326_point_samples_decode_to_the_expected_values()
    {
        var ds = await OpenAsync(TestPaths.GeoZarr("global-4326", "global-4326.zarr"));
        var tas = ds.FindVariable("tas")!;
        var expected = JsonNode.Parse(File.ReadAllText(TestPaths.GeoZarr("global-4326", "expected.json")))!;
        int checkedCount = 0;
        foreach (var s in expected["samples"]!.AsArray())
        {
            var buffer = new float[1];
            await tas.ReadPlaneAsync([(long)s!["time_index"]!], new PixelWindow((long)s["row"]!, (long)s["col"]!, 1, 1), buffer);
            double? value = s["value"] is null ? null : (double)s["value"]!;
            if (value is null)
            {
                Assert.True(float.IsNaN(buffer[0]), $"sample {s.ToJsonString()} should be nodata, got {buffer[0]}");
            }
            else
            {
                Assert.Equal(value.Value, buffer[0], 1e-4);
            }

            checkedCount++;
        }

        Assert.True(checkedCount >= 40);
    }

    [Theory]
    [InlineData("pyramid-geozarr.zarr", "geozarr-tms")]
    [InlineData("pyramid-ndpyramid.zarr", "ndpyramid")]
    public async Task Webmercator_pyramids_are_recognised_in_both_layouts(string store, string layout)
    {
        var ds = await OpenAsync(TestPaths.GeoZarr("webmercator-pyramid", store));
        Assert.Equal(layout, ds.MultiscaleLayout);
        Assert.Equal(4, ds.Levels.Count);
        for (int i = 0; i < 4; i++)
        {
            // Finest first: level index 0 is zoom 3.
            int z = 3 - i;
            var grid = ds.Levels[i].Grid;
            Assert.Equal(z.ToString(System.Globalization.CultureInfo.InvariantCulture), ds.Levels[i].Path);
            Assert.Equal(256 << z, grid.Width);
            Assert.Equal(156543.03392804097 / (1 << z), grid.ResolutionX, 6);
            Assert.Equal("EPSG:3857", grid.Crs.Code);
        }

        if (layout == "geozarr-tms")
        {
            Assert.Equal("WebMercatorQuad", ds.TileMatrixSetId);
            Assert.Equal("3", ds.Levels[0].TileMatrixId);
        }
    }

    [Fact]
    public async Task Utm_native_pyramid_uses_the_zarr_conventions_layout()
    {
        var ds = await OpenAsync(TestPaths.GeoZarr("utm-native-pyramid", "utm-native-pyramid.zarr"));
        Assert.Equal("zarr-conventions", ds.MultiscaleLayout);
        Assert.Equal(["r100m", "r200m", "r400m", "r800m"], ds.Levels.Select(l => l.Path));
        Assert.Equal("EPSG:32633", ds.Finest.Grid.Crs.Code);
        Assert.Equal([399960.0, 100, 0, 5300040, 0, -100], ds.Finest.Grid.Transform.ToGdal());
        Assert.Equal(400, ds.Levels[2].Grid.ResolutionX, 9);
    }

    [Fact]
    public async Task Landsat_layout_levels_take_their_transforms_from_the_multiscales_entries()
    {
        var ds = await OpenAsync(TestPaths.Demo("landsat-L7_ETMs.zarr"));
        Assert.Equal("zarr-conventions", ds.MultiscaleLayout);
        Assert.Equal("EPSG:31985", ds.Finest.Grid.Crs.Code);
        Assert.Equal(3, ds.Levels.Count);
        Assert.Equal((349, 352), (ds.Levels[0].Grid.Width, ds.Levels[0].Grid.Height));
        Assert.Equal((88, 88), (ds.Levels[2].Grid.Width, ds.Levels[2].Grid.Height));
        Assert.Equal(113.99999999709816, ds.Levels[2].Grid.ResolutionX, 9);
        var band = ds.FindVariable("L7_ETMs")!.Dimensions.Single(d => d.Name == "band");
        Assert.Equal([1.0, 2, 3, 4, 5, 6], band.Values);
    }

    [Fact]
    public async Task Lcc_kilometre_grid_keeps_its_units_and_custom_crs()
    {
        var ds = await OpenAsync(TestPaths.RealData("lcc", "daymet_lcc.zarr"));
        var prcp = ds.FindVariable("prcp")!;
        Assert.Null(prcp.Grid.Crs.Code);
        Assert.Equal(1000, prcp.Grid.Crs.MetersPerUnit, 9);
        Assert.Equal([-778.75, 1, 0, -119.5, 0, -1], prcp.Grid.Transform.ToGdal());
        Assert.Contains(-9999.0, prcp.Cf.NodataValues);
    }

    [Fact]
    public async Task Sst_ascending_latitude_and_0_360_longitudes_come_from_the_geotransform()
    {
        var ds = await OpenAsync(TestPaths.Demo("oisst.zarr"));
        var sst = ds.FindVariable("sst")!;
        Assert.Equal([-1.0, 2, 0, -90, 0, 2], sst.Grid.Transform.ToGdal());
        Assert.True(sst.Grid.WrapsLongitude);
        Assert.Equal(["time", "zlev", "lat", "lon"], sst.Dimensions.Select(d => d.Name));
        Assert.Equal((2, 3), (sst.YDim, sst.XDim));
        // lon 0.5, lat 0.5 -> lat index 45, lon index 0 -> stored 2809 = 28.09 degC (tests/data/real/README.md).
        var buffer = new float[1];
        await sst.ReadPlaneAsync([0, 0], new PixelWindow(45, 0, 1, 1), buffer);
        Assert.Equal(28.09, buffer[0], 1e-4);
    }

    [Fact]
    public async Task V3_sharded_copy_opens_to_the_same_dataset_as_v2()
    {
        var v2 = await OpenAsync(TestPaths.GeoZarr("utm-native-pyramid", "utm-native-pyramid.zarr"));
        var v3 = await OpenAsync(TestPaths.GeoZarr("v3", "utm-native-pyramid", "utm-native-pyramid.zarr"));
        Assert.Equal(v2.Levels.Select(l => (l.Path, l.Grid.Transform, l.Grid.Width)), v3.Levels.Select(l => (l.Path, l.Grid.Transform, l.Grid.Width)));
        Assert.Equal(v2.Finest.Grid.Crs.Code, v3.Finest.Grid.Crs.Code);
        Assert.Equal(v2.FindVariable("reflectance")!.Cf.NodataValues, v3.FindVariable("reflectance")!.Cf.NodataValues);
    }

    [Fact]
    public async Task A_level_named_by_the_multiscales_but_missing_is_a_clear_error()
    {
        string dir = CopyStore(TestPaths.GeoZarr("webmercator-pyramid", "pyramid-geozarr.zarr"));
        try
        {
            var zmeta = Path.Combine(dir, ".zmetadata");
            var doc = JsonNode.Parse(File.ReadAllText(zmeta))!;
            var meta = doc["metadata"]!.AsObject();
            foreach (var key in meta.Select(kv => kv.Key).Where(k => k.StartsWith("2/", StringComparison.Ordinal)).ToList())
            {
                meta.Remove(key);
            }

            File.WriteAllText(zmeta, doc.ToJsonString());
            Directory.Delete(Path.Combine(dir, "2"), true);
            var ex = await Assert.ThrowsAsync<GeoDatasetException>(() => OpenAsync(dir));
            Assert.Contains("'2'", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task Coordinates_inconsistent_with_the_array_shape_are_reported()
    {
        string dir = CopyStore(TestPaths.RealData("wind", "uv.zarr"));
        try
        {
            var zmeta = Path.Combine(dir, ".zmetadata");
            var doc = JsonNode.Parse(File.ReadAllText(zmeta))!;
            doc["metadata"]!["time/.zarray"]!["shape"] = new JsonArray(7);
            File.WriteAllText(zmeta, doc.ToJsonString());
            var ex = await Assert.ThrowsAsync<GeoDatasetException>(() => OpenAsync(dir));
            Assert.Contains("time", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_configured_crs_overrides_the_metadata()
    {
        var ds = await OpenAsync(TestPaths.RealData("wind", "uv.zarr"), new GeoDatasetOptions { Id = "w", Crs = "EPSG:4258" });
        Assert.Equal("EPSG:4258", ds.Finest.Grid.Crs.Code);
    }

    private static string CopyStore(string source)
    {
        string target = Path.Combine(Path.GetTempPath(), "geozarr-test-" + Guid.NewGuid().ToString("N"));
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var dest = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            File.Copy(file, dest);
            File.SetAttributes(dest, FileAttributes.Normal);
        }

        return target;
    }
}
