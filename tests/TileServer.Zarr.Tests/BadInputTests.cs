using System.Buffers.Binary;
using System.Text.Json.Nodes;
using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>Damaged chunks and hostile metadata give typed errors naming the array and chunk, with bounded memory.</summary>
public sealed class BadInputTests
{
    private static string V2(string name) => Path.Combine(TestPaths.ZarrData, "zarr-v2", "arrays", name);

    private static string V3(string folder, string name) => Path.Combine(TestPaths.ZarrData, "zarr-v3", folder, name);

    private static async Task<ZarrArray> OpenAsync(string root, ZarrReaderOptions? options = null)
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(root), options ?? new ZarrReaderOptions());
        return (await h.GetArrayAsync(""))!;
    }

    private static Task ReadAllAsync(ZarrArray array)
        => array.ReadAsync<double>(ExpectedValues.Whole(array.Metadata.Shape), new double[array.Metadata.Shape.Aggregate(1L, (a, b) => a * b)]).AsTask();

    [Theory]
    [InlineData("comp_zstd_f4_smooth")]
    [InlineData("comp_zlib_f4_smooth")]
    [InlineData("comp_gzip_f4_smooth")]
    [InlineData("comp_lz4_f4_smooth")]
    [InlineData("comp_bz2_f4_smooth")]
    [InlineData("comp_blosc_lz4_shuffle_f4_smooth")]
    [InlineData("comp_blosc_zstd_bitshuffle_f4_smooth")]
    [InlineData("dtype_le_f4_raw")]
    public async Task Truncated_chunk_raises_ChunkDecodeException_naming_array_and_key(string fixture)
    {
        using var temp = new TempStore(V2(fixture));
        var chunk = temp.PathOf("1.2");
        var bytes = File.ReadAllBytes(chunk);
        File.WriteAllBytes(chunk, bytes[..(bytes.Length * 2 / 3)]);
        var array = await OpenAsync(temp.Root);
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => ReadAllAsync(array));
        Assert.Equal("1.2", ex.ChunkKey);
        Assert.Equal("", ex.ArrayPath);
        Assert.Contains("'1.2'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blosc_header_lying_about_a_4GB_size_is_rejected_without_allocating_it()
    {
        using var temp = new TempStore(V2("comp_blosc_lz4_shuffle_f4_smooth"));
        var chunk = temp.PathOf("0.0");
        var bytes = File.ReadAllBytes(chunk);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), uint.MaxValue);
        File.WriteAllBytes(chunk, bytes);
        var array = await OpenAsync(temp.Root);
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => array.ReadAsync<float>([DimSlice.Single(0), DimSlice.Single(0)], new float[1]).AsTask());
        Assert.Equal("0.0", ex.ChunkKey);
        Assert.Contains("4294967295", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crc32c_mismatch_in_a_chunk_is_reported()
    {
        using var temp = new TempStore(V3("zarrita", "crc32c_f8.zarr"));
        var chunk = Directory.GetFiles(Path.Combine(temp.Root, "c"), "*", SearchOption.AllDirectories).Order().First();
        var bytes = File.ReadAllBytes(chunk);
        bytes[10] ^= 0x40;
        File.WriteAllBytes(chunk, bytes);
        var array = await OpenAsync(temp.Root);
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => ReadAllAsync(array));
        Assert.Contains("crc32c", ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("c/", ex.ChunkKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Crc32c_mismatch_in_a_shard_index_is_reported()
    {
        using var temp = new TempStore(V3("sharded", "index_end_crc32c_f4.zarr"));
        var shard = temp.PathOf("c/0/0");
        var bytes = File.ReadAllBytes(shard);
        bytes[^10] ^= 0x01;
        File.WriteAllBytes(shard, bytes);
        var array = await OpenAsync(temp.Root);
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => array.ReadAsync<float>([DimSlice.Single(0), DimSlice.Single(0)], new float[1]).AsTask());
        Assert.Equal("c/0/0", ex.ChunkKey);
        Assert.Contains("shard index", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shard_index_pointing_outside_the_shard_is_reported()
    {
        using var temp = new TempStore(V3("sharded", "index_end_nocrc_i4.zarr"));
        var shard = temp.PathOf("c/0/0");
        var bytes = File.ReadAllBytes(shard);
        int indexStart = bytes.Length - (16 * 6);
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(indexStart), (ulong)bytes.Length * 4);
        File.WriteAllBytes(shard, bytes);
        var array = await OpenAsync(temp.Root);
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => array.ReadAsync<int>([DimSlice.Single(0), DimSlice.Single(0)], new int[1]).AsTask());
        Assert.StartsWith("c/0/0", ex.ChunkKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunk_larger_than_MaxChunkBytes_is_refused()
    {
        var array = await OpenAsync(V2("comp_zstd_f4_smooth"), new ZarrReaderOptions { MaxChunkBytes = 100 });
        var ex = await Assert.ThrowsAsync<ChunkDecodeException>(() => ReadAllAsync(array));
        Assert.Contains("limit", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_codec_and_string_dtype_are_format_errors()
    {
        using var temp = new TempStore(V2("comp_zstd_f4_smooth"));
        var zarray = JsonNode.Parse(File.ReadAllText(temp.PathOf(".zarray")))!.AsObject();
        zarray["compressor"] = new JsonObject { ["id"] = "lzma" };
        File.WriteAllText(temp.PathOf(".zarray"), zarray.ToJsonString());
        var h = await ZarrHierarchy.OpenAsync(new FileStore(temp.Root), new ZarrReaderOptions());
        Assert.Contains("lzma", (await Assert.ThrowsAsync<ZarrFormatException>(async () => await h.GetArrayAsync(""))).Message, StringComparison.Ordinal);

        zarray["compressor"] = null;
        zarray["dtype"] = "<U4";
        File.WriteAllText(temp.PathOf(".zarray"), zarray.ToJsonString());
        h = await ZarrHierarchy.OpenAsync(new FileStore(temp.Root), new ZarrReaderOptions());
        Assert.Contains("<U4", (await Assert.ThrowsAsync<ZarrFormatException>(async () => await h.GetArrayAsync(""))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Window_outside_the_array_is_an_argument_error()
    {
        var array = await OpenAsync(V2("comp_zstd_f4_smooth"));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => array.ReadAsync<float>([DimSlice.Single(20), DimSlice.Single(0)], new float[1]).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => array.ReadAsync<float>([DimSlice.All(20), DimSlice.All(30)], new float[10]).AsTask());
    }

    [Fact]
    public async Task Missing_store_root_is_a_format_error()
    {
        using var temp = new TempStore(V2("comp_zstd_f4_smooth"));
        File.Delete(temp.PathOf(".zarray"));
        await Assert.ThrowsAsync<ZarrFormatException>(() => ZarrHierarchy.OpenAsync(new FileStore(temp.Root), new ZarrReaderOptions()));
    }
}
