using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.Storage;
using TileServer.Zarr;
using Xunit;

namespace TileServer.GeoZarr.Tests.Datasets;

/// <summary>
/// Attributes a dataset reader meets that no dataset should hold: impossible reference dates, time values beyond any
/// calendar, unusable spatial transforms and grids without cells. Each gives a clear answer (plain numbers, "NaT",
/// or a <see cref="GeoDatasetException"/> naming the variable), never an exception of arithmetic or a hang.
/// </summary>
public sealed class HostileAttributeTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "geozarr-hostile-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Theory]
    [InlineData("days since 2000-13-01")]
    [InlineData("days since 2000-00-10")]
    [InlineData("days since 2001-02-29")]
    [InlineData("hours since 2000-01-01 25:00")]
    public void Time_units_whose_reference_is_no_date_are_not_time(string units) => Assert.Null(CfTime.TryCreate(units, "standard"));

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(1e300)]
    [InlineData(-9.2233720368547758e18)]
    public void Time_values_beyond_any_calendar_label_as_NaT(double offset)
    {
        var time = CfTime.TryCreate("days since 2000-01-01", "standard")!;
        Assert.Equal("NaT", time.ToIso(offset));
    }

    [Fact]
    public void Time_values_near_the_edge_of_the_labelled_range_still_label()
        => Assert.Equal("9999-12-31T00:00:00Z", CfTime.TryCreate("days since 0001-01-01", "standard")!.ToIso(3652058));

    /// <summary>A v3 group with one 4 x 6 float32 variable and the given root attributes; no chunks (all fill).</summary>
    private async Task<Exception?> OpenAsync(JsonObject rootAttributes, int[] shape)
    {
        Directory.CreateDirectory(Path.Combine(_root, "v"));
        var root = new JsonObject { ["zarr_format"] = 3, ["node_type"] = "group", ["attributes"] = rootAttributes };
        var array = JsonNode.Parse($$$"""
            {"zarr_format": 3, "node_type": "array", "shape": [{{{shape[0]}}}, {{{shape[1]}}}], "data_type": "float32",
             "chunk_grid": {"name": "regular", "configuration": {"chunk_shape": [4, 6]}}, "fill_value": "NaN",
             "codecs": [{"name": "bytes", "configuration": {"endian": "little"}}], "dimension_names": ["y", "x"], "attributes": {}}
            """)!;
        await File.WriteAllTextAsync(Path.Combine(_root, "zarr.json"), root.ToJsonString());
        await File.WriteAllTextAsync(Path.Combine(_root, "v", "zarr.json"), array.ToJsonString());
        return await Record.ExceptionAsync(async () =>
        {
            var zarr = await ZarrHierarchy.OpenAsync(new FileStore(_root), new ZarrReaderOptions());
            await new GeoDatasetReader(new CrsRegistry()).OpenAsync(zarr, new GeoDatasetOptions { Id = "h", Variables = ["v"] });
        });
    }

    [Theory]
    [InlineData("[\"1e400\", 0, 0, 0, -1, 0]", "not finite")]
    [InlineData("[1, 0, 0, 0, 0, 0]", "its cells have no area")]
    [InlineData("[1, 2, 0, 0.5, 1, 0]", "its cells have no area")]
    public async Task Spatial_transforms_that_cannot_place_a_pixel_fail_the_open(string transform, string expected)
    {
        var attrs = new JsonObject { ["proj:code"] = "EPSG:4326", ["spatial:transform"] = JsonNode.Parse(transform) };
        var ex = await OpenAsync(attrs, [4, 6]);
        var geo = Assert.IsType<GeoDatasetException>(ex);
        Assert.Contains("'v': spatial:transform", geo.Message, StringComparison.Ordinal);
        Assert.Contains(expected, geo.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Multiscales_that_name_no_levels_fail_the_open()
    {
        var attrs = JsonNode.Parse("""{"multiscales": {"tile_matrix_set": "WebMercatorQuad", "tile_matrix_limits": {}}}""")!.AsObject();
        var ex = await OpenAsync(attrs, [4, 6]);
        Assert.Contains("names no levels", Assert.IsType<GeoDatasetException>(ex).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_grid_without_cells_fails_the_open()
    {
        var attrs = new JsonObject { ["proj:code"] = "EPSG:4326", ["spatial:transform"] = JsonNode.Parse("[1, 0, 0, 0, -1, 0]") };
        var ex = await OpenAsync(attrs, [0, 6]);
        Assert.Contains("'v' has 0 cells along 'y'", Assert.IsType<GeoDatasetException>(ex).Message, StringComparison.Ordinal);
    }
}
