using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using System.Text.Json;

namespace TileServer.Rendering;

/// <summary>
/// The built-in colormaps, loaded once from the embedded <c>colormaps/*.json</c> tables.
/// Names are matched case-insensitively; a "_r" suffix selects the reversed map.
/// </summary>
public sealed class ColormapRegistry
{
    private const string ResourcePrefix = "colormaps/";
    private const string ReversedSuffix = "_r";

    private readonly Dictionary<string, Colormap> _maps = new(StringComparer.OrdinalIgnoreCase);

    public ColormapRegistry()
    {
        var assembly = typeof(ColormapRegistry).Assembly;
        var names = new List<string>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal) || !resource.EndsWith(".json", StringComparison.Ordinal)) continue;
            var map = Load(assembly, resource);
            _maps.Add(map.Name, map);
            var reversed = map.Reversed();
            _maps.Add(reversed.Name, reversed);
            names.Add(map.Name);
        }

        names.Sort(StringComparer.Ordinal);
        Names = names;
    }

    /// <summary>Base names (each also available with "_r").</summary>
    public IReadOnlyList<string> Names { get; }

    public bool TryGet(string name, [MaybeNullWhen(false)] out Colormap colormap)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_maps.TryGetValue(name, out var found))
        {
            colormap = found;
            return true;
        }

        colormap = null;
        return false;
    }

    private static Colormap Load(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded colormap {resource} is missing");
        using var doc = JsonDocument.Parse(stream);
        var root = doc.RootElement;
        var name = root.GetProperty("name").GetString() ?? throw new InvalidDataException($"{resource}: no name");
        if (name.EndsWith(ReversedSuffix, StringComparison.Ordinal))
        {
            throw new InvalidDataException($"{resource}: a base map name must not end in {ReversedSuffix}");
        }

        var colors = root.GetProperty("colors");
        if (colors.GetArrayLength() != Colormap.Size)
        {
            throw new InvalidDataException($"{resource}: expected {Colormap.Size} colors, found {colors.GetArrayLength()}");
        }

        var table = new RgbaColor[Colormap.Size];
        var i = 0;
        foreach (var c in colors.EnumerateArray()) table[i++] = ColormapJson.ParseColor(c, $"{resource} color #{i}");
        return Colormap.FromColors(name, table);
    }
}
