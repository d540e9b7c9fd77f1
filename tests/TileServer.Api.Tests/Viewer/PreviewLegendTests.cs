using System.Net;
using System.Text.Json.Nodes;
using SkiaSharp;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Viewer;

/// <summary>Previews (size, format, transparency, north up), colormap JSON against matplotlib's colors, legends.</summary>
[Collection(ServerCollection.Name)]
public sealed class PreviewLegendTests
{
    private readonly ServerFixture _server;

    public PreviewLegendTests(ServerFixture server)
    {
        _server = server;
    }

    private async Task<(SKBitmap Bitmap, HttpResponseMessage Response)> ImageAsync(string url, string contentType)
    {
        var response = await _server.Client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return (bitmap, response);
    }

    [Theory]
    [InlineData("/datasets/sst/preview.png", "image/png", 180, 90)] // native 2° grid is below the bound: not upsampled
    [InlineData("/datasets/demo/preview.jpg?max_size=300", "image/jpeg", 256, 256)] // level "1" (512 px) read every 2nd pixel
    [InlineData("/datasets/demo/preview.webp?max_size=1000", "image/webp", 512, 512)] // level "2" (1024 px), stride 2
    [InlineData("/datasets/landsat/preview.png?max_size=100", "image/png", 88, 88)] // level "1" (176×175), stride 2
    [InlineData("/datasets/landsat/preview.png", "image/png", 349, 352)] // finest level 352 rows × 349 columns
    [InlineData("/datasets/wind/preview.png?variable=v&sel=time=2017-08-20T06:00:00Z&sel=level=850", "image/png", 9, 9)]
    public async Task Previews_have_the_bounded_native_size_and_format(string url, string contentType, int width, int height)
    {
        var (bitmap, response) = await ImageAsync(url, contentType);
        using (bitmap)
        {
            Assert.Equal(width, bitmap.Width);
            Assert.Equal(height, bitmap.Height);
        }

        Assert.NotNull(response.Headers.ETag);
    }

    [Fact]
    public async Task Sst_preview_is_north_up_with_transparent_land_unless_return_mask_is_false()
    {
        // OISST stores latitudes ascending (south first). North up: the top row is the Arctic Ocean (valid SST,
        // about -1.7 °C at 89°N) and the bottom row Antarctica (no data), both checked with /point.
        var north = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/sst/point?lon=11&lat=89&variable=sst"));
        var south = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/sst/point?lon=11&lat=-89&variable=sst"));
        Assert.NotNull(north["values"]![0]!["value"]);
        Assert.Null(south["values"]![0]!["value"]);

        var (bitmap, _) = await ImageAsync("/datasets/sst/preview.png", "image/png");
        using (bitmap)
        {
            int col = 5; // lon 10-12 on the 0..360 grid
            Assert.Equal(255, bitmap.GetPixel(col, 0).Alpha);
            Assert.Equal(0, bitmap.GetPixel(col, bitmap.Height - 1).Alpha);
            // Sahara (lon 10-12, lat 24-26 -> row 32) is land: transparent.
            Assert.Equal(0, bitmap.GetPixel(col, 32).Alpha);
        }

        var (opaque, _) = await ImageAsync("/datasets/sst/preview.png?return_mask=false", "image/png");
        using (opaque)
        {
            Assert.Equal(255, opaque.GetPixel(5, 32).Alpha);
        }
    }

    [Fact]
    public async Task Preview_colors_follow_rescale_and_colormap_parameters()
    {
        // With rescale -2,32 and viridis, 28.09 °C at lon 0.5, lat 0.5 (the OISST sample) maps to index round((28.09+2)/34*255).
        var (bitmap, _) = await ImageAsync("/datasets/sst/preview.png?colormap_name=viridis&rescale=-2,32", "image/png");
        var viridis = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/colorMaps/viridis"));
        using (bitmap)
        {
            var pixel = bitmap.GetPixel(0, 44); // col 0 = lon 0-2; row 44 = lat 0-2 counted from the north
            int index = (int)Math.Round((28.09 - -2) / 34 * 255);
            var expected = viridis[index.ToString(System.Globalization.CultureInfo.InvariantCulture)]!.AsArray();
            Assert.True(Math.Abs(pixel.Red - (int)expected[0]!) <= 3 && Math.Abs(pixel.Green - (int)expected[1]!) <= 3 && Math.Abs(pixel.Blue - (int)expected[2]!) <= 3,
                $"pixel {pixel} vs viridis[{index}] {expected.ToJsonString()}");
        }
    }

    [Theory]
    [InlineData("/datasets/sst/preview.png?max_size=5000", HttpStatusCode.BadRequest)]
    [InlineData("/datasets/sst/preview.png?max_size=0", HttpStatusCode.BadRequest)]
    [InlineData("/datasets/sst/preview.png?colormap_name=nope", HttpStatusCode.BadRequest)]
    [InlineData("/datasets/sst/preview.gif", HttpStatusCode.NotFound)]
    [InlineData("/datasets/nope/preview.png", HttpStatusCode.NotFound)]
    public async Task Bad_preview_requests_are_problems(string url, HttpStatusCode status)
        => await HttpAssert.ProblemAsync(await _server.Client.GetAsync(url), status);

    [Fact]
    public async Task Colormap_list_links_and_viridis_has_matplotlibs_end_colors()
    {
        var list = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/colorMaps"));
        var names = list["colorMaps"]!.AsArray().Select(n => (string)n!).ToList();
        Assert.Contains("viridis", names);
        Assert.Contains("viridis_r", names);
        Assert.Contains(list["links"]!.AsArray(), l => ((string)l!["href"]!).EndsWith("/colorMaps/{colorMapId}", StringComparison.Ordinal));

        var viridis = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/colorMaps/viridis"));
        Assert.Equal(256, viridis.Count);
        Assert.Equal("[68,1,84,255]", viridis["0"]!.ToJsonString()); // #440154
        Assert.Equal("[253,231,37,255]", viridis["255"]!.ToJsonString()); // #fde725
        var reversed = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/colorMaps/viridis_r"));
        Assert.Equal("[253,231,37,255]", reversed["0"]!.ToJsonString());

        var (bar, _) = await ImageAsync("/colorMaps/viridis?format=png", "image/png");
        using (bar)
        {
            Assert.Equal(new SKColor(0x44, 0x01, 0x54), bar.GetPixel(0, 10));
            Assert.Equal(new SKColor(0xfd, 0xe7, 0x25), bar.GetPixel(bar.Width - 1, 10));
        }

        await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/colorMaps/no-such-map"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Legend_png_decodes_and_shows_the_colormap_between_the_ticks()
    {
        var (bitmap, _) = await ImageAsync("/datasets/sst/legend.png?colormap_name=viridis&rescale=0,30", "image/png");
        using (bitmap)
        {
            Assert.True(bitmap.Width >= 256, "the bar spans at least 256 pixels");
            // The bar's ends are viridis' first and last colors (bar from x=12 to width-12, rows 6..24).
            var left = bitmap.GetPixel(12, 14);
            var right = bitmap.GetPixel(bitmap.Width - 13, 14);
            Assert.Equal(new SKColor(0x44, 0x01, 0x54), left);
            Assert.Equal(new SKColor(0xfd, 0xe7, 0x25), right);
        }
    }

    [Fact]
    public async Task Legend_json_tells_the_effective_defaults_and_labels()
    {
        // The sst demo is configured with rescale -2,32 and turbo.
        var legend = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/sst/legend.json"));
        Assert.Equal(-2, (double)legend["min"]!);
        Assert.Equal(32, (double)legend["max"]!);
        Assert.Equal("turbo", (string?)legend["colormap_name"]);
        Assert.Equal("degree_C", (string?)legend["units"]);
        Assert.Equal(256, legend["colors"]!.AsArray().Count);
        var labels = legend["ticks"]!.AsArray().Select(t => (string)t!["label"]!).ToList();
        Assert.Equal("-2", labels[0]);
        Assert.Equal("32", labels[^1]);
        Assert.EndsWith("/datasets/sst/legend.png", (string)legend["image"]!, StringComparison.Ordinal);

        var custom = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/sst/legend.json?colormap_name=viridis&rescale=0,10"));
        Assert.Equal("#440154", (string?)custom["colors"]![0]);
        Assert.Equal(10, (double)custom["max"]!);
    }

    [Fact]
    public async Task Rgb_datasets_have_no_legend_image_but_a_json_description()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/demo/legend.png"), HttpStatusCode.NotFound);
        Assert.Contains("bands", (string?)problem["detail"], StringComparison.Ordinal);
        var legend = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/landsat/legend.json"));
        Assert.Equal(3, (int)legend["bands"]!);
        Assert.Equal(20, (double)legend["min"]!); // configured rescale 20,160
        Assert.Null(legend["image"]);
    }
}
