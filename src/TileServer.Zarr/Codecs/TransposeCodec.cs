namespace TileServer.Zarr.Codecs;

/// <summary>
/// The v3 <c>transpose</c> codec (also v2 <c>order: "F"</c> = reversed axes): the stored array B has
/// <c>B.shape[i] = A.shape[order[i]]</c>.
/// </summary>
internal sealed class TransposeCodec : IArrayToArrayCodec
{
    private readonly int[] _order;

    public TransposeCodec(int[] order)
    {
        _order = order;
    }

    public string Summary => "transpose(" + string.Join(",", _order) + ")";

    public ChunkRepresentation EncodedRepresentation(ChunkRepresentation decoded)
    {
        if (_order.Length != decoded.Shape.Length)
        {
            throw new CodecException($"transpose: order has {_order.Length} axes, the array {decoded.Shape.Length}");
        }

        var shape = new int[_order.Length];
        for (int i = 0; i < shape.Length; i++)
        {
            shape[i] = decoded.Shape[_order[i]];
        }

        return decoded with { Shape = shape };
    }

    public byte[] Decode(byte[] encoded, ChunkRepresentation encodedRepresentation, ChunkRepresentation decodedRepresentation)
    {
        int nd = _order.Length;
        int item = decodedRepresentation.DataType.ItemSize;
        var result = GC.AllocateUninitializedArray<byte>(encoded.Length);
        Span<long> aStrides = stackalloc long[nd];
        long stride = 1;
        for (int d = nd - 1; d >= 0; d--)
        {
            aStrides[d] = stride;
            stride *= decodedRepresentation.Shape[d];
        }

        // Walk B in C order; the matching A offset advances by A's stride of the axis B's axis came from.
        Span<long> step = stackalloc long[nd];
        for (int i = 0; i < nd; i++)
        {
            step[i] = aStrides[_order[i]];
        }

        var bShape = encodedRepresentation.Shape;
        Span<int> idx = stackalloc int[nd];
        long total = encodedRepresentation.ElementCount;
        long aOffset = 0;
        int inner = nd - 1;
        int innerLen = bShape[inner];
        long innerStep = step[inner];
        for (long b = 0; b < total; b += innerLen)
        {
            CopyStrided(encoded.AsSpan((int)(b * item), innerLen * item), result, aOffset, innerStep, item);
            for (int d = inner - 1; d >= 0; d--)
            {
                idx[d]++;
                aOffset += step[d];
                if (idx[d] < bShape[d])
                {
                    break;
                }

                aOffset -= step[d] * idx[d];
                idx[d] = 0;
            }
        }

        return result;
    }

    private static void CopyStrided(ReadOnlySpan<byte> src, Span<byte> dst, long start, long stepElements, int item)
    {
        int n = src.Length / item;
        long pos = start * item;
        long stepBytes = stepElements * item;
        for (int i = 0; i < n; i++)
        {
            src.Slice(i * item, item).CopyTo(dst.Slice((int)pos, item));
            pos += stepBytes;
        }
    }
}
