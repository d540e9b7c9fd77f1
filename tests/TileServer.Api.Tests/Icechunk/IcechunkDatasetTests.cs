using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Icechunk;

/// <summary>
/// The GeoZarr fixture of tests/data/icechunk served from its Icechunk repository (recognised by layout, named by
/// tag, by snapshot id, and the branch whose tas chunks are virtual references read through a container that points
/// at the plain store) next to the same data served from the plain Zarr store.
/// </summary>
public sealed class IcechunkServerFixture : ServerFixture
{
    /// <summary>The snapshot branch main and tag v1 point at (tests/data/icechunk/README.md).</summary>
    public const string MainSnapshot = "SYWDKE41H177WVM7PYC0";

    public static string Repository => Paths.TestData("icechunk", "global-4326.icechunk");

    protected override IEnumerable<string> Settings()
    {
        yield return $"--TileServer:Datasets:plain:Path={Paths.TestData("icechunk", "global-4326.zarr")}";
        yield return $"--TileServer:Datasets:ice-main:Path={Repository}";
        yield return $"--TileServer:Datasets:ice-v1:Path={Repository}";
        yield return "--TileServer:Datasets:ice-v1:Store=icechunk";
        yield return "--TileServer:Datasets:ice-v1:Ref=tag:v1";
        yield return $"--TileServer:Datasets:ice-snapshot:Path={Repository}";
        yield return $"--TileServer:Datasets:ice-snapshot:Ref={MainSnapshot}";
        yield return $"--TileServer:Datasets:ice-virtual:Path={Repository}";
        yield return "--TileServer:Datasets:ice-virtual:Ref=branch:virtual";
        yield return $"--TileServer:Datasets:ice-withdrawn:Path={Repository}";
        yield return "--TileServer:Datasets:ice-withdrawn:Ref=tag:withdrawn";
        yield return "--TileServer:VirtualChunks:Containers:0:Prefix=s3://geozarr-fixtures/";
        yield return $"--TileServer:VirtualChunks:Containers:0:Location={Paths.TestData("icechunk")}";
    }
}

public sealed class IcechunkDatasetTests : IClassFixture<IcechunkServerFixture>
{
    private static readonly string[] IcechunkDatasets = ["ice-main", "ice-v1", "ice-snapshot", "ice-virtual"];

    /// <summary>Whole-world, partial and edge tiles in both registered grids, at the first and last time.</summary>
    private static readonly string[] Tiles =
    [
        "WorldCRS84Quad/0/0/0", "WorldCRS84Quad/0/1/0", "WorldCRS84Quad/2/1/3", "WorldCRS84Quad/3/5/2",
        "WebMercatorQuad/0/0/0", "WebMercatorQuad/2/1/1", "WebMercatorQuad/3/7/5",
    ];

    private static readonly string[] Times = ["", "?sel=time=2000-04-01"];

    private readonly IcechunkServerFixture _server;

    public IcechunkDatasetTests(IcechunkServerFixture server)
    {
        _server = server;
    }

    [Fact]
    public async Task Tiles_from_every_ref_equal_the_tiles_of_the_plain_store()
    {
        int compared = 0;
        foreach (var tile in Tiles)
        {
            foreach (var time in Times)
            {
                var expected = await NpyAsync($"/tiles/plain/{tile}.npy{time}");
                var (shape, values) = Npy.ReadFloat32(expected);
                Assert.Equal([1, 256, 256], shape);
                Assert.Contains(values, v => !float.IsNaN(v));
                foreach (var id in IcechunkDatasets)
                {
                    var actual = await NpyAsync($"/tiles/{id}/{tile}.npy{time}");
                    Assert.True(expected.AsSpan().SequenceEqual(actual), $"{id} {tile}{time} differs from the plain store's tile");
                    compared++;
                }
            }
        }

        Assert.Equal(Tiles.Length * Times.Length * IcechunkDatasets.Length, compared);
    }

    [Fact]
    public async Task Points_match_the_samples_computed_with_the_store()
    {
        var samples = JsonNode.Parse(await File.ReadAllTextAsync(Paths.TestData("icechunk", "global-4326.expected.json")))!["samples"]!.AsArray();
        Assert.True(samples.Count >= 40, $"{samples.Count} samples");
        foreach (var id in IcechunkDatasets)
        {
            foreach (var sample in samples)
            {
                double lon = (double)sample!["lon"]!, lat = (double)sample["lat"]!;
                string time = (string)sample["time"]!;
                var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync(
                    $"/datasets/{id}/point?lon={Num(lon)}&lat={Num(lat)}&variable=tas&sel=time={time}"));
                var entry = Assert.Single(json["values"]!.AsArray())!;
                Assert.StartsWith(time, (string?)entry["dims"]!["time"], StringComparison.Ordinal);
                var expected = sample["value"];
                var actual = entry["value"];
                string label = $"{id} ({lon}, {lat}) {time}";
                if (expected is null)
                {
                    Assert.True(actual is null, $"{label}: expected nodata, got {actual?.ToJsonString()}");
                    continue;
                }

                Assert.True(actual is not null, $"{label}: expected {expected}, got null");
                double e = (double)expected, a = (double)actual;
                Assert.True(Math.Abs(e - a) <= 1e-5 * Math.Max(1, Math.Abs(e)), $"{label}: expected {e}, got {a}");
            }
        }
    }

    [Fact]
    public async Task The_snapshot_is_part_of_the_version_so_tiles_of_another_commit_get_another_etag()
    {
        var main = await _server.Client.GetAsync("/tiles/ice-main/WorldCRS84Quad/0/0/0.npy");
        var tag = await _server.Client.GetAsync("/tiles/ice-v1/WorldCRS84Quad/0/0/0.npy");
        var plain = await _server.Client.GetAsync("/tiles/plain/WorldCRS84Quad/0/0/0.npy");
        var virtualBranch = await _server.Client.GetAsync("/tiles/ice-virtual/WorldCRS84Quad/0/0/0.npy");
        foreach (var response in new[] { main, tag, plain, virtualBranch })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(response.Headers.ETag);
        }

        // Same bytes, but the virtual branch is another snapshot of the repository: its ETag differs from main's.
        Assert.Equal(await main.Content.ReadAsByteArrayAsync(), await virtualBranch.Content.ReadAsByteArrayAsync());
        Assert.NotEqual(main.Headers.ETag, virtualBranch.Headers.ETag);
        Assert.NotEqual(main.Headers.ETag, plain.Headers.ETag);
    }

    [Fact]
    public async Task A_deleted_tag_makes_the_dataset_unavailable_with_the_reason()
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/tiles/ice-withdrawn/WorldCRS84Quad/0/0/0.npy"), HttpStatusCode.ServiceUnavailable);
        string detail = (string?)problem["detail"] ?? "";
        Assert.Contains("ice-withdrawn", detail, StringComparison.Ordinal);
        Assert.Contains("tag 'withdrawn' was deleted", detail, StringComparison.Ordinal);
        Assert.Equal("dataset", (string?)problem["parameter"]);

        // The other datasets of the same repository are not affected.
        Assert.Equal(HttpStatusCode.OK, (await _server.Client.GetAsync("/tiles/ice-v1/WorldCRS84Quad/0/0/0.npy")).StatusCode);
    }

    [Fact]
    public async Task Dataset_documents_describe_the_icechunk_datasets_like_the_plain_one()
    {
        var plain = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets/plain"));
        foreach (var id in IcechunkDatasets)
        {
            var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync($"/datasets/{id}"));
            Assert.Equal(plain["variables"]!.ToJsonString(), json["variables"]!.ToJsonString());
        }
    }

    private async Task<byte[]> NpyAsync(string url)
    {
        var response = await _server.Client.GetAsync(url);
        var body = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
        return body;
    }

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);
}
