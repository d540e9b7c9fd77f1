namespace TileServer.Crs.Projections;

/// <summary>EPSG:9820 Lambert Azimuthal Equal Area (oblique, equatorial and polar aspects; IOGP 373-7-2 §3.3.2).</summary>
internal sealed class LambertAzimuthalEqualAreaProjection : EllipsoidalProjection
{
    private readonly double _qp;
    private readonly double _rq;
    private readonly double _d;
    private readonly double _sinB0;
    private readonly double _cosB0;
    private readonly int _pole;

    public LambertAzimuthalEqualAreaProjection(Ellipsoid ellipsoid, ProjectionParameters p, double metresPerUnit)
        : base(ellipsoid, p, metresPerUnit)
    {
        double phi0 = p.LatitudeOfOrigin * Math.PI / 180;
        _qp = Q(HalfPi);
        _rq = A * Math.Sqrt(_qp / 2);
        _pole = Math.Abs(Math.Abs(phi0) - HalfPi) < 1e-12 ? Math.Sign(phi0) : 0;
        double beta0 = Math.Asin(Math.Clamp(Q(phi0) / _qp, -1, 1));
        _sinB0 = Math.Sin(beta0);
        _cosB0 = Math.Cos(beta0);
        _d = _pole == 0 ? A * M(phi0) / (_rq * _cosB0) : 1;
    }

    protected override bool ForwardCore(double lam, double phi, out double x, out double y)
    {
        double q = Q(phi);
        if (_pole != 0)
        {
            double rho = A * Math.Sqrt(Math.Max(0, _qp - (_pole * q)));
            if (_pole * phi <= -HalfPi + 1e-12)
            {
                x = y = double.NaN;
                return false;
            }

            x = rho * Math.Sin(lam);
            y = -_pole * rho * Math.Cos(lam);
            return true;
        }

        double beta = Math.Asin(Math.Clamp(q / _qp, -1, 1));
        double sinB = Math.Sin(beta), cosB = Math.Cos(beta), cosL = Math.Cos(lam);
        double denom = 1 + (_sinB0 * sinB) + (_cosB0 * cosB * cosL);
        if (denom <= 1e-12)
        {
            // The antipode of the centre maps to a circle, not a point.
            x = y = double.NaN;
            return false;
        }

        double b = _rq * Math.Sqrt(2 / denom);
        x = b * _d * cosB * Math.Sin(lam);
        y = b / _d * ((_cosB0 * sinB) - (_sinB0 * cosB * cosL));
        return true;
    }

    protected override bool InverseCore(double x, double y, out double lam, out double phi)
    {
        double q;
        if (_pole != 0)
        {
            double rho2 = ((x * x) + (y * y)) / (A * A);
            q = _pole * (_qp - rho2);
            lam = Math.Atan2(x, -_pole * y);
        }
        else
        {
            double xd = x / _d, yd = y * _d;
            double rho = Math.Sqrt((xd * xd) + (yd * yd));
            if (rho == 0)
            {
                lam = 0;
                phi = Math.Asin(_sinB0) == 0 ? 0 : LatitudeFromQ(_sinB0 * _qp);
                return true;
            }

            double c = 2 * Math.Asin(Math.Min(1, rho / (2 * _rq)));
            double sinC = Math.Sin(c), cosC = Math.Cos(c);
            double sinBeta = (cosC * _sinB0) + (_d * y * sinC * _cosB0 / rho);
            lam = Math.Atan2(x * sinC, (_d * rho * _cosB0 * cosC) - (_d * _d * y * _sinB0 * sinC));
            q = _qp * Math.Clamp(sinBeta, -1, 1);
        }

        if (Math.Abs(q) > _qp + 1e-12)
        {
            phi = double.NaN;
            return false;
        }

        phi = LatitudeFromQ(q);
        return true;
    }

    /// <summary>Snyder's q(φ) (authalic function); 2 sin φ on a sphere.</summary>
    private double Q(double phi)
    {
        double s = Math.Sin(phi);
        if (E < 1e-12)
        {
            return 2 * s;
        }

        double es = E * s;
        return (1 - Es) * ((s / (1 - (es * es))) - (Math.Log((1 - es) / (1 + es)) / (2 * E)));
    }

    /// <summary>φ with q(φ) = q, Newton's iteration (Snyder 3-16), a few steps to full precision.</summary>
    private double LatitudeFromQ(double q)
    {
        if (Math.Abs(q) >= _qp - 1e-15)
        {
            return Math.CopySign(HalfPi, q);
        }

        double phi = Math.Asin(Math.Clamp(q / 2, -1, 1));
        if (E < 1e-12)
        {
            return phi;
        }

        for (int i = 0; i < 12; i++)
        {
            double s = Math.Sin(phi), c = Math.Cos(phi);
            double es2 = 1 - (Es * s * s);
            double dphi = es2 * es2 / (2 * c) * ((q / (1 - Es)) - (s / es2) + (Math.Log((1 - (E * s)) / (1 + (E * s))) / (2 * E)));
            phi += dphi;
            if (Math.Abs(dphi) < 1e-15)
            {
                break;
            }
        }

        return phi;
    }
}
