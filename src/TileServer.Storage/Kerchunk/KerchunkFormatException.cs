namespace TileServer.Storage.Kerchunk;

/// <summary>A kerchunk reference file that cannot be understood; the message names the offending entry.</summary>
public sealed class KerchunkFormatException : StoreException
{
    public KerchunkFormatException(string location, string key, string message, Exception? inner = null)
        : base(FailureKind.InvalidData, location, key, $"malformed kerchunk references: {message}", inner)
    {
    }
}
