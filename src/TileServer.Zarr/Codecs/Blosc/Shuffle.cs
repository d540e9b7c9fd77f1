namespace TileServer.Zarr.Codecs.Blosc;

/// <summary>
/// Byte and bit unshuffle of Blosc blocks and of the numcodecs Shuffle filter. The scalar versions are the
/// reference the vectorised ones are tested against.
/// </summary>
internal static partial class Shuffle
{
    /// <summary>Scalar byte unshuffle: <c>dst[i*ts + j] = src[j*n + i]</c>, trailing bytes copied unchanged.</summary>
    public static void ByteUnshuffleScalar(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize)
    {
        int n = src.Length / typeSize;
        for (int j = 0; j < typeSize; j++)
        {
            var plane = src.Slice(j * n, n);
            for (int i = 0; i < n; i++)
            {
                dst[(i * typeSize) + j] = plane[i];
            }
        }

        int tail = n * typeSize;
        src[tail..].CopyTo(dst[tail..]);
    }

    /// <summary>
    /// Scalar bit unshuffle (c-blosc 1.x): 8*typesize rows of n/8 bytes; row 8k+b holds bit b of byte k of each
    /// element. When n is not a multiple of 8 the block was not bit-shuffled and is copied.
    /// </summary>
    public static void BitUnshuffleScalar(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize)
    {
        int n = src.Length / typeSize;
        if (n % 8 != 0)
        {
            src.CopyTo(dst);
            return;
        }

        int rowBytes = n / 8;
        int body = n * typeSize;
        dst[..body].Clear();
        for (int k = 0; k < typeSize; k++)
        {
            for (int b = 0; b < 8; b++)
            {
                var row = src.Slice(((8 * k) + b) * rowBytes, rowBytes);
                for (int e = 0; e < n; e++)
                {
                    if (((row[e >> 3] >> (e & 7)) & 1) != 0)
                    {
                        dst[(e * typeSize) + k] |= (byte)(1 << b);
                    }
                }
            }
        }

        src[body..].CopyTo(dst[body..]);
    }
}
