using TileServer.Icechunk;
using TileServer.Storage;

namespace TileServer.Reading.Catalog;

/// <summary>
/// The store a dataset reads, opened: a Zarr store as it is, or one snapshot of an Icechunk repository.
/// <see cref="Version"/> is what identifies the stored bytes beyond the metadata (the snapshot id), null for Zarr.
/// </summary>
public sealed record DatasetSource
{
    public required IByteStore Store { get; init; }
    public required DatasetStoreKind Kind { get; init; }

    /// <summary>The Icechunk snapshot served; null for Zarr.</summary>
    public string? Version { get; init; }

    /// <summary>The Icechunk ref that was resolved; null for Zarr.</summary>
    public IcechunkRef? Ref { get; init; }

    /// <summary>The commit message of the snapshot; null for Zarr.</summary>
    public string? Message { get; init; }

    /// <summary>One line for logs and inspection, e.g. "Icechunk repository, branch:main at snapshot X (\"msg\")".</summary>
    public string Description => Kind == DatasetStoreKind.Zarr
        ? "Zarr store"
        : $"Icechunk repository, {Ref} at snapshot {Version} (\"{Message}\")";
}

/// <summary>
/// Opens the store of a location: Zarr as configured, or an Icechunk repository (named so, or recognised by its
/// layout) resolved to the snapshot its ref names now. Icechunk repositories share one metadata cache and one set
/// of virtual chunk containers.
/// </summary>
public sealed class DatasetSources(IByteStoreFactory stores, VirtualChunkResolver virtualChunks, IcechunkMetadataCache metadata)
{
    private readonly IByteStoreFactory _stores = stores;
    private readonly VirtualChunkResolver _virtualChunks = virtualChunks;
    private readonly IcechunkMetadataCache _metadata = metadata;

    /// <summary>Opens <paramref name="path"/> as <paramref name="kind"/> (null: by layout) at <paramref name="reference"/>.</summary>
    /// <exception cref="NotFoundException">The ref does not exist or was deleted.</exception>
    /// <exception cref="StoreException">The location cannot be opened or read, or the repository is damaged.</exception>
    public async Task<DatasetSource> OpenAsync(string path, DatasetStoreKind? kind, IcechunkRef? reference, CancellationToken cancellationToken)
    {
        var root = OpenRoot(path);
        if (kind is null)
        {
            kind = await IcechunkRepository.IsRepositoryAsync(root, cancellationToken).ConfigureAwait(false)
                ? DatasetStoreKind.Icechunk
                : DatasetStoreKind.Zarr;
            if (kind == DatasetStoreKind.Zarr && reference is not null)
            {
                throw new StoreException(root.Location, "repo",
                    $"a Ref ({reference}) is configured but '{path}' is not an Icechunk repository (it has neither a 'repo' file nor 'refs/branch.main/ref.json')");
            }
        }

        if (kind == DatasetStoreKind.Zarr)
        {
            return new DatasetSource { Store = root, Kind = DatasetStoreKind.Zarr };
        }

        var repository = new IcechunkRepository(root, _virtualChunks, _metadata);
        var resolved = reference ?? IcechunkRef.MainBranch;
        var snapshot = await repository.ResolveAsync(resolved, cancellationToken).ConfigureAwait(false);
        var store = await repository.OpenAsync(snapshot, cancellationToken).ConfigureAwait(false);
        return new DatasetSource { Store = store, Kind = DatasetStoreKind.Icechunk, Version = snapshot.Value, Ref = resolved, Message = store.Message };
    }

    private IByteStore OpenRoot(string path)
    {
        try
        {
            return _stores.Open(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or UriFormatException)
        {
            throw new StoreException(path, "", $"cannot open the store: {ex.Message}", ex);
        }
    }
}
