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

/// <summary>
/// A virtual chunk reference whose URL falls under no configured container. The server never fetches an
/// arbitrary URL named by stored data, so the reference is refused; the message names the URL.
/// </summary>
public sealed class VirtualChunkRefusedException : StoreException
{
    public VirtualChunkRefusedException(string location, string key, string url)
        : base(FailureKind.InvalidData, location, key,
            $"virtual chunk at '{url}' is outside every configured virtual chunk container "
            + "(add one to TileServer:VirtualChunks:Containers whose Prefix starts that URL)", null)
    {
        Url = url;
    }

    /// <summary>The URL the stored reference points at.</summary>
    public string Url { get; }
}
