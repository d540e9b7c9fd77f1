using SkiaSharp;

namespace TileServer.Rendering.Encoders;

/// <summary>WebP and JPEG through SkiaSharp (libwebp / libjpeg-turbo), from an RGBA8888 straight-alpha buffer.</summary>
internal static class SkiaEncoder
{
    public const int DefaultJpegQuality = 85;

    /// <summary>libwebp's lossless "quality" is effort (speed vs size); see docs/benchmarks-rendering.md for 25 vs 75.</summary>
    public const int LosslessWebpEffort = 25;

    public static unsafe byte[] Encode(ReadOnlySpan<byte> rgba, int width, int height, bool opaque, ImageFormat format, int? quality, int losslessEffort = LosslessWebpEffort)
    {
        var info = new SKImageInfo(width, height, SKColorType.Rgba8888, opaque ? SKAlphaType.Opaque : SKAlphaType.Unpremul);
        fixed (byte* pixels = rgba)
        {
            using var pixmap = new SKPixmap(info, (IntPtr)pixels, width * 4);
            using var data = format switch
            {
                ImageFormat.Webp => pixmap.Encode(quality is { } q
                    ? new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossy, q)
                    : new SKWebpEncoderOptions(SKWebpEncoderCompression.Lossless, losslessEffort)),
                ImageFormat.Jpeg => pixmap.Encode(new SKJpegEncoderOptions(
                    quality ?? DefaultJpegQuality, SKJpegEncoderDownsample.Downsample420, SKJpegEncoderAlphaOption.Ignore)),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, "SkiaEncoder handles WebP and JPEG only"),
            };
            return data?.ToArray() ?? throw new InvalidOperationException($"SkiaSharp failed to encode a {width}x{height} {format} image");
        }
    }
}
