using System.Runtime.CompilerServices;

namespace TileServer.Rendering.Pixels;

/// <summary>
/// The map of one band to 0..255 exactly as rio-tiler renders float32 data with NumPy:
/// <c>((clip(v, min, max) - min) / (max - min)) * 255</c> in float32, then <c>astype(uint8)</c> (truncation).
/// Without a range the values are taken as already 0..255 (clipped, truncated). An inverted range (min &gt; max)
/// runs the ramp backwards; min == max is a step (above min = 255), where NumPy would divide by zero.
/// </summary>
/// <param name="Min">The value that maps to 0 (the ramp runs from it towards the range's other end).</param>
/// <param name="Range">max − min; negative for an inverted range, 0 for a step.</param>
/// <param name="Multiplier">The top of the ramp: 255 for a range, 1 for values already 0..255.</param>
/// <param name="Low">The smaller end of the range: values are clipped to [Low, High].</param>
/// <param name="High">The larger end of the range.</param>
/// <param name="IsStep">min == max: values above min are 255, the others 0.</param>
internal readonly record struct ByteScale(float Min, float Range, float Multiplier, float Low, float High, bool IsStep)
{
    public static ByteScale Identity => new(0, 1, 1, 0, 255, false);

    public static ByteScale From(ValueRange r)
    {
        var min = (float)r.Min;
        var max = (float)r.Max;
        var range = (float)(r.Max - r.Min);
        return new ByteScale(min, range, 255f, Math.Min(min, max), Math.Max(min, max), IsStep: range == 0);
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
