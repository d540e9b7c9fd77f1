namespace TileServer.Crs;

/// <summary>
/// A map projection on spans: <see cref="Forward"/> takes longitude/latitude in degrees east of Greenwich and gives
/// CRS units; <see cref="Inverse"/> the reverse. Points that cannot be projected become NaN. Implementations are
/// immutable and thread-safe.
/// </summary>
internal interface IProjection
{
    void Forward(Span<double> x, Span<double> y);

    void Inverse(Span<double> x, Span<double> y);
}

/// <summary>Geographic CRS in another angular unit or with a non-Greenwich prime meridian.</summary>
internal sealed class GeographicUnits(double degreesPerUnit, double primeMeridian) : IProjection
{
    public void Forward(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (x[i] - primeMeridian) / degreesPerUnit;
            y[i] /= degreesPerUnit;
        }
    }

    public void Inverse(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (x[i] * degreesPerUnit) + primeMeridian;
            y[i] *= degreesPerUnit;
        }
    }
}

/// <summary>
/// EPSG:3857 with the spherical formulas on R = 6378137 m. Forward clamps latitude to ±85.0511287798° (the
/// WebMercatorQuad square) so that extents reaching the poles map to the square's edge instead of infinity; |lat| &gt; 90
/// is NaN. Longitudes are not wrapped in either direction (x is linear in longitude), so data on 0..360° keeps its order.
/// </summary>
internal sealed class WebMercatorProjection(double centralMeridian, double falseEasting, double falseNorthing, double metresPerUnit) : IProjection
{
    public const double Radius = 6378137.0;
    public const double MaxLatitude = 85.05112877980659;
    private const double D2R = Math.PI / 180.0;
    private const double R2D = 180.0 / Math.PI;

    public void Forward(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double lat = y[i];
            if (!(Math.Abs(lat) <= 90) || !double.IsFinite(x[i]))
            {
                x[i] = double.NaN;
                y[i] = double.NaN;
                continue;
            }

            lat = Math.Clamp(lat, -MaxLatitude, MaxLatitude);
            x[i] = ((Radius * (x[i] - centralMeridian) * D2R) + falseEasting) / metresPerUnit;
            y[i] = ((Radius * Math.Log(Math.Tan((Math.PI / 4) + (lat * D2R / 2)))) + falseNorthing) / metresPerUnit;
        }
    }

    public void Inverse(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double mx = (x[i] * metresPerUnit) - falseEasting;
            double my = (y[i] * metresPerUnit) - falseNorthing;
            x[i] = (mx / Radius * R2D) + centralMeridian;
            y[i] = Math.Atan(Math.Sinh(my / Radius)) * R2D;
        }
    }
}

/// <summary>
/// Shared plumbing for ellipsoidal projections: degree/radian conversion, longitude relative to the central meridian
/// wrapped to ±180°, false easting/northing, linear unit, NaN for bad points.
/// </summary>
internal abstract class EllipsoidalProjection : IProjection
{
    protected const double HalfPi = Math.PI / 2;
    private const double D2R = Math.PI / 180.0;
    private const double R2D = 180.0 / Math.PI;

    private readonly double _lon0;
    private readonly double _fe;
    private readonly double _fn;
    private readonly double _unit;

    protected EllipsoidalProjection(Ellipsoid ellipsoid, ProjectionParameters p, double metresPerUnit)
    {
        A = ellipsoid.SemiMajor;
        Es = ellipsoid.EccentricitySquared;
        E = Math.Sqrt(Es);
        _lon0 = p.CentralMeridian;
        _fe = p.FalseEasting;
        _fn = p.FalseNorthing;
        _unit = metresPerUnit;
    }

    protected double A { get; }

    protected double E { get; }

    protected double Es { get; }

    public void Forward(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double lon = x[i], lat = y[i];
            if (!double.IsFinite(lon) || !(Math.Abs(lat) <= 90) || !ForwardCore(WrapDegrees(lon - _lon0) * D2R, lat * D2R, out double px, out double py)
                || !double.IsFinite(px) || !double.IsFinite(py))
            {
                x[i] = double.NaN;
                y[i] = double.NaN;
                continue;
            }

            x[i] = (px + _fe) / _unit;
            y[i] = (py + _fn) / _unit;
        }
    }

    public void Inverse(Span<double> x, Span<double> y)
    {
        for (int i = 0; i < x.Length; i++)
        {
            double px = (x[i] * _unit) - _fe, py = (y[i] * _unit) - _fn;
            if (!double.IsFinite(px) || !double.IsFinite(py) || !InverseCore(px, py, out double lam, out double phi)
                || !double.IsFinite(lam) || !double.IsFinite(phi))
            {
                x[i] = double.NaN;
                y[i] = double.NaN;
                continue;
            }

            x[i] = WrapDegrees((lam * R2D) + _lon0);
            y[i] = phi * R2D;
        }
    }

    /// <summary>λ (relative to the central meridian, within ±π) and φ in radians → metres from the natural origin.</summary>
    protected abstract bool ForwardCore(double lam, double phi, out double x, out double y);

    protected abstract bool InverseCore(double x, double y, out double lam, out double phi);

    protected static double WrapDegrees(double d) => d is >= -180 and <= 180 ? d : d - (360 * Math.Floor((d + 180) / 360));

    /// <summary>Tangent of the conformal latitude, τ' (Karney 2011, eq. 7), from τ = tan φ.</summary>
    protected double ConformalTan(double tau)
    {
        double tau1 = Math.Sqrt(1 + (tau * tau));
        double sig = Math.Sinh(E * Math.Atanh(E * tau / tau1));
        return (tau * Math.Sqrt(1 + (sig * sig))) - (sig * tau1);
    }

    /// <summary>τ = tan φ from the conformal τ' by Newton's method (Karney 2011, eqs. 19–21); 2–3 iterations at double precision.</summary>
    protected double GeodeticTan(double taup)
    {
        double tau = taup;
        double oneMinusEs = 1 - Es;
        for (int k = 0; k < 8; k++)
        {
            double taupa = ConformalTan(tau);
            double tau1 = Math.Sqrt(1 + (tau * tau));
            double dtau = (taup - taupa) / Math.Sqrt(1 + (taupa * taupa)) * (1 + (oneMinusEs * tau * tau)) / (oneMinusEs * tau1);
            tau += dtau;
            if (!(Math.Abs(dtau) >= 1e-15 * Math.Max(1, Math.Abs(tau))))
            {
                break;
            }
        }

        return tau;
    }

    /// <summary>Snyder's t = tan(π/4 − φ/2)·((1 + e sinφ)/(1 − e sinφ))^(e/2) = exp(−ψ), ψ the isometric latitude.</summary>
    protected double IsometricT(double phi) => Math.Exp(-(Math.Asinh(Math.Tan(phi)) - (E * Math.Atanh(E * Math.Sin(phi)))));

    /// <summary>φ from Snyder's t (inverse of <see cref="IsometricT"/>).</summary>
    protected double LatitudeFromT(double t)
    {
        // t = exp(-ψ) and sinh ψ = τ' (conformal tangent).
        double taup = ((1 / t) - t) / 2;
        return Math.Atan(GeodeticTan(taup));
    }

    protected double M(double phi)
    {
        double s = Math.Sin(phi);
        return Math.Cos(phi) / Math.Sqrt(1 - (Es * s * s));
    }
}

/// <summary>EPSG:9804/9805 ellipsoidal Mercator.</summary>
internal sealed class MercatorProjection : EllipsoidalProjection
{
    private readonly double _ak0;

    public MercatorProjection(Ellipsoid ellipsoid, ProjectionParameters p, double metresPerUnit)
        : base(ellipsoid, p, metresPerUnit)
    {
        double k0 = double.IsNaN(p.StandardParallel1) ? p.ScaleFactor : M(p.StandardParallel1 * Math.PI / 180);
        _ak0 = A * k0;
    }

    protected override bool ForwardCore(double lam, double phi, out double x, out double y)
    {
        x = _ak0 * lam;
        y = Math.Abs(phi) < HalfPi ? _ak0 * (Math.Asinh(Math.Tan(phi)) - (E * Math.Atanh(E * Math.Sin(phi)))) : double.NaN;
        return !double.IsNaN(y);
    }

    protected override bool InverseCore(double x, double y, out double lam, out double phi)
    {
        lam = x / _ak0;
        phi = Math.Atan(GeodeticTan(Math.Sinh(y / _ak0)));
        return true;
    }
}

/// <summary>
/// EPSG:9807 Transverse Mercator with Krüger's series to sixth order in n (Karney 2011) — the algorithm PROJ uses by
/// default, accurate to a few nanometres within 3900 km of the central meridian. Points more than 90° of longitude
/// from the central meridian are NaN.
/// </summary>
internal sealed class TransverseMercatorProjection : EllipsoidalProjection
{
    private readonly double _k0A;
    private readonly double _xi0;
    private readonly double[] _alpha = new double[7];
    private readonly double[] _beta = new double[7];

    public TransverseMercatorProjection(Ellipsoid ellipsoid, ProjectionParameters p, double metresPerUnit)
        : base(ellipsoid, p, metresPerUnit)
    {
        double f = ellipsoid.Flattening;
        double n = f / (2 - f);
        double n2 = n * n, n3 = n2 * n, n4 = n3 * n, n5 = n4 * n, n6 = n5 * n;
        double rectifying = A / (1 + n) * (1 + (n2 / 4) + (n4 / 64) + (n6 / 256));
        _k0A = p.ScaleFactor * rectifying;

        _alpha[1] = (n / 2) - (2 * n2 / 3) + (5 * n3 / 16) + (41 * n4 / 180) - (127 * n5 / 288) + (7891 * n6 / 37800);
        _alpha[2] = (13 * n2 / 48) - (3 * n3 / 5) + (557 * n4 / 1440) + (281 * n5 / 630) - (1983433 * n6 / 1935360);
        _alpha[3] = (61 * n3 / 240) - (103 * n4 / 140) + (15061 * n5 / 26880) + (167603 * n6 / 181440);
        _alpha[4] = (49561 * n4 / 161280) - (179 * n5 / 168) + (6601661 * n6 / 7257600);
        _alpha[5] = (34729 * n5 / 80640) - (3418889 * n6 / 1995840);
        _alpha[6] = 212378941 * n6 / 319334400;

        _beta[1] = (n / 2) - (2 * n2 / 3) + (37 * n3 / 96) - (n4 / 360) - (81 * n5 / 512) + (96199 * n6 / 604800);
        _beta[2] = (n2 / 48) + (n3 / 15) - (437 * n4 / 1440) + (46 * n5 / 105) - (1118711 * n6 / 3870720);
        _beta[3] = (17 * n3 / 480) - (37 * n4 / 840) - (209 * n5 / 4480) + (5569 * n6 / 90720);
        _beta[4] = (4397 * n4 / 161280) - (11 * n5 / 504) - (830251 * n6 / 7257600);
        _beta[5] = (4583 * n5 / 161280) - (108847 * n6 / 3991680);
        _beta[6] = 20648693 * n6 / 638668800;

        // Meridian arc to the latitude of origin, as a rectifying-latitude angle.
        double phi0 = p.LatitudeOfOrigin * Math.PI / 180;
        double xip0 = Math.Atan(ConformalTan(Math.Tan(phi0)));
        Series(_alpha, xip0, 0, 1, out _xi0, out _);
    }

    protected override bool ForwardCore(double lam, double phi, out double x, out double y)
    {
        if (Math.Abs(lam) > HalfPi + 1e-12)
        {
            x = y = double.NaN;
            return false;
        }

        var (sinLam, cosLam) = Math.SinCos(lam);
        double xip, etap;
        if (Math.Abs(phi) >= HalfPi - 1e-15)
        {
            xip = Math.CopySign(HalfPi, phi);
            etap = 0;
        }
        else
        {
            double taup = ConformalTan(Math.Tan(phi));
            xip = Math.Atan2(taup, cosLam);
            etap = Math.Asinh(sinLam / Math.Sqrt((taup * taup) + (cosLam * cosLam)));
        }

        Series(_alpha, xip, etap, 1, out double xi, out double eta);
        x = _k0A * eta;
        y = _k0A * (xi - _xi0);
        return true;
    }

    protected override bool InverseCore(double x, double y, out double lam, out double phi)
    {
        double xi = (y / _k0A) + _xi0, eta = x / _k0A;
        Series(_beta, xi, eta, -1, out double xip, out double etap);
        double s = Math.Sinh(etap), c = Math.Cos(xip);
        double r = Math.Sqrt((s * s) + (c * c));
        if (r == 0)
        {
            lam = 0;
            phi = Math.CopySign(HalfPi, xip);
            return true;
        }

        lam = Math.Atan2(s, c);
        phi = Math.Atan(GeodeticTan(Math.Sin(xip) / r));
        return true;
    }

    /// <summary>ξ ± Σ c_j sin(2jξ) cosh(2jη), η ± Σ c_j cos(2jξ) sinh(2jη), with the multiple angles by recurrence.</summary>
    private static void Series(double[] c, double xi, double eta, int sign, out double xiOut, out double etaOut)
    {
        var (s1, c1) = Math.SinCos(2 * xi);
        double e2 = Math.Exp(2 * eta), inv = 1 / e2;
        double sh1 = (e2 - inv) / 2, ch1 = (e2 + inv) / 2;
        double sj = s1, cj = c1, shj = sh1, chj = ch1;
        double dxi = 0, deta = 0;
        for (int j = 1; j <= 6; j++)
        {
            dxi += c[j] * sj * chj;
            deta += c[j] * cj * shj;
            double sn = (sj * c1) + (cj * s1), cn = (cj * c1) - (sj * s1);
            double shn = (shj * ch1) + (chj * sh1), chn = (chj * ch1) + (shj * sh1);
            sj = sn;
            cj = cn;
            shj = shn;
            chj = chn;
        }

        xiOut = xi + (sign * dxi);
        etaOut = eta + (sign * deta);
    }
}

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
