using System.Buffers.Binary;
using System.IO.Compression;

namespace TileServer.Delivery.Seeding.Pmtiles;

/// <summary>One directory entry: a run of tiles with the same content, or (run length 0) a leaf directory.</summary>
public readonly record struct PmtilesEntry(ulong TileId, ulong Offset, uint Length, uint RunLength);

/// <summary>The fixed header's fields (spec v3, section "Header Design"); offsets and lengths are in bytes.</summary>
public sealed record PmtilesHeader
{
    public ulong RootOffset { get; init; }
    public ulong RootLength { get; init; }
    public ulong MetadataOffset { get; init; }
    public ulong MetadataLength { get; init; }
    public ulong LeafOffset { get; init; }
    public ulong LeafLength { get; init; }
    public ulong DataOffset { get; init; }
    public ulong DataLength { get; init; }
    public ulong AddressedTiles { get; init; }
    public ulong TileEntries { get; init; }
    public ulong TileContents { get; init; }
    public bool Clustered { get; init; }
    public required PmtilesTileType TileType { get; init; }
    public required byte MinZoom { get; init; }
    public required byte MaxZoom { get; init; }
    public required double MinLon { get; init; }
    public required double MinLat { get; init; }
    public required double MaxLon { get; init; }
    public required double MaxLat { get; init; }
    public required byte CenterZoom { get; init; }
    public required double CenterLon { get; init; }
    public required double CenterLat { get; init; }
}

/// <summary>The spec's tile type enum (the image formats the server writes).</summary>
public enum PmtilesTileType : byte
{
    Png = 2,
    Jpeg = 3,
    Webp = 4,
}

/// <summary>
/// The binary pieces of PMTiles v3 (https://github.com/protomaps/PMTiles/blob/main/spec/v3/spec.md): tile ids on the
/// Hilbert curve, the 127-byte header, varint directories and their split into a root and leaves.
/// </summary>
public static class PmtilesFormat
{
    public const int HeaderLength = 127;

    /// <summary>Header and root directory must fit in the first 16 KiB, which latency-minded clients fetch at once.</summary>
    public const int MaxRootBytes = 16_384 - HeaderLength;

    private const byte CompressionNone = 1;
    private const byte CompressionGzip = 2;

    /// <summary>
    /// The tile id: the tiles of every coarser zoom ((4^z - 1) / 3) plus the tile's position on zoom z's Hilbert curve,
    /// so neighbouring tiles get neighbouring ids and runs of identical tiles stay runs.
    /// </summary>
    public static ulong TileId(int z, long x, long y)
    {
        ulong n = 1UL << z;
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)x, n, nameof(x));
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((ulong)y, n, nameof(y));
        ulong before = ((1UL << (2 * z)) - 1) / 3;
        ulong tx = (ulong)x, ty = (ulong)y, d = 0;
        for (ulong s = n >> 1; s > 0; s >>= 1)
        {
            ulong rx = (tx & s) != 0 ? 1UL : 0;
            ulong ry = (ty & s) != 0 ? 1UL : 0;
            d += s * s * ((3 * rx) ^ ry);
            // Turn the quadrant so that the curve of the next finer level continues where this one ends.
            if (ry == 0)
            {
                if (rx == 1)
                {
                    tx = n - 1 - tx;
                    ty = n - 1 - ty;
                }

                (tx, ty) = (ty, tx);
            }
        }

        return before + d;
    }

    /// <summary>
    /// A directory as stored: entry count, then columns of delta-coded tile ids, run lengths, lengths and offsets (0 when
    /// an entry follows the previous one's bytes directly, else offset + 1), all varints, gzip-compressed.
    /// </summary>
    public static byte[] SerializeDirectory(IReadOnlyList<PmtilesEntry> entries)
    {
        using var raw = new MemoryStream();
        WriteVarint(raw, (ulong)entries.Count);
        ulong lastId = 0;
        foreach (var e in entries)
        {
            WriteVarint(raw, e.TileId - lastId);
            lastId = e.TileId;
        }

        foreach (var e in entries)
        {
            WriteVarint(raw, e.RunLength);
        }

        foreach (var e in entries)
        {
            WriteVarint(raw, e.Length);
        }

        for (int i = 0; i < entries.Count; i++)
        {
            bool follows = i > 0 && entries[i].Offset == entries[i - 1].Offset + entries[i - 1].Length;
            WriteVarint(raw, follows ? 0 : entries[i].Offset + 1);
        }

        return Gzip(raw.GetBuffer().AsSpan(0, (int)raw.Length));
    }

    /// <summary>
    /// The root directory and the leaf directories (concatenated) for entries sorted by tile id. All entries go in the
    /// root when it fits in <paramref name="maxRootBytes"/>; otherwise they are cut into leaves of
    /// <paramref name="minLeafEntries"/> or more entries, the leaves growing until the root that points at them fits.
    /// </summary>
    public static (byte[] Root, byte[] Leaves, int LeafCount) Directories(IReadOnlyList<PmtilesEntry> entries, int maxRootBytes = MaxRootBytes, int minLeafEntries = 4096)
    {
        if (entries.Count == 0)
        {
            throw new ArgumentException("A PMTiles directory must hold at least one entry.", nameof(entries));
        }

        var root = SerializeDirectory(entries);
        if (root.Length <= maxRootBytes)
        {
            return (root, [], 0);
        }

        // As go-pmtiles sizes its leaves: about 3500 root entries fit in 16 KiB, so start there and grow by a fifth.
        double leafSize = Math.Max(minLeafEntries, entries.Count / 3500.0);
        while (true)
        {
            int size = (int)Math.Min(leafSize, entries.Count);
            using var leaves = new MemoryStream();
            var pointers = new List<PmtilesEntry>();
            for (int start = 0; start < entries.Count; start += size)
            {
                int count = Math.Min(size, entries.Count - start);
                var leaf = SerializeDirectory(entries.Skip(start).Take(count).ToList());
                pointers.Add(new PmtilesEntry(entries[start].TileId, (ulong)leaves.Length, (uint)leaf.Length, 0));
                leaves.Write(leaf);
            }

            root = SerializeDirectory(pointers);
            if (root.Length <= maxRootBytes || size == entries.Count)
            {
                return (root, leaves.ToArray(), pointers.Count);
            }

            leafSize *= 1.2;
        }
    }

    /// <summary>The 127-byte header; directories and metadata gzip-compressed, tiles stored as they are.</summary>
    public static byte[] WriteHeader(PmtilesHeader h)
    {
        var b = new byte[HeaderLength];
        var span = b.AsSpan();
        "PMTiles"u8.CopyTo(span);
        span[7] = 3;
        ulong[] sections = [h.RootOffset, h.RootLength, h.MetadataOffset, h.MetadataLength, h.LeafOffset, h.LeafLength, h.DataOffset, h.DataLength, h.AddressedTiles, h.TileEntries, h.TileContents];
        for (int i = 0; i < sections.Length; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(span[(8 + (8 * i))..], sections[i]);
        }

        span[96] = h.Clustered ? (byte)1 : (byte)0;
        span[97] = CompressionGzip;
        span[98] = CompressionNone;
        span[99] = (byte)h.TileType;
        span[100] = h.MinZoom;
        span[101] = h.MaxZoom;
        BinaryPrimitives.WriteInt32LittleEndian(span[102..], E7(h.MinLon));
        BinaryPrimitives.WriteInt32LittleEndian(span[106..], E7(h.MinLat));
        BinaryPrimitives.WriteInt32LittleEndian(span[110..], E7(h.MaxLon));
        BinaryPrimitives.WriteInt32LittleEndian(span[114..], E7(h.MaxLat));
        span[118] = h.CenterZoom;
        BinaryPrimitives.WriteInt32LittleEndian(span[119..], E7(h.CenterLon));
        BinaryPrimitives.WriteInt32LittleEndian(span[123..], E7(h.CenterLat));
        return b;
    }

    public static byte[] Gzip(ReadOnlySpan<byte> data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private static int E7(double degrees) => (int)Math.Round(degrees * 10_000_000);

    private static void WriteVarint(Stream s, ulong value)
    {
        while (value >= 0x80)
        {
            s.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        s.WriteByte((byte)value);
    }
}
