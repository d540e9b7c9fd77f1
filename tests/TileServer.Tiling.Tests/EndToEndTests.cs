using System.Globalization;
using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading;
using TileServer.Reading.Raster;
using TileServer.Reading.Selection;
using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Tiling.Tests;

/// <summary>
/// Whole pipeline (dataset opening → level choice → warp → read → resample) against the gdalwarp reference tiles of
/// tests/data/geozarr and tests/data/real. Criteria: nearest ≥ 99.5 % of the pixels valid in both identical;
/// bilinear mean |diff| &lt; 0.5 % of the reference range; masks identical except on mask boundaries (≤ 1 %).
/// </summary>
public class EndToEndTests
{
    private static readonly CrsRegistry Crs = new();
    private static readonly TileMatrixSetRegistry Tms = new(Crs);
    private static readonly RasterReader Reader = new(Crs, new ReaderOptions());

    internal static async Task<GeoDataset> OpenAsync(string path)
    {
        var zarr = await ZarrHierarchy.OpenAsync(new FileStore(path), new ZarrReaderOptions());
        return await new GeoDatasetReader(Crs).OpenAsync(zarr, new GeoDatasetOptions { Id = Path.GetFileNameWithoutExtension(path) });
    }

    internal static async Task<RasterData> ReadAsync(GeoDataset ds, IReadOnlyList<BandSource> bands, int z, long x, long y, ResamplingMethod m)
    {
        Assert.True(Tms.TryGet("WebMercatorQuad", out var wm));
        var matrix = wm.FindMatrix(z.ToString(CultureInfo.InvariantCulture))!;
        return await Reader.ReadTileAsync(ds, bands, wm, matrix, x, y, 256, m, CancellationToken.None);
    }

    internal static ResamplingMethod Method(string name) => name == "near" ? ResamplingMethod.Nearest : ResamplingMethod.Bilinear;

    /// <summary>Null when the tile matches the reference, else what differs.</summary>
    internal static string? Compare(RasterData tile, string refPath, ResamplingMethod method)
    {
        var (shape, expected) = TestData.ReadNpyF4(refPath);
        int bands = shape.Length == 3 ? shape[0] : 1, h = shape[^2], w = shape[^1];
        if (tile.Bands != bands || tile.Width != w || tile.Height != h)
        {
            return $"shape {tile.Bands}×{tile.Height}×{tile.Width}, reference {bands}×{h}×{w}";
        }

        var actual = tile.Values;
        int n = w * h, innerMismatch = 0, edgeMismatch = 0, both = 0, identical = 0;
        double absDiff = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
        for (int b = 0; b < bands; b++)
        {
            for (int j = 0; j < h; j++)
            {
                for (int i = 0; i < w; i++)
                {
                    int k = (b * n) + (j * w) + i;
                    float e = expected[k], a = actual[k];
                    if (float.IsNaN(e) != float.IsNaN(a))
                    {
                        if (OnMaskBoundary(expected, b * n, w, h, i, j))
                        {
                            edgeMismatch++;
                        }
                        else
                        {
                            innerMismatch++;
                        }

                        continue;
                    }

                    if (float.IsNaN(e))
                    {
                        continue;
                    }

                    both++;
                    // "Identical" up to float32 rounding of the CF decoding (ours vs numpy's float64 → float32).
                    identical += Math.Abs(e - a) <= 1e-6 * Math.Max(1, Math.Abs(e)) ? 1 : 0;
                    absDiff += Math.Abs(e - a);
                    min = Math.Min(min, e);
                    max = Math.Max(max, e);
                }
            }
        }

        var problems = new List<string>();
        if (innerMismatch > 0 || edgeMismatch > 0.01 * bands * n)
        {
            problems.Add($"mask differs at {innerMismatch} interior + {edgeMismatch} boundary pixels");
        }

        if (both > 0 && method == ResamplingMethod.Nearest && identical < 0.995 * both)
        {
            problems.Add($"nearest: {identical}/{both} identical ({100.0 * identical / both:F2} %)");
        }

        double range = max - min;
        if (both > 0 && method != ResamplingMethod.Nearest && absDiff / both > Math.Max(0.005 * range, 1e-6))
        {
            problems.Add($"bilinear: mean |diff| {absDiff / both:G4} vs range {range:G4}");
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    private static bool OnMaskBoundary(float[] mask, int offset, int w, int h, int i, int j)
    {
        bool nan = float.IsNaN(mask[offset + (j * w) + i]);
        for (int dj = -1; dj <= 1; dj++)
        {
            for (int di = -1; di <= 1; di++)
            {
                int ii = i + di, jj = j + dj;
                if (ii >= 0 && jj >= 0 && ii < w && jj < h && float.IsNaN(mask[offset + (jj * w) + ii]) != nan)
                {
                    return true;
                }
            }
        }

        // The tile edge counts as a boundary (the data may start just outside it).
        return i == 0 || j == 0 || i == w - 1 || j == h - 1;
    }

    private static void AssertNoFailures(List<string> failures, int compared, int minCompared)
    {
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compared >= minCompared, $"only {compared} reference tiles compared");
    }

    [Theory]
    [InlineData("global-4326")]
    [InlineData("webmercator-pyramid")]
    [InlineData("utm-native-pyramid")]
    public async Task Fixture_reference_tiles(string name)
    {
        var dir = TestData.Get("geozarr", name);
        var e = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")))!;
        string store = name switch
        {
            "global-4326" => "global-4326.zarr",
            "webmercator-pyramid" => "pyramid-geozarr.zarr",
            _ => "utm-native-pyramid.zarr",
        };
        string variable = name switch { "global-4326" => "tas", "webmercator-pyramid" => "band", _ => "reflectance" };
        var ds = await OpenAsync(Path.Combine(dir, store));
        var failures = new List<string>();
        int compared = 0;
        foreach (var t in e["ref_tiles"]!.AsArray())
        {
            string file = (string)t!["file"]!;
            long timeIndex = file.Contains("_t3", StringComparison.Ordinal) ? 3 : 0;
            var bands = new[] { new BandSource(variable, name == "global-4326" ? [timeIndex] : []) };
            var method = Method((string)t["method"]!);
            var tile = await ReadAsync(ds, bands, (int)t["z"]!, (long)t["x"]!, (long)t["y"]!, method);
            if (name != "global-4326")
            {
                string level = ds.Levels[tile.LevelIndex].Path.Split('/')[^1];
                if (level != (string)t["level"]!)
                {
                    failures.Add($"{file}: level {level}, expected {t["level"]}");
                }
            }

            if (Compare(tile, Path.Combine(dir, file), method) is { } problem)
            {
                failures.Add($"{file}: {problem}");
            }

            compared++;
        }

        AssertNoFailures(failures, compared, 10);
    }

    public static TheoryData<string, string, string> DataSets => new()
    {
        // folder under tests/data/real, store (from the repository root), catalog file key prefix
        { "sst", "data/demo/oisst.zarr", "sst_" },
        { "wind", "tests/data/real/wind/uv.zarr", "" },
        { "lcc", "tests/data/real/lcc/daymet_lcc.zarr", "" },
        { "landsat", "data/demo/landsat-L7_ETMs.zarr", "" },
        { "blue-marble", "tests/data/real/blue-marble/blue-marble.zarr", "native_" },
        { "blue-marble", "data/demo/blue-marble-webmercatorquad.zarr", "pyramid_" },
    };

    [Theory]
    [MemberData(nameof(DataSets))]
    public async Task Sample_data_reference_tiles(string name, string store, string prefix)
    {
        var catalog = TestData.Json("real", name, "ref", "catalog.json");
        var ds = await OpenAsync(TestData.Repo(store.Split('/')));
        var failures = new List<string>();
        int compared = 0;
        foreach (var t in catalog["tiles"]!.AsArray())
        {
            foreach (var (key, file) in t!["files"]!.AsObject())
            {
                if (!key.StartsWith(prefix, StringComparison.Ordinal))
                {
                    continue;
                }

                string method = key[(key.LastIndexOf('_') + 1)..];
                string selection = key.Length > prefix.Length + method.Length ? key[prefix.Length..^(method.Length + 1)] : "";
                var bands = Bands(name, catalog, prefix == "sst_" ? "sst" : selection);
                var m = Method(method);
                var tile = await ReadAsync(ds, bands, (int)t["z"]!, (long)t["x"]!, (long)t["y"]!, m);
                if (t["pyramid_level"] is { } lvl && prefix != "native_")
                {
                    string level = ds.Levels[tile.LevelIndex].Path.Split('/')[^1];
                    if (level != (string)lvl!)
                    {
                        failures.Add($"{key} {t["z"]}/{t["x"]}/{t["y"]}: level {level}, expected {lvl}");
                    }
                }

                if (Compare(tile, TestData.Get("real", (string)file!["path"]!), m) is { } problem)
                {
                    failures.Add($"{file["path"]}: {problem}");
                }

                compared++;
            }
        }

        AssertNoFailures(failures, compared, 6);
    }

    private static BandSource[] Bands(string name, JsonNode catalog, string selection)
    {
        switch (name)
        {
            case "sst":
                var sel = catalog["selections"]![selection]!;
                return [new BandSource((string)sel["variable"]!, [0, 0])];
            case "wind":
                var ws = catalog["selections"]![selection]!;
                return [new BandSource((string)ws["variable"]!, [(long)ws["isel"]!["time"]!, (long)ws["isel"]!["level"]!])];
            case "lcc":
                return [new BandSource("prcp", [0])];
            case "landsat":
                return [new BandSource("L7_ETMs", [2]), new BandSource("L7_ETMs", [1]), new BandSource("L7_ETMs", [0])];
            default:
                return [new BandSource("rgb", [0]), new BandSource("rgb", [1]), new BandSource("rgb", [2])];
        }
    }
}

public class TileReaderBehaviourTests
{
    private static readonly CrsRegistry Crs = new();

    [Fact]
    public async Task Tile_outside_the_data_reads_nothing_and_timings_are_reported()
    {
        var zarr = await ZarrHierarchy.OpenAsync(new FileStore(TestData.Get("real", "wind", "uv.zarr")), new ZarrReaderOptions());
        var ds = await new GeoDatasetReader(Crs).OpenAsync(zarr, new GeoDatasetOptions { Id = "wind" });
        var reg = new TileMatrixSetRegistry(Crs);
        Assert.True(reg.TryGet("WebMercatorQuad", out var wm));
        var reader = new RasterReader(Crs, new ReaderOptions());
        var bands = new[] { new BandSource("u", [0, 0]) };

        using var scope = ReadDiagnostics.Begin(out var stats);
        var outside = await reader.ReadTileAsync(ds, bands, wm, wm.FindMatrix("8")!, 130, 85, 256, ResamplingMethod.Bilinear, CancellationToken.None);
        Assert.True(outside.IsEmpty);
        Assert.Equal(0, stats.StoreRequests);
        Assert.Equal(0, stats.ChunksDecoded);

        var inside = await reader.ReadTileAsync(ds, bands, wm, wm.FindMatrix("8")!, 132, 86, 512, ResamplingMethod.Nearest, CancellationToken.None);
        Assert.False(inside.IsEmpty);
        Assert.Equal(512, inside.Width);
        Assert.True(stats.ChunksDecoded > 0);
        Assert.NotNull(inside.Timings);
        Assert.True(inside.Timings!.ReadMs >= 0 && inside.Timings.PlanMs >= 0 && inside.Timings.ResampleMs >= 0);

        await Assert.ThrowsAsync<NotFoundException>(async () =>
            await reader.ReadTileAsync(ds, [new BandSource("nope", [])], wm, wm.FindMatrix("8")!, 132, 86, 256, ResamplingMethod.Nearest, CancellationToken.None));
    }

    [Fact]
    public void Registry_with_the_crs_library_loads_the_common_sets()
    {
        var reg = new TileMatrixSetRegistry(Crs);
        foreach (var id in new[] { "WebMercatorQuad", "WorldCRS84Quad", "WGS1984Quad", "WorldMercatorWGS84Quad", "EuropeanETRS89_LAEAQuad", "UTM01WGS84Quad", "UTM33WGS84Quad", "UTM60WGS84Quad" })
        {
            Assert.True(reg.TryGet(id, out _), id + " missing; skipped: " + string.Join("; ", reg.Skipped.Select(kv => kv.Key + ": " + kv.Value)));
        }

        Assert.True(reg.TryGet("WGS1984Quad", out var wgs));
        Assert.True(wgs.NorthingFirst);
        Assert.True(reg.TryGet("EuropeanETRS89_LAEAQuad", out var laea));
        Assertions.Extent(new Extent(2_000_000, 1_000_000, 6_500_000, 5_500_000), laea.TileBounds(laea.FindMatrix("0")!, 0, 0), 1e-6);
        Assert.All(reg.Skipped, kv => Assert.Contains("CRS", kv.Value, StringComparison.Ordinal));
        Assert.Equal(70, reg.All.Count + reg.Skipped.Count);
    }
}
