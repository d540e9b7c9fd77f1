using TileServer.Crs;
using Xunit;

namespace TileServer.Crs.Tests;

/// <summary>CRSs of the OGC TileMatrixSets beyond the common ones (UPS, Canada Atlas Lambert); references from pyproj 3.4.1 (PROJ 9.1).</summary>
public sealed class TileMatrixSetCrsTests
{
    [Theory]
    [InlineData("EPSG:5041", 0, 80, 2000000.0, 887048.8630450945)]
    [InlineData("EPSG:5041", 45, 70, 3585609.011733939, 414390.9882660608)]
    [InlineData("EPSG:5041", -120, 85, 1518959.7883427655, 2277728.6956913387)]
    [InlineData("EPSG:5042", 0, -80, 2000000.0, 3112951.1369549055)]
    [InlineData("EPSG:5042", 100, -70, 4208322.829801361, 1610613.1029915528)]
    [InlineData("EPSG:5042", -60, -88, 1807682.371707804, 2111034.6344644097)]
    [InlineData("EPSG:3978", -95, 49, 0.0, 0.0)]
    [InlineData("EPSG:3978", -75, 45, 1578125.614677189, -198241.987812706)]
    [InlineData("EPSG:3978", -120, 60, -1321312.2940963947, 1467353.0307948114)]
    public void Lon_lat_project_as_pyproj_does(string code, double lon, double lat, double x, double y)
    {
        var crs = new CrsRegistry();
        var t = crs.CreateTransform(crs.FromCode("EPSG:4326"), crs.FromCode(code));
        double[] xs = [lon], ys = [lat];
        t.Transform(xs, ys);
        Assert.Equal(x, xs[0], 0.01);
        Assert.Equal(y, ys[0], 0.01);
        var back = crs.CreateTransform(crs.FromCode(code), crs.FromCode("EPSG:4326"));
        back.Transform(xs, ys);
        Assert.Equal(lon, xs[0], 1e-8);
        Assert.Equal(lat, ys[0], 1e-8);
    }
}
