namespace TileServer.Zarr.Metadata;

/// <summary>
/// Products of shapes taken from metadata, which an attacker or a typo controls: every one saturates at
/// <see cref="long.MaxValue"/> instead of wrapping, so a hostile shape fails a limit rather than turning small.
/// </summary>
internal static class ShapeMath
{
    /// <summary>The product of <paramref name="extents"/> (all non-negative), or <see cref="long.MaxValue"/> when it does not fit.</summary>
    public static long SaturatingProduct(ReadOnlySpan<long> extents)
    {
        long n = 1;
        foreach (long e in extents)
        {
            if (e == 0)
            {
                return 0;
            }

            n = n > long.MaxValue / e ? long.MaxValue : n * e;
        }

        return n;
    }

    /// <inheritdoc cref="SaturatingProduct(ReadOnlySpan{long})"/>
    public static long SaturatingProduct(ReadOnlySpan<int> extents)
    {
        Span<long> wide = extents.Length <= 32 ? stackalloc long[extents.Length] : new long[extents.Length];
        for (int i = 0; i < extents.Length; i++)
        {
            wide[i] = extents[i];
        }

        return SaturatingProduct(wide);
    }

    /// <summary><paramref name="count"/> × <paramref name="size"/>, saturating like <see cref="SaturatingProduct(ReadOnlySpan{long})"/>.</summary>
    public static long SaturatingMultiply(long count, long size)
        => size != 0 && count > long.MaxValue / size ? long.MaxValue : count * size;

    /// <summary>A saturated product as text: the number, with "or more" when it saturated.</summary>
    public static string Describe(long saturated)
        => saturated.ToString(System.Globalization.CultureInfo.InvariantCulture) + (saturated == long.MaxValue ? " or more" : "");

    public static string Format(ReadOnlySpan<int> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    public static string Format(IEnumerable<long> shape) => "[" + string.Join(", ", shape) + "]";
}
