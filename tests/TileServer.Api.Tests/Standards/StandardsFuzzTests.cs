using System.Net;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>
/// Hostile and malformed WMTS / OGC API requests (seeded random mutations of valid ones): never a 5xx or a stack
/// trace; WMTS failures are OWS ExceptionReports, OGC API failures problem+json.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class StandardsFuzzTests
{
    private static readonly string[] Junk =
    [
        "", "-1", "999999999999999999999", "1e9", "0x10", "%00", "..", "%2e%2e", "a b", "%", "%zz", "💥", "NaN", "-0", " 1", "1.5",
        "WebMercatorQuad", "worldcrs84quad", "UTM31WGS84Quad", "EuropeanETRS89_LAEAQuad", "GNOSISGlobalGrid", "CDB1GlobalGrid", "default", "viridis_r",
        "image/png;q=1", "demo", "demo.", ".rgb", "demo.rgb.rgb", "sst.time", "sst.lat", "broken.x", new string('z', 3000),
    ];

    private static readonly string[] ValidKvp =
    [
        "SERVICE=WMTS", "REQUEST=GetTile", "VERSION=1.0.0", "LAYER=sst.sst", "STYLE=default", "FORMAT=image/png",
        "TILEMATRIXSET=WebMercatorQuad", "TILEMATRIX=1", "TILEROW=0", "TILECOL=1", "TIME=1981-12-31T00:00:00Z",
    ];

    private readonly ServerFixture _server;

    public StandardsFuzzTests(ServerFixture server)
    {
        _server = server;
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 6).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Mutated_wmts_kvp_requests_never_fail_on_the_server(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 40; i++)
        {
            var parts = ValidKvp.ToList();
            KvpMutation.Mutate(parts, random, Junk);

            var response = await _server.Client.GetAsync("/wmts?" + string.Join("&", parts));
            await AssertWellFormedAsync(response, wmts: true);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Mutated_rest_and_ogc_api_paths_never_fail_on_the_server(int seed)
    {
        var random = new Random(seed);
        string[][] templates =
        [
            ["wmts", "1.0.0", "sst.sst", "default", "1981-12-31T00:00:00Z", "WebMercatorQuad", "1", "0", "1.png"],
            ["wmts", "1.0.0", "demo.rgb", "default", "WorldCRS84Quad", "1", "0", "1.webp"],
            ["collections", "demo", "map", "tiles", "WebMercatorQuad", "2", "1", "3"],
            ["collections", "sst", "map", "tiles", "WorldCRS84Quad"],
        ];
        for (int i = 0; i < 40; i++)
        {
            var t = templates[random.Next(templates.Length)].ToList();
            int k = random.Next(1, t.Count);
            switch (random.Next(3))
            {
                case 0: t[k] = Uri.EscapeDataString(Junk[random.Next(Junk.Length)]); break;
                case 1: t.RemoveAt(k); break;
                default: t.Insert(k, Uri.EscapeDataString(Junk[random.Next(Junk.Length)])); break;
            }

            string query = random.Next(3) == 0 ? "?f=" + Uri.EscapeDataString(Junk[random.Next(Junk.Length)]) : "";
            string path = "/" + string.Join("/", t);
            var response = await _server.Client.GetAsync(path + query);
            // Only the RESTful WMTS routes answer with ExceptionReports; a mutated prefix is some other (unknown) route.
            await AssertWellFormedAsync(response, wmts: path.StartsWith("/wmts/1.0.0/", StringComparison.Ordinal) && path.Length > "/wmts/1.0.0/".Length);
        }
    }

    private static async Task AssertWellFormedAsync(HttpResponseMessage response, bool wmts)
    {
        string url = response.RequestMessage!.RequestUri!.PathAndQuery;
        string body = response.Content.Headers.ContentType?.MediaType is "image/png" or "image/webp" or "image/jpeg" ? "" : await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode < 500, $"{url} -> {(int)response.StatusCode}: {body}");
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotModified)
        {
            return;
        }

        if (wmts)
        {
            var (code, _, text) = WmtsTests.ParseReport(response.Content.Headers.ContentType?.MediaType, body);
            Assert.False(string.IsNullOrEmpty(code), url);
            Assert.False(string.IsNullOrEmpty(text), url);
        }
        else
        {
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", $"{url} -> {(int)response.StatusCode} {response.Content.Headers.ContentType}: {body}");
        }
    }
}
