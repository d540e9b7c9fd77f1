using System.Globalization;
using System.Net;
using System.Xml.Linq;
using SkiaSharp;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>WMS 1.3.0 capabilities, exceptions and map images against the standard (and its official schemas).</summary>
[Collection(ServerCollection.Name)]
public sealed class WmsTests
{
    internal static readonly XNamespace W = "http://www.opengis.net/wms";
    internal static readonly XNamespace Ogc = "http://www.opengis.net/ogc";
    internal static readonly XNamespace Xlink = "http://www.w3.org/1999/xlink";

    private const string Map = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=global4326.tas&STYLES=&CRS=EPSG:4326&BBOX=-90,-180,90,180&WIDTH=72&HEIGHT=36&FORMAT=image/png";

    private readonly ServerFixture _server;

    public WmsTests(ServerFixture server)
    {
        _server = server;
    }

    private async Task<(XElement Root, byte[] Bytes)> CapabilitiesAsync(string url = "/wms?SERVICE=WMS&REQUEST=GetCapabilities")
    {
        var response = await _server.Client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.IsSuccessStatusCode, System.Text.Encoding.UTF8.GetString(bytes));
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        return (XDocument.Parse(System.Text.Encoding.UTF8.GetString(bytes)).Root!, bytes);
    }

    private static XElement NamedLayer(XElement caps, string name)
        => caps.Descendants(W + "Layer").Single(l => (string?)l.Element(W + "Name") == name);

    private static double Num(string? s) => double.Parse(s!, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("/wms?SERVICE=WMS&REQUEST=GetCapabilities")]
    [InlineData("/wms?request=GetCapabilities")]
    [InlineData("/wms?service=wms&version=1.1.1&request=getcapabilities")]
    [InlineData("/wmts?SERVICE=WMS&REQUEST=GetCapabilities")]
    public async Task Capabilities_validate_against_the_official_wms_1_3_0_schema(string url)
    {
        var (caps, bytes) = await CapabilitiesAsync(url);
        await XmlSchemaCheck.AssertValidAsync(bytes, XmlSchemaCheck.WmsCapabilities, url);
        Assert.Equal(W + "WMS_Capabilities", caps.Name);
        Assert.Equal("1.3.0", (string?)caps.Attribute("version"));
        Assert.Equal("WMS", (string?)caps.Element(W + "Service")!.Element(W + "Name"));
        // Every operation points at /wms, also when the capabilities were asked for at /wmts (QGIS given the bare WMTS address).
        foreach (var href in caps.Element(W + "Capability")!.Element(W + "Request")!.Descendants(W + "OnlineResource").Select(o => (string)o.Attribute(Xlink + "href")!))
        {
            Assert.EndsWith("/wms?", href, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_schema_check_accepts_the_official_examples_and_rejects_broken_copies()
    {
        // Controls: the validator must be able to fail, or the validations above prove nothing.
        string Control(string name) => Paths.TestData("schemas", "controls", "wms", name);
        Assert.True((await XmlSchemaCheck.ValidateFileAsync(Control("wms_datageo_caps_130.xml"), XmlSchemaCheck.WmsCapabilities)).Valid);
        Assert.False((await XmlSchemaCheck.ValidateFileAsync(Control("neg_caps_130.xml"), XmlSchemaCheck.WmsCapabilities)).Valid);
        Assert.True((await XmlSchemaCheck.ValidateFileAsync(Control("exceptionreport_wms1_3_0.xml"), XmlSchemaCheck.WmsExceptions)).Valid);
        Assert.False((await XmlSchemaCheck.ValidateFileAsync(Control("neg_exc_130.xml"), XmlSchemaCheck.WmsExceptions)).Valid);
    }

    [Fact]
    public async Task Capabilities_list_one_queryable_layer_per_variable_with_the_size_limits()
    {
        var (caps, _) = await CapabilitiesAsync();
        var service = caps.Element(W + "Service")!;
        Assert.Equal("4096", (string?)service.Element(W + "MaxWidth"));
        Assert.Equal("4096", (string?)service.Element(W + "MaxHeight"));
        Assert.Equal("1", (string?)service.Element(W + "LayerLimit"));
        var names = caps.Descendants(W + "Layer").Select(l => (string?)l.Element(W + "Name")).OfType<string>().ToList();
        foreach (var expected in new[] { "demo.rgb", "sst.sst", "sst.anom", "global4326.tas", "utm.reflectance", "wind.u", "wind.v" })
        {
            Assert.Contains(expected, names);
            Assert.Equal("1", (string?)NamedLayer(caps, expected).Attribute("queryable"));
        }

        Assert.DoesNotContain(names, n => n.StartsWith("broken.", StringComparison.Ordinal));
        var formats = caps.Descendants(W + "GetMap").Single().Elements(W + "Format").Select(f => f.Value).ToList();
        Assert.Equal(["image/png", "image/jpeg", "image/webp", "application/x-npy"], formats);
        var infoFormats = caps.Descendants(W + "GetFeatureInfo").Single().Elements(W + "Format").Select(f => f.Value).ToList();
        Assert.Equal(["application/json", "text/html", "text/plain"], infoFormats);
    }

    [Fact]
    public async Task The_root_layer_offers_crs84_epsg4326_web_mercator_and_every_known_crs()
    {
        var (caps, _) = await CapabilitiesAsync();
        var root = caps.Element(W + "Capability")!.Element(W + "Layer")!;
        var crs = root.Elements(W + "CRS").Select(c => c.Value).ToList();
        Assert.Equal(["CRS:84", "EPSG:4326", "EPSG:3857"], crs.Take(3));
        Assert.Contains("EPSG:32633", crs);   // the UTM fixture's own CRS
        Assert.Contains("EPSG:31985", crs);   // Landsat's
        Assert.Contains("EPSG:3035", crs);
        Assert.Equal(crs.Count, crs.Distinct().Count());
    }

    [Fact]
    public async Task Bounding_boxes_follow_each_crs_axis_order()
    {
        var (caps, _) = await CapabilitiesAsync();
        var layer = NamedLayer(caps, "utm.reflectance");
        XElement Box(string crs) => layer.Elements(W + "BoundingBox").Single(b => (string?)b.Attribute("CRS") == crs);
        double[] Corners(XElement b) => new[] { "minx", "miny", "maxx", "maxy" }.Select(a => Num((string?)b.Attribute(a))).ToArray();

        // The fixture: EPSG:32633, upper left (399960, 5300040), 1098 x 1098 cells of 100 m (catalogue of tests/data/geozarr).
        var native = Box("EPSG:32633");
        Assert.Equal([399960.0, 5300040.0 - 109800, 399960.0 + 109800, 5300040.0], Corners(native));
        Assert.Equal("100", (string?)native.Attribute("resx"));

        // CRS:84 is longitude, latitude; EPSG:4326 latitude, longitude (WMS 1.3.0 §6.7.3.3): the same numbers swapped.
        var crs84 = Corners(Box("CRS:84"));
        var epsg4326 = Corners(Box("EPSG:4326"));
        Assert.Equal([crs84[1], crs84[0], crs84[3], crs84[2]], epsg4326);
        Assert.InRange(crs84[0], 13.5, 14.0);   // the scene lies near 14.3°E 47.4°N (pyproj: the UTM 33 corners)
        Assert.InRange(crs84[1], 46.7, 47.0);
        var geo = layer.Element(W + "EX_GeographicBoundingBox")!;
        Assert.Equal(crs84[0], Num(geo.Element(W + "westBoundLongitude")!.Value));
        Assert.Equal(crs84[3], Num(geo.Element(W + "northBoundLatitude")!.Value));

        // Web Mercator of a global layer is clamped to ±85.0511° (y = ±πR), not infinite.
        var mercator = Corners(NamedLayer(caps, "sst.sst").Elements(W + "BoundingBox").Single(b => (string?)b.Attribute("CRS") == "EPSG:3857"));
        Assert.Equal(-20037508.3427892, mercator[1], 0);
        Assert.Equal(20037508.3427892, mercator[3], 0);
    }

    [Fact]
    public async Task Dimensions_are_time_elevation_and_named_ones_with_their_values_and_default()
    {
        var (caps, _) = await CapabilitiesAsync();
        var tas = NamedLayer(caps, "global4326.tas").Elements(W + "Dimension").Single();
        Assert.Equal("time", (string?)tas.Attribute("name"));
        Assert.Equal("ISO8601", (string?)tas.Attribute("units"));
        // "days since 2000-01-01" = [0, 31, 60, 91] (tests/data/geozarr/CATALOG.md).
        Assert.Equal("2000-01-01T00:00:00Z,2000-02-01T00:00:00Z,2000-03-01T00:00:00Z,2000-04-01T00:00:00Z", tas.Value);
        Assert.Equal("2000-01-01T00:00:00Z", (string?)tas.Attribute("default"));

        var wind = NamedLayer(caps, "wind.u").Elements(W + "Dimension").ToDictionary(d => (string)d.Attribute("name")!);
        Assert.Equal(["time", "elevation"], wind.Keys.ToArray());
        Assert.Equal("825,850", wind["elevation"].Value);   // pressure levels of the ERA5-style sample
        Assert.Equal("millibars", (string?)wind["elevation"].Attribute("units"));
        Assert.Equal(10, wind["time"].Value.Split(',').Length);

        // Any other dimension keeps its name (asked for as DIM_{NAME}): the Landsat bands 1..6 without the demo's default bands.
        var band = NamedLayer(caps, "landsat-bands.L7_ETMs").Elements(W + "Dimension").Single();
        Assert.Equal("band", (string?)band.Attribute("name"));
        Assert.Equal("1,2,3,4,5,6", band.Value);
        Assert.Equal("1", (string?)band.Attribute("default"));
    }

    [Fact]
    public async Task Styles_are_colormaps_with_legend_urls_that_answer_with_a_png_of_the_declared_size()
    {
        var (caps, _) = await CapabilitiesAsync();
        var styles = NamedLayer(caps, "sst.sst").Elements(W + "Style").ToList();
        Assert.Equal("default", (string?)styles[0].Element(W + "Name"));
        Assert.Contains("viridis", styles.Select(s => (string?)s.Element(W + "Name")));
        foreach (var style in styles.Take(2))
        {
            var legend = style.Element(W + "LegendURL")!;
            string href = (string)legend.Element(W + "OnlineResource")!.Attribute(Xlink + "href")!;
            Assert.Contains("/datasets/sst/legend.png?variable=sst", href, StringComparison.Ordinal);
            var png = await _server.Client.GetByteArrayAsync(new Uri(href).PathAndQuery);
            using var bitmap = SKBitmap.Decode(png);
            Assert.Equal(int.Parse((string)legend.Attribute("width")!, CultureInfo.InvariantCulture), bitmap.Width);
            Assert.Equal(int.Parse((string)legend.Attribute("height")!, CultureInfo.InvariantCulture), bitmap.Height);
        }

        // An RGB composite has no color scale: the default style only, without a legend.
        var rgb = NamedLayer(caps, "demo.rgb").Elements(W + "Style").ToList();
        Assert.Single(rgb);
        Assert.Null(rgb[0].Element(W + "LegendURL"));
    }

    [Fact]
    public async Task GetLegendGraphic_draws_the_styles_colormap()
    {
        var response = await _server.Client.GetAsync("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetLegendGraphic&LAYER=sst.sst&STYLE=greys&FORMAT=image/png&SLD_VERSION=1.1.0");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        // The bar (rows 6..23, 12 px in from each side) runs from white to black in the greys colormap (/colorMaps/greys).
        var left = bitmap.GetPixel(13, 12);
        var right = bitmap.GetPixel(bitmap.Width - 14, 12);
        Assert.True(left.Red > 215 && right.Red < 40, $"greys bar from {left} to {right}");
        Assert.Equal(left.Red, left.Green);
    }

    public static TheoryData<string, int, string?, string?> BadRequests() => new()
    {
        { "/wms?SERVICE=WMS", 400, "MissingParameterValue", "REQUEST" },
        { "/wms?SERVICE=WMS&REQUEST=GetStyles", 400, "OperationNotSupported", "REQUEST" },
        { "/wms?SERVICE=WFS&REQUEST=GetCapabilities", 400, "InvalidParameterValue", "SERVICE" },
        { Map.Replace("global4326.tas", "nope.tas", StringComparison.Ordinal), 400, "LayerNotDefined", "LAYERS" },
        { Map.Replace("LAYERS=global4326.tas", "LAYERS=global4326.tas,sst.sst", StringComparison.Ordinal), 400, "InvalidParameterValue", "LAYERS" },
        { Map + "&layers=sst.sst", 400, "InvalidParameterValue", "LAYERS" },
        { Map.Replace("STYLES=", "STYLES=nostyle", StringComparison.Ordinal), 400, "StyleNotDefined", "STYLES" },
        { Map.Replace("EPSG:4326", "EPSG:999999", StringComparison.Ordinal), 400, "InvalidCRS", "CRS" },
        { Map.Replace("CRS=EPSG:4326", "SRS=EPSG:4326", StringComparison.Ordinal), 400, "InvalidParameterValue", "CRS" },
        { Map.Replace("BBOX=-90,-180,90,180", "BBOX=-90,-180,90", StringComparison.Ordinal), 400, "InvalidParameterValue", "BBOX" },
        { Map.Replace("BBOX=-90,-180,90,180", "BBOX=90,-180,-90,180", StringComparison.Ordinal), 400, "InvalidParameterValue", "BBOX" },
        { Map.Replace("WIDTH=72", "WIDTH=4097", StringComparison.Ordinal), 400, "InvalidParameterValue", "WIDTH" },
        { Map.Replace("HEIGHT=36", "HEIGHT=0", StringComparison.Ordinal), 400, "InvalidParameterValue", "HEIGHT" },
        { Map.Replace("image/png", "image/gif", StringComparison.Ordinal), 400, "InvalidFormat", "FORMAT" },
        { Map + "&TIME=1999-01-01", 400, "InvalidDimensionValue", "TIME" },
        { Map + "&TIME=2000-01-01/2000-03-01", 400, "InvalidDimensionValue", "TIME" },
        { Map.Replace("VERSION=1.3.0", "VERSION=1.1.1", StringComparison.Ordinal), 400, "InvalidParameterValue", "VERSION" },
        { Map + "&TRANSPARENT=maybe", 400, "InvalidParameterValue", "TRANSPARENT" },
        { Map + "&BGCOLOR=white", 400, "InvalidParameterValue", "BGCOLOR" },
        { Map + "&EXCEPTIONS=JSON", 400, "InvalidParameterValue", "EXCEPTIONS" },
        { Map + "&rescale=5,1", 400, "InvalidParameterValue", "rescale" },
        { Map.Replace("global4326.tas", "broken.x", StringComparison.Ordinal), 503, null, "LAYERS" },
        { Map.Replace("GetMap", "GetFeatureInfo", StringComparison.Ordinal) + "&QUERY_LAYERS=global4326.tas&INFO_FORMAT=application/json&I=72&J=0", 400, "InvalidPoint", "I" },
        { Map.Replace("GetMap", "GetFeatureInfo", StringComparison.Ordinal) + "&QUERY_LAYERS=global4326.tas&INFO_FORMAT=image/png&I=1&J=1", 400, "InvalidFormat", "INFO_FORMAT" },
        { Map.Replace("GetMap", "GetFeatureInfo", StringComparison.Ordinal) + "&QUERY_LAYERS=sst.sst&INFO_FORMAT=text/plain&I=1&J=1", 400, "LayerNotDefined", "QUERY_LAYERS" },
        { Map.Replace("GetMap", "GetFeatureInfo", StringComparison.Ordinal) + "&INFO_FORMAT=text/plain&I=1&J=1", 400, "MissingParameterValue", "QUERY_LAYERS" },
        { "/wms?SERVICE=WMS&REQUEST=GetLegendGraphic&LAYER=demo.rgb", 400, "InvalidParameterValue", "LAYER" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_a_schema_valid_service_exception_report_naming_the_parameter(string url, int status, string? code, string? locator)
    {
        var response = await _server.Client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        string body = System.Text.Encoding.UTF8.GetString(bytes);
        Assert.True(status == (int)response.StatusCode, $"{url}: expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("text/xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        await XmlSchemaCheck.AssertValidAsync(bytes, XmlSchemaCheck.WmsExceptions, url);
        var exception = XDocument.Parse(body).Root!.Element(Ogc + "ServiceException")!;
        Assert.Equal(code, (string?)exception.Attribute("code"));
        Assert.Equal(locator, (string?)exception.Attribute("locator"));
        Assert.False(string.IsNullOrWhiteSpace(exception.Value));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exceptions_can_come_as_an_image_with_the_message_or_blank()
    {
        string bad = Map.Replace("STYLES=", "STYLES=nostyle", StringComparison.Ordinal).Replace("WIDTH=72&HEIGHT=36", "WIDTH=300&HEIGHT=120", StringComparison.Ordinal);
        var blank = await _server.Client.GetAsync(bad + "&EXCEPTIONS=BLANK&TRANSPARENT=TRUE");
        Assert.Equal("image/png", blank.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
        using (var bitmap = SKBitmap.Decode(await blank.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((300, 120), (bitmap.Width, bitmap.Height));
            Assert.All(bitmap.Pixels, p => Assert.Equal(0, p.Alpha));
        }

        var inImage = await _server.Client.GetAsync(bad + "&EXCEPTIONS=INIMAGE&BGCOLOR=0x102030");
        Assert.Equal("image/png", inImage.Content.Headers.ContentType?.MediaType);
        using (var bitmap = SKBitmap.Decode(await inImage.Content.ReadAsByteArrayAsync()))
        {
            Assert.Equal((300, 120), (bitmap.Width, bitmap.Height));
            Assert.Equal(new SKColor(0x10, 0x20, 0x30, 255), bitmap.GetPixel(299, 119));   // BGCOLOR, opaque (TRANSPARENT=FALSE)
            Assert.Contains(bitmap.Pixels, p => p != new SKColor(0x10, 0x20, 0x30, 255));  // the message is drawn (fonts-dejavu-core, installed by tests/run.sh)
        }
    }

    [Theory]
    [InlineData("image/png", "image/png")]
    [InlineData("image/jpeg", "image/jpeg")]
    [InlineData("image/webp", "image/webp")]
    [InlineData("image/png; mode=8bit", "image/png")]
    public async Task GetMap_answers_images_of_the_requested_size_in_each_format(string format, string contentType)
    {
        var response = await _server.Client.GetAsync(Map.Replace("image/png", Uri.EscapeDataString(format), StringComparison.Ordinal).Replace("WIDTH=72&HEIGHT=36", "WIDTH=333&HEIGHT=111", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        using var bitmap = SKBitmap.Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((333, 111), (bitmap.Width, bitmap.Height));
        Assert.NotNull(response.Headers.ETag);
        Assert.True(response.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task Nodata_is_transparent_with_transparent_true_and_the_background_color_otherwise()
    {
        // global-4326 has a nodata block at 10 <= lat < 30, 40 <= lon < 70 (tests/data/geozarr/CATALOG.md): the map's
        // pixel at lat 20, lon 55 of a 1-degree EPSG:4326 map (BBOX lat,lon) lies in it; lat 0, lon 0 holds data.
        string url = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=global4326.tas&STYLES=&CRS=EPSG:4326&BBOX=-90,-180,90,180&WIDTH=360&HEIGHT=180&FORMAT=image/png";
        (int X, int Y) nodata = (180 + 55, 90 - 20), data = (180, 90);
        using (var transparent = SKBitmap.Decode(await _server.Client.GetByteArrayAsync(url + "&TRANSPARENT=TRUE")))
        {
            Assert.Equal(0, transparent.GetPixel(nodata.X, nodata.Y).Alpha);
            Assert.Equal(255, transparent.GetPixel(data.X, data.Y).Alpha);
        }

        using (var opaque = SKBitmap.Decode(await _server.Client.GetByteArrayAsync(url + "&BGCOLOR=0xFF0080")))
        {
            Assert.Equal(new SKColor(0xFF, 0x00, 0x80, 255), opaque.GetPixel(nodata.X, nodata.Y));
            Assert.Equal(255, opaque.GetPixel(data.X, data.Y).Alpha);
        }

        using var white = SKBitmap.Decode(await _server.Client.GetByteArrayAsync(url));   // TRANSPARENT=FALSE, BGCOLOR 0xFFFFFF by default
        Assert.Equal(SKColors.White, white.GetPixel(nodata.X, nodata.Y));
    }

    [Fact]
    public async Task Styles_and_tile_parameters_change_the_map_and_repeated_requests_revalidate()
    {
        string url = Map.Replace("WIDTH=72&HEIGHT=36", "WIDTH=64&HEIGHT=32", StringComparison.Ordinal);
        var plain = await _server.Client.GetByteArrayAsync(url);
        var greys = await _server.Client.GetByteArrayAsync(url.Replace("STYLES=", "STYLES=greys", StringComparison.Ordinal));
        var rescaled = await _server.Client.GetByteArrayAsync(url + "&rescale=0,100");
        Assert.NotEqual(plain, greys);
        Assert.NotEqual(plain, rescaled);
        using var grey = SKBitmap.Decode(greys);
        var c = grey.GetPixel(32, 16);
        Assert.True(c.Red == c.Green && c.Green == c.Blue, $"greys style gives grey pixels, got {c}");

        var first = await _server.Client.GetAsync(url);
        using var conditional = new HttpRequestMessage(HttpMethod.Get, url);
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        var second = await _server.Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task A_too_small_or_too_large_configured_maximum_stops_the_server_at_startup()
    {
        var app = TileServerApp.Build(["--urls=http://127.0.0.1:0", "--Serilog:MinimumLevel:Default=Warning", "--TileServer:Wms:MaxWidth=0", "--TileServer:Wms:MaxHeight=9000"]);
        try
        {
            var e = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => app.StartAsync());
            Assert.Contains("TileServer:Wms:MaxWidth", e.Message, StringComparison.Ordinal);
            Assert.Contains("TileServer:Wms:MaxHeight", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            await app.DisposeAsync();
        }
    }
}
