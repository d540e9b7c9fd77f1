using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TileServer.Zarr.Codecs.Blosc;

internal static partial class Shuffle
{
    /// <summary>True when the byte unshuffle runs with 128-bit SIMD (SSE2 or AdvSimd) on this machine.</summary>
    public static bool IsByteUnshuffleAccelerated => Sse2.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>
    /// Byte unshuffle; power-of-two type sizes 2..16 run as a SIMD transpose of <c>typeSize</c> planes × 16 elements
    /// (log2(typeSize) rounds of byte interleaving), the rest falls back to the scalar reference.
    /// </summary>
    public static void ByteUnshuffle(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize)
    {
        int n = src.Length / typeSize;
        if (!IsByteUnshuffleAccelerated || typeSize is not (2 or 4 or 8 or 16) || n < 16)
        {
            ByteUnshuffleScalar(src, dst, typeSize);
            return;
        }

        int vectorized = n & ~15;
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        Span<Vector128<byte>> v = stackalloc Vector128<byte>[16];
        Span<Vector128<byte>> w = stackalloc Vector128<byte>[16];
        int half = typeSize / 2;
        for (int i = 0; i < vectorized; i += 16)
        {
            for (int j = 0; j < typeSize; j++)
            {
                v[j] = Vector128.LoadUnsafe(ref s, (nuint)((j * n) + i));
            }

            for (int round = typeSize; round > 1; round >>= 1)
            {
                for (int k = 0; k < half; k++)
                {
                    w[2 * k] = InterleaveLow(v[k], v[k + half]);
                    w[(2 * k) + 1] = InterleaveHigh(v[k], v[k + half]);
                }

                w[..typeSize].CopyTo(v);
            }

            for (int k = 0; k < typeSize; k++)
            {
                v[k].StoreUnsafe(ref d, (nuint)((i * typeSize) + (16 * k)));
            }
        }

        for (int j = 0; j < typeSize; j++)
        {
            for (int i = vectorized; i < n; i++)
            {
                dst[(i * typeSize) + j] = src[(j * n) + i];
            }
        }

        int tail = n * typeSize;
        src[tail..].CopyTo(dst[tail..]);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InterleaveLow(Vector128<byte> a, Vector128<byte> b)
        => Sse2.IsSupported ? Sse2.UnpackLow(a, b) : AdvSimd.Arm64.ZipLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> InterleaveHigh(Vector128<byte> a, Vector128<byte> b)
        => Sse2.IsSupported ? Sse2.UnpackHigh(a, b) : AdvSimd.Arm64.ZipHigh(a, b);

    /// <summary>
    /// Bit unshuffle with 64-bit SWAR: for each byte position and group of 8 elements, the 8 row bytes form an
    /// 8×8 bit matrix that one transpose (3 mask-and-shift steps) turns into the 8 element bytes.
    /// </summary>
    public static void BitUnshuffle(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize)
    {
        int n = src.Length / typeSize;
        if (n % 8 != 0)
        {
            src.CopyTo(dst);
            return;
        }

        int rowBytes = n / 8;
        for (int k = 0; k < typeSize; k++)
        {
            var rows = src.Slice(8 * k * rowBytes, 8 * rowBytes);
            for (int g = 0; g < rowBytes; g++)
            {
                ulong x = rows[g]
                    | ((ulong)rows[rowBytes + g] << 8)
                    | ((ulong)rows[(2 * rowBytes) + g] << 16)
                    | ((ulong)rows[(3 * rowBytes) + g] << 24)
                    | ((ulong)rows[(4 * rowBytes) + g] << 32)
                    | ((ulong)rows[(5 * rowBytes) + g] << 40)
                    | ((ulong)rows[(6 * rowBytes) + g] << 48)
                    | ((ulong)rows[(7 * rowBytes) + g] << 56);
                x = Transpose8x8(x);
                int e = 8 * g * typeSize;
                if (typeSize == 1)
                {
                    BinaryPrimitives.WriteUInt64LittleEndian(dst[e..], x);
                }
                else
                {
                    for (int m = 0; m < 8; m++)
                    {
                        dst[e + (m * typeSize) + k] = (byte)(x >> (8 * m));
                    }
                }
            }
        }

        int body = n * typeSize;
        src[body..].CopyTo(dst[body..]);
    }

    /// <summary>Transposes an 8×8 bit matrix held as 8 bytes (Hacker's Delight, transpose8).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Transpose8x8(ulong x)
    {
        ulong t = (x ^ (x >> 7)) & 0x00AA00AA00AA00AAUL;
        x ^= t ^ (t << 7);
        t = (x ^ (x >> 14)) & 0x0000CCCC0000CCCCUL;
        x ^= t ^ (t << 14);
        t = (x ^ (x >> 28)) & 0x00000000F0F0F0F0UL;
        x ^= t ^ (t << 28);
        return x;
    }

}
