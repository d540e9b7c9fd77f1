using System.Xml.Linq;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>
/// Hostile and malformed WMS requests (seeded random mutations of valid GetMap and GetFeatureInfo requests): never a
/// 500 or a stack trace; failures are ServiceExceptionReports (or the image EXCEPTIONS asks for); a dataset that could
/// not be opened is the only 503.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WmsFuzzTests
{
    private static readonly string[] Junk =
    [
        "", "-1", "0", "999999999999999999999", "1e308", "-1e308", "NaN", "Infinity", "0x10", "%00", "..", "a b", "%zz", "💥", "1,2,3,4",
        "-90,-180,90,180", "1,1,1,1", "0,0,1e-300,1e-300", "-1e308,-1e308,1e308,1e308", "CRS:84", "EPSG:4326", "EPSG:3031", "EPSG:32633",
        "AUTO2:42001,1,0,0", "urn:ogc:def:crs:EPSG::3857", "image/png", "application/x-npy", "INIMAGE", "BLANK", "TRUE", "0xZZZZZZ",
        "default", "greys", "sst.sst,sst.sst", "demo.rgb", "broken.x", "2000-02-30", "8192", "4096", new string('z', 3000),
    ];

    private static readonly string[] ValidMap =
    [
        "SERVICE=WMS", "VERSION=1.3.0", "REQUEST=GetMap", "LAYERS=global4326.tas", "STYLES=", "CRS=EPSG:4326", "BBOX=-60,-150,75,120",
        "WIDTH=64", "HEIGHT=32", "FORMAT=image/png", "TIME=2000-02-01", "TRANSPARENT=TRUE",
    ];

    private static readonly string[] InfoExtras = ["QUERY_LAYERS=global4326.tas", "INFO_FORMAT=application/json", "I=10", "J=20"];

    private readonly ServerFixture _server;

    public WmsFuzzTests(ServerFixture server)
    {
        _server = server;
    }

    public static IEnumerable<object[]> Seeds() => Enumerable.Range(1, 6).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Seeds))]
    public async Task Mutated_wms_requests_never_fail_on_the_server(int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < 40; i++)
        {
            var parts = random.Next(3) == 0 ? [.. ValidMap.Select(p => p.Replace("GetMap", "GetFeatureInfo", StringComparison.Ordinal)), .. InfoExtras] : ValidMap.ToList();
            KvpMutation.Mutate(parts, random, Junk, key => random.Next(2) == 0 ? "EXCEPTIONS" : key);

            string url = "/wms?" + string.Join("&", parts);
            var response = await _server.Client.GetAsync(url);
            string? type = response.Content.Headers.ContentType?.MediaType;
            bool image = type is "image/png" or "image/webp" or "image/jpeg" or "application/x-npy";
            string body = image ? "" : await response.Content.ReadAsStringAsync();
            int status = (int)response.StatusCode;
            Assert.True(status < 500 || (status == 503 && body.Contains("unavailable", StringComparison.Ordinal)), $"{url} -> {status}: {body}");
            Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            if (status >= 400 && !image)
            {
                Assert.Equal("text/xml", type);
                var exception = XDocument.Parse(body).Root!.Element(WmsTests.Ogc + "ServiceException");
                Assert.False(string.IsNullOrWhiteSpace(exception?.Value), $"{url}: {body}");
            }
        }
    }
}
