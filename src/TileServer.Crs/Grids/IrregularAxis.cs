namespace TileServer.Crs;

/// <summary>
/// One axis of a rectilinear grid given by its cell centres at any monotonic spacing (Gaussian latitudes, stretched
/// regional grids), ascending or descending. A cell's bounds are the midpoints between its centre and its neighbours';
/// the outer cells reach as far beyond their centre as towards their one neighbour.
/// </summary>
/// <remarks>
/// <see cref="ToIndex"/> is the continuous index the warp planner uses on evenly spaced axes too: centre i is at
/// i + 0.5, the index is linear between neighbouring centres, so the midpoint between centres i and i + 1 is the
/// integer i + 1. Floor of the index is the cell containing the coordinate (a binary search over the centres,
/// equivalent to one over the cell bounds) and its fraction interpolates between centres as on an even axis.
/// </remarks>
public sealed class IrregularAxis
{
    private readonly double[] _keys;
    private readonly double _sign;

    private IrregularAxis(double[] keys, double sign)
    {
        _keys = keys;
        _sign = sign;
        Digest = GridDigest.Of(keys);
        var spacing = new double[keys.Length - 1];
        for (int i = 0; i < spacing.Length; i++)
        {
            spacing[i] = keys[i + 1] - keys[i];
        }

        Array.Sort(spacing);
        MedianSpacing = spacing[spacing.Length / 2];
    }

    /// <summary>Number of cells.</summary>
    public int Count => _keys.Length;

    /// <summary>True when the coordinates decrease with the index (latitudes stored north first).</summary>
    public bool Descending => _sign < 0;

    /// <summary>The median distance between neighbouring centres: the axis's representative cell size.</summary>
    public double MedianSpacing { get; }

    /// <summary>Outer edge of the first cell (before it in index order).</summary>
    public double FirstEdge => Centre(0) - ((Centre(1) - Centre(0)) / 2);

    /// <summary>Outer edge of the last cell.</summary>
    public double LastEdge => Centre(Count - 1) + ((Centre(Count - 1) - Centre(Count - 2)) / 2);

    /// <summary>A stable digest of the centres (part of a dataset's version).</summary>
    public ulong Digest { get; }

    public double Centre(int index) => _sign * _keys[index];

    /// <summary>
    /// The axis for <paramref name="centres"/>; null with the index of the first offending value when there are fewer
    /// than two, one is not finite, or they are not strictly monotonic.
    /// </summary>
    public static IrregularAxis? TryCreate(IReadOnlyList<double> centres, out int badIndex)
    {
        badIndex = -1;
        int n = centres.Count;
        if (n < 2)
        {
            badIndex = n;
            return null;
        }

        double sign = centres[n - 1] < centres[0] ? -1 : 1;
        var keys = new double[n];
        for (int i = 0; i < n; i++)
        {
            keys[i] = sign * centres[i];
            if (!double.IsFinite(keys[i]) || (i > 0 && !(keys[i] > keys[i - 1])))
            {
                badIndex = i;
                return null;
            }
        }

        return new IrregularAxis(keys, sign);
    }

    /// <summary>Continuous index of a coordinate (see remarks); beyond the outer centres the outer spacing continues. NaN for NaN.</summary>
    public double ToIndex(double coordinate)
    {
        var k = _keys;
        int n = k.Length;
        double v = _sign * coordinate;
        if (!(v >= k[0]))
        {
            return double.IsNaN(v) ? double.NaN : 0.5 + ((v - k[0]) / (k[1] - k[0]));
        }

        if (v >= k[n - 1])
        {
            return n - 0.5 + ((v - k[n - 1]) / (k[n - 1] - k[n - 2]));
        }

        int i = Array.BinarySearch(k, v);
        i = i >= 0 ? i : ~i - 1;
        return i + 0.5 + ((v - k[i]) / (k[i + 1] - k[i]));
    }
}

/// <summary>FNV-1a over the bits of coordinate values: a digest that is the same in every process.</summary>
internal static class GridDigest
{
    public static ulong Of(ReadOnlySpan<double> values, ulong seed = 14695981039346656037UL)
    {
        ulong h = seed;
        foreach (double v in values)
        {
            h = (h ^ (ulong)BitConverter.DoubleToInt64Bits(v)) * 1099511628211UL;
        }

        return h;
    }
}
