namespace TileServer.Tiling;

/// <summary>The OGC 0.28 mm "standardized rendering pixel" rule linking scale denominators and cell sizes.</summary>
public static class ScaleMath
{
    public const double StandardPixelSizeMeters = 0.00028;

    /// <summary>Metres per degree on the WGS 84 equator: 2π·6378137/360 (the convention TMS uses for degree CRSs).</summary>
    public const double MetersPerDegree = 2 * Math.PI * 6378137.0 / 360.0;

    public static double CellSizeFromScale(double scaleDenominator, double metersPerUnit) => scaleDenominator * StandardPixelSizeMeters / metersPerUnit;

    public static double ScaleFromCellSize(double cellSize, double metersPerUnit) => cellSize * metersPerUnit / StandardPixelSizeMeters;
}
