using System.Globalization;
using System.Net;
using System.Xml.Linq;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>WMTS 1.0.0 capabilities and GetTile (KVP and RESTful) against the numbers of the OGC standards.</summary>
[Collection(ServerCollection.Name)]
public sealed class WmtsTests
{
    internal static readonly XNamespace W = "http://www.opengis.net/wmts/1.0";
    internal static readonly XNamespace Ows = "http://www.opengis.net/ows/1.1";
    internal static readonly XNamespace Xlink = "http://www.w3.org/1999/xlink";

    private readonly ServerFixture _server;

    public WmtsTests(ServerFixture server)
    {
        _server = server;
    }

    private async Task<XElement> CapabilitiesAsync(string url = "/wmts/1.0.0/WMTSCapabilities.xml")
    {
        var response = await _server.Client.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        return XDocument.Parse(body).Root!;
    }

    private static XElement Layer(XElement caps, string id)
        => caps.Element(W + "Contents")!.Elements(W + "Layer").Single(l => (string?)l.Element(Ows + "Identifier") == id);

    private static XElement Set(XElement caps, string id)
        => caps.Element(W + "Contents")!.Elements(W + "TileMatrixSet").Single(l => (string?)l.Element(Ows + "Identifier") == id);

    [Theory]
    [InlineData("/wmts/1.0.0/WMTSCapabilities.xml")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities")]
    [InlineData("/wmts?service=wmts&request=getcapabilities&acceptversions=1.0.0")]
    public async Task Capabilities_have_one_layer_per_variable_of_each_open_dataset(string url)
    {
        var caps = await CapabilitiesAsync(url);
        Assert.Equal(W + "Capabilities", caps.Name);
        Assert.Equal("1.0.0", (string?)caps.Attribute("version"));
        Assert.Equal("OGC WMTS", (string?)caps.Element(Ows + "ServiceIdentification")!.Element(Ows + "ServiceType"));
        var ids = caps.Element(W + "Contents")!.Elements(W + "Layer").Select(l => (string)l.Element(Ows + "Identifier")!).ToList();
        Assert.Contains("demo.rgb", ids);
        Assert.Contains("sst.sst", ids);
        Assert.Contains("sst.anom", ids);
        Assert.Contains("landsat.L7_ETMs", ids);
        Assert.DoesNotContain(ids, i => i.StartsWith("broken.", StringComparison.Ordinal));
        // KVP and RESTful encodings are both declared for GetTile.
        var getTile = caps.Element(Ows + "OperationsMetadata")!.Elements(Ows + "Operation").Single(o => (string?)o.Attribute("name") == "GetTile");
        var encodings = getTile.Descendants(Ows + "Value").Select(v => v.Value).ToList();
        Assert.Equal(["KVP", "RESTful"], encodings);
    }

    [Fact]
    public async Task Layer_children_come_in_schema_order()
    {
        // wmtsGetCapabilities_response.xsd: DatasetDescriptionSummaryBaseType then LayerType members, in sequence.
        string[] order = ["Title", "Abstract", "Keywords", "WGS84BoundingBox", "Identifier", "BoundingBox", "Metadata", "Style", "Format", "InfoFormat", "Dimension", "TileMatrixSetLink", "ResourceURL"];
        var caps = await CapabilitiesAsync();
        foreach (var layer in caps.Element(W + "Contents")!.Elements(W + "Layer"))
        {
            var positions = layer.Elements().Select(e => Array.IndexOf(order, e.Name.LocalName)).ToList();
            Assert.DoesNotContain(-1, positions);
            Assert.Equal(positions.Order().ToList(), positions);
            Assert.Contains(Array.IndexOf(order, "Style"), positions);
            Assert.Contains(Array.IndexOf(order, "TileMatrixSetLink"), positions);
        }

        // Contents lists all layers before the tile matrix sets.
        var contents = caps.Element(W + "Contents")!.Elements().Select(e => e.Name.LocalName).ToList();
        Assert.Equal(contents.OrderBy(n => n == "Layer" ? 0 : 1).ToList(), contents);
    }

    [Fact]
    public async Task Tile_matrix_sets_carry_the_ogc_scale_sets_and_top_left_corners_in_crs_axis_order()
    {
        var caps = await CapabilitiesAsync();
        var wm = Set(caps, "WebMercatorQuad");
        Assert.Equal("urn:ogc:def:crs:EPSG::3857", (string?)wm.Element(Ows + "SupportedCRS"));
        Assert.Equal("urn:ogc:def:wkss:OGC:1.0:GoogleMapsCompatible", (string?)wm.Element(W + "WellKnownScaleSet"));
        var m0 = wm.Elements(W + "TileMatrix").First();
        Assert.Equal("0", (string?)m0.Element(Ows + "Identifier"));
        Assert.Equal(559082264.0287178, Num(m0.Element(W + "ScaleDenominator")!.Value), 1e-3);   // the registry JSON publishes 559082264.028717
        var corner = m0.Element(W + "TopLeftCorner")!.Value.Split(' ').Select(Num).ToArray();
        Assert.Equal(-20037508.3427892, corner[0], 6);
        Assert.Equal(20037508.3427892, corner[1], 6);
        var m3 = wm.Elements(W + "TileMatrix").Single(m => (string?)m.Element(Ows + "Identifier") == "3");
        Assert.Equal(559082264.0287178 / 8, Num(m3.Element(W + "ScaleDenominator")!.Value), 1e-3);
        Assert.Equal("8", (string?)m3.Element(W + "MatrixWidth"));

        // CRS84 is lon/lat: the corner is "-180 90" (an EPSG:4326 set would be "90 -180").
        var crs84 = Set(caps, "WorldCRS84Quad");
        Assert.Equal("urn:ogc:def:crs:OGC:1.3:CRS84", (string?)crs84.Element(Ows + "SupportedCRS"));
        var c0 = crs84.Elements(W + "TileMatrix").First();
        Assert.Equal(279541132.0143589, Num(c0.Element(W + "ScaleDenominator")!.Value), 1e-3);
        Assert.Equal([-180.0, 90.0], c0.Element(W + "TopLeftCorner")!.Value.Split(' ').Select(Num).ToArray());
        Assert.Equal("2", (string?)c0.Element(W + "MatrixWidth"));
        Assert.Equal("1", (string?)c0.Element(W + "MatrixHeight"));
    }

    [Fact]
    public async Task Layers_have_mercator_bounding_box_clamped_and_limits_from_their_extent()
    {
        var caps = await CapabilitiesAsync();
        var sst = Layer(caps, "sst.sst");
        var wgs = sst.Element(Ows + "WGS84BoundingBox")!;
        var lower = wgs.Element(Ows + "LowerCorner")!.Value.Split(' ').Select(Num).ToArray();
        Assert.True(lower[1] < -85.06, "the global SST grid reaches past the mercator limit");
        var bbox = sst.Elements(Ows + "BoundingBox").Single(b => (string?)b.Attribute("crs") == "urn:ogc:def:crs:EPSG::3857");
        var lo = bbox.Element(Ows + "LowerCorner")!.Value.Split(' ').Select(Num).ToArray();
        var hi = bbox.Element(Ows + "UpperCorner")!.Value.Split(' ').Select(Num).ToArray();
        Assert.Equal(-20037508.3427892, lo[1], 0);   // latitude clamped to -85.0511 (y = -πR), not infinite
        Assert.Equal(20037508.3427892, hi[1], 0);

        // The demo pyramid covers the whole world: every listed matrix is complete, zooms 0..3.
        var demoLimits = Limits(Layer(caps, "demo.rgb"), "WebMercatorQuad");
        Assert.Equal(["0", "1", "2", "3"], demoLimits.Keys.ToArray());
        foreach (var (z, l) in demoLimits)
        {
            long n = 1L << int.Parse(z, CultureInfo.InvariantCulture);
            Assert.Equal((0, n - 1, 0, n - 1), l);
        }

        // The Landsat scene near Olinda/Recife (34.85°W 8.0°S): its deepest limits hold the slippy-map tile of that point.
        var landsat = Limits(Layer(caps, "landsat.L7_ETMs"), "WebMercatorQuad");
        var (zText, deepest) = landsat.Last();
        int zoom = int.Parse(zText, CultureInfo.InvariantCulture);
        Assert.True(zoom >= 10, $"a 30 m scene reaches deep zooms, got {zoom}");
        var (col, row) = SlippyTile(-34.85, -8.0, zoom);
        Assert.InRange(col, deepest.MinCol - 40, deepest.MaxCol + 40);
        Assert.InRange(row, deepest.MinRow - 40, deepest.MaxRow + 40);
        Assert.True(deepest.MaxCol - deepest.MinCol < 200 && deepest.MaxRow - deepest.MinRow < 200, "limits follow the small scene, not the world");
    }

    [Fact]
    public async Task A_utm_scene_is_also_offered_in_its_utm_tile_matrix_set_with_native_bounds()
    {
        // Fixture catalog: EPSG:32633, upper left (399960, 5300040), 1098 x 1098 pixels of 100 m.
        var caps = await CapabilitiesAsync();
        var layer = Layer(caps, "utm.reflectance");
        Assert.Contains("UTM33WGS84Quad", layer.Elements(W + "TileMatrixSetLink").Select(l => (string)l.Element(W + "TileMatrixSet")!));
        var bbox = layer.Elements(Ows + "BoundingBox").Single(b => (string?)b.Attribute("crs") == "urn:ogc:def:crs:EPSG::32633");
        Assert.Equal([399960.0, 5300040.0 - 109800], bbox.Element(Ows + "LowerCorner")!.Value.Split(' ').Select(Num).ToArray());
        Assert.Equal([399960.0 + 109800, 5300040.0], bbox.Element(Ows + "UpperCorner")!.Value.Split(' ').Select(Num).ToArray());
        // Easting first, as the CRS (orderedAxes E, N) says.
        var utm = Set(caps, "UTM33WGS84Quad");
        Assert.Equal("urn:ogc:def:crs:EPSG::32633", (string?)utm.Element(Ows + "SupportedCRS"));
        Assert.Equal([-9501965.72931276, 20003931.4586255], utm.Elements(W + "TileMatrix").First().Element(W + "TopLeftCorner")!.Value.Split(' ').Select(Num).ToArray());
        // GetTile in that set is the XYZ tile of the same set.
        var limits = Limits(layer, "UTM33WGS84Quad").Last();
        string z = limits.Key;
        var (row, col) = (limits.Value.MinRow, limits.Value.MinCol);
        var expected = await _server.Client.GetByteArrayAsync($"/tiles/utm/UTM33WGS84Quad/{z}/{col}/{row}.png");
        Assert.Equal(expected, await _server.Client.GetByteArrayAsync($"/wmts/1.0.0/utm.reflectance/default/UTM33WGS84Quad/{z}/{row}/{col}.png"));
    }

    [Fact]
    public async Task Styles_are_default_plus_colormaps_with_legends_and_composites_have_only_default()
    {
        var caps = await CapabilitiesAsync();
        var demo = Layer(caps, "demo.rgb").Elements(W + "Style").ToList();
        var only = Assert.Single(demo);
        Assert.Equal("default", (string?)only.Element(Ows + "Identifier"));
        Assert.Equal("true", (string?)only.Attribute("isDefault"));

        var sst = Layer(caps, "sst.sst").Elements(W + "Style").ToList();
        Assert.Equal("default", (string?)sst[0].Element(Ows + "Identifier"));
        Assert.Single(sst, s => (string?)s.Attribute("isDefault") == "true");
        var viridis = sst.Single(s => (string?)s.Element(Ows + "Identifier") == "viridis");
        string legend = (string)viridis.Element(W + "LegendURL")!.Attribute(Xlink + "href")!;
        Assert.Equal($"{_server.BaseUrl}/datasets/sst/legend.png?variable=sst&colormap_name=viridis", legend);
        Assert.Equal(["image/png", "image/webp", "image/jpeg"], Layer(caps, "sst.sst").Elements(W + "Format").Select(f => f.Value).ToArray());
    }

    [Fact]
    public async Task Time_is_a_dimension_with_its_values_and_a_rest_template_segment()
    {
        var caps = await CapabilitiesAsync();
        var sst = Layer(caps, "sst.sst");
        var dim = Assert.Single(sst.Elements(W + "Dimension"));
        Assert.Equal("Time", (string?)dim.Element(Ows + "Identifier"));
        Assert.Equal("1981-12-31T00:00:00Z", (string?)dim.Element(W + "Default"));
        Assert.Equal(["1981-12-31T00:00:00Z"], dim.Elements(W + "Value").Select(v => v.Value).ToArray());
        var templates = sst.Elements(W + "ResourceURL").Select(r => (string)r.Attribute("template")!).ToList();
        Assert.Contains($"{_server.BaseUrl}/wmts/1.0.0/sst.sst/{{Style}}/{{Time}}/{{TileMatrixSet}}/{{TileMatrix}}/{{TileRow}}/{{TileCol}}.png", templates);
        Assert.Empty(Layer(caps, "demo.rgb").Elements(W + "Dimension"));
    }

    [Theory]
    [InlineData("WebMercatorQuad", 2, 1, 3)]
    [InlineData("WorldCRS84Quad", 1, 0, 2)]
    public async Task GetTile_in_kvp_and_rest_is_the_xyz_tile_at_column_x_and_row_y(string tms, int z, int row, int col)
    {
        string xyz = tms == "WebMercatorQuad" ? $"/tiles/demo/{z}/{col}/{row}.png" : $"/tiles/demo/{tms}/{z}/{col}/{row}.png";
        var expected = await _server.Client.GetByteArrayAsync(xyz);
        var kvp = await _server.Client.GetAsync($"/wmts?Service=WMTS&request=GetTile&version=1.0.0&Layer=demo.rgb&style=default&format=image/png&TileMatrixSet={tms}&TileMatrix={z}&TileRow={row}&TileCol={col}");
        Assert.Equal(HttpStatusCode.OK, kvp.StatusCode);
        Assert.Equal("image/png", kvp.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected, await kvp.Content.ReadAsByteArrayAsync());
        var rest = await _server.Client.GetByteArrayAsync($"/wmts/1.0.0/demo.rgb/default/{tms}/{z}/{row}/{col}.png");
        Assert.Equal(expected, rest);
    }

    [Fact]
    public async Task Style_time_and_format_select_the_rendering()
    {
        string rest = "/wmts/1.0.0/sst.sst/{0}/1981-12-31T00:00:00Z/WebMercatorQuad/1/0/1.{1}";
        var defaultStyle = await _server.Client.GetByteArrayAsync(string.Format(CultureInfo.InvariantCulture, rest, "default", "png"));
        var viridis = await _server.Client.GetByteArrayAsync(string.Format(CultureInfo.InvariantCulture, rest, "viridis", "png"));
        Assert.NotEqual(defaultStyle, viridis);
        // The default style is the dataset's default rendering (turbo, -2..32), as on /tiles.
        Assert.Equal(await _server.Client.GetByteArrayAsync("/tiles/sst/1/1/0.png"), defaultStyle);
        Assert.Equal(await _server.Client.GetByteArrayAsync("/tiles/sst/1/1/0.png?colormap_name=viridis"), viridis);
        var webp = await _server.Client.GetAsync(string.Format(CultureInfo.InvariantCulture, rest, "default", "webp"));
        Assert.Equal("image/webp", webp.Content.Headers.ContentType?.MediaType);
        // KVP: the dimension parameter name is case-insensitive; absent means its Default.
        var kvp = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=sst.sst&STYLE=&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=0&TILECOL=1";
        Assert.Equal(defaultStyle, await _server.Client.GetByteArrayAsync(kvp));
        Assert.Equal(defaultStyle, await _server.Client.GetByteArrayAsync(kvp + "&time=1981-12-31T00:00:00Z"));
    }

    [Theory]
    [InlineData("/wmts?REQUEST=GetCapabilities", 400, "MissingParameterValue", "SERVICE")]
    [InlineData("/wmts?SERVICE=WFS&REQUEST=GetCapabilities", 400, "InvalidParameterValue", "SERVICE")]
    [InlineData("/wmts?SERVICE=WMTS", 400, "MissingParameterValue", "REQUEST")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&I=0&J=0&INFOFORMAT=application/json", 400, "MissingParameterValue", "LAYER")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetMap", 400, "InvalidParameterValue", "REQUEST")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&request=GetCapabilities", 400, "InvalidParameterValue", "REQUEST")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetCapabilities&ACCEPTVERSIONS=2.0.0", 400, "VersionNegotiationFailed", "ACCEPTVERSIONS")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "MissingParameterValue", "LAYER")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "MissingParameterValue", "STYLE")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "MissingParameterValue", "FORMAT")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "MissingParameterValue", "TILEMATRIXSET")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEROW=0&TILECOL=0", 400, "MissingParameterValue", "TILEMATRIX")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILECOL=0", 400, "MissingParameterValue", "TILEROW")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0", 400, "MissingParameterValue", "TILECOL")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=nope.x&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "InvalidParameterValue", "LAYER")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=viridis&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "InvalidParameterValue", "STYLE")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=sst.sst&STYLE=nope&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "InvalidParameterValue", "STYLE")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/gif&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "InvalidParameterValue", "FORMAT")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=Nope&TILEMATRIX=0&TILEROW=0&TILECOL=0", 400, "InvalidParameterValue", "TILEMATRIXSET")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=99&TILEROW=0&TILECOL=0", 400, "InvalidParameterValue", "TILEMATRIX")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=2&TILEROW=4&TILECOL=0", 404, "TileOutOfRange", "TILEROW")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=2&TILEROW=0&TILECOL=4", 404, "TileOutOfRange", "TILECOL")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=2&TILEROW=-1&TILECOL=0", 400, "InvalidParameterValue", "TILEROW")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=sst.sst&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&TIME=2000-01-01", 400, "InvalidParameterValue", "TIME")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetTile&LAYER=sst.sst&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILEROW=0&TILECOL=0&rescale=5,1", 400, "InvalidParameterValue", "rescale")]
    [InlineData("/wmts/1.0.0/sst.sst/default/1981-12-31T00:00:00Z/WebMercatorQuad/1/0/0.png?rescale=1,2&rescale=3,4", 400, "InvalidParameterValue", "rescale")]
    [InlineData("/wmts/1.0.0/demo.rgb/default/WebMercatorQuad/1/2/0.png", 404, "TileOutOfRange", "TILEROW")]
    [InlineData("/wmts/1.0.0/demo.rgb/default/WebMercatorQuad/1/0/0.gif", 400, "InvalidParameterValue", "FORMAT")]
    [InlineData("/wmts/1.0.0/nope.rgb/default/WebMercatorQuad/1/0/0.png", 400, "InvalidParameterValue", "LAYER")]
    [InlineData("/wmts/1.0.0/sst.sst/default/WebMercatorQuad/1/0/0.png", 400, "InvalidParameterValue", "TILECOL")]
    [InlineData("/wmts/1.0.0/sst.sst/default/1999-01-01/WebMercatorQuad/1/0/0.png", 400, "InvalidParameterValue", "TIME")]
    public async Task Errors_are_ows_exception_reports_naming_the_parameter(string url, int status, string code, string locator)
    {
        var response = await _server.Client.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {body}");
        var (actualCode, actualLocator, text) = ParseReport(response.Content.Headers.ContentType?.MediaType, body);
        Assert.Equal(code, actualCode);
        Assert.Equal(locator, actualLocator);
        Assert.False(string.IsNullOrWhiteSpace(text));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.Null(response.Headers.ETag);   // errors are not cached as tiles
    }

    [Fact]
    public async Task Xml_responses_carry_cors_and_answer_head()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/wmts/1.0.0/WMTSCapabilities.xml");
        request.Headers.Add("Origin", "http://example.org");
        var caps = await _server.Client.SendAsync(request);
        Assert.Equal("*", caps.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.NotNull(caps.Headers.ETag);

        using var bad = new HttpRequestMessage(HttpMethod.Get, "/wmts?SERVICE=WMTS&REQUEST=Nope");
        bad.Headers.Add("Origin", "http://example.org");
        var error = await _server.Client.SendAsync(bad);
        Assert.Equal("*", error.Headers.GetValues("Access-Control-Allow-Origin").Single());

        var head = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/wmts/1.0.0/demo.rgb/default/WebMercatorQuad/0/0/0.png"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("image/png", head.Content.Headers.ContentType?.MediaType);
        var headCaps = await _server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/wmts?SERVICE=WMTS&REQUEST=GetCapabilities"));
        Assert.Equal(HttpStatusCode.OK, headCaps.StatusCode);

        using var conditional = new HttpRequestMessage(HttpMethod.Get, "/wmts/1.0.0/WMTSCapabilities.xml");
        conditional.Headers.TryAddWithoutValidation("If-None-Match", caps.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.NotModified, (await _server.Client.SendAsync(conditional)).StatusCode);
    }

    internal static (string? Code, string? Locator, string? Text) ParseReport(string? mediaType, string body)
    {
        Assert.Equal("application/xml", mediaType);
        var root = XDocument.Parse(body).Root!;
        Assert.Equal(Ows + "ExceptionReport", root.Name);
        var e = root.Element(Ows + "Exception")!;
        return ((string?)e.Attribute("exceptionCode"), (string?)e.Attribute("locator"), (string?)e.Element(Ows + "ExceptionText"));
    }

    private static Dictionary<string, (long MinRow, long MaxRow, long MinCol, long MaxCol)> Limits(XElement layer, string tms)
    {
        var link = layer.Elements(W + "TileMatrixSetLink").Single(l => (string?)l.Element(W + "TileMatrixSet") == tms);
        return link.Element(W + "TileMatrixSetLimits")!.Elements(W + "TileMatrixLimits").ToDictionary(
            l => (string)l.Element(W + "TileMatrix")!,
            l => ((long)l.Element(W + "MinTileRow")!, (long)l.Element(W + "MaxTileRow")!, (long)l.Element(W + "MinTileCol")!, (long)l.Element(W + "MaxTileCol")!));
    }

    /// <summary>The OpenStreetMap slippy-map tile formula (independent of the TMS code).</summary>
    private static (long Col, long Row) SlippyTile(double lon, double lat, int zoom)
    {
        double n = Math.Pow(2, zoom);
        double latRad = lat * Math.PI / 180;
        return ((long)Math.Floor((lon + 180) / 360 * n), (long)Math.Floor((1 - (Math.Log(Math.Tan(latRad) + (1 / Math.Cos(latRad))) / Math.PI)) / 2 * n));
    }

    private static double Num(string s) => double.Parse(s, CultureInfo.InvariantCulture);
}
