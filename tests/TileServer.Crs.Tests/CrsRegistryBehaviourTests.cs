using System.Text.Json.Nodes;
using TileServer.Crs;
using Xunit;

namespace TileServer.Crs.Tests;

public sealed class CrsRegistryBehaviourTests
{
    private const double WebMercatorHalfWorld = 20037508.342789244; // OGC TMS WebMercatorQuad bound

    private readonly CrsRegistry _registry = new();

    [Theory]
    [InlineData("EPSG:4326", "EPSG:4326", true, true)]
    [InlineData("epsg:4326", "EPSG:4326", true, true)]
    [InlineData("4326", "EPSG:4326", true, true)]
    [InlineData("OGC:CRS84", "OGC:CRS84", true, false)]
    [InlineData("CRS:84", "OGC:CRS84", true, false)]
    [InlineData("EPSG:4269", "EPSG:4269", true, true)]
    [InlineData("EPSG:4258", "EPSG:4258", true, true)]
    [InlineData("EPSG:4674", "EPSG:4674", true, true)]
    [InlineData("EPSG:3857", "EPSG:3857", false, false)]
    [InlineData("EPSG:900913", "EPSG:3857", false, false)]
    [InlineData("EPSG:3395", "EPSG:3395", false, false)]
    [InlineData("EPSG:3035", "EPSG:3035", false, true)]
    [InlineData("EPSG:3031", "EPSG:3031", false, false)]
    [InlineData("EPSG:3413", "EPSG:3413", false, false)]
    [InlineData("EPSG:2154", "EPSG:2154", false, false)]
    [InlineData("EPSG:27700", "EPSG:27700", false, false)]
    [InlineData("EPSG:5070", "EPSG:5070", false, false)]
    [InlineData("EPSG:31985", "EPSG:31985", false, false)]
    [InlineData("EPSG:32601", "EPSG:32601", false, false)]
    [InlineData("EPSG:32660", "EPSG:32660", false, false)]
    [InlineData("EPSG:32701", "EPSG:32701", false, false)]
    [InlineData("EPSG:32760", "EPSG:32760", false, false)]
    public void Codes_resolve_with_their_properties(string input, string code, bool geographic, bool northEast)
    {
        var crs = _registry.FromCode(input);
        Assert.Equal(code, crs.Code);
        Assert.Equal(geographic, crs.IsGeographic);
        Assert.Equal(northEast, crs.AuthorityAxisOrderIsNorthEast);
        // Geographic: metres per degree on the equator of the semi-major axis (6378137 m · π/180).
        Assert.Equal(geographic ? 111319.49079327357 : 1.0, crs.MetersPerUnit, 6);

        // The WKT1 it publishes reads back as the same CRS, and ProjNet (another WKT1 reader) accepts it.
        Assert.Equal(code, _registry.FromWkt(crs.Wkt).Code);
        Assert.NotNull(new ProjNet.CoordinateSystems.CoordinateSystemFactory().CreateFromWkt(crs.Wkt));
    }

    [Theory]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/3857", "EPSG:3857")]
    [InlineData("https://www.opengis.net/def/crs/EPSG/0/32633", "EPSG:32633")]
    [InlineData("http://www.opengis.net/def/crs/OGC/1.3/CRS84", "OGC:CRS84")]
    [InlineData("urn:ogc:def:crs:EPSG::4326", "EPSG:4326")]
    [InlineData("urn:ogc:def:crs:EPSG:6.18.3:3857", "EPSG:3857")]
    [InlineData("urn:ogc:def:crs:OGC:1.3:CRS84", "OGC:CRS84")]
    public void Uris_and_urns_resolve(string uri, string code)
    {
        var crs = _registry.FromUri(uri);
        Assert.Equal(code, crs.Code);
        Assert.Equal(code, _registry.FromAny(uri).Code);
        Assert.Equal(code, _registry.FromUri(crs.Uri!).Code);
    }

    [Fact]
    public void FromAny_accepts_code_wkt_and_projjson()
    {
        var c = CrsTestPaths.ReferenceCase("EPSG:32633");
        Assert.Equal("EPSG:32633", _registry.FromAny(" EPSG:32633 ").Code);
        Assert.Equal("EPSG:32633", _registry.FromAny((string)c["wkt1"]!).Code);
        Assert.Equal("EPSG:32633", _registry.FromAny((string)c["wkt2"]!).Code);
        Assert.Equal("EPSG:32633", _registry.FromAny(c["projjson"]!.ToJsonString()).Code);
    }

    [Theory]
    [InlineData("EPSG:999999")]
    [InlineData("EPSG:2056")]
    [InlineData("FOO:1")]
    [InlineData("http://www.opengis.net/def/crs/EPSG/0/")]
    [InlineData("PROJCS[\"x\",GEOGCS[")]
    [InlineData("LOCAL_CS[\"x\"]")]
    [InlineData("{\"type\": \"ProjectedCRS\"")]
    public void Unknown_or_broken_crs_is_a_CrsException(string text)
    {
        Assert.Throws<CrsException>(() => _registry.FromAny(text));
    }

    [Fact]
    public void Hostile_wkt_and_projjson_fail_with_CrsException()
    {
        string deep = string.Concat(Enumerable.Repeat("A[", 200)) + string.Concat(Enumerable.Repeat("]", 200));
        Assert.Throws<CrsException>(() => _registry.FromWkt(deep));
        Assert.Throws<CrsException>(() => _registry.FromWkt("GEOGCS[\"x\",DATUM[\"d\",SPHEROID[\"s\",1e400,298]],UNIT[\"degree\",0.0174532925199433]]"));
        Assert.Throws<CrsException>(() => _registry.FromWkt("GEOGCS[\"x\",DATUM[\"d\",SPHEROID[\"s\",6378137,298]],UNIT[\"degree\",-1]]"));
        Assert.Throws<CrsException>(() => _registry.FromWkt("GEOGCS[\"unterminated"));
        Assert.Throws<CrsException>(() => _registry.FromProjJson(new JsonObject { ["type"] = "ProjectedCRS" }));
        Assert.Throws<CrsException>(() => _registry.FromProjJson(new JsonArray()));
        Assert.Throws<CrsException>(() => _registry.FromProjJson(new JsonObject { ["type"] = "VerticalCRS", ["id"] = new JsonObject { ["authority"] = "EPSG", ["code"] = 1e20 } }));
    }

    [Fact]
    public void Cf_epsg_code_outside_the_table_falls_back_to_the_parameters()
    {
        var attrs = CrsTestPaths.ReferenceCase("EPSG:3413")["cf"]!.DeepClone().AsObject();
        attrs["epsg_code"] = "EPSG:999999";
        Assert.Equal("EPSG:3413", _registry.FromCfGridMapping(attrs)!.Code);
        Assert.Throws<CrsException>(() => _registry.FromCfGridMapping(new JsonObject { ["epsg_code"] = "EPSG:999999" }));
        Assert.Contains("EPSG:32760", _registry.KnownCodes);
    }

    [Fact]
    public void Unsupported_projection_methods_fail_clearly()
    {
        const string equirect = "PROJCS[\"eq\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Equirectangular\"],PARAMETER[\"standard_parallel_1\",0],UNIT[\"metre\",1]]";
        var e = Assert.Throws<CrsException>(() => _registry.FromWkt(equirect));
        Assert.Contains("Equirectangular", e.Message, StringComparison.Ordinal);

        var cf = new JsonObject { ["grid_mapping_name"] = "rotated_latitude_longitude", ["grid_north_pole_latitude"] = 39.25 };
        Assert.Throws<CrsException>(() => _registry.FromCfGridMapping(cf));

        // WKT2/PROJJSON of a method only ProjNet knows (and not in the code table) cannot be converted.
        var rd = CrsTestPaths.LoadReferenceProjNetCase(0);
        string wkt2 = ((string)rd["wkt2"]!).Replace("ID[\"EPSG\",28992]", "", StringComparison.Ordinal);
        Assert.Throws<CrsException>(() => _registry.FromWkt(wkt2));
    }

    [Fact]
    public void Cf_grid_mapping_without_any_crs_is_null_and_epsg_code_is_used()
    {
        Assert.Null(_registry.FromCfGridMapping(new JsonObject { ["long_name"] = "nothing" }));
        Assert.Equal("EPSG:3413", _registry.FromCfGridMapping(new JsonObject { ["epsg_code"] = "EPSG:3413" })!.Code);
        Assert.Equal("EPSG:3413", _registry.FromCfGridMapping(new JsonObject { ["epsg_code"] = 3413 })!.Code);
        var ll = _registry.FromCfGridMapping(new JsonObject { ["grid_mapping_name"] = "latitude_longitude" })!;
        Assert.Equal("EPSG:4326", ll.Code);
        Assert.True(ll.IsGeographic);
    }

    [Fact]
    public void Wkt_with_a_known_authority_but_other_parameters_is_not_given_the_code()
    {
        string wkt = (string)CrsTestPaths.ReferenceCase("EPSG:32633")["wkt1"]!;
        var changed = _registry.FromWkt(wkt.Replace("PARAMETER[\"central_meridian\",15]", "PARAMETER[\"central_meridian\",16]", StringComparison.Ordinal));
        Assert.Null(changed.Code);
        Assert.Equal("EPSG:32633", _registry.FromWkt(wkt).Code);
    }

    // ESRI's WKT1 dialect as pyproj 3.4 writes it (no AUTHORITY): WGS84-based definitions are identified by parameters.
    [Theory]
    [InlineData("PROJCS[\"WGS_1984_Web_Mercator_Auxiliary_Sphere\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Mercator_Auxiliary_Sphere\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",0.0],PARAMETER[\"Standard_Parallel_1\",0.0],PARAMETER[\"Auxiliary_Sphere_Type\",0.0],UNIT[\"Meter\",1.0]]", "EPSG:3857")]
    [InlineData("PROJCS[\"WGS_1984_UTM_Zone_33N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",15.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]", "EPSG:32633")]
    [InlineData("PROJCS[\"WGS_1984_NSIDC_Sea_Ice_Polar_Stereographic_North\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Stereographic_North_Pole\"],PARAMETER[\"False_Easting\",0.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",-45.0],PARAMETER[\"Standard_Parallel_1\",70.0],UNIT[\"Meter\",1.0]]", "EPSG:3413")]
    [InlineData("PROJCS[\"RGF_1993_Lambert_93\",GEOGCS[\"GCS_RGF_1993\",DATUM[\"D_RGF_1993\",SPHEROID[\"GRS_1980\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Lambert_Conformal_Conic\"],PARAMETER[\"False_Easting\",700000.0],PARAMETER[\"False_Northing\",6600000.0],PARAMETER[\"Central_Meridian\",3.0],PARAMETER[\"Standard_Parallel_1\",49.0],PARAMETER[\"Standard_Parallel_2\",44.0],PARAMETER[\"Latitude_Of_Origin\",46.5],UNIT[\"Meter\",1.0]]", null)]
    public void Esri_wkt_is_understood(string wkt, string? code)
    {
        var crs = _registry.FromWkt(wkt);
        Assert.Equal(code, crs.Code);

        // Same numbers as the pyproj reference of the corresponding EPSG code.
        string name = code ?? "EPSG:2154";
        var c = CrsTestPaths.ReferenceCase(name);
        var t = _registry.CreateTransform(_registry.FromCode("EPSG:4326"), crs);
        foreach (var p in c["points_lon_lat_x_y"]!.AsArray())
        {
            double[] x = [(double)p![0]!];
            double[] y = [(double)p[1]!];
            t.Transform(x, y);
            Assert.True(Math.Abs(x[0] - (double)p[2]!) <= 0.01 && Math.Abs(y[0] - (double)p[3]!) <= 0.01, $"{p.ToJsonString()} got ({x[0]}, {y[0]})");
        }
    }

    [Fact]
    public void Epsg_3857_labelled_as_plain_mercator_is_still_pseudo_mercator()
    {
        const string wkt = "PROJCS[\"WGS 84 / Pseudo-Mercator\",GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],PRIMEM[\"Greenwich\",0],UNIT[\"degree\",0.0174532925199433]],PROJECTION[\"Mercator_1SP\"],PARAMETER[\"central_meridian\",0],PARAMETER[\"scale_factor\",1],PARAMETER[\"false_easting\",0],PARAMETER[\"false_northing\",0],UNIT[\"metre\",1],AUTHORITY[\"EPSG\",\"3857\"]]";
        Assert.Equal("EPSG:3857", _registry.FromWkt(wkt).Code);
    }

    [Fact]
    public void Wgs84_equivalent_geographic_crss_transform_as_identity()
    {
        string[] codes = ["EPSG:4326", "OGC:CRS84", "EPSG:4269", "EPSG:4258", "EPSG:4674"];
        foreach (string a in codes)
        {
            foreach (string b in codes)
            {
                var t = _registry.CreateTransform(_registry.FromCode(a), _registry.FromCode(b));
                Assert.True(t.IsIdentity, $"{a} -> {b}");
                double[] x = [12.5, -179.9];
                double[] y = [41.9, -89.9];
                t.Transform(x, y);
                Assert.Equal([12.5, -179.9], x);
                Assert.Equal([41.9, -89.9], y);
            }
        }
    }

    [Fact]
    public void Web_mercator_uses_the_spherical_formulas_and_clamps_beyond_the_square()
    {
        var t = _registry.CreateTransform(_registry.FromCode("EPSG:4326"), _registry.FromCode("EPSG:3857"));
        Assert.False(t.IsIdentity);
        double[] x = [180, -180, 0, 0, 0, 0, double.NaN];
        double[] y = [0, 0, 85.05112877980659, 90, -90, 90.5, 0];
        t.Transform(x, y);
        Assert.Equal(WebMercatorHalfWorld, x[0], 6);
        Assert.Equal(-WebMercatorHalfWorld, x[1], 6);
        Assert.Equal(WebMercatorHalfWorld, y[2], 3);
        Assert.Equal(WebMercatorHalfWorld, y[3], 3);
        Assert.Equal(-WebMercatorHalfWorld, y[4], 3);
        Assert.True(double.IsNaN(x[5]) && double.IsNaN(y[5]));
        Assert.True(double.IsNaN(x[6]) && double.IsNaN(y[6]));

        var back = _registry.CreateTransform(_registry.FromCode("EPSG:3857"), _registry.FromCode("OGC:CRS84"));
        double[] bx = [WebMercatorHalfWorld, 0];
        double[] by = [WebMercatorHalfWorld, 0];
        back.Transform(bx, by);
        Assert.Equal(180, bx[0], 9);
        Assert.Equal(85.05112877980659, by[0], 9);
        Assert.Equal(0, bx[1]);
        Assert.Equal(0, by[1]);
    }

    [Fact]
    public void Points_that_cannot_be_projected_become_NaN_without_throwing()
    {
        var wgs84 = _registry.FromCode("EPSG:4326");
        // North polar stereographic: the south pole is at infinity. UTM: 120° from the central meridian.
        var polar = _registry.CreateTransform(wgs84, _registry.FromCode("EPSG:3413"));
        double[] x = [0, -45, double.PositiveInfinity];
        double[] y = [-90, 70, 10];
        polar.Transform(x, y);
        Assert.True(double.IsNaN(x[0]) && double.IsNaN(y[0]));
        Assert.Equal(0, x[1], 6);
        Assert.True(double.IsNaN(x[2]) && double.IsNaN(y[2]));

        var utm = _registry.CreateTransform(wgs84, _registry.FromCode("EPSG:32633"));
        double[] ux = [135, 15];
        double[] uy = [10, 0];
        utm.Transform(ux, uy);
        Assert.True(double.IsNaN(ux[0]) && double.IsNaN(uy[0]));
        Assert.Equal(500000, ux[1], 6);

        // ProjNet path (Albers): NaN input stays NaN, neighbours are still transformed.
        var albers = _registry.CreateTransform(wgs84, _registry.FromCode("EPSG:5070"));
        double[] ax = [double.NaN, -96];
        double[] ay = [40, 23];
        albers.Transform(ax, ay);
        Assert.True(double.IsNaN(ax[0]));
        Assert.Equal(0, ax[1], 6);
        Assert.Equal(0, ay[1], 6);
    }

    [Fact]
    public void Spans_of_different_length_are_rejected()
    {
        var t = _registry.CreateTransform(_registry.FromCode("EPSG:4326"), _registry.FromCode("EPSG:3857"));
        Assert.Throws<ArgumentException>(() => t.Transform(new double[2], new double[3]));
    }

    [Fact]
    public void Helmert_shift_from_wgs84_matches_pyproj_towgs84()
    {
        var h = CrsTestPaths.LoadReferenceHelmert();
        var target = _registry.FromWkt((string)h["target_wkt1"]!);
        var t = _registry.CreateTransform(_registry.FromCode("EPSG:4326"), target);
        foreach (var p in h["points_lon_lat_x_y"]!.AsArray())
        {
            double[] x = [(double)p![0]!];
            double[] y = [(double)p[1]!];
            t.Transform(x, y);
            Assert.True(Math.Abs(x[0] - (double)p[2]!) <= 0.01 && Math.Abs(y[0] - (double)p[3]!) <= 0.01, $"{p.ToJsonString()} got ({x[0]}, {y[0]})");
        }
    }

    [Fact]
    public void ProjNet_only_methods_work_from_wkt1()
    {
        var c = CrsTestPaths.LoadReferenceProjNetCase(0);
        var target = _registry.FromWkt((string)c["wkt1"]!);
        Assert.Equal("EPSG:28992", target.Code);
        var source = _registry.FromWkt((string)c["geodetic_wkt1"]!);
        var forward = _registry.CreateTransform(source, target);
        var inverse = _registry.CreateTransform(target, source);
        foreach (var p in c["points_lon_lat_x_y"]!.AsArray())
        {
            double[] x = [(double)p![0]!];
            double[] y = [(double)p[1]!];
            forward.Transform(x, y);
            Assert.True(Math.Abs(x[0] - (double)p[2]!) <= 0.01 && Math.Abs(y[0] - (double)p[3]!) <= 0.01, $"{p.ToJsonString()} got ({x[0]}, {y[0]})");
            inverse.Transform(x, y);
            Assert.True(Math.Abs(x[0] - (double)p[0]!) <= 1e-8 && Math.Abs(y[0] - (double)p[1]!) <= 1e-8, $"{p.ToJsonString()} back ({x[0]}, {y[0]})");
        }
    }

    [Fact]
    public void Crs_and_transforms_are_cached_and_safe_to_share_between_threads()
    {
        Assert.Same(_registry.FromCode("EPSG:32633"), _registry.FromCode("epsg:32633"));
        var from = _registry.FromCode("EPSG:4326");
        var to = _registry.FromCode("EPSG:32633");
        Assert.Same(_registry.CreateTransform(from, to), _registry.CreateTransform(from, to));

        // A hand-made CrsInfo (no registry definition) is resolved by its code.
        var manual = new CrsInfo("EPSG:32633", to.Wkt, false, 1, false);
        double[] mx = [15];
        double[] my = [45];
        _registry.CreateTransform(from, manual).Transform(mx, my);
        Assert.Equal(500000, mx[0], 6);

        const int n = 4096;
        var expectedX = new double[n];
        var expectedY = new double[n];
        for (int i = 0; i < n; i++)
        {
            expectedX[i] = 10 + (i % 64 * 0.1);
            expectedY[i] = 40 + (i / 64 * 0.1);
        }

        var t = _registry.CreateTransform(from, to);
        t.Transform(expectedX, expectedY);
        Parallel.For(0, 16, _ =>
        {
            var x = new double[n];
            var y = new double[n];
            for (int i = 0; i < n; i++)
            {
                x[i] = 10 + (i % 64 * 0.1);
                y[i] = 40 + (i / 64 * 0.1);
            }

            var local = new CrsRegistry();
            local.CreateTransform(local.FromCode("EPSG:4326"), local.FromCode("EPSG:32633")).Transform(x, y);
            t.Transform(x.AsSpan(0, 0), y.AsSpan(0, 0));
            Assert.Equal(expectedX, x);
            Assert.Equal(expectedY, y);
        });
    }
}
