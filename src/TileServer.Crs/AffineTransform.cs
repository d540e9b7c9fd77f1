namespace TileServer.Crs;

/// <summary>
/// Pixel → CRS affine transform in rasterio order: <c>x = A·col + B·row + C</c>, <c>y = D·col + E·row + F</c>,
/// where (col, row) = (0, 0) is the outer corner of the first cell and (0.5, 0.5) its centre.
/// </summary>
public readonly record struct AffineTransform(double A, double B, double C, double D, double E, double F)
{
    /// <summary>From a GDAL GeoTransform <c>[x0, dx, rx, y0, ry, dy]</c>.</summary>
    public static AffineTransform FromGdal(ReadOnlySpan<double> gt) => new(gt[1], gt[2], gt[0], gt[4], gt[5], gt[3]);

    public bool IsRectilinear => B == 0 && D == 0;

    public (double X, double Y) Apply(double col, double row) => ((A * col) + (B * row) + C, (D * col) + (E * row) + F);

    /// <summary>CRS → pixel (continuous col, row). Throws for a singular transform.</summary>
    public (double Col, double Row) Invert(double x, double y)
    {
        double det = (A * E) - (B * D);
        if (det == 0)
        {
            throw new InvalidOperationException("affine transform is singular");
        }

        double dx = x - C, dy = y - F;
        return (((E * dx) - (B * dy)) / det, ((-D * dx) + (A * dy)) / det);
    }

    /// <summary>The transform of a grid with every cell <paramref name="factor"/> times larger, same origin.</summary>
    public AffineTransform Scale(double factorX, double factorY) => new(A * factorX, B * factorY, C, D * factorX, E * factorY, F);

    public double[] ToGdal() => [C, A, B, F, D, E];
}
