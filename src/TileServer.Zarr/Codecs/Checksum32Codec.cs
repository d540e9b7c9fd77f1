using System.Buffers.Binary;

namespace TileServer.Zarr.Codecs;

internal enum Checksum32Kind
{
    Crc32,
    Adler32,
    Fletcher32,
}

/// <summary>numcodecs 32-bit checksums (crc32, adler32 at start or end; fletcher32 at end): stripped, crc32/adler32 verified.</summary>
internal sealed class Checksum32Codec : IBytesToBytesCodec
{
    private readonly Checksum32Kind _kind;
    private readonly bool _atEnd;

    public Checksum32Codec(Checksum32Kind kind, bool atEnd)
    {
        _kind = kind;
        _atEnd = atEnd;
    }

    public string Summary => _kind.ToString().ToLowerInvariant();

    public long? EncodedSize(long decodedSize) => decodedSize + 4;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
    {
        if (encoded.Length < 4)
        {
            throw new CodecException($"{Summary}: shorter than the 4-byte checksum");
        }

        var data = _atEnd ? encoded[..^4] : encoded[4..];
        var sum = _atEnd ? encoded.Span[^4..] : encoded.Span[..4];
        uint stored = BinaryPrimitives.ReadUInt32LittleEndian(sum);
        uint? actual = _kind switch
        {
            Checksum32Kind.Crc32 => Crc32(data.Span),
            Checksum32Kind.Adler32 => Adler32(data.Span),
            _ => null,
        };
        return actual is null || actual == stored
            ? data
            : throw new CodecException($"{Summary}: checksum mismatch (stored 0x{stored:X8}, computed 0x{actual:X8})");
    }

    private static uint Crc32(ReadOnlySpan<byte> data)
    {
        // Bitwise IEEE CRC-32 (zlib.crc32); numcodecs checksums are rare, so no table is kept.
        uint crc = 0xFFFFFFFF;
        foreach (byte x in data)
        {
            crc ^= x;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
        }

        return ~crc;
    }

    private static uint Adler32(ReadOnlySpan<byte> data)
    {
        uint a = 1, b = 0;
        foreach (byte x in data)
        {
            a = (a + x) % 65521;
            b = (b + a) % 65521;
        }

        return (b << 16) | a;
    }
}
