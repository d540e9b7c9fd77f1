using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace TileServer.Zarr.Tests;

/// <summary>A NumPy .npy file (format 1.x/2.x, little-endian or 1-byte types, C order) as written by numpy.save.</summary>
internal sealed partial class Npy
{
    private Npy(string descr, long[] shape, byte[] data)
    {
        Descr = descr;
        Shape = shape;
        Data = data;
    }

    public string Descr { get; }
    public long[] Shape { get; }
    public byte[] Data { get; }

    public int ItemSize => int.Parse(Descr[2..]);

    public long Count => Data.Length / ItemSize;

    public static Npy Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes[0] != 0x93 || Encoding.ASCII.GetString(bytes, 1, 5) != "NUMPY")
        {
            throw new InvalidDataException(path + " is not an .npy file");
        }

        int major = bytes[6];
        int headerLength = major == 1 ? BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)) : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8));
        int start = major == 1 ? 10 : 12;
        string header = Encoding.ASCII.GetString(bytes, start, headerLength);
        string descr = DescrRegex().Match(header).Groups[1].Value;
        if (header.Contains("'fortran_order': True", StringComparison.Ordinal))
        {
            throw new InvalidDataException(path + " is Fortran-ordered");
        }

        var shape = ShapeRegex().Match(header).Groups[1].Value
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(long.Parse).ToArray();
        return new Npy(descr, shape, bytes[(start + headerLength)..]);
    }

    /// <summary>Element i as a double (exact for every type but 64-bit integers beyond 2^53).</summary>
    public double Get(long i)
    {
        var b = Data.AsSpan((int)(i * ItemSize));
        return Descr switch
        {
            "|b1" or "|u1" => b[0],
            "|i1" => (sbyte)b[0],
            "<i2" => BinaryPrimitives.ReadInt16LittleEndian(b),
            "<u2" => BinaryPrimitives.ReadUInt16LittleEndian(b),
            "<i4" => BinaryPrimitives.ReadInt32LittleEndian(b),
            "<u4" => BinaryPrimitives.ReadUInt32LittleEndian(b),
            "<i8" => BinaryPrimitives.ReadInt64LittleEndian(b),
            "<u8" => BinaryPrimitives.ReadUInt64LittleEndian(b),
            "<f2" => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
            "<f4" => BinaryPrimitives.ReadSingleLittleEndian(b),
            "<f8" => BinaryPrimitives.ReadDoubleLittleEndian(b),
            _ => throw new NotSupportedException("descr " + Descr),
        };
    }

    public bool Is64BitInteger => Descr is "<i8" or "<u8";

    public long GetInt64(long i) => BinaryPrimitives.ReadInt64LittleEndian(Data.AsSpan((int)(i * 8)));

    [GeneratedRegex(@"'descr':\s*'([^']+)'")]
    private static partial Regex DescrRegex();

    [GeneratedRegex(@"'shape':\s*\(([^)]*)\)")]
    private static partial Regex ShapeRegex();
}
