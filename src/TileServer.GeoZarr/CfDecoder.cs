namespace TileServer.GeoZarr;

/// <summary>Applies CF decoding in place to stored values already widened to float.</summary>
public static class CfDecoder
{
    public static void Decode(CfDecoding cf, Span<float> values)
    {
        if (cf.IsIdentity)
        {
            return;
        }

        // Decode in double and round once, as numpy/xarray do (float32 arithmetic would differ in the last digit).
        double scale = cf.ScaleFactor, offset = cf.AddOffset;
        bool affine = cf.ScaleFactor != 1.0 || cf.AddOffset != 0.0;
        double lo = cf.ValidMin ?? double.NegativeInfinity, hi = cf.ValidMax ?? double.PositiveInfinity;
        bool ranged = cf.ValidMin is not null || cf.ValidMax is not null;
        var nodata = cf.NodataValues;
        int nodataCount = nodata.Count;
        float nd0 = nodataCount > 0 ? (float)nodata[0] : float.NaN;

        for (int i = 0; i < values.Length; i++)
        {
            float v = values[i];
            if (float.IsNaN(v))
            {
                continue;
            }

            if (nodataCount > 0 && (v == nd0 || (nodataCount > 1 && IsNodata(v, nodata))))
            {
                values[i] = float.NaN;
                continue;
            }

            if (ranged && (v < lo || v > hi))
            {
                values[i] = float.NaN;
                continue;
            }

            if (affine)
            {
                values[i] = (float)((v * scale) + offset);
            }
        }
    }

    private static bool IsNodata(float v, IReadOnlyList<double> nodata)
    {
        for (int j = 1; j < nodata.Count; j++)
        {
            if (v == (float)nodata[j])
            {
                return true;
            }
        }

        return false;
    }
}
