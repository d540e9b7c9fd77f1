using System.Text.Json.Nodes;
using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>
/// Zarr v3 stores written by zarrita.js (zarrita/), zarr-python 3 and zarrs (fetched/) and the sharding edge cases
/// (sharded/, verified by zarrita.js read-back), each compared cell by cell with its expected .npy.
/// </summary>
public sealed class V3FixtureTests
{
    private static readonly string Root = Path.Combine(TestPaths.ZarrData, "zarr-v3");

    private static JsonArray Load(string relative) => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, relative)))!.AsArray();

    public static TheoryData<string> ZarritaCases() => Names(Load("zarrita/cases.json"), "name");

    public static TheoryData<string> ShardedCases() => Names(Load("sharded/cases.json"), "name");

    public static TheoryData<string> FetchedCases()
    {
        var data = new TheoryData<string>();
        foreach (var c in Load("fetched/expected/index.json"))
        {
            if (c!["expected"] is not null)
            {
                data.Add(c["array"]!.GetValue<string>());
            }
        }

        return data;
    }

    private static TheoryData<string> Names(JsonArray cases, string key)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            if (c!["expected"] is not null)
            {
                data.Add(c[key]!.GetValue<string>());
            }
        }

        return data;
    }

    private static async Task<ZarrArray> OpenRootArrayAsync(string storePath)
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(storePath), new ZarrReaderOptions());
        Assert.Equal(3, h.ZarrFormat);
        return (await h.GetArrayAsync(""))!;
    }

    [Theory]
    [MemberData(nameof(ZarritaCases))]
    public async Task Zarrita_array_reads_like_its_formula(string name)
    {
        var c = Load("zarrita/cases.json").First(x => x!["name"]!.GetValue<string>() == name)!;
        var array = await OpenRootArrayAsync(Path.Combine(Root, "zarrita", c["path"]!.GetValue<string>()));
        await ExpectedValues.AssertArrayEqualsAsync(array, Npy.Load(Path.Combine(Root, "zarrita", c["expected"]!.GetValue<string>())), name);
        if (c["dimension_names"] is JsonArray dims)
        {
            Assert.Equal(dims.Select(d => d!.GetValue<string>()), array.Metadata.DimensionNames!);
        }
    }

    [Theory]
    [MemberData(nameof(ShardedCases))]
    public async Task Sharded_array_reads_like_zarrita(string name)
    {
        var c = Load("sharded/cases.json").First(x => x!["name"]!.GetValue<string>() == name)!;
        var array = await OpenRootArrayAsync(Path.Combine(Root, "sharded", c["path"]!.GetValue<string>()));
        Assert.Equal(c["shard_shape"]!.AsArray().Select(v => v!.GetValue<int>()), array.Metadata.ChunkShape);
        Assert.StartsWith("sharding(", array.Metadata.CodecSummary, StringComparison.Ordinal);
        await ExpectedValues.AssertArrayEqualsAsync(array, Npy.Load(Path.Combine(Root, "sharded", c["expected"]!.GetValue<string>())), name);
    }

    [Theory]
    [MemberData(nameof(FetchedCases))]
    public async Task Fetched_array_reads_like_zarrita(string arrayPath)
    {
        var c = Load("fetched/expected/index.json").First(x => x!["array"]!.GetValue<string>() == arrayPath)!;
        int cut = arrayPath.IndexOf(".zarr", StringComparison.Ordinal) + ".zarr".Length;
        while (!File.Exists(Path.Combine(Root, "fetched", arrayPath[..cut], "zarr.json")))
        {
            // zarrs wrote this store without a root group document: open it at the first node that has one.
            cut = arrayPath.IndexOf('/', cut + 1) is int next and > 0 ? next : arrayPath.Length;
        }

        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Root, "fetched", arrayPath[..cut])), new ZarrReaderOptions());
        var array = await h.GetArrayAsync(arrayPath[cut..]);
        Assert.NotNull(array);
        await ExpectedValues.AssertArrayEqualsAsync(array!, Npy.Load(Path.Combine(Root, "fetched", c["expected"]!.GetValue<string>())), arrayPath);
    }

    /// <summary>
    /// Arrays zarrita.js cannot read (so index.json has no .npy): zarr-python 3 wrote <c>arange(100).reshape(10,10)</c>
    /// as float32 (zarrs' v3_generate.py) through numcodecs bz2, adler32 and fletcher32.
    /// </summary>
    [Theory]
    [InlineData("array_bz2.zarr")]
    [InlineData("array_adler32.zarr")]
    [InlineData("array_fletcher32.zarr")]
    public async Task Zarr_python_numcodecs_arrays_read_the_generator_formula(string store)
    {
        var array = await OpenRootArrayAsync(Path.Combine(Root, "fetched/zarrs/zarrs/tests/data/v3_zarr_python", store));
        var values = new float[100];
        await array.ReadAsync<float>(ExpectedValues.Whole(array.Metadata.Shape), values);
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (float)i), values);
        Assert.Equal("value", array.Metadata.Attributes["key"]!.GetValue<string>());
    }

    /// <summary>float16 (zarrita.js cannot read it): zarr-python 3 wrote [-1000.5, 0, 1000.5, 0] (generate-v3.py).</summary>
    [Fact]
    public async Task Float16_array_reads_the_generator_values()
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Root, "fetched/zarrita.js/fixtures/v3/data.zarr")), new ZarrReaderOptions());
        var array = await h.GetArrayAsync("1d.contiguous.f2.le");
        Assert.Equal(ZarrDataType.Float16, array!.Metadata.DataType);
        var values = new float[4];
        await array.ReadAsync<float>([DimSlice.All(4)], values);
        Assert.Equal([-1000.5f, 0f, 1000.5f, 0f], values);
    }

    [Theory]
    [InlineData("fetched/zarrita.js/fixtures/v3/data.zarr", "1d.chunked.string.vlen")]
    [InlineData("fetched/zarrs/zarrs/tests/data/v3_zarr_python/array_pcodec.zarr", "")]
    [InlineData("fetched/zarrs/zarrs/tests/data/v3_zarr_python/array_zfpy.zarr", "")]
    public async Task Unsupported_arrays_fail_with_a_format_error_naming_the_node(string store, string path)
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Root, store)), new ZarrReaderOptions());
        var ex = await Assert.ThrowsAsync<ZarrFormatException>(async () => await h.GetArrayAsync(path));
        Assert.Equal(path, ex.NodePath);
    }

    [Fact]
    public async Task Hierarchy_reads_group_attributes_nested_group_and_arrays()
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Root, "zarrita/hierarchy.zarr")), new ZarrReaderOptions());
        Assert.False(h.IsConsolidated);
        var root = await h.GetGroupAsync("");
        Assert.Equal(42, root!.Attributes["answer"]!.GetValue<int>());
        Assert.NotNull(await h.GetGroupAsync("sub"));
        var a = await h.GetArrayAsync("a");
        Assert.Equal(-1, a!.Metadata.FillValue);
        var ints = new int[24];
        await a.ReadAsync<int>(ExpectedValues.Whole(a.Metadata.Shape), ints);
        Assert.Equal(Enumerable.Range(0, 24).Select(i => (i * 10) - 50), ints);
        var b = await h.GetArrayAsync("sub/b");
        var doubles = new double[3];
        await b!.ReadAsync<double>([DimSlice.All(3)], doubles);
        Assert.Equal([0.5, -1.25, 1e10], doubles);
    }

    [Fact]
    public async Task Consolidated_v3_metadata_lists_children_without_reading_them()
    {
        var store = new CountingStore(new FileStore(Path.Combine(Root, "fetched/zarrita.js/fixtures/v3/data.zarr/consolidated")));
        var h = await ZarrHierarchy.OpenAsync(store, new ZarrReaderOptions());
        Assert.True(h.IsConsolidated);
        var children = h.ListChildren("");
        Assert.NotEmpty(children);
        long before = store.Requests;
        foreach (var (name, isArray) in children.Where(c => c.IsArray))
        {
            Assert.NotNull(await h.GetArrayAsync(name));
        }

        Assert.Equal(before, store.Requests);
    }
}
