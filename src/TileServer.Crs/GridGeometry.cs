namespace TileServer.Crs;

/// <summary>How a grid places its cells.</summary>
public enum GridKind
{
    /// <summary>An affine transform: evenly spaced (possibly rotated) cells.</summary>
    Regular,

    /// <summary>1-D coordinates, at least one of them not evenly spaced (<see cref="IrregularAxis"/>).</summary>
    Irregular,

    /// <summary>2-D longitude/latitude of every cell centre (<see cref="CurvilinearGrid"/>).</summary>
    Curvilinear,
}

/// <summary>
/// The georeferencing of a 2-D raster: CRS, pixel→CRS transform and size; for irregular and curvilinear grids also
/// their coordinates. <see cref="Transform"/> is then the affine through the outer cell edges (irregular axes) or
/// through the longitude/latitude bounds (curvilinear), so that <see cref="Bounds"/> holds for every kind; cells are
/// placed by <see cref="XAxis"/>/<see cref="YAxis"/> or <see cref="Cells"/>.
/// </summary>
public sealed record GridGeometry(CrsInfo Crs, AffineTransform Transform, int Width, int Height)
{
    /// <summary>The column centres when they are not evenly spaced; null when the transform places the columns.</summary>
    public IrregularAxis? XAxis { get; init; }

    /// <summary>The row centres when they are not evenly spaced; null when the transform places the rows.</summary>
    public IrregularAxis? YAxis { get; init; }

    /// <summary>The cell centres of a curvilinear grid (in <see cref="Crs"/>, a geographic CRS).</summary>
    public CurvilinearGrid? Cells { get; init; }

    public GridKind Kind => Cells is not null ? GridKind.Curvilinear : XAxis is not null || YAxis is not null ? GridKind.Irregular : GridKind.Regular;

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

    /// <summary>
    /// Cell size along x in CRS units (absolute). Irregular axes and curvilinear grids give their median spacing (the
    /// representative cell size level choice compares with the output's).
    /// </summary>
    public double ResolutionX => Cells?.CellSizeX ?? XAxis?.MedianSpacing ?? Math.Sqrt((Transform.A * Transform.A) + (Transform.D * Transform.D));

    /// <summary>Cell size along y in CRS units (absolute); median spacing as for <see cref="ResolutionX"/>.</summary>
    public double ResolutionY => Cells?.CellSizeY ?? YAxis?.MedianSpacing ?? Math.Sqrt((Transform.B * Transform.B) + (Transform.E * Transform.E));

    /// <summary>True when the grid is geographic and its columns span the full 360° of longitude (wraps at the antimeridian).</summary>
    public bool WrapsLongitude => Cells is null && Crs.IsGeographic && Transform.IsRectilinear && Math.Abs((Math.Abs(Transform.A) * Width) - 360.0) < Math.Abs(Transform.A) * 0.5;

    /// <summary>A stable digest of the coordinates of irregular and curvilinear grids (0 for regular ones).</summary>
    public ulong CoordinateDigest => Cells?.Digest ?? ((XAxis?.Digest ?? 0) ^ ((YAxis?.Digest ?? 0) * 31));

    /// <summary>
    /// A rectilinear grid whose axes are <paramref name="x"/>/<paramref name="y"/> where given, else those of the
    /// north-up <paramref name="regular"/> transform; the transform of an irregular axis runs through its outer edges.
    /// </summary>
    public static GridGeometry Rectilinear(CrsInfo crs, AffineTransform regular, IrregularAxis? x, IrregularAxis? y, int width, int height)
    {
        var t = regular;
        if (x is not null)
        {
            t = t with { A = (x.LastEdge - x.FirstEdge) / width, C = x.FirstEdge };
        }

        if (y is not null)
        {
            t = t with { E = (y.LastEdge - y.FirstEdge) / height, F = y.FirstEdge };
        }

        return new GridGeometry(crs, t, width, height) { XAxis = x, YAxis = y };
    }

    /// <summary>A curvilinear grid in the geographic <paramref name="crs"/>; its transform spans the cells' bounds, rows running south when the data's do.</summary>
    public static GridGeometry Curvilinear(CrsInfo crs, CurvilinearGrid cells)
    {
        var b = cells.Bounds;
        var t = cells.LatitudeIncreasesWithRow
            ? new AffineTransform(b.Width / cells.Width, 0, b.MinX, 0, b.Height / cells.Height, b.MinY)
            : new AffineTransform(b.Width / cells.Width, 0, b.MinX, 0, -b.Height / cells.Height, b.MaxY);
        return new GridGeometry(crs, t, cells.Width, cells.Height) { Cells = cells };
    }
}
