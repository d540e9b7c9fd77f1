using TileServer.Storage;

namespace TileServer.Zarr;

/// <summary>
/// An opened Zarr store (v2 or v3). Opening reads the root metadata and, when present, consolidated
/// metadata; it never lists keys. Nodes are addressed by '/'-separated paths relative to the root ("" = root).
/// </summary>
public sealed class ZarrHierarchy
{
    private ZarrHierarchy(IByteStore store, ZarrReaderOptions options)
    {
        Store = store;
        Options = options;
    }

    public IByteStore Store { get; }
    public ZarrReaderOptions Options { get; }

    /// <summary>2 or 3: the format of the root node.</summary>
    public int ZarrFormat { get; private set; }

    /// <summary>True when the root held consolidated metadata (then <see cref="ListChildren"/> is complete).</summary>
    public bool IsConsolidated { get; private set; }

    public static Task<ZarrHierarchy> OpenAsync(IByteStore store, ZarrReaderOptions options, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Group metadata at a path, or null when no group is there.</summary>
    public ValueTask<ZarrGroupMetadata?> GetGroupAsync(string path, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Array at a path, or null when no array is there.</summary>
    public ValueTask<ZarrArray?> GetArrayAsync(string path, CancellationToken cancellationToken = default)
        => throw new NotImplementedException();

    /// <summary>Direct children (name, isArray) of a group as known from consolidated metadata; empty when not consolidated.</summary>
    public IReadOnlyList<(string Name, bool IsArray)> ListChildren(string groupPath)
        => throw new NotImplementedException();
}
