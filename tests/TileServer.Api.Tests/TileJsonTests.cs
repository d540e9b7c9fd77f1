using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests;

[Collection(ServerCollection.Name)]
public sealed class TileJsonTests
{
    private readonly ServerFixture _server;

    public TileJsonTests(ServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task TileJson_describes_the_pyramid_with_its_zoom_range_and_bounds()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tiles/demo/tilejson.json"));
        Assert.Equal("3.0.0", (string?)json["tilejson"]);
        Assert.Equal($"{_server.BaseUrl}/tiles/demo/{{z}}/{{x}}/{{y}}.png", (string?)json["tiles"]![0]);
        Assert.Equal(0, (int)json["minzoom"]!);
        Assert.Equal(3, (int)json["maxzoom"]!);
        var b = json["bounds"]!.AsArray().Select(v => (double)v!).ToArray();
        Assert.Equal(-180, b[0], 6);
        Assert.Equal(-85.0511287798066, b[1], 6);
        Assert.Equal(180, b[2], 6);
        Assert.Equal(85.0511287798066, b[3], 6);
        Assert.Equal("Blue Marble imagery: NASA Visible Earth", (string?)json["attribution"]);
        Assert.Equal(3, json["center"]!.AsArray().Count);
    }

    [Fact]
    public async Task TileJson_template_carries_the_query_parameters_normalized()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tiles/sst/tilejson.json?colormap_name=Viridis&rescale=0,30&tile_format=webp&tile_scale=2"));
        string template = (string)json["tiles"]![0]!;
        Assert.StartsWith($"{_server.BaseUrl}/tiles/sst/{{z}}/{{x}}/{{y}}@2x.webp?", template, StringComparison.Ordinal);
        Assert.Contains("colormap_name=viridis", template, StringComparison.Ordinal);
        Assert.Contains("rescale=0%2C30", template, StringComparison.Ordinal);
        // The template's first tile works.
        string tileUrl = template.Replace("{z}", "0", StringComparison.Ordinal).Replace("{x}", "0", StringComparison.Ordinal).Replace("{y}", "0", StringComparison.Ordinal);
        var tile = await _server.Client.GetAsync(tileUrl);
        Assert.True(tile.IsSuccessStatusCode);
        Assert.Equal("image/webp", tile.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task TileJson_of_a_small_utm_scene_has_its_wgs84_bounds_and_deep_zooms()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tiles/landsat/tilejson.json"));
        var b = json["bounds"]!.AsArray().Select(v => (double)v!).ToArray();
        // 7.95–8.04°S, 34.83–34.92°W (the scene's published extent).
        Assert.InRange(b[0], -34.93, -34.90);
        Assert.InRange(b[2], -34.84, -34.81);
        Assert.InRange(b[1], -8.05, -8.02);
        Assert.InRange(b[3], -7.96, -7.93);
        Assert.Equal(13, (int)json["maxzoom"]!);
        Assert.InRange((int)json["minzoom"]!, 8, 12);
    }

    [Fact]
    public async Task TileJson_in_another_tile_matrix_set_uses_its_path()
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/tiles/sst/WorldCRS84Quad/tilejson.json"));
        Assert.Equal($"{_server.BaseUrl}/tiles/sst/WorldCRS84Quad/{{z}}/{{x}}/{{y}}.png", (string?)json["tiles"]![0]);
    }
}
