using Microsoft.Extensions.Primitives;
using TileServer.Documents.Requests;
using TileServer.Documents.Wmts;
using TileServer.Rendering;

namespace TileServer.Documents.Tests.Wmts;

public class WmtsRequestsTests
{
    private static RequestParameters Kvp(string query)
        => new(query.Split('&').Select(p => p.Split('=', 2)).GroupBy(p => p[0]).Select(g => new KeyValuePair<string, StringValues>(g.Key, g.Select(p => p[1]).ToArray())));

    private const string GetTile = "SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=demo.rgb&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=2&TILEROW=1&TILECOL=3";

    [Fact]
    public void GetCapabilities_asks_for_no_tile()
    {
        Assert.Null(WmtsRequests.ParseKvp(Kvp("service=wmts&request=GetCapabilities")));
        Assert.Null(WmtsRequests.ParseKvp(Kvp("SERVICE=WMTS&REQUEST=GetCapabilities&ACCEPTVERSIONS=2.0.0,1.0.0")));
        var e = Assert.Throws<OwsException>(() => WmtsRequests.ParseKvp(Kvp("SERVICE=WMTS&REQUEST=GetCapabilities&ACCEPTVERSIONS=2.0.0")));
        Assert.Equal(("VersionNegotiationFailed", "ACCEPTVERSIONS"), (e.Code, e.Locator));
    }

    [Fact]
    public void GetTile_names_its_tile_and_format_in_any_case()
    {
        var r = WmtsRequests.ParseKvp(Kvp(GetTile.ToLowerInvariant().Replace("image/png", "image/jpg", StringComparison.Ordinal)))!;
        Assert.Equal(("demo.rgb", "default", "webmercatorquad", "2", "1", "3"), (r.LayerId, r.Style, r.TileMatrixSet, r.TileMatrix, r.TileRow, r.TileCol));
        Assert.Equal(ImageFormat.Jpeg, r.Format);
        Assert.Null(r.FeatureInfo);
    }

    [Theory]
    [InlineData("SERVICE=WMS&REQUEST=GetTile", "InvalidParameterValue", "SERVICE")]
    [InlineData("SERVICE=WMTS&REQUEST=GetMap", "InvalidParameterValue", "REQUEST")]
    [InlineData("SERVICE=WMTS&REQUEST=GetTile&LAYER=a", "MissingParameterValue", "STYLE")]
    [InlineData("SERVICE=WMTS&REQUEST=GetTile&LAYER=a&LAYER=b", "InvalidParameterValue", "LAYER")]
    [InlineData(GetTile + "&VERSION=2.0.0", "InvalidParameterValue", "VERSION")]
    public void A_malformed_request_is_an_exception_naming_the_parameter(string query, string code, string locator)
    {
        var e = Assert.Throws<OwsException>(() => WmtsRequests.ParseKvp(Kvp(query)));
        Assert.Equal((400, code, locator), (e.Status, e.Code, e.Locator));
    }

    [Fact]
    public void GetFeatureInfo_adds_the_pixel_and_its_info_format()
    {
        var r = WmtsRequests.ParseKvp(Kvp(GetTile.Replace("GetTile", "GetFeatureInfo", StringComparison.Ordinal) + "&I=10&J=20&INFOFORMAT=text/html"))!;
        Assert.Equal(("10", "20", "text/html"), r.FeatureInfo);
        var e = Assert.Throws<OwsException>(() => WmtsRequests.ParseKvp(Kvp(GetTile.Replace("GetTile", "GetFeatureInfo", StringComparison.Ordinal) + "&I=10&INFOFORMAT=text/html")));
        Assert.Equal("J", e.Locator);
    }

    [Fact]
    public void Failures_outside_wmts_name_the_wmts_parameter_or_no_code()
    {
        Assert.Equal(("InvalidParameterValue", "TILEMATRIX"), (WmtsRequests.Failure(404, "z", "no").Code, WmtsRequests.Failure(404, "z", "no").Locator));
        Assert.Equal("LAYER", WmtsRequests.Failure(400, "variable", "no").Locator);
        var unavailable = WmtsRequests.Failure(503, "dataset", "down");
        Assert.Equal((503, "NoApplicableCode", (string?)null), (unavailable.Status, unavailable.Code, unavailable.Locator));
    }

    [Fact]
    public void A_rest_path_has_at_least_six_segments()
    {
        Assert.Equal(6, WmtsRequests.SplitRestPath("demo.rgb/default/WebMercatorQuad/2/1/3.png").Length);
        Assert.Equal("TILECOL", Assert.Throws<OwsException>(() => WmtsRequests.SplitRestPath("demo.rgb/WebMercatorQuad/2/1/3.png")).Locator);
    }
}
