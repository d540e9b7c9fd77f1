using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json.Nodes;

namespace TileServer.Zarr.Metadata;

/// <summary>A parsed fill value: as a number for callers and as one element of native bytes for decoding.</summary>
internal sealed record FillValue(double? Value, byte[] Bytes)
{
    /// <summary>
    /// Parses the JSON fill value of Zarr v2 and v3: numbers, booleans, "NaN", "Infinity", "-Infinity",
    /// v3 hex bit patterns ("0x7fc00000") and null (zeros, reported as null).
    /// </summary>
    public static FillValue Parse(JsonNode? node, DataTypeInfo type, string path)
    {
        var bytes = new byte[type.ItemSize];
        if (node is null)
        {
            return new FillValue(null, bytes);
        }

        if (node is not JsonValue value)
        {
            throw new ZarrFormatException(path, $"fill_value {node.ToJsonString()} is not a scalar");
        }

        if (value.TryGetValue(out bool b))
        {
            bytes[0] = b ? (byte)1 : (byte)0;
            return new FillValue(b ? 1 : 0, bytes);
        }

        if (value.TryGetValue(out string? s))
        {
            return ParseString(s, type, path, bytes);
        }

        if (type.IsFloat)
        {
            if (!value.TryGetValue(out double d))
            {
                throw new ZarrFormatException(path, $"fill_value {node.ToJsonString()} is not a number");
            }

            WriteFloat(d, type.Type, bytes);
            return new FillValue(ReadAsDouble(bytes, type.Type), bytes);
        }

        if (type.Type is ZarrDataType.UInt64 && value.TryGetValue(out ulong u))
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes, u);
            return new FillValue(u, bytes);
        }

        if (value.TryGetValue(out long l))
        {
            WriteInteger(l, type.Type, bytes);
            return new FillValue(ReadAsDouble(bytes, type.Type), bytes);
        }

        if (value.TryGetValue(out double whole) && whole == Math.Floor(whole))
        {
            // zarr-python 2 sometimes writes integral fill values as 0.0.
            WriteInteger((long)whole, type.Type, bytes);
            return new FillValue(ReadAsDouble(bytes, type.Type), bytes);
        }

        throw new ZarrFormatException(path, $"fill_value {node.ToJsonString()} does not fit data type {type.Type}");
    }

    private static FillValue ParseString(string s, DataTypeInfo type, string path, byte[] bytes)
    {
        if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && ulong.TryParse(s.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out ulong bits))
        {
            for (int i = 0; i < bytes.Length; i++)
            {
                bytes[i] = (byte)(bits >> (8 * i));
            }

            return new FillValue(ReadAsDouble(bytes, type.Type), bytes);
        }

        double d = s switch
        {
            "NaN" or "nan" => double.NaN,
            "Infinity" or "inf" => double.PositiveInfinity,
            "-Infinity" or "-inf" => double.NegativeInfinity,
            "NaT" => long.MinValue,
            _ => throw new ZarrFormatException(path, $"fill_value \"{s}\" is not understood for data type {type.Type}"),
        };
        if (!type.IsFloat)
        {
            if (s != "NaT")
            {
                throw new ZarrFormatException(path, $"fill_value \"{s}\" needs a floating-point data type, not {type.Type}");
            }

            WriteInteger(long.MinValue, type.Type, bytes);
            return new FillValue(d, bytes);
        }

        WriteFloat(d, type.Type, bytes);
        return new FillValue(d, bytes);
    }

    private static void WriteFloat(double d, ZarrDataType type, byte[] bytes)
    {
        switch (type)
        {
            case ZarrDataType.Float16: BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)d); break;
            case ZarrDataType.Float32: BinaryPrimitives.WriteSingleLittleEndian(bytes, (float)d); break;
            default: BinaryPrimitives.WriteDoubleLittleEndian(bytes, d); break;
        }
    }

    private static void WriteInteger(long l, ZarrDataType type, byte[] bytes)
    {
        for (int i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(l >> (8 * i));
        }

        if (type is ZarrDataType.Bool)
        {
            bytes[0] = l != 0 ? (byte)1 : (byte)0;
        }
    }

    public static double ReadAsDouble(ReadOnlySpan<byte> b, ZarrDataType type) => type switch
    {
        ZarrDataType.Bool or ZarrDataType.UInt8 => b[0],
        ZarrDataType.Int8 => (sbyte)b[0],
        ZarrDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        ZarrDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        ZarrDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        ZarrDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        ZarrDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        ZarrDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
        ZarrDataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
        ZarrDataType.Float32 => BinaryPrimitives.ReadSingleLittleEndian(b),
        _ => BinaryPrimitives.ReadDoubleLittleEndian(b),
    };
}
