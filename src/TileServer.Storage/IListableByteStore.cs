namespace TileServer.Storage;

/// <summary>
/// A store that can enumerate its keys: a local folder, a kerchunk reference set. The read path never lists (listing a
/// bucket is slow and costly, and a key's absence already means "fill value"); tools that must show everything a store
/// holds, such as inspection, use this where a store offers it.
/// </summary>
public interface IListableByteStore : IByteStore
{
    /// <summary>Every key of the store ('/'-separated, relative to its root), in no particular order.</summary>
    IAsyncEnumerable<string> ListKeysAsync(CancellationToken cancellationToken = default);
}
