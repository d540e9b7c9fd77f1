namespace TileServer.Zarr;

/// <summary>The numeric data types of Zarr v2 and v3 (decoded chunks are always little-endian in memory).</summary>
public enum ZarrDataType
{
    Bool,
    Int8,
    UInt8,
    Int16,
    UInt16,
    Int32,
    UInt32,
    Int64,
    UInt64,
    Float16,
    Float32,
    Float64,
}
