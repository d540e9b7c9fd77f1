namespace TileServer.Crs;

/// <summary>Bounds of a rectangle after a coordinate transform (projections curve edges, so they are sampled densely).</summary>
public static class ExtentProjection
{
    /// <summary>
    /// The bounding box of <paramref name="extent"/> transformed by <paramref name="transform"/>, from
    /// <paramref name="samples"/> points per edge and, with <paramref name="interior"/>, a grid inside too (a projection's
    /// extreme can lie inside the box, e.g. around a pole). Points that fail to transform are ignored; null when all do.
    /// </summary>
    public static Extent? Transform(Extent extent, ICoordinateTransform transform, int samples = 33, bool interior = false)
    {
        int n = Math.Max(2, samples);
        var xs = new double[(n * 4) + (interior ? n * n : 0)];
        var ys = new double[xs.Length];
        int k = 0;
        for (int i = 0; i < n; i++)
        {
            double t = i / (double)(n - 1);
            double x = extent.MinX + (t * extent.Width), y = extent.MinY + (t * extent.Height);
            (xs[k], ys[k++]) = (x, extent.MinY);
            (xs[k], ys[k++]) = (x, extent.MaxY);
            (xs[k], ys[k++]) = (extent.MinX, y);
            (xs[k], ys[k++]) = (extent.MaxX, y);
            for (int j = 0; interior && j < n; j++)
            {
                (xs[k], ys[k++]) = (x, extent.MinY + (j / (double)(n - 1) * extent.Height));
            }
        }

        transform.Transform(xs, ys);
        double minX = double.PositiveInfinity, minY = double.PositiveInfinity, maxX = double.NegativeInfinity, maxY = double.NegativeInfinity;
        for (int i = 0; i < xs.Length; i++)
        {
            if (double.IsFinite(xs[i]) && double.IsFinite(ys[i]))
            {
                minX = Math.Min(minX, xs[i]);
                maxX = Math.Max(maxX, xs[i]);
                minY = Math.Min(minY, ys[i]);
                maxY = Math.Max(maxY, ys[i]);
            }
        }

        return double.IsFinite(minX) ? new Extent(minX, minY, maxX, maxY) : null;
    }
}
