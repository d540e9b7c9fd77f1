using static TileServer.Crs.Projections.Angles;

namespace TileServer.Crs.Projections;

/// <summary>
/// EPSG:3857 with the spherical formulas on R = 6378137 m. Forward clamps latitude to ±85.0511287798° (the
/// WebMercatorQuad square) so that extents reaching the poles map to the square's edge instead of infinity; |lat| &gt; 90
/// is NaN. Longitudes are not wrapped in either direction (x is linear in longitude), so data on 0..360° keeps its order.
/// </summary>
internal sealed class WebMercatorProjection(double centralMeridian, double falseEasting, double falseNorthing, double metresPerUnit) : IProjection
{
    public const double Radius = 6378137.0;
    public const double MaxLatitude = 85.05112877980659;

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
