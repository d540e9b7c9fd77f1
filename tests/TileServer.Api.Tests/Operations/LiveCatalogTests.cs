using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TileServer.Api.Tests.Operations;

/// <summary>Catalog and data changes reach clients (new ETags) without a restart, and a bad catalog file harms nothing.</summary>
public sealed class LiveCatalogTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tileserver-live-" + Guid.NewGuid().ToString("N"));

    public LiveCatalogTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_folder);
    }

    public void Dispose() => Directory.Delete(_folder, true);

    private static string Sst => Paths.Demo("oisst.zarr");

    private static string Catalog(params (string Id, string Path, string Colormap)[] datasets)
    {
        var root = new JsonObject();
        foreach (var (id, path, colormap) in datasets)
        {
            root[id] = new JsonObject { ["Path"] = path, ["DefaultVariable"] = "sst", ["Rendering"] = new JsonObject { ["Rescale"] = "-2,32", ["ColormapName"] = colormap } };
        }

        return new JsonObject { ["Datasets"] = root }.ToJsonString();
    }

    private static async Task<(HttpStatusCode Status, string? ETag, byte[] Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, response.Headers.ETag?.Tag, await response.Content.ReadAsByteArrayAsync());
    }

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await probe();
            if (done(value))
            {
                return value;
            }

            if (clock.Elapsed > TimeSpan.FromSeconds(30))
            {
                Assert.Fail($"{what} did not happen within 30 s");
            }

            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Changing_a_datasets_colormap_in_the_watched_catalog_file_gives_new_tile_etags_and_keeps_the_others_serving()
    {
        string file = Path.Combine(_folder, "catalog.json");
        await File.WriteAllTextAsync(file, Catalog(("live", Sst, "viridis"), ("steady", Sst, "turbo")));
        await using var server = await TestServer.StartAsync($"--TileServer:CatalogFile={file}", "--TileServer:Catalog:FilePollSeconds=1");
        var live = await GetAsync(server.Client, "/tiles/live/1/1/0.png");
        var steady = await GetAsync(server.Client, "/tiles/steady/1/1/0.png");
        Assert.Equal(HttpStatusCode.OK, live.Status);
        Assert.Equal(HttpStatusCode.OK, steady.Status);

        await File.WriteAllTextAsync(file, Catalog(("live", Sst, "magma"), ("steady", Sst, "turbo"), ("added", Sst, "gray")));
        var changed = await WaitForAsync(() => GetAsync(server.Client, "/tiles/live/1/1/0.png"), r => r.ETag != live.ETag, "a new ETag for the changed dataset");
        Assert.Equal(HttpStatusCode.OK, changed.Status);
        Assert.NotEqual(live.Body, changed.Body);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server.Client, "/tiles/added/1/1/0.png")).Status);
        // The old ETag no longer validates: a CDN revalidating gets the new tile, not 304.
        using (var revalidate = new HttpRequestMessage(HttpMethod.Get, "/tiles/live/1/1/0.png"))
        {
            revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(live.ETag!));
            using var response = await server.Client.SendAsync(revalidate);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        // A broken file is logged and ignored: everything keeps serving as before.
        await File.WriteAllTextAsync(file, "{ \"Datasets\": { \"live\": { \"Path\": ");
        await Task.Delay(2500);
        Assert.Equal(changed.ETag, (await GetAsync(server.Client, "/tiles/live/1/1/0.png")).ETag);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(server.Client, "/tiles/added/1/1/0.png")).Status);

        // Removing a dataset takes it away; the one left unchanged kept its ETag all along.
        await File.WriteAllTextAsync(file, Catalog(("steady", Sst, "turbo")));
        await WaitForAsync(() => GetAsync(server.Client, "/tiles/live/1/1/0.png"), r => r.Status == HttpStatusCode.NotFound, "the removed dataset answering 404");
        var after = await GetAsync(server.Client, "/tiles/steady/1/1/0.png");
        Assert.Equal(steady.ETag, after.ETag);
        Assert.Equal(steady.Body, after.Body);
    }

    [Fact]
    public async Task Changed_root_metadata_makes_a_new_dataset_version_and_new_etags()
    {
        string store = Path.Combine(_folder, "oisst.zarr");
        foreach (var source in Directory.EnumerateFiles(Sst, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(store, Path.GetRelativePath(Sst, source));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(source, target);
        }

        await using var server = await TestServer.StartAsync($"--TileServer:Datasets:changing:Path={store}", "--TileServer:Datasets:changing:DefaultVariable=sst", "--TileServer:Catalog:RefreshSeconds=1");
        string before = JsonNode.Parse(await server.Client.GetStringAsync("/datasets/changing"))!["version"]!.GetValue<string>();
        var tile = await GetAsync(server.Client, "/tiles/changing/0/0/0.png");

        // What a producer appending data does to the root: new attributes, in the group and in the consolidated metadata.
        var clock = Stopwatch.StartNew();
        foreach (var (path, select) in new (string, Func<JsonNode, JsonNode>)[] { (".zattrs", n => n), (".zmetadata", n => n["metadata"]![".zattrs"]!) })
        {
            var doc = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(store, path)))!;
            select(doc)["processing_version"] = "2";
            await File.WriteAllTextAsync(Path.Combine(store, path), doc.ToJsonString());
        }

        string after = await WaitForAsync(async () => JsonNode.Parse(await server.Client.GetStringAsync("/datasets/changing"))!["version"]!.GetValue<string>(), v => v != before, "a new dataset version");
        _output.WriteLine($"store changed -> new version served after {clock.Elapsed.TotalSeconds:0.0} s (RefreshSeconds=1)");
        var newTile = await GetAsync(server.Client, "/tiles/changing/0/0/0.png");
        Assert.NotEqual(before, after);
        Assert.NotEqual(tile.ETag, newTile.ETag);
        using var revalidate = new HttpRequestMessage(HttpMethod.Get, "/tiles/changing/0/0/0.png");
        revalidate.Headers.IfNoneMatch.Add(new EntityTagHeaderValue(newTile.ETag!));
        using var notModified = await server.Client.SendAsync(revalidate);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Servers_with_different_reading_options_give_the_same_tile_different_etags()
    {
        string dataset = $"--TileServer:Datasets:opts:Path={Sst}";
        await using var plain = await TestServer.StartAsync(dataset, "--TileServer:Datasets:opts:DefaultVariable=sst");
        await using var biased = await TestServer.StartAsync(dataset, "--TileServer:Datasets:opts:DefaultVariable=sst", "--TileServer:Tiles:LevelBias=4");
        var a = await GetAsync(plain.Client, "/tiles/opts/1/1/0.png");
        var b = await GetAsync(biased.Client, "/tiles/opts/1/1/0.png");
        Assert.Equal(HttpStatusCode.OK, a.Status);
        Assert.Equal(HttpStatusCode.OK, b.Status);
        Assert.NotEqual(a.ETag, b.ETag);
    }
}
