using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>
/// A Zarr v2 store written at test time, laid out as zarr-python 2 writes one (a group with 1-D <c>lat</c>/<c>lon</c>
/// coordinates and one float32 variable <c>value</c>, C order, chunks compressed with numcodecs' zlib, i.e. a zlib
/// stream with its Adler-32). No pyramid and no valid range, so its default stretch comes from statistics. Many small
/// chunks, so that a tile needs several reads and the statistics sample is a small part of the array.
/// </summary>
public static class SyntheticStore
{
    public const int Rows = 1024;
    public const int Cols = 2048;
    public const int Chunk = 64;

    public static int ChunkCount => (Rows / Chunk) * (Cols / Chunk);

    /// <summary>The values: smooth, with a range that no single region spans, and a NaN hole (nodata).</summary>
    public static float Value(int row, int col)
        => row is >= 300 and < 340 && col is >= 900 and < 960 ? float.NaN : (float)((Math.Sin(row / 37.0) * Math.Cos(col / 53.0) * 40) + (row * 0.05) + (col * 0.01));

    public static string Write(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, ".zgroup"), """{"zarr_format": 2}""");
        File.WriteAllText(Path.Combine(folder, ".zattrs"), """{"Conventions": "CF-1.8", "title": "synthetic cold-path store"}""");

        // Pixel centres of a global 0.17578125-degree grid, north-up.
        double step = 360.0 / Cols;
        WriteCoordinate(folder, "lat", Enumerable.Range(0, Rows).Select(i => 90 - ((i + 0.5) * step)).ToArray(), "Y", "latitude", "degrees_north");
        WriteCoordinate(folder, "lon", Enumerable.Range(0, Cols).Select(i => -180 + ((i + 0.5) * step)).ToArray(), "X", "longitude", "degrees_east");

        string value = Path.Combine(folder, "value");
        Directory.CreateDirectory(value);
        File.WriteAllText(Path.Combine(value, ".zarray"), $$"""
            {"chunks": [{{Chunk}}, {{Chunk}}], "compressor": {"id": "zlib", "level": 1}, "dtype": "<f4", "fill_value": "NaN",
             "filters": null, "order": "C", "shape": [{{Rows}}, {{Cols}}], "zarr_format": 2}
            """);
        File.WriteAllText(Path.Combine(value, ".zattrs"), """{"_ARRAY_DIMENSIONS": ["lat", "lon"], "long_name": "synthetic field", "units": "1"}""");
        var raw = new byte[Chunk * Chunk * 4];
        for (int cr = 0; cr < Rows / Chunk; cr++)
        {
            for (int cc = 0; cc < Cols / Chunk; cc++)
            {
                for (int r = 0; r < Chunk; r++)
                {
                    for (int c = 0; c < Chunk; c++)
                    {
                        BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(((r * Chunk) + c) * 4), Value((cr * Chunk) + r, (cc * Chunk) + c));
                    }
                }

                File.WriteAllBytes(Path.Combine(value, $"{cr}.{cc}"), Zlib(raw));
            }
        }

        Consolidate(folder);
        return folder;
    }

    /// <summary>The <c>.zmetadata</c> document zarr-python's <c>consolidate_metadata</c> writes: every metadata file by its key.</summary>
    private static void Consolidate(string folder)
    {
        var metadata = new JsonObject();
        foreach (var file in Directory.EnumerateFiles(folder, ".z*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            metadata[Path.GetRelativePath(folder, file).Replace('\\', '/')] = JsonNode.Parse(File.ReadAllText(file));
        }

        File.WriteAllText(Path.Combine(folder, ".zmetadata"), new JsonObject { ["metadata"] = metadata, ["zarr_consolidated_format"] = 1 }.ToJsonString());
    }

    private static void WriteCoordinate(string folder, string name, double[] values, string axis, string standardName, string units)
    {
        string dir = Path.Combine(folder, name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ".zarray"), $$"""
            {"chunks": [{{values.Length}}], "compressor": null, "dtype": "<f8", "fill_value": "NaN", "filters": null,
             "order": "C", "shape": [{{values.Length}}], "zarr_format": 2}
            """);
        var attrs = new JsonObject { ["_ARRAY_DIMENSIONS"] = new JsonArray(name), ["axis"] = axis, ["standard_name"] = standardName, ["units"] = units };
        File.WriteAllText(Path.Combine(dir, ".zattrs"), attrs.ToJsonString());
        var bytes = new byte[values.Length * 8];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(i * 8), values[i]);
        }

        File.WriteAllBytes(Path.Combine(dir, "0"), bytes);
    }

    private static byte[] Zlib(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var z = new ZLibStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            z.Write(raw);
        }

        return output.ToArray();
    }
}
