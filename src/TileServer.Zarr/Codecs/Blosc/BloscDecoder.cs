using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using K4os.Compression.LZ4;

namespace TileServer.Zarr.Codecs.Blosc;

/// <summary>
/// Decoder of Blosc1 chunks (c-blosc 1.x frame, header version 1..2): 16-byte header, block start table,
/// per-block split streams compressed with BloscLZ, LZ4, Snappy, zlib or Zstd, then byte or bit unshuffle.
/// Every size in the header is checked against the caller's limits before anything is allocated.
/// </summary>
internal static class BloscDecoder
{
    private const int HeaderSize = 16;
    private const byte FlagShuffle = 0x01;
    private const byte FlagMemcpyed = 0x02;
    private const byte FlagBitShuffle = 0x04;
    private const byte FlagDontSplit = 0x10;

    /// <summary>The header fields, parsed without trusting them.</summary>
    public readonly record struct Header(byte Version, byte Flags, int TypeSize, long NBytes, long BlockSize, long CBytes)
    {
        public int Compressor => (Flags >> 5) & 7;
    }

    public static Header ReadHeader(ReadOnlySpan<byte> src)
    {
        if (src.Length < HeaderSize)
        {
            throw new CodecException($"blosc: {src.Length} bytes is shorter than the 16-byte header");
        }

        return new Header(src[0], src[2], src[3],
            BinaryPrimitives.ReadUInt32LittleEndian(src[4..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[8..]),
            BinaryPrimitives.ReadUInt32LittleEndian(src[12..]));
    }

    public static byte[] Decode(ReadOnlySpan<byte> src, long? expectedSize, long maxBytes, ZstdDecompressorPool? zstd = null)
    {
        var h = ReadHeader(src);
        if (h.Version is 0 or > 2)
        {
            throw new CodecException(h.Version > 2
                ? $"blosc: header version {h.Version} is a Blosc2 chunk, only Blosc1 (version 2) is supported"
                : "blosc: header version 0 is invalid");
        }

        if (expectedSize is { } expected && h.NBytes != expected)
        {
            throw new CodecException($"blosc: header declares {h.NBytes} decoded bytes, the chunk holds {expected}");
        }

        if (h.NBytes > maxBytes)
        {
            throw new CodecException($"blosc: header declares {h.NBytes} decoded bytes, more than the limit of {maxBytes}");
        }

        if (h.CBytes > src.Length)
        {
            throw new CodecException($"blosc: header declares {h.CBytes} compressed bytes, only {src.Length} present (truncated)");
        }

        if ((h.Flags & 0x08) != 0)
        {
            throw new CodecException("blosc: reserved flag bit 3 is set");
        }

        var dst = GC.AllocateUninitializedArray<byte>((int)h.NBytes);
        DecodeInto(src[..(int)Math.Max(h.CBytes, HeaderSize)], h, dst, zstd ?? new ZstdDecompressorPool());
        return dst;
    }

    private static void DecodeInto(ReadOnlySpan<byte> src, Header h, Span<byte> dst, ZstdDecompressorPool zstd)
    {
        if (h.NBytes == 0)
        {
            return;
        }

        if ((h.Flags & FlagMemcpyed) != 0)
        {
            if (src.Length < HeaderSize + h.NBytes)
            {
                throw new CodecException($"blosc: uncompressed chunk needs {HeaderSize + h.NBytes} bytes, has {src.Length}");
            }

            src.Slice(HeaderSize, (int)h.NBytes).CopyTo(dst);
            return;
        }

        if (h.TypeSize < 1 || h.BlockSize <= 0)
        {
            throw new CodecException($"blosc: invalid typesize {h.TypeSize} or blocksize {h.BlockSize}");
        }

        long blockSize = Math.Min(h.BlockSize, h.NBytes);
        long nblocks = (h.NBytes + blockSize - 1) / blockSize;
        long leftover = h.NBytes % blockSize;
        if (HeaderSize + (4 * nblocks) > src.Length)
        {
            throw new CodecException($"blosc: {nblocks} blocks do not fit their start table in {src.Length} bytes");
        }

        bool shuffle = (h.Flags & FlagShuffle) != 0 && h.TypeSize > 1;
        bool bitShuffle = !shuffle && (h.Flags & FlagBitShuffle) != 0;
        byte[]? temp = shuffle || bitShuffle ? ArrayPool<byte>.Shared.Rent((int)blockSize) : null;
        try
        {
            for (long j = 0; j < nblocks; j++)
            {
                bool isLeftover = j == nblocks - 1 && leftover > 0;
                int bs = (int)(isLeftover ? leftover : blockSize);
                int start = BinaryPrimitives.ReadInt32LittleEndian(src[(int)(HeaderSize + (4 * j))..]);
                if (start < HeaderSize + (4 * nblocks) || start >= src.Length)
                {
                    throw new CodecException($"blosc: block {j} starts at {start}, outside the chunk");
                }

                var output = dst.Slice((int)(j * blockSize), bs);
                bool unshuffle = (shuffle || (bitShuffle && bs >= h.TypeSize));
                var target = unshuffle ? temp.AsSpan(0, bs) : output;
                DecodeBlock(src, start, h, bs, isLeftover, target, j, zstd);
                if (unshuffle)
                {
                    if (shuffle)
                    {
                        Shuffle.ByteUnshuffle(target, output, h.TypeSize);
                    }
                    else
                    {
                        Shuffle.BitUnshuffle(target, output, h.TypeSize);
                    }
                }
            }
        }
        finally
        {
            if (temp is not null)
            {
                ArrayPool<byte>.Shared.Return(temp);
            }
        }
    }

    private static void DecodeBlock(ReadOnlySpan<byte> src, int start, Header h, int bs, bool isLeftover, Span<byte> output, long block, ZstdDecompressorPool zstd)
    {
        int nsplits = (h.Flags & FlagDontSplit) == 0 && h.TypeSize <= 16 && bs / h.TypeSize >= 128 && !isLeftover
            ? h.TypeSize
            : 1;
        int neblock = bs / nsplits;
        int pos = start;
        for (int s = 0; s < nsplits; s++)
        {
            if (pos + 4 > src.Length)
            {
                throw new CodecException($"blosc: block {block} split {s} is truncated");
            }

            int csize = BinaryPrimitives.ReadInt32LittleEndian(src[pos..]);
            pos += 4;
            if (csize < 0 || csize > src.Length - pos)
            {
                throw new CodecException($"blosc: block {block} split {s} claims {csize} bytes, beyond the chunk");
            }

            var input = src.Slice(pos, csize);
            var target = output.Slice(s * neblock, neblock);
            if (csize == neblock)
            {
                input.CopyTo(target);
            }
            else
            {
                int n = DecompressSplit(h.Compressor, input, target, zstd);
                if (n != neblock)
                {
                    throw new CodecException($"blosc: block {block} split {s} decodes to {n} bytes, expected {neblock}");
                }
            }

            pos += csize;
        }
    }

    private static int DecompressSplit(int compressor, ReadOnlySpan<byte> input, Span<byte> target, ZstdDecompressorPool zstd)
    {
        switch (compressor)
        {
            case 0:
                return BloscLz.Decompress(input, target);
            case 1:
                return LZ4Codec.Decode(input, target);
            case 2:
                {
                    int length = Snappier.Snappy.GetUncompressedLength(input);
                    return length != target.Length ? -1 : Snappier.Snappy.Decompress(input, target);
                }

            case 3:
                unsafe
                {
                    fixed (byte* p = input)
                    {
                        using var stream = new ZLibStream(new UnmanagedMemoryStream(p, input.Length), CompressionMode.Decompress);
                        int read = 0;
                        while (read < target.Length)
                        {
                            int n = stream.Read(target[read..]);
                            if (n == 0)
                            {
                                break;
                            }

                            read += n;
                        }

                        return read;
                    }
                }

            case 4:
                {
                    var d = zstd.Rent();
                    try
                    {
                        int n = d.Unwrap(input, target);
                        zstd.Return(d);
                        return n;
                    }
                    catch
                    {
                        d.Dispose();
                        throw;
                    }
                }

            default:
                throw new CodecException($"blosc: unknown compressor code {compressor}");
        }
    }
}
