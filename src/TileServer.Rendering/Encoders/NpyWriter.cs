using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;

namespace TileServer.Rendering.Encoders;

/// <summary>NumPy .npy v1.0: little-endian float32, C order, shape (bands, height, width).</summary>
internal static class NpyWriter
{
    private const int Alignment = 64; // numpy pads the header so the data starts 64-byte aligned

    public static byte[] Write(ReadOnlySpan<float> values, int bands, int height, int width)
    {
        var dict = string.Create(CultureInfo.InvariantCulture, $"{{'descr': '<f4', 'fortran_order': False, 'shape': ({bands}, {height}, {width}), }}");
        var preamble = 10; // magic(6) + version(2) + header length(2)
        var headerLength = dict.Length + 1; // + '\n'
        var padded = ((preamble + headerLength + Alignment - 1) / Alignment * Alignment) - preamble;
        var dataBytes = checked(values.Length * sizeof(float));
        var result = new byte[preamble + padded + dataBytes];

        result[0] = 0x93;
        System.Text.Encoding.ASCII.GetBytes("NUMPY", result.AsSpan(1));
        result[6] = 1;
        result[7] = 0;
        BinaryPrimitives.WriteUInt16LittleEndian(result.AsSpan(8), (ushort)padded);
        var header = result.AsSpan(preamble, padded);
        header.Fill((byte)' ');
        System.Text.Encoding.ASCII.GetBytes(dict, header);
        header[^1] = (byte)'\n';

        var data = result.AsSpan(preamble + padded);
        MemoryMarshal.AsBytes(values).CopyTo(data);
        if (!BitConverter.IsLittleEndian)
        {
            var words = MemoryMarshal.Cast<byte, uint>(data);
            BinaryPrimitives.ReverseEndianness(words, words);
        }

        return result;
    }
}
