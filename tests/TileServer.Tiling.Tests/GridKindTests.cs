using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading.Selection;

namespace TileServer.Tiling.Tests;

/// <summary>
/// Tiles of every grid kind against references computed without this code (tests/data/grids, make_grids.py): numpy
/// cell lookup on the cell bounds for the irregular grids (Gaussian latitudes; a grid stretched on both axes), scipy's
/// KD-tree nearest centre for the curvilinear grid (bilinear: scipy griddata), gdalwarp with PROJ's ob_tran for the
/// rotated pole. Same criteria as <see cref="EndToEndTests"/>. Points: the value zarr-python reads in the cell that
/// holds the place (null outside the grid or on nodata).
/// </summary>
public class GridKindTests
{
    public static TheoryData<string, GridKind> Fixtures => new()
    {
        { "gaussian", GridKind.Irregular },
        { "stretched", GridKind.Irregular },
        { "curvilinear", GridKind.Curvilinear },
        { "rotated-pole", GridKind.Regular },
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Tiles_of_each_grid_kind_match_independent_references(string name, GridKind kind)
    {
        var dir = TestData.Get("grids", name);
        var e = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")))!;
        var ds = await EndToEndTests.OpenAsync(Path.Combine(dir, (string)e["store"]!));
        Assert.All(ds.Levels, l => Assert.Equal(kind, l.Grid.Kind));
        string variable = (string)e["variable"]!;
        var bands = new[] { new BandSource(variable, ds.FindVariable(variable)!.OtherDimensions.Any() ? [0] : []) };
        var failures = new List<string>();
        int compared = 0;
        foreach (var t in e["ref_tiles"]!.AsArray())
        {
            var method = EndToEndTests.Method((string)t!["method"]!);
            var tile = await EndToEndTests.ReadAsync(ds, bands, (int)t["z"]!, (long)t["x"]!, (long)t["y"]!, method);
            string file = (string)t["file"]!;
            if ((string)t["level"]! is { Length: > 0 } level && ds.Levels[tile.LevelIndex].Path != level)
            {
                failures.Add($"{file}: level {ds.Levels[tile.LevelIndex].Path}, expected {level}");
            }

            if (EndToEndTests.Compare(tile, Path.Combine(dir, file), method) is { } problem)
            {
                failures.Add($"{file}: {problem}");
            }

            compared++;
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(compared >= 6, $"only {compared} reference tiles compared");
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task A_point_reads_the_value_of_the_cell_holding_it(string name, GridKind kind)
    {
        var dir = TestData.Get("grids", name);
        var e = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "expected.json")))!;
        var ds = await EndToEndTests.OpenAsync(Path.Combine(dir, (string)e["store"]!));
        var variable = ds.FindVariable((string)e["variable"]!)!;
        Assert.Equal(kind, variable.Grid.Kind);
        var crs = new CrsRegistry();
        var failures = new List<string>();
        var points = e["points"]!.AsArray();
        var one = new float[1];
        foreach (var p in points)
        {
            double lon = (double)p!["lon"]!, lat = (double)p["lat"]!;
            long time = p["time_index"] is { } t ? (long)t : 0;
            double? expected = p["value"] is { } v ? (double)v : null;
            var cell = PointSampler.CellAtLonLat(variable.Grid, lon, lat, crs);
            double? actual = null;
            if (cell is { } c)
            {
                long[] others = variable.OtherDimensions.Any() ? [time] : [];
                await variable.ReadPlaneAsync(others, new PixelWindow(c.Row, c.Col, 1, 1), one);
                actual = float.IsFinite(one[0]) ? one[0] : null;
            }

            bool cellOk = p["row"] is not { } row || cell is { } found && found.Row == (long)row && found.Col == (long)p["col"]!;
            if (!cellOk || actual != expected)
            {
                failures.Add($"({lon}, {lat}) t={time} ({p["where"]}): cell {cell?.ToString() ?? "none"}, value {actual?.ToString() ?? "none"}; expected row {p["row"]?.ToJsonString()}, col {p["col"]?.ToJsonString()}, value {expected?.ToString() ?? "none"}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(points.Count >= 8, $"only {points.Count} points");
        Assert.Contains(points, p => p!["value"] is null);
    }
}
