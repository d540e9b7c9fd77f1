using TileServer.Icechunk.Format;
using TileServer.Storage;

namespace TileServer.Icechunk;

/// <summary>
/// One snapshot of an Icechunk repository as a Zarr v3 store: <c>zarr.json</c> of every group and array comes
/// from the snapshot, chunk keys (<c>path/c/i/j</c>) from the manifests, whose references are inline bytes,
/// objects under the repository's <c>chunks/</c>, or virtual chunks read through the configured containers.
/// A key the snapshot does not know, or a chunk no manifest references, is absent (null), as the Zarr
/// fill-value rule expects. The snapshot never changes, so neither does anything this store answers.
/// </summary>
public sealed class IcechunkStore : IByteStore
{
    private readonly IcechunkRepository _repository;
    private readonly SnapshotFile _snapshot;

    internal IcechunkStore(IcechunkRepository repository, SnapshotId id, SnapshotFile snapshot)
    {
        _repository = repository;
        _snapshot = snapshot;
        SnapshotId = id;
        Location = $"{repository.Location}@{id}";
    }

    public string Location { get; }

    /// <summary>The snapshot this store reads: the dataset version.</summary>
    public SnapshotId SnapshotId { get; }

    /// <summary>The commit message of the snapshot.</summary>
    public string Message => _snapshot.Message;

    public DateTimeOffset FlushedAt => _snapshot.FlushedAt;

    /// <summary>The spec version (1 or 2) the snapshot file was written in.</summary>
    public int FormatVersion => _snapshot.SpecVersion;

    /// <summary>How many manifest files the snapshot references.</summary>
    public int ManifestFileCount => _snapshot.ManifestFileCount;

    /// <summary>Every group and array path, without the leading '/' (the root group is the empty string).</summary>
    public IReadOnlyCollection<string> NodePaths => _snapshot.Nodes.Keys.Select(p => p[1..]).Order(StringComparer.Ordinal).ToArray();

    public async ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        switch (ChunkKey.Parse(key))
        {
            case MetadataKey metadata:
                return _snapshot.Nodes.TryGetValue(metadata.NodePath, out var node) ? ChunkWindow.Slice(node.ZarrJson, range) : null;
            case ChunkKey chunk:
                return await GetChunkAsync(key, chunk, range, cancellationToken).ConfigureAwait(false);
            default:
                return null;
        }
    }

    private async ValueTask<byte[]?> GetChunkAsync(string key, ChunkKey chunk, ByteRange? range, CancellationToken cancellationToken)
    {
        if (!_snapshot.Nodes.TryGetValue(chunk.NodePath, out var node) || node.Manifests is null || chunk.Coords.Length != node.Rank)
        {
            return null;
        }

        foreach (var extent in node.Manifests)
        {
            if (!extent.Contains(chunk.Coords))
            {
                continue;
            }

            var manifest = await _repository.LoadManifestAsync(extent.ManifestId, cancellationToken).ConfigureAwait(false);
            var location = manifest.Find(node.Id, chunk.Coords);
            return location is null
                ? null
                : await _repository.ReadChunkAsync(location, range, Location, key, cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
