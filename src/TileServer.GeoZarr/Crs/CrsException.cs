namespace TileServer.GeoZarr.Crs;

/// <summary>A CRS that cannot be identified or used (unknown code, unparsable WKT, unsupported projection).</summary>
public class CrsException : Exception
{
    public CrsException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
