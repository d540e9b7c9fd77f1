namespace TileServer.Tiling;

/// <summary>A TileMatrixSet definition that cannot be used (missing member, bad number, unknown CRS).</summary>
public sealed class TileMatrixSetException : Exception
{
    public TileMatrixSetException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
