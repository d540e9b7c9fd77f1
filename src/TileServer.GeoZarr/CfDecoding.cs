namespace TileServer.GeoZarr;

/// <summary>
/// How stored numbers become values (CF packing and nodata). A stored number equal to a fill/missing
/// value, NaN, or outside the valid range is nodata; others decode to <c>stored·ScaleFactor + AddOffset</c>.
/// </summary>
public sealed record CfDecoding
{
    public double ScaleFactor { get; init; } = 1.0;
    public double AddOffset { get; init; }

    /// <summary>Stored values meaning "no data" (<c>_FillValue</c>, <c>missing_value</c>, a configured nodata).</summary>
    public IReadOnlyList<double> NodataValues { get; init; } = [];

    /// <summary>Valid range in stored units (<c>valid_min</c>/<c>valid_max</c>/<c>valid_range</c>); null = unbounded.</summary>
    public double? ValidMin { get; init; }
    public double? ValidMax { get; init; }

    public bool IsIdentity => ScaleFactor == 1.0 && AddOffset == 0.0 && NodataValues.Count == 0 && ValidMin is null && ValidMax is null;

    public static CfDecoding None { get; } = new();
}
