using TileServer.Zarr.Codecs.Blosc;

namespace TileServer.Zarr.Codecs;

/// <summary>Blosc1 chunks (v2 compressor "blosc", v3 codec "blosc"); the header carries everything a decoder needs.</summary>
internal sealed class BloscCodec(string summary) : CompressorCodec(summary)
{
    private readonly ZstdDecompressorPool _zstd = new();

    public override ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
    {
        try
        {
            return BloscDecoder.Decode(encoded.Span, decodedSize, maxBytes, _zstd);
        }
        catch (Exception ex) when (ex is ZstdSharp.ZstdException or InvalidDataException or ArgumentException)
        {
            throw new CodecException($"blosc: {ex.Message}", ex);
        }
    }
}
