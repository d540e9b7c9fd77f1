using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>
/// Array metadata that is valid JSON but cannot describe an array this reader can use: opening the array raises a
/// <see cref="ZarrFormatException"/> naming the node and what is wrong, never an exception of the JSON library, of
/// arithmetic or of a codec's constructor.
/// </summary>
public sealed class HostileMetadataTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zarr-hostile-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private const string V2Base = "\"shape\": [4, 6], \"chunks\": [2, 3], \"dtype\": \"<f4\", \"fill_value\": 0, \"order\": \"C\", \"compressor\": null, \"filters\": null, \"zarr_format\": 2";

    private const string V3Base = "\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [4, 6], \"data_type\": \"float32\", \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [2, 3]}}, \"fill_value\": 0";

    private const string Bytes = """{"name": "bytes", "configuration": {"endian": "little"}}""";

    private async Task<Exception?> OpenAsync(string file, string json)
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        await File.WriteAllTextAsync(Path.Combine(_root, file == "zarr.json" ? "zarr.json" : ".zgroup"), file == "zarr.json" ? """{"zarr_format": 3, "node_type": "group"}""" : """{"zarr_format": 2}""");
        await File.WriteAllTextAsync(Path.Combine(_root, "a", file), json);
        return await Record.ExceptionAsync(async () =>
        {
            var h = await ZarrHierarchy.OpenAsync(new FileStore(_root), new ZarrReaderOptions());
            await h.GetArrayAsync("a");
        });
    }

    [Theory]
    [InlineData("{" + V2Base + ", \"dtype\": \"<i4\"}", "Duplicate property 'dtype'")]
    [InlineData("""{"shape": 5, "chunks": [1], "dtype": "<f4", "zarr_format": 2}""", "'shape' must be an array of integers")]
    [InlineData("""{"shape": [4.5], "chunks": [1], "dtype": "<f4", "zarr_format": 2}""", "'shape[0]' must be a non-negative integer")]
    [InlineData("""{"shape": [4], "chunks": [0], "dtype": "<f4", "zarr_format": 2}""", "'chunks[0]' must be a positive 32-bit integer")]
    [InlineData("""{"shape": [4], "chunks": [1, 1], "dtype": "<f4", "zarr_format": 2}""", "'chunks' has 2 dimensions, 'shape' 1")]
    [InlineData("""{"shape": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], "chunks": [1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1], "dtype": "<f4", "zarr_format": 2}""", "at most 32 are supported")]
    [InlineData("""{"shape": [4], "chunks": [4], "dtype": 5, "zarr_format": 2}""", "dtype '5' is not a supported numeric type")]
    [InlineData("""{"shape": [4], "chunks": [4], "dtype": "<f4", "fill_value": {"a": 1}, "zarr_format": 2}""", "is not a scalar")]
    [InlineData("""{"shape": [4], "chunks": [4], "dtype": "<f4", "compressor": {"id": 7}, "zarr_format": 2}""", "has no 'id'")]
    [InlineData("""{"shape": [4], "chunks": [4], "dtype": "<f4", "filters": [{"id": "shuffle", "elementsize": 1000000000}], "zarr_format": 2}""", "shuffle elementsize 1000000000")]
    [InlineData("""{"shape": [4], "chunks": [4], "dtype": "<f4", "filters": [{"id": "delta", "dtype": "<U4"}], "zarr_format": 2}""", "codec type '<U4'")]
    public async Task Hostile_v2_array_metadata_is_a_format_error(string zarray, string expected)
    {
        var ex = await OpenAsync(".zarray", zarray);
        var format = Assert.IsType<ZarrFormatException>(ex);
        Assert.Equal("a", format.NodePath);
        Assert.Contains(expected, ex!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Array_dimensions_that_are_no_list_of_names_are_a_format_error()
    {
        Directory.CreateDirectory(Path.Combine(_root, "a"));
        await File.WriteAllTextAsync(Path.Combine(_root, "a", ".zattrs"), """{"_ARRAY_DIMENSIONS": "y x"}""");
        var ex = await OpenAsync(".zarray", "{" + V2Base + "}");
        Assert.Contains("_ARRAY_DIMENSIONS (in .zattrs) must be an array of names", Assert.IsType<ZarrFormatException>(ex).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{" + V3Base + ", \"codecs\": 5}", "'codecs' must be a non-empty array")]
    [InlineData("{" + V3Base + ", \"codecs\": [{\"name\": \"transpose\", \"configuration\": {\"order\": [1, 0, 2]}}, " + Bytes + "]}", "transpose order has 3 axes, the chunks 2")]
    [InlineData("{" + V3Base + ", \"codecs\": [{\"name\": \"transpose\", \"configuration\": {\"order\": [0, 0]}}, " + Bytes + "]}", "permutation")]
    [InlineData("{" + V3Base + ", \"codecs\": [{\"configuration\": {}}]}", "has no name")]
    [InlineData("{" + V3Base + ", \"codecs\": [" + Bytes + "], \"dimension_names\": \"y\"}", "dimension_names must be an array of names")]
    [InlineData("{" + V3Base + ", \"codecs\": [" + Bytes + "], \"dimension_names\": [\"y\", \"x\", \"t\"]}", "dimension_names has 3 names for 2 dimensions")]
    [InlineData("{" + V3Base + ", \"codecs\": [" + Bytes + "], \"chunk_key_encoding\": {\"name\": \"default\", \"configuration\": {\"separator\": \"-\"}}}", "chunk key separator '-'")]
    [InlineData("{" + V3Base + ", \"codecs\": [" + Bytes + "], \"storage_transformers\": [{\"name\": \"x\"}]}", "storage transformer 'x' is not supported")]
    [InlineData("{" + V3Base + ", \"codecs\": [{\"name\": \"sharding_indexed\", \"configuration\": {\"chunk_shape\": [1, 2], \"codecs\": [" + Bytes + "]}}]}", "does not divide the shard shape")]
    [InlineData("{" + V3Base + ", \"codecs\": [{\"name\": \"sharding_indexed\", \"configuration\": {\"chunk_shape\": [1, 1], \"codecs\": [" + Bytes + "], \"index_codecs\": [" + Bytes + ", {\"name\": \"zstd\"}]}}]}", "must have a fixed size")]
    [InlineData("{" + V3Base + ", \"codecs\": [{\"name\": \"sharding_indexed\", \"configuration\": {\"chunk_shape\": [1, 1], \"codecs\": [" + Bytes + "], \"index_location\": \"middle\"}}]}", "index_location 'middle'")]
    [InlineData("{\"zarr_format\": \"3\", \"node_type\": \"array\"}", "does not say zarr_format 3")]
    [InlineData("{\"zarr_format\": 3, \"node_type\": \"array\", \"shape\": [4], \"data_type\": \"int32\", \"chunk_grid\": {\"name\": \"regular\", \"configuration\": {\"chunk_shape\": [2]}}, \"fill_value\": \"0x\", \"codecs\": [" + Bytes + "]}", "fill_value \"0x\"")]
    public async Task Hostile_v3_array_metadata_is_a_format_error(string doc, string expected)
    {
        var ex = await OpenAsync("zarr.json", doc);
        var format = Assert.IsType<ZarrFormatException>(ex);
        Assert.Equal("a", format.NodePath);
        Assert.Contains(expected, ex!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metadata": []}""", ".zmetadata has no 'metadata' object")]
    [InlineData("""{"metadata": {"a/.zarray": {"shape": [1]}, "a/.zarray": {"shape": [2]}}}""", "Duplicate property 'a/.zarray'")]
    public async Task Hostile_consolidated_metadata_is_a_format_error(string zmetadata, string expected)
    {
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(Path.Combine(_root, ".zmetadata"), zmetadata);
        var ex = await Record.ExceptionAsync(() => ZarrHierarchy.OpenAsync(new FileStore(_root), new ZarrReaderOptions()));
        Assert.Contains(expected, Assert.IsType<ZarrFormatException>(ex).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Json_nested_deeper_than_metadata_ever_is_a_format_error()
    {
        Directory.CreateDirectory(_root);
        await File.WriteAllTextAsync(Path.Combine(_root, "zarr.json"), new string('[', 10_000) + new string(']', 10_000));
        var ex = await Record.ExceptionAsync(() => ZarrHierarchy.OpenAsync(new FileStore(_root), new ZarrReaderOptions()));
        Assert.Contains("'zarr.json' is not valid JSON", Assert.IsType<ZarrFormatException>(ex).Message, StringComparison.Ordinal);
    }

    /// <summary>Found by fuzzing (docs/fuzzing.md): the JSON library decodes text only when it is read.</summary>
    [Theory]
    [InlineData(new byte[] { 0xFF, 0xFE })]
    [InlineData(new byte[] { 0xC3 })]
    [InlineData(new byte[] { (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0' })]
    public async Task Text_that_is_not_valid_utf8_is_a_format_error_at_open(byte[] badText)
    {
        Directory.CreateDirectory(_root);
        byte[] doc = [.. "{\"zarr_format\": 3, \"node_type\": \"group\", \"attributes\": {\"title\": \""u8, .. badText, .. "\"}}"u8];
        await File.WriteAllBytesAsync(Path.Combine(_root, "zarr.json"), doc);

        var ex = await Record.ExceptionAsync(() => ZarrHierarchy.OpenAsync(new FileStore(_root), new ZarrReaderOptions()));

        var format = Assert.IsType<ZarrFormatException>(ex);
        Assert.Contains("not valid UTF-8", format.Message, StringComparison.Ordinal);
    }
}
