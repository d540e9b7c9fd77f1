namespace TileServer.Rendering;

/// <summary>A class: raw values in [Min, Max) get <see cref="Color"/>; Min == Max matches that value exactly. <see cref="Label"/> names it in legends.</summary>
public readonly record struct ColorInterval(double Min, double Max, RgbaColor Color, string? Label = null)
{
    public bool Contains(double value) => Min == Max ? value == Min : value >= Min && value < Max;
}

/// <summary>
/// TiTiler's "intervals" colormap: classes of the raw (not rescaled) value. Values in no class are transparent.
/// The first matching class wins.
/// </summary>
public sealed class IntervalColormap : IColormap
{
    /// <summary>One palette index is kept for "no class", so a tile stays a palette PNG.</summary>
    public const int MaxIntervals = 255;

    private readonly ColorInterval[] _intervals;

    public IntervalColormap(IEnumerable<ColorInterval> intervals, string name = "custom-intervals")
    {
        ArgumentNullException.ThrowIfNull(intervals);
        _intervals = [.. intervals];
        if (_intervals.Length is 0 or > MaxIntervals)
        {
            throw new ArgumentException($"an interval colormap needs 1..{MaxIntervals} classes, got {_intervals.Length}", nameof(intervals));
        }

        foreach (var c in _intervals)
        {
            if (double.IsNaN(c.Min) || double.IsNaN(c.Max) || c.Max < c.Min)
            {
                throw new ArgumentException($"interval [{c.Min}, {c.Max}] is not a range with min <= max", nameof(intervals));
            }
        }

        Name = name;
    }

    public string Name { get; }

    public IReadOnlyList<ColorInterval> Intervals => _intervals;

    /// <summary>Index of the first class containing <paramref name="value"/>, or -1.</summary>
    public int Classify(double value)
    {
        var intervals = _intervals;
        for (var i = 0; i < intervals.Length; i++)
        {
            if (intervals[i].Contains(value)) return i;
        }

        return -1;
    }
}
