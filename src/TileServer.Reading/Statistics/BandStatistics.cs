namespace TileServer.Reading.Statistics;

/// <summary>
/// Statistics of one band over an area, as TiTiler reports them. With coverage weights, <see cref="Count"/>,
/// <see cref="Sum"/>, <see cref="Mean"/>, <see cref="Std"/>, <see cref="Median"/> and the percentiles weigh each cell
/// by its covered fraction; min, max, majority, minority, unique, the histogram and the pixel counts count cells.
/// Values without data (NaN) count as masked. Quantities of an empty area are NaN.
/// </summary>
public sealed record BandStatistics
{
    public double Min { get; init; } = double.NaN;
    public double Max { get; init; } = double.NaN;
    public double Mean { get; init; } = double.NaN;
    public double Count { get; init; }
    public double Sum { get; init; }
    public double Std { get; init; } = double.NaN;
    public double Median { get; init; } = double.NaN;
    public double Majority { get; init; } = double.NaN;
    public double Minority { get; init; } = double.NaN;
    public double Unique { get; init; }

    /// <summary>Counts per bin (or class) and the bin edges (or class values).</summary>
    public required IReadOnlyList<double> HistogramCounts { get; init; }
    public required IReadOnlyList<double> HistogramEdges { get; init; }

    /// <summary>Percent of the selected cells that have data, rounded to 2 decimals.</summary>
    public double ValidPercent { get; init; }

    /// <summary>Selected cells without data.</summary>
    public double MaskedPixels { get; init; }

    /// <summary>Selected cells with data.</summary>
    public double ValidPixels { get; init; }

    /// <summary>(percentile, value) pairs, ascending.</summary>
    public required IReadOnlyList<(double Percentile, double Value)> Percentiles { get; init; }
}
