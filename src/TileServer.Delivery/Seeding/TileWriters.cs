using System.Globalization;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Seeding.Pmtiles;

namespace TileServer.Delivery.Seeding;

/// <summary>A seed's destination. Workers call it concurrently.</summary>
internal interface ITileWriter : IAsyncDisposable
{
    /// <summary>Where the tiles go, for the summary.</summary>
    string Description { get; }

    /// <summary>True when the tile is there already, complete, from an earlier run (it is then not rendered again).</summary>
    bool Contains(PlannedTile tile);

    /// <summary>Stores one tile; false when the target does not keep it (the cache's entry size limit).</summary>
    ValueTask<bool> WriteAsync(PlannedTile tile, ServedTile served, CancellationToken cancellationToken);

    /// <summary>Called once, after every tile was written; returns a note for the summary, if any.</summary>
    ValueTask<string?> CompleteAsync(CancellationToken cancellationToken);
}

/// <summary>
/// <c>DIR/{z}/{x}/{y}.{ext}</c>. Each file is written under a temporary name and renamed into place, so a file with
/// the final name is always complete: a resumed run skips those and rewrites whatever an interrupted one left half done.
/// </summary>
internal sealed class FolderTileWriter : ITileWriter
{
    /// <summary>Suffix of a file being written; such a file never counts as a tile.</summary>
    public const string PartialSuffix = ".partial";

    private readonly string _root;
    private readonly string _extension;

    public FolderTileWriter(string root, string extension)
    {
        _root = Path.GetFullPath(root);
        _extension = extension;
        Directory.CreateDirectory(_root);
    }

    public string Description => _root;

    public bool Contains(PlannedTile tile) => File.Exists(PathOf(tile));

    public async ValueTask<bool> WriteAsync(PlannedTile tile, ServedTile served, CancellationToken cancellationToken)
    {
        string path = PathOf(tile);
        string partial = path + PartialSuffix;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        try
        {
            await File.WriteAllBytesAsync(partial, served.Entry.Bytes, cancellationToken).ConfigureAwait(false);
            File.Move(partial, path, overwrite: true);
            return true;
        }
        catch
        {
            // Cancelled or failed half way: leave no partial file behind (it would never count, but it is litter).
            File.Delete(partial);
            throw;
        }
    }

    public ValueTask<string?> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private string PathOf(PlannedTile tile)
        => Path.Combine(_root, tile.Matrix.Id, tile.Col.ToString(CultureInfo.InvariantCulture), tile.Row.ToString(CultureInfo.InvariantCulture) + "." + _extension);
}

/// <summary>The shared (Redis) tier of the rendered-tile cache, through the cache's own store path: same key, same entry.</summary>
internal sealed class CacheTileWriter : ITileWriter
{
    private readonly TileCache _cache;

    public CacheTileWriter(TileCache cache)
    {
        _cache = cache.Shared ? cache
            : throw new SeedException(FailureKind.FeatureUnavailable, "--cache fills the shared tile cache, and none is configured: set TileServer:TileCache:Redis (e.g. --TileServer:TileCache:Redis=127.0.0.1:6379)");
    }

    public string Description => "the shared tile cache (Redis)";

    // Redis entries expire; writing again renews them, so nothing is skipped.
    public bool Contains(PlannedTile tile) => false;

    public async ValueTask<bool> WriteAsync(PlannedTile tile, ServedTile served, CancellationToken cancellationToken)
        => await _cache.StoreAsync(served.CacheKey, served.Entry, cancellationToken).ConfigureAwait(false) switch
        {
            TileStoreResult.Stored => true,
            TileStoreResult.NotKept => false,
            _ => throw new SeedException(FailureKind.StoreUnavailable,
                $"the shared tile cache did not take tile {tile.Matrix.Id}/{tile.Col}/{tile.Row}: check TileServer:TileCache:Redis and that Redis answers (the log says why)"),
        };

    public ValueTask<string?> CompleteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<string?>(null);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

/// <summary>A PMTiles v3 archive, written whole at the end (its directories need every tile id).</summary>
internal sealed class PmtilesTileWriter : ITileWriter
{
    private readonly PmtilesArchiveWriter _archive;
    private readonly PmtilesDescription _description;

    public PmtilesTileWriter(string path, PmtilesDescription description, PmtilesOptions options)
    {
        _archive = new PmtilesArchiveWriter(path, options);
        _description = description;
    }

    public string Description => _archive.Path;

    // An archive is written in one go; an interrupted one is not kept, so there is nothing to resume from.
    public bool Contains(PlannedTile tile) => false;

    public async ValueTask<bool> WriteAsync(PlannedTile tile, ServedTile served, CancellationToken cancellationToken)
    {
        await _archive.AddAsync(tile.Zoom, tile.Col, tile.Row, served.Entry.Bytes, cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<string?> CompleteAsync(CancellationToken cancellationToken)
    {
        var written = await _archive.FinishAsync(_description, cancellationToken).ConfigureAwait(false);
        return string.Create(CultureInfo.InvariantCulture,
            $"archive of {written.FileBytes} bytes: {written.AddressedTiles} tiles in {written.Entries} directory entries, {written.Contents} distinct contents, {written.LeafDirectories} leaf directories");
    }

    public ValueTask DisposeAsync() => _archive.DisposeAsync();
}
