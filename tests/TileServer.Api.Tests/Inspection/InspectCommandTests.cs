using System.Text;
using System.Text.Json.Nodes;
using TileServer.Api.Commands;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Inspection;

/// <summary>
/// <c>inspect</c> against committed stores — Zarr v2 and v3 (plain and sharded), kerchunk references, the Icechunk
/// fixture — with <c>--values</c> compared to the .npy files and expected values their writers left beside them
/// (numpy, zarr-python, zarrita.js), metadata compared to the zarr.json zarr-python wrote, and a damaged copy whose
/// every fault must be listed.
/// </summary>
public sealed class InspectCommandTests
{
    private static string Zarr(params string[] parts) => Paths.TestData(["zarr", .. parts]);

    public static readonly TheoryData<string, string, string> ValueCases = new()
    {
        // store, array path (/ = the root array), .npy written with it
        { Zarr("zarr-v2", "arrays", "dtype_le_f8_zlib"), "/", Zarr("zarr-v2", "arrays", "dtype_le_f8_zlib.npy") },
        { Zarr("zarr-v2", "arrays", "dtype_be_i4_raw"), "/", Zarr("zarr-v2", "arrays", "dtype_be_i4_raw.npy") },
        { Zarr("zarr-v2", "arrays", "dtype_le_u8_zlib"), "/", Zarr("zarr-v2", "arrays", "dtype_le_u8_zlib.npy") },
        { Zarr("zarr-v2", "arrays", "dtype_b1_raw"), "/", Zarr("zarr-v2", "arrays", "dtype_b1_raw.npy") },
        { Zarr("zarr-v2", "consolidated.zarr"), "a_f4", Zarr("zarr-v2", "consolidated.zarr", "a_f4.npy") },
        { Zarr("zarr-v3", "zarrita", "blosc_blosclz_noshuffle_i2_random.zarr"), "/", Zarr("zarr-v3", "zarrita", "blosc_blosclz_noshuffle_i2_random.npy") },
        { Zarr("zarr-v3", "sharded", "index_start_sparse_nan_f8.zarr"), "/", Zarr("zarr-v3", "sharded", "index_start_sparse_nan_f8.npy") },
        { Zarr("zarr-v3", "sharded", "3d_last2_f4.zarr"), "/", Zarr("zarr-v3", "sharded", "3d_last2_f4.npy") },
        { Paths.TestData("kerchunk", "refs_v1.json"), "temperature", Paths.TestData("kerchunk", "expected_temperature.npy") },
    };

    [Theory]
    [MemberData(nameof(ValueCases))]
    public async Task Values_equal_the_npy_written_with_the_store(string store, string array, string npy)
    {
        var (exit, stdout, stderr) = await RunAsync(store, "--values", array);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var (shape, values) = Flatten(JsonNode.Parse(stdout));
        var (expectedShape, expected) = Npy.ReadAsDoubles(npy);
        Assert.Equal(expectedShape, shape);
        Assert.Equal(expected.Length, values.Count);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].Equals(values[i]), $"element {i}: expected {expected[i]}, got {values[i]}");
        }

        if (expected.Any(double.IsNaN))
        {
            Assert.Contains("\"NaN\"", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Json_lists_every_node_as_zarr_python_wrote_it_and_what_the_server_understands()
    {
        var (exit, stdout, stderr) = await RunAsync(IcechunkRepository, "--json");
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var report = JsonNode.Parse(stdout)!.AsObject();
        Assert.Equal("SYWDKE41H177WVM7PYC0", (string?)report["snapshot"]);
        Assert.Empty(report["problems"]!.AsArray());
        var nodes = report["nodes"]!.AsArray().ToDictionary(n => (string)n!["path"]!, n => n!.AsObject());
        Assert.Equal(["", "lat", "lon", "spatial_ref", "tas", "time"], nodes.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("group", (string?)nodes[""]["node_type"]);

        foreach (var name in new[] { "tas", "lat", "lon", "time", "spatial_ref" })
        {
            // The zarr.json of the plain store, as its writer made it.
            var written = JsonNode.Parse(File.ReadAllText(Paths.TestData("icechunk", "global-4326.zarr", name, "zarr.json")))!.AsObject();
            var node = nodes[name];
            Assert.Equal("array", (string?)node["node_type"]);
            Assert.Equal(written["shape"]!.ToJsonString(), node["shape"]!.ToJsonString());
            Assert.Equal((string?)written["data_type"], (string?)node["dtype"]);
            Assert.Equal(written["fill_value"]!.ToJsonString(), node["fill_value"]!.ToJsonString());
            Assert.Equal(written["dimension_names"]?.ToJsonString() ?? "null", node["dimension_names"]?.ToJsonString() ?? "null");
            Assert.True(JsonNode.DeepEquals(written["attributes"], node["attributes"]), $"{name} attributes differ");
            var codecs = written["codecs"]!.AsArray();
            if ((string?)codecs[0]!["name"] == "sharding_indexed")
            {
                Assert.Equal(written["chunk_grid"]!["configuration"]!["chunk_shape"]!.ToJsonString(), node["shard_shape"]!.ToJsonString());
                Assert.Equal(codecs[0]!["configuration"]!["chunk_shape"]!.ToJsonString(), node["chunk_shape"]!.ToJsonString());
                Assert.StartsWith("sharding(", (string?)node["codecs"], StringComparison.Ordinal);
            }
            else
            {
                Assert.Equal(written["chunk_grid"]!["configuration"]!["chunk_shape"]!.ToJsonString(), node["chunk_shape"]!.ToJsonString());
                Assert.Null(node["shard_shape"]);
            }
        }

        var dataset = report["dataset"]!.AsObject();
        Assert.Equal("EPSG:4326", (string?)dataset["crs"]);
        Assert.Contains("grid_mapping variable 'spatial_ref'", (string?)dataset["crs_source"], StringComparison.Ordinal);
        Assert.Equal(("lat", "lon"), ((string?)dataset["y_dimension"], (string?)dataset["x_dimension"]));
        Assert.Equal("regular", (string?)dataset["grid_kind"]);
        // The expected.json's grid: GeoTransform -180 1 0 90 0 -1 over 360 x 180 cells; times 2000-01-01 .. 2000-04-01.
        var level = Assert.Single(dataset["levels"]!.AsArray())!;
        Assert.Equal("[-180,1,0,90,0,-1]", level["geotransform"]!.ToJsonString());
        Assert.Equal((360, 180), ((int)level["width"]!, (int)level["height"]!));
        Assert.Equal(4, (int)dataset["time"]!["count"]!);
        Assert.Equal("2000-04-01T00:00:00Z", (string?)dataset["time"]!["last"]);
    }

    [Theory]
    [InlineData("tag:v1")]
    [InlineData("SYWDKE41H177WVM7PYC0")]
    [InlineData("branch:virtual")]
    public async Task Icechunk_values_are_the_stored_integers_of_the_expected_samples(string reference)
    {
        var container = new[] { "--TileServer:VirtualChunks:Containers:0:Prefix=s3://geozarr-fixtures/", $"--TileServer:VirtualChunks:Containers:0:Location={Paths.TestData("icechunk")}" };
        var (exit, stdout, stderr) = await RunAsync([IcechunkRepository, "--ref", reference, "--values", "tas", .. container]);
        Assert.True(exit == 0, $"exit {exit}: {stderr}");
        var (shape, tas) = Flatten(JsonNode.Parse(stdout));
        Assert.Equal([4, 180, 360], shape);
        var samples = JsonNode.Parse(File.ReadAllText(Paths.TestData("icechunk", "global-4326.expected.json")))!["samples"]!.AsArray();
        foreach (var s in samples)
        {
            int t = (int)s!["time_index"]!, row = (int)s["row"]!, col = (int)s["col"]!;
            Assert.Equal((double)s["stored"]!, tas[(((t * 180) + row) * 360) + col]);
        }

        // Latitude centres 89.5 .. -89.5, as the expected.json's grid says.
        var (_, lat) = Flatten(JsonNode.Parse((await RunAsync(IcechunkRepository, "--ref", reference, "--values", "lat")).Stdout));
        Assert.Equal(Enumerable.Range(0, 180).Select(i => 89.5 - i), lat);
    }

    [Fact]
    public async Task A_virtual_chunk_outside_every_container_is_a_problem_naming_its_url()
    {
        var (exit, stdout, _) = await RunAsync(IcechunkRepository, "--ref", "branch:virtual");
        Assert.Equal(0, exit);
        Assert.Contains("[InvalidData] /tas: the reference to 's3://geozarr-fixtures/global-4326.zarr/tas/c/0/0/0' is outside every configured virtual chunk container", stdout, StringComparison.Ordinal);

        var values = await RunAsync(IcechunkRepository, "--ref", "branch:virtual", "--values", "tas");
        Assert.Equal(1, values.Exit);
        Assert.Equal("", values.Stdout);
        Assert.Contains("s3://geozarr-fixtures/global-4326.zarr/tas/c/", values.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_damaged_store_lists_every_fault_and_still_says_what_it_understands()
    {
        string source = Paths.GeoZarr("global-4326", "global-4326.zarr");
        string copy = Directory.CreateTempSubdirectory("tileserver-inspect-").FullName;
        try
        {
            foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
            {
                var target = Path.Combine(copy, Path.GetRelativePath(source, file));
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                File.Copy(file, target);
            }

            // The first chunk of tas no longer decodes; an array of a subgroup, listed in the consolidated metadata, has a
            // data type the server does not read (a subgroup's array is not a candidate variable, so the dataset still opens).
            string firstChunk = Directory.GetFiles(Path.Combine(copy, "tas")).Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).First();
            File.WriteAllBytes(firstChunk, Encoding.ASCII.GetBytes("not a compressed chunk"));
            var zmetadata = JsonNode.Parse(File.ReadAllText(Path.Combine(copy, ".zmetadata")))!;
            zmetadata["metadata"]!["aux/.zgroup"] = JsonNode.Parse("""{"zarr_format": 2}""");
            zmetadata["metadata"]!["aux/extra/.zarray"] = JsonNode.Parse("""{"zarr_format": 2, "shape": [4], "chunks": [4], "dtype": "<c16", "compressor": null, "fill_value": 0, "filters": null, "order": "C"}""");
            File.WriteAllText(Path.Combine(copy, ".zmetadata"), zmetadata.ToJsonString());

            var (exit, stdout, stderr) = await RunAsync(copy, "--json");
            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            var report = JsonNode.Parse(stdout)!.AsObject();
            var problems = report["problems"]!.AsArray().Select(p => ((string)p!["path"]!, (string)p["kind"]!, (string)p["message"]!)).ToList();
            Assert.Contains(problems, p => p.Item1 == "tas" && p.Item2 == "InvalidData" && p.Item3.Contains(Path.GetFileName(firstChunk), StringComparison.Ordinal));
            Assert.Contains(problems, p => p.Item1 == "aux/extra" && p.Item2 == "InvalidData" && p.Item3.Contains("c16", StringComparison.Ordinal));
            Assert.Equal(2, problems.Count);
            Assert.Equal("EPSG:4326", (string?)report["dataset"]!["crs"]);
        }
        finally
        {
            Directory.Delete(copy, recursive: true);
        }
    }

    public static TheoryData<string> BrokenStores()
    {
        var cases = JsonNode.Parse(File.ReadAllText(Paths.TestData("broken", "cases.json")))!["stores"]!.AsArray();
        var data = new TheoryData<string>();
        foreach (var c in cases)
        {
            data.Add((string)c!["store"]!);
        }

        return data;
    }

    /// <summary>
    /// tests/data/broken (zarr-python-written stores, each with one fault, and cases.json saying what opening each must
    /// report): inspect names every fault with the reason cases.json gives, and understands the stores that open.
    /// </summary>
    [Theory]
    [MemberData(nameof(BrokenStores))]
    public async Task Every_fault_of_the_broken_stores_is_reported_with_its_reason(string store)
    {
        var expected = JsonNode.Parse(File.ReadAllText(Paths.TestData("broken", "cases.json")))!["stores"]!.AsArray()
            .Single(c => (string)c!["store"]! == store)!;
        var (exit, stdout, stderr) = await RunAsync(Paths.TestData("broken", store), "--json");
        var report = JsonNode.Parse(stdout)!.AsObject();
        var problems = report["problems"]!.AsArray().Select(p => (string)p!["message"]!).ToList();
        if ((string)expected["expect"]! == "opens")
        {
            Assert.True(exit == 0, $"exit {exit}: {stderr}");
            Assert.Empty(problems);
            Assert.Equal("EPSG:4326", (string?)report["dataset"]!["crs"]);
            return;
        }

        string reason = (string)expected["reason"]!, names = (string)expected["names"]!;
        Assert.True(exit is 0 or 1, $"exit {exit}: {stderr}");
        Assert.True(problems.Any(p => p.Contains(reason, StringComparison.Ordinal) && p.Contains($"'{names}'", StringComparison.Ordinal)),
            $"no problem says '{reason}' naming '{names}': {string.Join(" | ", problems)}");
        Assert.Null(report["dataset"]);
    }

    [Fact]
    public async Task Values_of_a_shard_with_bad_index_entries_fail_naming_the_inner_chunk()
    {
        var good = await RunAsync(Paths.TestData("broken", "good.zarr"), "--values", "tas");
        Assert.True(good.Exit == 0, good.Stderr);
        var (shape, values) = Flatten(JsonNode.Parse(good.Stdout));
        // The README's formula: cell (row, col) holds row * 36 + col.
        Assert.Equal([18, 36], shape);
        Assert.Equal(Enumerable.Range(0, 648).Select(i => (double)i), values);

        var bad = await RunAsync(Paths.TestData("broken", "bad-shard-entry.zarr"), "--values", "tas");
        Assert.Equal(1, bad.Exit);
        Assert.Equal("", bad.Stdout);
        Assert.Contains("tas/c/0/0#1", bad.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("tag:withdrawn", "tag 'withdrawn' was deleted")]
    [InlineData("branch:nope", "branch 'nope' does not exist")]
    [InlineData("trunk", "is not 'branch:NAME', 'tag:NAME' or a 20-character snapshot id")]
    public async Task A_ref_that_cannot_be_read_exits_1_naming_it(string reference, string message)
    {
        var (exit, stdout, _) = await RunAsync(IcechunkRepository, "--ref", reference);
        Assert.Equal(1, exit);
        Assert.Contains("Could not be read.", stdout, StringComparison.Ordinal);
        Assert.Contains(message, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_store_exits_1_and_a_bad_command_line_exits_2()
    {
        string missing = Path.Combine(Path.GetTempPath(), "no-such-store-" + Guid.NewGuid().ToString("N"));
        var (exit, stdout, _) = await RunAsync(missing, "--json");
        Assert.Equal(1, exit);
        var report = JsonNode.Parse(stdout)!;
        Assert.False((bool)report["readable"]!);
        Assert.Contains("no Zarr metadata", (string?)report["problems"]![0]!["message"], StringComparison.Ordinal);

        Assert.Equal(2, (await RunAsync()).Exit);
        Assert.Equal(2, (await RunAsync(missing, "--ref")).Exit);
        Assert.Equal(2, (await RunAsync(missing, "--frobnicate")).Exit);
    }

    [Fact]
    public async Task The_server_binary_runs_inspect_and_exits_with_its_status()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "TileServer.Api.dll");
        var ok = await DotnetProcess.RunAsync(dll, "inspect", Zarr("zarr-v3", "sharded", "partial_edge_u1.zarr"), "--values", "/");
        Assert.True(ok.Exit == 0, $"exit {ok.Exit}: {ok.Stderr}");
        var (shape, values) = Flatten(JsonNode.Parse(ok.Stdout));
        var (expectedShape, expected) = Npy.ReadAsDoubles(Zarr("zarr-v3", "sharded", "partial_edge_u1.npy"));
        Assert.Equal(expectedShape, shape);
        Assert.Equal(expected, values);

        var failed = await DotnetProcess.RunAsync(dll, "inspect", IcechunkRepository, "--ref", "tag:withdrawn");
        Assert.Equal(1, failed.Exit);
        Assert.Contains("was deleted", failed.Stdout, StringComparison.Ordinal);
    }

    private static string IcechunkRepository => Paths.TestData("icechunk", "global-4326.icechunk");

    private static async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        int exit = await InspectCommand.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }

    /// <summary>Nested JSON lists as a shape and the elements in C order ("NaN"/"Infinity" strings as numbers, bools as 0/1).</summary>
    private static (int[] Shape, List<double> Values) Flatten(JsonNode? node)
    {
        var shape = new List<int>();
        for (var n = node; n is JsonArray a; n = a.Count > 0 ? a[0] : null)
        {
            shape.Add(a.Count);
        }

        var values = new List<double>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
                case JsonValue v when v.TryGetValue(out string? text):
                    values.Add(double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case JsonValue v when v.TryGetValue(out bool flag):
                    values.Add(flag ? 1 : 0);
                    break;
                default:
                    values.Add(n!.GetValue<double>());
                    break;
            }
        }

        Walk(node);
        return ([.. shape], values);
    }
}
