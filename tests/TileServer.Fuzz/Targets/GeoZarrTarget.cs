using TileServer.Crs;
using TileServer.GeoZarr;
using TileServer.Zarr;

namespace TileServer.Fuzz.Targets;

/// <summary>
/// A dataset's georeferencing through <see cref="GeoDatasetReader.OpenAsync"/>: a fixture store (tests/data/geozarr,
/// tests/data/broken, tests/data/real, data/demo) whose consolidated metadata document is replaced by the input, so
/// that shapes, dimension names, coordinates, transforms, multiscales and CRS attributes are all fuzzed while the
/// coordinate chunks stay real. The first input byte picks the store.
/// </summary>
public sealed class GeoZarrTarget : FuzzTarget
{
    /// <summary>Below the server's default on purpose, so that an honest decode of a lying shape stays cheap to fuzz.</summary>
    private const long MaxChunkBytes = 4L * 1024 * 1024;

    private static readonly CrsRegistry Crs = new();
    private static readonly ZarrReaderOptions Options = new() { MaxParallelChunks = 1, MaxChunkBytes = MaxChunkBytes };
    private static readonly GeoDatasetOptions Dataset = new() { Id = "fuzz" };
    private static readonly string[] Roots = ["tests/data/geozarr", "tests/data/broken", "tests/data/real", "data/demo"];
    private IReadOnlyList<Fixture>? _fixtures;

    public override string Name => "geozarr";
    public override string Contract => "GeoDatasetReader.OpenAsync: our error kinds only (ZarrFormatException, ChunkDecodeException, CrsException, GeoDatasetException)";
    public override InputKind Kind => InputKind.Text;

    private IReadOnlyList<Fixture> Fixtures => _fixtures ??= LoadFixtures();

    public override void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        var fixture = Fixtures[input[0] % Fixtures.Count];
        var store = new OverlayStore(fixture.Store, fixture.MetadataKey, input.AsSpan(1).ToArray());

        // Coordinates are decoded from real chunks: each decode is bounded by MaxChunkBytes, and a store holds a few.
        long bound = Invariants.TextBound(input.Length, (4 * MaxChunkBytes) + (4 * fixture.Bytes));
        Invariants.Check(Name, bound, Invariants.IsOwnError, () =>
        {
            var zarr = ZarrHierarchy.OpenAsync(store, Options).GetAwaiter().GetResult();
            new GeoDatasetReader(Crs).OpenAsync(zarr, Dataset).GetAwaiter().GetResult();
        });
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
        => Fixtures.Select((f, i) => (byte[])[(byte)i, .. f.Store.Files[f.MetadataKey]]).ToArray();

    private static IReadOnlyList<Fixture> LoadFixtures()
    {
        var roots = Roots.SelectMany(r => RepositoryFiles.Find(r, ".zmetadata", "zarr.json"))
            .Select(Path.GetDirectoryName).OfType<string>()
            .Where(d => d.EndsWith(".zarr", StringComparison.Ordinal)).Distinct().Order(StringComparer.Ordinal);
        var result = new List<Fixture>();
        foreach (var root in roots)
        {
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes, StringComparer.Ordinal);
            long bytes = files.Values.Sum(b => (long)b.Length);
            string key = files.ContainsKey(".zmetadata") ? ".zmetadata" : "zarr.json";
            if (bytes <= 3L * 1024 * 1024 && files.ContainsKey(key))
            {
                result.Add(new Fixture(new MemoryStore(files), key, bytes));
            }
        }

        return result;
    }

    private sealed record Fixture(MemoryStore Store, string MetadataKey, long Bytes);
}
