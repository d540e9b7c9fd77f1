using System.Runtime.CompilerServices;

namespace TileServer.Rendering.Pixels;

/// <summary>
/// The linear map of one band to 0..255, as rio-tiler renders: scale, clip to 0..255, then truncate
/// (astype uint8). Without a range the values are taken as already 0..255.
/// </summary>
internal readonly struct ByteScale
{
    private const double StepScale = 1e300; // min == max: everything above min saturates, as a step

    private readonly double _min;
    private readonly double _scale;

    private ByteScale(double min, double scale)
    {
        _min = min;
        _scale = scale;
    }

    public static ByteScale Identity => new(0, 1);

    public static ByteScale From(ValueRange range) =>
        range.Max == range.Min ? new(range.Min, StepScale) : new(range.Min, 255.0 / (range.Max - range.Min));

    /// <summary>Not for NaN: callers test NaN first, because NaN is nodata, not a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public byte Apply(float value)
    {
        var t = (value - _min) * _scale;
        return t <= 0 ? (byte)0 : t >= 255 ? (byte)255 : (byte)t;
    }
}
