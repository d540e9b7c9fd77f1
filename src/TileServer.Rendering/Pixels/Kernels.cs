using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace TileServer.Rendering.Pixels;

/// <summary>Tight per-pixel loops over spans; no allocation.</summary>
internal static class Kernels
{
    /// <summary>Rescales one band to bytes. NaN pixels get <paramref name="nanIndex"/>. Returns the number of NaN pixels.</summary>
    public static int QuantizeBand(ReadOnlySpan<float> src, Span<byte> dst, ByteScale scale, byte nanIndex)
    {
        dst = dst[..src.Length];
        var nan = 0;
        var done = 0;
        if (Vector.IsHardwareAccelerated && !scale.IsStep) done = QuantizeVector(src, dst, scale, nanIndex, out nan);
        return nan + QuantizeScalar(src[done..], dst[done..], scale, nanIndex);
    }

    /// <summary>The reference kernel; also handles the tail the vector kernel leaves.</summary>
    internal static int QuantizeScalar(ReadOnlySpan<float> src, Span<byte> dst, ByteScale scale, byte nanIndex)
    {
        var nan = 0;
        dst = dst[..src.Length];
        for (var i = 0; i < src.Length; i++)
        {
            var v = src[i];
            if (float.IsNaN(v))
            {
                dst[i] = nanIndex;
                nan++;
            }
            else
            {
                dst[i] = scale.Apply(v);
            }
        }

        return nan;
    }

    /// <summary>
    /// Four float vectors at a time: scale, replace NaN, clamp, truncate, narrow to one byte vector.
    /// Returns how many values it did (a multiple of 4 x Vector&lt;float&gt;.Count).
    /// </summary>
    private static int QuantizeVector(ReadOnlySpan<float> src, Span<byte> dst, ByteScale scale, byte nanIndex, out int nanCount)
    {
        var lanes = Vector<float>.Count;
        var block = lanes * 4;
        var count = src.Length / block * block;
        var min = new Vector<float>(scale.Min);
        var range = new Vector<float>(scale.Range);
        var multiplier = new Vector<float>(scale.Multiplier);
        var low = new Vector<float>(scale.Low);
        var high = new Vector<float>(scale.High);
        var nanValue = new Vector<float>(nanIndex);
        var nanLanes = Vector<int>.Zero;
        var srcVectors = MemoryMarshal.Cast<float, Vector<float>>(src[..count]);
        var dstVectors = MemoryMarshal.Cast<byte, Vector<byte>>(dst[..count]);
        for (var i = 0; i < dstVectors.Length; i++)
        {
            var a = Lane(srcVectors[(i * 4) + 0], min, range, multiplier, low, high, nanValue, ref nanLanes);
            var b = Lane(srcVectors[(i * 4) + 1], min, range, multiplier, low, high, nanValue, ref nanLanes);
            var c = Lane(srcVectors[(i * 4) + 2], min, range, multiplier, low, high, nanValue, ref nanLanes);
            var d = Lane(srcVectors[(i * 4) + 3], min, range, multiplier, low, high, nanValue, ref nanLanes);
            dstVectors[i] = Vector.Narrow(Vector.Narrow(a, b), Vector.Narrow(c, d));
        }

        nanCount = -Vector.Sum(nanLanes);
        return count;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector<uint> Lane(Vector<float> v, Vector<float> min, Vector<float> range, Vector<float> multiplier, Vector<float> low, Vector<float> high, Vector<float> nanValue, ref Vector<int> nanLanes)
    {
        var isNumber = Vector.Equals(v, v);
        nanLanes += Vector.OnesComplement(isNumber); // -1 per NaN lane
        var clipped = Vector.Min(Vector.Max(v, low), high);
        var t = Vector.Min(Vector.Max((clipped - min) / range * multiplier, Vector<float>.Zero), new Vector<float>(255f));
        t = Vector.ConditionalSelect(isNumber, t, nanValue);
        return Vector.AsVectorUInt32(Vector.ConvertToInt32(t));
    }

    /// <summary>Class index of each raw value; <paramref name="noClass"/> where none matches, <paramref name="nanIndex"/> for NaN.</summary>
    public static void Classify(ReadOnlySpan<float> src, Span<byte> dst, IntervalColormap colormap, byte noClass, byte nanIndex)
    {
        dst = dst[..src.Length];
        for (var i = 0; i < src.Length; i++)
        {
            var v = src[i];
            if (float.IsNaN(v))
            {
                dst[i] = nanIndex;
                continue;
            }

            var c = colormap.Classify(v);
            dst[i] = c < 0 ? noClass : (byte)c;
        }
    }

    /// <summary>Sets <paramref name="index"/> where the source value is NaN; whole vectors without NaN are skipped.</summary>
    public static void FillNaN(ReadOnlySpan<float> src, Span<byte> dst, byte index)
    {
        var lanes = Vector<float>.Count;
        var vectors = MemoryMarshal.Cast<float, Vector<float>>(src);
        for (var v = 0; v < vectors.Length; v++)
        {
            if (Vector.EqualsAll(vectors[v], vectors[v])) continue;
            for (var i = v * lanes; i < (v + 1) * lanes; i++)
            {
                if (float.IsNaN(src[i])) dst[i] = index;
            }
        }

        for (var i = vectors.Length * lanes; i < src.Length; i++)
        {
            if (float.IsNaN(src[i])) dst[i] = index;
        }
    }

    /// <summary>Marks which palette indices occur (NaN pixels hold the quantizer's nanIndex, which is marked too).</summary>
    public static void MarkUsed(ReadOnlySpan<byte> indices, Span<bool> used)
    {
        foreach (var i in indices) used[i] = true;
    }

    /// <summary>
    /// <see cref="QuantizeBand"/> for a <paramref name="width"/>-wide plane whose rows may repeat the row above
    /// (<paramref name="repeatedRows"/>, empty = none repeat): a repeated row is copied, not computed again.
    /// Returns the number of NaN pixels.
    /// </summary>
    public static int QuantizeRows(ReadOnlySpan<float> src, Span<byte> dst, int width, ReadOnlySpan<bool> repeatedRows, ByteScale scale, byte nanIndex)
    {
        if (repeatedRows.IsEmpty) return QuantizeBand(src, dst, scale, nanIndex);
        var nan = 0;
        var rowNan = 0;
        for (var j = 0; j < repeatedRows.Length; j++)
        {
            var row = dst.Slice(j * width, width);
            if (j > 0 && repeatedRows[j])
            {
                dst.Slice((j - 1) * width, width).CopyTo(row);
            }
            else
            {
                rowNan = QuantizeBand(src.Slice(j * width, width), row, scale, nanIndex);
            }

            nan += rowNan;
        }

        return nan;
    }

    /// <summary>
    /// Rescales 2..4 band planes to one byte plane each (<paramref name="bytePlanes"/>, band-major, NaN → 0).
    /// Returns the number of NaN values over all bands.
    /// </summary>
    public static int QuantizePlanes(ReadOnlySpan<float> planes, int bands, int width, int height, ReadOnlySpan<bool> repeatedRows, ReadOnlySpan<ByteScale> scales, Span<byte> bytePlanes)
    {
        var pixels = width * height;
        var nan = 0;
        for (var b = 0; b < bands; b++)
        {
            nan += QuantizeRows(planes.Slice(b * pixels, pixels), bytePlanes.Slice(b * pixels, pixels), width, repeatedRows, scales[b], nanIndex: 0);
        }

        return nan;
    }

    /// <summary>
    /// Interleaves byte planes from <see cref="QuantizePlanes"/> into samples with <paramref name="channels"/> per
    /// pixel; a channel beyond the bands (RGB + mask) is set to 255. With 2 bands the second band is alpha
    /// (grey+alpha); with 4 the fourth. Rows marked in <paramref name="repeatedRows"/> are copied from the row above.
    /// </summary>
    public static void InterleavePlanes(ReadOnlySpan<byte> bytePlanes, int bands, int width, int height, ReadOnlySpan<bool> repeatedRows, Span<byte> dst, int channels)
    {
        var pixels = width * height;
        dst = dst[..(pixels * channels)];
        bytePlanes = bytePlanes[..(pixels * bands)];
        var rowBytes = width * channels;
        var j = 0;
        while (j < height)
        {
            // A run of rows computed together, up to the next repeated row.
            var end = j + 1;
            while (end < height && (repeatedRows.IsEmpty || !repeatedRows[end])) end++;
            InterleaveRange(bytePlanes, bands, pixels, j * width, (end - j) * width, dst, channels);
            j = end;
            while (j < height && !repeatedRows.IsEmpty && repeatedRows[j])
            {
                dst.Slice((j - 1) * rowBytes, rowBytes).CopyTo(dst.Slice(j * rowBytes, rowBytes));
                j++;
            }
        }
    }

    private static void InterleaveRange(ReadOnlySpan<byte> bytePlanes, int bands, int pixels, int first, int count, Span<byte> dst, int channels)
    {
        ref var d = ref MemoryMarshal.GetReference(dst);
        ref var p0 = ref MemoryMarshal.GetReference(bytePlanes);
        var end = first + count;
        switch ((bands, channels))
        {
            case (3, 3):
                for (var i = first; i < end; i++)
                {
                    ref var o = ref Unsafe.Add(ref d, i * 3);
                    o = Unsafe.Add(ref p0, i);
                    Unsafe.Add(ref o, 1) = Unsafe.Add(ref p0, pixels + i);
                    Unsafe.Add(ref o, 2) = Unsafe.Add(ref p0, (2 * pixels) + i);
                }

                return;
            case (3, 4) or (4, 4):
                for (var i = first; i < end; i++)
                {
                    var a = bands == 4 ? Unsafe.Add(ref p0, (3 * pixels) + i) : (byte)255;
                    var packed = Unsafe.Add(ref p0, i) | ((uint)Unsafe.Add(ref p0, pixels + i) << 8) | ((uint)Unsafe.Add(ref p0, (2 * pixels) + i) << 16) | ((uint)a << 24);
                    Unsafe.WriteUnaligned(ref Unsafe.Add(ref d, i * 4), BitConverter.IsLittleEndian ? packed : BinaryPrimitives.ReverseEndianness(packed));
                }

                return;
            default:
                for (var i = first; i < end; i++)
                {
                    for (var b = 0; b < bands; b++) dst[(i * channels) + b] = bytePlanes[(b * pixels) + i];
                    for (var c = bands; c < channels; c++) dst[(i * channels) + c] = 255;
                }

                return;
        }
    }

    /// <summary>
    /// Blanks the pixels that are NaN in any band: black, alpha 0 when masking (255 otherwise) where there is an
    /// alpha channel; or <paramref name="fill"/> (one sample per channel) when given. Whole vectors without NaN are skipped.
    /// </summary>
    public static void MaskNaN(ReadOnlySpan<float> planes, int bands, int pixels, Span<byte> dst, int channels, bool returnMask, ReadOnlySpan<byte> fill = default)
    {
        var invalidAlpha = returnMask ? (byte)0 : (byte)255;
        var hasAlpha = channels is 2 or 4;
        var lanes = Vector<float>.Count;
        for (var b = 0; b < bands; b++)
        {
            var plane = planes.Slice(b * pixels, pixels);
            var vectors = MemoryMarshal.Cast<float, Vector<float>>(plane);
            for (var v = 0; v <= vectors.Length; v++)
            {
                if (v < vectors.Length && Vector.EqualsAll(vectors[v], vectors[v])) continue;
                var end = v < vectors.Length ? (v + 1) * lanes : pixels;
                for (var i = v * lanes; i < end; i++)
                {
                    if (!float.IsNaN(plane[i])) continue;
                    var o = dst.Slice(i * channels, channels);
                    if (!fill.IsEmpty)
                    {
                        fill.CopyTo(o);
                        continue;
                    }

                    o.Clear();
                    if (hasAlpha) o[channels - 1] = invalidAlpha;
                }
            }
        }
    }

    /// <summary>Palette lookup into packed RGBA pixels.</summary>
    public static void ExpandIndexed(ReadOnlySpan<byte> indices, ReadOnlySpan<uint> palette, Span<uint> rgba)
    {
        Span<uint> table = stackalloc uint[256];
        palette.CopyTo(table);
        rgba = rgba[..indices.Length];
        for (var i = 0; i < indices.Length; i++) rgba[i] = table[indices[i]];
    }

    /// <summary>Grey+alpha, RGB or RGBA samples to RGBA bytes.</summary>
    public static void ExpandDirect(ReadOnlySpan<byte> samples, int channels, Span<byte> rgba)
    {
        var pixels = samples.Length / channels;
        switch (channels)
        {
            case 4:
                samples.CopyTo(rgba);
                break;
            case 3:
                for (var i = 0; i < pixels; i++)
                {
                    rgba[i * 4] = samples[i * 3];
                    rgba[(i * 4) + 1] = samples[(i * 3) + 1];
                    rgba[(i * 4) + 2] = samples[(i * 3) + 2];
                    rgba[(i * 4) + 3] = 255;
                }

                break;
            case 2:
                for (var i = 0; i < pixels; i++)
                {
                    var g = samples[i * 2];
                    rgba[i * 4] = g;
                    rgba[(i * 4) + 1] = g;
                    rgba[(i * 4) + 2] = g;
                    rgba[(i * 4) + 3] = samples[(i * 2) + 1];
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(channels), channels, "expected 2..4 channels");
        }
    }
}
