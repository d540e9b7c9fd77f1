using System.Runtime.CompilerServices;

namespace TileServer.Rendering.Pixels;

/// <summary>
/// The map of one band to 0..255 exactly as rio-tiler renders float32 data with NumPy:
/// <c>((clip(v, min, max) - min) / (max - min)) * 255</c> in float32, then <c>astype(uint8)</c> (truncation).
/// Without a range the values are taken as already 0..255 (clipped, truncated). An inverted range (min &gt; max)
/// runs the ramp backwards; min == max is a step (above min = 255), where NumPy would divide by zero.
/// </summary>
internal readonly struct ByteScale
{
    private ByteScale(float min, float range, float multiplier, float low, float high, bool isStep)
    {
        Min = min;
        Range = range;
        Multiplier = multiplier;
        Low = low;
        High = high;
        IsStep = isStep;
    }

    public float Min { get; }

    public float Range { get; }

    public float Multiplier { get; }

    public float Low { get; }

    public float High { get; }

    public bool IsStep { get; }

    public static ByteScale Identity => new(0, 1, 1, 0, 255, false);

    public static ByteScale From(ValueRange r)
    {
        var min = (float)r.Min;
        var max = (float)r.Max;
        var range = (float)(r.Max - r.Min);
        return new ByteScale(min, range, 255f, Math.Min(min, max), Math.Max(min, max), isStep: range == 0);
    }

    /// <summary>Not for NaN: callers test NaN first, because NaN is nodata, not a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Apply(float value)
    {
        if (IsStep) return value > Min ? (byte)255 : (byte)0;
        var clipped = Math.Min(Math.Max(value, Low), High);
        var t = (clipped - Min) / Range * Multiplier;
        return t <= 0 ? (byte)0 : t >= 255 ? (byte)255 : (byte)t;
    }
}
