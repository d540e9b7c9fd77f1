using System.Globalization;
using System.Net;
using TileServer.Api.Tests.Infrastructure;
using TileServer.Delivery.Tests.Infrastructure;

namespace TileServer.Api.Tests.Operations;

/// <summary>/metrics read by a real Prometheus, and the rendered-tile cache tiers seen through HTTP.</summary>
public sealed class MetricsAndTileCacheTests
{
    private static readonly string[] Tiles = ["/tiles/{0}/1/0/0.png", "/tiles/{0}/1/1/0.png", "/tiles/{0}/2/1/1.png"];

    private static string Demo => Paths.Demo("blue-marble-webmercatorquad.zarr");

    private static string TileCacheDesc(HttpResponseMessage response)
    {
        string timing = string.Join(",", response.Headers.GetValues("Server-Timing"));
        int at = timing.IndexOf("tile-cache;desc=\"", StringComparison.Ordinal);
        Assert.True(at >= 0, "Server-Timing has no tile-cache entry: " + timing);
        int start = at + "tile-cache;desc=\"".Length;
        return timing[start..timing.IndexOf('"', start)];
    }

    [Fact]
    public async Task Prometheus_scraping_the_server_answers_how_many_tiles_it_rendered()
    {
        await using var server = await TestServer.StartAsync($"--TileServer:Datasets:metrics-demo:Path={Demo}");
        await using var prometheus = await PrometheusServer.StartAsync(new Uri(server.BaseUrl).Authority);

        // Three distinct tiles, each asked twice: three renders, three answers from the in-process tier.
        foreach (var tile in Tiles.Concat(Tiles))
        {
            using var response = await server.Client.GetAsync(string.Format(CultureInfo.InvariantCulture, tile, "metrics-demo"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        double? rendered = null;
        double? tileRequests = null;
        for (int i = 0; i < 150 && (rendered != 3 || tileRequests < 6 || tileRequests is null); i++)
        {
            await Task.Delay(200);
            rendered = await prometheus.QueryAsync("sum(tileserver_tiles_rendered_total{dataset=\"metrics-demo\"})");
            tileRequests = await prometheus.QueryAsync("sum(http_server_request_duration_seconds_count{http_route=\"/tiles/{dataset}/{z}/{x}/{y}\"})");
        }

        Assert.Equal(3, rendered);
        Assert.True(tileRequests >= 6, $"http_server_request_duration_seconds_count for the tile route is {tileRequests}");
        Assert.True(await prometheus.QueryAsync("sum(tileserver_tile_cache_lookups_total{tier=\"memory\",result=\"hit\"})") >= 3);
        Assert.True(await prometheus.QueryAsync("sum(tileserver_render_stage_duration_seconds_count{dataset=\"metrics-demo\",stage=\"encode\"})") == 3);
    }

    [Fact]
    public async Task Server_timing_says_which_tier_answered_and_the_bytes_are_the_same()
    {
        await using var server = await TestServer.StartAsync($"--TileServer:Datasets:tier-demo:Path={Demo}");
        using var first = await server.Client.GetAsync("/tiles/tier-demo/1/0/0.png");
        using var second = await server.Client.GetAsync("/tiles/tier-demo/1/0/0.png?");

        Assert.Equal("miss", TileCacheDesc(first));
        Assert.Equal("memory", TileCacheDesc(second));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.Equal("image/png", second.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task A_tile_rendered_by_one_replica_is_served_by_the_other_from_redis()
    {
        await using var redis = await RedisServer.StartAsync();
        string[] settings = [$"--TileServer:Datasets:shared-demo:Path={Demo}", $"--TileServer:TileCache:Redis={redis.ConnectionString}", $"--TileServer:TileCache:RedisKeyPrefix=t{Guid.NewGuid():N}:"];
        await using var a = await TestServer.StartAsync(settings);
        // B keeps nothing in process: whatever it does not render must come from Redis.
        await using var b = await TestServer.StartAsync([.. settings, "--TileServer:TileCache:MemoryBytes=0"]);

        using var fromA = await a.Client.GetAsync("/tiles/shared-demo/2/2/1.png");
        Assert.Equal("miss", TileCacheDesc(fromA));
        // A writes to Redis just after answering; a local SET takes well under this.
        await Task.Delay(500);
        using var fromB = await b.Client.GetAsync("/tiles/shared-demo/2/2/1.png");

        Assert.Equal(HttpStatusCode.OK, fromB.StatusCode);
        Assert.Equal("redis", TileCacheDesc(fromB));
        Assert.Equal(await fromA.Content.ReadAsByteArrayAsync(), await fromB.Content.ReadAsByteArrayAsync());
        Assert.Equal(fromA.Headers.ETag, fromB.Headers.ETag);
    }

    [Fact]
    public async Task Redis_on_a_closed_port_still_serves_tiles()
    {
        await using var server = await TestServer.StartAsync($"--TileServer:Datasets:noredis-demo:Path={Demo}",
            "--TileServer:TileCache:Redis=127.0.0.1:" + RedisServer.FreePort().ToString(CultureInfo.InvariantCulture), "--TileServer:TileCache:MemoryBytes=0");
        using var first = await server.Client.GetAsync("/tiles/noredis-demo/1/0/0.png");
        using var second = await server.Client.GetAsync("/tiles/noredis-demo/1/0/0.png");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("miss", TileCacheDesc(first));
        Assert.Equal("miss", TileCacheDesc(second));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
    }
}
