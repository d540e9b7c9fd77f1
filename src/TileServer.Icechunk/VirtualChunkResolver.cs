using TileServer.Storage;

namespace TileServer.Icechunk;

/// <summary>
/// Reads virtual chunks, but only from configured containers (<see cref="VirtualChunkContainers"/>): a stored
/// reference is data, and the server must never fetch an arbitrary URL because a repository names it.
/// </summary>
public sealed class VirtualChunkResolver
{
    private readonly VirtualChunkContainers _containers;

    public VirtualChunkResolver(VirtualChunkContainers containers)
    {
        ArgumentNullException.ThrowIfNull(containers);
        _containers = containers;
    }

    public VirtualChunkResolver(IReadOnlyList<VirtualChunkContainer> containers, IByteStoreFactory factory)
        : this(new VirtualChunkContainers(containers, factory))
    {
    }

    /// <summary>A resolver that refuses every virtual chunk.</summary>
    public static VirtualChunkResolver None { get; } = new(VirtualChunkContainers.None);

    /// <summary>
    /// Reads <paramref name="range"/> of the chunk stored at bytes [offset, offset+length) of <paramref name="url"/>.
    /// <paramref name="location"/> and <paramref name="key"/> name the Icechunk store and chunk key for errors.
    /// </summary>
    /// <exception cref="VirtualChunkRefusedException">No container covers the URL.</exception>
    public async ValueTask<byte[]> ReadAsync(string url, ulong offset, ulong length, ByteRange? range, string location, string key, CancellationToken cancellationToken)
    {
        if (!_containers.TryResolve(url, out var store, out var objectKey))
        {
            throw new VirtualChunkRefusedException(location, key, url);
        }

        var window = ChunkWindow.Within(offset, length, range, location, key);
        var bytes = await store.GetAsync(objectKey, window, cancellationToken).ConfigureAwait(false)
            ?? throw new StoreException(location, key, $"virtual chunk object '{url}' does not exist in its container");
        if (window is { IsSuffix: false } w && bytes.Length != w.Length)
        {
            throw new IcechunkFormatException(location, key, $"virtual chunk '{url}' is shorter than its reference says ({bytes.Length} of {w.Length} bytes at offset {w.Start})");
        }

        return bytes;
    }
}
