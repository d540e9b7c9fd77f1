using System.Buffers;
using System.Diagnostics;
using System.Runtime.InteropServices;
using TileServer.Rendering.Encoders;
using TileServer.Rendering.Pixels;

namespace TileServer.Rendering;

/// <summary>
/// Turns a tile of float values into an encoded image. Stateless and thread-safe.
/// Bands: 1 = colormap (palette PNG) or grey; 2 = grey + alpha (band 2 rescaled); 3 = RGB; 4 = RGBA (band 4 rescaled is alpha).
/// NaN is nodata: with <see cref="RenderOptions.ReturnMask"/> a pixel with NaN in any band is transparent.
/// </summary>
public sealed class TileRenderer
{
    /// <summary>Largest width or height accepted (a 4x tile is 1024; previews are bounded by the API).</summary>
    public const int MaxDimension = 8192;

    private readonly Colormap _grey = Colormap.Grey();

    /// <param name="values">Band-major planes: band 0 row-major, then band 1, ...; NaN = nodata.</param>
    /// <param name="repeatedRows">
    /// Optional, one per row: true when the row's values equal the row above in every band (a magnified tile), so
    /// its pixels are copied rather than computed again. Empty = no knowledge.
    /// </param>
    /// <exception cref="ArgumentException">Shape, rescale or colormap do not fit the data.</exception>
    public RenderResult Render(ReadOnlySpan<float> values, int bands, int width, int height, RenderOptions o, ReadOnlySpan<bool> repeatedRows = default)
    {
        ArgumentNullException.ThrowIfNull(o);
        Validate(values, bands, width, height, o);
        if (!repeatedRows.IsEmpty && repeatedRows.Length != height) throw new ArgumentException($"repeatedRows has {repeatedRows.Length} entries for {height} rows", nameof(repeatedRows));
        var contentType = o.Format.ContentType();
        var start = Stopwatch.GetTimestamp();

        if (o.Format == ImageFormat.Npy)
        {
            var npy = NpyWriter.Write(values, bands, height, width);
            return new RenderResult(npy, contentType, TimeSpan.Zero, Stopwatch.GetElapsedTime(start));
        }

        return bands == 1
            ? RenderSingleBand(values, width, height, o, contentType, start, repeatedRows)
            : RenderMultiBand(values, bands, width, height, o, contentType, start, repeatedRows);
    }

    private RenderResult RenderSingleBand(ReadOnlySpan<float> values, int width, int height, RenderOptions o, string contentType, long start, ReadOnlySpan<bool> repeatedRows)
    {
        var pixels = width * height;
        var indices = ArrayPool<byte>.Shared.Rent(pixels);
        try
        {
            var idx = indices.AsSpan(0, pixels);
            Span<uint> palette = stackalloc uint[Colormap.Size];
            int paletteCount;
            var needsTransparency = false;

            if (o.Colormap is IntervalColormap intervals)
            {
                // Classes 0..n-1, n = "no class" (transparent). NaN is nodata: transparent, or the first class when opaque.
                var n = intervals.Intervals.Count;
                for (var i = 0; i < n; i++) palette[i] = intervals.Intervals[i].Color.Packed;
                palette[n] = o.Background?.Packed ?? 0;
                paletteCount = n + 1;
                Kernels.Classify(values, idx, intervals, (byte)n, o.ReturnMask || o.Background is not null ? (byte)n : (byte)0);
            }
            else
            {
                var colormap = o.Colormap as Colormap ?? _grey;
                colormap.Entries.CopyTo(palette);
                paletteCount = Colormap.Size;
                var nan = Kernels.QuantizeRows(values, idx, width, repeatedRows, ScaleFor(o.Rescale, 0), nanIndex: 0);
                var nodataColor = o.Background?.Packed ?? 0;
                if (nan > 0 && (o.ReturnMask || o.Background is not null))
                {
                    var transparent = FindTransparentIndex(idx, palette, reuseTransparent: o.Background is null);
                    if (transparent < 0)
                    {
                        // All 256 colors are in use: no index is left for nodata, so fall back to RGBA.
                        return RenderIndexedAsRgba(values, idx, palette, width, height, o, contentType, start);
                    }

                    palette[transparent] = nodataColor;
                    Kernels.FillNaN(values, idx, (byte)transparent);
                }

                needsTransparency = nan > 0 && (o.ReturnMask || o.Background is not null);
                if (o.Colormap is null && !needsTransparency && o.Format == ImageFormat.Png)
                {
                    // Plain grey: the indices are the grey levels; no palette needed.
                    var colormapDone = Stopwatch.GetTimestamp();
                    var grey = PngWriter.WriteDirect(idx, width, height, PngColorType.Grey, o.PngCompression);
                    return Result(grey, contentType, start, colormapDone);
                }
            }

            var mapped = Stopwatch.GetTimestamp();
            if (o.Format == ImageFormat.Png)
            {
                var png = PngWriter.WriteIndexed(idx, width, height, palette[..paletteCount], o.PngCompression);
                return Result(png, contentType, start, mapped);
            }

            var rgba = ArrayPool<uint>.Shared.Rent(pixels);
            try
            {
                Kernels.ExpandIndexed(idx, palette[..paletteCount], rgba);
                var opaque = AllOpaque(palette[..paletteCount]);
                var bytes = SkiaEncoder.Encode(MemoryMarshal.AsBytes(rgba.AsSpan(0, pixels)), width, height, opaque, o.Format, o.Quality);
                return Result(bytes, contentType, start, mapped);
            }
            finally
            {
                ArrayPool<uint>.Shared.Return(rgba);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(indices);
        }
    }

    private static RenderResult RenderIndexedAsRgba(ReadOnlySpan<float> values, ReadOnlySpan<byte> idx, ReadOnlySpan<uint> palette, int width, int height, RenderOptions o, string contentType, long start)
    {
        var pixels = width * height;
        var rgba = ArrayPool<uint>.Shared.Rent(pixels);
        try
        {
            var dst = rgba.AsSpan(0, pixels);
            Kernels.ExpandIndexed(idx, palette, dst);
            var nodataColor = o.Background?.Packed ?? 0;
            for (var i = 0; i < pixels; i++)
            {
                if (float.IsNaN(values[i])) dst[i] = nodataColor;
            }

            var mapped = Stopwatch.GetTimestamp();
            var bytes = MemoryMarshal.AsBytes(dst);
            var encoded = o.Format == ImageFormat.Png
                ? PngWriter.WriteDirect(bytes, width, height, PngColorType.Rgba, o.PngCompression)
                : SkiaEncoder.Encode(bytes, width, height, opaque: AllOpaque(palette) && (o.Background?.A ?? 0) == 255, o.Format, o.Quality);
            return Result(encoded, contentType, start, mapped);
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(rgba);
        }
    }

    private static RenderResult RenderMultiBand(ReadOnlySpan<float> values, int bands, int width, int height, RenderOptions o, string contentType, long start, ReadOnlySpan<bool> repeatedRows)
    {
        var pixels = width * height;
        Span<ByteScale> scales = stackalloc ByteScale[bands];
        for (var b = 0; b < bands; b++) scales[b] = ScaleFor(o.Rescale, b);

        var bytePlanes = ArrayPool<byte>.Shared.Rent(pixels * bands);
        byte[]? samples = null;
        try
        {
            var nan = Kernels.QuantizePlanes(values, bands, width, height, repeatedRows, scales, bytePlanes);

            // RGB gains an alpha channel only when there is nodata to hide (a background color paints it instead).
            var background = o.Background;
            var channels = bands == 3 && o.ReturnMask && nan > 0 && background is null ? 4 : bands;
            samples = ArrayPool<byte>.Shared.Rent(pixels * channels);
            var s = samples.AsSpan(0, pixels * channels);
            Kernels.InterleavePlanes(bytePlanes, bands, width, height, repeatedRows, s, channels);
            if (nan > 0)
            {
                Span<byte> fill = stackalloc byte[channels];
                if (background is { } bg)
                {
                    // Grey(+alpha) takes the color's red as its level; an alpha channel becomes the color's alpha.
                    ReadOnlySpan<byte> color = [bg.R, bg.G, bg.B];
                    if (channels <= 2) fill[0] = bg.R;
                    else color.CopyTo(fill);
                    if (channels is 2 or 4) fill[channels - 1] = bg.A;
                }

                Kernels.MaskNaN(values, bands, pixels, s, channels, o.ReturnMask || background is not null, background is null ? default : fill);
            }

            var mapped = Stopwatch.GetTimestamp();
            if (o.Format == ImageFormat.Png)
            {
                var type = channels switch { 2 => PngColorType.GreyAlpha, 3 => PngColorType.Rgb, _ => PngColorType.Rgba };
                return Result(PngWriter.WriteDirect(s, width, height, type, o.PngCompression), contentType, start, mapped);
            }

            var rgba = ArrayPool<byte>.Shared.Rent(pixels * 4);
            try
            {
                Kernels.ExpandDirect(s, channels, rgba);
                var bytes = SkiaEncoder.Encode(rgba.AsSpan(0, pixels * 4), width, height, opaque: channels == 3, o.Format, o.Quality);
                return Result(bytes, contentType, start, mapped);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rgba);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytePlanes);
            if (samples is not null) ArrayPool<byte>.Shared.Return(samples);
        }
    }

    /// <summary>
    /// An index nodata can use: one the palette already makes fully transparent, else one no pixel uses
    /// (a tile rarely spans all 256 levels; NaN pixels hold index 0 here, so 0 is never picked). -1 when every index is taken.
    /// </summary>
    private static int FindTransparentIndex(ReadOnlySpan<byte> idx, ReadOnlySpan<uint> palette, bool reuseTransparent)
    {
        for (var i = 0; reuseTransparent && i < palette.Length; i++)
        {
            if (palette[i] >> 24 == 0) return i;
        }

        // Most tiles do not reach the top of the ramp: a vectorised search usually settles it without a histogram.
        if (!idx.Contains((byte)255)) return 255;

        Span<bool> used = stackalloc bool[Colormap.Size];
        used.Clear();
        Kernels.MarkUsed(idx, used);
        return used.IndexOf(false);
    }

    private static bool AllOpaque(ReadOnlySpan<uint> palette)
    {
        foreach (var c in palette)
        {
            if (c >> 24 != 255) return false;
        }

        return true;
    }

    private static ByteScale ScaleFor(IReadOnlyList<ValueRange> rescale, int band) => rescale.Count switch
    {
        0 => ByteScale.Identity,
        1 => ByteScale.From(rescale[0]),
        _ => ByteScale.From(rescale[band]),
    };

    private static RenderResult Result(byte[] bytes, string contentType, long start, long mapped) =>
        new(bytes, contentType, Stopwatch.GetElapsedTime(start, mapped), Stopwatch.GetElapsedTime(mapped));

    private static void Validate(ReadOnlySpan<float> values, int bands, int width, int height, RenderOptions o)
    {
        if (bands is < 1 or > 4) throw new ArgumentOutOfRangeException(nameof(bands), bands, "1..4 bands can be rendered");
        if (width is < 1 or > MaxDimension) throw new ArgumentOutOfRangeException(nameof(width), width, $"width must be 1..{MaxDimension}");
        if (height is < 1 or > MaxDimension) throw new ArgumentOutOfRangeException(nameof(height), height, $"height must be 1..{MaxDimension}");
        if (values.Length != (long)bands * width * height)
        {
            throw new ArgumentException($"expected {bands}x{height}x{width} = {(long)bands * width * height} values, got {values.Length}", nameof(values));
        }

        if (o.Format == ImageFormat.Npy) return;
        if (o.Rescale.Count > 1 && o.Rescale.Count != bands)
        {
            throw new ArgumentException($"rescale needs one range or one per band ({bands}), got {o.Rescale.Count}", nameof(o));
        }

        foreach (var r in o.Rescale) r.Validate();
        if (o.Colormap is not null && bands != 1)
        {
            throw new ArgumentException($"a colormap applies to single-band data only, got {bands} bands", nameof(o));
        }

        if (o.Quality is < 1 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.Quality, "quality must be 1..100");
        }

        if (o.Format is not (ImageFormat.Png or ImageFormat.Webp or ImageFormat.Jpeg))
        {
            throw new ArgumentOutOfRangeException(nameof(o), o.Format, "unknown image format");
        }
    }
}
