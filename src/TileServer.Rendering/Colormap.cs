using System.Runtime.InteropServices;

namespace TileServer.Rendering;

/// <summary>A 256-entry RGBA lookup table indexed by the rescaled 0..255 value.</summary>
public sealed class Colormap : IColormap
{
    public const int Size = 256;
    private const string ReversedSuffix = "_r";

    private readonly uint[] _entries;

    /// <param name="name">Name as users select it (lowercase for the built-in maps).</param>
    /// <param name="rgba">256 x (R, G, B, A) bytes.</param>
    public Colormap(string name, ReadOnlySpan<byte> rgba)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (rgba.Length != Size * 4)
        {
            throw new ArgumentException($"colormap '{name}' needs {Size * 4} RGBA bytes, got {rgba.Length}", nameof(rgba));
        }

        Name = name;
        _entries = new uint[Size];
        rgba.CopyTo(MemoryMarshal.AsBytes(_entries.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("packed RGBA entries assume a little-endian machine");
        }
    }

    private Colormap(string name, uint[] entries)
    {
        Name = name;
        _entries = entries;
    }

    public string Name { get; }

    /// <summary>Entries as packed RGBA (see <see cref="RgbaColor.Packed"/>).</summary>
    public ReadOnlySpan<uint> Entries => _entries;

    /// <summary>Entries as 1024 bytes R,G,B,A,R,G,B,A...</summary>
    public ReadOnlySpan<byte> Rgba => MemoryMarshal.AsBytes(_entries.AsSpan());

    public RgbaColor this[int index] => RgbaColor.FromPacked(_entries[index]);

    /// <summary>The same map from the other end; "viridis" becomes "viridis_r" and back.</summary>
    public Colormap Reversed()
    {
        var reversed = (uint[])_entries.Clone();
        Array.Reverse(reversed);
        var name = Name.EndsWith(ReversedSuffix, StringComparison.Ordinal) ? Name[..^ReversedSuffix.Length] : Name + ReversedSuffix;
        return new Colormap(name, reversed);
    }

    internal static Colormap FromColors(string name, ReadOnlySpan<RgbaColor> colors)
    {
        var entries = new uint[Size];
        for (var i = 0; i < Size; i++) entries[i] = colors[i].Packed;
        return new Colormap(name, entries);
    }

    /// <summary>A 0..255 grey ramp: how single-band data without a colormap is drawn.</summary>
    public static Colormap Grey()
    {
        var entries = new uint[Size];
        for (var i = 0; i < Size; i++) entries[i] = new RgbaColor((byte)i, (byte)i, (byte)i, 255).Packed;
        return new Colormap("grey-ramp", entries);
    }

    /// <summary>
    /// Parses TiTiler's <c>colormap=</c> JSON. An object <c>{"0": [r,g,b,a], "7": "#ff0000", ...}</c> maps
    /// integer values to colors: with keys in 0..255 it is a 256-entry palette of the rescaled value, unlisted
    /// entries transparent; with any key outside 0..255 it matches raw values exactly (as rio-tiler's discrete
    /// colormap does). An array <c>[[[min, max], [r,g,b,a]], ...]</c> is an <see cref="IntervalColormap"/> of raw values.
    /// </summary>
    /// <exception cref="FormatException">The JSON is malformed; the message names the offending part.</exception>
    public static IColormap ParseJson(string json) => ColormapJson.Parse(json);
}
