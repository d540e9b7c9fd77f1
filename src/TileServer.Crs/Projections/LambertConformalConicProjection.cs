namespace TileServer.Crs.Projections;

/// <summary>EPSG:9801/9802 Lambert Conformal Conic (tangent cone with scale factor, or secant with two parallels).</summary>
internal sealed class LambertConformalConicProjection : EllipsoidalProjection
{
    private readonly double _n;
    private readonly double _aF;
    private readonly double _rho0;

    public LambertConformalConicProjection(Ellipsoid ellipsoid, ProjectionParameters p, double metresPerUnit)
        : base(ellipsoid, p, metresPerUnit)
    {
        const double d2r = Math.PI / 180;
        double phi0 = p.LatitudeOfOrigin * d2r;
        double phi1 = (double.IsNaN(p.StandardParallel1) ? p.LatitudeOfOrigin : p.StandardParallel1) * d2r;
        double phi2 = (double.IsNaN(p.StandardParallel2) ? p.StandardParallel1 : p.StandardParallel2) * d2r;
        if (double.IsNaN(phi2))
        {
            phi2 = phi1;
        }

        if (Math.Abs(phi1 + phi2) < 1e-10)
        {
            throw new CrsException("Lambert Conformal Conic standard parallels are symmetric about the equator (no cone).");
        }

        double m1 = M(phi1), t1 = IsometricT(phi1);
        _n = Math.Abs(phi1 - phi2) > 1e-10 ? (Math.Log(m1) - Math.Log(M(phi2))) / (Math.Log(t1) - Math.Log(IsometricT(phi2))) : Math.Sin(phi1);
        double k0 = double.IsNaN(p.StandardParallel1) ? p.ScaleFactor : 1;
        _aF = A * k0 * m1 / (_n * Math.Pow(t1, _n));
        _rho0 = Math.Abs(phi0) >= HalfPi - 1e-12 && phi0 * _n > 0 ? 0 : _aF * Math.Pow(IsometricT(phi0), _n);
    }

    protected override bool ForwardCore(double lam, double phi, out double x, out double y)
    {
        double rho;
        if (Math.Abs(phi) >= HalfPi - 1e-12)
        {
            if (phi * _n <= 0)
            {
                x = y = double.NaN;
                return false;
            }

            rho = 0;
        }
        else
        {
            rho = _aF * Math.Pow(IsometricT(phi), _n);
        }

        double theta = _n * lam;
        x = rho * Math.Sin(theta);
        y = _rho0 - (rho * Math.Cos(theta));
        return true;
    }

    protected override bool InverseCore(double x, double y, out double lam, out double phi)
    {
        double dy = _rho0 - y;
        double sign = _n < 0 ? -1 : 1;
        double rho = sign * Math.Sqrt((x * x) + (dy * dy));
        if (rho == 0)
        {
            lam = 0;
            phi = Math.CopySign(HalfPi, _n);
            return true;
        }

        double t = Math.Pow(rho / _aF, 1 / _n);
        phi = LatitudeFromT(t);
        lam = Math.Atan2(sign * x, sign * dy) / _n;
        return Math.Abs(lam) <= Math.PI + 1e-9;
    }
}
