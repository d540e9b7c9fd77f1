namespace TileServer.Crs.Projections;

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
