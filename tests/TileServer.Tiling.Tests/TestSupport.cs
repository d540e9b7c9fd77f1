using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using TileServer.Crs;
using TileServer.GeoZarr;

namespace TileServer.Tiling.Tests;

/// <summary>Hand-built CRS descriptions (no CRS library) so the tile math can be tested on its own.</summary>
internal static class TestCrs
{
    public static readonly CrsInfo Wgs84 = new("EPSG:4326", "GEOGCS[\"WGS 84\"]", isGeographic: true, ScaleMath.MetersPerDegree, authorityAxisOrderIsNorthEast: true);
    public static readonly CrsInfo Crs84 = new("OGC:CRS84", "GEOGCS[\"WGS 84\"]", isGeographic: true, ScaleMath.MetersPerDegree, authorityAxisOrderIsNorthEast: false);
    public static readonly CrsInfo WebMercator = new("EPSG:3857", "PROJCS[\"WGS 84 / Pseudo-Mercator\"]", isGeographic: false, 1.0, authorityAxisOrderIsNorthEast: false);

    public static CrsInfo Resolve(JsonNode node)
    {
        string uri = node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node["uri"]!.GetValue<string>();
        string code = uri.Contains("CRS84", StringComparison.Ordinal) ? "OGC:CRS84" : "EPSG:" + uri[(uri.LastIndexOf('/') + 1)..];
        return code switch
        {
            "EPSG:4326" => Wgs84,
            "OGC:CRS84" => Crs84,
            "EPSG:3857" => WebMercator,
            "EPSG:3035" => new CrsInfo(code, "PROJCS[\"ETRS89-extended / LAEA Europe\"]", false, 1.0, authorityAxisOrderIsNorthEast: true),
            _ => new CrsInfo(code, "PROJCS[\"" + code + "\"]", false, 1.0, false),
        };
    }

    public static TileMatrixSetRegistry Registry(IEnumerable<JsonObject>? custom = null) => new(Resolve, custom);
}

internal static class TestData
{
    private static readonly Lazy<string> Root = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    });

    /// <summary>A file or folder given relative to the repository root, e.g. <c>data/demo/oisst.zarr</c>; fails naming it when missing.</summary>
    public static string Repo(params string[] parts)
    {
        string path = Path.GetFullPath(Path.Combine([Root.Value, .. parts]));
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"{Path.GetRelativePath(Root.Value, path)} is missing: it belongs to the repository (restore it with `git checkout -- {Path.GetRelativePath(Root.Value, path)}`).", path);
    }

    /// <summary>A file under tests/data: <c>real/</c> (real-world samples) or <c>geozarr/</c> (GeoZarr fixtures).</summary>
    public static string Get(params string[] parts) => Repo(["tests", "data", .. parts]);

    public static JsonNode Json(params string[] parts) => JsonNode.Parse(File.ReadAllText(Get(parts)))!;

    /// <summary>NumPy .npy (v1/v2, little-endian float32, C order).</summary>
    public static (int[] Shape, float[] Data) ReadNpyF4(string path)
    {
        var b = File.ReadAllBytes(path);
        if (b[0] != 0x93 || System.Text.Encoding.ASCII.GetString(b, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException("not .npy: " + path);
        }

        int major = b[6];
        int hlen = major == 1 ? BitConverter.ToUInt16(b, 8) : (int)BitConverter.ToUInt32(b, 8);
        int start = (major == 1 ? 10 : 12) + hlen;
        string h = System.Text.Encoding.ASCII.GetString(b, major == 1 ? 10 : 12, hlen);
        if (!h.Contains("'descr': '<f4'", StringComparison.Ordinal) || !h.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidDataException(h);
        }

        var m = Regex.Match(h, @"'shape': \(([^)]*)\)");
        int[] shape = m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        var data = new float[(b.Length - start) / 4];
        Buffer.BlockCopy(b, start, data, 0, data.Length * 4);
        return (shape, data);
    }
}

internal static class Assertions
{
    public static void Relative(double expected, double actual, double tol = 1e-9, string? what = null)
    {
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(actual - expected) <= tol * scale, $"{what}: expected {expected:R}, got {actual:R} (rel diff {Math.Abs(actual - expected) / scale:E2})");
    }

    public static void Near(double expected, double actual, double absTol, string? what = null) =>
        Assert.True(Math.Abs(actual - expected) <= absTol, $"{what}: expected {expected:R}, got {actual:R}");

    public static void Extent(Extent expected, Extent actual, double absTol, string? what = null)
    {
        Near(expected.MinX, actual.MinX, absTol, what + " minX");
        Near(expected.MinY, actual.MinY, absTol, what + " minY");
        Near(expected.MaxX, actual.MaxX, absTol, what + " maxX");
        Near(expected.MaxY, actual.MaxY, absTol, what + " maxY");
    }
}
