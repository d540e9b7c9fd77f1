using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace TileServer.Reading.Tests;

/// <summary>
/// The references in tests/data/areas (written by numpy, zarr-python and GDAL with make_references.py). A missing
/// file fails the test that needs it, naming the command that writes it.
/// </summary>
public static partial class AreaData
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string File(string name)
    {
        string path = Path.Combine(RepoRoot, "tests", "data", "areas", name);
        return System.IO.File.Exists(path) ? path
            : throw new FileNotFoundException($"tests/data/areas/{name} is missing: restore it with `git checkout -- tests/data/areas` or write it with `cd tests/data/areas && /usr/bin/python3 make_references.py` (needs Debian's python3-numpy, python3-zarr, python3-gdal).", path);
    }

    public static JsonObject References => JsonNode.Parse(System.IO.File.ReadAllText(File("references.json")))!.AsObject();

    /// <summary>A float32 .npy (C order, little-endian).</summary>
    public static (int[] Shape, float[] Data) Npy(string name)
    {
        var bytes = System.IO.File.ReadAllBytes(File(name));
        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        Assert.Contains("'descr': '<f4'", header, StringComparison.Ordinal);
        var shape = ShapePattern().Match(header).Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return (shape, MemoryMarshal.Cast<byte, float>(bytes.AsSpan(start)).ToArray());
    }

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !System.IO.File.Exists(Path.Combine(dir.FullName, "TileServer.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("TileServer.sln not found above " + AppContext.BaseDirectory);
    }
}
