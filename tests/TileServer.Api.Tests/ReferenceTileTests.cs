using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests;

/// <summary>
/// Our decoded tiles (.npy) against tiles rendered by gdalwarp (GDAL 3.6.2, -et 0) from the same numbers, for every
/// reference tile of the real-world sample data and the GeoZarr fixtures.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class ReferenceTileTests
{
    private readonly ServerFixture _server;

    public ReferenceTileTests(ServerFixture server)
    {
        _server = server;
    }

    public static TheoryData<string, int, int, int, string, string, string> Cases()
    {
        var data = new TheoryData<string, int, int, int, string, string, string>();
        void Add(string dataset, int z, int x, int y, string method, string query, string refPath) => data.Add(dataset, z, x, y, method, query, refPath);

        // Blue Marble: the pyramid (demo) and the native EPSG:4326 array.
        foreach (var t in Tiles(Paths.RealData("blue-marble", "ref", "catalog.json")))
        {
            foreach (var (key, path) in t.Files)
            {
                var (kind, method) = (key.Split('_')[0], key.Split('_')[1]);
                if (kind == "pyramid")
                {
                    Add("demo", t.Z, t.X, t.Y, method, "", path);
                }
                else if (method == "near" || TileFinerThan(t.Z, 19567.88))
                {
                    Add("bluemarble-native", t.Z, t.X, t.Y, method, "", path);
                }
            }
        }

        foreach (var t in Tiles(Paths.RealData("sst", "ref", "catalog.json")))
        {
            foreach (var (key, path) in t.Files)
            {
                var parts = key.Split('_');
                Add("sst-ref", t.Z, t.X, t.Y, parts[1], "variable=" + parts[0], path);
            }
        }

        var windSelections = new Dictionary<string, string>
        {
            ["u_t0_l0"] = "variable=u&sel=time=2017-08-20T01:00:00Z&sel=level=825",
            ["u_t9_l1"] = "variable=u&sel=time=2017-08-20T10:00:00Z&sel=level=850",
            ["v_t5_l1"] = "variable=v&sel=time=2017-08-20T06:00:00Z&sel=level=850",
        };
        foreach (var t in Tiles(Paths.RealData("wind", "ref", "catalog.json")))
        {
            foreach (var (key, path) in t.Files)
            {
                int cut = key.LastIndexOf('_');
                string method = key[(cut + 1)..];
                if (method == "near" || TileFinerThan(t.Z, 27830))
                {
                    Add("wind", t.Z, t.X, t.Y, method, windSelections[key[..cut]], path);
                }
            }
        }

        foreach (var t in Tiles(Paths.RealData("lcc", "ref", "catalog.json")))
        {
            foreach (var (method, path) in t.Files)
            {
                if (method == "near" || TileFinerThan(t.Z, 1000 / 0.78))
                {
                    Add("lcc", t.Z, t.X, t.Y, method, "", path);
                }
            }
        }

        foreach (var t in Tiles(Paths.RealData("landsat", "ref", "catalog.json")))
        {
            foreach (var (method, path) in t.Files)
            {
                Add("landsat", t.Z, t.X, t.Y, method, "bidx=3,2,1", path);
            }
        }

        foreach (var (dataset, folder, sourceMeters) in new[]
                 {
                     ("global4326", "global-4326", 111320.0), ("global4326-v3", "global-4326", 111320.0),
                     ("wmpyramid", "webmercator-pyramid", 0), ("wmpyramid-nd", "webmercator-pyramid", 0),
                     ("utm", "utm-native-pyramid", 0), ("utm-v3", "utm-native-pyramid", 0),
                 })
        {
            var expected = JsonNode.Parse(File.ReadAllText(Paths.GeoZarr(folder, "expected.json")))!;
            foreach (var tile in expected["ref_tiles"]!.AsArray())
            {
                string file = (string)tile!["file"]!;
                string method = (string)tile["method"]!;
                int z = (int)tile["z"]!;
                if (method != "near" && sourceMeters > 0 && !TileFinerThan(z, sourceMeters))
                {
                    continue;
                }

                string query = folder == "global-4326" ? "variable=tas" + (file.Contains("_t3", StringComparison.Ordinal) ? "&sel=time=2000-04-01" : "") : "";
                Add(dataset, z, (int)tile["x"]!, (int)tile["y"]!, method, query, $"geozarr/{folder}/{file}");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Decoded_tile_matches_gdalwarp_reference(string dataset, int z, int x, int y, string method, string query, string refPath)
    {
        string resampling = method == "near" ? "nearest" : "bilinear";
        string url = $"/tiles/{dataset}/{z}/{x}/{y}.npy?resampling={resampling}" + (query.Length > 0 ? "&" + query : "");
        var response = await _server.Client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/x-npy", response.Content.Headers.ContentType?.MediaType);
        var (shape, ours) = Npy.ReadFloat32(await response.Content.ReadAsByteArrayAsync());
        var (refShape, reference) = Npy.ReadFloat32(Paths.TestData(refPath));
        int bands = refShape.Length == 3 ? refShape[0] : 1;
        Assert.Equal([bands, 256, 256], shape);
        var result = ReferenceComparison.Compare(ours, reference, bands, 256, 256);
        ReferenceComparison.AssertMatches(url, method, result);
    }

    /// <summary>True when a WebMercatorQuad tile of zoom z has pixels at least as fine as the source cells (GDAL's bilinear is then plain bilinear).</summary>
    private static bool TileFinerThan(int z, double sourceMeters) => 156543.03392804097 / Math.Pow(2, z) <= sourceMeters;

    private sealed record RefTile(int Z, int X, int Y, List<(string Key, string Path)> Files);

    private static IEnumerable<RefTile> Tiles(string catalogPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(catalogPath));
        foreach (var t in doc.RootElement.GetProperty("tiles").EnumerateArray())
        {
            var files = t.GetProperty("files").EnumerateObject().Select(p => (p.Name, "real/" + p.Value.GetProperty("path").GetString()!)).ToList();
            yield return new RefTile(t.GetProperty("z").GetInt32(), t.GetProperty("x").GetInt32(), t.GetProperty("y").GetInt32(), files);
        }
    }
}
