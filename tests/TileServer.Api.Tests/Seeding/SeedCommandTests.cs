using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using SkiaSharp;
using TileServer.Api.Commands;
using TileServer.Api.Tests.Infrastructure;
using TileServer.Api.Tests.Operations;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Api.Tests.Seeding;

/// <summary>
/// <c>seed</c> against a real server on 127.0.0.1 with the same (demo) configuration: every seeded tile — in a folder,
/// in a PMTiles archive read by the pmtiles npm package, in Redis answered by a fresh replica — is the body the server
/// sends for the same tile URL.
/// </summary>
public sealed class SeedCommandTests : IClassFixture<SeedCommandTests.DemoServer>, IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("seed-test-").FullName;
    private readonly TestServer _server;

    public SeedCommandTests(DemoServer server)
    {
        _server = server.Server;
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The server the seeded tiles are compared with: the default configuration (the demo datasets), as the seed command reads it.</summary>
    public sealed class DemoServer : IAsyncLifetime
    {
        public TestServer Server { get; private set; } = null!;

        public async Task InitializeAsync() => Server = await TestServer.StartAsync();

        public async Task DisposeAsync() => await Server.DisposeAsync();
    }

    [Fact]
    public async Task Folder_tiles_are_the_servers_bytes_and_a_second_run_skips_them_all()
    {
        string dir = Path.Combine(_folder, "demo");
        var first = await SeedAsync("--dataset", "demo", "--zooms", "0-2", "--out", dir);
        Assert.True(first.Exit == 0, first.Stderr);
        Assert.Contains("21 tiles planned, 21 written", first.Stdout, StringComparison.Ordinal);
        var files = Tiles(dir, "png");
        Assert.Equal(21, files.Count);
        foreach (var (z, x, y) in files)
        {
            Assert.Equal(await ServerTileAsync($"/tiles/demo/{z}/{x}/{y}.png"), await File.ReadAllBytesAsync(TilePath(dir, z, x, y, "png")));
        }

        var again = await SeedAsync("--dataset", "demo", "--zooms", "0-2", "--out", dir);
        Assert.True(again.Exit == 0, again.Stderr);
        Assert.Contains("0 written (0 bytes), 21 already present (skipped)", again.Stdout, StringComparison.Ordinal);

        // A deleted tile, with the truncated temporary file an interrupted write would leave: written again, in full.
        string tile = TilePath(dir, 2, 1, 1, "png");
        var expected = await ServerTileAsync("/tiles/demo/2/1/1.png");
        File.Delete(tile);
        await File.WriteAllBytesAsync(tile + ".partial", expected[..100]);
        var resumed = await SeedAsync("--dataset", "demo", "--zooms", "0-2", "--out", dir);
        Assert.True(resumed.Exit == 0, resumed.Stderr);
        Assert.Contains("1 written", resumed.Stdout, StringComparison.Ordinal);
        Assert.Contains("20 already present", resumed.Stdout, StringComparison.Ordinal);
        Assert.Equal(expected, await File.ReadAllBytesAsync(tile));
        Assert.Empty(Directory.EnumerateFiles(dir, "*.partial", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Format_and_query_are_applied_as_in_the_tile_url()
    {
        string dir = Path.Combine(_folder, "sst");
        var run = await SeedAsync("--dataset", "sst", "--zooms", "0-1", "--format", "webp", "--query", "colormap_name=thermal&rescale=-2,32", "--out", dir);
        Assert.True(run.Exit == 0, run.Stderr);
        var files = Tiles(dir, "webp");
        Assert.Equal(5, files.Count);
        foreach (var (z, x, y) in files)
        {
            Assert.Equal(await ServerTileAsync($"/tiles/sst/{z}/{x}/{y}.webp?rescale=-2,32&colormap_name=thermal"), await File.ReadAllBytesAsync(TilePath(dir, z, x, y, "webp")));
        }
    }

    [Fact]
    public async Task Tiles_outside_the_data_are_skipped_and_the_server_would_send_them_transparent()
    {
        // The Landsat scene spans about 0.09 degrees near Recife; the box around it is 0.6 degrees wide.
        string dir = Path.Combine(_folder, "landsat");
        var run = await SeedAsync("--dataset", "landsat", "--zooms", "12", "--bbox", "-35.2,-8.3,-34.6,-7.7", "--out", dir);
        Assert.True(run.Exit == 0, run.Stderr);

        var (minX, minY, maxX, maxY) = MercatorRange(12, -35.2, -8.3, -34.6, -7.7);
        int planned = (maxX - minX + 1) * (maxY - minY + 1);
        var written = Tiles(dir, "png");
        Assert.Contains($"{planned} tiles planned, {written.Count} written", run.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{planned - written.Count} outside the data (skipped)", run.Stdout, StringComparison.Ordinal);
        Assert.InRange(written.Count, 1, planned / 4);
        for (int x = minX; x <= maxX; x++)
        {
            for (int y = minY; y <= maxY; y++)
            {
                var served = await ServerTileAsync($"/tiles/landsat/12/{x}/{y}.png");
                if (written.Contains((12, x, y)))
                {
                    Assert.Equal(served, await File.ReadAllBytesAsync(TilePath(dir, 12, x, y, "png")));
                }
                else
                {
                    using var image = SKBitmap.Decode(served);
                    Assert.True(image.Pixels.All(p => p.Alpha == 0), $"tile 12/{x}/{y} was skipped but the server draws data in it");
                }
            }
        }
    }

    [Fact]
    public async Task A_dataset_of_the_catalog_file_is_seeded_as_a_server_with_that_file_serves_it()
    {
        // Without a configured stretch the tiles use the dataset's statistics, which the seed waits for as the server does.
        string catalog = Path.Combine(_folder, "catalog.json");
        var entry = new JsonObject { ["catsst"] = new JsonObject { ["Path"] = Paths.Demo("oisst.zarr") } };
        await File.WriteAllTextAsync(catalog, new JsonObject { ["Datasets"] = entry }.ToJsonString());
        string dir = Path.Combine(_folder, "catsst");
        var run = await SeedAsync("--dataset", "catsst", "--zooms", "0-1", "--out", dir, "--TileServer:CatalogFile=" + catalog);
        Assert.True(run.Exit == 0, run.Stderr);

        await using var server = await TestServer.StartAsync("--TileServer:CatalogFile=" + catalog);
        var files = Tiles(dir, "png");
        Assert.Equal(5, files.Count);
        foreach (var (z, x, y) in files)
        {
            // Until its statistics are ready the server answers with a stand-in (no-store); the seeded tile is the real one.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            HttpResponseMessage response;
            while ((response = await server.Client.GetAsync($"/tiles/catsst/{z}/{x}/{y}.png")).Headers.CacheControl?.NoStore == true)
            {
                response.Dispose();
                Assert.True(DateTime.UtcNow < deadline, "the server's statistics were not ready within 30 s");
                await Task.Delay(100);
            }

            using (response)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(await response.Content.ReadAsByteArrayAsync(), await File.ReadAllBytesAsync(TilePath(dir, z, x, y, "png")));
            }
        }
    }

    [Fact]
    public async Task A_pmtiles_archive_read_by_the_pmtiles_package_holds_the_servers_tiles()
    {
        string file = Path.Combine(_folder, "demo.pmtiles");
        var run = await SeedAsync("--dataset", "demo", "--zooms", "0-3", "--bbox", "-20,-10,40,50", "--format", "jpg", "--pmtiles", file);
        Assert.True(run.Exit == 0, run.Stderr);

        var archive = await PmtilesReader.ReadAsync(file);
        var h = archive.Header;
        Assert.Equal((0L, 3L, 3L), ((long)h["minZoom"]!, (long)h["maxZoom"]!, (long)h["tileType"]!));
        Assert.Equal((-20.0, -10.0, 40.0, 50.0), ((double)h["minLon"]!, (double)h["minLat"]!, (double)h["maxLon"]!, (double)h["maxLat"]!));
        Assert.Equal(("Blue Marble imagery: NASA Visible Earth", "jpg"), ((string?)archive.Metadata!["attribution"], (string?)archive.Metadata["format"]));

        int expected = Enumerable.Range(0, 4).Sum(z => MercatorRange(z, -20, -10, 40, 50) is var r ? (r.MaxX - r.MinX + 1) * (r.MaxY - r.MinY + 1) : 0);
        Assert.Equal(expected, archive.Tiles.Count);
        Assert.Equal(expected, (long)h["numAddressedTiles"]!);
        foreach (var ((z, x, y), bytes) in archive.Tiles)
        {
            var (minX, minY, maxX, maxY) = MercatorRange(z, -20, -10, 40, 50);
            Assert.True(x >= minX && x <= maxX && y >= minY && y <= maxY, $"tile {z}/{x}/{y} is outside the box");
            Assert.Equal(await ServerTileAsync($"/tiles/demo/{z}/{x}/{y}.jpg"), bytes);
        }
    }

    [Fact]
    public async Task Cache_seeded_tiles_are_answered_from_redis_by_a_fresh_replica()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] shared = [$"--TileServer:TileCache:Redis={redis.ConnectionString}", $"--TileServer:TileCache:RedisKeyPrefix=seed{Guid.NewGuid():N}:"];
        var run = await SeedAsync(["--dataset", "demo", "--zooms", "0-1", "--cache", .. shared]);
        Assert.True(run.Exit == 0, run.Stderr);
        Assert.Contains("5 written", run.Stdout, StringComparison.Ordinal);

        // A replica with nothing in process: whatever it does not render comes from Redis.
        await using var replica = await TestServer.StartAsync([.. shared, "--TileServer:TileCache:MemoryBytes=0"]);
        foreach (var (x, y) in new[] { (0, 0), (1, 0), (0, 1), (1, 1) })
        {
            using var fromRedis = await replica.Client.GetAsync($"/tiles/demo/1/{x}/{y}.png");
            using var rendered = await _server.Client.GetAsync($"/tiles/demo/1/{x}/{y}.png");
            Assert.Equal(HttpStatusCode.OK, fromRedis.StatusCode);
            Assert.EndsWith("tile-cache;desc=\"redis\"", string.Join(",", fromRedis.Headers.GetValues("Server-Timing")), StringComparison.Ordinal);
            Assert.Equal(await rendered.Content.ReadAsByteArrayAsync(), await fromRedis.Content.ReadAsByteArrayAsync());
            Assert.Equal(rendered.Headers.ETag, fromRedis.Headers.ETag);
        }
    }

    [Fact]
    public async Task Cache_target_without_a_reachable_redis_fails()
    {
        var none = await SeedAsync("--dataset", "demo", "--zooms", "0", "--cache");
        Assert.Equal(1, none.Exit);
        Assert.Contains("set TileServer:TileCache:Redis", none.Stderr, StringComparison.Ordinal);

        var closed = await SeedAsync("--dataset", "demo", "--zooms", "0", "--cache", "--TileServer:TileCache:Redis=127.0.0.1:" + RedisServer.FreePort().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1, closed.Exit);
        Assert.Contains("did not take tile 0/0/0", closed.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--zooms", "0-2", "--out", "x")]
    [InlineData("--dataset", "demo", "--zooms", "2-1", "--out", "x")]
    [InlineData("--dataset", "demo", "--zooms", "0-2")]
    [InlineData("--dataset", "demo", "--zooms", "0-2", "--pmtiles", "x.pmtiles", "--tms", "WorldCRS84Quad")]
    [InlineData("--dataset", "demo", "--zooms", "0-2", "--out", "x", "--query", "rescale=abc")]
    [InlineData("--dataset", "demo", "--zooms", "0-2", "--out", "x", "--query", "colourmap=viridis")]
    [InlineData("--dataset", "demo", "--zooms", "0-2", "--out", "x", "--frobnicate")]
    public async Task Malformed_command_lines_exit_2_with_the_usage(params string[] args)
    {
        var run = await SeedAsync(args);
        Assert.Equal(2, run.Exit);
        Assert.Contains("usage: TileServer.Api seed --dataset ID --zooms A-B", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists("x") || File.Exists("x.pmtiles"), "a refused command line wrote something");
    }

    [Theory]
    [InlineData("No dataset with id 'nope'", "--dataset", "nope")]
    [InlineData("no TileMatrixSet 'NoSuchQuad'", "--dataset", "demo", "--tms", "NoSuchQuad")]
    public async Task Unknown_dataset_or_tile_matrix_set_exits_1(string message, params string[] args)
    {
        var run = await SeedAsync([.. args, "--zooms", "0", "--out", Path.Combine(_folder, "none")]);
        Assert.Equal(1, run.Exit);
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dataset_whose_store_does_not_answer_exits_1()
    {
        string store = $"http://127.0.0.1:{RedisServer.FreePort().ToString(CultureInfo.InvariantCulture)}/store.zarr";
        var run = await SeedAsync("--dataset", "gone", "--zooms", "0", "--out", Path.Combine(_folder, "gone"), "--TileServer:Datasets:gone:Path=" + store, "--TileServer:Retry:MaxAttempts=1");
        Assert.Equal(1, run.Exit);
        Assert.Contains("Dataset 'gone' is unavailable", run.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder, "gone", "0")), "tiles written for a dataset that cannot be read");
    }

    [Fact]
    public async Task Zooms_beyond_the_tile_matrix_set_exit_1_naming_its_range()
    {
        var run = await SeedAsync("--dataset", "demo", "--zooms", "24-25", "--out", Path.Combine(_folder, "deep"));
        Assert.Equal(1, run.Exit);
        Assert.Contains("has no tile matrix 25 (it has 0..24)", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_interrupted_folder_seed_keeps_only_complete_tiles_and_the_next_run_finishes_it()
    {
        string dir = Path.Combine(_folder, "interrupted");
        using var interrupt = new CancellationTokenSource();
        // Ctrl+C as soon as the first tile is on disk: zooms 0-5 (1,365 tiles) take far longer than noticing it. (Not at
        // the first progress line: lines come once a second, and on a fast machine the seed is done before that.)
        using var seedEnded = new CancellationTokenSource();
        var firstTile = Task.Run(async () =>
        {
            // Bounded by the seed itself: a seed that ends without writing lets the assertions below fail, not hang.
            while (!seedEnded.IsCancellationRequested && !(Directory.Exists(dir) && Directory.EnumerateFiles(dir, "*.png", SearchOption.AllDirectories).Any()))
            {
                await Task.Delay(1);
            }

            await interrupt.CancelAsync();
        });
        using var progress = new StringWriter();
        using var stdout = new StringWriter();
        int exit = await SeedCommand.RunAsync(["--dataset", "demo", "--zooms", "0-5", "--out", dir], stdout, progress, interrupt.Token);
        await seedEnded.CancelAsync();
        await firstTile;
        Assert.True(exit == 130, $"exit {exit}: {progress}");
        Assert.StartsWith("interrupted", stdout.ToString(), StringComparison.Ordinal);
        Assert.Contains("run the same command again to continue", stdout.ToString(), StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(dir, "*.partial", SearchOption.AllDirectories));
        int kept = Tiles(dir, "png").Count;
        Assert.Equal(kept.ToString(CultureInfo.InvariantCulture), System.Text.RegularExpressions.Regex.Match(stdout.ToString(), @"(\d+) written").Groups[1].Value);
        Assert.InRange(kept, 1, 1364);

        var finish = await SeedAsync("--dataset", "demo", "--zooms", "0-5", "--out", dir);
        Assert.True(finish.Exit == 0, finish.Stderr);
        Assert.Contains($"{1365 - kept} written", finish.Stdout, StringComparison.Ordinal);
        Assert.Contains($"{kept} already present", finish.Stdout, StringComparison.Ordinal);
        Assert.Equal(1365, Tiles(dir, "png").Count);
        Assert.Equal(await ServerTileAsync("/tiles/demo/4/9/5.png"), await File.ReadAllBytesAsync(TilePath(dir, 4, 9, 5, "png")));
    }

    [Fact]
    public async Task The_server_binary_runs_seed_and_exits_with_its_status()
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "TileServer.Api.dll");
        string dir = Path.Combine(_folder, "binary");
        var ok = await DotnetProcess.RunAsync(dll, "seed", "--dataset", "demo", "--zooms", "0", "--out", dir);
        Assert.True(ok.Exit == 0, ok.Stderr);
        Assert.Equal(await ServerTileAsync("/tiles/demo/0/0/0.png"), await File.ReadAllBytesAsync(TilePath(dir, 0, 0, 0, "png")));
        Assert.Contains("seed: 1/1 tiles (100.0%)", ok.Stderr, StringComparison.Ordinal);

        var malformed = await DotnetProcess.RunAsync(dll, "seed", "--dataset", "demo", "--zooms", "x", "--out", dir);
        Assert.Equal(2, malformed.Exit);
        Assert.Contains("usage:", malformed.Stderr, StringComparison.Ordinal);
        var unknown = await DotnetProcess.RunAsync(dll, "seed", "--dataset", "nope", "--zooms", "0", "--out", dir);
        Assert.Equal(1, unknown.Exit);
    }

    private async Task<byte[]> ServerTileAsync(string url)
    {
        using var response = await _server.Client.GetAsync(url);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static string TilePath(string dir, int z, int x, int y, string ext) => Path.Combine(dir, $"{z}", $"{x}", $"{y}.{ext}");

    /// <summary>The z/x/y of every tile file under a seed folder.</summary>
    private static HashSet<(int Z, int X, int Y)> Tiles(string dir, string ext)
        => Directory.EnumerateFiles(dir, "*." + ext, SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Split(Path.DirectorySeparatorChar))
            .Select(p => (int.Parse(p[0], CultureInfo.InvariantCulture), int.Parse(p[1], CultureInfo.InvariantCulture), int.Parse(Path.GetFileNameWithoutExtension(p[2]), CultureInfo.InvariantCulture)))
            .ToHashSet();

    /// <summary>Tiles of WebMercatorQuad zoom z under a lon/lat box (the OSM slippy-map formulas).</summary>
    private static (int MinX, int MinY, int MaxX, int MaxY) MercatorRange(int z, double west, double south, double east, double north)
    {
        int n = 1 << z;
        int X(double lon) => Math.Min(n - 1, (int)Math.Floor((lon + 180) / 360 * n));
        int Y(double lat) => Math.Min(n - 1, (int)Math.Floor((1 - (Math.Log(Math.Tan(lat * Math.PI / 180) + (1 / Math.Cos(lat * Math.PI / 180))) / Math.PI)) / 2 * n));
        return (X(west), Y(north), X(east), Y(south));
    }

    private static async Task<(int Exit, string Stdout, string Stderr)> SeedAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        int exit = await SeedCommand.RunAsync(args, stdout, stderr, CancellationToken.None);
        return (exit, stdout.ToString(), stderr.ToString());
    }
}
