using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using TileServer.Crs;
using TileServer.Delivery.Cache;
using TileServer.Delivery.Seeding;
using TileServer.Delivery.Tests.Infrastructure;
using TileServer.Reading;
using TileServer.Reading.Catalog;

namespace TileServer.Delivery.Tests.Seeding;

/// <summary>
/// The engine over the real catalog and demo data, with a render that misbehaves on purpose where the real one only
/// does under load or while statistics are computed: a full render queue, stand-in images, a failing tile.
/// (Byte-for-byte agreement with the server is SeedCommandTests' job, in the Api tests.)
/// </summary>
public sealed class SeederTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("seeder-test-").FullName;
    private readonly ServiceProvider _services;

    public SeederTests()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TileServer:IncludeDemoDatasets"] = "true",
            ["TileServer:DemoDataPath"] = Path.Combine(PmtilesReader.RepoRoot(), "data", "demo"),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton(TimeProvider.System);
        services.AddDataReading(configuration);
        services.AddSingleton(new TileCache(new TileCacheOptions { MemoryBytes = 0 }, NullLoggerFactory.Instance));
        _services = services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private Seeder Seeder(SeedOptions options) => ActivatorUtilities.CreateInstance<Seeder>(_services, options);

    private SeedRequest Request(string dir) => new() { Dataset = "demo", MinZoom = 0, MaxZoom = 1, Target = new SeedTarget.Folder(dir), Concurrency = 2 };

    private static ServedTile Served(string text, bool keep) => new("key/" + text, new CachedTile(Encoding.UTF8.GetBytes(text), "image/png", "\"e\"") { Keep = keep });

    [Fact]
    public async Task A_full_render_queue_and_stand_in_images_are_waited_out_and_never_written()
    {
        // Each tile: refused once (queue full), then drawn with a stand-in stretch (not cacheable), then the real thing.
        var calls = new Dictionary<string, int>();
        TileRender render = (reader, tms, matrix, col, row, ct) =>
        {
            string tile = $"{matrix.Id}/{col}/{row}";
            int n;
            lock (calls)
            {
                n = calls[tile] = calls.GetValueOrDefault(tile) + 1;
            }

            return n switch
            {
                1 => throw new OverloadedException("queue full", TimeSpan.FromMilliseconds(10)),
                2 => Task.FromResult(Served("stand-in " + tile, keep: false)),
                _ => Task.FromResult(Served("tile " + tile, keep: true)),
            };
        };

        string dir = Path.Combine(_folder, "waited");
        var summary = await Seeder(new SeedOptions()).RunAsync(Request(dir), render, TextWriter.Null, default);

        Assert.Equal((5L, 5L, false), (summary.Planned, summary.Written, summary.Interrupted));
        Assert.All(calls.Values, n => Assert.Equal(3, n));
        foreach (var (z, x, y) in new[] { (0, 0, 0), (1, 0, 0), (1, 0, 1), (1, 1, 0), (1, 1, 1) })
        {
            Assert.Equal($"tile {z}/{x}/{y}", await File.ReadAllTextAsync(Path.Combine(dir, $"{z}", $"{x}", $"{y}.png")));
        }
    }

    [Fact]
    public async Task A_stretch_that_never_becomes_known_fails_the_seed_saying_how_to_give_one()
    {
        string dir = Path.Combine(_folder, "never");
        TileRender render = (_, _, matrix, col, row, _) => Task.FromResult(Served($"stand-in {matrix.Id}/{col}/{row}", keep: false));

        var ex = await Assert.ThrowsAsync<SeedException>(() => Seeder(new SeedOptions { StretchWait = TimeSpan.FromMilliseconds(300) }).RunAsync(Request(dir), render, TextWriter.Null, default));

        Assert.Contains("--query \"rescale=MIN,MAX\"", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_failing_tile_stops_the_seed_naming_the_tile()
    {
        string dir = Path.Combine(_folder, "failing");
        TileRender render = (_, _, matrix, col, row, _) => matrix.Id == "1" && col == 1 && row == 0
            ? throw new InvalidOperationException("chunk 3.1 does not decode")
            : Task.FromResult(Served($"tile {matrix.Id}/{col}/{row}", keep: true));

        var ex = await Assert.ThrowsAsync<SeedException>(() => Seeder(new SeedOptions()).RunAsync(Request(dir), render, TextWriter.Null, default));

        Assert.Contains("tile WebMercatorQuad/1/1/0 of 'demo' failed: chunk 3.1 does not decode", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "1", "1", "0.png")));
    }

    [Fact]
    public async Task Progress_lines_give_count_rate_and_time_left_and_the_last_one_the_total()
    {
        TileRender render = async (_, _, matrix, col, row, ct) =>
        {
            await Task.Delay(40, ct);
            return Served($"tile {matrix.Id}/{col}/{row}", keep: true);
        };
        using var progress = new StringWriter();

        await Seeder(new SeedOptions { ProgressInterval = TimeSpan.FromMilliseconds(20) }).RunAsync(Request(Path.Combine(_folder, "progress")) with { Concurrency = 1 }, render, progress, default);

        var lines = progress.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length >= 2, progress.ToString());
        Assert.All(lines, l => Assert.Matches(@"^seed: [0-5]/5 tiles \(\d+\.\d%\), \d+\.\d tiles/s, ETA (\d+:\d\d:\d\d|-)$", l));
        Assert.StartsWith("seed: 5/5 tiles (100.0%)", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tiles_of_a_box_outside_the_data_are_counted_and_not_rendered()
    {
        // The Landsat demo scene lies near Recife (about 34.9 W, 8.0 S); a box over the Atlantic to its east misses it.
        int renders = 0;
        TileRender render = (_, _, _, _, _, _) =>
        {
            Interlocked.Increment(ref renders);
            return Task.FromResult(Served("x", keep: true));
        };
        var request = new SeedRequest { Dataset = "landsat", MinZoom = 10, MaxZoom = 11, Bbox = new Extent(-30, -9, -29, -7), Target = new SeedTarget.Folder(Path.Combine(_folder, "sea")) };

        var summary = await Seeder(new SeedOptions()).RunAsync(request, render, TextWriter.Null, default);

        Assert.True(summary.Planned > 0);
        Assert.Equal((summary.Planned, 0L, 0), (summary.Outside, summary.Written, renders));
        Assert.Matches(new Regex(@"\d+ outside the data \(skipped\)"), summary.ToString());
    }
}
