namespace TileServer.Icechunk.Format;

/// <summary>
/// Crockford base 32 as Icechunk names objects: uppercase, no padding, the bit string padded with zero bits
/// on the right to a multiple of five (12 bytes → 20 characters, 8 bytes → 13).
/// </summary>
internal static class Crockford
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string Encode(ReadOnlySpan<byte> bytes)
    {
        var chars = new char[(bytes.Length * 8 + 4) / 5];
        int bits = 0, value = 0, n = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                chars[n++] = Alphabet[(value >> (bits - 5)) & 31];
                bits -= 5;
            }
        }

        if (bits > 0)
        {
            chars[n++] = Alphabet[(value << (5 - bits)) & 31];
        }

        return new string(chars, 0, n);
    }

    /// <summary>Decodes exactly <paramref name="byteCount"/> bytes; false for any other length, a foreign
    /// character, or non-zero padding bits (so that every id has exactly one spelling).</summary>
    public static bool TryDecode(string text, int byteCount, out byte[] bytes)
    {
        bytes = [];
        if (text.Length != (byteCount * 8 + 4) / 5)
        {
            return false;
        }

        var result = new byte[byteCount];
        int bits = 0, value = 0, n = 0;
        foreach (char c in text)
        {
            int digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = ((value << 5) | digit) & 0xFFFF;
            bits += 5;
            if (bits >= 8)
            {
                if (n == byteCount)
                {
                    return false;
                }

                result[n++] = (byte)(value >> (bits - 8));
                bits -= 8;
            }
        }

        if (n != byteCount || (value & ((1 << bits) - 1)) != 0)
        {
            return false;
        }

        bytes = result;
        return true;
    }
}
