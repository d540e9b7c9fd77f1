using System.Buffers.Binary;
using TileServer.Zarr.Metadata;

namespace TileServer.Zarr.Codecs;

/// <summary>Element access by NumPy type (with byte order) for the numcodecs filters, which are rare and not hot.</summary>
internal static class NumericAccess
{
    public static double ReadDouble(ReadOnlySpan<byte> data, DataTypeInfo type, int index)
    {
        var b = data.Slice(index * type.ItemSize, type.ItemSize);
        if (type.BigEndian)
        {
            Span<byte> le = stackalloc byte[8];
            for (int i = 0; i < b.Length; i++)
            {
                le[i] = b[b.Length - 1 - i];
            }

            return FillValue.ReadAsDouble(le, type.Type);
        }

        return FillValue.ReadAsDouble(b, type.Type);
    }

    public static long ReadInt64(ReadOnlySpan<byte> data, DataTypeInfo type, int index)
    {
        if (type.IsFloat)
        {
            return (long)ReadDouble(data, type, index);
        }

        var b = data.Slice(index * type.ItemSize, type.ItemSize);
        ulong raw = 0;
        for (int i = 0; i < b.Length; i++)
        {
            ulong v = type.BigEndian ? b[b.Length - 1 - i] : b[i];
            raw |= v << (8 * i);
        }

        if (type.IsSigned && type.ItemSize < 8)
        {
            int shift = 64 - (8 * type.ItemSize);
            return (long)(raw << shift) >> shift;
        }

        return (long)raw;
    }

    public static void WriteDouble(Span<byte> data, DataTypeInfo type, int index, double value)
    {
        if (!type.IsFloat)
        {
            WriteInt64(data, type, index, double.IsNaN(value) ? 0 : (long)value);
            return;
        }

        var b = data.Slice(index * type.ItemSize, type.ItemSize);
        switch (type.Type)
        {
            case ZarrDataType.Float16:
                if (type.BigEndian) { BinaryPrimitives.WriteHalfBigEndian(b, (Half)value); } else { BinaryPrimitives.WriteHalfLittleEndian(b, (Half)value); }
                break;
            case ZarrDataType.Float32:
                if (type.BigEndian) { BinaryPrimitives.WriteSingleBigEndian(b, (float)value); } else { BinaryPrimitives.WriteSingleLittleEndian(b, (float)value); }
                break;
            default:
                if (type.BigEndian) { BinaryPrimitives.WriteDoubleBigEndian(b, value); } else { BinaryPrimitives.WriteDoubleLittleEndian(b, value); }
                break;
        }
    }

    public static void WriteInt64(Span<byte> data, DataTypeInfo type, int index, long value)
    {
        if (type.IsFloat)
        {
            WriteDouble(data, type, index, value);
            return;
        }

        var b = data.Slice(index * type.ItemSize, type.ItemSize);
        if (type.Type == ZarrDataType.Bool)
        {
            b[0] = value != 0 ? (byte)1 : (byte)0;
            return;
        }

        for (int i = 0; i < b.Length; i++)
        {
            byte v = (byte)(value >> (8 * i));
            b[type.BigEndian ? b.Length - 1 - i : i] = v;
        }
    }
}
