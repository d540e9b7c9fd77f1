using System.Net;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests;

/// <summary>Client mistakes get 400/404 problem+json naming what was wrong; never a 500 or a stack trace.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests
{
    private readonly ServerFixture _server;

    public BadInputTests(ServerFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("/tiles/nope/0/0/0.png", "nope")]
    [InlineData("/tiles/nope/tilejson.json", "nope")]
    [InlineData("/datasets/nope", "nope")]
    [InlineData("/tiles/demo/NoSuchTms/0/0/0.png", "NoSuchTms")]
    [InlineData("/tiles/demo/0/1/0.png", "outside")]
    [InlineData("/tiles/demo/3/0/8.png", "outside")]
    [InlineData("/tiles/demo/25/0/0.png", "25")]
    [InlineData("/tiles/demo/0/0/0.png?variable=nope", "nope")]
    [InlineData("/no/such/route", "/no/such/route")]
    public async Task Not_found_names_the_missing_thing(string url, string named)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.NotFound);
        Assert.Contains(named, (string?)problem["detail"] ?? "", StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/tiles/demo/a/0/0.png", "z")]
    [InlineData("/tiles/demo/0/x/0.png", "x")]
    [InlineData("/tiles/demo/0/0/y.png", "y")]
    [InlineData("/tiles/demo/0/0/0.gif", "format")]
    [InlineData("/tiles/demo/0/0/0@9x.png", "y")]
    [InlineData("/tiles/demo/0/0/-1.png", "y")]
    [InlineData("/tiles/sst/0/0/0.png?rescale=abc", "rescale")]
    [InlineData("/tiles/sst/0/0/0.png?rescale=5,1", "rescale")]
    [InlineData("/tiles/sst/0/0/0.png?colormap_name=nope", "colormap_name")]
    [InlineData("/tiles/sst/0/0/0.png?colormap={bad", "colormap")]
    [InlineData("/tiles/sst/0/0/0.png?resampling=magic", "resampling")]
    [InlineData("/tiles/sst/0/0/0.png?tilesize=100000", "tilesize")]
    [InlineData("/tiles/sst/0/0/0.png?sel=depth=3", "sel")]
    [InlineData("/tiles/sst/0/0/0.png?sel=time=1999-01-01", "sel")]
    [InlineData("/tiles/sst/0/0/0.png?sel=time", "sel")]
    [InlineData("/tiles/sst/0/0/0.png?nodata=x", "nodata")]
    [InlineData("/tiles/sst/0/0/0.png?return_mask=maybe", "return_mask")]
    [InlineData("/tiles/demo/0/0/0.png?bidx=7", "bidx")]
    [InlineData("/tiles/demo/0/0/0.png?bidx=0", "bidx")]
    [InlineData("/tiles/demo/0/0/0.png?quality=101", "quality")]
    [InlineData("/tiles/demo/tilejson.json?tile_format=tiff", "tile_format")]
    public async Task Bad_parameters_are_400_naming_the_parameter(string url, string parameter)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.BadRequest);
        Assert.Equal(parameter, (string?)problem["parameter"]);
    }

    [Fact]
    public async Task An_image_client_still_gets_a_problem_body_and_errors_are_not_cacheable()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/sst/1/0/0.png?rescale=9,1");
        request.Headers.Accept.ParseAdd("image/png");
        var response = await _server.Client.SendAsync(request);
        var problem = await HttpAssert.ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("rescale", (string?)problem["parameter"]);
        Assert.Null(response.Headers.ETag);
        Assert.True(response.Headers.CacheControl?.NoStore, "errors carry Cache-Control: no-store");
    }

    [Fact]
    public async Task A_dataset_that_failed_to_open_answers_503_with_the_reason()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/tiles/broken/0/0/0.png"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains("broken", (string?)problem["detail"] ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task Random_query_parameters_never_cause_a_server_error()
    {
        var random = new Random(20261127);
        string[] keys = ["variable", "sel", "sel_method", "bidx", "rescale", "colormap_name", "colormap", "nodata", "resampling", "return_mask", "tilesize", "quality", "tile_format"];
        string[] values = ["", "-1", "0", "1", "2,1", "1,2", "nan", "inf", "1e400", "time=", "=x", "time=2000", "band=99", "{}", "{\"0\":[1,2,3]}", "[[[0,1],[1,2,3,4]]]", "%00", "viridis", "ニ", new string('9', 40), "true", "nearest", "3,2,1", "a=b=c"];
        string[] paths = ["/tiles/sst/1/0/0.png", "/tiles/demo/0/0/0.webp", "/tiles/landsat/11/825/1069.npy", "/tiles/sst/tilejson.json", "/tiles/wind/5/16/10.jpg"];
        for (int i = 0; i < 150; i++)
        {
            var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => keys[random.Next(keys.Length)] + "=" + Uri.EscapeDataString(values[random.Next(values.Length)]));
            string url = paths[random.Next(paths.Length)] + "?" + string.Join("&", parts);
            var response = await _server.Client.GetAsync(url);
            Assert.True((int)response.StatusCode < 500, $"{url} -> {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
