using TileServer.Storage;

namespace TileServer.Icechunk;

/// <summary>Maps a range of a chunk to the range of the object that holds the chunk at [offset, offset+length).</summary>
internal static class ChunkWindow
{
    public static ByteRange Within(ulong offset, ulong length, ByteRange? range, string location, string key)
    {
        if (offset > long.MaxValue || length > long.MaxValue || offset + length > long.MaxValue)
        {
            throw new IcechunkFormatException(location, key, $"chunk reference at offset {offset} with length {length} is out of range");
        }

        long start = (long)offset, size = (long)length;
        if (range is not { } r)
        {
            return ByteRange.FromOffset(start, size);
        }

        if (r.IsSuffix)
        {
            long n = Math.Min(r.Length, size);
            return ByteRange.FromOffset(start + size - n, n);
        }

        long from = Math.Min(r.Start, size);
        return ByteRange.FromOffset(start + from, Math.Min(r.Length, size - from));
    }

    /// <summary>The same selection applied to bytes already in memory (inline chunks, metadata documents).</summary>
    public static byte[]? Slice(byte[] bytes, ByteRange? range)
    {
        if (range is not { } r)
        {
            return bytes;
        }

        if (r.IsSuffix)
        {
            return bytes[^(int)Math.Min(r.Length, bytes.Length)..];
        }

        if (r.Start >= bytes.Length && !(r.Start == 0 && bytes.Length == 0))
        {
            return null;
        }

        int from = (int)r.Start;
        return bytes.AsSpan(from, (int)Math.Min(r.Length, bytes.Length - from)).ToArray();
    }
}
