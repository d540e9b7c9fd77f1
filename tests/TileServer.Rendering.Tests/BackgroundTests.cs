namespace TileServer.Rendering.Tests;

/// <summary>A background color (WMS TRANSPARENT=FALSE with BGCOLOR) paints nodata opaque in every rendering path.</summary>
public class BackgroundTests
{
    private static readonly ColormapRegistry Registry = new();
    private static readonly RgbaColor Background = new(0x12, 0x34, 0x56, 255);
    private readonly TileRenderer _renderer = new();

    public static TheoryData<int, ImageFormat, bool> Paths() => new()
    {
        { 1, ImageFormat.Png, true },    // palette PNG with a colormap
        { 1, ImageFormat.Png, false },   // grey without a colormap (normally a plain grey PNG)
        { 1, ImageFormat.Webp, true },
        { 3, ImageFormat.Png, false },   // RGB: stays 3 channels, no alpha added
        { 4, ImageFormat.Png, false },
        { 3, ImageFormat.Webp, false },
    };

    [Theory]
    [MemberData(nameof(Paths))]
    public void Nodata_takes_the_background_color_and_data_keeps_its_own(int bands, ImageFormat format, bool colormap)
    {
        const int w = 64, h = 32;
        var values = TestTiles.Ramp(w, h, withNaN: true, bands: bands);
        Assert.True(Registry.TryGet("viridis", out var viridis));
        var options = new RenderOptions
        {
            Format = format,
            Rescale = [new ValueRange(0, 1)],
            Colormap = colormap ? viridis : null,
            Background = Background,
        };
        var withBackground = ImageDecoder.Decode(_renderer.Render(values, bands, w, h, options).Bytes);
        var masked = ImageDecoder.Decode(_renderer.Render(values, bands, w, h, options with { Background = null }).Bytes);
        int nodata = 0;
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                int i = (y * w) + x;
                bool isNaN = Enumerable.Range(0, bands).Any(b => float.IsNaN(values[(b * w * h) + i]));
                var px = withBackground.Pixel(x, y);
                if (isNaN)
                {
                    nodata++;
                    Assert.Equal((Background.R, Background.G, Background.B, (byte)255), px);
                    Assert.Equal(0, masked.Pixel(x, y).A);
                }
                else if (format == ImageFormat.Png)
                {
                    Assert.Equal(masked.Pixel(x, y), px);
                }
            }
        }

        Assert.True(nodata > 0, "the test tile has nodata");
    }
}
