using System.Text.Json.Nodes;
using TileServer.Crs;
using Xunit;

namespace TileServer.Crs.Tests;

/// <summary>
/// Forward and inverse transforms against pyproj numbers (crs_reference.json, made by make_crs_reference.py), with the
/// CRS given in each way producers write it: code, WKT1, WKT2, PROJJSON, CF grid-mapping parameters.
/// Tolerances: 1 cm projected (scaled by the unit), 1e-8° geographic.
/// </summary>
public sealed class CrsReferenceTransformTests
{
    private const double ProjectedToleranceMetres = 0.01;
    private const double GeographicToleranceDegrees = 1e-8;

    private readonly CrsRegistry _registry = new();

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var c in CrsTestPaths.ReferenceCases)
        {
            string name = (string)c["name"]!;
            if (name.StartsWith("EPSG:", StringComparison.Ordinal))
            {
                data.Add(name, "code");
            }

            data.Add(name, "wkt1");
            data.Add(name, "wkt2");
            data.Add(name, "projjson");
            if (c["cf"]!.AsObject().Count > 0)
            {
                data.Add(name, "cf");
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Forward_and_inverse_match_pyproj(string caseName, string form)
    {
        var c = CrsTestPaths.ReferenceCase(caseName);
        double mpu = (double)c["metres_per_unit"]!;
        var target = form switch
        {
            "code" => _registry.FromCode((string)c["code"]!),
            "wkt1" => _registry.FromWkt((string)c["wkt1"]!),
            "wkt2" => _registry.FromWkt((string)c["wkt2"]!),
            "projjson" => _registry.FromProjJson(c["projjson"]!),
            "cf" => _registry.FromCfGridMapping(c["cf"]!.AsObject(), mpu)!,
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        Assert.False(target.IsGeographic);
        Assert.Equal(mpu, target.MetersPerUnit, 9);

        var source = _registry.FromWkt((string)c["geodetic_wkt1"]!);
        var points = c["points_lon_lat_x_y"]!.AsArray();
        int n = points.Count;
        var lon = new double[n];
        var lat = new double[n];
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            var p = points[i]!.AsArray();
            lon[i] = (double)p[0]!;
            lat[i] = (double)p[1]!;
            x[i] = (double)p[2]!;
            y[i] = (double)p[3]!;
        }

        var fx = (double[])lon.Clone();
        var fy = (double[])lat.Clone();
        _registry.CreateTransform(source, target).Transform(fx, fy);
        double tol = ProjectedToleranceMetres / mpu;
        for (int i = 0; i < n; i++)
        {
            Assert.True(Math.Abs(fx[i] - x[i]) <= tol && Math.Abs(fy[i] - y[i]) <= tol,
                $"{caseName}/{form}: ({lon[i]}, {lat[i]}) -> ({fx[i]}, {fy[i]}), pyproj ({x[i]}, {y[i]})");
        }

        var ix = (double[])x.Clone();
        var iy = (double[])y.Clone();
        _registry.CreateTransform(target, source).Transform(ix, iy);
        for (int i = 0; i < n; i++)
        {
            bool pole = Math.Abs(Math.Abs(lat[i]) - (source.MetersPerUnit < 1e5 ? 100 : 90)) < 1e-9;
            double dLon = Math.Abs(ix[i] - lon[i]);
            Assert.True((pole || dLon <= GeographicToleranceDegrees) && Math.Abs(iy[i] - lat[i]) <= GeographicToleranceDegrees,
                $"{caseName}/{form}: ({x[i]}, {y[i]}) -> ({ix[i]}, {iy[i]}), expected ({lon[i]}, {lat[i]})");
        }
    }

    /// <summary>The cases written as a full definition (code, WKT, PROJJSON); CF grid-mapping parameters name no authority.</summary>
    public static TheoryData<string, string> DefinitionCases()
    {
        var data = new TheoryData<string, string>();
        foreach (var row in Cases())
        {
            if ((string)row[1] != "cf")
            {
                data.Add((string)row[0], (string)row[1]);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DefinitionCases))]
    public void Recognises_the_code_when_the_definition_is_standard(string caseName, string form)
    {
        var c = CrsTestPaths.ReferenceCase(caseName);
        string? code = (string?)c["code"];
        var crs = form switch
        {
            "code" => _registry.FromCode(code!),
            "wkt1" => _registry.FromWkt((string)c["wkt1"]!),
            "wkt2" => _registry.FromWkt((string)c["wkt2"]!),
            "projjson" => _registry.FromProjJson(c["projjson"]!),
            _ => throw new ArgumentOutOfRangeException(nameof(form)),
        };
        Assert.Equal(code, crs.Code);
    }
}
