using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Codecs;

/// <summary>
/// numcodecs filters that re-type elements (delta, fixedscaleoffset, astype). In Zarr v2 they sit between
/// the serialised array and the compressor and work on stored bytes in their own NumPy types; in v3
/// (<c>numcodecs.*</c>) the same transforms are array→array codecs on native elements.
/// </summary>
internal abstract class RetypingFilter : IBytesToBytesCodec, IArrayToArrayCodec
{
    protected RetypingFilter(DataTypeInfo decodedType, DataTypeInfo encodedType)
    {
        DecodedType = decodedType;
        EncodedType = encodedType;
    }

    public DataTypeInfo DecodedType { get; }
    public DataTypeInfo EncodedType { get; }

    public abstract string Summary { get; }

    public long? EncodedSize(long decodedSize) => decodedSize / DecodedType.ItemSize * EncodedType.ItemSize;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
        => Run(encoded.Span, DecodedType, EncodedType, decodedSize, maxBytes);

    public ChunkRepresentation EncodedRepresentation(ChunkRepresentation decoded)
    {
        var native = EncodedType.Native;
        var fill = new byte[native.ItemSize];
        NumericAccess.WriteDouble(fill, native, 0, FillValue.ReadAsDouble(decoded.FillBytes, decoded.DataType.Type));
        return decoded with { DataType = native, FillBytes = fill };
    }

    public byte[] Decode(byte[] encoded, ChunkRepresentation encodedRepresentation, ChunkRepresentation decodedRepresentation)
        => Run(encoded, decodedRepresentation.DataType, encodedRepresentation.DataType, decodedRepresentation.ByteSize, long.MaxValue);

    private byte[] Run(ReadOnlySpan<byte> src, DataTypeInfo decodedType, DataTypeInfo encodedType, long? decodedSize, long maxBytes)
    {
        if (src.Length % encodedType.ItemSize != 0)
        {
            throw new CodecException($"{Summary}: {src.Length} bytes is not a whole number of {encodedType.ItemSize}-byte elements");
        }

        int n = src.Length / encodedType.ItemSize;
        long size = (long)n * decodedType.ItemSize;
        if ((decodedSize is { } expected && expected != size) || size > maxBytes)
        {
            throw new CodecException($"{Summary}: {n} elements do not make the expected {decodedSize} bytes");
        }

        var dst = new byte[size];
        Transform(src, encodedType, dst, decodedType, n);
        return dst;
    }

    protected abstract void Transform(ReadOnlySpan<byte> src, DataTypeInfo srcType, Span<byte> dst, DataTypeInfo dstType, int n);
}

/// <summary>numcodecs Delta: decode is a running sum computed in the decoded type (integers wrap).</summary>
internal sealed class DeltaFilter : RetypingFilter
{
    public DeltaFilter(DataTypeInfo dtype, DataTypeInfo astype)
        : base(dtype, astype)
    {
    }

    public override string Summary => "delta";

    protected override void Transform(ReadOnlySpan<byte> src, DataTypeInfo srcType, Span<byte> dst, DataTypeInfo dstType, int n)
    {
        if (dstType.IsFloat)
        {
            double acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc += NumericAccess.ReadDouble(src, srcType, i);
                acc = dstType.Type == ZarrDataType.Float32 ? (float)acc : dstType.Type == ZarrDataType.Float16 ? (double)(Half)acc : acc;
                NumericAccess.WriteDouble(dst, dstType, i, acc);
            }
        }
        else
        {
            long acc = 0;
            for (int i = 0; i < n; i++)
            {
                acc = unchecked(acc + NumericAccess.ReadInt64(src, srcType, i));
                NumericAccess.WriteInt64(dst, dstType, i, acc);
            }
        }
    }
}

/// <summary>numcodecs FixedScaleOffset: decode <c>x = enc / scale + offset</c> in float64, cast to the decoded type.</summary>
internal sealed class FixedScaleOffsetFilter : RetypingFilter
{
    private readonly double _scale;
    private readonly double _offset;

    public FixedScaleOffsetFilter(DataTypeInfo dtype, DataTypeInfo astype, double scale, double offset)
        : base(dtype, astype)
    {
        _scale = scale;
        _offset = offset;
    }

    public override string Summary => $"fixedscaleoffset({_scale},{_offset})";

    protected override void Transform(ReadOnlySpan<byte> src, DataTypeInfo srcType, Span<byte> dst, DataTypeInfo dstType, int n)
    {
        for (int i = 0; i < n; i++)
        {
            NumericAccess.WriteDouble(dst, dstType, i, (NumericAccess.ReadDouble(src, srcType, i) / _scale) + _offset);
        }
    }
}

/// <summary>numcodecs AsType: a plain cast from the encoded to the decoded type.</summary>
internal sealed class AsTypeFilter : RetypingFilter
{
    public AsTypeFilter(DataTypeInfo decodeType, DataTypeInfo encodeType)
        : base(decodeType, encodeType)
    {
    }

    public override string Summary => "astype";

    protected override void Transform(ReadOnlySpan<byte> src, DataTypeInfo srcType, Span<byte> dst, DataTypeInfo dstType, int n)
    {
        for (int i = 0; i < n; i++)
        {
            if (srcType.IsFloat || dstType.IsFloat)
            {
                NumericAccess.WriteDouble(dst, dstType, i, NumericAccess.ReadDouble(src, srcType, i));
            }
            else
            {
                NumericAccess.WriteInt64(dst, dstType, i, NumericAccess.ReadInt64(src, srcType, i));
            }
        }
    }
}

/// <summary>numcodecs Shuffle filter: whole-buffer byte shuffle with a given element size.</summary>
internal sealed class ShuffleFilter : IBytesToBytesCodec
{
    private readonly int _elementSize;

    public ShuffleFilter(int elementSize)
    {
        _elementSize = elementSize;
    }

    public string Summary => $"shuffle({_elementSize})";

    public long? EncodedSize(long decodedSize) => decodedSize;

    public ReadOnlyMemory<byte> Decode(ReadOnlyMemory<byte> encoded, long? decodedSize, long maxBytes)
    {
        if (_elementSize <= 1)
        {
            return encoded;
        }

        var dst = GC.AllocateUninitializedArray<byte>(encoded.Length);
        Blosc.Shuffle.ByteUnshuffle(encoded.Span, dst, _elementSize);
        return dst;
    }
}
