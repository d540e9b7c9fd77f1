using System.IO.Compression;
using System.Runtime.InteropServices;

namespace TileServer.Zarr.Codecs;

/// <summary>
/// zlib (RFC 1950), gzip (RFC 1952) and raw deflate. The container is sniffed from the first bytes, because
/// writers disagree (numcodecs "zlib" vs "gzip", v3 gzip written as zlib by some tools).
/// </summary>
internal sealed class DeflateCodec(string summary) : CompressorCodec(summary)
{
    public override ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
        => Inflate(encoded, decodedSize, maxBytes, Summary);

    public static byte[] Inflate(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes, string name)
    {
        var span = encoded.Span;
        using var input = AsStream(encoded);
        Stream stream = span.Length >= 2 && span[0] == 0x1F && span[1] == 0x8B
            ? new GZipStream(input, CompressionMode.Decompress)
            : span.Length >= 2 && (span[0] & 0x0F) == 8 && ((span[0] << 8) | span[1]) % 31 == 0
                ? new ZLibStream(input, CompressionMode.Decompress)
                : new DeflateStream(input, CompressionMode.Decompress);
        using (stream)
        {
            return StreamDecoding.ReadAll(stream, decodedSize, maxBytes, name);
        }
    }

    public static MemoryStream AsStream(ReadOnlyMemory<byte> memory)
        => MemoryMarshal.TryGetArray(memory, out var segment)
            ? new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(memory.ToArray(), writable: false);
}
