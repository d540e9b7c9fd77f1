using System.Text.Json.Nodes;
using TileServer.Crs;
using Xunit;

namespace TileServer.Crs.Tests;

/// <summary>
/// The CRSs of the real samples and GeoZarr fixtures in tests/data and data/demo: every WKT they carry is recognised, and their
/// point samples (projected by pyproj when the data was made) are reproduced.
/// </summary>
public sealed class CrsSharedDataTests
{
    private readonly CrsRegistry _registry = new();

    public static TheoryData<string, string?> Stores() => new()
    {
        { "data/demo/landsat-L7_ETMs.zarr", "EPSG:31985" },
        { "tests/data/real/blue-marble/blue-marble.zarr", "EPSG:4326" },
        { "data/demo/blue-marble-webmercatorquad.zarr", "EPSG:3857" },
        { "data/demo/oisst.zarr", "EPSG:4326" },
        { "tests/data/real/wind/uv.zarr", "EPSG:4326" },
        { "tests/data/real/lcc/daymet_lcc.zarr", null },
        { "tests/data/geozarr/webmercator-pyramid/pyramid-ndpyramid.zarr", "EPSG:3857" },
        { "tests/data/geozarr/webmercator-pyramid/pyramid-geozarr.zarr", "EPSG:3857" },
        { "tests/data/geozarr/global-4326/global-4326.zarr", "EPSG:4326" },
        { "tests/data/geozarr/utm-native-pyramid/utm-native-pyramid.zarr", "EPSG:32633" },
    };

    [Theory]
    [MemberData(nameof(Stores))]
    public void Every_crs_attribute_in_the_store_resolves_to_the_expected_code(string store, string? expectedCode)
    {
        var meta = CrsTestPaths.LoadJson(TestPaths.Repo([.. store.Split('/'), ".zmetadata"]))["metadata"]!.AsObject();
        int seen = 0;
        foreach (var (key, value) in meta)
        {
            if (!key.EndsWith(".zattrs", StringComparison.Ordinal) || value is not JsonObject attrs)
            {
                continue;
            }

            foreach (string a in (string[])["crs_wkt", "spatial_ref", "proj:wkt2"])
            {
                if (attrs[a] is JsonValue v && v.TryGetValue(out string? wkt))
                {
                    Assert.Equal(expectedCode, _registry.FromWkt(wkt).Code);
                    seen++;
                }
            }

            if (attrs["proj:code"] is JsonValue pc && pc.TryGetValue(out string? code))
            {
                Assert.Equal(expectedCode, _registry.FromCode(code).Code);
                seen++;
            }

            if (attrs["proj:projjson"] is JsonObject pj)
            {
                Assert.Equal(expectedCode, _registry.FromProjJson(pj).Code);
                seen++;
            }

            if (attrs["grid_mapping_name"] is not null)
            {
                var withoutWkt = attrs.DeepClone().AsObject();
                withoutWkt.Remove("crs_wkt");
                withoutWkt.Remove("spatial_ref");
                var fromParams = _registry.FromCfGridMapping(withoutWkt, expectedCode is null ? 1000 : 1);
                Assert.NotNull(fromParams);
                // CF parameters alone: the code is recognised for WGS84-based CRSs (a GRS80 datum needs its name).
                if (fromParams.Code is not null)
                {
                    Assert.Equal(expectedCode, fromParams.Code);
                }

                Assert.Equal(expectedCode, _registry.FromCfGridMapping(attrs)!.Code);
                seen++;
            }
        }

        Assert.True(seen > 0, "no CRS attribute found in " + store);
    }

    [Fact]
    public void Daymet_lcc_wkt_is_in_kilometres_and_custom()
    {
        var attrs = CrsTestPaths.LoadJson(TestPaths.RealData("lcc", "daymet_lcc.zarr", ".zmetadata"))["metadata"]!["lambert_conformal_conic/.zattrs"]!.AsObject();
        var crs = _registry.FromCfGridMapping(attrs)!;
        Assert.Null(crs.Code);
        Assert.False(crs.IsGeographic);
        Assert.Equal(1000, crs.MetersPerUnit);
        Assert.False(crs.AuthorityAxisOrderIsNorthEast);
    }

    [Fact]
    public void Landsat_points_match_pyproj_utm_25s()
    {
        var doc = CrsTestPaths.LoadJson(TestPaths.RealData("landsat", "ref", "points.json"));
        AssertPoints(doc["points"]!.AsArray(), _registry.FromCode("EPSG:31985"), "x_utm", "y_utm", 0.01);
    }

    [Fact]
    public void Lcc_points_match_pyproj_in_kilometres()
    {
        var doc = CrsTestPaths.LoadJson(TestPaths.RealData("lcc", "ref", "points.json"));
        var attrs = CrsTestPaths.LoadJson(TestPaths.RealData("lcc", "daymet_lcc.zarr", ".zmetadata"))["metadata"]!["lambert_conformal_conic/.zattrs"]!.AsObject();
        AssertPoints(doc["points"]!.AsArray(), _registry.FromCfGridMapping(attrs)!, "x", "y", 0.01 / 1000);
    }

    [Fact]
    public void Blue_marble_points_match_pyproj_web_mercator()
    {
        var doc = CrsTestPaths.LoadJson(TestPaths.RealData("blue-marble", "ref", "points.json"));
        AssertPoints(doc["points"]!.AsArray(), _registry.FromCode("EPSG:3857"), "x_3857", "y_3857", 0.01);
    }

    [Fact]
    public void Utm_fixture_samples_match_expected_utm_33n()
    {
        var doc = CrsTestPaths.LoadJson(TestPaths.GeoZarr("utm-native-pyramid", "expected.json"));
        AssertPoints(doc["samples"]!.AsArray(), _registry.FromCode("EPSG:32633"), "x_32633", "y_32633", 0.01);
    }

    private void AssertPoints(JsonArray points, CrsInfo target, string xKey, string yKey, double tolerance)
    {
        var wgs84 = _registry.FromCode("EPSG:4326");
        var forward = _registry.CreateTransform(wgs84, target);
        var inverse = _registry.CreateTransform(target, wgs84);
        int checkedPoints = 0;
        foreach (var p in points)
        {
            if (p![xKey] is null)
            {
                continue;
            }

            double lon = (double)p["lon"]!, lat = (double)p["lat"]!;
            double ex = (double)p[xKey]!, ey = (double)p[yKey]!;
            Span<double> x = [lon];
            Span<double> y = [lat];
            forward.Transform(x, y);
            Assert.True(Math.Abs(x[0] - ex) <= tolerance && Math.Abs(y[0] - ey) <= tolerance, $"({lon}, {lat}) -> ({x[0]}, {y[0]}), expected ({ex}, {ey})");

            x[0] = ex;
            y[0] = ey;
            inverse.Transform(x, y);
            Assert.True(Math.Abs(x[0] - lon) <= 1e-8 && Math.Abs(y[0] - lat) <= 1e-8, $"({ex}, {ey}) -> ({x[0]}, {y[0]}), expected ({lon}, {lat})");
            checkedPoints++;
        }

        Assert.True(checkedPoints > 0);
    }
}
