using System.Numerics;
using System.Runtime.InteropServices;

namespace TileServer.Zarr.Reading;

/// <summary>Copies <c>dst.Length</c> elements starting at <paramref name="srcIndex"/>, every <paramref name="srcStep"/>-th, converting to T.</summary>
internal delegate void RunCopier<T>(ReadOnlySpan<byte> src, long srcIndex, long srcStep, Span<T> dst);

/// <summary>
/// Converting copies from a chunk's native element type to the caller's T, chosen once per (type, T): integers
/// convert like NumPy's astype (wrapping), floats to integers truncate (saturating), bool reads as 0/1.
/// </summary>
internal static class ElementCopier<T>
    where T : unmanaged
{
    private static readonly RunCopier<T>[]? Table = Build();

    public static RunCopier<T> For(ZarrDataType type)
        => Table is { } t ? t[(int)type] : throw new NotSupportedException($"cannot read Zarr data into elements of type {typeof(T).Name}");

    private static RunCopier<T>[]? Build()
    {
        object? table =
            typeof(T) == typeof(float) ? Make<float>() :
            typeof(T) == typeof(double) ? Make<double>() :
            typeof(T) == typeof(byte) ? Make<byte>() :
            typeof(T) == typeof(sbyte) ? Make<sbyte>() :
            typeof(T) == typeof(short) ? Make<short>() :
            typeof(T) == typeof(ushort) ? Make<ushort>() :
            typeof(T) == typeof(int) ? Make<int>() :
            typeof(T) == typeof(uint) ? Make<uint>() :
            typeof(T) == typeof(long) ? Make<long>() :
            typeof(T) == typeof(ulong) ? Make<ulong>() :
            typeof(T) == typeof(Half) ? Make<Half>() :
            null;
        return (RunCopier<T>[]?)table;
    }

    private static RunCopier<TDst>[] Make<TDst>()
        where TDst : unmanaged, INumberBase<TDst>
    {
        // Indexed by ZarrDataType.
        return
        [
            Copy<byte, TDst>,
            Copy<sbyte, TDst>,
            Copy<byte, TDst>,
            Copy<short, TDst>,
            Copy<ushort, TDst>,
            Copy<int, TDst>,
            Copy<uint, TDst>,
            Copy<long, TDst>,
            Copy<ulong, TDst>,
            Copy<Half, TDst>,
            Copy<float, TDst>,
            Copy<double, TDst>,
        ];
    }

    private static void Copy<TSrc, TDst>(ReadOnlySpan<byte> src, long srcIndex, long srcStep, Span<TDst> dst)
        where TSrc : unmanaged, INumberBase<TSrc>
        where TDst : unmanaged, INumberBase<TDst>
    {
        var s = MemoryMarshal.Cast<byte, TSrc>(src);
        if (srcStep == 1)
        {
            var run = s.Slice((int)srcIndex, dst.Length);
            if (typeof(TSrc) == typeof(TDst))
            {
                MemoryMarshal.Cast<TSrc, TDst>(run).CopyTo(dst);
                return;
            }

            for (int i = 0; i < run.Length; i++)
            {
                dst[i] = TDst.CreateTruncating(run[i]);
            }

            return;
        }

        long p = srcIndex;
        for (int i = 0; i < dst.Length; i++, p += srcStep)
        {
            dst[i] = TDst.CreateTruncating(s[(int)p]);
        }
    }
}
