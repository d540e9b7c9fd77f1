using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Codecs;

/// <summary>
/// Shape, element type and fill value of a chunk at one point of a codec chain. Data between array codecs
/// is always native (little-endian), C order, exactly <see cref="ByteSize"/> bytes.
/// </summary>
internal sealed record ChunkRepresentation(int[] Shape, DataTypeInfo DataType, byte[] FillBytes)
{
    /// <summary>Elements of one chunk; saturates, so hostile shapes fail the size limits rather than wrap around.</summary>
    public long ElementCount => ShapeMath.SaturatingProduct(Shape);

    public long ByteSize => ShapeMath.SaturatingMultiply(ElementCount, DataType.ItemSize);
}

/// <summary>A codec, whichever its kind; <see cref="Summary"/> is shown in metadata descriptions.</summary>
internal interface ICodec
{
    string Summary { get; }
}

/// <summary>Transforms an array into another array (transpose, delta, scale/offset...).</summary>
internal interface IArrayToArrayCodec : ICodec
{
    /// <summary>The representation this codec stores for a decoded chunk of <paramref name="decoded"/>.</summary>
    ChunkRepresentation EncodedRepresentation(ChunkRepresentation decoded);

    byte[] Decode(byte[] encoded, ChunkRepresentation encodedRepresentation, ChunkRepresentation decodedRepresentation);
}

/// <summary>Serialises an array to bytes (bytes, sharding_indexed).</summary>
internal interface IArrayToBytesCodec : ICodec
{
    /// <summary>Exact encoded size when it does not depend on the data, otherwise null.</summary>
    long? EncodedSize(ChunkRepresentation representation);

    byte[] Decode(ReadOnlyMemory<byte> encoded, ChunkRepresentation representation, DecodeContext context);
}

/// <summary>Transforms bytes into bytes (compressors, checksums, byte-level filters).</summary>
internal interface IBytesToBytesCodec : ICodec
{
    /// <summary>Exact encoded size for a decoded size when it does not depend on the data, otherwise null.</summary>
    long? EncodedSize(long decodedSize);

    /// <param name="decodedSize">The exact size the result must have, when known.</param>
    /// <param name="maxBytes">Largest result accepted when the size is not known in advance.</param>
    ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes);
}

/// <summary>A compressor: how many bytes it writes depends on the data, so it predicts no encoded size.</summary>
internal abstract class CompressorCodec(string summary) : IBytesToBytesCodec
{
    public string Summary { get; } = summary;

    public long? EncodedSize(long decodedSize) => null;

    public abstract ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes);
}

/// <summary>What a decode may need besides the bytes: the limits of the reader.</summary>
internal sealed record DecodeContext(long MaxChunkBytes);

/// <summary>Raised by codecs for undecodable input; the chain turns it into a <see cref="ChunkDecodeException"/>.</summary>
internal sealed class CodecException : Exception
{
    public CodecException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
