namespace TileServer.Storage;

/// <summary>
/// A read-only key/value store of bytes: a folder, an HTTP(S) prefix, an S3 prefix or a virtual
/// (kerchunk) store. Keys are '/'-separated and relative to the store root. The read path never lists.
/// </summary>
public interface IByteStore
{
    /// <summary>Where the store points (a path or URL without credentials), for messages and logs.</summary>
    string Location { get; }

    /// <summary>
    /// Reads a whole object or one range of it. Returns <c>null</c> when the key does not exist
    /// (for Zarr that means "fill value"), never throws for absence. A range that starts beyond the
    /// end of the object returns <c>null</c> too; one that extends past the end is truncated.
    /// Failures other than absence raise <see cref="StoreException"/> naming the key.
    /// </summary>
    ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default);
}
