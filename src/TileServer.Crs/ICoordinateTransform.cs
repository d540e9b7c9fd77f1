namespace TileServer.Crs;

/// <summary>Transforms points between two CRSs, in GIS order (x = easting/longitude). Thread-safe.</summary>
public interface ICoordinateTransform
{
    bool IsIdentity { get; }

    /// <summary>Transforms in place; points that cannot be transformed become NaN.</summary>
    void Transform(Span<double> x, Span<double> y);
}
