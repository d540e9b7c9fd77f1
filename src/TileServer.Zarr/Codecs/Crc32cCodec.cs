using System.Buffers.Binary;
using System.Numerics;

namespace TileServer.Zarr.Codecs;

/// <summary>The v3 <c>crc32c</c> codec: data followed by its CRC-32C (Castagnoli), verified on decode.</summary>
internal sealed class Crc32cCodec : IBytesToBytesCodec
{
    public string Summary => "crc32c";

    public long? EncodedSize(long decodedSize) => decodedSize + 4;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
    {
        if (encoded.Length < 4)
        {
            throw new CodecException("crc32c: shorter than the 4-byte checksum");
        }

        var data = encoded[..^4];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(encoded.Span[^4..]);
        uint actual = Compute(data.Span);
        return stored == actual
            ? data
            : throw new CodecException($"crc32c: checksum mismatch (stored 0x{stored:X8}, computed 0x{actual:X8})");
    }

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        int i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data[i..]));
        }

        for (; i < data.Length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return ~crc;
    }
}
