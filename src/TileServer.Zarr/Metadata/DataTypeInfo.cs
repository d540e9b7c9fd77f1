namespace TileServer.Zarr.Metadata;

/// <summary>A numeric element type as stored: the logical type, its size and its byte order on disk.</summary>
internal sealed record DataTypeInfo(ZarrDataType Type, int ItemSize, bool BigEndian)
{
    public bool IsFloat => Type is ZarrDataType.Float16 or ZarrDataType.Float32 or ZarrDataType.Float64;

    public bool IsSigned => Type is ZarrDataType.Int8 or ZarrDataType.Int16 or ZarrDataType.Int32 or ZarrDataType.Int64;

    /// <summary>The same type in memory order (little-endian).</summary>
    public DataTypeInfo Native => BigEndian ? this with { BigEndian = false } : this;

    public static int SizeOf(ZarrDataType type) => type switch
    {
        ZarrDataType.Bool or ZarrDataType.Int8 or ZarrDataType.UInt8 => 1,
        ZarrDataType.Int16 or ZarrDataType.UInt16 or ZarrDataType.Float16 => 2,
        ZarrDataType.Int32 or ZarrDataType.UInt32 or ZarrDataType.Float32 => 4,
        _ => 8,
    };

    public static DataTypeInfo Of(ZarrDataType type, bool bigEndian = false)
    {
        int size = SizeOf(type);
        return new DataTypeInfo(type, size, bigEndian && size > 1);
    }

    /// <summary>Parses a NumPy type string such as <c>&lt;f4</c>, <c>&gt;i2</c>, <c>|u1</c>, <c>|b1</c>; null when not numeric.</summary>
    public static DataTypeInfo? TryParseNumpy(string typestr)
    {
        if (typestr.Length < 3)
        {
            return null;
        }

        bool big = typestr[0] == '>';
        if (typestr[0] is not ('<' or '>' or '|' or '='))
        {
            return null;
        }

        string body = typestr[1..];
        ZarrDataType? type = body switch
        {
            "b1" => ZarrDataType.Bool,
            "i1" => ZarrDataType.Int8,
            "u1" => ZarrDataType.UInt8,
            "i2" => ZarrDataType.Int16,
            "u2" => ZarrDataType.UInt16,
            "i4" => ZarrDataType.Int32,
            "u4" => ZarrDataType.UInt32,
            "i8" => ZarrDataType.Int64,
            "u8" => ZarrDataType.UInt64,
            "f2" => ZarrDataType.Float16,
            "f4" => ZarrDataType.Float32,
            "f8" => ZarrDataType.Float64,
            _ when body.StartsWith("M8", StringComparison.Ordinal) || body.StartsWith("m8", StringComparison.Ordinal) => ZarrDataType.Int64,
            _ => null,
        };
        return type is { } t ? Of(t, big) : null;
    }

    /// <summary>Parses a Zarr v3 core data type name (endianness belongs to the bytes codec there).</summary>
    public static DataTypeInfo? TryParseV3(string name) => name switch
    {
        "bool" => Of(ZarrDataType.Bool),
        "int8" => Of(ZarrDataType.Int8),
        "uint8" => Of(ZarrDataType.UInt8),
        "int16" => Of(ZarrDataType.Int16),
        "uint16" => Of(ZarrDataType.UInt16),
        "int32" => Of(ZarrDataType.Int32),
        "uint32" => Of(ZarrDataType.UInt32),
        "int64" => Of(ZarrDataType.Int64),
        "uint64" => Of(ZarrDataType.UInt64),
        "float16" => Of(ZarrDataType.Float16),
        "float32" => Of(ZarrDataType.Float32),
        "float64" => Of(ZarrDataType.Float64),
        "numpy.datetime64" or "numpy.timedelta64" => Of(ZarrDataType.Int64),
        _ => null,
    };
}
