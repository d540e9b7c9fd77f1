namespace TileServer.Zarr.Codecs;

/// <summary>Helpers over C-order byte arrays of fixed-size elements.</summary>
internal static class ArrayLayout
{
    public static void FillWith(Span<byte> data, ReadOnlySpan<byte> element)
    {
        if (element.IndexOfAnyExcept((byte)0) < 0)
        {
            data.Clear();
            return;
        }

        if (element.Length == 1)
        {
            data.Fill(element[0]);
            return;
        }

        int filled = Math.Min(element.Length, data.Length);
        element[..filled].CopyTo(data);
        while (filled < data.Length)
        {
            int n = Math.Min(filled, data.Length - filled);
            data[..n].CopyTo(data[filled..]);
            filled += n;
        }
    }

    /// <summary>Copies a C-order block of shape <paramref name="blockShape"/> into a larger C-order array at <paramref name="origin"/>.</summary>
    public static void CopyBlock(ReadOnlySpan<byte> block, int[] blockShape, Span<byte> target, int[] targetShape, ReadOnlySpan<int> origin, int itemSize)
    {
        int nd = blockShape.Length;
        if (nd == 0)
        {
            block[..itemSize].CopyTo(target);
            return;
        }

        Span<long> strides = stackalloc long[nd];
        long s = 1;
        for (int d = nd - 1; d >= 0; d--)
        {
            strides[d] = s;
            s *= targetShape[d];
        }

        int rowBytes = blockShape[nd - 1] * itemSize;
        long rows = 1;
        for (int d = 0; d < nd - 1; d++)
        {
            rows *= blockShape[d];
        }

        Span<int> idx = stackalloc int[nd];
        for (long r = 0; r < rows; r++)
        {
            long offset = origin[nd - 1];
            for (int d = 0; d < nd - 1; d++)
            {
                offset += (origin[d] + idx[d]) * strides[d];
            }

            block.Slice((int)(r * rowBytes), rowBytes).CopyTo(target[(int)(offset * itemSize)..]);
            for (int d = nd - 2; d >= 0; d--)
            {
                if (++idx[d] < blockShape[d])
                {
                    break;
                }

                idx[d] = 0;
            }
        }
    }
}
