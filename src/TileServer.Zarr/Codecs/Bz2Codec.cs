using ICSharpCode.SharpZipLib.BZip2;

namespace TileServer.Zarr.Codecs;

/// <summary>numcodecs BZ2: one bzip2 stream.</summary>
internal sealed class Bz2Codec() : CompressorCodec("bz2")
{
    public override ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
    {
        try
        {
            using var stream = new BZip2InputStream(DeflateCodec.AsStream(encoded));
            return StreamDecoding.ReadAll(stream, decodedSize, maxBytes, "bz2");
        }
        catch (ICSharpCode.SharpZipLib.SharpZipBaseException ex)
        {
            throw new CodecException($"bz2: {ex.Message}", ex);
        }
    }
}
