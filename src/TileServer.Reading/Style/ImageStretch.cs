namespace TileServer.Reading.Style;

/// <summary>
/// The fallback stretch while a dataset's statistics are not ready: the 2nd and 98th percentiles of one image's own
/// valid values (all bands together), from at most <see cref="MaxSamples"/> of them taken at an even stride.
/// </summary>
public static class ImageStretch
{
    public const int MaxSamples = 65536;

    /// <summary>The stretch of <paramref name="values"/>, or null when none is finite.</summary>
    public static Stretch? Of(ReadOnlySpan<float> values)
    {
        int stride = Math.Max(1, values.Length / MaxSamples);
        var sample = new float[Math.Min(values.Length, MaxSamples + 1)];
        int n = 0;
        for (int i = 0; i < values.Length && n < sample.Length; i += stride)
        {
            if (float.IsFinite(values[i]))
            {
                sample[n++] = values[i];
            }
        }

        if (n == 0)
        {
            return null;
        }

        Array.Sort(sample, 0, n);
        double lo = sample[(int)Math.Round(0.02 * (n - 1))], hi = sample[(int)Math.Round(0.98 * (n - 1))];
        return hi > lo ? new Stretch(lo, hi) : sample[n - 1] > sample[0] ? new Stretch(sample[0], sample[n - 1]) : new Stretch(sample[0] - 0.5, sample[0] + 0.5);
    }
}
