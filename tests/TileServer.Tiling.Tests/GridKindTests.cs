using System.Text.Json.Nodes;
using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Reading.Selection;

namespace TileServer.Tiling.Tests;

/// <summary>
/// Tiles of every grid kind against references computed without this code (tests/data/grids, make_grids.py): numpy
/// cell lookup on the cell bounds for the irregular grids (Gaussian latitudes; a grid stretched on both axes), scipy's
/// KD-tree nearest centre for the curvilinear grid (bilinear: scipy griddata), gdalwarp with PROJ's ob_tran for the
/// rotated pole. Same criteria as <see cref="EndToEndTests"/>.
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
}
