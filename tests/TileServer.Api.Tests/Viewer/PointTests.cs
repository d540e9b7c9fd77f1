using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Viewer;

/// <summary>
/// <c>/datasets/{id}/point</c> against the point samples the data's makers wrote (pyproj/xarray/numpy, independent
/// of this code): ref/points.json of the real-world samples and expected.json of the GeoZarr fixtures.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class PointTests
{
    private readonly ServerFixture _server;

    public PointTests(ServerFixture server)
    {
        _server = server;
    }

    private static JsonObject Load(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    private static string Num(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private async Task<JsonArray> ValuesAsync(string dataset, double lon, double lat, string extra = "")
    {
        var json = await HttpAssert.JsonAsync(await _server.Client.GetAsync($"/datasets/{dataset}/point?lon={Num(lon)}&lat={Num(lat)}{extra}"));
        Assert.Equal(lon, (double)json["lon"]!);
        Assert.Equal(lat, (double)json["lat"]!);
        return json["values"]!.AsArray();
    }

    /// <summary>xarray writes times as "1981-12-31T00:00:00.000000000"; we answer ISO 8601 UTC "1981-12-31T00:00:00Z".</summary>
    private static string Iso(string xarrayTime)
        => DateTime.Parse(xarrayTime[..19], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static void AssertValue(JsonNode? expected, JsonNode? actual, string label)
    {
        if (expected is null)
        {
            Assert.True(actual is null, $"{label}: expected null (nodata), got {actual?.ToJsonString()}");
        }
        else
        {
            Assert.True(actual is not null, $"{label}: expected {expected}, got null");
            double e = (double)expected, a = (double)actual;
            Assert.True(Math.Abs(e - a) <= 1e-5 * Math.Max(1, Math.Abs(e)), $"{label}: expected {e}, got {a}");
        }
    }

    private static JsonNode? Find(JsonArray values, string variable, params (string Dim, string Value)[] dims)
    {
        var match = values.Select(v => v!.AsObject()).Where(v => (string)v["variable"]! == variable
            && dims.All(d => v["dims"]![d.Dim]?.ToJsonString().Trim('"') == d.Value)).ToList();
        Assert.True(match.Count == 1, $"expected one entry for {variable} {string.Join(",", dims)}, found {match.Count} in {values.ToJsonString()}");
        return match[0]["value"];
    }

    [Fact]
    public async Task Sst_points_match_the_xarray_samples_including_wrapped_longitudes_and_fill()
    {
        var points = Load(Paths.RealData("sst", "ref", "points.json"))["points"]!.AsArray();
        foreach (var p in points)
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            var values = await ValuesAsync("sst-ref", lon, lat);
            // Every variable (sst, anom, err, ice) × time (1) × zlev (1).
            Assert.Equal(4, values.Count);
            foreach (var s in p["values"]!.AsArray())
            {
                var coords = s!["coords"]!;
                var actual = Find(values, (string)s["variable"]!, ("time", Iso((string)coords["time"]!)), ("zlev", "0"));
                AssertValue(s["decoded"], actual, $"sst-ref {lon},{lat} {s["variable"]}");
            }
        }
    }

    [Fact]
    public async Task Wind_points_cover_every_time_and_level_and_match_the_samples()
    {
        var points = Load(Paths.RealData("wind", "ref", "points.json"))["points"]!.AsArray();
        foreach (var p in points)
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            var values = await ValuesAsync("wind", lon, lat);
            Assert.Equal(2 * 10 * 2, values.Count); // u, v × 10 times × 2 levels
            foreach (var s in p["values"]!.AsArray())
            {
                var coords = s!["coords"]!;
                var actual = Find(values, (string)s["variable"]!, ("time", Iso((string)coords["time"]!)), ("level", (string)coords["level"]!));
                AssertValue(s["decoded"], actual, $"wind {lon},{lat} {s["variable"]} {coords.ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Sel_and_variable_narrow_the_entries()
    {
        var sample = Load(Paths.RealData("wind", "ref", "points.json"))["points"]![0]!["values"]![1]!;
        var coords = sample["coords"]!;
        var values = await ValuesAsync("wind", 5.0, 52.0, $"&variable=u&sel=time={Iso((string)coords["time"]!)}&sel=level={(string)coords["level"]!}");
        Assert.Single(values);
        AssertValue(sample["decoded"], values[0]!["value"], "wind u with sel");
    }

    [Fact]
    public async Task Landsat_points_give_all_six_bands_of_the_finest_level()
    {
        var points = Load(Paths.RealData("landsat", "ref", "points.json"))["points"]!.AsArray();
        foreach (var p in points)
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            var values = await ValuesAsync("landsat", lon, lat);
            var expected = p["levels"]!["0"]!["bands_1_to_6"]!.AsArray();
            Assert.Equal(6, values.Count);
            for (int b = 0; b < 6; b++)
            {
                AssertValue(expected[b], Find(values, "L7_ETMs", ("band", (b + 1).ToString(CultureInfo.InvariantCulture))), $"landsat {lon},{lat} band {b + 1}");
            }
        }
    }

    [Fact]
    public async Task Blue_marble_points_match_native_and_the_finest_pyramid_level()
    {
        var points = Load(Paths.RealData("blue-marble", "ref", "points.json"))["points"]!.AsArray();
        foreach (var p in points)
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            var native = await ValuesAsync("bluemarble-native", lon, lat);
            var pyramid = await ValuesAsync("demo", lon, lat);
            var nativeRgb = p["native"]!["rgb"]!.AsArray();
            // The pyramid has no cell above ±85.05° (WebMercatorQuad): then the finest level "3" has no sample.
            var finest = p["pyramid"]?["3"];
            for (int b = 0; b < 3; b++)
            {
                string band = (b + 1).ToString(CultureInfo.InvariantCulture);
                AssertValue(nativeRgb[b], Find(native, "rgb", ("band", band)), $"native {lon},{lat} band {band}");
                AssertValue(finest?["rgb"]?[b], Find(pyramid, "rgb", ("band", band)), $"pyramid {lon},{lat} band {band}");
            }
        }
    }

    [Fact]
    public async Task Lcc_points_in_kilometre_units_match_and_outside_is_null()
    {
        var points = Load(Paths.RealData("lcc", "ref", "points.json"))["points"]!.AsArray();
        foreach (var p in points)
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            var values = await ValuesAsync("lcc", lon, lat, "&variable=prcp");
            Assert.Single(values);
            AssertValue(p["value"], values[0]!["value"], $"lcc {lon},{lat}");
        }
    }

    [Theory]
    [InlineData("global4326", "global-4326")]
    [InlineData("global4326-v3", "global-4326")]
    public async Task Global_fixture_samples_match_with_a_time_selection(string dataset, string fixture)
    {
        var samples = Load(Paths.GeoZarr(fixture, "expected.json"))["samples"]!.AsArray();
        foreach (var s in samples)
        {
            double lon = (double)s!["lon"]!, lat = (double)s["lat"]!;
            var values = await ValuesAsync(dataset, lon, lat, $"&variable=tas&sel=time={(string)s["time"]!}");
            Assert.Single(values);
            Assert.StartsWith((string)s["time"]!, (string)values[0]!["dims"]!["time"]!, StringComparison.Ordinal);
            AssertValue(s["value"], values[0]!["value"], $"{dataset} {lon},{lat} {s["time"]}");
        }
    }

    /// <summary>
    /// A sample exactly on a cell edge (the UTM fixture has some, by construction) is ill-conditioned: lon/lat
    /// were computed from the edge coordinate, and 1e-9 m of difference between PROJ and our projection picks the
    /// neighbour. Such samples are left out; all others must match.
    /// </summary>
    private static bool OnCellEdge(JsonNode sample, string fixture)
    {
        if (fixture != "utm-native-pyramid")
        {
            return false;
        }

        double x = (double)sample["x_32633"]!, y = (double)sample["y_32633"]!;
        static bool Edge(double d) => Math.Abs(d - Math.Round(d)) < 1e-6;
        return Edge((x - 399960.0) / 100.0) || Edge((5300040.0 - y) / 100.0);
    }

    [Theory]
    [InlineData("utm", "utm-native-pyramid", "r100m")]
    [InlineData("utm-v3", "utm-native-pyramid", "r100m")]
    [InlineData("wmpyramid", "webmercator-pyramid", "3")]
    [InlineData("wmpyramid-nd", "webmercator-pyramid", "3")]
    public async Task Pyramid_fixture_samples_match_the_finest_level(string dataset, string fixture, string finestLevel)
    {
        var samples = Load(Paths.GeoZarr(fixture, "expected.json"))["samples"]!.AsArray()
            .Where(s => (string)s!["level"]! == finestLevel && !OnCellEdge(s, fixture)).ToList();
        Assert.True(samples.Count >= 3, $"{samples.Count} samples left");
        foreach (var s in samples)
        {
            double lon = (double)s!["lon"]!, lat = (double)s["lat"]!;
            var values = await ValuesAsync(dataset, lon, lat);
            Assert.Single(values);
            AssertValue(s["value"], values[0]!["value"], $"{dataset} {lon},{lat}");
        }
    }

    [Fact]
    public async Task A_point_outside_the_data_is_200_with_null_values()
    {
        var values = await ValuesAsync("landsat", 0, 0);
        Assert.Equal(6, values.Count);
        Assert.All(values, v => Assert.Null(v!["value"]));
    }

    [Theory]
    [InlineData("lon=abc&lat=10", "lon")]
    [InlineData("lon=10&lat=north", "lat")]
    [InlineData("lat=10", "lon")]
    [InlineData("lon=10", "lat")]
    [InlineData("lon=10&lat=91", "lat")]
    [InlineData("lon=NaN&lat=10", "lon")]
    [InlineData("lon=10&lat=10&lat=11", "lat")]
    public async Task Malformed_lon_or_lat_is_400_naming_it(string query, string parameter)
    {
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/sst/point?" + query), HttpStatusCode.BadRequest);
        Assert.Equal(parameter, (string?)problem["parameter"]);
        Assert.Contains(parameter, (string?)problem["detail"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_variable_dataset_and_dimension_are_clear_problems()
    {
        await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/sst/point?lon=1&lat=1&variable=nope"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/nope/point?lon=1&lat=1"), HttpStatusCode.NotFound);
        var problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/wind/point?lon=5&lat=52&sel=depth=1"), HttpStatusCode.BadRequest);
        Assert.Equal("sel", (string?)problem["parameter"]);
        problem = await HttpAssert.ProblemAsync(await _server.Client.GetAsync("/datasets/wind/point?lon=5&lat=52&sel=time=1999-01-01"), HttpStatusCode.BadRequest);
        Assert.Equal("sel", (string?)problem["parameter"]);
    }
}
