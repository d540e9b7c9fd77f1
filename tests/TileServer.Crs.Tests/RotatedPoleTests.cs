using System.Text.Json.Nodes;
using TileServer.Crs;
using Xunit;

namespace TileServer.Crs.Tests;

/// <summary>
/// The CF <c>rotated_latitude_longitude</c> CRS against PROJ's <c>ob_tran</c> (rotated_pole_reference.json, made by
/// make_rotated_pole_reference.py with pyproj), given as CF attributes and as the WKT2 pyproj writes. Tolerance 1e-8°.
/// </summary>
public sealed class RotatedPoleTests
{
    private const double ToleranceDegrees = 1e-8;

    private static readonly Lazy<JsonArray> Reference = new(() =>
        JsonNode.Parse(File.ReadAllText(TestPaths.Repo("tests", "TileServer.Crs.Tests", "rotated_pole_reference.json")))!["cases"]!.AsArray());

    private readonly CrsRegistry _registry = new();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in Reference.Value)
        {
            data.Add((string)c!["name"]!, "cf");
            data.Add((string)c["name"]!, "wkt2");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rotated_coordinates_match_proj_ob_tran(string caseName, string form)
    {
        var c = Reference.Value.Single(n => (string)n!["name"]! == caseName)!;
        var rotated = form == "cf" ? _registry.FromCfGridMapping(c["cf"]!.AsObject())! : _registry.FromWkt((string)c["wkt2"]!);
        Assert.False(rotated.IsGeographic);
        var wgs84 = _registry.FromCode("EPSG:4326");
        var points = c["points"]!.AsArray().Select(p => p!.AsArray().Select(v => (double)v!).ToArray()).ToArray();

        var x = points.Select(p => p[0]).ToArray();
        var y = points.Select(p => p[1]).ToArray();
        _registry.CreateTransform(wgs84, rotated).Transform(x, y);
        for (int i = 0; i < points.Length; i++)
        {
            Assert.True(LonDiff(x[i], points[i][2]) <= ToleranceDegrees && Math.Abs(y[i] - points[i][3]) <= ToleranceDegrees,
                $"{caseName}/{form}: ({points[i][0]}, {points[i][1]}) -> ({x[i]}, {y[i]}), ob_tran ({points[i][2]}, {points[i][3]})");
        }

        var lon = points.Select(p => p[2]).ToArray();
        var lat = points.Select(p => p[3]).ToArray();
        _registry.CreateTransform(rotated, wgs84).Transform(lon, lat);
        for (int i = 0; i < points.Length; i++)
        {
            Assert.True(LonDiff(lon[i], points[i][0]) <= ToleranceDegrees && Math.Abs(lat[i] - points[i][1]) <= ToleranceDegrees,
                $"{caseName}/{form}: back ({points[i][2]}, {points[i][3]}) -> ({lon[i]}, {lat[i]}), expected ({points[i][0]}, {points[i][1]})");
        }
    }

    [Fact]
    public void A_rotated_pole_without_its_pole_longitude_is_refused_naming_the_attribute()
    {
        var cf = new JsonObject { ["grid_mapping_name"] = "rotated_latitude_longitude", ["grid_north_pole_latitude"] = 39.25 };
        var e = Assert.Throws<CrsException>(() => _registry.FromCfGridMapping(cf));
        Assert.Contains("grid_north_pole_longitude", e.Message, StringComparison.Ordinal);
    }

    private static double LonDiff(double a, double b) => Math.Abs(((a - b + 540) % 360) - 180);
}
