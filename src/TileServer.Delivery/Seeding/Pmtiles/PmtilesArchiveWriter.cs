using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace TileServer.Delivery.Seeding.Pmtiles;

/// <summary>How the archive's directories are cut; the defaults follow the spec's 16 KiB advice.</summary>
public sealed record PmtilesOptions
{
    /// <summary>Largest compressed root directory; beyond it, entries move to leaf directories.</summary>
    public int MaxRootBytes { get; init; } = PmtilesFormat.MaxRootBytes;

    /// <summary>Fewest entries in a leaf directory.</summary>
    public int MinLeafEntries { get; init; } = 4096;
}

/// <summary>What the header and metadata say about the tiles: type, zooms, bounds, centre, name.</summary>
public sealed record PmtilesDescription
{
    public required PmtilesTileType TileType { get; init; }
    public required int MinZoom { get; init; }
    public required int MaxZoom { get; init; }

    /// <summary>West, south, east, north in degrees.</summary>
    public required TileServer.Crs.Extent Bounds { get; init; }

    /// <summary>The metadata document (name, format, attribution...).</summary>
    public required JsonObject Metadata { get; init; }
}

/// <summary>What went into a finished archive.</summary>
public sealed record PmtilesWritten(long FileBytes, long AddressedTiles, int Entries, int Contents, int LeafDirectories);

/// <summary>
/// Builds a PMTiles v3 archive from tiles arriving in any order from any number of workers. Tile bytes are appended to
/// a scratch file as they come, once per distinct content (identical tiles, such as empty sea, are stored once); only
/// ids and offsets stay in memory. <see cref="FinishAsync"/> sorts by tile id, merges consecutive identical tiles into
/// runs, lays the contents out in tile id order (a clustered archive) and renames the result into place, so the path
/// never holds a half-written archive.
/// </summary>
public sealed class PmtilesArchiveWriter : IAsyncDisposable
{
    private readonly PmtilesOptions _options;
    private readonly string _scratchPath;
    private readonly string _partialPath;
    private readonly FileStream _scratch;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, int> _contentByHash = new(StringComparer.Ordinal);
    private readonly List<(long Offset, int Length)> _contents = [];
    private readonly List<(ulong TileId, int Content)> _tiles = [];
    private bool _finished;

    public PmtilesArchiveWriter(string path, PmtilesOptions options)
    {
        Path = System.IO.Path.GetFullPath(path);
        _options = options;
        _scratchPath = Path + ".tiles.partial";
        _partialPath = Path + ".partial";
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        _scratch = new FileStream(_scratchPath, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous);
    }

    public string Path { get; }

    /// <summary>Adds tile z/x/y (WebMercatorQuad addressing); each tile once.</summary>
    public async ValueTask AddAsync(int z, long x, long y, byte[] bytes, CancellationToken cancellationToken)
    {
        if (bytes.Length == 0)
        {
            throw new ArgumentException("PMTiles entries must not be empty.", nameof(bytes));
        }

        ulong id = PmtilesFormat.TileId(z, x, y);
        string hash = Convert.ToBase64String(SHA256.HashData(bytes));
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_contentByHash.TryGetValue(hash, out int content))
            {
                content = _contents.Count;
                _contents.Add((_scratch.Length, bytes.Length));
                await _scratch.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
                _contentByHash.Add(hash, content);
            }

            _tiles.Add((id, content));
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Writes the archive (header, root directory, metadata, leaf directories, tile data) and renames it into place.</summary>
    public async Task<PmtilesWritten> FinishAsync(PmtilesDescription description, CancellationToken cancellationToken)
    {
        if (_tiles.Count == 0)
        {
            throw new SeedException(FailureKind.NotFound, "no tile to put in the archive: every tile of the box lies outside the data (a PMTiles archive cannot be empty)");
        }

        await _scratch.FlushAsync(cancellationToken).ConfigureAwait(false);
        _tiles.Sort((a, b) => a.TileId.CompareTo(b.TileId));
        var (entries, layout, dataLength) = Layout();
        var (root, leaves, leafCount) = PmtilesFormat.Directories(entries, _options.MaxRootBytes, _options.MinLeafEntries);
        var metadata = PmtilesFormat.Gzip(System.Text.Encoding.UTF8.GetBytes(description.Metadata.ToJsonString()));

        ulong rootOffset = PmtilesFormat.HeaderLength;
        ulong metadataOffset = rootOffset + (ulong)root.Length;
        ulong leafOffset = metadataOffset + (ulong)metadata.Length;
        ulong dataOffset = leafOffset + (ulong)leaves.Length;
        var b = description.Bounds;
        var header = PmtilesFormat.WriteHeader(new PmtilesHeader
        {
            RootOffset = rootOffset, RootLength = (ulong)root.Length,
            MetadataOffset = metadataOffset, MetadataLength = (ulong)metadata.Length,
            LeafOffset = leafOffset, LeafLength = (ulong)leaves.Length,
            DataOffset = dataOffset, DataLength = (ulong)dataLength,
            AddressedTiles = (ulong)_tiles.Count, TileEntries = (ulong)entries.Count, TileContents = (ulong)_contents.Count,
            Clustered = true,
            TileType = description.TileType,
            MinZoom = (byte)description.MinZoom, MaxZoom = (byte)description.MaxZoom,
            MinLon = b.MinX, MinLat = b.MinY, MaxLon = b.MaxX, MaxLat = b.MaxY,
            // The whole box in view: its middle at the coarsest zoom.
            CenterZoom = (byte)description.MinZoom, CenterLon = (b.MinX + b.MaxX) / 2, CenterLat = (b.MinY + b.MaxY) / 2,
        });

        await using (var output = new FileStream(_partialPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await output.WriteAsync(header, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(root, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(metadata, cancellationToken).ConfigureAwait(false);
            await output.WriteAsync(leaves, cancellationToken).ConfigureAwait(false);
            var buffer = new byte[_contents.Count == 0 ? 0 : _contents.Max(c => c.Length)];
            foreach (int content in layout)
            {
                var (offset, length) = _contents[content];
                for (int read = 0; read < length;)
                {
                    int n = await RandomAccess.ReadAsync(_scratch.SafeFileHandle, buffer.AsMemory(read, length - read), offset + read, cancellationToken).ConfigureAwait(false);
                    read += n > 0 ? n : throw new IOException($"The scratch file {_scratchPath} ends before the tile data written to it.");
                }

                await output.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }

        File.Move(_partialPath, Path, overwrite: true);
        _finished = true;
        long fileBytes = (long)dataOffset + dataLength;
        return new PmtilesWritten(fileBytes, _tiles.Count, entries.Count, _contents.Count, leafCount);
    }

    /// <summary>
    /// Directory entries in tile id order, and the order the contents go in the data section: each content where its
    /// first tile is, so offsets either follow on or point back at an earlier copy (the spec's clustered layout).
    /// </summary>
    private (List<PmtilesEntry> Entries, List<int> Layout, long DataLength) Layout()
    {
        var finalOffset = new long[_contents.Count];
        Array.Fill(finalOffset, -1);
        var layout = new List<int>();
        var entries = new List<PmtilesEntry>();
        long dataLength = 0;
        foreach (var (id, content) in _tiles)
        {
            if (finalOffset[content] < 0)
            {
                finalOffset[content] = dataLength;
                dataLength += _contents[content].Length;
                layout.Add(content);
            }

            ulong offset = (ulong)finalOffset[content];
            if (entries.Count > 0 && entries[^1] is var last && last.TileId + last.RunLength == id && last.Offset == offset && last.RunLength < uint.MaxValue)
            {
                entries[^1] = last with { RunLength = last.RunLength + 1 };
            }
            else
            {
                entries.Add(new PmtilesEntry(id, offset, (uint)_contents[content].Length, 1));
            }
        }

        return (entries, layout, dataLength);
    }

    public async ValueTask DisposeAsync()
    {
        await _scratch.DisposeAsync().ConfigureAwait(false);
        _gate.Dispose();
        File.Delete(_scratchPath);
        if (!_finished)
        {
            File.Delete(_partialPath);
        }
    }
}
