using Microsoft.Extensions.Primitives;

namespace TileServer.Documents.Wms;

/// <summary>
/// The WMS parameters of a KVP request, names case-insensitive. A WMS parameter given twice (even in different
/// cases) is refused rather than one of its values silently taken; the tile rendering parameters (<c>rescale</c>,
/// <c>sel</c>, ...) are left to their own parser.
/// </summary>
public sealed class WmsParameters
{
    private static readonly HashSet<string> Known = new(StringComparer.OrdinalIgnoreCase)
    {
        "SERVICE", "VERSION", "REQUEST", "LAYERS", "STYLES", "CRS", "SRS", "BBOX", "WIDTH", "HEIGHT", "FORMAT", "TRANSPARENT",
        "BGCOLOR", "EXCEPTIONS", "TIME", "ELEVATION", "QUERY_LAYERS", "INFO_FORMAT", "FEATURE_COUNT", "I", "J", "X", "Y", "LAYER",
        "STYLE", "SLD_VERSION", "UPDATESEQUENCE", "SLD", "SLD_BODY",
    };

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public WmsParameters(IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        foreach (var (key, values) in query)
        {
            bool wms = Known.Contains(key) || key.StartsWith("DIM_", StringComparison.OrdinalIgnoreCase);
            if (wms && values.Count > 1)
            {
                throw WmsException.Invalid(key.ToUpperInvariant(), $"Parameter {key.ToUpperInvariant()} is given {values.Count} times; give it once.");
            }

            if (wms && values.Count == 1)
            {
                _values[key] = values[0]?.Trim() ?? "";
            }
        }
    }

    /// <summary>True when the parameter is present, even with an empty value (<c>STYLES=</c>).</summary>
    public bool Has(string name) => _values.ContainsKey(name);

    /// <summary>The value, or null when absent or empty.</summary>
    public string? Optional(string name) => _values.TryGetValue(name, out var v) && v.Length > 0 ? v : null;

    public string Required(string name) => Optional(name) ?? throw WmsException.Missing(name);
}
