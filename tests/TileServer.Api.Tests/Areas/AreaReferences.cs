using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using TileServer.Api.Tests.Infrastructure;

namespace TileServer.Api.Tests.Areas;

/// <summary>tests/data/areas: references written by numpy, zarr-python and GDAL (make_references.py there).</summary>
public static class AreaReferences
{
    public static JsonObject Json { get; } = JsonNode.Parse(File.ReadAllText(Paths.TestData("areas", "references.json")))!.AsObject();

    public static (int[] Shape, float[] Data) Float32(string name) => Npy.ReadFloat32(Paths.TestData("areas", name));

    /// <summary>A uint8 .npy as floats (the Landsat sample's stored bands).</summary>
    public static (int[] Shape, float[] Data) UInt8(string name)
    {
        var bytes = File.ReadAllBytes(Paths.TestData("areas", name));
        int headerLength = BitConverter.ToUInt16(bytes, 8);
        string header = Encoding.ASCII.GetString(bytes, 10, headerLength);
        Assert.Contains("'descr': '|u1'", header, StringComparison.Ordinal);
        var shape = header[(header.IndexOf('(') + 1)..header.IndexOf(')')].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        return (shape, bytes.AsSpan(10 + headerLength).ToArray().Select(b => (float)b).ToArray());
    }

    /// <summary>Rows <paramref name="row0"/>.. and columns <paramref name="col0"/>.. (modulo the width) of one plane.</summary>
    public static float[] Window(float[] data, int[] shape, int plane, int row0, int col0, int rows, int cols)
    {
        int h = shape[^2], w = shape[^1];
        var result = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < cols; c++)
            {
                result[(r * cols) + c] = data[(plane * h * w) + ((row0 + r) * w) + ((((col0 + c) % w) + w) % w)];
            }
        }

        return result;
    }

    /// <summary>Count of values that differ (NaN equals NaN; numbers within a relative tolerance).</summary>
    public static int Mismatches(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double tolerance = 1e-6)
    {
        Assert.Equal(expected.Length, actual.Length);
        int bad = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            bool same = float.IsNaN(expected[i]) ? float.IsNaN(actual[i]) : Math.Abs(actual[i] - expected[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i]));
            bad += same ? 0 : 1;
        }

        return bad;
    }

    public static double[] Bounds(HttpResponseMessage response)
        => response.Headers.GetValues("X-Area-Bounds").Single().Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();

    public static ReadOnlySpan<float> AsFloats(byte[] bytes) => MemoryMarshal.Cast<byte, float>(bytes);
}
