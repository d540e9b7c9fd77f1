using System.Buffers.Binary;
using System.Text;
using CsCheck;

namespace TileServer.Fuzz;

/// <summary>
/// Deterministic mutations of seed inputs, driven by a list of 64-bit words (so that CsCheck can shrink a failure to
/// fewer, smaller mutations). Binary mutations flip bits and plant boundary integers where length fields live; text
/// mutations replace numbers and strings with boundary values and repeat fragments, as hostile JSON and WKT do.
/// </summary>
public static class Mutator
{
    private static readonly byte[] InterestingBytes = [0, 1, 0x7F, 0x80, 0xFF, 0x10, 0x40, 0x20, 0x02];
    private static readonly long[] InterestingIntegers =
        [0, 1, -1, 2, 255, 256, 65535, 65536, int.MaxValue, int.MinValue, uint.MaxValue, 0x4000_0000, 1L << 32, 1L << 40, long.MaxValue, long.MinValue, 1 << 20, 1 << 24];

    private static readonly string[] InterestingNumbers =
    [
        "0", "-1", "1", "-0", "2", "3", "32", "33", "255", "256", "65536", "1000000000", "2147483647", "2147483648",
        "-2147483649", "4294967296", "9007199254740993", "9223372036854775807", "9223372036854775808", "18446744073709551616",
        "1e308", "1e309", "-1e309", "1e-400", "0.5", "-0.5", "1.7976931348623157e308", "5e-324", "100000000000000000000000",
    ];

    private static readonly string[] InterestingStrings =
    [
        "", "a", "x", " ", "\\u0000", "\\ud800", "\\\\", "..", "../../a", "{{x}}", "{{ a + 1 }}", "%s%n", "base64:", "base64:////",
        "EPSG:999999", "EPSG:4326", "urn:ogc:def:crs:EPSG::3857", "http://www.opengis.net/def/crs/OGC/1.3/CRS84", "PROJCS[\\\"a\\\"]",
        "days since 1-1-1", "seconds since 9999-12-31T23:59:59", "360_day", "NaN", "nan", "inf", "-inf", "none", "null", "é", "中",
        new string('x', 2000), string.Concat(Enumerable.Repeat("9", 400)),
    ];

    private static readonly string[] Snippets =
        ["[", "]", "{", "}", ",", "\"", ":", "null", "[]", "{}", "true", "-", "e", ".", "[[", "]]", "(", ")", "=", "&", ";", "%", "\\", "\n", "\0"];

    /// <summary>Seed index, donor index and mutation words: everything one input is made from.</summary>
    public static Gen<byte[]> For(FuzzTarget target)
    {
        var seeds = target.Seeds;
        if (seeds.Count == 0)
        {
            throw new InvalidOperationException($"target {target.Name} has no seeds; its fixtures are missing from the repository");
        }

        return Gen.Select(Gen.Int[0, seeds.Count - 1], Gen.Int[0, seeds.Count - 1], Gen.ULong.Array[0, 12])
            .Select((s, d, ops) => Apply(seeds[s], seeds[d], ops, target.Kind));
    }

    public static byte[] Apply(byte[] seed, byte[] donor, IReadOnlyList<ulong> ops, InputKind kind)
    {
        var data = new List<byte>(seed);
        foreach (ulong op in ops)
        {
            if (kind == InputKind.Text && (op & 3) != 0)
            {
                data = [.. Encoding.UTF8.GetBytes(MutateText(Encoding.UTF8.GetString([.. data]), op >> 2))];
            }
            else
            {
                MutateBytes(data, donor, op >> 2);
            }

            if (data.Count > 1 << 20)
            {
                data.RemoveRange(1 << 20, data.Count - (1 << 20));
            }
        }

        return [.. data];
    }

    private static void MutateBytes(List<byte> data, byte[] donor, ulong r)
    {
        int pos = data.Count == 0 ? 0 : (int)((r >> 8) % (ulong)data.Count);
        ulong v = r >> 32;
        switch (r % 11)
        {
            case 0 when data.Count > 0:
                data[pos] ^= (byte)(1 << (int)((r >> 4) & 7));
                break;
            case 1 when data.Count > 0:
                data[pos] = InterestingBytes[v % (ulong)InterestingBytes.Length];
                break;
            case 2:
                Overwrite(data, pos, Integer(v), 4, bigEndian: false);
                break;
            case 3:
                Overwrite(data, pos, Integer(v), 8, bigEndian: false);
                break;
            case 4:
                Overwrite(data, pos, Integer(v), 4, bigEndian: true);
                break;
            case 5 when data.Count > 0:
                data.RemoveRange(pos, (int)Math.Min((ulong)(data.Count - pos), 1 + (v % 64)));
                break;
            case 6 when data.Count > 0:
                int len = (int)Math.Min((ulong)(data.Count - pos), 1 + (v % 256));
                data.InsertRange((int)(v % (ulong)(data.Count + 1)), data.GetRange(pos, len));
                break;
            case 7:
                data.InsertRange(pos, BitConverter.GetBytes(v)[..(int)(1 + ((r >> 4) & 7))]);
                break;
            case 8:
                data.RemoveRange(pos, data.Count - pos);
                break;
            case 9 when donor.Length > 0:
                int from = (int)(v % (ulong)donor.Length);
                data.RemoveRange(pos, data.Count - pos);
                data.AddRange(donor.AsSpan(from).ToArray());
                break;
            case 10 when data.Count > 0:
                data[pos] = (byte)v;
                break;
        }
    }

    private static long Integer(ulong v)
    {
        long n = InterestingIntegers[v % (ulong)InterestingIntegers.Length];
        return (v >> 16) % 4 == 0 ? n + (long)((v >> 20) % 5) - 2 : n;
    }

    private static void Overwrite(List<byte> data, int pos, long value, int width, bool bigEndian)
    {
        Span<byte> bytes = stackalloc byte[8];
        if (bigEndian)
        {
            BinaryPrimitives.WriteInt64BigEndian(bytes, value << ((8 - width) * 8));
        }
        else
        {
            BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        }

        for (int i = 0; i < width; i++)
        {
            if (pos + i < data.Count)
            {
                data[pos + i] = bytes[i];
            }
            else
            {
                data.Add(bytes[i]);
            }
        }
    }

    private static string MutateText(string text, ulong r)
    {
        ulong v = r >> 8;
        int pos = text.Length == 0 ? 0 : (int)((r >> 16) % (ulong)text.Length);
        switch (r % 6)
        {
            case 0 when Token(text, (int)(v % 4096), IsNumberStart, IsNumberPart) is var (start, length) && length > 0:
                return string.Concat(text.AsSpan(0, start), InterestingNumbers[(v >> 12) % (ulong)InterestingNumbers.Length], text.AsSpan(start + length));
            case 1 when StringToken(text, (int)(v % 4096)) is var (start, length) && start >= 0:
                return string.Concat(text.AsSpan(0, start), InterestingStrings[(v >> 12) % (ulong)InterestingStrings.Length], text.AsSpan(start + length));
            case 2:
                return text.Insert(pos, Snippets[v % (ulong)Snippets.Length]);
            case 3 when text.Length > 0:
                // Repeat a fragment: arrays and lists grow without the input naming a size.
                int len = (int)Math.Min((ulong)(text.Length - pos), 1 + ((v >> 8) % 64));
                string fragment = text.Substring(pos, len);
                return text.Insert(pos, string.Concat(Enumerable.Repeat(fragment, 1 + (int)(v % 64))));
            case 4 when text.Length > 0:
                return text.Remove(pos, (int)Math.Min((ulong)(text.Length - pos), 1 + (v % 32)));
            default:
                return text.Insert(pos, InterestingNumbers[v % (ulong)InterestingNumbers.Length]);
        }
    }

    private static bool IsNumberStart(string s, int i) => char.IsAsciiDigit(s[i]) && (i == 0 || !IsNumberPart(s[i - 1]));

    private static bool IsNumberPart(char c) => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-';

    /// <summary>The n-th (modulo their count) token starting where <paramref name="isStart"/> says; (0, 0) when there is none.</summary>
    private static (int Start, int Length) Token(string s, int n, Func<string, int, bool> isStart, Func<char, bool> isPart)
    {
        var starts = new List<int>();
        for (int i = 0; i < s.Length; i++)
        {
            if (isStart(s, i))
            {
                starts.Add(i);
            }
        }

        if (starts.Count == 0)
        {
            return (0, 0);
        }

        int start = starts[n % starts.Count];
        if (start > 0 && s[start - 1] == '-')
        {
            start--;
        }

        int end = start + 1;
        while (end < s.Length && isPart(s[end]))
        {
            end++;
        }

        return (start, end - start);
    }

    /// <summary>The contents (between the quotes) of the n-th JSON string, modulo their count; (-1, 0) when there is none.</summary>
    private static (int Start, int Length) StringToken(string s, int n)
    {
        var spans = new List<(int, int)>();
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] != '"')
            {
                continue;
            }

            int j = i + 1;
            while (j < s.Length && s[j] != '"')
            {
                j += s[j] == '\\' ? 2 : 1;
            }

            if (j >= s.Length)
            {
                break;
            }

            spans.Add((i + 1, j - i - 1));
            i = j;
        }

        return spans.Count == 0 ? (-1, 0) : spans[n % spans.Count];
    }
}
