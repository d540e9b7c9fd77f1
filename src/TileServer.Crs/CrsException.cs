namespace TileServer.Crs;

/// <summary>A CRS that cannot be identified or used (unknown code, unparsable WKT, unsupported projection).</summary>
public class CrsException : TileServerException
{
    public CrsException(string message, Exception? inner = null)
        : base(FailureKind.InvalidData, message, inner)
    {
    }
}
