using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TileServer.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace TileServer.Api.Tests;

/// <summary>
/// The server reading a store without pyramid or configured stretch over HTTP from a real loopback server (the test's
/// own, which counts GETs and reads in flight and injects faults on demand): the default stretch comes from a bounded
/// sample read in the background, a tile sends one GET per chunk and all of them at once, a tile drawn before the
/// statistics are ready says so and is not cacheable, and with 30% of the store's answers failing or corrupted every
/// tile is either right or a 5xx problem, and all are right once the faults stop.
/// </summary>
public sealed partial class ColdPathServerTests : IClassFixture<ColdPathServerTests.Fixture>
{
    private readonly Fixture _server;
    private readonly ITestOutputHelper _output;

    public ColdPathServerTests(Fixture server, ITestOutputHelper output)
    {
        _server = server;
        _output = output;
    }

    [Fact]
    public async Task The_default_stretch_of_a_large_store_without_pyramid_comes_from_a_bounded_sample_read_in_the_background()
    {
        // Read before any tile was asked for: the fixture waited for the statistics after the server started.
        var chunkGets = _server.StatisticsGets.Where(FaultyStaticServer.IsChunk).ToList();
        Assert.NotEmpty(chunkGets);
        Assert.True(chunkGets.Count <= 32, $"the statistics read {chunkGets.Count} chunks; the read budget is 32 of {SyntheticStore.ChunkCount}");
        Assert.Equal(chunkGets.Count, chunkGets.Distinct().Count());

        var variable = (await VariableAsync("cold"))!;
        var stretch = variable["default_stretch"]!;
        Assert.Equal("statistics", (string?)stretch["source"]);
        Assert.Equal("ready", (string?)stretch["status"]);
        var stats = variable["statistics"]!;
        Assert.Equal("chunk sample", (string?)stats["method"]);
        Assert.Equal(chunkGets.Count, (int)stats["chunks_read"]!);
        Assert.Equal(SyntheticStore.ChunkCount, (long)stats["chunks_in_level"]!);

        // The sample's percentiles are near those of every value of the array (computed here from the formula).
        var all = new List<float>(SyntheticStore.Rows * SyntheticStore.Cols);
        for (int r = 0; r < SyntheticStore.Rows; r++)
        {
            for (int c = 0; c < SyntheticStore.Cols; c++)
            {
                if (float.IsFinite(SyntheticStore.Value(r, c)))
                {
                    all.Add(SyntheticStore.Value(r, c));
                }
            }
        }

        all.Sort();
        double p2 = all[(int)Math.Round(0.02 * (all.Count - 1))], p98 = all[(int)Math.Round(0.98 * (all.Count - 1))];
        double span = p98 - p2;
        Assert.InRange((double)stretch["min"]!, p2 - (0.1 * span), p2 + (0.1 * span));
        Assert.InRange((double)stretch["max"]!, p98 - (0.1 * span), p98 + (0.1 * span));
    }

    [Fact]
    public async Task A_tile_sends_one_GET_per_chunk_it_touches_all_at_once_and_is_drawn_with_the_statistics_stretch()
    {
        await _server.WaitForStatisticsAsync("cold");
        _server.Store.HoldUntilQuiet = TimeSpan.FromMilliseconds(300);
        _server.Store.ResetCounts();
        try
        {
            var response = await _server.Client.GetAsync("/tiles/cold/3/2/2.png");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var gets = _server.Store.Gets.Where(g => g.StartsWith("plain/", StringComparison.Ordinal)).ToList();
            Assert.All(gets, g => Assert.True(FaultyStaticServer.IsChunk(g), $"{g} was read for a tile; metadata is read once at open"));
            Assert.True(gets.Count >= 3, $"the tile needed {gets.Count} chunks; pick one that needs several");
            Assert.Equal(gets.Count, gets.Distinct().Count());
            Assert.Equal(gets.Count, _server.Store.PeakInFlight);

            string timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
            Assert.Equal(gets.Count, int.Parse(StoreRequests().Match(timing).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains("stretch;desc=\"statistics\"", timing, StringComparison.Ordinal);
            Assert.NotEqual("no-store", response.Headers.CacheControl?.ToString());
        }
        finally
        {
            _server.Store.HoldUntilQuiet = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task While_the_statistics_are_pending_a_tile_uses_its_own_stretch_says_so_and_is_not_cacheable()
    {
        // The gated dataset's chunk reads (its statistics' and this tile's) are held, so the tile's wait for the
        // statistics (300 ms by default) runs out first.
        var pending = _server.Client.GetAsync("/tiles/cold-gated/3/2/2.png");
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False(pending.IsCompleted);
        Assert.Equal("pending", (string?)(await VariableAsync("cold-gated"))!["default_stretch"]!["status"]);
        _server.Store.OpenGate();

        var response = await pending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        string timing = string.Join(", ", response.Headers.GetValues("Server-Timing"));
        Assert.Contains("stretch;desc=\"fallback: own values (statistics pending)\"", timing, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Null(response.Headers.ETag);

        await _server.WaitForStatisticsAsync("cold-gated");
        var later = await _server.Client.GetAsync("/tiles/cold-gated/3/2/2.png");
        Assert.Contains("stretch;desc=\"statistics\"", string.Join(", ", later.Headers.GetValues("Server-Timing")), StringComparison.Ordinal);
        Assert.NotNull(later.Headers.ETag);
    }

    [Fact]
    public async Task With_30_percent_of_store_answers_failing_every_tile_is_right_or_a_5xx_problem_and_all_are_right_after()
    {
        await _server.WaitForStatisticsAsync("cold");
        var tiles = (from x in Enumerable.Range(0, 8) from y in Enumerable.Range(0, 8) select $"3/{x}/{y}").ToList();
        var expected = new Dictionary<string, byte[]>();
        foreach (var tile in tiles)
        {
            expected[tile] = await _server.Client.GetByteArrayAsync($"/tiles/cold-local/{tile}.npy");
        }

        int correct = 0, problems = 0;
        int faultsBefore = _server.Store.FaultsInjected;
        _server.Store.FaultRate = 0.3;
        try
        {
            foreach (var tile in tiles)
            {
                var response = await _server.Client.GetAsync($"/tiles/cold/{tile}.npy");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    var body = await response.Content.ReadAsByteArrayAsync();
                    Assert.True(expected[tile].AsSpan().SequenceEqual(body), $"tile {tile} was served with wrong values");
                    correct++;
                }
                else
                {
                    Assert.True((int)response.StatusCode >= 500, $"tile {tile}: {(int)response.StatusCode}");
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                    var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                    Assert.Equal((int)response.StatusCode, (int)problem["status"]!);
                    problems++;
                }
            }
        }
        finally
        {
            _server.Store.FaultRate = 0;
        }

        int faults = _server.Store.FaultsInjected - faultsBefore;
        _output.WriteLine($"faults injected: {faults} store answers; tiles: {tiles.Count}, correct: {correct}, 5xx problems: {problems}, wrong: 0");
        Assert.True(faults >= 20, $"only {faults} faults were injected");

        // Faults over: once an open circuit (1 s here) has let a probe through, every tile is right, without a restart.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        foreach (var tile in tiles)
        {
            var response = await _server.Client.GetAsync($"/tiles/cold/{tile}.npy");
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"tile {tile} after the faults: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            var body = await response.Content.ReadAsByteArrayAsync();
            Assert.True(expected[tile].AsSpan().SequenceEqual(body), $"tile {tile} after the faults has wrong values");
        }
    }

    private async Task<JsonNode?> VariableAsync(string dataset)
    {
        var doc = await HttpAssert.JsonAsync(await _server.Client.GetAsync($"/datasets/{dataset}"));
        return doc["variables"]!.AsArray().Single(v => (string?)v!["name"] == "value");
    }

    [GeneratedRegex("store-requests;desc=\"(\\d+) ")]
    private static partial Regex StoreRequests();

    public sealed class Fixture : ServerFixture
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "tileserver-cold-" + Guid.NewGuid().ToString("N"));

        public FaultyStaticServer Store { get; private set; } = null!;

        /// <summary>The GETs the server sent from its start until the statistics of dataset <c>cold</c> were ready.</summary>
        public IReadOnlyList<string> StatisticsGets { get; private set; } = [];

        public async Task WaitForStatisticsAsync(string dataset)
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (true)
            {
                var doc = await HttpAssert.JsonAsync(await Client.GetAsync($"/datasets/{dataset}"));
                Assert.True(doc["variables"] is JsonArray, $"{dataset} did not open: {doc.ToJsonString()}");
                var status = (string?)doc["variables"]!.AsArray().Single(v => (string?)v!["name"] == "value")!["default_stretch"]!["status"];
                if (status == "ready")
                {
                    return;
                }

                Assert.True(DateTime.UtcNow < deadline, $"the statistics of {dataset} are still '{status}' after 60 s");
                await Task.Delay(100);
            }
        }

        public override async Task InitializeAsync()
        {
            SyntheticStore.Write(_folder);
            Store = await FaultyStaticServer.StartAsync(_folder);
            await base.InitializeAsync();
            await WaitForStatisticsAsync("cold");
            StatisticsGets = Store.Gets.Where(g => g.StartsWith("plain/", StringComparison.Ordinal)).ToList();
        }

        public override async Task DisposeAsync()
        {
            await base.DisposeAsync();
            await Store.DisposeAsync();
            Directory.Delete(_folder, true);
        }

        protected override IEnumerable<string> Settings()
        {
            yield return "--TileServer:IncludeDemoDatasets=false";
            yield return $"--TileServer:Datasets:cold:Path={Store.BaseUrl}/plain/";
            yield return $"--TileServer:Datasets:cold-gated:Path={Store.BaseUrl}/gated/";
            yield return $"--TileServer:Datasets:cold-local:Path={_folder}";
            yield return "--TileServer:CircuitBreaker:BreakDuration=00:00:01";
            // Hedges only for the injected 2 s stalls, so that a tile's GETs are its chunks even on a busy machine.
            yield return "--TileServer:Hedging:Delay=00:00:01";
        }
    }
}
