using System.Buffers.Binary;
using K4os.Compression.LZ4;

namespace TileServer.Zarr.Codecs;

/// <summary>numcodecs LZ4: a little-endian uint32 decoded size followed by one raw LZ4 block.</summary>
internal sealed class Lz4Codec() : CompressorCodec("lz4")
{
    public override ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
    {
        var src = encoded.Span;
        if (src.Length < 4)
        {
            throw new CodecException("lz4: shorter than its 4-byte size header");
        }

        uint declared = BinaryPrimitives.ReadUInt32LittleEndian(src);
        if (declared == 0x184D2204)
        {
            throw new CodecException("lz4: data is an LZ4 frame (magic 04 22 4D 18), not numcodecs' size-prefixed block");
        }

        if (decodedSize is { } expected && declared != expected)
        {
            throw new CodecException($"lz4: header declares {declared} bytes, the chunk holds {expected}");
        }

        if (declared > maxBytes || declared > Array.MaxLength)
        {
            throw new CodecException($"lz4: header declares {declared} bytes, more than the limit of {maxBytes}");
        }

        var dst = GC.AllocateUninitializedArray<byte>((int)declared);
        int n = LZ4Codec.Decode(src[4..], dst);
        return n == declared ? dst : throw new CodecException($"lz4: block decodes to {n} bytes, expected {declared}");
    }
}
