using System.Buffers;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using TileServer.Rendering;
using TileServer.Rendering.Encoders;
using TileServer.Rendering.Pixels;

namespace TileServer.Benchmarks.Rendering;

/// <summary>
/// Rescale + colormap + encode of one 256x256 float32 tile (a smooth field with noise and a nodata block,
/// like a sea-surface-temperature tile with land), per output path.
/// Run: dotnet run -c Release --project bench/TileServer.Benchmarks -- --filter '*RenderBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class RenderBenchmarks
{
    private const int Size = 256;
    private readonly TileRenderer _renderer = new();
    private float[] _single = [];
    private float[] _rgb = [];
    private RenderOptions _viridis = new();
    private Colormap _map = null!;

    [GlobalSetup]
    public void Setup()
    {
        var registry = new ColormapRegistry();
        registry.TryGet("viridis", out var viridis);
        _map = viridis!;
        _single = Field(1);
        _rgb = Field(3);
        _viridis = new RenderOptions { Rescale = [new ValueRange(-2, 32)], Colormap = _map };
    }

    [Benchmark(Baseline = true, Description = "palette PNG (1 band, viridis), Balanced (default)")]
    public byte[] PalettePng() => _renderer.Render(_single, 1, Size, Size, _viridis).Bytes;

    [Benchmark(Description = "palette PNG, Fast")]
    public byte[] PalettePngFast() => _renderer.Render(_single, 1, Size, Size, _viridis with { PngCompression = PngCompression.Fast }).Bytes;

    [Benchmark(Description = "palette PNG, Small")]
    public byte[] PalettePngOptimal() => _renderer.Render(_single, 1, Size, Size, _viridis with { PngCompression = PngCompression.Small }).Bytes;

    [Benchmark(Description = "palette PNG, Balanced, filter None instead of Up")]
    public byte[] PalettePngNoFilter() => IndexedPng(PngFilter.None);

    [Benchmark(Description = "palette PNG, Balanced, filter Sub or Up per row")]
    public byte[] PalettePngSubOrUp() => IndexedPng(PngFilter.SubOrUp);

    [Benchmark(Description = "same tile as RGBA PNG (Sub or Up per row), Balanced")]
    public byte[] ColormappedRgbaPngSubOrUp() => RgbaPng(PngFilter.SubOrUp);

    [Benchmark(Description = "same tile as RGBA PNG (Up filter), Balanced")]
    public byte[] ColormappedRgbaPng() => RgbaPng(PngFilter.Up);

    [Benchmark(Description = "same tile as RGBA PNG (Sub filter), Balanced")]
    public byte[] ColormappedRgbaPngSub() => RgbaPng(PngFilter.Sub);

    private byte[] IndexedPng(PngFilter filter)
    {
        var idx = ArrayPool<byte>.Shared.Rent(Size * Size);
        try
        {
            Kernels.QuantizeBand(_single, idx, ByteScale.From(new ValueRange(-2, 32)), 0);
            return PngWriter.WriteIndexed(idx.AsSpan(0, Size * Size), Size, Size, _map.Entries, PngCompression.Balanced, filter);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(idx);
        }
    }

    private byte[] RgbaPng(PngFilter filter)
    {
        // What the palette path avoids: expanding to 4 bytes a pixel before deflate.
        var idx = ArrayPool<byte>.Shared.Rent(Size * Size);
        var rgba = ArrayPool<uint>.Shared.Rent(Size * Size);
        try
        {
            Kernels.QuantizeBand(_single, idx, ByteScale.From(new ValueRange(-2, 32)), 0);
            Kernels.ExpandIndexed(idx.AsSpan(0, Size * Size), _map.Entries, rgba);
            return PngWriter.WriteDirect(MemoryMarshal.AsBytes(rgba.AsSpan(0, Size * Size)), Size, Size, PngColorType.Rgba, PngCompression.Balanced, filter);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rgba);
            ArrayPool<byte>.Shared.Return(idx);
        }
    }

    [Benchmark(Description = "RGB PNG (3 bands, nodata -> RGBA)")]
    public byte[] RgbPng() => _renderer.Render(_rgb, 3, Size, Size, new RenderOptions { Rescale = [new ValueRange(-2, 32)] }).Bytes;

    [Benchmark(Description = "WebP lossy q80 (1 band, viridis)")]
    public byte[] WebpLossy() => _renderer.Render(_single, 1, Size, Size, _viridis with { Format = ImageFormat.Webp, Quality = 80 }).Bytes;

    [Benchmark(Description = "WebP lossless (1 band, viridis)")]
    public byte[] WebpLossless() => _renderer.Render(_single, 1, Size, Size, _viridis with { Format = ImageFormat.Webp }).Bytes;

    [Benchmark(Description = "WebP lossless, effort 75 (libwebp default)")]
    public byte[] WebpLosslessEffort75()
    {
        var idx = ArrayPool<byte>.Shared.Rent(Size * Size);
        var rgba = ArrayPool<uint>.Shared.Rent(Size * Size);
        try
        {
            Kernels.QuantizeBand(_single, idx, ByteScale.From(new ValueRange(-2, 32)), 0);
            Kernels.ExpandIndexed(idx.AsSpan(0, Size * Size), _map.Entries, rgba);
            return SkiaEncoder.Encode(MemoryMarshal.AsBytes(rgba.AsSpan(0, Size * Size)), Size, Size, opaque: false, ImageFormat.Webp, quality: null, losslessEffort: 75);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rgba);
            ArrayPool<byte>.Shared.Return(idx);
        }
    }

    [Benchmark(Description = "JPEG q85 (1 band, viridis)")]
    public byte[] Jpeg() => _renderer.Render(_single, 1, Size, Size, _viridis with { Format = ImageFormat.Jpeg, Quality = 85 }).Bytes;

    [Benchmark(Description = "npy (raw float32)")]
    public byte[] Npy() => _renderer.Render(_single, 1, Size, Size, new RenderOptions { Format = ImageFormat.Npy }).Bytes;

    [Benchmark(Description = "rescale+colormap only (quantize 64k floats)")]
    public int QuantizeOnly()
    {
        var idx = ArrayPool<byte>.Shared.Rent(Size * Size);
        try
        {
            return Kernels.QuantizeBand(_single, idx, ByteScale.From(new ValueRange(-2, 32)), 0);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(idx);
        }
    }

    /// <summary>Encoded sizes, printed once so the doc can quote them next to the times.</summary>
    [GlobalCleanup]
    public void PrintSizes()
    {
        Console.WriteLine($"// sizes: palette PNG {PalettePng().Length} B, Fast {PalettePngFast().Length} B, Small {PalettePngOptimal().Length} B, filter None {PalettePngNoFilter().Length} B, RGBA PNG Up {ColormappedRgbaPng().Length} B, Sub {ColormappedRgbaPngSub().Length} B, " +
            $"RGB PNG {RgbPng().Length} B, WebP lossy {WebpLossy().Length} B, WebP lossless {WebpLossless().Length} B, effort 75 {WebpLosslessEffort75().Length} B, JPEG {Jpeg().Length} B, npy {Npy().Length} B");
    }

    private static float[] Field(int bands)
    {
        var random = new Random(42);
        var values = new float[bands * Size * Size];
        for (var b = 0; b < bands; b++)
        {
            for (var y = 0; y < Size; y++)
            {
                for (var x = 0; x < Size; x++)
                {
                    var land = x < 60 && y > 150;
                    var v = 15 + (10 * Math.Sin((x + (b * 20)) / 40.0) * Math.Cos(y / 55.0)) + (random.NextDouble() * 0.3);
                    values[(b * Size * Size) + (y * Size) + x] = land ? float.NaN : (float)v;
                }
            }
        }

        return values;
    }
}
