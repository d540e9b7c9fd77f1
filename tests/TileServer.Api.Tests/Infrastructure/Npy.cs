using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace TileServer.Api.Tests.Infrastructure;

/// <summary>Reads NumPy v1/v2 .npy float32 files (C order, little-endian), as the reference tiles are stored.</summary>
public static partial class Npy
{
    public static (int[] Shape, float[] Data) ReadFloat32(byte[] bytes)
    {
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException("not a .npy file");
        }

        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (!header.Contains("'descr': '<f4'", StringComparison.Ordinal) || !header.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidDataException("unexpected header " + header);
        }

        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var data = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(start)).ToArray();
        return (shape, data);
    }

    public static (int[] Shape, float[] Data) ReadFloat32(string path) => ReadFloat32(File.ReadAllBytes(path));

    /// <summary>Any numeric or bool .npy (C order, either byte order) as doubles, with its shape.</summary>
    public static (int[] Shape, double[] Data) ReadAsDoubles(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 10 || bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException(path + " is not a .npy file");
        }

        int major = bytes[6];
        int headerLength = major == 1 ? BitConverter.ToUInt16(bytes, 8) : (int)BitConverter.ToUInt32(bytes, 8);
        int start = (major == 1 ? 10 : 12) + headerLength;
        string header = Encoding.ASCII.GetString(bytes, major == 1 ? 10 : 12, headerLength);
        if (!header.Contains("'fortran_order': False", StringComparison.Ordinal))
        {
            throw new InvalidDataException("unexpected header " + header);
        }

        string descr = DescrPattern().Match(header).Groups[1].Value;
        bool bigEndian = descr[0] == '>';
        char kind = descr[1];
        int size = int.Parse(descr[2..], CultureInfo.InvariantCulture);
        var shape = ShapePattern().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        int count = shape.Aggregate(1, (a, b) => a * b);
        var data = new double[count];
        for (int i = 0; i < count; i++)
        {
            var element = bytes.AsSpan(start + (i * size), size).ToArray();
            if (bigEndian != !BitConverter.IsLittleEndian)
            {
                Array.Reverse(element);
            }

            data[i] = (kind, size) switch
            {
                ('f', 4) => BitConverter.ToSingle(element),
                ('f', 8) => BitConverter.ToDouble(element),
                ('f', 2) => (double)BitConverter.ToHalf(element),
                ('i', 1) => (sbyte)element[0],
                ('i', 2) => BitConverter.ToInt16(element),
                ('i', 4) => BitConverter.ToInt32(element),
                ('i', 8) => BitConverter.ToInt64(element),
                ('u', 1) or ('b', 1) => element[0],
                ('u', 2) => BitConverter.ToUInt16(element),
                ('u', 4) => BitConverter.ToUInt32(element),
                ('u', 8) => BitConverter.ToUInt64(element),
                _ => throw new InvalidDataException($"unsupported dtype {descr} in {path}"),
            };
        }

        return (shape, data);
    }

    [GeneratedRegex(@"'descr':\s*'([<>|=][a-z]\d+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
