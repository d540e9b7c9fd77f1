using ZstdSharp;

namespace TileServer.Zarr.Codecs;

/// <summary>Zstandard frames (RFC 8878); the frame may or may not declare its content size.</summary>
internal sealed class ZstdCodec(string summary) : CompressorCodec(summary)
{
    private readonly ZstdDecompressorPool _pool = new();

    public override ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
        => Decompress(encoded.Span, decodedSize, maxBytes, _pool);

    public static byte[] Decompress(ReadOnlySpan<byte> src, long? decodedSize, long maxBytes, ZstdDecompressorPool pool)
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
                // No (or an implausible) content size in the frame header: stream it, capped at the limit.
                using var stream = new DecompressionStream(new MemoryStream(src.ToArray()));
                return StreamDecoding.ReadAll(stream, null, maxBytes, "zstd");
            }

            size = (long)declared;
        }

        if (size > maxBytes || size > Array.MaxLength)
        {
            throw new CodecException($"zstd: expected {size} decoded bytes, more than the limit of {maxBytes}");
        }

        var dst = GC.AllocateUninitializedArray<byte>((int)size);
        int written;
        var decompressor = pool.Rent();
        try
        {
            written = decompressor.Unwrap(src, dst);
            pool.Return(decompressor);
        }
        catch (ZstdException ex)
        {
            // A context that failed mid-frame is not returned to the pool.
            decompressor.Dispose();
            throw new CodecException($"zstd: {ex.Message}", ex);
        }

        return written == size ? dst : throw new CodecException($"zstd: decoded {written} bytes, expected {size}");
    }
}
