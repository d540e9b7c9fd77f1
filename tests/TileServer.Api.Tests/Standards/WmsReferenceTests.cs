using System.Globalization;
using System.Text.Json;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Standards;

/// <summary>
/// GetMap's decoded values (<c>FORMAT=application/x-npy</c>) against maps GDAL 3.6.2 warped from the same numbers
/// (<c>tests/data/wms</c>, gdalwarp -et 0) and against the stored arrays as zarr-python decodes them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class WmsReferenceTests
{
    private readonly ServerFixture _server;

    public WmsReferenceTests(ServerFixture server)
    {
        _server = server;
    }

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        using var doc = JsonDocument.Parse(File.ReadAllText(Paths.TestData("wms", "catalog.json")));
        foreach (var c in doc.RootElement.GetProperty("cases").EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }

        return data;
    }

    private static JsonElement Case(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Paths.TestData("wms", "catalog.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name).Clone();
    }

    private async Task<(int[] Shape, float[] Values)> GetMapAsync(string url)
    {
        var response = await _server.Client.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal("application/x-npy", response.Content.Headers.ContentType?.MediaType);
        return Npy.ReadFloat32(await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GetMap_values_match_gdalwarp_or_the_stored_array(string name)
    {
        var c = Case(name);
        string bbox = string.Join(",", c.GetProperty("bbox").EnumerateArray().Select(v => v.GetDouble().ToString("R", CultureInfo.InvariantCulture)));
        int width = c.GetProperty("width").GetInt32(), height = c.GetProperty("height").GetInt32();
        string method = c.GetProperty("method").GetString()!;
        string extra = c.GetProperty("query").GetString()!;
        string url = $"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS={c.GetProperty("layer").GetString()}&STYLES=&CRS={c.GetProperty("crs").GetString()}" +
                     $"&BBOX={bbox}&WIDTH={width}&HEIGHT={height}&FORMAT=application/x-npy" + (extra.Length > 0 ? "&" + extra : "");
        var (shape, ours) = await GetMapAsync(url);
        var (refShape, reference) = Npy.ReadFloat32(Paths.TestData("wms", c.GetProperty("file").GetString()!));
        Assert.Equal([height, width], refShape);
        Assert.Equal([1, height, width], shape);
        if (method == "native")
        {
            // The data's own grid, cell for cell: every value and every nodata position as stored.
            Assert.Equal(reference.Length, ours.Length);
            int differ = Enumerable.Range(0, ours.Length).Count(i => !(float.IsNaN(ours[i]) ? float.IsNaN(reference[i]) : ours[i] == reference[i]));
            Assert.True(differ == 0, $"{url}: {differ} of {ours.Length} values differ from the stored array");
            return;
        }

        var result = ReferenceComparison.Compare(ours, reference, 1, width, height);
        Assert.True(result.Valid > 1000, $"{name}: the reference has data ({result})");
        ReferenceComparison.AssertMatches(url, method, result);
    }

    [Theory]
    [InlineData("u_t0_l0", "TIME=2017-08-20T01:00:00Z&ELEVATION=825", "u")]
    [InlineData("u_t9_l1", "TIME=2017-08-20T10:00:00Z&ELEVATION=850", "u")]
    [InlineData("v_t5_l1", "time=2017-08-20T06:00:00Z&elevation=850", "v")]
    public async Task A_web_mercator_getmap_on_a_tiles_bounds_equals_its_gdalwarp_tile_with_time_and_elevation(string key, string dimensions, string variable)
    {
        // The wind sample's reference tiles (tests/data/real/wind/ref, gdalwarp -et 0) are maps in EPSG:3857: the
        // same area asked for through WMS, with the dimensions as TIME and ELEVATION, must give the same values.
        using var doc = JsonDocument.Parse(File.ReadAllText(Paths.RealData("wind", "ref", "catalog.json")));
        int compared = 0;
        foreach (var tile in doc.RootElement.GetProperty("tiles").EnumerateArray())
        {
            if (!tile.GetProperty("files").TryGetProperty(key + "_near", out var file))
            {
                continue;
            }

            var b = tile.GetProperty("bounds_3857").EnumerateArray().Select(v => v.GetDouble().ToString("R", CultureInfo.InvariantCulture)).ToArray();
            string url = $"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=wind.{variable}&STYLES=&CRS=EPSG:3857&BBOX={string.Join(",", b)}&WIDTH=256&HEIGHT=256&FORMAT=application/x-npy&{dimensions}";
            var (_, ours) = await GetMapAsync(url);
            var (_, reference) = Npy.ReadFloat32(Paths.RealData(file.GetProperty("path").GetString()!));
            ReferenceComparison.AssertMatches(url, "near", ReferenceComparison.Compare(ours, reference, 1, 256, 256));
            compared++;
        }

        Assert.True(compared > 0, $"no wind reference tile holds {key}");
    }

    [Fact]
    public async Task Dim_parameters_select_other_dimensions_as_the_gdalwarp_reference_bands_show()
    {
        // The Landsat reference tiles (tests/data/real/landsat/ref, gdalwarp -et 0) hold bands 3, 2, 1 in that order;
        // the layer of the store without default bands has a 'band' dimension, asked for with DIM_BAND.
        using var doc = JsonDocument.Parse(File.ReadAllText(Paths.RealData("landsat", "ref", "catalog.json")));
        var tile = doc.RootElement.GetProperty("tiles").EnumerateArray().First();
        var b = tile.GetProperty("bounds_3857").EnumerateArray().Select(v => v.GetDouble().ToString("R", CultureInfo.InvariantCulture)).ToArray();
        string path = tile.GetProperty("files").EnumerateObject().Single(f => f.Name == "near").Value.GetProperty("path").GetString()!;
        var (_, reference) = Npy.ReadFloat32(Paths.RealData(path));
        const int plane = 256 * 256;
        foreach (var (band, index) in new[] { (3, 0), (2, 1), (1, 2) })
        {
            string url = $"/wms?SERVICE=WMS&VERSION=1.3.0&REQUEST=GetMap&LAYERS=landsat-bands.L7_ETMs&STYLES=&CRS=EPSG:3857&BBOX={string.Join(",", b)}" +
                         $"&WIDTH=256&HEIGHT=256&FORMAT=application/x-npy&DIM_BAND={band}";
            var (_, ours) = await GetMapAsync(url);
            var result = ReferenceComparison.Compare(ours, reference.AsSpan(index * plane, plane).ToArray(), 1, 256, 256);
            Assert.True(result.Valid > 1000, $"{url}: {result}");
            ReferenceComparison.AssertMatches(url, "near", result);
        }
    }
}
