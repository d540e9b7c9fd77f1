using System.Net;
using System.Net.Http.Headers;
using System.Xml.Linq;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Reliability;

/// <summary>Hostile or sloppy requests are refused before any work, with a status and a body that name the limit.</summary>
[Collection(ServerCollection.Name)]
public sealed class RequestGuardTests
{
    private readonly ServerFixture _server;

    public RequestGuardTests(ServerFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("/tiles/demo/0/0/0.png?quality=50&quality=60", "quality")]
    [InlineData("/tiles/demo/WebMercatorQuad/0/0/0.png?return_mask=true&return_mask=false", "return_mask")]
    [InlineData("/tiles/demo/tilejson.json?tile_format=png&tile_format=webp", "tile_format")]
    [InlineData("/datasets/sst/point?lon=10&lon=20&lat=0", "lon")]
    [InlineData("/datasets/sst/preview.png?max_size=64&max_size=128", "max_size")]
    [InlineData("/datasets/sst/legend.json?colormap_name=viridis&colormap_name=magma", "colormap_name")]
    [InlineData("/collections?f=json&f=html", "f")]
    [InlineData("/collections/demo.data/tiles/WebMercatorQuad/0/0/0?f=png&f=webp", "f")]
    [InlineData("/colorMaps/viridis?format=png&format=json", "format")]
    [InlineData("/datasets?x=1&x=2", "x")]
    public async Task A_repeated_single_valued_parameter_is_400_on_every_route(string url, string parameter)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal(parameter, (string?)problem["parameter"]);
    }

    [Theory]
    [InlineData("LAYER=demo.data&LAYER=sst.sst", "LAYER")]
    [InlineData("LAYER=demo.data&layer=sst.sst", "LAYER")]
    [InlineData("LAYER=demo.data&TILEROW=0&TileRow=1", "TILEROW")]
    public async Task WMTS_refuses_a_repeated_parameter_with_an_exception_report(string repeated, string locator)
    {
        string url = "/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&STYLE=default&FORMAT=image/png&TILEMATRIXSET=WebMercatorQuad&TILEMATRIX=0&TILECOL=0&"
            + (repeated.Contains("TILEROW", StringComparison.Ordinal) ? repeated : repeated + "&TILEROW=0");
        var response = await _server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var report = XDocument.Parse(await response.Content.ReadAsStringAsync());
        var exception = report.Descendants().Single(e => e.Name.LocalName == "Exception");
        Assert.Equal("InvalidParameterValue", (string?)exception.Attribute("exceptionCode"));
        Assert.Equal(locator, (string?)exception.Attribute("locator"), StringComparer.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("image/*;q=0")]
    [InlineData("image/png;q=0, */*")]
    [InlineData("text/html, image/png;q=0")]
    public async Task A_tile_whose_type_the_client_refuses_is_406(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/demo/0/0/0.png");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        await HttpAssert.ProblemAsync(await _server.Client.SendAsync(request), HttpStatusCode.NotAcceptable);
    }

    [Theory]
    [InlineData("image/webp;q=0, image/png")]
    [InlineData("image/*;q=0, image/png;q=0.5")]
    [InlineData("text/html")]
    public async Task A_tile_the_client_does_not_refuse_is_served(string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/demo/0/0/0.png");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        var response = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_long_query_string_is_414_naming_it()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/tiles/demo/0/0/0.png?variable=" + new string('a', 7000)), HttpStatusCode.RequestUriTooLong);
        Assert.Equal("query", (string?)problem["parameter"]);
    }

    [Theory]
    [InlineData("colormap_name", 2000, "colormap_name")]
    [InlineData("colormap", 7000, "query")]
    public async Task An_oversized_value_is_refused_naming_it(string parameter, int length, string named)
    {
        var response = await _server.Client.GetAsync($"/tiles/sst/0/0/0.png?{parameter}=" + new string('x', length));
        var problem = await HttpAssert.ProblemAsync(response, named == "query" ? HttpStatusCode.RequestUriTooLong : HttpStatusCode.BadRequest);
        Assert.Equal(named, (string?)problem["parameter"]);
    }

    [Fact]
    public async Task Too_many_selections_or_bands_are_400_naming_the_parameter()
    {
        string sels = string.Join("&", Enumerable.Range(0, 40).Select(i => $"sel=d{i}=1"));
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/tiles/sst/0/0/0.png?" + sels), HttpStatusCode.BadRequest);
        Assert.Equal("sel", (string?)problem["parameter"]);
        string bidx = string.Join(",", Enumerable.Range(1, 40));
        problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/tiles/demo/0/0/0.png?bidx=" + bidx), HttpStatusCode.BadRequest);
        Assert.Equal("bidx", (string?)problem["parameter"]);
    }

    [Fact]
    public async Task Oversized_headers_are_refused_by_the_server_with_431()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        for (int i = 0; i < 80; i++)
        {
            request.Headers.TryAddWithoutValidation("X-Filler-" + i, "1");
        }

        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await _server.Client.SendAsync(request)).StatusCode);
        using var big = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        big.Headers.TryAddWithoutValidation("X-Big", new string('b', 40 * 1024));
        Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, (await _server.Client.SendAsync(big)).StatusCode);
    }

    [Theory]
    [InlineData("/tiles/demo/0/0/0.png")]
    [InlineData("/tiles/demo/0/0/0.gif")]
    [InlineData("/no/such/route")]
    [InlineData("/healthz")]
    [InlineData("/datasets")]
    public async Task Every_response_says_nosniff(string url)
    {
        var response = await _server.Client.GetAsync(url);
        Assert.True(response.Headers.TryGetValues("X-Content-Type-Options", out var values), $"{url}: no X-Content-Type-Options");
        Assert.Equal("nosniff", Assert.Single(values));
    }

    [Fact]
    public async Task Forwarded_headers_from_an_unconfigured_proxy_do_not_change_links()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/demo/tilejson.json");
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.9");
        var tilejson = await HttpAssert.JsonAsync(await _server.Client.SendAsync(request));
        string tiles = (string)tilejson["tiles"]![0]!;
        Assert.StartsWith(_server.BaseUrl + "/", tiles, StringComparison.Ordinal);
        Assert.DoesNotContain("evil.example", tilejson.ToJsonString(), StringComparison.Ordinal);
    }
}
