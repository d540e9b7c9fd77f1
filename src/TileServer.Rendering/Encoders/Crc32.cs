namespace TileServer.Rendering.Encoders;

/// <summary>
/// CRC-32 (IEEE 802.3, the polynomial PNG uses), slicing-by-8. System.IO.Hashing is not referenced and the
/// base library only has the Castagnoli variant (BitOperations.Crc32C), which PNG does not use.
/// </summary>
internal static class Crc32
{
    private const uint Polynomial = 0xEDB88320u;
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues a CRC over more data (crc = 0 to start).</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var t = Table;
        crc = ~crc;
        var i = 0;
        for (; i + 8 <= data.Length; i += 8)
        {
            var one = (data[i] | (uint)data[i + 1] << 8 | (uint)data[i + 2] << 16 | (uint)data[i + 3] << 24) ^ crc;
            var two = data[i + 4] | (uint)data[i + 5] << 8 | (uint)data[i + 6] << 16 | (uint)data[i + 7] << 24;
            crc = t[(7 * 256) + (one & 0xFF)] ^ t[(6 * 256) + ((one >> 8) & 0xFF)]
                ^ t[(5 * 256) + ((one >> 16) & 0xFF)] ^ t[(4 * 256) + (one >> 24)]
                ^ t[(3 * 256) + (two & 0xFF)] ^ t[(2 * 256) + ((two >> 8) & 0xFF)]
                ^ t[256 + ((two >> 16) & 0xFF)] ^ t[two >> 24];
        }

        for (; i < data.Length; i++) crc = t[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[8 * 256];
        for (uint n = 0; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? Polynomial ^ (c >> 1) : c >> 1;
            table[n] = c;
        }

        for (var slice = 1; slice < 8; slice++)
        {
            for (var n = 0; n < 256; n++)
            {
                var prev = table[((slice - 1) * 256) + n];
                table[(slice * 256) + n] = (prev >> 8) ^ table[prev & 0xFF];
            }
        }

        return table;
    }
}
