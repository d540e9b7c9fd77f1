using System.Net;
using SkiaSharp;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests;

/// <summary>Rendered images: valid files of the right size, nodata transparent, values mapped to the expected colors.</summary>
[Collection(ServerCollection.Name)]
public sealed class TileImageTests
{
    private readonly ServerFixture _server;

    public TileImageTests(ServerFixture server)
    {
        _server = server;
    }

    private static SKBitmap Decode(byte[] bytes)
    {
        var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        return bitmap;
    }

    [Theory]
    [InlineData("/tiles/demo/0/0/0.png", 256, "image/png")]
    [InlineData("/tiles/demo/2/3/1@2x.png", 512, "image/png")]
    [InlineData("/tiles/demo/1/0/0.webp", 256, "image/webp")]
    [InlineData("/tiles/demo/1/1/0.jpg", 256, "image/jpeg")]
    [InlineData("/tiles/sst/1/1/1.png", 256, "image/png")]
    [InlineData("/tiles/landsat/12/1651/2139.png", 256, "image/png")]
    [InlineData("/tiles/demo/WorldCRS84Quad/0/0/0.png", 256, "image/png")]
    public async Task Tiles_are_valid_images_of_the_requested_size(string url, int size, string contentType)
    {
        var response = await _server.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        using var bitmap = Decode(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(size, bitmap.Width);
        Assert.Equal(size, bitmap.Height);
        Assert.True(response.Headers.ETag is not null, "tiles carry an ETag");
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
        Assert.True(response.Headers.Contains("Server-Timing"));
    }

    [Fact]
    public async Task Demo_pyramid_tile_pixels_equal_the_gdalwarp_reference_colors()
    {
        // Level z of the pyramid is the tile itself: the PNG's RGB must be the reference values exactly.
        var bytes = await _server.Client.GetByteArrayAsync("/tiles/demo/2/3/2.png");
        using var bitmap = Decode(bytes);
        var (_, reference) = Npy.ReadFloat32(Paths.RealData("blue-marble", "ref", "pyramid", "2_3_2_near.npy"));
        int plane = 256 * 256, mismatches = 0;
        for (int y = 0; y < 256; y++)
        {
            for (int x = 0; x < 256; x++)
            {
                var c = bitmap.GetPixel(x, y);
                int i = (y * 256) + x;
                if (c.Red != (byte)reference[i] || c.Green != (byte)reference[plane + i] || c.Blue != (byte)reference[(2 * plane) + i] || c.Alpha != 255)
                {
                    mismatches++;
                }
            }
        }

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public async Task Nodata_is_transparent_and_values_map_to_the_colormap()
    {
        // Europe (3/4/2): land is the fill value -999 in OISST -> transparent; sea is colored by viridis over -2..32.
        var png = Decode(await _server.Client.GetByteArrayAsync("/tiles/sst-ref/3/4/2.png?rescale=-2,32&colormap_name=viridis&resampling=nearest"));
        var (_, values) = Npy.ReadFloat32(await _server.Client.GetByteArrayAsync("/tiles/sst-ref/3/4/2.npy?resampling=nearest"));
        var (_, reference) = Npy.ReadFloat32(Paths.RealData("sst", "ref", "sst", "3_4_2_near.npy"));
        var viridis = await ColormapStops("viridis");
        int transparentChecked = 0, coloredChecked = 0;
        for (int i = 0; i < 256 * 256; i += 7)
        {
            var c = png.GetPixel(i % 256, i / 256);
            if (float.IsNaN(values[i]))
            {
                Assert.Equal(0, c.Alpha);
                transparentChecked++;
                continue;
            }

            Assert.Equal(255, c.Alpha);
            int index = (int)Math.Clamp(Math.Round((values[i] + 2) / 34.0 * 255), 0, 255);
            var expected = viridis[index];
            Assert.True(Math.Abs(c.Red - expected.R) <= 3 && Math.Abs(c.Green - expected.G) <= 3 && Math.Abs(c.Blue - expected.B) <= 3,
                $"pixel {i}: value {values[i]} -> {c}, expected about {expected}");
            coloredChecked++;
        }

        Assert.True(transparentChecked > 100 && coloredChecked > 100, $"{transparentChecked} transparent, {coloredChecked} colored");
        // The land mask is GDAL's, not ours.
        Assert.Equal(reference.Count(float.IsNaN), values.Count(float.IsNaN));
    }

    [Fact]
    public async Task Return_mask_false_gives_an_opaque_tile()
    {
        var png = Decode(await _server.Client.GetByteArrayAsync("/tiles/sst-ref/3/4/2.png?return_mask=false"));
        for (int i = 0; i < 256 * 256; i += 13)
        {
            Assert.Equal(255, png.GetPixel(i % 256, i / 256).Alpha);
        }
    }

    [Fact]
    public async Task A_tile_outside_the_data_is_a_transparent_png()
    {
        // Landsat covers a few km near Recife; tile 12/0/0 is the Arctic.
        var response = await _server.Client.GetAsync("/tiles/landsat/12/0/0.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var png = Decode(await response.Content.ReadAsByteArrayAsync());
        for (int i = 0; i < 256 * 256; i += 17)
        {
            Assert.Equal(0, png.GetPixel(i % 256, i / 256).Alpha);
        }
    }

    [Fact]
    public async Task Conditional_request_with_the_etag_gets_304()
    {
        var first = await _server.Client.GetAsync("/tiles/demo/1/1/1.png");
        var etag = first.Headers.ETag!;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/tiles/demo/1/1/1.png");
        request.Headers.IfNoneMatch.Add(etag);
        var second = await _server.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
    }

    [Fact]
    public async Task Equivalent_queries_share_one_etag()
    {
        var a = await _server.Client.GetAsync("/tiles/sst/1/0/0.png?rescale=-2,32&colormap_name=viridis");
        var b = await _server.Client.GetAsync("/tiles/sst/1/0/0.png?colormap_name=VIRIDIS&rescale=-2.0,32");
        Assert.Equal(a.Headers.ETag, b.Headers.ETag);
    }

    private async Task<List<(byte R, byte G, byte B)>> ColormapStops(string name)
    {
        // The colormap as the palette of a 256-value ramp rendered by the server would be circular; read the
        // published matplotlib table shipped as data instead.
        var registry = new TileServer.Rendering.ColormapRegistry();
        Assert.True(registry.TryGet(name, out var cm));
        await Task.CompletedTask;
        return Enumerable.Range(0, 256).Select(i => (cm[i].R, cm[i].G, cm[i].B)).ToList();
    }
}
