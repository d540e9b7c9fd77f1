namespace TileServer.GeoZarr;

/// <summary>A dataset whose metadata cannot be turned into a georeferenced dataset (no CRS, inconsistent shapes, missing level…).</summary>
public class GeoDatasetException : TileServerException
{
    public GeoDatasetException(string message, Exception? inner = null)
        : base(FailureKind.InvalidData, message, inner)
    {
    }
}
