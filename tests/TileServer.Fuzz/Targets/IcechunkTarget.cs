using TileServer.Icechunk;
using ZstdSharp;

namespace TileServer.Fuzz.Targets;

/// <summary>
/// Icechunk repository files (repo info, snapshot, manifests, transaction log) through <see cref="IcechunkRepository"/>:
/// the fixture repository (tests/data/icechunk/global-4326.icechunk) with one metadata file replaced. The first input
/// byte picks the file; the rest is its FlatBuffers payload, stored uncompressed behind the file's own header, so that
/// mutations reach the FlatBuffers reader rather than zstd's checks. Each input resolves <c>main</c>, lists the refs,
/// walks the ancestry, reads the changes and reads metadata, inline and packed chunks through the opened store.
/// </summary>
public sealed class IcechunkTarget : FuzzTarget
{
    private const string Root = "tests/data/icechunk/global-4326.icechunk";
    private const int HeaderLength = 39;

    /// <summary>Keys that reach every kind of entry: group and array metadata, inline and packed chunks (as the fixture's tests do).</summary>
    private static readonly string[] Keys = ["zarr.json", "tas/zarr.json", "tas/c/0/0/0", "tas/c/3/1/1", "lat/c/0", "spatial_ref/c"];

    private Repository? _repository;

    public override string Name => "icechunk";
    public override string Contract => "IcechunkRepository (IcechunkFile.Decode, RepoInfo/Snapshot/Manifest/TransactionLog over FlatTable): IcechunkFormatException, NotFoundException (our error kinds) only";
    public override InputKind Kind => InputKind.Binary;

    private Repository Fixture => _repository ??= LoadRepository();

    public override void Run(byte[] input)
    {
        if (input.Length == 0)
        {
            return;
        }

        // Reading packed chunks copies ranges of the fixture's chunk file: at most the whole repository per key read.
        long bound = Invariants.TextBound(input.Length, (Keys.Length + 2) * Fixture.Bytes);
        Invariants.Check(Name, bound, Invariants.IsOwnError, () => Read(input));
    }

    /// <summary>Everything a server does with a repository, on the fixture with the input's file in place; throws what the reader throws.</summary>
    public void Read(byte[] input)
    {
        var fixture = Fixture;
        var (key, header) = fixture.Files[input[0] % fixture.Files.Count];
        var repository = new IcechunkRepository(new OverlayStore(fixture.Store, key, [.. header, .. input.AsSpan(1)]));
        var id = repository.ResolveAsync(IcechunkRef.MainBranch).AsTask().GetAwaiter().GetResult();
        repository.ListRefsAsync().AsTask().GetAwaiter().GetResult();
        repository.AncestryAsync(id).AsTask().GetAwaiter().GetResult();
        repository.GetChangesAsync(id).AsTask().GetAwaiter().GetResult();
        var opened = repository.OpenAsync(id).AsTask().GetAwaiter().GetResult();
        foreach (var chunkKey in Keys)
        {
            opened.GetAsync(chunkKey).AsTask().GetAwaiter().GetResult();
        }
    }

    protected override IReadOnlyList<byte[]> LoadSeeds()
    {
        var fixture = Fixture;
        using var zstd = new Decompressor();
        var seeds = new List<byte[]>();
        for (int i = 0; i < fixture.Files.Count; i++)
        {
            var raw = fixture.Store.Files[fixture.Files[i].Key];
            byte[] payload = raw[HeaderLength - 1] == 1 ? zstd.Unwrap(raw.AsSpan(HeaderLength)).ToArray() : raw[HeaderLength..];
            seeds.Add([(byte)i, .. payload]);
        }

        return seeds;
    }

    private static Repository LoadRepository()
    {
        string root = RepositoryFiles.PathOf(Root);
        if (!Directory.Exists(root))
        {
            throw new InvalidOperationException($"fixture folder {Root} is missing; the seed corpora are read from the repository (git checkout)");
        }

        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'), File.ReadAllBytes, StringComparer.Ordinal);

        // Every metadata file main reaches (the chunk file is data, fuzzed by the chunk targets), each with its header
        // saying "uncompressed" so that the fuzzed payload is read as it is.
        var metadata = files.Keys.Where(k => !k.StartsWith("chunks/", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(k => (k, (byte[])[.. files[k].AsSpan(0, HeaderLength - 1), 0])).ToArray();
        return new Repository(new MemoryStore(files), metadata, files.Values.Sum(b => (long)b.Length));
    }

    private sealed record Repository(MemoryStore Store, IReadOnlyList<(string Key, byte[] Header)> Files, long Bytes);
}
