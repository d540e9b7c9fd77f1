using System.Text.Json.Nodes;
using TileServer.Icechunk.Tests.Infrastructure;
using TileServer.Icechunk.Tests.Writer;
using TileServer.Storage;
using Xunit;

namespace TileServer.Icechunk.Tests;

/// <summary>
/// The GeoZarr-in-Icechunk fixture (tests/data/icechunk/global-4326.icechunk): it is exactly what the test writer
/// makes from the GeoZarr store beside it, and every array read through Icechunk (inline, packed native and
/// virtual chunks) equals the same array read from that store and the point samples computed when the store
/// was made.
/// </summary>
public sealed class GeoZarrFixtureTests
{
    private static readonly string Source = TestData.Icechunk(GeoZarrFixture.SourceName);
    private static readonly string Repository = TestData.Icechunk("global-4326.icechunk");
    private static readonly string[] Arrays = ["tas", "lat", "lon", "time", "spatial_ref"];

    [Fact]
    public void The_committed_fixture_is_what_the_writer_makes_from_the_source_store()
    {
        using var fresh = new TempFolder();
        GeoZarrFixture.Build(Source, fresh.Path);
        if (Environment.GetEnvironmentVariable("TILESERVER_WRITE_FIXTURES") == "1")
        {
            if (Directory.Exists(Repository))
            {
                Directory.Delete(Repository, recursive: true);
            }

            GeoZarrFixture.Build(Source, Repository);
        }

        var expected = Files(fresh.Path);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), Files(Repository).Keys.Order(StringComparer.Ordinal));
        foreach (var (name, bytes) in Files(Repository))
        {
            Assert.True(expected[name].SequenceEqual(bytes), $"{name} differs from what the writer makes (regenerate with TILESERVER_WRITE_FIXTURES=1)");
        }
    }

    [Fact]
    public async Task Main_reads_every_array_like_the_source_store()
    {
        Assert.True(await IcechunkRepository.IsRepositoryAsync(new FileStore(Repository)));
        Assert.False(await IcechunkRepository.IsRepositoryAsync(new FileStore(Source)));
        var store = await new IcechunkRepository(new FileStore(Repository)).OpenAsync(IcechunkRef.MainBranch);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Source, "zarr.json")), await store.GetAsync("zarr.json"));
        foreach (var array in Arrays)
        {
            Assert.Equal(await ArrayReader.ReadAllAsync(new FileStore(Source), array), await ArrayReader.ReadAllAsync(store, array));
        }
    }

    [Fact]
    public async Task Point_samples_match_the_values_computed_with_the_store()
    {
        var store = await new IcechunkRepository(new FileStore(Repository)).OpenAsync(IcechunkRef.Tag("v1"));
        var tas = await ArrayReader.ReadAllAsync(store, "tas");
        var samples = JsonNode.Parse(File.ReadAllText(TestData.Icechunk("global-4326.expected.json")))!["samples"]!.AsArray();
        Assert.NotEmpty(samples);
        foreach (var sample in samples)
        {
            int t = sample!["time_index"]!.GetValue<int>(), row = sample["row"]!.GetValue<int>(), col = sample["col"]!.GetValue<int>();
            Assert.Equal(sample["stored"]!.GetValue<double>(), tas[(((t * 180) + row) * 360) + col]);
        }
    }

    [Fact]
    public async Task Virtual_references_read_through_their_container_and_are_refused_without_it()
    {
        var containers = new[] { new VirtualChunkContainer { Prefix = GeoZarrFixture.VirtualPrefix, Location = TestData.Icechunk("") } };
        var repository = new IcechunkRepository(new FileStore(Repository), new VirtualChunkResolver(containers, new ByteStoreFactory(new StoreOptions())));
        var store = await repository.OpenAsync(IcechunkRef.Branch("virtual"));
        Assert.Equal(await ArrayReader.ReadAllAsync(new FileStore(Source), "tas"), await ArrayReader.ReadAllAsync(store, "tas"));

        var bare = await new IcechunkRepository(new FileStore(Repository)).OpenAsync(IcechunkRef.Branch("virtual"));
        var error = await Assert.ThrowsAsync<VirtualChunkRefusedException>(() => bare.GetAsync("tas/c/0/0/0").AsTask());
        Assert.Equal(GeoZarrFixture.VirtualPrefix + "global-4326.zarr/tas/c/0/0/0", error.Url);
    }

    [Fact]
    public async Task The_branch_head_is_the_version_and_a_new_commit_changes_it()
    {
        using var copy = new TempFolder();
        foreach (var (name, bytes) in Files(Repository))
        {
            copy.Write(name, bytes);
        }

        var repository = new IcechunkRepository(new FileStore(copy.Path));
        var before = await repository.ResolveAsync(IcechunkRef.MainBranch);
        Assert.Equal((await repository.OpenAsync(IcechunkRef.MainBranch)).SnapshotId, before);
        Assert.Equal(["write global-4326", "Repository initialized"], (await repository.AncestryAsync(before)).Select(s => s.Message));

        // A commit elsewhere moves main to the next snapshot: the same repository object sees it at once.
        var refs = await repository.ListRefsAsync();
        var next = refs.Branches["virtual"];
        new IcechunkWriter(copy.Path).WriteRepo(
            (await repository.AncestryAsync(next)).Select(s => new CommitSpec(s.Id.Value, s.ParentId?.Value, s.Message, s.FlushedAt)).ToList(),
            new Dictionary<string, string> { ["main"] = next.Value },
            new Dictionary<string, string>(),
            []);
        Assert.Equal(next, await repository.ResolveAsync(IcechunkRef.MainBranch));
        Assert.NotEqual(before, next);
    }

    [Fact]
    public async Task A_deleted_tag_of_the_fixture_is_refused()
    {
        var repository = new IcechunkRepository(new FileStore(Repository));
        var error = await Assert.ThrowsAsync<NotFoundException>(() => repository.ResolveAsync(IcechunkRef.Parse("tag:withdrawn")).AsTask());
        Assert.Contains("'withdrawn' was deleted", error.Message, StringComparison.Ordinal);
        Assert.Equal(["withdrawn"], (await repository.ListRefsAsync()).DeletedTags);
    }

    private static Dictionary<string, byte[]> Files(string root) =>
        Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), File.ReadAllBytes, StringComparer.Ordinal);
}
