using System.Globalization;

namespace TileServer.Rendering;

/// <summary>An 8-bit straight-alpha color.</summary>
public readonly record struct RgbaColor(byte R, byte G, byte B, byte A)
{
    public static readonly RgbaColor Transparent = new(0, 0, 0, 0);

    /// <summary>Memory order R,G,B,A read as a little-endian uint: what an RGBA8888 pixel buffer holds.</summary>
    public uint Packed => (uint)(R | (G << 8) | (B << 16) | (A << 24));

    public static RgbaColor FromPacked(uint packed) =>
        new((byte)packed, (byte)(packed >> 8), (byte)(packed >> 16), (byte)(packed >> 24));

    /// <summary>Parses "#rgb", "#rrggbb" or "#rrggbbaa" (the leading '#' is optional).</summary>
    public static bool TryParseHex(ReadOnlySpan<char> text, out RgbaColor color)
    {
        color = default;
        if (text.StartsWith("#")) text = text[1..];
        switch (text.Length)
        {
            case 3:
                if (!TryHex(text[0..1], out var r1) || !TryHex(text[1..2], out var g1) || !TryHex(text[2..3], out var b1)) return false;
                color = new((byte)(r1 * 17), (byte)(g1 * 17), (byte)(b1 * 17), 255);
                return true;
            case 6:
            case 8:
                if (!TryHex(text[0..2], out var r) || !TryHex(text[2..4], out var g) || !TryHex(text[4..6], out var b)) return false;
                var a = 255;
                if (text.Length == 8 && !TryHex(text[6..8], out a)) return false;
                color = new((byte)r, (byte)g, (byte)b, (byte)a);
                return true;
            default:
                return false;
        }
    }

    public override string ToString() => $"#{R:x2}{G:x2}{B:x2}{A:x2}";

    private static bool TryHex(ReadOnlySpan<char> s, out int value) =>
        int.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
}
