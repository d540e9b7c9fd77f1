using static TileServer.Crs.Projections.Angles;

namespace TileServer.Crs.Projections;

/// <summary>
/// Shared plumbing for ellipsoidal projections: degree/radian conversion, longitude relative to the central meridian
/// wrapped to ±180°, false easting/northing, linear unit, NaN for bad points.
/// </summary>
internal abstract class EllipsoidalProjection : IProjection
{
    protected const double HalfPi = Math.PI / 2;

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
