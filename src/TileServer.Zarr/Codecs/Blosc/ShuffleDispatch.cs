using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.Arm;
using System.Runtime.Intrinsics.X86;

namespace TileServer.Zarr.Codecs.Blosc;

internal static partial class Shuffle
{
    /// <summary>True when the unshuffles run with 128-bit SIMD (SSE2 or AdvSimd) on this machine.</summary>
    public static bool IsAccelerated => Sse2.IsSupported || AdvSimd.Arm64.IsSupported;

    /// <summary>
    /// Byte unshuffle. Type sizes 2, 4 and 8 run as a SIMD transpose of <c>typeSize</c> planes × 16 elements
    /// (log2(typeSize) rounds of byte interleaving held in registers); other sizes use the scalar reference.
    /// </summary>
    public static void ByteUnshuffle(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize)
    {
        int n = src.Length / typeSize;
        if (!IsAccelerated || typeSize is not (2 or 4 or 8) || n < 16)
        {
            ByteUnshuffleScalar(src, dst, typeSize);
            return;
        }

        int vectorized = n & ~15;
        ref byte s = ref MemoryMarshal.GetReference(src);
        ref byte d = ref MemoryMarshal.GetReference(dst);
        switch (typeSize)
        {
            case 2: Unshuffle2(ref s, ref d, n, vectorized); break;
            case 4: Unshuffle4(ref s, ref d, n, vectorized); break;
            default: Unshuffle8(ref s, ref d, n, vectorized); break;
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

    private static void Unshuffle2(ref byte s, ref byte d, int n, int vectorized)
    {
        for (int i = 0; i < vectorized; i += 16)
        {
            var a = Vector128.LoadUnsafe(ref s, (nuint)i);
            var b = Vector128.LoadUnsafe(ref s, (nuint)(n + i));
            nuint o = (nuint)(2 * i);
            Lo(a, b).StoreUnsafe(ref d, o);
            Hi(a, b).StoreUnsafe(ref d, o + 16);
        }
    }

    private static void Unshuffle4(ref byte s, ref byte d, int n, int vectorized)
    {
        for (int i = 0; i < vectorized; i += 16)
        {
            var v0 = Vector128.LoadUnsafe(ref s, (nuint)i);
            var v1 = Vector128.LoadUnsafe(ref s, (nuint)(n + i));
            var v2 = Vector128.LoadUnsafe(ref s, (nuint)((2 * n) + i));
            var v3 = Vector128.LoadUnsafe(ref s, (nuint)((3 * n) + i));
            var w0 = Lo(v0, v2);
            var w1 = Hi(v0, v2);
            var w2 = Lo(v1, v3);
            var w3 = Hi(v1, v3);
            nuint o = (nuint)(4 * i);
            Lo(w0, w2).StoreUnsafe(ref d, o);
            Hi(w0, w2).StoreUnsafe(ref d, o + 16);
            Lo(w1, w3).StoreUnsafe(ref d, o + 32);
            Hi(w1, w3).StoreUnsafe(ref d, o + 48);
        }
    }

    private static void Unshuffle8(ref byte s, ref byte d, int n, int vectorized)
    {
        for (int i = 0; i < vectorized; i += 16)
        {
            var v0 = Vector128.LoadUnsafe(ref s, (nuint)i);
            var v1 = Vector128.LoadUnsafe(ref s, (nuint)(n + i));
            var v2 = Vector128.LoadUnsafe(ref s, (nuint)((2 * n) + i));
            var v3 = Vector128.LoadUnsafe(ref s, (nuint)((3 * n) + i));
            var v4 = Vector128.LoadUnsafe(ref s, (nuint)((4 * n) + i));
            var v5 = Vector128.LoadUnsafe(ref s, (nuint)((5 * n) + i));
            var v6 = Vector128.LoadUnsafe(ref s, (nuint)((6 * n) + i));
            var v7 = Vector128.LoadUnsafe(ref s, (nuint)((7 * n) + i));
            for (int round = 0; round < 3; round++)
            {
                // Perfect shuffle: pair plane k with plane k+4, interleaving bytes.
                var w0 = Lo(v0, v4);
                var w1 = Hi(v0, v4);
                var w2 = Lo(v1, v5);
                var w3 = Hi(v1, v5);
                var w4 = Lo(v2, v6);
                var w5 = Hi(v2, v6);
                var w6 = Lo(v3, v7);
                var w7 = Hi(v3, v7);
                (v0, v1, v2, v3, v4, v5, v6, v7) = (w0, w1, w2, w3, w4, w5, w6, w7);
            }

            nuint o = (nuint)(8 * i);
            v0.StoreUnsafe(ref d, o);
            v1.StoreUnsafe(ref d, o + 16);
            v2.StoreUnsafe(ref d, o + 32);
            v3.StoreUnsafe(ref d, o + 48);
            v4.StoreUnsafe(ref d, o + 64);
            v5.StoreUnsafe(ref d, o + 80);
            v6.StoreUnsafe(ref d, o + 96);
            v7.StoreUnsafe(ref d, o + 112);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lo(Vector128<byte> a, Vector128<byte> b)
        => Sse2.IsSupported ? Sse2.UnpackLow(a, b) : AdvSimd.Arm64.ZipLow(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Hi(Vector128<byte> a, Vector128<byte> b)
        => Sse2.IsSupported ? Sse2.UnpackHigh(a, b) : AdvSimd.Arm64.ZipHigh(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Lo16(Vector128<byte> a, Vector128<byte> b)
        => (Sse2.IsSupported ? Sse2.UnpackLow(a.AsUInt16(), b.AsUInt16()) : AdvSimd.Arm64.ZipLow(a.AsUInt16(), b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Hi16(Vector128<byte> a, Vector128<byte> b)
        => (Sse2.IsSupported ? Sse2.UnpackHigh(a.AsUInt16(), b.AsUInt16()) : AdvSimd.Arm64.ZipHigh(a.AsUInt16(), b.AsUInt16())).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Lo32(Vector128<byte> a, Vector128<byte> b)
        => (Sse2.IsSupported ? Sse2.UnpackLow(a.AsUInt32(), b.AsUInt32()) : AdvSimd.Arm64.ZipLow(a.AsUInt32(), b.AsUInt32())).AsUInt64();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Hi32(Vector128<byte> a, Vector128<byte> b)
        => (Sse2.IsSupported ? Sse2.UnpackHigh(a.AsUInt32(), b.AsUInt32()) : AdvSimd.Arm64.ZipHigh(a.AsUInt32(), b.AsUInt32())).AsUInt64();

    /// <summary>
    /// Bit unshuffle in two passes, as the bitshuffle library does: first each byte plane's 8 bit-rows are
    /// bit-transposed back into bytes (8x16 byte transpose with unpacks, then an 8x8 bit transpose per 64-bit
    /// lane), giving the byte-shuffled layout; then a byte unshuffle interleaves the planes.
    /// </summary>
    public static void BitUnshuffle(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize)
    {
        int n = src.Length / typeSize;
        if (n % 8 != 0)
        {
            src.CopyTo(dst);
            return;
        }

        int body = n * typeSize;
        if (typeSize == 1)
        {
            BitUntransposePlanes(src[..body], dst, n, 1);
        }
        else
        {
            byte[] planes = ArrayPool<byte>.Shared.Rent(body);
            try
            {
                BitUntransposePlanes(src[..body], planes, n, typeSize);
                ByteUnshuffle(planes.AsSpan(0, body), dst, typeSize);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(planes);
            }
        }

        src[body..].CopyTo(dst[body..]);
    }

    /// <summary>For each byte plane k: <c>planes[k*n + e]</c> = byte k of element e, from the 8 bit-rows of that plane.</summary>
    private static void BitUntransposePlanes(ReadOnlySpan<byte> src, Span<byte> planes, int n, int typeSize)
    {
        int rowBytes = n / 8;
        int vectorized = IsAccelerated ? rowBytes & ~15 : 0;
        for (int k = 0; k < typeSize; k++)
        {
            var rows = src.Slice(8 * k * rowBytes, 8 * rowBytes);
            var plane = planes.Slice(k * n, n);
            ref byte r = ref MemoryMarshal.GetReference(rows);
            ref byte p = ref MemoryMarshal.GetReference(plane);
            for (int g = 0; g < vectorized; g += 16)
            {
                var r0 = Vector128.LoadUnsafe(ref r, (nuint)g);
                var r1 = Vector128.LoadUnsafe(ref r, (nuint)(rowBytes + g));
                var r2 = Vector128.LoadUnsafe(ref r, (nuint)((2 * rowBytes) + g));
                var r3 = Vector128.LoadUnsafe(ref r, (nuint)((3 * rowBytes) + g));
                var r4 = Vector128.LoadUnsafe(ref r, (nuint)((4 * rowBytes) + g));
                var r5 = Vector128.LoadUnsafe(ref r, (nuint)((5 * rowBytes) + g));
                var r6 = Vector128.LoadUnsafe(ref r, (nuint)((6 * rowBytes) + g));
                var r7 = Vector128.LoadUnsafe(ref r, (nuint)((7 * rowBytes) + g));

                // 8x16 byte transpose: afterwards each 64-bit lane holds (r0..r7)[g'] for one g'.
                var a0 = Lo(r0, r1);
                var a1 = Hi(r0, r1);
                var b0 = Lo(r2, r3);
                var b1 = Hi(r2, r3);
                var c0 = Lo(r4, r5);
                var c1 = Hi(r4, r5);
                var d0 = Lo(r6, r7);
                var d1 = Hi(r6, r7);
                var e0 = Lo16(a0, b0);
                var e1 = Hi16(a0, b0);
                var e2 = Lo16(a1, b1);
                var e3 = Hi16(a1, b1);
                var f0 = Lo16(c0, d0);
                var f1 = Hi16(c0, d0);
                var f2 = Lo16(c1, d1);
                var f3 = Hi16(c1, d1);
                nuint o = (nuint)(8 * g);
                Transpose8x8(Lo32(e0, f0)).AsByte().StoreUnsafe(ref p, o);
                Transpose8x8(Hi32(e0, f0)).AsByte().StoreUnsafe(ref p, o + 16);
                Transpose8x8(Lo32(e1, f1)).AsByte().StoreUnsafe(ref p, o + 32);
                Transpose8x8(Hi32(e1, f1)).AsByte().StoreUnsafe(ref p, o + 48);
                Transpose8x8(Lo32(e2, f2)).AsByte().StoreUnsafe(ref p, o + 64);
                Transpose8x8(Hi32(e2, f2)).AsByte().StoreUnsafe(ref p, o + 80);
                Transpose8x8(Lo32(e3, f3)).AsByte().StoreUnsafe(ref p, o + 96);
                Transpose8x8(Hi32(e3, f3)).AsByte().StoreUnsafe(ref p, o + 112);
            }

            for (int g = vectorized; g < rowBytes; g++)
            {
                ulong x = rows[g]
                    | ((ulong)rows[rowBytes + g] << 8)
                    | ((ulong)rows[(2 * rowBytes) + g] << 16)
                    | ((ulong)rows[(3 * rowBytes) + g] << 24)
                    | ((ulong)rows[(4 * rowBytes) + g] << 32)
                    | ((ulong)rows[(5 * rowBytes) + g] << 40)
                    | ((ulong)rows[(6 * rowBytes) + g] << 48)
                    | ((ulong)rows[(7 * rowBytes) + g] << 56);
                MemoryMarshal.Write(plane[(8 * g)..], Transpose8x8(x));
            }
        }
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<ulong> Transpose8x8(Vector128<ulong> x)
    {
        var t = (x ^ Vector128.ShiftRightLogical(x, 7)) & Vector128.Create(0x00AA00AA00AA00AAUL);
        x ^= t ^ Vector128.ShiftLeft(t, 7);
        t = (x ^ Vector128.ShiftRightLogical(x, 14)) & Vector128.Create(0x0000CCCC0000CCCCUL);
        x ^= t ^ Vector128.ShiftLeft(t, 14);
        t = (x ^ Vector128.ShiftRightLogical(x, 28)) & Vector128.Create(0x00000000F0F0F0F0UL);
        x ^= t ^ Vector128.ShiftLeft(t, 28);
        return x;
    }
}
