namespace TileServer.Storage.Kerchunk;

/// <summary>
/// One key of a kerchunk reference set: either inline bytes, or a byte range of (or all of) an object
/// at <see cref="Url"/> (absolute: relative URLs are resolved against the reference file's folder while parsing).
/// </summary>
public readonly record struct ChunkReference
{
    private ChunkReference(byte[]? inline, string? url, long offset, long length)
    {
        Inline = inline;
        Url = url;
        Offset = offset;
        Length = length;
    }

    public byte[]? Inline { get; }
    public string? Url { get; }
    public long Offset { get; }

    /// <summary>Bytes referenced; -1 for "the whole object at <see cref="Url"/>".</summary>
    public long Length { get; }

    public bool IsWholeObject => Inline is null && Length < 0;

    public static ChunkReference FromInline(byte[] data) => new(data, null, 0, data.Length);

    public static ChunkReference FromRange(string url, long offset, long length) => new(null, url, offset, length);

    public static ChunkReference FromObject(string url) => new(null, url, 0, -1);
}
