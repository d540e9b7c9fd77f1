using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using TileServer.Crs;

namespace TileServer.Tiling;

/// <summary>
/// The TileMatrixSets the server knows: the OGC registry definitions embedded in this assembly plus custom ones
/// (configuration). Definitions whose CRS cannot be resolved are skipped and listed in <see cref="Skipped"/>.
/// Immutable once built; sets a dataset declares in its own metadata live in that dataset's
/// <see cref="DatasetTileMatrixSets"/>, never here.
/// </summary>
public sealed class TileMatrixSetRegistry
{
    private readonly CrsRegistry? _crs;
    private readonly Func<JsonNode, CrsInfo> _resolve;
    private readonly Dictionary<string, TileMatrixSet> _byId = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<TileMatrixSet> _all = [];
    private readonly Dictionary<string, string> _skipped = new(StringComparer.OrdinalIgnoreCase);

    public TileMatrixSetRegistry(CrsRegistry crs, IEnumerable<JsonObject>? custom = null)
        : this(null, crs, custom)
    {
    }

    /// <summary>With a custom CRS resolver (tests that must not depend on the CRS library).</summary>
    internal TileMatrixSetRegistry(Func<JsonNode, CrsInfo> resolveCrs, IEnumerable<JsonObject>? custom = null)
        : this(resolveCrs, null, custom)
    {
    }

    private TileMatrixSetRegistry(Func<JsonNode, CrsInfo>? resolveCrs, CrsRegistry? crs, IEnumerable<JsonObject>? custom)
    {
        _crs = crs;
        _resolve = resolveCrs ?? ResolveCrs;
        var asm = typeof(TileMatrixSetRegistry).Assembly;
        foreach (var name in asm.GetManifestResourceNames().Where(n => n.StartsWith("tms/", StringComparison.Ordinal) && n.EndsWith(".json", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            Add(name, () => LoadResource(asm, name));
        }

        int i = 0;
        foreach (var json in custom ?? [])
        {
            Add($"custom[{i++}]", () => json);
        }
    }

    /// <summary>Usable TileMatrixSets in load order (embedded alphabetical, then custom).</summary>
    public IReadOnlyList<TileMatrixSet> All => _all;

    /// <summary>Definitions that were not loaded: source name (or id) → why.</summary>
    public IReadOnlyDictionary<string, string> Skipped => _skipped;

    public bool TryGet(string id, out TileMatrixSet tms)
    {
        if (_byId.TryGetValue(id, out var found))
        {
            tms = found;
            return true;
        }

        tms = null!;
        return false;
    }

    /// <summary>Parses a TMS (2.0 or 1.0 JSON), e.g. one found inline in dataset metadata. Throws <see cref="TileMatrixSetException"/>.</summary>
    public TileMatrixSet FromJson(JsonObject json) => TileMatrixSetParser.Parse(json, _resolve);

    private void Add(string source, Func<JsonObject> load)
    {
        try
        {
            var tms = FromJson(load());
            if (_byId.TryGetValue(tms.Id, out var existing))
            {
                // A custom definition with a registry id replaces the registry one.
                _all.Remove(existing);
            }

            _byId[tms.Id] = tms;
            _all.Add(tms);
        }
        catch (Exception e) when (e is TileMatrixSetException or JsonException)
        {
            _skipped[source] = e.Message;
        }
    }

    private static JsonObject LoadResource(Assembly asm, string name)
    {
        using var s = asm.GetManifestResourceStream(name) ?? throw new TileMatrixSetException($"embedded resource {name} missing");
        return JsonNode.Parse(s) as JsonObject ?? throw new TileMatrixSetException($"{name} is not a JSON object");
    }

    private CrsInfo ResolveCrs(JsonNode node)
    {
        var crs = _crs ?? throw new CrsException("no CRS registry");
        switch (node)
        {
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                return crs.FromAny(v.GetValue<string>());
            case JsonObject o when o["uri"] is JsonValue u && u.GetValueKind() == JsonValueKind.String:
                return crs.FromAny(u.GetValue<string>());
            case JsonObject o when o["wkt"] is JsonValue w && w.GetValueKind() == JsonValueKind.String:
                return crs.FromWkt(w.GetValue<string>());
            case JsonObject o when o["wkt"] is JsonObject pj:
                return crs.FromProjJson(pj);
            case JsonObject o when o["referenceSystem"] is JsonObject rs:
                return crs.FromProjJson(rs);
            default:
                throw new CrsException("unsupported 'crs' form");
        }
    }
}

/// <summary>Ids of the TileMatrixSets every client knows.</summary>
public static class WellKnownTileMatrixSets
{
    public const string WebMercatorQuad = "WebMercatorQuad";
    public const string WorldCrs84Quad = "WorldCRS84Quad";
}
