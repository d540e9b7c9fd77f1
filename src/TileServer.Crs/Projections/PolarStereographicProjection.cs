namespace TileServer.Crs.Projections;

/// <summary>EPSG:9810 (variant A) and 9829 (variant B) Polar Stereographic; the opposite pole is NaN.</summary>
internal sealed class PolarStereographicProjection : EllipsoidalProjection
{
    private readonly bool _south;
    private readonly double _scale;

    public PolarStereographicProjection(Ellipsoid ellipsoid, ProjectionParameters p, double metresPerUnit)
        : base(ellipsoid, p, metresPerUnit)
    {
        _south = p.LatitudeOfOrigin < 0;
        if (!double.IsNaN(p.StandardParallel1) && Math.Abs(Math.Abs(p.StandardParallel1) - 90) > 1e-10)
        {
            double phic = Math.Abs(p.StandardParallel1) * Math.PI / 180;
            _scale = A * M(phic) / IsometricT(phic);
        }
        else
        {
            double k0 = p.ScaleFactor;
            _scale = 2 * A * k0 / Math.Sqrt(Math.Pow(1 + E, 1 + E) * Math.Pow(1 - E, 1 - E));
        }
    }

    protected override bool ForwardCore(double lam, double phi, out double x, out double y)
    {
        double lat = _south ? -phi : phi;
        if (lat <= -HalfPi + 1e-12)
        {
            x = y = double.NaN;
            return false;
        }

        double rho = lat >= HalfPi - 1e-15 ? 0 : _scale * IsometricT(lat);
        x = rho * Math.Sin(lam);
        y = _south ? rho * Math.Cos(lam) : -rho * Math.Cos(lam);
        return true;
    }

    protected override bool InverseCore(double x, double y, out double lam, out double phi)
    {
        double rho = Math.Sqrt((x * x) + (y * y));
        if (rho == 0)
        {
            lam = 0;
            phi = _south ? -HalfPi : HalfPi;
            return true;
        }

        double lat = LatitudeFromT(rho / _scale);
        phi = _south ? -lat : lat;
        lam = _south ? Math.Atan2(x, y) : Math.Atan2(x, -y);
        return true;
    }
}
