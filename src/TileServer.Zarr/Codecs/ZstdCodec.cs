using ZstdSharp;

namespace TileServer.Zarr.Codecs;

/// <summary>Zstandard frames (RFC 8878); the frame may or may not declare its content size.</summary>
internal sealed class ZstdCodec : IBytesToBytesCodec
{
    public ZstdCodec(string summary)
    {
        Summary = summary;
    }

    public string Summary { get; }

    public long? EncodedSize(long decodedSize) => null;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
        => Decompress(encoded.Span, decodedSize, maxBytes);

    public static byte[] Decompress(ReadOnlySpan<byte> src, long? decodedSize, long maxBytes)
    {
        long size;
        if (decodedSize is { } known)
        {
            size = known;
        }
        else
        {
            ulong declared;
            try
            {
                declared = Decompressor.GetDecompressedSize(src);
            }
            catch (ZstdException ex)
            {
                throw new CodecException($"zstd: bad frame header ({ex.Message})", ex);
            }

            if (declared == 0 || declared > (ulong)maxBytes)
            {
                return StreamDecoding.ReadAll(new DecompressionStream(new MemoryStream(src.ToArray())), null, maxBytes, "zstd");
            }

            size = (long)declared;
        }

        if (size > maxBytes || size > Array.MaxLength)
        {
            throw new CodecException($"zstd: expected {size} decoded bytes, more than the limit of {maxBytes}");
        }

        var dst = GC.AllocateUninitializedArray<byte>((int)size);
        int written;
        try
        {
            using var decompressor = new Decompressor();
            written = decompressor.Unwrap(src, dst);
        }
        catch (ZstdException ex)
        {
            throw new CodecException($"zstd: {ex.Message}", ex);
        }

        return written == size ? dst : throw new CodecException($"zstd: decoded {written} bytes, expected {size}");
    }
}
