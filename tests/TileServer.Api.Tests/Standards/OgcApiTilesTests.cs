using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>OGC API - Common landing page / conformance and OGC API - Tiles map tilesets.</summary>
[Collection(ServerCollection.Name)]
public sealed class OgcApiTilesTests
{
    private const string Rel = "http://www.opengis.net/def/rel/ogc/1.0/";
    private readonly ServerFixture _server;

    public OgcApiTilesTests(ServerFixture server)
    {
        _server = server;
    }

    private static JsonObject LinkWith(JsonObject doc, string rel, string? type = null)
        => doc["links"]!.AsArray().Select(l => l!.AsObject()).First(l => (string?)l["rel"] == rel && (type is null || (string?)l["type"] == type));

    private async Task<HttpResponseMessage> GetAsync(string url, string? accept = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (accept is not null)
        {
            request.Headers.Accept.ParseAdd(accept);
        }

        return await _server.Client.SendAsync(request);
    }

    [Fact]
    public async Task Landing_page_is_json_by_default_and_html_for_browsers()
    {
        var response = await GetAsync("/");
        Assert.Contains("Accept", response.Headers.Vary);
        var json = await HttpAssert.JsonAsync(response);
        Assert.EndsWith("/conformance", (string)LinkWith(json, "conformance")["href"]!, StringComparison.Ordinal);
        Assert.EndsWith("/collections", (string)LinkWith(json, Rel + "data")["href"]!, StringComparison.Ordinal);
        Assert.EndsWith("/openapi/v1.json", (string)LinkWith(json, "service-desc")["href"]!, StringComparison.Ordinal);
        Assert.EndsWith("/docs", (string)LinkWith(json, "service-doc")["href"]!, StringComparison.Ordinal);
        Assert.EndsWith("/tileMatrixSets", (string)LinkWith(json, Rel + "tiling-schemes")["href"]!, StringComparison.Ordinal);

        foreach (var (url, accept) in new[] { ("/", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"), ("/?f=html", "application/json") })
        {
            var html = await GetAsync(url, accept);
            Assert.Equal("text/html", html.Content.Headers.ContentType?.MediaType);
            string body = await html.Content.ReadAsStringAsync();
            foreach (var href in new[] { "/docs", "/datasets", "/datasets/demo/viewer", "/tiles/demo/tilejson.json", "/wmts/1.0.0/WMTSCapabilities.xml", "/collections/sst" })
            {
                Assert.Contains($"href=\"{_server.BaseUrl}{href}\"", body, StringComparison.Ordinal);
            }
        }

        var json2 = await GetAsync("/", "application/json, text/html;q=0.5");
        Assert.Equal("application/json", json2.Content.Headers.ContentType?.MediaType);
        await HttpAssert.ProblemAsync(await GetAsync("/?f=xml"), HttpStatusCode.NotAcceptable);
        await HttpAssert.ProblemAsync(await GetAsync("/", "image/png"), HttpStatusCode.NotAcceptable);
    }

    [Fact]
    public async Task Conformance_declares_tiles_core_and_tileset_classes()
    {
        var json = await HttpAssert.JsonAsync(await GetAsync("/conformance"));
        var classes = json["conformsTo"]!.AsArray().Select(c => (string)c!).ToList();
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/core", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/tileset", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-tiles-1/1.0/conf/geodata-tilesets", classes);
        Assert.Contains("http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page", classes);
    }

    [Fact]
    public async Task Collections_list_open_datasets_with_extent_and_tileset_links()
    {
        var json = await HttpAssert.JsonAsync(await GetAsync("/collections"));
        var ids = json["collections"]!.AsArray().Select(c => (string)c!["id"]!).ToList();
        Assert.Contains("demo", ids);
        Assert.Contains("sst", ids);
        Assert.DoesNotContain("broken", ids);

        var sst = await HttpAssert.JsonAsync(await GetAsync("/collections/sst"));
        var bbox = sst["extent"]!["spatial"]!["bbox"]![0]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal([-180.0, -90.0, 180.0, 90.0], bbox);   // 2° global grid, cell edges
        Assert.Equal("1981-12-31T00:00:00Z", (string?)sst["extent"]!["temporal"]!["interval"]![0]![0]);
        Assert.Equal($"{_server.BaseUrl}/collections/sst/map/tiles", (string?)LinkWith(sst, Rel + "tilesets-map")["href"]);
        await HttpAssert.ProblemAsync(await GetAsync("/collections/nope"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Tileset_list_and_metadata_link_the_tiling_scheme_and_tile_templates()
    {
        var list = await HttpAssert.JsonAsync(await GetAsync("/collections/demo/map/tiles"));
        var sets = list["tilesets"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.Equal(["http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad", "http://www.opengis.net/def/tilematrixset/OGC/1.0/WorldCRS84Quad"],
            sets.Select(s => (string)s["tileMatrixSetURI"]!).ToArray());
        Assert.All(sets, s => Assert.Equal("map", (string?)s["dataType"]));
        Assert.Equal("http://www.opengis.net/def/crs/EPSG/0/3857", (string?)sets[0]["crs"]);

        var ts = await HttpAssert.JsonAsync(await GetAsync("/collections/demo/map/tiles/WebMercatorQuad?colormap_name=Viridis&bidx=1"));
        Assert.Equal("map", (string?)ts["dataType"]);
        var limits = ts["tileMatrixSetLimits"]!.AsArray();
        Assert.Equal(4, limits.Count);
        Assert.Equal("3", (string?)limits[3]!["tileMatrix"]);
        Assert.Equal(7, (long)limits[3]!["maxTileRow"]!);
        Assert.Equal(7, (long)limits[3]!["maxTileCol"]!);

        // The tiling scheme carries TMS 2.0 and TMS 1.0 members (GDAL 3.6 reads only 1.0).
        var scheme = await HttpAssert.JsonAsync(await _server.Client.GetAsync((string)LinkWith(ts, Rel + "tiling-scheme")["href"]!));
        Assert.Equal("WebMercatorQuad", (string?)scheme["id"]);
        Assert.Equal("WebMercatorQuad", (string?)scheme["identifier"]);
        Assert.Equal("TileMatrixSetType", (string?)scheme["type"]);
        Assert.NotNull(scheme["tileMatrix"]);

        var png = LinkWith(ts, "item", "image/png");
        Assert.True((bool)png["templated"]!);
        string template = (string)png["href"]!;
        Assert.StartsWith($"{_server.BaseUrl}/collections/demo/map/tiles/WebMercatorQuad/{{tileMatrix}}/{{tileRow}}/{{tileCol}}?f=png", template, StringComparison.Ordinal);
        Assert.Contains("colormap_name=viridis", template, StringComparison.Ordinal);
        Assert.Contains("bidx=1", template, StringComparison.Ordinal);
        string url = template.Replace("{tileMatrix}", "1", StringComparison.Ordinal).Replace("{tileRow}", "0", StringComparison.Ordinal).Replace("{tileCol}", "1", StringComparison.Ordinal);
        Assert.Equal(await _server.Client.GetByteArrayAsync("/tiles/demo/1/1/0.png?bidx=1&colormap_name=viridis"), await _server.Client.GetByteArrayAsync(url));
        Assert.NotNull(LinkWith(ts, "item", "image/webp"));
    }

    [Fact]
    public async Task Tiles_are_addressed_row_before_column_and_negotiate_the_format()
    {
        var expected = await _server.Client.GetByteArrayAsync("/tiles/demo/2/3/1.png");
        var tile = await GetAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3");
        Assert.Equal("image/png", tile.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await tile.Content.ReadAsByteArrayAsync());
        Assert.Contains("Accept", tile.Headers.Vary);
        Assert.Equal("<http://www.opengis.net/def/crs/EPSG/0/3857>", tile.Headers.GetValues("Content-Crs").Single());
        Assert.Equal(expected, await _server.Client.GetByteArrayAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3.png"));

        Assert.Equal("image/webp", (await GetAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3?f=webp")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/jpeg", (await GetAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3?f=jpeg")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/jpeg", (await GetAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3", "image/jpeg")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/webp", (await GetAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3", "image/webp,image/png;q=0.5")).Content.Headers.ContentType?.MediaType);
        Assert.Equal("image/png", (await GetAsync("/collections/demo/map/tiles/WebMercatorQuad/2/1/3", "text/html,*/*;q=0.8")).Content.Headers.ContentType?.MediaType);

        var crs84 = await _server.Client.GetByteArrayAsync("/collections/demo/map/tiles/WorldCRS84Quad/1/0/2");
        Assert.Equal(await _server.Client.GetByteArrayAsync("/tiles/demo/WorldCRS84Quad/1/2/0.png"), crs84);

        var head = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/collections/demo/map/tiles/WebMercatorQuad/0/0/0"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
    }

    [Theory]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/2/4/0", HttpStatusCode.NotFound)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/2/0/4", HttpStatusCode.NotFound)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/30/0/0", HttpStatusCode.NotFound)]
    [InlineData("/collections/demo/map/tiles/Nope/0/0/0", HttpStatusCode.NotFound)]
    [InlineData("/collections/demo/map/tiles/Nope", HttpStatusCode.NotFound)]
    [InlineData("/collections/nope/map/tiles/WebMercatorQuad/0/0/0", HttpStatusCode.NotFound)]
    [InlineData("/collections/nope/map/tiles", HttpStatusCode.NotFound)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/0/x/0", HttpStatusCode.BadRequest)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/0/0/x", HttpStatusCode.BadRequest)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/0/0/0.gif", HttpStatusCode.BadRequest)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/0/0/0?f=gif", HttpStatusCode.NotAcceptable)]
    [InlineData("/collections/sst/map/tiles/WebMercatorQuad/0/0/0?rescale=1", HttpStatusCode.BadRequest)]
    [InlineData("/collections/sst/map/tiles/WebMercatorQuad?variable=nope", HttpStatusCode.NotFound)]
    [InlineData("/collections/broken", HttpStatusCode.ServiceUnavailable)]
    [InlineData("/collections/sst/map/tiles/WebMercatorQuad/0/0/0?datetime=yesterday", HttpStatusCode.BadRequest)]
    [InlineData("/collections/sst/map/tiles/WebMercatorQuad/0/0/0?datetime=2000-01-01T00:00:00Z/1990-01-01T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("/collections/sst/map/tiles/WebMercatorQuad/0/0/0?datetime=1982-01-01T00:00:00Z/..", HttpStatusCode.NotFound)]
    [InlineData("/collections/demo/map/tiles/WebMercatorQuad/0/0/0?datetime=1982-01-01T00:00:00Z", HttpStatusCode.BadRequest)]
    [InlineData("/collections/sst/map/tiles/WebMercatorQuad?datetime=1982-01-01T00:00:00Z&sel=time=1981-12-31T00:00:00Z", HttpStatusCode.BadRequest)]
    public async Task Bad_requests_are_problem_json(string url, HttpStatusCode status)
    {
        await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), status);
    }

    [Theory]
    [InlineData("1981-12-31T00:00:00Z")]
    [InlineData("1990-06-01T00:00:00Z")]
    [InlineData("../1981-12-31T12:00:00Z")]
    [InlineData("1981-01-01T00:00:00Z/1982-01-01T00:00:00Z")]
    public async Task Datetime_selects_the_time_slice(string datetime)
    {
        var expected = await _server.Client.GetByteArrayAsync("/tiles/sst/1/1/0.png?sel=time=1981-12-31T00:00:00Z");
        Assert.Equal(expected, await _server.Client.GetByteArrayAsync($"/collections/sst/map/tiles/WebMercatorQuad/1/0/1?datetime={Uri.EscapeDataString(datetime)}"));
    }

    [Fact]
    public async Task Unacceptable_tile_media_type_is_406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/collections/demo/map/tiles/WebMercatorQuad/0/0/0");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/tiff"));
        await HttpAssert.ProblemAsync(await _server.Client.SendAsync(request), HttpStatusCode.NotAcceptable);
    }
}
