namespace TileServer.Crs;

/// <summary>An axis-aligned rectangle in some CRS, in GIS order (x = easting/longitude).</summary>
public readonly record struct Extent(double MinX, double MinY, double MaxX, double MaxY)
{
    public double Width => MaxX - MinX;
    public double Height => MaxY - MinY;
    public bool IsEmpty => !(MaxX > MinX && MaxY > MinY);

    public bool Intersects(Extent other) => MinX < other.MaxX && other.MinX < MaxX && MinY < other.MaxY && other.MinY < MaxY;

    public double[] ToArray() => [MinX, MinY, MaxX, MaxY];
}
