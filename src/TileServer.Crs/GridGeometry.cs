namespace TileServer.Crs;

/// <summary>The georeferencing of a 2-D raster: CRS, pixel→CRS transform and size.</summary>
public sealed record GridGeometry(CrsInfo Crs, AffineTransform Transform, int Width, int Height)
{
    /// <summary>Bounds of the outer cell edges in the CRS.</summary>
    public Extent Bounds
    {
        get
        {
            var (x0, y0) = Transform.Apply(0, 0);
            var (x1, y1) = Transform.Apply(Width, Height);
            var (x2, y2) = Transform.Apply(Width, 0);
            var (x3, y3) = Transform.Apply(0, Height);
            return new Extent(Math.Min(Math.Min(x0, x1), Math.Min(x2, x3)), Math.Min(Math.Min(y0, y1), Math.Min(y2, y3)),
                              Math.Max(Math.Max(x0, x1), Math.Max(x2, x3)), Math.Max(Math.Max(y0, y1), Math.Max(y2, y3)));
        }
    }

    /// <summary>Cell size along x in CRS units (absolute).</summary>
    public double ResolutionX => Math.Sqrt((Transform.A * Transform.A) + (Transform.D * Transform.D));

    /// <summary>Cell size along y in CRS units (absolute).</summary>
    public double ResolutionY => Math.Sqrt((Transform.B * Transform.B) + (Transform.E * Transform.E));

    /// <summary>True when the grid is geographic and its columns span the full 360° of longitude (wraps at the antimeridian).</summary>
    public bool WrapsLongitude => Crs.IsGeographic && Transform.IsRectilinear && Math.Abs((Math.Abs(Transform.A) * Width) - 360.0) < Math.Abs(Transform.A) * 0.5;
}
