using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Compression;
using SkiaSharp;

namespace TileServer.Rendering.Tests;

/// <summary>Decodes with SkiaSharp (libpng/libwebp/libjpeg-turbo): an independent decoder.</summary>
internal static class ImageDecoder
{
    public sealed record Decoded(int Width, int Height, byte[] Rgba, string Format)
    {
        public (byte R, byte G, byte B, byte A) Pixel(int x, int y)
        {
            var i = ((y * Width) + x) * 4;
            return (Rgba[i], Rgba[i + 1], Rgba[i + 2], Rgba[i + 3]);
        }
    }

    public static Decoded Decode(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException("SkiaSharp cannot decode the image");
        var info = new SKImageInfo(codec.Info.Width, codec.Info.Height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        var pixels = new byte[info.BytesSize];
        var result = codec.GetPixels(info, pixels);
        if (result != SKCodecResult.Success) throw new InvalidDataException($"SkiaSharp decode failed: {result}");
        return new Decoded(info.Width, info.Height, pixels, codec.EncodedFormat.ToString());
    }

    /// <summary>PNG chunks (type, data), checking only framing; CRCs are checked by libpng and pngcheck.</summary>
    public static List<(string Type, byte[] Data)> PngChunks(byte[] png)
    {
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        var chunks = new List<(string, byte[])>();
        var pos = 8;
        while (pos < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(pos));
            var type = System.Text.Encoding.ASCII.GetString(png, pos + 4, 4);
            chunks.Add((type, png.AsSpan(pos + 8, length).ToArray()));
            pos += 12 + length;
        }

        Assert.Equal(png.Length, pos);
        return chunks;
    }

    /// <summary>Raw scanlines (filter byte + row) of a PNG's concatenated IDAT chunks.</summary>
    public static byte[] Inflate(IEnumerable<(string Type, byte[] Data)> chunks)
    {
        using var compressed = new MemoryStream();
        foreach (var (type, data) in chunks)
        {
            if (type == "IDAT") compressed.Write(data);
        }

        compressed.Position = 0;
        using var zlib = new ZLibStream(compressed, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        zlib.CopyTo(raw);
        return raw.ToArray();
    }

    /// <summary>Undoes the PNG row filters (spec section 9: None, Sub, Up, Average, Paeth) of inflated scanlines.</summary>
    public static byte[] Unfilter(byte[] raw, int rowBytes, int height, int bytesPerPixel)
    {
        var image = new byte[rowBytes * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (rowBytes + 1)];
            for (var x = 0; x < rowBytes; x++)
            {
                int a = x >= bytesPerPixel ? image[(y * rowBytes) + x - bytesPerPixel] : 0;
                int b = y > 0 ? image[((y - 1) * rowBytes) + x] : 0;
                int c = x >= bytesPerPixel && y > 0 ? image[((y - 1) * rowBytes) + x - bytesPerPixel] : 0;
                var predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"bad filter type {filter}"),
                };
                image[(y * rowBytes) + x] = (byte)(raw[(y * (rowBytes + 1)) + 1 + x] + predictor);
            }
        }

        return image;
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        var pa = Math.Abs(p - a);
        var pb = Math.Abs(p - b);
        var pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    /// <summary>Runs pngcheck (Debian package pngcheck) and returns its verdict.</summary>
    public static (int ExitCode, string Output) PngCheck(byte[] png)
    {
        string tool = RequiredTools.Require(RequiredTools.PngCheck, "pngcheck");
        var path = Path.Combine(Path.GetTempPath(), $"render-test-{Guid.NewGuid():N}.png");
        File.WriteAllBytes(path, png);
        try
        {
            using var p = Process.Start(new ProcessStartInfo(tool, ["-v", path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            var output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
