using System.Net;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class BasicEndpointTests
{
    private readonly ServerFixture _server;

    public BasicEndpointTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Healthz_answers_ok()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/healthz"));
        Assert.Equal("ok", (string?)json["status"]);
    }

    [Fact]
    public async Task Readyz_reports_the_broken_dataset_but_stays_ready()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/readyz"));
        Assert.Equal("degraded", (string?)json["status"]);
        var unavailable = json["unavailable"]!.AsArray();
        Assert.Contains(unavailable, u => (string?)u!["id"] == "broken");
        Assert.DoesNotContain(unavailable, u => (string?)u!["id"] == "demo");
    }

    [Fact]
    public async Task Datasets_lists_demo_datasets_with_variables_and_bounds()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets"));
        var list = json["datasets"]!.AsArray().Select(d => d!.AsObject()).ToList();
        var demo = list.Single(d => (string?)d["id"] == "demo");
        Assert.Equal("ok", (string?)demo["status"]);
        Assert.Equal(["rgb"], demo["variables"]!.AsArray().Select(v => (string)v!).ToArray());
        Assert.Contains(list, d => (string?)d["id"] == "sst");
        Assert.Contains(list, d => (string?)d["id"] == "landsat");
        var broken = list.Single(d => (string?)d["id"] == "broken");
        Assert.Equal("unavailable", (string?)broken["status"]);
    }

    [Fact]
    public async Task Dataset_description_of_the_pyramid_has_levels_crs_and_bounds()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/demo"));
        Assert.Equal("EPSG:3857", (string?)json["crs"]!["code"]);
        var levels = json["multiscale"]!["levels"]!.AsArray();
        Assert.Equal(4, levels.Count);
        Assert.Equal("geozarr-tms", (string?)json["multiscale"]!["layout"]);
        // Finest first: level 3 is 2048 px at 156543.03392804097 / 8 m.
        Assert.Equal(2048, (int)levels[0]!["width"]!);
        Assert.Equal(156543.03392804097 / 8, (double)levels[0]!["resolution"]![0]!, 6);
        var bounds = json["bounds"]!.AsArray().Select(b => (double)b!).ToArray();
        Assert.Equal(-180, bounds[0], 6);
        Assert.Equal(-85.0511287798066, bounds[1], 6);
        Assert.Equal(180, bounds[2], 6);
        Assert.Equal(85.0511287798066, bounds[3], 6);
        Assert.Equal(3, (int)json["maxzoom"]!);
    }

    [Fact]
    public async Task Dataset_description_decodes_cf_time_and_packing()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/sst"));
        var sst = json["variables"]!.AsArray().Single(v => (string?)v!["name"] == "sst")!;
        Assert.Equal(0.01, (double)sst["scale_factor"]!, 6);
        Assert.Contains(-999.0, sst["nodata"]!.AsArray().Select(n => (double)n!));
        var time = sst["dims"]!.AsArray().Single(d => (string?)d!["name"] == "time")!;
        Assert.Equal("1981-12-31T00:00:00Z", (string?)time["values"]![0]);
        Assert.Equal("degree_C", (string?)sst["units"]);
        var bounds = json["bounds"]!.AsArray().Select(b => (double)b!).ToArray();
        Assert.Equal([-180.0, -90.0, 180.0, 90.0], bounds);
    }

    [Fact]
    public async Task Wind_dataset_lists_ten_hourly_times_from_gregorian_hours()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/wind"));
        var u = json["variables"]!.AsArray().Single(v => (string?)v!["name"] == "u")!;
        var time = u["dims"]!.AsArray().Single(d => (string?)d!["name"] == "time")!["values"]!.AsArray();
        Assert.Equal(10, time.Count);
        Assert.Equal("2017-08-20T01:00:00Z", (string?)time[0]);
        Assert.Equal("2017-08-20T10:00:00Z", (string?)time[9]);
    }

    [Fact]
    public async Task TileMatrixSets_lists_the_registry_and_serves_webmercatorquad()
    {
        var list = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tileMatrixSets"));
        var ids = list["tileMatrixSets"]!.AsArray().Select(t => (string?)t!["id"]).ToList();
        foreach (var id in new[] { "WebMercatorQuad", "WorldCRS84Quad", "WorldMercatorWGS84Quad", "UTM31WGS84Quad", "UPSArcticWGS84Quad", "UPSAntarcticWGS84Quad", "EuropeanETRS89_LAEAQuad", "CanadianNAD83_LCC", "CDB1GlobalGrid", "GNOSISGlobalGrid" })
        {
            Assert.Contains(id, ids);
        }

        var wmq = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tileMatrixSets/WebMercatorQuad"));
        Assert.Equal("WebMercatorQuad", (string?)wmq["id"]);
        Assert.Equal(559082264.0287178, (double)wmq["tileMatrices"]![0]!["scaleDenominator"]!, 3);
    }

    [Fact]
    public async Task A_configured_custom_tile_matrix_set_is_served_and_tiles_use_it()
    {
        var tms = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tileMatrixSets/CustomCRS84Quad"));
        Assert.Equal(6, tms["tileMatrices"]!.AsArray().Count);
        var tile = await _server.Client.GetAsync("/tiles/sst/CustomCRS84Quad/1/1/0.png");
        Assert.Equal(HttpStatusCode.OK, tile.StatusCode);
        var outside = await _server.Client.GetAsync("/tiles/sst/CustomCRS84Quad/6/0/0.png");
        Assert.Equal(HttpStatusCode.NotFound, outside.StatusCode);
    }

    [Fact]
    public async Task A_tile_matrix_set_declared_inline_by_a_dataset_is_served_and_tiles_equal_the_named_one()
    {
        var description = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/inline-tms"));
        Assert.Equal("InlineMercatorQuad", (string?)description["multiscale"]!["tile_matrix_set"]);
        var tms = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tileMatrixSets/InlineMercatorQuad"));
        Assert.Equal(4, tms["tileMatrices"]!.AsArray().Count);
        var inline = await _server.Client.GetByteArrayAsync("/tiles/inline-tms/InlineMercatorQuad/2/1/1.npy");
        var named = await _server.Client.GetByteArrayAsync("/tiles/wmpyramid/2/1/1.npy");
        Assert.Equal(named, inline);
    }

    [Fact]
    public async Task OpenApi_document_and_docs_page_are_served()
    {
        var doc = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/openapi/v1.json"));
        var paths = doc["paths"]!.AsObject();
        Assert.True(paths.ContainsKey("/tiles/{dataset}/{z}/{x}/{y}"));
        Assert.True(paths.ContainsKey("/datasets/{dataset}"));
        var docs = await _server.Client.GetAsync("/docs/index.html");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Contains("swagger", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
