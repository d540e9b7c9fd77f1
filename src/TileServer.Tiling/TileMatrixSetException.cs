namespace TileServer.Tiling;

/// <summary>A TileMatrixSet definition that cannot be used (missing member, bad number, unknown CRS).</summary>
public sealed class TileMatrixSetException : TileServerException
{
    public TileMatrixSetException(string message, Exception? inner = null)
        : base(FailureKind.InvalidData, message, inner)
    {
    }
}
