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

    /// <summary>
    /// An opaque color for nodata (and unclassified) pixels instead of transparency, as WMS asks with
    /// <c>TRANSPARENT=FALSE</c> and <c>BGCOLOR</c>; takes precedence over <see cref="ReturnMask"/>.
    /// </summary>
    public RgbaColor? Background { get; init; }

    /// <summary>1..100. WebP: null = lossless, else lossy quality. JPEG: null = 85.</summary>
    public int? Quality { get; init; }

    /// <summary>Deflate trade-off of our PNG writer (measured in docs/benchmarks-rendering.md).</summary>
    public PngCompression PngCompression { get; init; } = PngCompression.Balanced;
}

/// <summary>How hard the PNG writer deflates.</summary>
public enum PngCompression
{
    /// <summary>zlib level 1 (zlib-ng's "quick" deflate, static Huffman codes): least CPU, biggest files.</summary>
    Fast,

    /// <summary>
    /// zlib level 1 with a strategy picked per tile (run-length for flat/nodata/class tiles, Huffman-only for noisy
    /// fields): about half the bytes of Fast on real-looking tiles for about the same CPU.
    /// </summary>
    Balanced,

    /// <summary>zlib level 6 (System.IO.Compression's Optimal): smallest, several times the CPU.</summary>
    Small,
}

/// <summary>An encoded tile and where its time went.</summary>
public sealed record RenderResult(byte[] Bytes, string ContentType, TimeSpan ColormapTime, TimeSpan EncodeTime);
