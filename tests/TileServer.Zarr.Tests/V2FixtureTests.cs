using System.Text.Json.Nodes;
using TileServer.Storage;
using Xunit;

namespace TileServer.Zarr.Tests;

/// <summary>Every array of the zarr-python 2.13 fixture matrix (tests/data/zarr/zarr-v2/manifest.json) against its .npy.</summary>
public sealed class V2FixtureTests
{
    private static readonly string Root = Path.Combine(TestPaths.ZarrData, "zarr-v2");

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        var manifest = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json")))!;
        foreach (var c in manifest["cases"]!.AsArray())
        {
            // Groups list "members" instead of one "expected"; they have their own test below.
            if (c!["expected"] is not null)
            {
                data.Add(c["name"]!.GetValue<string>());
            }
        }

        return data;
    }

    private static JsonNode Case(string name)
        => JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "manifest.json")))!["cases"]!.AsArray().First(c => c!["name"]!.GetValue<string>() == name)!;

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Array_reads_like_zarr_python(string name)
    {
        var c = Case(name);
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Root, c["path"]!.GetValue<string>())), new ZarrReaderOptions());
        Assert.Equal(2, h.ZarrFormat);
        var array = await h.GetArrayAsync("");
        Assert.NotNull(array);
        await ExpectedValues.AssertArrayEqualsAsync(array!, Npy.Load(Path.Combine(Root, c["expected"]!.GetValue<string>())), name);
    }

    [Fact]
    public async Task Consolidated_group_lists_children_and_reads_nested_arrays()
    {
        var h = await ZarrHierarchy.OpenAsync(new FileStore(Path.Combine(Root, "consolidated.zarr")), new ZarrReaderOptions());
        Assert.True(h.IsConsolidated);
        var children = h.ListChildren("");
        Assert.Contains(("a_f4", true), children);
        Assert.Contains(("sub", false), children);
        Assert.Contains(("b_i2", true), h.ListChildren("sub"));
        Assert.NotNull(await h.GetGroupAsync("sub"));
        Assert.Null(await h.GetArrayAsync("sub"));
        Assert.Null(await h.GetArrayAsync("nope"));
        var members = Case("consolidated.zarr")["members"]!.AsObject();
        Assert.Equal(3, members.Count);
        foreach (var (path, expected) in members)
        {
            var array = await h.GetArrayAsync(path);
            await ExpectedValues.AssertArrayEqualsAsync(array!, Npy.Load(Path.Combine(Root, expected!.GetValue<string>())), path);
        }
    }
}
