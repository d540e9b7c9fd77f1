using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Numerics;

namespace TileServer.Rendering.Encoders;

internal enum PngFilter : byte
{
    None = 0,
    Sub = 1,
    Up = 2,

    /// <summary>Not a PNG filter type: per row, whichever of Sub and Up gives the smaller sum of |delta|.</summary>
    SubOrUp = 255,
}

internal enum PngColorType : byte
{
    Grey = 0,
    Rgb = 2,
    Indexed = 3,
    GreyAlpha = 4,
    Rgba = 6,
}

/// <summary>
/// A minimal, fast PNG writer (8-bit samples, no interlace, one IDAT). By default each row takes Sub or Up, whichever
/// makes the smaller sum of |delta| (libpng's heuristic, over the two filters that matter for tiles): Up zeroes the
/// repeated rows of a magnified tile and suits ordered colormap indices, Sub zeroes repeated pixels. Measured against
/// fixed filters in docs/benchmarks-rendering.md: smaller and no slower.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    /// <param name="palette">Packed RGBA entries (<see cref="RgbaColor.Packed"/>), 1..256.</param>
    public static byte[] WriteIndexed(ReadOnlySpan<byte> indices, int width, int height, ReadOnlySpan<uint> palette, PngCompression compression, PngFilter filter = PngFilter.SubOrUp, CancellationToken cancellationToken = default)
    {
        if (palette.Length is 0 or > 256) throw new ArgumentException("a PNG palette has 1..256 entries", nameof(palette));
        var buffer = RentOutput(width, height, 1);
        try
        {
            var output = new MemoryStream(buffer, 0, buffer.Length, writable: true, publiclyVisible: true);
            WriteIndexed(output, indices, width, height, palette, compression, filter, cancellationToken);
            return buffer.AsSpan(0, (int)output.Position).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void WriteIndexed(MemoryStream output, ReadOnlySpan<byte> indices, int width, int height, ReadOnlySpan<uint> palette, PngCompression compression, PngFilter filter, CancellationToken cancellationToken)
    {
        output.Write(Signature);
        WriteHeader(output, width, height, PngColorType.Indexed);

        Span<byte> plte = stackalloc byte[palette.Length * 3];
        Span<byte> trns = stackalloc byte[palette.Length];
        var trnsLength = 0;
        for (var i = 0; i < palette.Length; i++)
        {
            var c = palette[i];
            plte[i * 3] = (byte)c;
            plte[(i * 3) + 1] = (byte)(c >> 8);
            plte[(i * 3) + 2] = (byte)(c >> 16);
            trns[i] = (byte)(c >> 24);
            if (trns[i] != 255) trnsLength = i + 1;
        }

        WriteChunk(output, "PLTE"u8, plte);
        if (trnsLength > 0) WriteChunk(output, "tRNS"u8, trns[..trnsLength]);
        WriteImageData(output, indices, width, height, bytesPerPixel: 1, filter, compression, cancellationToken);
        WriteChunk(output, "IEND"u8, []);
    }

    public static byte[] WriteDirect(ReadOnlySpan<byte> samples, int width, int height, PngColorType colorType, PngCompression compression, PngFilter filter = PngFilter.SubOrUp, CancellationToken cancellationToken = default)
    {
        var channels = colorType switch
        {
            PngColorType.Grey => 1,
            PngColorType.GreyAlpha => 2,
            PngColorType.Rgb => 3,
            PngColorType.Rgba => 4,
            _ => throw new ArgumentOutOfRangeException(nameof(colorType), colorType, "not a direct color type"),
        };
        var buffer = RentOutput(width, height, channels);
        try
        {
            var output = new MemoryStream(buffer, 0, buffer.Length, writable: true, publiclyVisible: true);
            output.Write(Signature);
            WriteHeader(output, width, height, colorType);
            WriteImageData(output, samples, width, height, channels, filter, compression, cancellationToken);
            WriteChunk(output, "IEND"u8, []);
            return buffer.AsSpan(0, (int)output.Position).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// A pooled output buffer the whole file fits in, so nothing grows or is copied but the final array.
    /// Deflate can expand incompressible data slightly; n/8 covers zlib's and zlib-ng's bounds with room to spare.
    /// </summary>
    private static byte[] RentOutput(int width, int height, int bytesPerPixel)
    {
        var filtered = ((long)width * bytesPerPixel + 1) * height;
        const int chunksAndHeaders = 8 + 25 + (12 + 768) + (12 + 256) + 12 + 12 + 64;
        return ArrayPool<byte>.Shared.Rent(checked((int)(filtered + (filtered / 8) + chunksAndHeaders)));
    }

    private static void WriteHeader(MemoryStream output, int width, int height, PngColorType colorType)
    {
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte)colorType;
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR"u8, ihdr);
    }

    private static void WriteImageData(MemoryStream output, ReadOnlySpan<byte> pixels, int width, int height, int bytesPerPixel, PngFilter filter, PngCompression compression, CancellationToken cancellationToken)
    {
        var rowBytes = width * bytesPerPixel;
        if (pixels.Length != rowBytes * height) throw new ArgumentException($"expected {rowBytes * height} pixel bytes, got {pixels.Length}", nameof(pixels));

        // Filter the whole image into one pooled buffer so deflate gets one large write.
        var filteredLength = (rowBytes + 1) * height;
        var filtered = ArrayPool<byte>.Shared.Rent(filteredLength);
        var subScratch = filter == PngFilter.SubOrUp ? ArrayPool<byte>.Shared.Rent(rowBytes) : [];
        try
        {
            for (var y = 0; y < height; y++)
            {
                // An abandoned request stops here rather than after the whole image (a 1024² RGBA tile is ~10 ms of work).
                if ((y & 63) == 0) cancellationToken.ThrowIfCancellationRequested();
                var src = pixels.Slice(y * rowBytes, rowBytes);
                var above = y > 0 ? pixels.Slice((y - 1) * rowBytes, rowBytes) : default;
                var dst = filtered.AsSpan(y * (rowBytes + 1), rowBytes + 1);
                if (filter != PngFilter.SubOrUp)
                {
                    dst[0] = (byte)filter;
                    FilterRow(filter, src, above, bytesPerPixel, dst[1..]);
                    continue;
                }

                // libpng's heuristic over the two filters that matter for tiles: Up wins on repeated rows
                // (magnified tiles) and smooth columns, Sub on repeated pixels and smooth rows.
                dst[0] = (byte)PngFilter.Up;
                FilterRow(PngFilter.Up, src, above, bytesPerPixel, dst[1..]);
                var up = AbsoluteSum(dst[1..]);
                if (up == 0)
                {
                    continue;
                }

                var sub = subScratch.AsSpan(0, rowBytes);
                FilterRow(PngFilter.Sub, src, above, bytesPerPixel, sub);
                if (AbsoluteSum(sub) < up)
                {
                    dst[0] = (byte)PngFilter.Sub;
                    sub.CopyTo(dst[1..]);
                }
            }

            var lengthPosition = output.Position;
            output.Write([0, 0, 0, 0]);
            output.Write("IDAT"u8);
            using (var zlib = new ZLibStream(output, ZLibOptions(compression, filtered.AsSpan(0, filteredLength)), leaveOpen: true))
            {
                // In slices, so that cancellation is seen during deflate too; zlib's output does not depend on the slicing.
                const int Slice = 256 * 1024;
                for (var offset = 0; offset < filteredLength; offset += Slice)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    zlib.Write(filtered, offset, Math.Min(Slice, filteredLength - offset));
                }
            }

            var dataLength = checked((int)(output.Position - lengthPosition - 8));
            var buffer = output.GetBuffer();
            BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan((int)lengthPosition, 4), dataLength);
            var crc = Crc32.Compute(buffer.AsSpan((int)lengthPosition + 4, dataLength + 4));
            Span<byte> crcBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crcBytes, crc);
            output.Write(crcBytes);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(filtered);
            if (subScratch.Length > 0) ArrayPool<byte>.Shared.Return(subScratch);
        }
    }

    /// <summary>One row through a PNG filter; <paramref name="above"/> is empty for the first row (Up then counts zeros).</summary>
    private static void FilterRow(PngFilter filter, ReadOnlySpan<byte> src, ReadOnlySpan<byte> above, int bytesPerPixel, Span<byte> dst)
    {
        switch (filter)
        {
            case PngFilter.Sub:
                Difference(src[bytesPerPixel..], src[..^bytesPerPixel], dst[bytesPerPixel..]);
                src[..bytesPerPixel].CopyTo(dst);
                break;
            case PngFilter.Up when !above.IsEmpty:
                Difference(src, above, dst);
                break;
            default: // None, and Up on the first row
                src.CopyTo(dst);
                break;
        }
    }

    /// <summary>Filtered data with at least this share of zero bytes is mostly runs (flat areas, nodata, classes).</summary>
    private const double RunsZeroShare = 0.45;

    /// <summary>
    /// Balanced picks a zlib strategy from the filtered bytes: mostly zeros -> run-length (fast and smallest on
    /// runs); otherwise Huffman-only (noisy fields have few repeats worth matching, and dynamic Huffman codes of
    /// the small filter deltas halve zlib-ng's level-1 output at about the same CPU). Measured in
    /// docs/benchmarks-rendering.md.
    /// </summary>
    internal static ZLibCompressionOptions ZLibOptions(PngCompression compression, ReadOnlySpan<byte> filtered) => compression switch
    {
        PngCompression.Fast => new() { CompressionLevel = 1 },
        PngCompression.Balanced => new()
        {
            CompressionLevel = 1,
            CompressionStrategy = filtered.Count((byte)0) >= filtered.Length * RunsZeroShare
                ? ZLibCompressionStrategy.RunLengthEncoding
                : ZLibCompressionStrategy.HuffmanOnly,
        },
        PngCompression.Small => new() { CompressionLevel = 6 },
        _ => throw new ArgumentOutOfRangeException(nameof(compression), compression, "unknown PNG compression"),
    };

    /// <summary>Σ |b| with each byte read as signed: libpng's cost of a filtered row (smaller deflates better).</summary>
    internal static long AbsoluteSum(ReadOnlySpan<byte> filtered)
    {
        long total = 0;
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var acc = Vector<uint>.Zero;
            for (; i + Vector<byte>.Count <= filtered.Length; i += Vector<byte>.Count)
            {
                var abs = Vector.AsVectorByte(Vector.Abs(Vector.AsVectorSByte(new Vector<byte>(filtered[i..]))));
                Vector.Widen(abs, out var lo, out var hi);
                Vector.Widen(lo + hi, out var a, out var b);
                acc += a + b;
            }

            total = Vector.Sum(acc);
        }

        for (; i < filtered.Length; i++) total += Math.Abs((int)(sbyte)filtered[i]);
        return total;
    }

    /// <summary>dst = a - b (mod 256), bytewise: Sub (b = the pixel to the left) and Up (b = the row above).</summary>
    internal static void Difference(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, Span<byte> dst)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i + Vector<byte>.Count <= a.Length; i += Vector<byte>.Count)
            {
                (new Vector<byte>(a[i..]) - new Vector<byte>(b[i..])).CopyTo(dst[i..]);
            }
        }

        for (; i < a.Length; i++) dst[i] = (byte)(a[i] - b[i]);
    }

    private static void WriteChunk(MemoryStream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        output.Write(word);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Compute(type), data));
        output.Write(word);
    }
}
