using TileServer.Storage;
using TileServer.Zarr;

namespace TileServer.Fuzz.Targets;

/// <summary>
/// One fixture array as the chunk targets use it: its metadata documents (the store's only files), the window of its
/// first stored object, and that object's bytes as a seed. The fuzzed input takes the place of every chunk or shard.
/// </summary>
public sealed record ArrayFixture(string Name, IReadOnlyDictionary<string, byte[]> Metadata, DimSlice[] Window, long DecodedBytes, byte[] FirstObject, string CodecSummary)
{
    private static readonly string[] MetadataNames = [".zarray", ".zattrs", "zarr.json"];
    private static readonly Lazy<IReadOnlyList<ArrayFixture>> AllFixtures = new(Load);

    /// <summary>Every readable array under tests/data/zarr whose first object exists.</summary>
    public static IReadOnlyList<ArrayFixture> All => AllFixtures.Value;

    public static ZarrReaderOptions ReaderOptions { get; } = new() { MaxParallelChunks = 1 };

    /// <summary>Opens the array over <paramref name="store"/> and reads <see cref="Window"/> (synchronously: the store is in memory).</summary>
    public void Read(IByteStore store)
    {
        var hierarchy = ZarrHierarchy.OpenAsync(store, ReaderOptions).GetAwaiter().GetResult();
        var array = hierarchy.GetArrayAsync("").AsTask().GetAwaiter().GetResult()
            ?? throw new InvalidOperationException($"fixture {Name} has no array at its root");
        long count = Window.Aggregate(1L, (n, s) => n * s.Count);
        array.ReadAsync<double>(Window, new double[count]).AsTask().GetAwaiter().GetResult();
    }

    private static IReadOnlyList<ArrayFixture> Load()
    {
        var result = new List<ArrayFixture>();
        var folders = RepositoryFiles.Find("tests/data/zarr", ".zarray", "zarr.json").Select(Path.GetDirectoryName).Distinct().Order(StringComparer.Ordinal);
        foreach (var folder in folders)
        {
            if (TryLoad(folder!) is { } fixture)
            {
                result.Add(fixture);
            }
        }

        return result;
    }

    private static ArrayFixture? TryLoad(string folder)
    {
        var metadata = MetadataNames.Where(n => File.Exists(Path.Combine(folder, n))).ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(folder, n)), StringComparer.Ordinal);
        var recorder = new FirstObjectRecorder(folder);
        try
        {
            var hierarchy = ZarrHierarchy.OpenAsync(new MemoryStore(metadata), ReaderOptions).GetAwaiter().GetResult();
            var array = hierarchy.GetArrayAsync("").AsTask().GetAwaiter().GetResult();
            if (array is null || array.Metadata.Shape.Any(s => s == 0))
            {
                return null;
            }

            var window = array.Metadata.Shape.Select((s, d) => new DimSlice(0, Math.Min(s, array.Metadata.ChunkShape[d]))).ToArray();
            long chunkElements = array.Metadata.ChunkShape.Aggregate(1L, (n, c) => n * c);
            var fixture = new ArrayFixture(Path.GetRelativePath(RepositoryFiles.Root, folder), metadata, window, chunkElements * 8, [], array.Metadata.CodecSummary);
            fixture.Read(recorder);
            return recorder.First is { } first ? fixture with { FirstObject = first } : null;
        }
        catch (TileServerException)
        {
            // Arrays the server cannot read at all (string types, codecs without a decoder) are no use as contexts.
            return null;
        }
    }

    /// <summary>Serves a fixture folder and remembers the first chunk or shard the reader asked for.</summary>
    private sealed class FirstObjectRecorder(string folder) : IByteStore
    {
        public byte[]? First { get; private set; }
        public string Location => folder;

        public ValueTask<byte[]?> GetAsync(string key, ByteRange? range = null, CancellationToken cancellationToken = default)
        {
            string path = Path.Combine(folder, key.Replace('/', Path.DirectorySeparatorChar));
            if (!File.Exists(path))
            {
                return ValueTask.FromResult<byte[]?>(null);
            }

            var bytes = File.ReadAllBytes(path);
            if (!MetadataNames.Contains(key, StringComparer.Ordinal))
            {
                First ??= bytes;
            }

            return new MemoryStore(new Dictionary<string, byte[]> { [key] = bytes }).GetAsync(key, range, cancellationToken);
        }
    }
}
