using System.Text.Json;
using TileServer.Icechunk.Format;
using TileServer.Storage;

namespace TileServer.Icechunk;

/// <summary>
/// An Icechunk repository read through an <see cref="IByteStore"/> of its root folder. Format 2 keeps refs and
/// history in the repo info file <c>repo</c>; format 1 keeps refs as <c>refs/branch.NAME/ref.json</c> and
/// <c>refs/tag.NAME/ref.json</c> (a tag deleted when <c>ref.json.deleted</c> sits beside it) and each parent in
/// its snapshot. A repository migrated from 1 to 2 has a repo info file over format 1 snapshots and manifests;
/// every file is read by the version its own header declares. Refs are resolved afresh on every call (a branch
/// moves); snapshots and manifests are immutable and cached.
/// </summary>
public sealed class IcechunkRepository
{
    private readonly IByteStore _root;
    private readonly VirtualChunkResolver _virtualChunks;
    private readonly IcechunkMetadataCache _cache;
    private readonly IcechunkReaderOptions _options;

    public IcechunkRepository(IByteStore root, VirtualChunkResolver? virtualChunks = null, IcechunkMetadataCache? cache = null, IcechunkReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(root);
        _root = root;
        _virtualChunks = virtualChunks ?? VirtualChunkResolver.None;
        _options = options ?? new IcechunkReaderOptions();
        _cache = cache ?? new IcechunkMetadataCache(64L * 1024 * 1024);
    }

    public string Location => _root.Location;

    /// <summary>
    /// Whether a store holds an Icechunk repository at its root: a repo info file that starts with the Icechunk
    /// magic bytes (format 2), or a main branch ref (format 1). Two small reads, no listing.
    /// </summary>
    public static async ValueTask<bool> IsRepositoryAsync(IByteStore root, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var head = await root.GetAsync("repo", ByteRange.FromOffset(0, IcechunkFile.HeaderLength), cancellationToken).ConfigureAwait(false);
        if (head is not null)
        {
            return IcechunkFile.HasMagic(head);
        }

        return await root.GetAsync("refs/branch.main/ref.json", null, cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>The snapshot a ref points at now.</summary>
    /// <exception cref="NotFoundException">The branch, tag or snapshot does not exist, or the tag was deleted.</exception>
    public async ValueTask<SnapshotId> ResolveAsync(IcechunkRef reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        if (reference.Kind == IcechunkRefKind.Snapshot)
        {
            var id = SnapshotId.FromEncoded(reference.Name);
            _ = await LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
            return id;
        }

        var info = await ReadRepoInfoAsync(cancellationToken).ConfigureAwait(false);
        if (info is not null)
        {
            return ResolveInRepoInfo(info, reference);
        }

        return await ResolveV1Async(reference, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Branches, tags and deleted tags. Only format 2 can answer: format 1 would need a listing of <c>refs/</c>.</summary>
    /// <exception cref="NotSupportedException">The repository is in format 1.</exception>
    public async ValueTask<IcechunkRefList> ListRefsAsync(CancellationToken cancellationToken = default)
    {
        var info = await ReadRepoInfoAsync(cancellationToken).ConfigureAwait(false)
            ?? throw new NotSupportedException($"'{Location}' is an Icechunk format 1 repository, whose refs can only be listed by listing refs/; name a branch or tag instead");
        return new IcechunkRefList(
            info.Branches.ToDictionary(p => p.Key, p => SnapshotId.FromEncoded(p.Value), StringComparer.Ordinal),
            info.Tags.ToDictionary(p => p.Key, p => SnapshotId.FromEncoded(p.Value), StringComparer.Ordinal),
            info.DeletedTags.Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The commit <paramref name="id"/> and its ancestors, newest first.</summary>
    public async ValueTask<IReadOnlyList<SnapshotSummary>> AncestryAsync(SnapshotId id, CancellationToken cancellationToken = default)
    {
        var history = new List<SnapshotSummary>();
        var info = await ReadRepoInfoAsync(cancellationToken).ConfigureAwait(false);
        if (info is not null)
        {
            var entry = info.FindSnapshot(id.Value) ?? throw SnapshotNotFound(id);
            while (history.Count <= info.Snapshots.Count)
            {
                var parent = entry.ParentIndex < 0 ? null : info.Snapshots[entry.ParentIndex];
                history.Add(new SnapshotSummary(SnapshotId.FromEncoded(entry.Id), parent is null ? null : SnapshotId.FromEncoded(parent.Id), entry.Message, entry.FlushedAt));
                if (parent is null)
                {
                    return history;
                }

                entry = parent;
            }

            throw new IcechunkFormatException(Location, "repo", "the snapshot parents form a cycle");
        }

        SnapshotId? next = id;
        while (next is { } current)
        {
            if (history.Count >= _options.MaxAncestry)
            {
                throw new IcechunkFormatException(Location, "snapshots/" + current.Value, $"history is longer than {_options.MaxAncestry} commits or forms a cycle");
            }

            var snapshot = await LoadSnapshotAsync(current, cancellationToken).ConfigureAwait(false);
            next = snapshot.ParentId is null ? null : SnapshotId.FromEncoded(snapshot.ParentId);
            history.Add(new SnapshotSummary(current, next, snapshot.Message, snapshot.FlushedAt));
        }

        return history;
    }

    /// <summary>A store answering Zarr keys from the snapshot a ref points at now.</summary>
    public async ValueTask<IcechunkStore> OpenAsync(IcechunkRef reference, CancellationToken cancellationToken = default)
    {
        var id = await ResolveAsync(reference, cancellationToken).ConfigureAwait(false);
        return await OpenAsync(id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A store answering Zarr keys from one snapshot.</summary>
    public async ValueTask<IcechunkStore> OpenAsync(SnapshotId id, CancellationToken cancellationToken = default)
    {
        var snapshot = await LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        return new IcechunkStore(this, id, snapshot);
    }

    /// <summary>What the commit <paramref name="id"/> changed relative to its parent, from its transaction log.</summary>
    public async ValueTask<SnapshotChanges> GetChangesAsync(SnapshotId id, CancellationToken cancellationToken = default)
    {
        var snapshot = await LoadSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        string key = "transactions/" + id.Value;
        var raw = await _root.GetAsync(key, null, cancellationToken).ConfigureAwait(false)
            ?? throw new NotFoundException("Unknown Icechunk transaction log", $"snapshot {id} has no transaction log in the Icechunk repository '{Location}'");
        var log = TransactionLogFile.Parse(IcechunkFile.Decode(raw, IcechunkFileType.TransactionLog, _options.MaxMetadataFileBytes, Location, key), id.Value, Location, key);

        var paths = snapshot.Nodes.Values.ToDictionary(n => n.Id, n => n.Path);
        var ancestry = await AncestryAsync(id, cancellationToken).ConfigureAwait(false);
        if (ancestry[0].ParentId is { } parentId)
        {
            foreach (var node in (await LoadSnapshotAsync(parentId, cancellationToken).ConfigureAwait(false)).Nodes.Values)
            {
                paths.TryAdd(node.Id, node.Path);
            }
        }

        string PathOf(ulong nodeId) => paths.TryGetValue(nodeId, out var p) ? p : $"node {nodeId:X16}";
        string[] Paths(IReadOnlyList<ulong> ids) => ids.Select(PathOf).ToArray();
        return new SnapshotChanges(
            Paths(log.NewGroups), Paths(log.NewArrays), Paths(log.DeletedGroups), Paths(log.DeletedArrays),
            Paths(log.UpdatedGroups), Paths(log.UpdatedArrays),
            log.UpdatedChunks.ToDictionary(p => PathOf(p.Key), p => p.Value, StringComparer.Ordinal));
    }

    internal ValueTask<SnapshotFile> LoadSnapshotAsync(SnapshotId id, CancellationToken cancellationToken)
    {
        string key = "snapshots/" + id.Value;
        return _cache.GetOrLoadAsync(Location + "|" + key, async () =>
        {
            var payload = await ReadFileAsync(key, IcechunkFileType.Snapshot, () => SnapshotNotFound(id)).ConfigureAwait(false);
            var snapshot = SnapshotFile.Parse(payload, Location, key);
            if (snapshot.Id != id.Value)
            {
                throw new IcechunkFormatException(Location, key, $"file holds snapshot {snapshot.Id}");
            }

            return (snapshot, snapshot.SizeBytes);
        }, cancellationToken);
    }

    internal ValueTask<ManifestFile> LoadManifestAsync(string manifestId, CancellationToken cancellationToken)
    {
        string key = "manifests/" + manifestId;
        return _cache.GetOrLoadAsync(Location + "|" + key, async () =>
        {
            var payload = await ReadFileAsync(key, IcechunkFileType.Manifest,
                () => new IcechunkFormatException(Location, key, $"manifest {manifestId} named by the snapshot does not exist")).ConfigureAwait(false);
            var manifest = ManifestFile.Parse(payload, manifestId, Location, key);
            return (manifest, manifest.SizeBytes);
        }, cancellationToken);
    }

    internal async ValueTask<byte[]?> ReadChunkAsync(ChunkLocation chunk, ByteRange? range, string storeLocation, string key, CancellationToken cancellationToken)
    {
        switch (chunk)
        {
            case InlineChunk inline:
                return ChunkWindow.Slice(inline.Bytes, range);
            case NativeChunk native:
                if (StartsPastEnd(range, native.Length))
                {
                    return null;
                }

                string chunkKey = "chunks/" + native.ChunkId;
                var window = ChunkWindow.Within(native.Offset, native.Length, range, storeLocation, key);
                return await _root.GetAsync(chunkKey, window, cancellationToken).ConfigureAwait(false)
                    ?? throw new IcechunkFormatException(Location, chunkKey, $"chunk file for '{key}' named by the manifest does not exist");
            case VirtualChunk virtualChunk:
                return StartsPastEnd(range, virtualChunk.Length)
                    ? null
                    : await _virtualChunks.ReadAsync(virtualChunk.Url, virtualChunk.Offset, virtualChunk.Length, range, storeLocation, key, cancellationToken).ConfigureAwait(false);
            default:
                throw new InvalidOperationException($"unknown chunk location {chunk.GetType().Name}");
        }
    }

    private static bool StartsPastEnd(ByteRange? range, ulong length) =>
        range is { IsSuffix: false } r && (ulong)r.Start >= length && !(r.Start == 0 && length == 0);

    private async ValueTask<RepoInfoFile?> ReadRepoInfoAsync(CancellationToken cancellationToken)
    {
        var raw = await _root.GetAsync("repo", null, cancellationToken).ConfigureAwait(false);
        if (raw is null)
        {
            return null;
        }

        var payload = IcechunkFile.Decode(raw, IcechunkFileType.RepoInfo, _options.MaxMetadataFileBytes, Location, "repo");
        return RepoInfoFile.Parse(payload, Location, "repo");
    }

    private SnapshotId ResolveInRepoInfo(RepoInfoFile info, IcechunkRef reference)
    {
        if (reference.Kind == IcechunkRefKind.Tag && info.DeletedTags.Contains(reference.Name))
        {
            throw TagDeleted(reference);
        }

        var refs = reference.Kind == IcechunkRefKind.Branch ? info.Branches : info.Tags;
        return refs.TryGetValue(reference.Name, out var id) ? SnapshotId.FromEncoded(id) : throw RefNotFound(reference);
    }

    private async ValueTask<SnapshotId> ResolveV1Async(IcechunkRef reference, CancellationToken cancellationToken)
    {
        string folder = (reference.Kind == IcechunkRefKind.Branch ? "refs/branch." : "refs/tag.") + reference.Name;
        var json = await _root.GetAsync(folder + "/ref.json", null, cancellationToken).ConfigureAwait(false);
        if (reference.Kind == IcechunkRefKind.Tag
            && await _root.GetAsync(folder + "/ref.json.deleted", null, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw TagDeleted(reference);
        }

        if (json is null)
        {
            bool isRepository = await _root.GetAsync("refs/branch.main/ref.json", null, cancellationToken).ConfigureAwait(false) is not null;
            throw isRepository
                ? RefNotFound(reference)
                : new NotFoundException("Not an Icechunk repository", $"'{Location}' has neither a repo info file ('repo') nor a main branch ('refs/branch.main/ref.json')");
        }

        string key = folder + "/ref.json";
        string? text;
        try
        {
            using var document = JsonDocument.Parse(json);
            text = document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("snapshot", out var s) && s.ValueKind == JsonValueKind.String
                ? s.GetString()
                : null;
        }
        catch (JsonException ex)
        {
            throw new IcechunkFormatException(Location, key, $"ref file is not JSON: {ex.Message}", ex);
        }

        return SnapshotId.TryParse(text, out var id)
            ? id
            : throw new IcechunkFormatException(Location, key, "ref file has no \"snapshot\" member holding a 20-character snapshot id");
    }

    private async ValueTask<IcechunkPayload> ReadFileAsync(string key, IcechunkFileType type, Func<Exception> missing)
    {
        // Shared by concurrent callers through the cache, so no caller's token cancels it; store timeouts bound it.
        var raw = await _root.GetAsync(key, null, CancellationToken.None).ConfigureAwait(false) ?? throw missing();
        return IcechunkFile.Decode(raw, type, _options.MaxMetadataFileBytes, Location, key);
    }

    private NotFoundException SnapshotNotFound(SnapshotId id) =>
        new("Unknown Icechunk snapshot", $"snapshot {id} does not exist in the Icechunk repository '{Location}'");

    private NotFoundException RefNotFound(IcechunkRef reference) =>
        new("Unknown Icechunk ref", $"ref not found: {reference.Kind.ToString().ToLowerInvariant()} '{reference.Name}' does not exist in the Icechunk repository '{Location}'");

    private NotFoundException TagDeleted(IcechunkRef reference) =>
        new("Deleted Icechunk tag", $"ref not found: tag '{reference.Name}' was deleted from the Icechunk repository '{Location}'");
}
