using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>
/// GetFeatureInfo (WMS and WMTS) answers what <c>/point</c> answers at the centre of the clicked pixel; the centre is
/// computed here from the request with the standards' formulas (WMS 1.3.0 §7.4.3.7, WMTS 1.0 §7.3.1; spherical
/// Web Mercator inverse for EPSG:3857).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class FeatureInfoTests
{
    private const double R = 6378137.0;
    private const double MercatorHalf = 20037508.342789244;

    private readonly ServerFixture _server;

    public FeatureInfoTests(ServerFixture server)
    {
        _server = server;
    }

    private static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static (double Lon, double Lat) FromMercator(double x, double y)
        => (x / R * 180 / Math.PI, ((2 * Math.Atan(Math.Exp(y / R))) - (Math.PI / 2)) * 180 / Math.PI);

    private async Task<string> GetTextAsync(string url, string mediaType)
    {
        var response = await _server.Client.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {body}");
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    /// <summary>The feature info JSON is the /point answer at its lon/lat, which must be the expected pixel centre.</summary>
    private async Task<JsonObject> AssertSameAsPointAsync(string infoUrl, string dataset, string pointQuery, double lon, double lat)
    {
        string info = await GetTextAsync(infoUrl, "application/json");
        var json = JsonNode.Parse(info)!.AsObject();
        Assert.Equal(lon, (double)json["lon"]!, 7);
        Assert.Equal(lat, (double)json["lat"]!, 7);
        string point = await GetTextAsync($"/datasets/{dataset}/point?lon={F((double)json["lon"]!)}&lat={F((double)json["lat"]!)}&{pointQuery}", "application/json");
        Assert.Equal(point, info);
        Assert.NotEmpty(json["values"]!.AsArray());
        return json;
    }

    [Theory]
    [InlineData(400, 100, "", "sel=time=2000-01-01T00:00:00Z")]
    [InlineData(0, 359, "&TIME=2000-04-01", "sel=time=2000-04-01T00:00:00Z")]
    [InlineData(719, 0, "&TIME=2000-02-01T00:00:00Z", "sel=time=2000-02-01T00:00:00Z")]
    [InlineData(470, 130, "", "sel=time=2000-01-01T00:00:00Z")]
    public async Task Wms_feature_info_in_epsg4326_is_the_point_value_at_the_pixel_centre(int i, int j, string time, string sel)
    {
        // BBOX in latitude, longitude order: 0.5-degree pixels from (-180, 90).
        string url = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=global4326.tas&QUERY_LAYERS=global4326.tas&STYLES=&CRS=EPSG:4326" +
                     $"&BBOX=-90,-180,90,180&WIDTH=720&HEIGHT=360&I={i}&J={j}&INFO_FORMAT=application/json" + time;
        var json = await AssertSameAsPointAsync(url, "global4326", "variable=tas&" + sel, -180 + ((i + 0.5) * 0.5), 90 - ((j + 0.5) * 0.5));
        Assert.Single(json["values"]!.AsArray());
        Assert.Equal(sel[9..], (string?)json["values"]![0]!["dims"]!["time"]);
    }

    [Fact]
    public async Task Wms_feature_info_on_nodata_answers_null_and_in_web_mercator_uses_the_mercator_pixel_centre()
    {
        // Pixel (470, 130) of the 4326 map above is lon 55.25, lat 24.75: inside the nodata block.
        var nodata = JsonNode.Parse(await GetTextAsync("/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=global4326.tas&QUERY_LAYERS=global4326.tas&STYLES=" +
            "&CRS=EPSG:4326&BBOX=-90,-180,90,180&WIDTH=720&HEIGHT=360&I=470&J=130&INFO_FORMAT=application/json", "application/json"))!;
        Assert.Null(nodata["values"]![0]!["value"]);

        double minX = -15000000, maxY = 12000000, cell = 30000000.0 / 300;
        int i = 123, j = 45;
        var (lon, lat) = FromMercator(minX + ((i + 0.5) * cell), maxY - ((j + 0.5) * cell));
        string url = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=global4326.tas&QUERY_LAYERS=global4326.tas&STYLES=&CRS=EPSG:3857" +
                     $"&BBOX=-15000000,-8000000,15000000,12000000&WIDTH=300&HEIGHT=200&I={i}&J={j}&INFO_FORMAT=application/json";
        var json = await AssertSameAsPointAsync(url, "global4326", "variable=tas&sel=time=2000-01-01T00:00:00Z", lon, lat);
        Assert.NotNull(json["values"]![0]!["value"]);
    }

    [Fact]
    public async Task Wms_feature_info_takes_x_and_y_for_i_and_j_as_gdal_sends_them()
    {
        // GDAL 3.6's WMS driver names the pixel x/y (WMS 1.1) even with VERSION=1.3.0.
        string map = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=global4326.tas&QUERY_LAYERS=global4326.tas&STYLES=&CRS=EPSG:4326" +
                     "&BBOX=-90,-180,90,180&WIDTH=720&HEIGHT=360&INFO_FORMAT=application/json";
        string withIj = await GetTextAsync(map + "&I=123&J=45", "application/json");
        string withXy = await GetTextAsync(map + "&x=123&y=45", "application/json");
        Assert.Equal(withIj, withXy);
        Assert.Equal(-180 + (123.5 * 0.5), (double)JsonNode.Parse(withXy)!["lon"]!, 9);
    }

    [Fact]
    public async Task Wms_feature_info_takes_time_and_elevation_and_answers_html_and_text_with_the_same_value()
    {
        string url = "/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetFeatureInfo&LAYERS=wind.v&QUERY_LAYERS=wind.v&STYLES=&CRS=CRS:84&BBOX=4.875,49.875,7.125,52.125" +
                     "&WIDTH=9&HEIGHT=9&I=4&J=2&TIME=2017-08-20T06:00:00Z&ELEVATION=850&FEATURE_COUNT=1&INFO_FORMAT=";
        // CRS:84 is longitude first: the 0.25-degree cells of the wind grid, centre of column 4, row 2.
        var json = await AssertSameAsPointAsync(url + "application/json", "wind", "variable=v&sel=time=2017-08-20T06:00:00Z&sel=level=850", 4.875 + (4.5 * 0.25), 52.125 - (2.5 * 0.25));
        var entry = json["values"]!.AsArray().Single()!;
        Assert.Equal(850.0, (double)entry["dims"]!["level"]!);
        string value = F((double)entry["value"]!);

        string html = await GetTextAsync(url + "text/html", "text/html");
        var table = XDocument.Parse(html[html.IndexOf("<table", StringComparison.Ordinal)..(html.IndexOf("</table>", StringComparison.Ordinal) + 8)]);
        var cells = table.Descendants("tr").Skip(1).Single().Elements("td").Select(td => td.Value).ToArray();
        Assert.Equal(["v", "time=2017-08-20T06:00:00Z, level=850", value], cells);

        string text = await GetTextAsync(url + "text/plain", "text/plain");
        Assert.Contains($"v[time=2017-08-20T06:00:00Z, level=850] = {value}", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 4, 2, 10, 200)]
    [InlineData(1, 1, 0, 255, 0)]
    public async Task Wmts_feature_info_kvp_and_rest_are_the_point_value_at_the_tile_pixel_centre(int z, int col, int row, int i, int j)
    {
        double res = 2 * MercatorHalf / (256 << z);
        var (lon, lat) = FromMercator(-MercatorHalf + (((col * 256) + i + 0.5) * res), MercatorHalf - (((row * 256) + j + 0.5) * res));
        string kvp = "/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=global4326.tas&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad" +
                     $"&TILEMATRIX={z}&TILEROW={row}&TILECOL={col}&J={j}&I={i}&INFOFORMAT=application/json&TIME=2000-03-01T00:00:00Z";
        var json = await AssertSameAsPointAsync(kvp, "global4326", "variable=tas&sel=time=2000-03-01T00:00:00Z", lon, lat);
        string rest = await GetTextAsync($"/wmts/1.0.0/global4326.tas/default/2000-03-01T00:00:00Z/WebMercatorQuad/{z}/{row}/{col}/{j}/{i}.json", "application/json");
        Assert.Equal(json.ToJsonString(), JsonNode.Parse(rest)!.ToJsonString());
        string text = await GetTextAsync($"/wmts/1.0.0/global4326.tas/default/2000-03-01T00:00:00Z/WebMercatorQuad/{z}/{row}/{col}/{j}/{i}.txt", "text/plain");
        Assert.Contains("tas[time=2000-03-01T00:00:00Z] = ", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=sst.sst&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=0&TILECOL=0&J=0&I=256&INFOFORMAT=application/json", "PointIJOutOfRange", "I")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=sst.sst&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=0&TILECOL=0&J=0&I=0&INFOFORMAT=text/xml", "InvalidParameterValue", "INFOFORMAT")]
    [InlineData("/wmts?SERVICE=WMTS&REQUEST=GetFeatureInfo&VERSION=1.0.0&LAYER=sst.sst&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=1&TILEROW=0&TILECOL=0&J=0&I=0", "MissingParameterValue", "INFOFORMAT")]
    [InlineData("/wmts/1.0.0/sst.sst/default/1981-12-31T00:00:00Z/WebMercatorQuad/1/0/0/-1/3.json", "PointIJOutOfRange", "J")]
    [InlineData("/wmts/1.0.0/sst.sst/default/1981-12-31T00:00:00Z/WebMercatorQuad/1/0/0/1/3.xml", "InvalidParameterValue", "INFOFORMAT")]
    public async Task Wmts_feature_info_refuses_bad_pixels_and_formats_with_an_ows_exception(string url, string code, string locator)
    {
        var response = await _server.Client.GetAsync(url);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode} {body}");
        var exception = XDocument.Parse(body).Root!.Element(WmtsTests.Ows + "Exception")!;
        Assert.Equal(code, (string?)exception.Attribute("exceptionCode"));
        Assert.Equal(locator, (string?)exception.Attribute("locator"));
    }

    [Fact]
    public async Task Wmts_capabilities_declare_feature_info_for_every_layer()
    {
        var caps = XDocument.Parse(await GetTextAsync("/wmts/1.0.0/WMTSCapabilities.xml", "application/xml")).Root!;
        var operations = caps.Element(WmtsTests.Ows + "OperationsMetadata")!.Elements(WmtsTests.Ows + "Operation").Select(o => (string?)o.Attribute("name"));
        Assert.Contains("GetFeatureInfo", operations);
        foreach (var layer in caps.Element(WmtsTests.W + "Contents")!.Elements(WmtsTests.W + "Layer"))
        {
            Assert.Equal(["application/json", "text/html", "text/plain"], layer.Elements(WmtsTests.W + "InfoFormat").Select(f => f.Value));
            var template = layer.Elements(WmtsTests.W + "ResourceURL").Single(r => (string?)r.Attribute("resourceType") == "FeatureInfo" && (string?)r.Attribute("format") == "application/json");
            Assert.EndsWith("/{TileMatrixSet}/{TileMatrix}/{TileRow}/{TileCol}/{J}/{I}.json", (string)template.Attribute("template")!, StringComparison.Ordinal);
        }
    }
}
