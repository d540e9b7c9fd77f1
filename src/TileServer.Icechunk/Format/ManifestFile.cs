using ZstdSharp;

namespace TileServer.Icechunk.Format;

/// <summary>Where one chunk's bytes are, as a manifest says.</summary>
internal abstract record ChunkLocation;

/// <summary>The encoded chunk itself, stored in the manifest.</summary>
internal sealed record InlineChunk(byte[] Bytes) : ChunkLocation;

/// <summary>Bytes [Offset, Offset+Length) of <c>chunks/{ChunkId}</c> in the repository.</summary>
internal sealed record NativeChunk(string ChunkId, ulong Offset, ulong Length) : ChunkLocation;

/// <summary>Bytes [Offset, Offset+Length) of an object outside the repository.</summary>
internal sealed record VirtualChunk(string Url, ulong Offset, ulong Length) : ChunkLocation;

/// <summary>
/// A chunk manifest, kept in its FlatBuffers form (a manifest can hold millions of references, so they are
/// not unpacked): an index from node id to its array entry, and a binary search over that array's
/// references, which the format keeps sorted by chunk index.
/// </summary>
/// <param name="arrays">Each array's chunk references, by node id.</param>
/// <param name="locationDictionary">The zstd dictionary of compressed virtual chunk locations, if any.</param>
/// <param name="locationCompression">How virtual chunk locations are compressed (1 = zstd).</param>
/// <param name="location">The repository, for messages.</param>
/// <param name="key">The manifest file's key, for messages.</param>
/// <param name="size">What the parsed form roughly costs in memory.</param>
internal sealed class ManifestFile(
    Dictionary<ulong, FlatVector> arrays, byte[]? locationDictionary, byte locationCompression, string location, string key, long size)
{
    /// <summary>Longest virtual chunk URL accepted after decompression.</summary>
    private const int MaxLocationBytes = 64 * 1024;

    public long SizeBytes { get; } = size;

    public static ManifestFile Parse(IcechunkPayload payload, string expectedId, string location, string key) =>
        FlatRead.Guard(location, key, () =>
        {
            var manifest = FlatRead.Root(payload, Slots.Manifest.Id, "Manifest.id", expectedId, "manifest file holds manifest");
            var arrayVector = FlatRead.Vector(manifest, Slots.Manifest.Arrays, 4, "Manifest.arrays");
            var arrays = new Dictionary<ulong, FlatVector>(arrayVector.Count);
            for (int i = 0; i < arrayVector.Count; i++)
            {
                var array = arrayVector.Table(i);
                ulong nodeId = FlatRead.NodeId(array.Struct(Slots.ArrayManifest.NodeId, 8), "ArrayManifest.node_id");
                arrays[nodeId] = FlatRead.Vector(array, Slots.ArrayManifest.Refs, 4, "ArrayManifest.refs");
            }

            byte[]? dictionary = manifest.Vector(Slots.Manifest.LocationDictionary, 1)?.Bytes.ToArray();
            byte compression = manifest.UInt8(Slots.Manifest.CompressionAlgorithm, fallback: 1);
            long size = payload.Bytes.Length + (arrayVector.Count * 64L) + (dictionary?.Length ?? 0);
            return new ManifestFile(arrays, dictionary, compression, location, key, size);
        });

    /// <summary>The chunk at <paramref name="coords"/> of array <paramref name="nodeId"/>, or null if this manifest has none.</summary>
    public ChunkLocation? Find(ulong nodeId, uint[] coords)
    {
        if (!arrays.TryGetValue(nodeId, out var refs))
        {
            return null;
        }

        return FlatRead.Guard(location, key, () =>
        {
            int lo = 0, hi = refs.Count - 1;
            while (lo <= hi)
            {
                int mid = lo + ((hi - lo) >> 1);
                var chunk = refs.Table(mid);
                int order = Compare(FlatRead.Vector(chunk, Slots.ChunkRef.Index, 4, "ChunkRef.index"), coords);
                if (order == 0)
                {
                    return Locate(chunk);
                }

                if (order < 0)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid - 1;
                }
            }

            return (ChunkLocation?)null;
        });
    }

    private static int Compare(FlatVector index, uint[] coords)
    {
        for (int d = 0; d < Math.Min(index.Count, coords.Length); d++)
        {
            int order = index.UInt32(d).CompareTo(coords[d]);
            if (order != 0)
            {
                return order;
            }
        }

        return index.Count.CompareTo(coords.Length);
    }

    private ChunkLocation Locate(FlatTable chunk)
    {
        if (chunk.Vector(Slots.ChunkRef.Inline, 1) is { } inline)
        {
            return new InlineChunk(inline.Bytes.ToArray());
        }

        ulong offset = chunk.UInt64(Slots.ChunkRef.Offset);
        ulong length = chunk.UInt64(Slots.ChunkRef.Length);
        var chunkId = chunk.Struct(Slots.ChunkRef.ChunkId, 12);
        if (!chunkId.IsEmpty)
        {
            return new NativeChunk(FlatRead.Id12(chunkId, "ChunkRef.chunk_id"), offset, length);
        }

        if (chunk.String(Slots.ChunkRef.Location) is { } url)
        {
            return new VirtualChunk(url, offset, length);
        }

        if (chunk.Vector(Slots.ChunkRef.CompressedLocation, 1) is { } compressed)
        {
            return new VirtualChunk(Decompress(compressed.Bytes), offset, length);
        }

        throw new FlatBufferException("chunk reference is neither inline, native nor virtual");
    }

    private string Decompress(ReadOnlySpan<byte> compressed)
    {
        if (locationCompression != 1)
        {
            throw new FlatBufferException($"virtual chunk locations use compression algorithm {locationCompression}, which is not zstd (1)");
        }

        try
        {
            using var zstd = new Decompressor();
            if (locationDictionary is { Length: > 0 })
            {
                zstd.LoadDictionary(locationDictionary);
            }

            var output = new byte[MaxLocationBytes];
            int written = zstd.Unwrap(compressed, output);
            return System.Text.Encoding.UTF8.GetString(output, 0, written);
        }
        catch (ZstdException ex)
        {
            throw new FlatBufferException($"compressed virtual chunk location cannot be decompressed: {ex.Message}");
        }
    }
}
