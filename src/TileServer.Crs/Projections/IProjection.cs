namespace TileServer.Crs.Projections;

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
