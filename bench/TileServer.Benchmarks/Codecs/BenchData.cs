using System.Buffers.Binary;
using K4os.Compression.LZ4;
using TileServer.Zarr.Codecs.Blosc;

namespace TileServer.Benchmarks.Codecs;

/// <summary>Inputs for the codec benchmarks: a smooth float32 raster (compressible like real imagery) and encoders.</summary>
internal static class BenchData
{
    public static byte[] SmoothFloats(int width, int height)
    {
        var bytes = new byte[width * height * 4];
        for (int y = 0; y < height; y++)
        {
            for (int x = 0; x < width; x++)
            {
                float v = (100f * y) + (3f * x) + (5f * MathF.Sin(x / 3f));
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(((y * width) + x) * 4), v);
            }
        }

        return bytes;
    }

    /// <summary>Byte shuffle (the encoder side of <see cref="Shuffle.ByteUnshuffleScalar"/>).</summary>
    public static byte[] ByteShuffle(ReadOnlySpan<byte> src, int typeSize)
    {
        int n = src.Length / typeSize;
        var dst = new byte[src.Length];
        for (int i = 0; i < n; i++)
        {
            for (int j = 0; j < typeSize; j++)
            {
                dst[(j * n) + i] = src[(i * typeSize) + j];
            }
        }

        src[(n * typeSize)..].CopyTo(dst.AsSpan(n * typeSize));
        return dst;
    }

    /// <summary>Bit shuffle (c-blosc 1.x layout), the inverse of <see cref="Shuffle.BitUnshuffleScalar"/>.</summary>
    public static byte[] BitShuffle(ReadOnlySpan<byte> src, int typeSize)
    {
        int n = src.Length / typeSize;
        var dst = new byte[src.Length];
        int rowBytes = n / 8;
        for (int k = 0; k < typeSize; k++)
        {
            for (int b = 0; b < 8; b++)
            {
                int row = ((8 * k) + b) * rowBytes;
                for (int e = 0; e < n; e++)
                {
                    if (((src[(e * typeSize) + k] >> b) & 1) != 0)
                    {
                        dst[row + (e >> 3)] |= (byte)(1 << (e & 7));
                    }
                }
            }
        }

        return dst;
    }

    public static byte[] Lz4Block(ReadOnlySpan<byte> data)
    {
        var target = new byte[LZ4Codec.MaximumOutputSize(data.Length)];
        int n = LZ4Codec.Encode(data, target);
        return target[..n];
    }

    /// <summary>
    /// A minimal Blosc1 encoder (header, block starts, one split per byte of the type as c-blosc does for
    /// typesize ≤ 16), enough to feed the decoder the frames numcodecs would write. Also returns the splits so
    /// the raw-library baseline decodes exactly the same compressed bytes.
    /// </summary>
    public static (byte[] Frame, List<(byte[] Compressed, int Size)> Splits) BloscEncode(byte[] data, int typeSize, int blockSize, bool bitShuffle, bool zstd)
    {
        int nblocks = (data.Length + blockSize - 1) / blockSize;
        var splits = new List<(byte[], int)>();
        using var body = new MemoryStream();
        var starts = new int[nblocks];
        int headerAndStarts = 16 + (4 * nblocks);
        using var compressor = new ZstdSharp.Compressor(3);
        for (int j = 0; j < nblocks; j++)
        {
            starts[j] = headerAndStarts + (int)body.Length;
            var block = data.AsSpan(j * blockSize, Math.Min(blockSize, data.Length - (j * blockSize)));
            var shuffled = bitShuffle ? BitShuffle(block, typeSize) : ByteShuffle(block, typeSize);
            bool split = !bitShuffle && block.Length == blockSize && block.Length / typeSize >= 128;
            int nsplits = split ? typeSize : 1;
            int neblock = block.Length / nsplits;
            for (int s = 0; s < nsplits; s++)
            {
                var part = shuffled.AsSpan(s * neblock, neblock);
                byte[] c = zstd ? compressor.Wrap(part).ToArray() : Lz4Block(part);

                var size = new byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(size, c.Length);
                body.Write(size);
                body.Write(c);
                splits.Add((c, neblock));
            }
        }

        var frame = new byte[headerAndStarts + body.Length];
        frame[0] = 2;
        frame[1] = 1;
        byte flags = (byte)((bitShuffle ? 0x04 : 0x01) | ((zstd ? 4 : 1) << 5) | (bitShuffle ? 0x10 : 0));
        frame[2] = flags;
        frame[3] = (byte)typeSize;
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(4), data.Length);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(8), blockSize);
        BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(12), frame.Length);
        for (int j = 0; j < nblocks; j++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(frame.AsSpan(16 + (4 * j)), starts[j]);
        }

        body.ToArray().CopyTo(frame, headerAndStarts);
        return (frame, splits);
    }
}
