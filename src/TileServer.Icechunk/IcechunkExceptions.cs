using TileServer.Storage;

namespace TileServer.Icechunk;

/// <summary>
/// An Icechunk file (repo info, ref, snapshot, manifest, transaction log) that cannot be understood, or a
/// repository whose files contradict each other; the message names the file and what is wrong with it.
/// </summary>
public sealed class IcechunkFormatException : StoreException
{
    public IcechunkFormatException(string location, string key, string message, Exception? inner = null)
        : base(FailureKind.InvalidData, location, key, $"invalid Icechunk repository: {message}", inner)
    {
    }
}
