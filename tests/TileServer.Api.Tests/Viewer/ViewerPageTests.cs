using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Viewer;

/// <summary>The viewer page and the files it loads are served by us (MapLibre included), with the right types.</summary>
[Collection(ServerCollection.Name)]
public sealed partial class ViewerPageTests
{
    private readonly ServerFixture _server;

    public ViewerPageTests(ServerFixture server)
    {
        _server = server;
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("sst")]
    public async Task Viewer_page_is_html_with_its_configuration_and_no_external_urls(string dataset)
    {
        var response = await _server.Client.GetAsync($"/datasets/{dataset}/viewer");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        var config = JsonNode.Parse(ConfigPattern().Match(html).Groups[1].Value)!;
        Assert.Equal(dataset, (string?)config["dataset"]);
        Assert.Equal("/viewer", (string?)config["assetBase"]);
        Assert.Equal(dataset == "demo" ? null : "demo", (string?)config["basemapDataset"]);
        Assert.DoesNotMatch(@"(src|href)\s*=\s*[""']https?://", html);
    }

    [Theory]
    [InlineData("/viewer/viewer.js", "text/javascript", "maplibre-gl.mjs")]
    [InlineData("/viewer/maplibre-gl/maplibre-gl.mjs", "text/javascript", "MapLibre GL JS")]
    [InlineData("/viewer/maplibre-gl/maplibre-gl-worker.mjs", "text/javascript", "MapLibre GL JS")]
    [InlineData("/viewer/maplibre-gl/maplibre-gl.css", "text/css", ".maplibregl-map")]
    public async Task Viewer_assets_are_served_with_their_content_types(string url, string contentType, string marker)
    {
        var response = await _server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(marker, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Viewer_script_loads_maplibre_6_17_from_this_server()
    {
        string js = await _server.Client.GetStringAsync("/viewer/maplibre-gl/maplibre-gl.mjs");
        Assert.Contains("v6.17.0", js, StringComparison.Ordinal);
        string viewer = await _server.Client.GetStringAsync("/viewer/viewer.js");
        Assert.DoesNotMatch(@"https?://", viewer);
    }

    [Theory]
    [InlineData("/datasets/nope/viewer")]
    [InlineData("/viewer/viewer.html")]
    [InlineData("/viewer/../appsettings.json")]
    [InlineData("/viewer/maplibre-gl/../../TileServer.Api.dll")]
    [InlineData("/viewer/nothing.js")]
    public async Task Unknown_viewer_paths_are_404(string url)
        => await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), HttpStatusCode.NotFound);

    [GeneratedRegex("<script id=\"viewer-config\" type=\"application/json\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex ConfigPattern();
}
