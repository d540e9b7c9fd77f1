using System.Buffers.Binary;

namespace TileServer.Rendering.Tests;

public class PngRenderTests
{
    private static readonly ColormapRegistry Registry = new();
    private readonly TileRenderer _renderer = new();

    [Fact]
    public void Colormapped_single_band_is_a_palette_png_that_round_trips_indices_colors_and_transparency()
    {
        const int w = 256, h = 256;
        var values = TestTiles.Ramp(w, h, withNaN: true);
        Assert.True(Registry.TryGet("viridis", out var viridis));
        var options = new RenderOptions { Rescale = [new ValueRange(0, 0.8)], Colormap = viridis };

        var result = _renderer.Render(values, 1, w, h, options);
        Assert.Equal("image/png", result.ContentType);

        // Structure: color type 3, 8-bit, PLTE + tRNS, one byte per pixel after inflate.
        var chunks = ImageDecoder.PngChunks(result.Bytes);
        Assert.Equal(["IHDR", "PLTE", "tRNS", "IDAT", "IEND"], chunks.Select(c => c.Type));
        var ihdr = chunks[0].Data;
        Assert.Equal(w, BinaryPrimitives.ReadInt32BigEndian(ihdr));
        Assert.Equal(h, BinaryPrimitives.ReadInt32BigEndian(ihdr.AsSpan(4)));
        Assert.Equal(8, ihdr[8]);
        Assert.Equal(3, ihdr[9]);
        var plte = chunks[1].Data;
        var trns = chunks[2].Data;
        var inflated = ImageDecoder.Inflate(chunks);
        Assert.Equal((w + 1) * h, inflated.Length);
        var indices = ImageDecoder.Unfilter(inflated, w, h, 1);

        // Independent decode: every pixel's color is viridis at the TiTiler index, NaN is transparent.
        var decoded = ImageDecoder.Decode(result.Bytes);
        Assert.Equal((w, h), (decoded.Width, decoded.Height));
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var v = values[(y * w) + x];
                var index = indices[(y * w) + x];
                var px = decoded.Pixel(x, y);
                if (float.IsNaN(v))
                {
                    Assert.Equal(0, trns[index]);
                    Assert.Equal(0, px.A);
                    continue;
                }

                var expected = viridis[TestTiles.Index(v, 0, 0.8)];
                Assert.Equal(expected, new RgbaColor(plte[index * 3], plte[(index * 3) + 1], plte[(index * 3) + 2], index < trns.Length ? trns[index] : (byte)255));
                Assert.Equal((expected.R, expected.G, expected.B, (byte)255), px);
            }
        }

        AssertPngCheckPasses(result.Bytes);
    }

    [Fact]
    public void Rescale_clamps_and_truncates_like_titiler()
    {
        float[] values = [-5f, 0f, 4.99f, 5f, 10f, 15f, float.NaN, 9.99f];
        var result = _renderer.Render(values, 1, 8, 1, new RenderOptions { Rescale = [new ValueRange(0, 10)] });
        var d = ImageDecoder.Decode(result.Bytes);
        byte[] expectedGrey = [0, 0, 127, 127, 255, 255, 0, 254];
        for (var x = 0; x < 8; x++)
        {
            var px = d.Pixel(x, 0);
            if (x == 6)
            {
                Assert.Equal(0, px.A);
                continue;
            }

            Assert.Equal((expectedGrey[x], expectedGrey[x], expectedGrey[x], (byte)255), px);
        }
    }

    [Fact]
    public void Grey_without_nodata_is_a_plain_greyscale_png()
    {
        float[] values = [0, 64, 128, 255, 300, -1];
        var result = _renderer.Render(values, 1, 3, 2, new RenderOptions());
        var chunks = ImageDecoder.PngChunks(result.Bytes);
        Assert.Equal(0, chunks[0].Data[9]); // color type grey
        var d = ImageDecoder.Decode(result.Bytes);
        Assert.Equal((64, 64, 64, 255), ToInts(d.Pixel(1, 0)));
        Assert.Equal((255, 255, 255, 255), ToInts(d.Pixel(0, 1)));
        Assert.Equal((0, 0, 0, 255), ToInts(d.Pixel(2, 1)));
        AssertPngCheckPasses(result.Bytes);
    }

    [Fact]
    public void Without_mask_nodata_is_opaque_first_color()
    {
        Assert.True(Registry.TryGet("magma", out var magma));
        float[] values = [float.NaN, 1f];
        var result = _renderer.Render(values, 1, 2, 1, new RenderOptions { Rescale = [new ValueRange(0, 1)], Colormap = magma, ReturnMask = false });
        var d = ImageDecoder.Decode(result.Bytes);
        Assert.Equal((magma[0].R, magma[0].G, magma[0].B, (byte)255), d.Pixel(0, 0));
        Assert.Equal((magma[255].R, magma[255].G, magma[255].B, (byte)255), d.Pixel(1, 0));
    }

    [Fact]
    public void Nodata_with_all_256_colors_in_use_still_renders_transparent()
    {
        // 256 distinct levels plus NaN: no palette index is free, so the renderer must fall back to RGBA.
        var values = new float[257];
        for (var i = 0; i < 256; i++) values[i] = i;
        values[256] = float.NaN;
        Assert.True(Registry.TryGet("turbo", out var turbo));
        var result = _renderer.Render(values, 1, 257, 1, new RenderOptions { Colormap = turbo });
        var d = ImageDecoder.Decode(result.Bytes);
        for (var i = 0; i < 256; i++) Assert.Equal((turbo[i].R, turbo[i].G, turbo[i].B, (byte)255), d.Pixel(i, 0));
        Assert.Equal(0, d.Pixel(256, 0).A);
        AssertPngCheckPasses(result.Bytes);
    }

    [Fact]
    public void Discrete_custom_colormap_draws_listed_values_and_hides_the_rest()
    {
        var cm = Colormap.ParseJson("""{"1": "#ff0000", "2": [0, 255, 0, 128]}""");
        float[] values = [1, 2, 3, float.NaN];
        var d = ImageDecoder.Decode(_renderer.Render(values, 1, 4, 1, new RenderOptions { Colormap = cm }).Bytes);
        Assert.Equal((255, 0, 0, 255), ToInts(d.Pixel(0, 0)));
        Assert.Equal((0, 255, 0, 128), ToInts(d.Pixel(1, 0)));
        Assert.Equal(0, d.Pixel(2, 0).A);
        Assert.Equal(0, d.Pixel(3, 0).A);
    }

    [Fact]
    public void Interval_colormap_classifies_raw_values_before_rescale()
    {
        var cm = Colormap.ParseJson("""[[[0, 100], "#0000ff"], [[100, 1000], [255, 0, 0, 255]]]""");
        float[] values = [50, 100, 999, 1000, float.NaN, -1];
        var result = _renderer.Render(values, 1, 6, 1, new RenderOptions { Colormap = cm, Rescale = [new ValueRange(0, 1)] });
        Assert.Equal(3, ImageDecoder.PngChunks(result.Bytes)[0].Data[9]);
        var d = ImageDecoder.Decode(result.Bytes);
        Assert.Equal((0, 0, 255, 255), ToInts(d.Pixel(0, 0)));
        Assert.Equal((255, 0, 0, 255), ToInts(d.Pixel(1, 0)));
        Assert.Equal((255, 0, 0, 255), ToInts(d.Pixel(2, 0)));
        Assert.Equal(0, d.Pixel(3, 0).A);
        Assert.Equal(0, d.Pixel(4, 0).A);
        Assert.Equal(0, d.Pixel(5, 0).A);
    }

    [Fact]
    public void Two_bands_are_grey_plus_alpha()
    {
        float[] values = [0, 100, 200, float.NaN, /* alpha */ 255, 128, 0, 255];
        var result = _renderer.Render(values, 2, 4, 1, new RenderOptions());
        Assert.Equal(4, ImageDecoder.PngChunks(result.Bytes)[0].Data[9]);
        var d = ImageDecoder.Decode(result.Bytes);
        Assert.Equal((0, 0, 0, 255), ToInts(d.Pixel(0, 0)));
        Assert.Equal((100, 100, 100, 128), ToInts(d.Pixel(1, 0)));
        Assert.Equal(0, d.Pixel(2, 0).A);
        Assert.Equal(0, d.Pixel(3, 0).A);
        AssertPngCheckPasses(result.Bytes);
    }

    [Fact]
    public void Three_bands_are_rgb_with_per_band_rescale_and_alpha_only_for_nodata()
    {
        float[] values = [0, 10, /* g */ 0, 20, /* b */ 0, 40];
        var opts = new RenderOptions { Rescale = [new ValueRange(0, 10), new ValueRange(0, 20), new ValueRange(0, 40)] };
        var rgb = _renderer.Render(values, 3, 2, 1, opts);
        Assert.Equal(2, ImageDecoder.PngChunks(rgb.Bytes)[0].Data[9]);
        var d = ImageDecoder.Decode(rgb.Bytes);
        Assert.Equal((0, 0, 0, 255), ToInts(d.Pixel(0, 0)));
        Assert.Equal((255, 255, 255, 255), ToInts(d.Pixel(1, 0)));

        values[4] = float.NaN; // blue of pixel 0
        var masked = _renderer.Render(values, 3, 2, 1, opts);
        Assert.Equal(6, ImageDecoder.PngChunks(masked.Bytes)[0].Data[9]);
        d = ImageDecoder.Decode(masked.Bytes);
        Assert.Equal(0, d.Pixel(0, 0).A);
        Assert.Equal((255, 255, 255, 255), ToInts(d.Pixel(1, 0)));
        AssertPngCheckPasses(masked.Bytes);

        var opaque = ImageDecoder.Decode(_renderer.Render(values, 3, 2, 1, opts with { ReturnMask = false }).Bytes);
        Assert.Equal((0, 0, 0, 255), ToInts(opaque.Pixel(0, 0)));
    }

    [Fact]
    public void Four_bands_are_rgba_with_the_fourth_band_as_alpha()
    {
        var w = 64;
        var h = 64;
        var values = TestTiles.Ramp(w, h, withNaN: true, bands: 4);
        var result = _renderer.Render(values, 4, w, h, new RenderOptions { Rescale = [new ValueRange(0, 1)] });
        var d = ImageDecoder.Decode(result.Bytes);
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                var i = (y * w) + x;
                var px = d.Pixel(x, y);
                if (float.IsNaN(values[i]))
                {
                    Assert.Equal(0, px.A);
                    continue;
                }

                Assert.Equal(
                    (TestTiles.Index(values[i], 0, 1), TestTiles.Index(values[(w * h) + i], 0, 1), TestTiles.Index(values[(2 * w * h) + i], 0, 1), TestTiles.Index(values[(3 * w * h) + i], 0, 1)),
                    ToInts(px));
            }
        }

        AssertPngCheckPasses(result.Bytes);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    public void Repeated_rows_render_the_same_pixels_as_computed_rows(int bands)
    {
        // A magnified tile: each source row appears 1..4 times (as nearest upsampling makes it), with NaN in it.
        const int w = 64, h = 90;
        var source = TestTiles.Ramp(w, 40, withNaN: true, bands: bands);
        var values = new float[bands * w * h];
        var repeated = new bool[h];
        int srcRow = 0;
        for (var j = 0; j < h; j++)
        {
            if (j > 0 && j % 4 != 0 && j % 7 != 0)
            {
                repeated[j] = true;
            }
            else if (j > 0)
            {
                srcRow++;
            }

            for (var b = 0; b < bands; b++)
            {
                source.AsSpan((b * w * 40) + (srcRow * w), w).CopyTo(values.AsSpan((b * w * h) + (j * w), w));
            }
        }

        Assert.True(Registry.TryGet("viridis", out var viridis));
        var options = new RenderOptions { Rescale = [new ValueRange(0, 1)], Colormap = bands == 1 ? viridis : null };
        var computed = _renderer.Render(values, bands, w, h, options);
        var copied = _renderer.Render(values, bands, w, h, options, repeated);
        Assert.Equal(ImageDecoder.Decode(computed.Bytes).Rgba, ImageDecoder.Decode(copied.Bytes).Rgba);
        Assert.Throws<ArgumentException>(() => _renderer.Render(values, bands, w, h, options, repeated.AsSpan(1)));
    }

    [Fact]
    public void Every_compression_decodes_to_the_same_pixels()
    {
        var values = TestTiles.Ramp(100, 60, withNaN: true, bands: 3);
        var fast = _renderer.Render(values, 3, 100, 60, new RenderOptions { Rescale = [new ValueRange(0, 1)] });
        var small = _renderer.Render(values, 3, 100, 60, new RenderOptions { Rescale = [new ValueRange(0, 1)], PngCompression = PngCompression.Small });
        Assert.Equal(ImageDecoder.Decode(fast.Bytes).Rgba, ImageDecoder.Decode(small.Bytes).Rgba);
    }

    [Theory]
    [InlineData(PngCompression.Fast)]
    [InlineData(PngCompression.Balanced)]
    [InlineData(PngCompression.Small)]
    public void Incompressible_noise_round_trips(PngCompression level)
    {
        const int w = 256, h = 256;
        var random = new Random(3);
        var values = new float[4 * w * h];
        for (var i = 0; i < values.Length; i++) values[i] = random.Next(256);
        var d = ImageDecoder.Decode(_renderer.Render(values, 4, w, h, new RenderOptions { PngCompression = level }).Bytes);
        for (var i = 0; i < w * h; i++)
        {
            for (var b = 0; b < 4; b++) Assert.Equal((byte)values[(b * w * h) + i], d.Rgba[(i * 4) + b]);
        }
    }

    [Fact]
    public void Sub_or_up_picks_per_row_and_decodes_to_the_same_pixels()
    {
        // A magnified RGB tile: pixels repeated 4x along rows (Sub makes them zero) and rows repeated
        // (Up makes them zero), on random content where neither filter helps otherwise.
        const int w = 67, h = 13;
        var random = new Random(9);
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            if (y % 3 == 2)
            {
                rgb.AsSpan((y - 1) * w * 3, w * 3).CopyTo(rgb.AsSpan(y * w * 3, w * 3));
                continue;
            }

            for (var x = 0; x < w; x += 4)
            {
                var color = new byte[3];
                random.NextBytes(color);
                for (var k = x; k < Math.Min(w, x + 4); k++) color.CopyTo(rgb, ((y * w) + k) * 3);
            }
        }

        var png = Encoders.PngWriter.WriteDirect(rgb, w, h, Encoders.PngColorType.Rgb, PngCompression.Balanced, Encoders.PngFilter.SubOrUp);
        var inflated = ImageDecoder.Inflate(ImageDecoder.PngChunks(png));
        for (var y = 0; y < h; y++)
        {
            Assert.Equal(y % 3 == 2 ? (byte)2 : (byte)1, inflated[y * ((w * 3) + 1)]);
        }

        var decoded = ImageDecoder.Decode(png).Rgba;
        for (var i = 0; i < w * h; i++)
        {
            Assert.Equal(rgb.AsSpan(i * 3, 3).ToArray(), decoded.AsSpan(i * 4, 3).ToArray());
        }

        AssertPngCheckPasses(png);
        var up = Encoders.PngWriter.WriteDirect(rgb, w, h, Encoders.PngColorType.Rgb, PngCompression.Balanced, Encoders.PngFilter.Up);
        Assert.True(png.Length < up.Length, $"per-row choice {png.Length} B, Up {up.Length} B");
    }

    [Fact]
    public void Absolute_sum_reads_bytes_as_signed()
    {
        byte[] row = [.. Enumerable.Range(0, 100).Select(i => (byte)(i * 37))];
        Assert.Equal(row.Sum(b => (long)Math.Abs((int)(sbyte)b)), Encoders.PngWriter.AbsoluteSum(row));
        Assert.Equal(128 * 3, Encoders.PngWriter.AbsoluteSum([0x80, 0x80, 0x80])); // -128 counts 128 (scalar tail)
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    public void Every_filter_decodes_to_the_same_pixels(int filterType)
    {
        var filter = (Encoders.PngFilter)filterType;
        const int w = 37, h = 11; // odd sizes: vector loops leave tails
        var random = new Random(5);
        var rgba = new byte[w * h * 4];
        random.NextBytes(rgba);
        var png = Encoders.PngWriter.WriteDirect(rgba, w, h, Encoders.PngColorType.Rgba, PngCompression.Fast, filter);
        var chunks = ImageDecoder.PngChunks(png);
        Assert.All(Enumerable.Range(0, h), y => Assert.Equal((byte)filter, ImageDecoder.Inflate(chunks)[y * ((w * 4) + 1)]));
        Assert.Equal(rgba, ImageDecoder.Decode(png).Rgba);
        AssertPngCheckPasses(png);

        var indices = new byte[w * h];
        random.NextBytes(indices);
        uint[] palette = [.. Enumerable.Range(0, 256).Select(i => new RgbaColor((byte)i, (byte)(255 - i), (byte)(i / 2), 255).Packed)];
        var indexed = Encoders.PngWriter.WriteIndexed(indices, w, h, palette, PngCompression.Fast, filter);
        Assert.Equal(indices, ImageDecoder.Unfilter(ImageDecoder.Inflate(ImageDecoder.PngChunks(indexed)), w, h, 1));
        var decoded = ImageDecoder.Decode(indexed);
        for (var i = 0; i < indices.Length; i++)
        {
            Assert.Equal(indices[i], decoded.Rgba[i * 4]);
            Assert.Equal(255 - indices[i], decoded.Rgba[(i * 4) + 1]);
        }
    }

    [Fact]
    public void An_all_nodata_tile_is_a_small_fully_transparent_png()
    {
        var values = new float[256 * 256];
        Array.Fill(values, float.NaN);
        Assert.True(Registry.TryGet("viridis", out var viridis));
        var png = _renderer.Render(values, 1, 256, 256, new RenderOptions { Colormap = viridis, Rescale = [new ValueRange(0, 1)] }).Bytes;
        Assert.InRange(png.Length, 1, 2048);
        var d = ImageDecoder.Decode(png);
        Assert.All(Enumerable.Range(0, 256 * 256), i => Assert.Equal(0, d.Rgba[(i * 4) + 3]));
        AssertPngCheckPasses(png);
    }

    [Fact]
    public void Bad_arguments_are_rejected_with_clear_errors()
    {
        var four = new float[4];
        Assert.Throws<ArgumentException>(() => _renderer.Render(four, 1, 3, 1, new RenderOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => _renderer.Render(four, 5, 1, 1, new RenderOptions()));
        Assert.True(Registry.TryGet("viridis", out var viridis));
        var e = Assert.Throws<ArgumentException>(() => _renderer.Render(four, 2, 2, 1, new RenderOptions { Colormap = viridis }));
        Assert.Contains("single-band", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => _renderer.Render(four, 2, 2, 1, new RenderOptions { Rescale = [new(0, 1), new(0, 1), new(0, 1)] }));
        Assert.Throws<ArgumentOutOfRangeException>(() => _renderer.Render(four, 1, 4, 1, new RenderOptions { Format = ImageFormat.Jpeg, Quality = 0 }));
    }

    private static (int, int, int, int) ToInts((byte R, byte G, byte B, byte A) p) => (p.R, p.G, p.B, p.A);

    private static void AssertPngCheckPasses(byte[] png)
    {
        var (exitCode, output) = ImageDecoder.PngCheck(png);
        Assert.True(exitCode == 0, output);
        Assert.Contains("No errors", output, StringComparison.Ordinal);
    }
}
