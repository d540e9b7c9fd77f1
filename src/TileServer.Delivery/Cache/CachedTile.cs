using System.Buffers.Binary;
using System.Text;

namespace TileServer.Delivery.Cache;

/// <summary>A rendered tile as served: the encoded bytes, their media type and their strong ETag.</summary>
public sealed record CachedTile(byte[] Bytes, string ContentType, string ETag)
{
    // Layout of a serialised entry: magic "TSC1", u16 content-type length, content type, u16 etag length, etag, bytes.
    private static ReadOnlySpan<byte> Magic => "TSC1"u8;

    /// <summary>
    /// False for an answer that must not outlive its request (e.g. stretched by its own values while the dataset's
    /// statistics are pending): it is handed to the requests waiting on its render but stored in no tier.
    /// </summary>
    public bool Keep { get; init; } = true;

    /// <summary>Bytes accounted for this entry in a size-bounded tier.</summary>
    public long Size => Bytes.LongLength + ((ContentType.Length + ETag.Length) * 2) + 64;

    /// <summary>One buffer holding the whole entry (what the shared tier stores under the key).</summary>
    public byte[] Serialize()
    {
        int typeLength = Encoding.UTF8.GetByteCount(ContentType);
        int tagLength = Encoding.UTF8.GetByteCount(ETag);
        var buffer = new byte[Magic.Length + 2 + typeLength + 2 + tagLength + Bytes.Length];
        var span = buffer.AsSpan();
        Magic.CopyTo(span);
        int at = Magic.Length;
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)typeLength));
        at += 2 + Encoding.UTF8.GetBytes(ContentType, span[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], checked((ushort)tagLength));
        at += 2 + Encoding.UTF8.GetBytes(ETag, span[(at + 2)..]);
        Bytes.CopyTo(span[at..]);
        return buffer;
    }

    /// <summary>The entry <see cref="Serialize"/> wrote; null for anything else (another writer's value, a truncated one).</summary>
    public static CachedTile? Deserialize(ReadOnlySpan<byte> data)
    {
        if (data.Length < Magic.Length + 4 || !data.StartsWith(Magic))
        {
            return null;
        }

        int at = Magic.Length;
        int typeLength = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
        at += 2;
        if (at + typeLength + 2 > data.Length)
        {
            return null;
        }

        string type = Encoding.UTF8.GetString(data.Slice(at, typeLength));
        at += typeLength;
        int tagLength = BinaryPrimitives.ReadUInt16LittleEndian(data[at..]);
        at += 2;
        if (at + tagLength > data.Length)
        {
            return null;
        }

        string etag = Encoding.UTF8.GetString(data.Slice(at, tagLength));
        at += tagLength;
        return new CachedTile(data[at..].ToArray(), type, etag);
    }
}

/// <summary>Which tier answered a tile request.</summary>
public enum TileCacheTier
{
    /// <summary>No tier had it: the tile was rendered (by this request or one it joined).</summary>
    Miss,

    /// <summary>The in-process tier.</summary>
    Memory,

    /// <summary>The shared (Redis) tier.</summary>
    Redis,
}

/// <summary>A tile and where it came from.</summary>
public readonly record struct TileLookup(CachedTile Tile, TileCacheTier Tier);

/// <summary>What became of a tile given to <see cref="TileCache.StoreAsync"/>.</summary>
public enum TileStoreResult
{
    /// <summary>In every configured tier.</summary>
    Stored,

    /// <summary>Not cacheable (see <see cref="CachedTile.Keep"/>) or larger than <see cref="TileCacheOptions.MaxEntryBytes"/>: no tier keeps it.</summary>
    NotKept,

    /// <summary>The shared tier did not answer or refused the write.</summary>
    Failed,
}
