namespace TileServer.Reading.Statistics;

/// <summary>What a statistics request asks for besides the defaults (TiTiler's parameters).</summary>
public sealed record StatisticsOptions
{
    public static readonly IReadOnlyList<double> DefaultPercentiles = [2, 98];

    /// <summary>
    /// Count values as classes: the histogram lists each value (or each of <see cref="Categories"/>) with its count.
    /// Null = decided by the data: categorical for a variable with CF <c>flag_values</c> (counting those classes).
    /// </summary>
    public bool? Categorical { get; init; }

    /// <summary>With <see cref="Categorical"/>: the classes to count (<c>c=</c>); empty = every value present.</summary>
    public IReadOnlyList<double> Categories { get; init; } = [];

    /// <summary>Percentiles to report (0..100); 2 and 98 are always reported.</summary>
    public IReadOnlyList<double> Percentiles { get; init; } = DefaultPercentiles;

    /// <summary>Number of equal histogram bins (<c>histogram_bins=N</c>), unless <see cref="HistogramEdges"/> are given.</summary>
    public int HistogramBins { get; init; } = 10;

    /// <summary>Explicit, increasing bin edges (<c>histogram_bins=e0,e1,...</c>).</summary>
    public IReadOnlyList<double>? HistogramEdges { get; init; }

    /// <summary>Range of the equal bins (<c>histogram_range=min,max</c>); null = the data's min and max.</summary>
    public Stretch? HistogramRange { get; init; }

    /// <summary>Weigh each cell by the fraction of it the geometry covers (exact overlap) instead of selecting cells by their centre.</summary>
    public bool CoverageWeighted { get; init; }

    public const int MaxHistogramBins = 10_000;
    public const int MaxPercentiles = 32;
}
