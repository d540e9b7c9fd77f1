using System.Buffers.Binary;
using System.Text;

namespace TileServer.Rendering.Tests;

public class SkiaAndNpyRenderTests
{
    private static readonly ColormapRegistry Registry = new();
    private readonly TileRenderer _renderer = new();

    [Fact]
    public void Lossless_webp_round_trips_exactly()
    {
        const int w = 256, h = 256;
        var values = TestTiles.Ramp(w, h, withNaN: true);
        Assert.True(Registry.TryGet("turbo", out var turbo));
        var opts = new RenderOptions { Format = ImageFormat.Webp, Rescale = [new ValueRange(0, 0.8)], Colormap = turbo };
        var webp = _renderer.Render(values, 1, w, h, opts);
        Assert.Equal("image/webp", webp.ContentType);
        Assert.Equal("RIFF", Encoding.ASCII.GetString(webp.Bytes, 0, 4));
        Assert.Equal("WEBP", Encoding.ASCII.GetString(webp.Bytes, 8, 4));
        Assert.Equal("VP8L", Encoding.ASCII.GetString(webp.Bytes, 12, 4)); // lossless bitstream

        var png = _renderer.Render(values, 1, w, h, opts with { Format = ImageFormat.Png });
        var fromWebp = ImageDecoder.Decode(webp.Bytes);
        var fromPng = ImageDecoder.Decode(png.Bytes);
        Assert.Equal((w, h), (fromWebp.Width, fromWebp.Height));
        for (var i = 0; i < w * h; i++)
        {
            var a = fromPng.Rgba[(i * 4) + 3];
            Assert.Equal(a, fromWebp.Rgba[(i * 4) + 3]);
            if (a == 0) continue; // libwebp may rewrite the color under fully transparent pixels
            Assert.Equal(fromPng.Rgba.AsSpan(i * 4, 3).ToArray(), fromWebp.Rgba.AsSpan(i * 4, 3).ToArray());
        }
    }

    [Theory]
    [InlineData(ImageFormat.Webp, 80, 12)]
    [InlineData(ImageFormat.Jpeg, 85, 12)]
    [InlineData(ImageFormat.Jpeg, null, 12)]
    public void Lossy_formats_decode_to_the_right_size_and_colors_within_tolerance(ImageFormat format, int? quality, int tolerance)
    {
        const int w = 256, h = 256;
        var values = TestTiles.Ramp(w, h, bands: 3);
        var opts = new RenderOptions { Format = format, Quality = quality, Rescale = [new ValueRange(0, 1)] };
        var lossy = _renderer.Render(values, 3, w, h, opts);
        Assert.Equal(format.ContentType(), lossy.ContentType);
        var reference = ImageDecoder.Decode(_renderer.Render(values, 3, w, h, opts with { Format = ImageFormat.Png }).Bytes);
        var decoded = ImageDecoder.Decode(lossy.Bytes);
        Assert.Equal((w, h), (decoded.Width, decoded.Height));
        var maxDiff = 0;
        for (var i = 0; i < reference.Rgba.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(reference.Rgba[i] - decoded.Rgba[i]));
        }

        Assert.InRange(maxDiff, 0, tolerance);
    }

    [Fact]
    public void Lossy_webp_keeps_transparency_of_nodata()
    {
        var values = TestTiles.Ramp(64, 64, withNaN: true);
        var d = ImageDecoder.Decode(_renderer.Render(values, 1, 64, 64, new RenderOptions { Format = ImageFormat.Webp, Quality = 75, Rescale = [new ValueRange(0, 1)] }).Bytes);
        Assert.Equal(0, d.Pixel(0, 0).A);
        Assert.Equal(255, d.Pixel(63, 63).A);
    }

    [Fact]
    public void Npy_is_numpy_v1_float32_band_height_width_with_the_raw_values()
    {
        const int bands = 2, h = 3, w = 5;
        var values = new float[bands * h * w];
        for (var i = 0; i < values.Length; i++) values[i] = (i * 1.5f) - 7;
        values[3] = float.NaN;
        var result = _renderer.Render(values, bands, w, h, new RenderOptions { Format = ImageFormat.Npy, Rescale = [new ValueRange(0, 1)] });
        Assert.Equal("application/x-npy", result.ContentType);

        var b = result.Bytes;
        Assert.Equal(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0 }, b[..8]);
        var headerLength = BinaryPrimitives.ReadUInt16LittleEndian(b.AsSpan(8));
        Assert.Equal(0, (10 + headerLength) % 64);
        var header = Encoding.ASCII.GetString(b, 10, headerLength);
        Assert.EndsWith("\n", header, StringComparison.Ordinal);
        Assert.StartsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3, 5), }", header, StringComparison.Ordinal);
        var data = b.AsSpan(10 + headerLength);
        Assert.Equal(values.Length * 4, data.Length);
        for (var i = 0; i < values.Length; i++)
        {
            var v = BinaryPrimitives.ReadSingleLittleEndian(data[(i * 4)..]);
            Assert.Equal(values[i], v);
        }
    }

    [Fact]
    public void Npy_is_read_by_numpy()
    {
        string python = RequiredTools.Require(RequiredTools.Python, "python3");
        var values = new float[] { 1, float.NaN, -3.25f, 4, 5, 6 };
        var bytes = _renderer.Render(values, 1, 3, 2, new RenderOptions { Format = ImageFormat.Npy }).Bytes;
        var path = Path.Combine(Path.GetTempPath(), $"render-test-{Guid.NewGuid():N}.npy");
        File.WriteAllBytes(path, bytes);
        try
        {
            var psi = new System.Diagnostics.ProcessStartInfo(python, ["-c", "import sys, numpy as np; a = np.load(sys.argv[1]); print(a.dtype.str, a.shape, np.isnan(a).sum(), a[0,1,2])", path])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var p = System.Diagnostics.Process.Start(psi)!;
            var output = p.StandardOutput.ReadToEnd().Trim();
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit();
            Assert.False(error.Contains("No module named 'numpy'", StringComparison.Ordinal), RequiredTools.MissingModuleMessage("numpy", "python3-numpy"));
            Assert.True(p.ExitCode == 0, error);
            Assert.Equal("<f4 (1, 2, 3) 1 6.0", output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
