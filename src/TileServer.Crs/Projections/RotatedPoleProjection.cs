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
    private const double D2R = Math.PI / 180.0;
    private const double R2D = 180.0 / Math.PI;

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
    public void Forward(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double lon = x[i], lat = y[i];
            if (!double.IsFinite(lon) || !(Math.Abs(lat) <= 90))
            {
                x[i] = y[i] = double.NaN;
                continue;
            }

            double lam = (lon * D2R) - _lon0, phi = lat * D2R;
            double cosPhi = Math.Cos(phi), sinPhi = Math.Sin(phi), cosLam = Math.Cos(lam);
            double rlon = Math.Atan2(cosPhi * Math.Sin(lam), (_sinPole * cosPhi * cosLam) + (_cosPole * sinPhi)) + _gridLon0;
            double rlat = Math.Asin(Math.Clamp((_sinPole * sinPhi) - (_cosPole * cosPhi * cosLam), -1, 1));
            x[i] = Wrap(rlon * R2D);
            y[i] = rlat * R2D;
        }
    }

    /// <summary>Rotated longitude/latitude → geographic longitude/latitude.</summary>
    public void Inverse(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double rlon = x[i], rlat = y[i];
            if (!double.IsFinite(rlon) || !(Math.Abs(rlat) <= 90))
            {
                x[i] = y[i] = double.NaN;
                continue;
            }

            double lam = (rlon * D2R) - _gridLon0, phi = rlat * D2R;
            double cosPhi = Math.Cos(phi), sinPhi = Math.Sin(phi), cosLam = Math.Cos(lam);
            double lat = Math.Asin(Math.Clamp((_sinPole * sinPhi) + (_cosPole * cosPhi * cosLam), -1, 1));
            double lon = Math.Atan2(cosPhi * Math.Sin(lam), (_sinPole * cosPhi * cosLam) - (_cosPole * sinPhi)) + _lon0;
            x[i] = Wrap(lon * R2D);
            y[i] = lat * R2D;
        }
    }

    private static double Wrap(double d) => d is >= -180 and <= 180 ? d : d - (360 * Math.Floor((d + 180) / 360));
}
