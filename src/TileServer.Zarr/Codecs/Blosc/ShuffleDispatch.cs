namespace TileServer.Zarr.Codecs.Blosc;

internal static partial class Shuffle
{
    public static void ByteUnshuffle(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize) => ByteUnshuffleScalar(src, dst, typeSize);

    public static void BitUnshuffle(ReadOnlySpan<byte> src, Span<byte> dst, int typeSize) => BitUnshuffleScalar(src, dst, typeSize);
}
