namespace TileServer.Crs.Projections;

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
