using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Areas;

/// <summary>
/// /bbox, /feature and /statistics against the stored arrays, GDAL (rasterize, gdalwarp) and numpy; expressions on
/// every route; categorical data; and the 400s that keep a mistake from rendering something else.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AreaTests
{
    private readonly ServerFixture _server;

    public AreaTests(ServerFixture server)
    {
        _server = server;
    }

    private async Task<(HttpResponseMessage Response, int[] Shape, float[] Data)> NpyAsync(HttpResponseMessage response)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {Encoding.UTF8.GetString(bytes)}");
        var (shape, data) = Npy.ReadFloat32(bytes);
        return (response, shape, data);
    }

    private static StringContent GeoJson(JsonNode node) => new(node.ToJsonString(), Encoding.UTF8, "application/geo+json");

    [Fact]
    public async Task ABoxInTheNativeGridHoldsTheStoredValues()
    {
        var (response, shape, data) = await NpyAsync(await _server.Client.GetAsync("/datasets/global4326/bbox/-10.5,-5.2,10.3,5.7.npy"));
        Assert.Equal([1, 12, 22], shape);
        Assert.Equal([-11.0, -6, 11, 6], AreaReferences.Bounds(response));
        var (tasShape, tas) = AreaReferences.Float32("global4326_tas.npy");
        Assert.Equal(0, AreaReferences.Mismatches(data, AreaReferences.Window(tas, tasShape, 0, 84, 169, 12, 22), 0));
    }

    [Fact]
    public async Task ABoxAcrossTheAntimeridianContinuesTheGrid()
    {
        var (response, shape, data) = await NpyAsync(await _server.Client.GetAsync("/datasets/global4326/bbox/170,-10,190,10.npy?sel=time=2000-04-01"));
        Assert.Equal([1, 20, 20], shape);
        Assert.Equal([170.0, -10, 190, 10], AreaReferences.Bounds(response));
        var (tasShape, tas) = AreaReferences.Float32("global4326_tas.npy");
        Assert.Equal(0, AreaReferences.Mismatches(data, AreaReferences.Window(tas, tasShape, 3, 80, 350, 20, 20), 0));
    }

    [Fact]
    public async Task AResampledBoxMatchesGdalwarp()
    {
        var warp = AreaReferences.Json["bbox_warp"]!;
        string box = string.Join(",", warp["bbox"]!.AsArray().Select(v => ((double)v!).ToString("R", CultureInfo.InvariantCulture)));
        var (_, shape, data) = await NpyAsync(await _server.Client.GetAsync($"/datasets/global4326/bbox/{box}/64x48.npy?coord_crs=EPSG:3857&dst_crs=EPSG:3857"));
        Assert.Equal([1, 48, 64], shape);
        var (_, expected) = AreaReferences.Float32((string)warp["file"]!);
        // Nearest picks differ only where a pixel centre sits on a cell edge (documented tolerance: 1 %).
        int bad = AreaReferences.Mismatches(data, expected, 0);
        Assert.True(bad <= expected.Length / 100, $"{bad} of {expected.Length} pixels differ from gdalwarp");
    }

    public static TheoryData<string> Features() => ["p1", "p2"];

    [Theory]
    [MemberData(nameof(Features))]
    public async Task AFeatureImageMasksCellsWhoseCentresAreOutside(string name)
    {
        var feature = AreaReferences.Json["features"]!.AsArray().Single(f => (string?)f!["name"] == name)!;
        var (response, _, data) = await NpyAsync(await _server.Client.PostAsync("/datasets/global4326/feature.npy", GeoJson(feature["feature"]!)));
        Assert.Equal(feature["bounds"]!.AsArray().Select(v => (double)v!).ToArray(), AreaReferences.Bounds(response));
        var (_, expected) = AreaReferences.Float32((string)feature["file"]!);
        Assert.Equal(0, AreaReferences.Mismatches(data, expected, 0));
        Assert.Contains(expected, float.IsNaN);
    }

    [Fact]
    public async Task AnExpressionOverANativeBoxEqualsNumpy()
    {
        // Landsat level 0 (EPSG:31985, 28.5 m cells from x 288776.25, y 9120760.75): NDVI over a box given in that CRS.
        var (response, shape, data) = await NpyAsync(await _server.Client.GetAsync(
            "/datasets/landsat/bbox/290000,9110000,295000,9119000.npy?coord_crs=EPSG:31985&expression=" + Uri.EscapeDataString("(b4-b3)/(b4+b3)")));
        var bounds = AreaReferences.Bounds(response);
        int col0 = (int)Math.Round((bounds[0] - 288776.25000080315) / 28.49999999927454);
        int row0 = (int)Math.Round((9120760.750028737 - bounds[3]) / 28.49999999927454);
        Assert.Equal(1, shape[0]);
        Assert.True(bounds[0] <= 290000 && bounds[2] >= 295000 && bounds[2] - bounds[0] < 5000 + (2 * 28.5), string.Join(",", bounds));
        var (ndviShape, ndvi) = AreaReferences.Float32("landsat_ndvi_level0.npy");
        Assert.Equal(0, AreaReferences.Mismatches(data, AreaReferences.Window(ndvi, [1, .. ndviShape], 0, row0, col0, shape[1], shape[2]), 1e-6));
    }

    public static TheoryData<string> StatisticsCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in AreaReferences.Json["statistics"]!.AsArray())
        {
            data.Add((string)c!["name"]!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(StatisticsCases))]
    public async Task StatisticsEqualNumpy(string name)
    {
        var c = AreaReferences.Json["statistics"]!.AsArray().Single(x => (string?)x!["name"] == name)!;
        string dataset = (string?)c["dataset"] ?? "global4326";
        string query = (string)c["query"]!;
        var response = c["bbox"] is JsonArray bbox
            ? await _server.Client.GetAsync($"/datasets/{dataset}/statistics?bbox={string.Join(",", bbox.Select(v => (double)v!))}&{query}")
            : await _server.Client.PostAsync($"/datasets/{dataset}/statistics?{query}", GeoJson(c["feature"]!));
        Assert.Equal("application/geo+json", response.Content.Headers.ContentType?.MediaType);
        var collection = await HttpAssert.JsonAsync(response);
        var properties = collection["features"]![0]!["properties"]!;
        var read = properties["statistics_read"]!;
        Assert.Equal(0, (int)read["level"]!);
        Assert.Equal(1, (int)read["step"]!);
        var statistics = properties["statistics"]!.AsObject();
        Assert.True(statistics.ContainsKey((string)c["band"]!), "bands: " + string.Join(", ", statistics.Select(p => p.Key)));
        var actual = statistics[(string)c["band"]!]!;
        foreach (var (key, value) in c["expected"]!.AsObject())
        {
            if (key == "histogram")
            {
                Assert.Equal(value![0]!.AsArray().Select(v => (double)v!), actual["histogram"]![0]!.AsArray().Select(v => (double)v!));
                var edges = value[1]!.AsArray().Select(v => (double)v!).ToArray();
                var got = actual["histogram"]![1]!.AsArray().Select(v => (double)v!).ToArray();
                Assert.Equal(edges.Length, got.Length);
                Assert.All(edges.Zip(got), p => Assert.Equal(p.First, p.Second, 1e-9 * Math.Max(1, Math.Abs(p.First))));
                continue;
            }

            double e = (double)value!, a = (double)actual[key]!;
            Assert.True(Math.Abs(a - e) <= 1e-7 * Math.Max(1, Math.Abs(e)), $"{name}: {key} = {a}, numpy {e}");
        }
    }

    [Fact]
    public async Task ATimeSeriesHasOneEntryPerSelectedTime()
    {
        var c = AreaReferences.Json["statistics"]!.AsArray().Single(x => (string?)x!["name"] == "p1_t3")!;
        var centre = AreaReferences.Json["statistics"]!.AsArray().Single(x => (string?)x!["name"] == "p1_centre")!;
        var collection = await HttpAssert.JsonAsync(await _server.Client.PostAsync("/datasets/global4326/statistics?" + (string)c["query"]!, GeoJson(c["feature"]!)));
        var statistics = collection["features"]![0]!["properties"]!["statistics"]!.AsObject();
        Assert.Equal(["tas[time=2000-01-01]", "tas[time=2000-04-01]"], statistics.Select(p => p.Key));
        Assert.Equal((double)centre["expected"]!["mean"]!, (double)statistics["tas[time=2000-01-01]"]!["mean"]!, 1e-9);
    }

    [Fact]
    public async Task AnExpressionTileEqualsTheExpressionOverGdalsTile()
    {
        var (_, _, data) = await NpyAsync(await _server.Client.GetAsync("/tiles/global4326/1/0/0.npy?expression=" + Uri.EscapeDataString("tas*2-10")));
        var (_, reference) = Npy.ReadFloat32(Paths.GeoZarr("global-4326", "ref", "1_0_0_near.npy"));
        var expected = reference.Select(v => (v * 2f) - 10f).ToArray();
        int bad = AreaReferences.Mismatches(data, expected, 1e-6);
        Assert.True(bad <= expected.Length / 100, $"{bad} pixels differ");
    }

    [Fact]
    public async Task APointAnswersTheExpression()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/global4326/point?lon=0.5&lat=0.5&expression=" + Uri.EscapeDataString("tas*2-10;tas")));
        var (shape, tas) = AreaReferences.Float32("global4326_tas.npy");
        float stored = tas[(89 * shape[2]) + 180];
        var values = json["values"]!.AsArray();
        Assert.Equal(["tas*2-10", "tas"], values.Select(v => (string)v!["variable"]!));
        Assert.Equal((stored * 2f) - 10f, (float)(double)values[0]!["value"]!);
        Assert.Equal(stored, (float)(double)values[1]!["value"]!);
    }

    [Fact]
    public async Task TileJsonCarriesTheExpressionIntoItsTemplate()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tiles/landsat/tilejson.json?expression=" + Uri.EscapeDataString("(b4 - b3) / (b4 + b3)")));
        string template = (string)json["tiles"]![0]!;
        Assert.Contains("expression=" + Uri.EscapeDataString("(b4-b3)/(b4+b3)"), template, StringComparison.Ordinal);
        Assert.EndsWith("legend.png?" + template[(template.IndexOf('?') + 1)..], (string)json["legend"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CategoricalDataShowItsClassesWithTheirColours()
    {
        var legend = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/landcover/legend.json"));
        Assert.Equal("categorical", (string?)legend["colormap_name"]);
        var classes = legend["classes"]!.AsArray();
        Assert.Equal(["water", "forest", "cropland", "urban"], classes.Select(c => (string)c!["label"]!));
        Assert.Equal(["#1f78b4", "#33a02c", "#ffff99", "#e31a1c"], classes.Select(c => (string)c!["color"]!));
        Assert.Equal([1.0, 2, 3, 4], classes.Select(c => (double)c!["min"]!));
        var png = await _server.Client.GetAsync("/datasets/landcover/bbox/0,43.6,6.4,50.png");
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/tiles/global4326/0/0/0.png?expresion=tas", "expresion", "expression")]
    [InlineData("/tiles/global4326/tilejson.json?colormapname=viridis", "colormapname", "colormap_name")]
    [InlineData("/datasets/global4326/bbox/0,0,10,10.png?dstcrs=EPSG:3857", "dstcrs", "dst_crs")]
    [InlineData("/datasets/global4326/statistics?bbox=0,0,10,10&histogram_bin=5", "histogram_bin", "histogram_bins")]
    [InlineData("/datasets/global4326/point?lon=0&lat=0&variabel=tas", "variabel", "variable")]
    [InlineData("/datasets/global4326/preview.png?maxsize=10", "maxsize", "max_size")]
    [InlineData("/collections/global4326/map/tiles/WebMercatorQuad/0/0/0?datetme=2000-01-01", "datetme", "datetime")]
    public async Task UnknownParametersAre400NamingThem(string url, string unknown, string suggestion)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal(unknown, (string?)problem["parameter"]);
        Assert.Contains($"'{suggestion}'", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WmtsTakesExpressionsAndRefusesUnknownParametersAsExceptionReports()
    {
        const string kvp = "/wmts?service=WMTS&request=GetTile&version=1.0.0&layer=sst.sst&style=&format=image/png&tilematrixset=WebMercatorQuad&tilematrix=1&tilerow=0&tilecol=1";
        var ok = await _server.Client.GetAsync(kvp + "&Time=1981-12-31T00:00:00Z&expression=" + Uri.EscapeDataString("sst-anom"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("image/png", ok.Content.Headers.ContentType?.MediaType);
        var bad = await _server.Client.GetAsync(kvp + "&rescal=0,1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        string report = await bad.Content.ReadAsStringAsync();
        Assert.Contains("ExceptionReport", report, StringComparison.Ordinal);
        Assert.Contains("locator=\"rescal\"", report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/tiles/global4326/0/0/0.png?expression=tas*(2", "position 7")]
    [InlineData("/tiles/global4326/0/0/0.png?expression=tos*2", "unknown name 'tos'")]
    [InlineData("/datasets/landsat/bbox/-34.9,-8.0,-34.85,-7.96.png?expression=b9", "'b9'")]
    [InlineData("/datasets/global4326/point?lon=0&lat=0&expression=sqrt(tas", "position 9")]
    [InlineData("/datasets/global4326/statistics?bbox=0,0,10,10&expression=tas%3B%3B", "position 5")]
    public async Task BadExpressionsAre400NamingWhereTheyWentWrong(string url, string fragment)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal("expression", (string?)problem["parameter"]);
        Assert.Contains(fragment, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("{\"type\":\"Point\",\"coordinates\":[0,0]}", "Point")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10]]]}", "invalid Polygon")]
    [InlineData("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,10],[10,0],[0,10],[0,0]]]}", "not a valid polygon")]
    [InlineData("{\"type\":\"FeatureCollection\",\"features\":[]}", "no features")]
    [InlineData("{\"type\":\"Feature\",\"properties\":{},\"geometry\":null}", "no geometry")]
    [InlineData("{\"type\":\"Feature\",\"properties\":{},\"properties\":{},\"geometry\":null}", "not JSON")]
    [InlineData("{\"type\":\"Feature\",\"properties\":{\"name\":\"\\ud800\"},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,0]]]}}", "not valid UTF-8")]
    public async Task HostileGeoJsonIs400SayingWhy(string body, string fragment)
    {
        foreach (string route in new[] { "/datasets/global4326/statistics", "/datasets/global4326/feature.png" })
        {
            var problem = await HttpAssert.ProblemAsync(await _server.Client.PostAsync(route, new StringContent(body, Encoding.UTF8, "application/geo+json")), HttpStatusCode.BadRequest);
            Assert.Contains(fragment, (string)problem["detail"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AnOversizedBodyIsRefusedNamingTheLimit()
    {
        // 4 MiB is the default limit; this body is about 6 MB.
        var coordinates = string.Join(",", Enumerable.Range(0, 500_000).Select(i => $"[{i % 90}.{i % 7},{i % 45}.5]"));
        var problem = await HttpAssert.ProblemAsync(await _server.Client.PostAsync("/datasets/global4326/statistics",
            new StringContent("{\"type\":\"Polygon\",\"coordinates\":[[" + coordinates + "]]}", Encoding.UTF8, "application/geo+json")), HttpStatusCode.BadRequest);
        Assert.Contains("MaxBodyBytes", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooManyVerticesAreRefusedNamingTheLimit()
    {
        // 200,000 vertices is the default limit; this ring has 200,002 in about 1.5 MB.
        var coordinates = string.Join(",", Enumerable.Range(0, 200_001).Select(i => $"[{i % 90},{i % 45}]")) + ",[0,0]";
        var problem = await HttpAssert.ProblemAsync(await _server.Client.PostAsync("/datasets/global4326/statistics",
            new StringContent("{\"type\":\"Polygon\",\"coordinates\":[[" + coordinates + "]]}", Encoding.UTF8, "application/geo+json")), HttpStatusCode.BadRequest);
        Assert.Contains("MaxVertices", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAreaOutsideTheDataIs404()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/landsat/bbox/10,10,11,11.npy"), HttpStatusCode.NotFound);
        Assert.Contains("does not overlap", (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARepeatedSelectionOnAnImageIs400()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/tiles/global4326/0/0/0.png?sel=time=2000-01-01&sel=time=2000-04-01"), HttpStatusCode.BadRequest);
        Assert.Equal("sel", (string?)problem["parameter"]);
    }
}
