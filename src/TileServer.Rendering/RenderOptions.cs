using System.IO.Compression;

namespace TileServer.Rendering;

/// <summary>How a tile of float values becomes an image.</summary>
public sealed record RenderOptions
{
    public ImageFormat Format { get; init; } = ImageFormat.Png;

    /// <summary>One range per band, or one for all bands; empty means the values are already 0..255.</summary>
    public IReadOnlyList<ValueRange> Rescale { get; init; } = [];

    /// <summary>
    /// Single band only. A <see cref="Rendering.Colormap"/> (256 entries, looked up by the rescaled value) or an
    /// <see cref="IntervalColormap"/> (classes of the raw value, before rescale).
    /// </summary>
    public IColormap? Colormap { get; init; }

    /// <summary>true: nodata (NaN) pixels are transparent. false: opaque, nodata drawn as the first color / black.</summary>
    public bool ReturnMask { get; init; } = true;

    /// <summary>1..100. WebP: null = lossless, else lossy quality. JPEG: null = 85.</summary>
    public int? Quality { get; init; }

    /// <summary>zlib level of our PNG writer; Fastest measured best per millisecond (docs/benchmarks-rendering.md).</summary>
    public CompressionLevel PngCompression { get; init; } = CompressionLevel.Fastest;
}

/// <summary>An encoded tile and where its time went.</summary>
public sealed record RenderResult(byte[] Bytes, string ContentType, TimeSpan ColormapTime, TimeSpan EncodeTime);
