using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace TileServer.Zarr.Codecs;

/// <summary>The v3 <c>bytes</c> codec (and the implicit v2 serialisation): fixed-width elements in C order, little or big endian.</summary>
internal sealed class BytesCodec : IArrayToBytesCodec
{
    public BytesCodec(bool bigEndian)
    {
        BigEndian = bigEndian;
    }

    public bool BigEndian { get; }

    public string Summary => BigEndian ? "bytes(big)" : "bytes";

    public long? EncodedSize(ChunkRepresentation representation) => representation.ByteSize;

    public byte[] Decode(ReadOnlyMemory<byte> encoded, ChunkRepresentation representation, DecodeContext context)
    {
        long expected = representation.ByteSize;
        if (encoded.Length != expected)
        {
            throw new CodecException($"bytes: chunk holds {encoded.Length} bytes, expected {expected}");
        }

        byte[] result = MemoryMarshal.TryGetArray(encoded, out var seg) && seg.Offset == 0 && seg.Count == seg.Array!.Length
            ? seg.Array
            : encoded.ToArray();
        if (BigEndian)
        {
            if (ReferenceEquals(result, seg.Array))
            {
                // Never swap bytes in place in a buffer we did not allocate (it may be cached raw data).
                result = (byte[])result.Clone();
            }

            SwapInPlace(result, representation.DataType.ItemSize);
        }

        return result;
    }

    public static void SwapInPlace(Span<byte> data, int itemSize)
    {
        switch (itemSize)
        {
            case 2:
                var s = MemoryMarshal.Cast<byte, ushort>(data);
                BinaryPrimitives.ReverseEndianness(s, s);
                break;
            case 4:
                var i = MemoryMarshal.Cast<byte, uint>(data);
                BinaryPrimitives.ReverseEndianness(i, i);
                break;
            case 8:
                var l = MemoryMarshal.Cast<byte, ulong>(data);
                BinaryPrimitives.ReverseEndianness(l, l);
                break;
        }
    }
}
