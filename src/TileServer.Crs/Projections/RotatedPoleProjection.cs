using static TileServer.Crs.Projections.Angles;

namespace TileServer.Crs.Projections;

/// <summary>
/// CF <c>rotated_latitude_longitude</c>: longitude/latitude on a sphere whose north pole sits at
/// (<c>grid_north_pole_longitude</c>, <c>grid_north_pole_latitude</c>), the grid's meridians counted from
/// <c>north_pole_grid_longitude</c>. Coordinates are degrees on both sides. The same rotation as PROJ's
/// <c>+proj=ob_tran +o_proj=longlat +o_lat_p=φp +o_lon_p=λ0 +lon_0=180+λp</c> (the mapping GDAL and pyproj use for CF).
/// </summary>
/// <remarks>
/// The rotation acts on the angles alone, so the ellipsoid does not enter: regional climate models state their grid
/// this way and PROJ applies it to geodetic latitude unchanged.
/// </remarks>
internal sealed class RotatedPoleProjection : IProjection
{
    private readonly double _sinPole;
    private readonly double _cosPole;
    private readonly double _lon0;
    private readonly double _gridLon0;

    /// <param name="poleLatitude">Latitude of the rotated grid's north pole in the geographic frame, degrees.</param>
    /// <param name="poleLongitude">Longitude of the rotated grid's north pole in the geographic frame, degrees.</param>
    /// <param name="gridLongitudeOfPole">Longitude of the geographic north pole in the rotated frame, degrees.</param>
    public RotatedPoleProjection(double poleLatitude, double poleLongitude, double gridLongitudeOfPole)
    {
        _sinPole = Math.Sin(poleLatitude * D2R);
        _cosPole = Math.Cos(poleLatitude * D2R);
        _lon0 = (poleLongitude + 180) * D2R;
        _gridLon0 = gridLongitudeOfPole * D2R;
    }

    /// <summary>Geographic longitude/latitude → rotated longitude/latitude.</summary>
    public void Forward(Span<double> x, Span<double> y) => Rotate(x, y, _lon0, _cosPole, _gridLon0);

    /// <summary>Rotated longitude/latitude → geographic longitude/latitude: the same rotation about the other pole.</summary>
    public void Inverse(Span<double> x, Span<double> y) => Rotate(x, y, _gridLon0, -_cosPole, _lon0);

    /// <summary>
    /// Rotates each point: λ is taken from <paramref name="fromLon0"/>, tilted by the pole's latitude (the sign of
    /// <paramref name="cosPole"/> gives the direction) and counted from <paramref name="toLon0"/> on the other side.
    /// </summary>
    private void Rotate(Span<double> x, Span<double> y, double fromLon0, double cosPole, double toLon0)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double lon = x[i], lat = y[i];
            if (!double.IsFinite(lon) || !(Math.Abs(lat) <= 90))
            {
                x[i] = y[i] = double.NaN;
                continue;
            }

            double lam = (lon * D2R) - fromLon0, phi = lat * D2R;
            double cosPhi = Math.Cos(phi), sinPhi = Math.Sin(phi), cosLam = Math.Cos(lam);
            double outLon = Math.Atan2(cosPhi * Math.Sin(lam), (_sinPole * cosPhi * cosLam) + (cosPole * sinPhi)) + toLon0;
            double outLat = Math.Asin(Math.Clamp((_sinPole * sinPhi) - (cosPole * cosPhi * cosLam), -1, 1));
            x[i] = WrapDegrees(outLon * R2D);
            y[i] = outLat * R2D;
        }
    }
}
