using TileServer.Zarr;

namespace TileServer.Fuzz.Targets;

/// <summary>
/// Zarr metadata documents through <see cref="ZarrHierarchy.OpenAsync"/>, <c>GetGroupAsync</c> and <c>GetArrayAsync</c>
/// (inside: <c>JsonHelpers.ParseObject</c>, <c>ArrayMetadataParser.ParseV2/ParseV3</c>), then a one-element read at each
/// end of every array found, so that hostile shapes and chunk grids meet the read planner too. No chunk exists: reads
/// give the fill value, and nothing may be sized from the declared shapes.
/// </summary>
public abstract class MetadataTarget : FuzzTarget
{
    private const int MaxArraysVisited = 16;

    public override string Contract => "ZarrHierarchy.OpenAsync/GetGroupAsync/GetArrayAsync + ZarrArray.ReadAsync: ZarrFormatException (our error kinds) only";
    public override InputKind Kind => InputKind.Text;

    /// <summary>The store key the document is stored under, chosen by the first input byte.</summary>
    protected abstract string KeyFor(byte selector);

    public override void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal) { [KeyFor(input[0])] = input.AsSpan(1).ToArray() };
        Invariants.Check(Name, Invariants.TextBound(input.Length), Invariants.IsOwnError, () => Visit(new MemoryStore(files)));
    }

    private static void Visit(MemoryStore store)
    {
        var hierarchy = ZarrHierarchy.OpenAsync(store, ArrayFixture.ReaderOptions).GetAwaiter().GetResult();
        var paths = new List<string> { "" };
        if (hierarchy.GetGroupAsync("").AsTask().GetAwaiter().GetResult() is not null)
        {
            paths.AddRange(hierarchy.ListChildren("").Take(MaxArraysVisited).Select(c => c.Name));
        }

        foreach (var path in paths)
        {
            if (hierarchy.GetArrayAsync(path).AsTask().GetAwaiter().GetResult() is { } array)
            {
                ReadCorners(array);
            }
        }
    }

    private static void ReadCorners(ZarrArray array)
    {
        var shape = array.Metadata.Shape;
        if (shape.Any(s => s <= 0))
        {
            return;
        }

        var one = new double[1];
        array.ReadAsync<double>(shape.Select(_ => DimSlice.Single(0)).ToArray(), one).AsTask().GetAwaiter().GetResult();
        array.ReadAsync<double>(shape.Select(s => DimSlice.Single(s - 1)).ToArray(), one).AsTask().GetAwaiter().GetResult();
    }

    protected static IEnumerable<byte[]> Prefixed(byte selector, IEnumerable<string> files)
        => files.Select(f => (byte[])[selector, .. File.ReadAllBytes(f)]);
}

/// <summary>v2 <c>.zarray</c> (even first byte) or consolidated <c>.zmetadata</c> (odd first byte).</summary>
public sealed class ZarrV2MetadataTarget : MetadataTarget
{
    public override string Name => "zarr-v2-metadata";

    protected override string KeyFor(byte selector) => selector % 2 == 0 ? ".zarray" : ".zmetadata";

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Prefixed(0, RepositoryFiles.Find("tests/data", ".zarray").Take(200))
            .Concat(Prefixed(1, RepositoryFiles.Find("tests/data", ".zmetadata")))
            .Concat(Prefixed(1, RepositoryFiles.Find("data/demo", ".zmetadata")))
            .ToArray();
}

/// <summary>v3 <c>zarr.json</c>: an array, or a group with consolidated metadata.</summary>
public sealed class ZarrV3MetadataTarget : MetadataTarget
{
    public override string Name => "zarr-v3-metadata";

    protected override string KeyFor(byte selector) => "zarr.json";

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Prefixed(0, RepositoryFiles.Find("tests/data", "zarr.json").Concat(RepositoryFiles.Find("data/demo", "zarr.json"))).ToArray();
}
