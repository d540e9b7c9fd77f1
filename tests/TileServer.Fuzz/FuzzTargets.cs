using TileServer.Fuzz.Targets;

namespace TileServer.Fuzz;

/// <summary>Every fuzz target, by name: one per parser that sees outside bytes (docs/fuzzing.md).</summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } =
    [
        new BloscTarget(),
        new CodecsTarget(),
        new ShardTarget(),
        new ZarrV2MetadataTarget(),
        new ZarrV3MetadataTarget(),
        new GeoZarrTarget(),
        new CrsWktTarget(),
        new CrsProjJsonTarget(),
        new CrsCfTarget(),
        new CfTimeTarget(),
        new KerchunkTarget(),
        new TmsTarget(),
        new QueryTarget(),
        new ColormapTarget(),
        new CatalogTarget(),
        new IcechunkTarget(),
        new WmsTarget(),
        new ExpressionTarget(),
        new GeoJsonTarget(),
        new AreaQueryTarget(),
    ];

    public static FuzzTarget Get(string name)
        => All.FirstOrDefault(t => t.Name == name)
            ?? throw new ArgumentException($"unknown fuzz target '{name}'; known: {string.Join(", ", All.Select(t => t.Name))}");
}
