using System.Text.Json.Nodes;
using TileServer.Zarr.Metadata;
using TileServer.Zarr.Reading;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>Table tests of the pure pieces: fill values, type strings, chunk keys, range coalescing, window splitting.</summary>
public sealed class MetadataTests
{
    [Theory]
    [InlineData("\"NaN\"", "<f4", double.NaN)]
    [InlineData("\"Infinity\"", "<f8", double.PositiveInfinity)]
    [InlineData("\"-Infinity\"", ">f4", double.NegativeInfinity)]
    [InlineData("\"0x7fc00000\"", "<f4", double.NaN)]
    [InlineData("\"0x3ff0000000000000\"", "<f8", 1.0)]
    [InlineData("\"0x3c00\"", "<f2", 1.0)]
    [InlineData("-9999", "<i2", -9999)]
    [InlineData("255", "|u1", 255)]
    [InlineData("true", "|b1", 1)]
    [InlineData("-1.5", "<f4", -1.5)]
    [InlineData("0.0", "<i4", 0)]
    public void Fill_values_parse_to_numbers(string json, string dtype, double expected)
    {
        var type = DataTypeInfo.TryParseNumpy(dtype)!;
        var fill = FillValue.Parse(JsonNode.Parse(json), type.Native, "x");
        Assert.Equal(expected, fill.Value!.Value);
        Assert.Equal(type.ItemSize, fill.Bytes.Length);
        Assert.Equal(expected, FillValue.ReadAsDouble(fill.Bytes, type.Type));
    }

    [Fact]
    public void Null_fill_is_reported_as_null_and_stored_as_zero()
    {
        var fill = FillValue.Parse(null, DataTypeInfo.Of(ZarrDataType.Float64), "x");
        Assert.Null(fill.Value);
        Assert.All(fill.Bytes, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Uint64_max_fill_value_is_exact()
    {
        var fill = FillValue.Parse(JsonNode.Parse("18446744073709551615"), DataTypeInfo.Of(ZarrDataType.UInt64), "x");
        Assert.All(fill.Bytes, b => Assert.Equal(0xFF, b));
    }

    [Theory]
    [InlineData("\"NaN\"", "<i4")]
    [InlineData("\"banana\"", "<f4")]
    [InlineData("[1,2]", "<f4")]
    public void Bad_fill_values_are_format_errors(string json, string dtype)
        => Assert.Throws<ZarrFormatException>(() => FillValue.Parse(JsonNode.Parse(json), DataTypeInfo.TryParseNumpy(dtype)!, "x"));

    [Theory]
    [InlineData(">i2", ZarrDataType.Int16, 2, true)]
    [InlineData("<u8", ZarrDataType.UInt64, 8, false)]
    [InlineData("|b1", ZarrDataType.Bool, 1, false)]
    [InlineData(">u1", ZarrDataType.UInt8, 1, false)]
    [InlineData("<M8[ns]", ZarrDataType.Int64, 8, false)]
    public void Numpy_type_strings_parse(string typestr, ZarrDataType type, int size, bool big)
        => Assert.Equal(new DataTypeInfo(type, size, big), DataTypeInfo.TryParseNumpy(typestr));

    [Theory]
    [InlineData("<U4")]
    [InlineData("|O")]
    [InlineData("<c8")]
    [InlineData("|S10")]
    public void Non_numeric_type_strings_are_rejected(string typestr) => Assert.Null(DataTypeInfo.TryParseNumpy(typestr));

    [Theory]
    [InlineData(true, '/', new long[] { 1, 23, 45 }, "c/1/23/45")]
    [InlineData(true, '.', new long[] { 1, 2 }, "c.1.2")]
    [InlineData(false, '.', new long[] { 1, 23, 45 }, "1.23.45")]
    [InlineData(false, '/', new long[] { 0, 1, 2 }, "0/1/2")]
    [InlineData(true, '/', new long[0], "c")]
    [InlineData(false, '.', new long[0], "0")]
    public void Chunk_keys_follow_the_encodings(bool defaultEncoding, char separator, long[] coords, string key)
        => Assert.Equal(key, new ChunkKeyEncoding(defaultEncoding, separator).Key(coords));

    [Fact]
    public void Ranges_closer_than_the_gap_are_merged()
    {
        var groups = RangePlanner.Coalesce([(250, 300, 2), (0, 100, 0), (100, 150, 1), (10_000, 10_100, 3)], 64);
        Assert.Equal(3, groups.Count);
        Assert.Equal((0L, 150L), (groups[0].Start, groups[0].End));
        Assert.Equal([0, 1], groups[0].Members);
        Assert.Equal((250L, 300L), (groups[1].Start, groups[1].End));
        Assert.Equal([3], groups[2].Members);
        Assert.Equal(2, RangePlanner.Coalesce([(215, 300, 2), (0, 150, 0)], 64).Count);
        Assert.Single(RangePlanner.Coalesce([(214, 300, 2), (0, 150, 0)], 64));
        Assert.Single(RangePlanner.Coalesce([(0, 100, 0), (200, 300, 1), (10_000, 10_100, 2)], 1 << 20));
    }

    [Fact]
    public void Strided_slices_split_only_into_chunks_holding_selected_indices()
    {
        // indices 3, 13, 23, ..., 93 over chunks of 7: chunk of each index
        var segments = WindowPlan.Split(new DimSlice(3, 10, 10), 7);
        Assert.Equal(new long[] { 0, 1, 3, 4, 6, 7, 9, 10, 11, 13 }, segments.Select(s => s.Chunk));
        Assert.All(segments, s => Assert.Equal(1, s.Count));
        var dense = WindowPlan.Split(new DimSlice(5, 10), 4);
        Assert.Equal([new DimSegment(1, 0, 3, 1), new DimSegment(2, 3, 4, 0), new DimSegment(3, 7, 3, 0)], dense);
    }
}
