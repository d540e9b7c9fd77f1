using ICSharpCode.SharpZipLib.BZip2;

namespace TileServer.Zarr.Codecs;

internal sealed class Bz2Codec : IBytesToBytesCodec
{
    public string Summary => "bz2";

    public long? EncodedSize(long decodedSize) => null;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
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
