namespace TileServer.Tiling;

/// <summary>
/// The TileMatrixSets one dataset can be tiled in: every set of the shared registry plus those the dataset's
/// own metadata declares inline. A declared set never shadows a registered id (a dataset cannot redefine
/// WebMercatorQuad) and is invisible to other datasets.
/// </summary>
public sealed class DatasetTileMatrixSets
{
    private readonly TileMatrixSetRegistry _registry;
    private readonly Dictionary<string, TileMatrixSet> _declared;

    public DatasetTileMatrixSets(TileMatrixSetRegistry registry, IEnumerable<TileMatrixSet> declared)
    {
        _registry = registry;
        _declared = new Dictionary<string, TileMatrixSet>(StringComparer.OrdinalIgnoreCase);
        foreach (var tms in declared)
        {
            if (!registry.TryGet(tms.Id, out _))
            {
                _declared.TryAdd(tms.Id, tms);
            }
        }
    }

    /// <summary>Sets declared by the dataset (not in the shared registry).</summary>
    public IReadOnlyCollection<TileMatrixSet> Declared => _declared.Values;

    /// <summary>Registered sets, then the declared ones.</summary>
    public IEnumerable<TileMatrixSet> All => _registry.All.Concat(_declared.Values);

    public bool IsDeclared(string id) => _declared.ContainsKey(id);

    public bool TryGet(string id, out TileMatrixSet tms)
    {
        if (_registry.TryGet(id, out tms))
        {
            return true;
        }

        return _declared.TryGetValue(id, out tms!);
    }
}
