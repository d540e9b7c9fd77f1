namespace TileServer.Crs.Projections;

/// <summary>Degree/radian factors and longitude wrapping, as every projection uses them.</summary>
internal static class Angles
{
    public const double D2R = Math.PI / 180.0;
    public const double R2D = 180.0 / Math.PI;

    /// <summary>A longitude in degrees brought into [−180°, 180°] (values already inside are returned as they are).</summary>
    public static double WrapDegrees(double d) => d is >= -180 and <= 180 ? d : d - (360 * Math.Floor((d + 180) / 360));
}
