using System.Net;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests;

/// <summary>
/// The server with every broken store of tests/data/broken (cases.json says what each must do) beside good datasets:
/// it starts, serves the good ones, reports each broken one as unavailable with its reason, and for a shard with bad
/// index entries fails only the tiles that need those inner chunks.
/// </summary>
public sealed class BrokenStoreServerTests : IClassFixture<BrokenStoreServerTests.Fixture>
{
    private readonly Fixture _server;

    public BrokenStoreServerTests(Fixture server)
    {
        _server = server;
    }

    public static IEnumerable<object[]> UnavailableCases()
        => Fixture.Cases().Where(c => (string)c["expect"]! == "unavailable").Select(c => new object[] { (string)c["store"]! });

    [Fact]
    public async Task The_server_starts_and_readiness_lists_every_broken_store_while_the_good_ones_serve()
    {
        var ready = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/readyz"));
        Assert.Equal("degraded", (string?)ready["status"]);
        var unavailable = ready["unavailable"]!.AsArray().Select(u => (string)u!["id"]!).ToHashSet();
        var expected = Fixture.Cases().Where(c => (string)c["expect"]! == "unavailable").Select(c => Fixture.IdOf((string)c["store"]!)).ToHashSet();
        Assert.Equal(expected, unavailable);

        foreach (var good in new[] { "sst", Fixture.IdOf("good.zarr"), Fixture.IdOf("bad-shard-entry.zarr") })
        {
            var tile = await _server.Client.GetAsync($"/tiles/{good}/1/0/1.png");
            Assert.True(tile.StatusCode == HttpStatusCode.OK, $"{good}: {(int)tile.StatusCode} {await tile.Content.ReadAsStringAsync()}");
            Assert.Equal("image/png", tile.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [MemberData(nameof(UnavailableCases))]
    public async Task A_broken_store_is_unavailable_with_its_reason_and_its_tiles_are_503_problems(string store)
    {
        var expected = Fixture.Cases().Single(c => (string)c["store"]! == store);
        string id = Fixture.IdOf(store);
        var listing = await HttpAssert.JsonAsync(await _server.Client.GetAsync("/datasets"));
        var entry = listing["datasets"]!.AsArray().Single(d => (string)d!["id"]! == id)!;
        Assert.Equal("unavailable", (string?)entry["status"]);
        string reason = (string)entry["error"]!;
        Assert.Contains((string)expected["reason"]!, reason, StringComparison.Ordinal);
        Assert.Contains((string)expected["names"]!, reason, StringComparison.Ordinal);
        Assert.DoesNotContain(Paths.RepoRoot, reason, StringComparison.Ordinal);

        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync($"/tiles/{id}/0/0/0.png"), HttpStatusCode.ServiceUnavailable);
        Assert.Contains((string)expected["reason"]!, (string)problem["detail"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_shard_index_entry_fails_only_the_tiles_that_need_its_inner_chunk()
    {
        var badChunks = Fixture.Cases().Single(c => (string)c["store"]! == "bad-shard-entry.zarr")["badChunks"]!.AsArray();
        string id = Fixture.IdOf("bad-shard-entry.zarr");
        foreach (var (tile, key) in new[] { ("1/0/0", (string)badChunks[0]!["key"]!), ("1/1/1", (string)badChunks[1]!["key"]!) })
        {
            var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync($"/tiles/{id}/{tile}.npy"), HttpStatusCode.BadGateway);
            Assert.Contains(key, (string)problem["detail"]!, StringComparison.Ordinal);
        }

        // The other tiles of the same shard are served with the values of the same data stored without the damage.
        foreach (var tile in new[] { "1/1/0", "1/0/1" })
        {
            var served = Npy.ReadFloat32(await _server.Client.GetByteArrayAsync($"/tiles/{id}/{tile}.npy"));
            var reference = Npy.ReadFloat32(await _server.Client.GetByteArrayAsync($"/tiles/{Fixture.IdOf("good.zarr")}/{tile}.npy"));
            Assert.Equal(reference.Shape, served.Shape);
            Assert.Equal(reference.Data, served.Data);
            Assert.Contains(served.Data, v => !float.IsNaN(v));
        }
    }

    public sealed class Fixture : ServerFixture
    {
        public static IReadOnlyList<JsonObject> Cases()
            => JsonNode.Parse(File.ReadAllText(Paths.TestData("broken", "cases.json")))!["stores"]!.AsArray().Select(c => c!.AsObject()).ToList();

        public static string IdOf(string store) => "broken-" + store.Replace(".zarr", "", StringComparison.Ordinal);

        protected override IEnumerable<string> Settings()
        {
            yield return "--TileServer:IncludeDemoDatasets=true";
            foreach (var c in Cases())
            {
                string store = (string)c["store"]!;
                yield return $"--TileServer:Datasets:{IdOf(store)}:Path={Paths.TestData("broken", store)}";
            }
        }
    }
}
