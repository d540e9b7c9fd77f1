using System.Text.Json;
using TileServer.Storage.Tests.Infrastructure;
using Xunit;

namespace TileServer.Storage.Tests;

/// <summary>The stores that can list their keys (for inspection) list exactly what they hold.</summary>
public sealed class ListingTests
{
    [Fact]
    public async Task A_folder_lists_every_file_at_any_depth_as_slash_separated_keys()
    {
        using var temp = new TempFolder();
        temp.Write("zarr.json", [1]);
        temp.Write("a/b/c/0", [2]);
        temp.Write("a/.zarray", [3]);
        Directory.CreateDirectory(Path.Combine(temp.Path, "empty"));
        var keys = new List<string>();
        await foreach (var key in new FileStore(temp.Path).ListKeysAsync())
        {
            keys.Add(key);
        }

        Assert.Equal(["a/.zarray", "a/b/c/0", "zarr.json"], keys.Order(StringComparer.Ordinal));
        await foreach (var key in new FileStore(Path.Combine(temp.Path, "missing")).ListKeysAsync())
        {
            Assert.Fail($"a missing folder listed '{key}'");
        }
    }

    [Fact]
    public async Task Kerchunk_references_list_the_keys_of_the_reference_file()
    {
        string refs = Path.Combine(RepoPaths.KerchunkData, "refs_v1.json");
        using var doc = JsonDocument.Parse(File.ReadAllBytes(refs));
        var expected = doc.RootElement.GetProperty("refs").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        using var factory = new ByteStoreFactory(new StoreOptions());
        var store = Assert.IsAssignableFrom<IListableByteStore>(factory.Open(refs));
        var keys = new List<string>();
        await foreach (var key in store.ListKeysAsync())
        {
            keys.Add(key);
        }

        Assert.Equal(expected, keys.Order(StringComparer.Ordinal));
        Assert.Contains("temperature/.zarray", keys);
    }
}
