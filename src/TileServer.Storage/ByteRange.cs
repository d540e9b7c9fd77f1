namespace TileServer.Storage;

/// <summary>
/// A byte range of a stored object: either <c>[Start, Start+Length)</c> or, when <see cref="IsSuffix"/>,
/// the last <see cref="Length"/> bytes (the form shard indexes at the end of a shard need; HTTP and S3
/// answer it without knowing the object size).
/// </summary>
public readonly record struct ByteRange
{
    private ByteRange(long start, long length, bool suffix)
    {
        Start = start;
        Length = length;
        IsSuffix = suffix;
    }

    public long Start { get; }
    public long Length { get; }
    public bool IsSuffix { get; }

    /// <summary>Exclusive end offset; meaningless for suffix ranges.</summary>
    public long End => Start + Length;

    public static ByteRange FromOffset(long start, long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new ByteRange(start, length, false);
    }

    public static ByteRange Suffix(long length)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length);
        return new ByteRange(0, length, true);
    }

    /// <summary>The HTTP <c>Range</c> header value (<c>bytes=a-b</c> or <c>bytes=-n</c>).</summary>
    public string ToHttpRange() => IsSuffix ? $"bytes=-{Length}" : $"bytes={Start}-{Start + Length - 1}";

    public override string ToString() => IsSuffix ? $"last {Length} bytes" : $"bytes {Start}..{Start + Length - 1}";
}
